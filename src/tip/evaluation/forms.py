"""The forms of the evaluation plan's pages. They only parse what was sent; the services check
it again (and everything a form cannot see), so the API refuses what the pages refuse."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tip.core.widgets import HintedRadios
from tip.evaluation import selectors
from tip.evaluation.models import EvaluationPlan, Wave, WaveKind
from tip.evaluation.services import (
    MAX_DAYS_OPEN,
    MAX_DESCRIPTION,
    MAX_LINK_MISMATCHES,
    MAX_NOTES,
    MAX_RETENTION_DAYS,
    MAX_WAVE_NAME,
    MIN_DAYS_OPEN,
    MIN_RETENTION_DAYS,
    retention_months,
    survey_number_messages,
)
from tip.programmes.models import Element, Indicator, Programme

YES, NO = "yes", "no"
BOOKING, CODE = "booking", "code"
SURVEY_FIELDS = ("anonymous", "link_mismatches", "days_open", "reminder_days", "retention_days")


def _number(label: Any) -> Any:
    """A whole number in a short box. Its hint and messages are set per form (PlanForm), in the
    reader's language; the service checks its range and says what to fix."""
    return forms.IntegerField(
        label=label,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
    )


def _survey_hints(retention_days: int) -> dict[str, str]:
    """Each number field's hint, in the reader's language."""
    return {
        "link_mismatches": gettext(
            "Only used with an anonymous code. How many of the code's six answers may differ "
            "(or be “I don't know”) and still link two surveys: from 0 (exact codes only) to "
            "%(max)s. 1 allows for one misremembered or mistyped answer; more links more people "
            "but risks linking the wrong ones."
        )
        % {"max": MAX_LINK_MISMATCHES},
        "days_open": gettext(
            "From %(min)s to %(max)s days after the invitation is sent. Changes apply to "
            "invitations made from now on."
        )
        % {"min": MIN_DAYS_OPEN, "max": MAX_DAYS_OPEN},
        "reminder_days": gettext(
            "Sent once, to anyone who has not finished. Fewer days than the survey stays open; "
            "0 for no reminder."
        ),
        "retention_days": gettext(
            "Days after the plan's last survey closes, from %(min)s (about 3 months) to %(max)s "
            "(about 10 years). Then links, email addresses, codes and anything written in "
            "people's own words are deleted or made anonymous. Now %(days)s days: about "
            "%(months)s months."
        )
        % {
            "min": MIN_RETENTION_DAYS,
            "max": MAX_RETENTION_DAYS,
            "days": retention_days,
            "months": retention_months(retention_days),
        },
    }


class PlanForm(forms.Form):
    comparison_group = forms.ChoiceField(
        label=_("Is a matched comparison group planned?"),
        help_text=_(
            "People like those trained who are not trained (or trained later), so that changes "
            "can be compared. It needs to be built in before the programme starts."
        ),
        choices=[(YES, _("Yes")), (NO, _("No"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Say whether a comparison group is planned: yes or no"),
            "invalid_choice": _("Say whether a comparison group is planned: yes or no"),
        },
    )
    comparison_description = forms.CharField(
        label=_("Who the comparison group will be (if planned)"),
        help_text=_("For example, staff in a neighbouring area who are trained a year later."),
        required=False,
        max_length=MAX_DESCRIPTION,
        error_messages={
            "max_length": _("Describe the comparison group in %(limit_value)s characters or fewer")
        },
    )
    notes = forms.CharField(
        label=_("Notes (optional)"),
        required=False,
        widget=forms.Textarea,
        max_length=MAX_NOTES,
        error_messages={"max_length": _("Write the notes in %(limit_value)s characters or fewer")},
    )
    anonymous = forms.ChoiceField(
        label=_("Link answers over time"),
        help_text=_(
            "How TIP knows which answers at a later survey come from the same person as earlier "
            "ones. This cannot change once anyone has answered."
        ),
        choices=[(BOOKING, _("Through the booking")), (CODE, _("With an anonymous code"))],
        widget=HintedRadios(
            hints={
                BOOKING: _(
                    "Each person's answers are put together through their booking on a session. "
                    "Nothing more is asked, and every answer can be linked."
                ),
                CODE: _(
                    "People answer a few questions only they know, such as the day of the month "
                    "they were born, and TIP keeps only a scrambled form of the answers. Nobody "
                    "can tell whose answers are whose, but some answers may not link."
                ),
            }
        ),
        error_messages={
            "required": _(
                "Choose how answers are linked over time: through the booking or with an "
                "anonymous code"
            ),
            "invalid_choice": _(
                "Choose how answers are linked over time: through the booking or with an "
                "anonymous code"
            ),
        },
    )
    link_mismatches = _number(_("Code elements that may differ"))
    days_open = _number(_("Days a survey stays open"))
    reminder_days = _number(_("Days before closing to send a reminder"))
    retention_days = _number(_("Keep identifiers and free text for"))

    def __init__(self, *args: Any, plan: EvaluationPlan | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        hints = _survey_hints((plan or EvaluationPlan()).retention_days)
        for name, message in survey_number_messages().items():
            field = self.fields[name]
            field.help_text = hints[name]
            field.error_messages = {**field.error_messages, "required": message, "invalid": message}

    @staticmethod
    def initial_for(plan: EvaluationPlan | None) -> dict[str, Any]:
        current = plan or EvaluationPlan()
        survey = {name: getattr(current, name) for name in SURVEY_FIELDS}
        survey["anonymous"] = CODE if current.anonymous else BOOKING
        if plan is None:
            return survey
        return {
            "comparison_group": YES if plan.comparison_group else NO,
            "comparison_description": plan.comparison_description,
            "notes": plan.notes,
            **survey,
        }

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "comparison_group": data["comparison_group"] == YES,
            "comparison_description": data.get("comparison_description") or "",
            "notes": data.get("notes") or "",
            "anonymous": data["anonymous"] == CODE,
            **{name: data[name] for name in SURVEY_FIELDS[1:]},
        }


class WaveForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        help_text=_("In your plan's words, such as Six months after."),
        max_length=MAX_WAVE_NAME,
        error_messages={
            "required": _("Enter a name for the wave, such as Six months after"),
            "max_length": _("Name the wave in %(limit_value)s characters or fewer"),
        },
    )
    kind = forms.ChoiceField(
        label=_("Kind of wave"),
        choices=WaveKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether the wave is a baseline, straight after or a follow-up"),
            "invalid_choice": _(
                "Choose whether the wave is a baseline, straight after or a follow-up"
            ),
        },
    )
    offset_days = forms.IntegerField(
        label=_("Days from the session"),
        help_text=_(
            "Negative before the session, 0 on its day, positive after: -7 is a week before, "
            "182 six months after, 365 a year after."
        ),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "class": "govuk-input--width-5", "spellcheck": "false"}
        ),
        error_messages={
            "required": _(
                "Enter the number of days from the session, such as -7 for a week before or 182 "
                "for six months after"
            ),
            "invalid": _(
                "Enter the number of days from the session as a whole number, such as -7 for a "
                "week before or 182 for six months after"
            ),
        },
    )

    @staticmethod
    def initial_for(wave: Wave) -> dict[str, Any]:
        return {"name": wave.name, "kind": wave.kind, "offset_days": wave.offset_days}


class MeasureForm(forms.Form):
    instrument = forms.ChoiceField(
        label=_("Instrument"),
        error_messages={
            "required": _("Choose an instrument from the library"),
            "invalid_choice": _("Choose an instrument from the library"),
        },
    )
    waves = forms.MultipleChoiceField(
        label=_("Waves at which it is used"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one wave at which to use the instrument"),
            "invalid_choice": _("Choose waves of this programme's evaluation plan"),
        },
    )
    outcomes = forms.MultipleChoiceField(
        label=_("Outcomes it measures (optional)"),
        help_text=_("From the programme's Theory of Change."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Choose outcomes of this programme's Theory of Change"),
        },
    )
    indicators = forms.MultipleChoiceField(
        label=_("Indicators it measures (optional)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _(
                "Choose indicators of the outcomes in this programme's Theory of Change"
            ),
        },
    )

    def __init__(self, *args: Any, plan: EvaluationPlan, programme: Programme, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.partnership_id = plan.partnership_id
        self.wave_objects: dict[str, Wave] = {str(w.pk): w for w in selectors.wave_list(plan=plan)}
        self.outcome_objects: dict[str, Element] = {
            str(o.pk): o for o in selectors.outcome_choices(programme=programme)
        }
        self.indicator_objects: dict[str, Indicator] = {
            str(i.pk): i for i in selectors.indicator_choices(programme=programme)
        }
        self.fields["instrument"].choices = [  # type: ignore[attr-defined]
            ("", _("Choose an instrument")),
            *selectors.instrument_choices(plan.partnership_id),
        ]
        self.fields["waves"].choices = [  # type: ignore[attr-defined]
            (pk, f"{w.name} ({selectors.timing(w.offset_days)})")
            for pk, w in self.wave_objects.items()
        ]
        self.fields["outcomes"].choices = [  # type: ignore[attr-defined]
            (pk, o.title) for pk, o in self.outcome_objects.items()
        ]
        self.fields["indicators"].choices = [  # type: ignore[attr-defined]
            (pk, f"{i.outcome.title}: {i.what}") for pk, i in self.indicator_objects.items()
        ]
        if not self.outcome_objects:
            del self.fields["outcomes"]
        if not self.indicator_objects:
            del self.fields["indicators"]

    @staticmethod
    def initial_for(measure: Any) -> dict[str, Any]:
        return {
            "instrument": measure.instrument_id,
            "waves": [str(w.pk) for w in measure.waves.all()],
            "outcomes": [str(o.pk) for o in measure.outcomes.all()],
            "indicators": [str(i.pk) for i in measure.indicators.all()],
        }

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        instrument = data["instrument"]
        version = next(
            (i.version for i in selectors.instruments(self.partnership_id) if i.id == instrument),
            None,
        )
        return {
            "instrument_id": instrument,
            "instrument_version": version,
            "waves": [self.wave_objects[v] for v in data["waves"]],
            "outcomes": [self.outcome_objects[v] for v in data.get("outcomes") or []],
            "indicators": [self.indicator_objects[v] for v in data.get("indicators") or []],
        }
