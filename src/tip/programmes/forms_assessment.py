"""The self-assessment form: a date, then for every component a level, evidence and an owner.
Its fields are built from the components file, so a new component needs no code."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tip.programmes.components import Component, load_components
from tip.programmes.models_assessment import AssessmentLevel
from tip.programmes.services_assessment import RatingInput


def field_prefix(component: Component) -> str:
    return component.code.replace(".", "-")


class SelfAssessmentForm(forms.Form):
    assessed_on = forms.DateField(
        label=_("Date of the assessment"),
        help_text=_("For example, 27/3/2026"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={
            "required": _("Enter the date of the assessment"),
            "invalid": _("Enter a real date, like 27/3/2026"),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.components = load_components()
        language = get_language() or "en"
        for component in self.components:
            prefix = field_prefix(component)
            title = component.title(language)
            self.fields[f"{prefix}-level"] = forms.ChoiceField(
                label=_("Where is the organisation with this?"),
                choices=AssessmentLevel.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose a level for “%(title)s”") % {"title": title}},
            )
            self.fields[f"{prefix}-evidence"] = forms.CharField(
                label=_("Evidence (optional)"),
                help_text=_("What shows this, for example a policy, a plan or training records"),
                required=False,
                max_length=2000,
                widget=forms.Textarea,
            )
            self.fields[f"{prefix}-owner"] = forms.CharField(
                label=_("Owner (optional)"),
                help_text=_("The person or team who looks after this"),
                required=False,
                max_length=200,
            )

    def clean_assessed_on(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["assessed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date of the assessment cannot be in the future"))
        return value

    def ratings(self) -> dict[str, RatingInput]:
        data = self.cleaned_data
        return {
            c.code: RatingInput(
                level=data[f"{field_prefix(c)}-level"],
                evidence=data[f"{field_prefix(c)}-evidence"],
                owner=data[f"{field_prefix(c)}-owner"],
            )
            for c in self.components
        }

    def blocks(
        self,
    ) -> list[tuple[Component, forms.BoundField, forms.BoundField, forms.BoundField]]:
        """For each component, its three fields, in file order."""
        return [
            (
                c,
                self[f"{field_prefix(c)}-level"],
                self[f"{field_prefix(c)}-evidence"],
                self[f"{field_prefix(c)}-owner"],
            )
            for c in self.components
        ]
