"""Forms for clearances, settings, lead times and the planner. They parse input; the services
decide, with messages that name the problem."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tip.programmes.forms import DayMonthYearField
from tip.training.clearance_types import clearance_types
from tip.training.models_clearances import ClearanceStatus, DeliverySetting, SettingKind


def _type_choices() -> list[tuple[str, str]]:
    language = get_language() or "en"
    return [(code, t.name(language)) for code, t in clearance_types().items()]


class ClearanceForm(forms.Form):
    clearance_type = forms.ChoiceField(
        label=_("Type of clearance"),
        error_messages={
            "required": _("Choose the type of clearance"),
            "invalid_choice": _("Choose the type of clearance from the list"),
        },
    )
    status = forms.ChoiceField(
        label=_("Is it granted?"),
        choices=ClearanceStatus.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether the clearance is granted or applied for"),
            "invalid_choice": _("Choose whether the clearance is granted or applied for"),
        },
    )
    applied_on = DayMonthYearField(
        label=_("Date applied (optional once granted)"), called=_("The date applied")
    )
    issued_on = DayMonthYearField(label=_("Date issued (if granted)"), called=_("The date issued"))
    expires_on = DayMonthYearField(label=_("Expiry date (optional)"), called=_("The expiry date"))

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        choices: list[tuple[str, Any]] = [("", _("Choose a type"))]
        self.fields["clearance_type"].choices = choices + _type_choices()  # type: ignore[attr-defined]
        self.fields["expires_on"].help_text = _(
            "For example, 27 3 2026. Leave it empty if the clearance has no expiry date; many "
            "organisations ask for a DBS check to be renewed every few years."
        )


class SettingForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the setting"),
        help_text=_("For example, Northshire secondary schools, or Eastgate custody suite."),
        max_length=200,
        error_messages={
            "required": _("Enter the setting's name"),
            "max_length": _("Use %(limit_value)s characters or fewer"),
        },
    )
    kind = forms.ChoiceField(
        label=_("Kind of place"),
        choices=[("", _("Choose a kind of place")), *SettingKind.choices],
        error_messages={
            "required": _("Choose the kind of place"),
            "invalid_choice": _("Choose the kind of place"),
        },
    )
    required_clearances = forms.MultipleChoiceField(
        label=_("Which clearances do trainers need there?"),
        help_text=_(
            "Select all that apply. A higher level counts for a lower one: an enhanced DBS check "
            "with barred lists meets a need for an enhanced check."
        ),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Choose clearances from the list")},
    )

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["required_clearances"].choices = _type_choices()  # type: ignore[attr-defined]


class ClearancePlanningForm(forms.Form):
    """The partnership's lead time for each type (empty: the default) and its uplift."""

    optimism_bias_percent = forms.IntegerField(
        label=_("Optimism-bias uplift, in per cent"),
        help_text=_(
            "Plans tend to assume things go faster than they do. TIP adds this much to every "
            "lead time when it works out the latest date to apply. 50 adds half again."
        ),
        min_value=0,
        max_value=300,
        error_messages={
            "required": _("Enter the uplift, for example 50"),
            "invalid": _("Enter the uplift as a whole number, for example 50"),
            "min_value": _("Enter an uplift between 0 and 300 per cent"),
            "max_value": _("Enter an uplift between 0 and 300 per cent"),
        },
    )

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        language = get_language() or "en"
        for code, kind in clearance_types().items():
            name = kind.name(language)
            message = _("Enter the lead time for the %(clearance)s as days between 1 and 730") % {
                "clearance": name
            }
            self.fields[f"lead_{code}"] = forms.IntegerField(
                label=_("%(clearance)s: lead time in days (optional)") % {"clearance": name},
                help_text=_("Leave it empty for TIP's default of %(days)s days.")
                % {"days": kind.lead_time_days},
                min_value=1,
                max_value=730,
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
                error_messages={"invalid": message, "min_value": message, "max_value": message},
            )
        self.fields["optimism_bias_percent"].widget = forms.TextInput(
            attrs={"inputmode": "numeric", "spellcheck": "false"}
        )

    def lead_times(self) -> dict[str, int | None]:
        return {code: self.cleaned_data[f"lead_{code}"] for code in clearance_types()}


class PlannerForm(forms.Form):
    """Sent by GET: the setting and the date training is planned for."""

    setting = forms.TypedChoiceField(
        label=_("Setting"),
        coerce=int,
        error_messages={
            "required": _("Choose a setting"),
            "invalid_choice": _("Choose a setting from the list"),
        },
    )
    planned_on = DayMonthYearField(
        label=_("Date of the training"),
        called=_("The date of the training"),
        missing=_("Enter the date of the training"),
    )

    def __init__(self, *args: Any, settings: list[DeliverySetting], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.settings = {s.pk: s for s in settings}
        self.fields["setting"].choices = [(s.pk, s.name) for s in settings]  # type: ignore[attr-defined]
