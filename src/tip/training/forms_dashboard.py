"""The form for a programme's training target. The service checks it again (and for
duplicates), so the API refuses what the page refuses."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tip.core.models import Organisation, Partnership, Sector
from tip.programmes.models import WorkforceGroup
from tip.training.selectors_dashboard import organisation_choices


class TargetForm(forms.Form):
    sector = forms.ChoiceField(
        label=_("Sector (optional)"),
        required=False,
        error_messages={"invalid_choice": _("Choose one of the sectors, or any sector")},
    )
    organisation = forms.ChoiceField(
        label=_("Organisation (optional)"),
        required=False,
        error_messages={"invalid_choice": _("Choose one of the partnership's organisations")},
    )
    staff_group = forms.ChoiceField(
        label=_("Group of staff (optional)"),
        help_text=_(
            "Set targets for senior leaders and support staff too, not only frontline staff."
        ),
        required=False,
        error_messages={"invalid_choice": _("Choose one of the groups of staff, or any group")},
    )
    people = forms.IntegerField(
        label=_("People to train"),
        min_value=1,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "class": "govuk-input--width-5", "spellcheck": "false"}
        ),
        error_messages={
            "required": _("Enter the number of people to train, such as 40"),
            "invalid": _("Enter the number of people to train as a whole number, such as 40"),
            "min_value": _("The number of people to train must be 1 or more"),
        },
    )

    def __init__(self, *args: Any, partnership: Partnership, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.organisations: dict[str, Organisation] = {
            str(o.pk): o for o in organisation_choices(partnership=partnership)
        }
        self.fields["sector"].choices = [("", _("Any sector")), *Sector.choices]  # type: ignore[attr-defined]
        self.fields["organisation"].choices = [  # type: ignore[attr-defined]
            ("", _("Any organisation")),
            *((pk, o.name) for pk, o in self.organisations.items()),
        ]
        self.fields["staff_group"].choices = [  # type: ignore[attr-defined]
            ("", _("Any group of staff")),
            *WorkforceGroup.choices,
        ]

    def clean_organisation(self) -> Organisation | None:
        value = self.cleaned_data.get("organisation") or ""
        return self.organisations.get(value) if value else None
