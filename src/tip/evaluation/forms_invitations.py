"""The forms of the comparison cohorts' pages. They only parse what was sent; the services check
it again, so the API refuses what the pages refuse."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tip.core.models import Membership, Organisation
from tip.evaluation.models_collection import ComparisonCohort
from tip.evaluation.services_invitations import MAX_COHORT_DESCRIPTION, MAX_COHORT_NAME


class CohortForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=MAX_COHORT_NAME,
        error_messages={
            "required": _("Enter the cohort's name"),
            "max_length": _("Enter a name of %(limit_value)s characters or fewer"),
        },
    )
    description = forms.CharField(
        label=_("Who they are (optional)"),
        help_text=_("For example, frontline staff in two schools trained next year."),
        required=False,
        max_length=MAX_COHORT_DESCRIPTION,
        error_messages={"max_length": _("Say who they are in %(limit_value)s characters or fewer")},
    )
    reference_date = forms.DateField(
        label=_("Date the waves count from"),
        help_text=_(
            "As a trained person's waves count from their session. For example, 27/3/2026."
        ),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={
            "required": _("Enter the date the cohort's waves count from"),
            "invalid": _("Enter a real date, like 27/3/2026"),
        },
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations (optional)"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose organisations of this partnership")},
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisations"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = organisations

    @staticmethod
    def initial_for(cohort: ComparisonCohort) -> dict[str, Any]:
        return {
            "name": cohort.name,
            "description": cohort.description,
            "reference_date": cohort.reference_date,
            "organisations": list(cohort.organisations.all()),
        }

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "description": data.get("description", ""),
            "reference_date": data["reference_date"],
            "organisations": list(data.get("organisations") or []),
        }


class MembersForm(forms.Form):
    memberships = forms.ModelMultipleChoiceField(
        label=_("People to add"),
        queryset=Membership.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one person to add"),
            "invalid_choice": _("Choose people of this partnership"),
        },
    )

    def __init__(self, *args: Any, choices: QuerySet[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["memberships"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = choices
        field.label_from_instance = lambda m: (  # type: ignore[method-assign,assignment]
            f"{m.user.full_name or m.user.email} ({m.organisation})"
            if m.organisation_id
            else m.user.full_name or m.user.email
        )


class EmailsForm(forms.Form):
    emails = forms.CharField(
        label=_("Email addresses, one a line"),
        help_text=_(
            "For staff without an account. Nothing is added unless every line is right; "
            "each problem names its line."
        ),
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        error_messages={"required": _("Paste one email address a line")},
    )
