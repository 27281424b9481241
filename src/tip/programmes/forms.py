"""Forms for programmes: they parse and validate; services do the work."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tip.core.models import Membership, Organisation, Partnership, Sector
from tip.core.widgets import DateParts
from tip.programmes.models import (
    Element,
    ElementKind,
    EvidenceRating,
    Horizon,
    Level,
    NoteKind,
    Participant,
    PhaseKind,
    Programme,
    WorkforceGroup,
)


class ProgrammeForm(forms.Form):
    name = forms.CharField(
        label=_("Programme name"),
        max_length=200,
        error_messages={
            "required": _("Enter the programme's name"),
            "max_length": _("The name must be 200 characters or fewer"),
        },
    )
    aims = forms.CharField(
        label=_("Aims (optional)"),
        help_text=_("What the programme sets out to change, and for whom"),
        required=False,
        widget=forms.Textarea,
    )

    def __init__(self, *args: Any, partnership: Partnership, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.partnership = partnership

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if Programme.objects.for_partnership(self.partnership).filter(name__iexact=name).exists():
            raise forms.ValidationError(_("A programme with this name already exists"))
        return name


class ElementForm(forms.Form):
    """An activity, output or outcome written by the person. Outcomes need a level and horizon."""

    kind = forms.ChoiceField(
        label=_("What kind of element is it?"),
        choices=ElementKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose activity, output or outcome"),
            "invalid_choice": _("Choose activity, output or outcome"),
        },
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        error_messages={
            "required": _("Enter a title"),
            "max_length": _("The title must be 300 characters or fewer"),
        },
    )
    description = forms.CharField(
        label=_("Description (optional)"), required=False, widget=forms.Textarea
    )
    level = forms.ChoiceField(
        label=_("Who is the outcome for?"),
        help_text=_("Outcomes only"),
        choices=Level.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose who the outcome is for")},
    )
    horizon = forms.ChoiceField(
        label=_("When do you expect the outcome?"),
        help_text=_("Outcomes only"),
        choices=Horizon.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose when you expect the outcome")},
    )

    def __init__(self, *args: Any, element: Element | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.element = element
        if element is not None:
            # The kind of an element stays as it is; remove it and write a new one instead.
            del self.fields["kind"]
            if element.kind != ElementKind.OUTCOME:
                del self.fields["level"]
                del self.fields["horizon"]
            else:
                self.fields["level"].help_text = ""
                self.fields["horizon"].help_text = ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = self.element.kind if self.element else data.get("kind")
        if kind != ElementKind.OUTCOME and "level" in self.fields:
            # A radio cannot be cleared without scripts: ignore a level chosen before the kind
            # was changed from outcome.
            data["level"], data["horizon"] = "", ""
        if kind == ElementKind.OUTCOME:
            if "level" in self.fields and not data.get("level") and "level" not in self.errors:
                self.add_error("level", _("Choose who the outcome is for"))
            if (
                "horizon" in self.fields
                and not data.get("horizon")
                and "horizon" not in self.errors
            ):
                self.add_error("horizon", _("Choose when you expect the outcome"))
        return data


class LibraryOutcomesForm(forms.Form):
    """Outcomes chosen from the outcomes library."""

    outcomes = forms.MultipleChoiceField(
        label=_("Outcomes from the library"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one outcome"),
            "invalid_choice": _("Choose outcomes from the list"),
        },
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["outcomes"].choices = choices  # type: ignore[attr-defined]


class LinkForm(forms.Form):
    """'This leads to that': both ends are chosen from this programme's elements only."""

    source = forms.TypedChoiceField(
        label=_("This element"),
        coerce=int,
        error_messages={
            "required": _("Choose an element from the list"),
            "invalid_choice": _("Choose an element from the list"),
        },
    )
    target = forms.TypedChoiceField(
        label=_("Leads to"),
        coerce=int,
        error_messages={
            "required": _("Choose an element from the list"),
            "invalid_choice": _("Choose an element from the list"),
        },
    )
    rationale = forms.CharField(
        label=_("Why do you expect this?"),
        help_text=_("The reasoning behind the link"),
        required=False,
        widget=forms.Textarea,
    )
    evidence = forms.ChoiceField(
        label=_("How strong is the evidence?"),
        choices=EvidenceRating.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how strong the evidence is"),
            "invalid_choice": _("Choose how strong the evidence is"),
        },
    )
    evidence_source = forms.CharField(
        label=_("Source of the evidence (optional)"),
        help_text=_("For example a study, an evaluation report or practitioners' experience"),
        max_length=500,
        required=False,
        error_messages={"max_length": _("The source must be 500 characters or fewer")},
    )

    def __init__(self, *args: Any, elements: list[Element], **kw: Any) -> None:
        super().__init__(*args, **kw)
        choices: list[tuple[Any, Any]] = [("", _("Choose an element"))]
        choices += [(e.pk, f"{e.get_kind_display()}: {e.title}") for e in elements]
        self.fields["source"].choices = choices  # type: ignore[attr-defined]
        self.fields["target"].choices = choices  # type: ignore[attr-defined]
        self.elements = {e.pk: e for e in elements}


class NoteForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Is it an assumption, a barrier or an enabler?"),
        choices=NoteKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose assumption, barrier or enabler"),
            "invalid_choice": _("Choose assumption, barrier or enabler"),
        },
    )
    text = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea,
        error_messages={"required": _("Enter the note")},
    )


def _short_text(label: Any, hint: Any, required: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        max_length=300,
        error_messages={
            "required": required,
            "max_length": _("Use 300 characters or fewer"),
        },
    )


class IndicatorForm(forms.Form):
    what = _short_text(
        _("What will you measure?"),
        _("For example, staff confidence in responding to disclosures"),
        _("Enter what you will measure"),
    )
    how = _short_text(
        _("How will you measure it?"),
        _("For example, a short survey"),
        _("Enter how you will measure it"),
    )
    from_whom = _short_text(
        _("Who will you collect it from?"),
        _("For example, teaching staff who attended the training"),
        _("Enter who you will collect it from"),
    )
    when = _short_text(
        _("When will you collect it?"),
        _("For example, before the training and 3 months after"),
        _("Enter when you will collect it"),
    )


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Evaluation question"),
        widget=forms.Textarea,
        error_messages={"required": _("Enter the question")},
    )


# --- About the programme -------------------------------------------------------------------------


class ProgrammeDetailsForm(forms.Form):
    name = ProgrammeForm.base_fields["name"]
    aims = ProgrammeForm.base_fields["aims"]
    target_sectors = forms.MultipleChoiceField(
        label=_("Which sectors is the programme for? (optional)"),
        help_text=_("Select all that apply."),
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose sectors from the list")},
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Which groups of staff is it for? (optional)"),
        help_text=_("Select all that apply."),
        choices=WorkforceGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose groups of staff from the list")},
    )


class DayMonthYearField(forms.Field):
    """A date written as day, month and year in three boxes, for example 27 3 2026."""

    widget = DateParts

    def __init__(self, *, label: Any, called: Any, missing: Any = None, **kw: Any) -> None:
        super().__init__(
            label=label,
            required=False,
            help_text=_("For example, 27 3 2026"),
            **kw,
        )
        self.missing = missing
        self.called = called  # how messages name the date, e.g. "The learn phase's start date"

    def clean(self, value: Any) -> date | None:
        parts = [str(p or "").strip() for p in (value or ["", "", ""])]
        if not any(parts):
            if self.missing is not None:
                raise forms.ValidationError(self.missing, code="required")
            return None
        names = {"date": self.called}
        for part, message in zip(
            parts,
            [
                _("%(date)s must include a day"),
                _("%(date)s must include a month"),
                _("%(date)s must include a year"),
            ],
            strict=True,
        ):
            if not part:
                raise forms.ValidationError(message % names)
        if not all(p.isdigit() for p in parts):
            raise forms.ValidationError(
                _("Enter %(date)s as numbers, for example 27 3 2026") % names
            )
        day, month, year = (int(p) for p in parts)
        if year < 1000:
            raise forms.ValidationError(
                _("Enter the year of %(date)s in full, for example 2026") % names
            )
        try:
            return date(year, month, day)
        except ValueError:
            raise forms.ValidationError(
                _("%(date)s must be a real date, for example 27 3 2026") % names
            ) from None


class PhasesForm(forms.Form):
    """Start and end dates for the learn, implement and review phases; each pair may be left
    empty. The order is checked by the service, which names the phase that is out of order."""

    learn_starts_on = DayMonthYearField(
        label=_("Learn phase: start date (optional)"),
        called=_("The learn phase's start date"),
    )
    learn_ends_on = DayMonthYearField(
        label=_("Learn phase: end date (optional)"),
        called=_("The learn phase's end date"),
    )
    implement_starts_on = DayMonthYearField(
        label=_("Implement phase: start date (optional)"),
        called=_("The implement phase's start date"),
    )
    implement_ends_on = DayMonthYearField(
        label=_("Implement phase: end date (optional)"),
        called=_("The implement phase's end date"),
    )
    review_starts_on = DayMonthYearField(
        label=_("Review phase: start date (optional)"),
        called=_("The review phase's start date"),
    )
    review_ends_on = DayMonthYearField(
        label=_("Review phase: end date (optional)"),
        called=_("The review phase's end date"),
    )

    @staticmethod
    def initial_for(phases: list[Any]) -> dict[str, str]:
        initial = {}
        for phase in phases:
            initial[f"{phase.kind}_starts_on"] = phase.starts_on
            initial[f"{phase.kind}_ends_on"] = phase.ends_on
        return initial

    def dates(self) -> dict[str, tuple[date | None, date | None]]:
        data = self.cleaned_data
        return {
            kind: (data.get(f"{kind}_starts_on"), data.get(f"{kind}_ends_on"))
            for kind in PhaseKind.values
        }


def _name_field(label: Any, required: Any = None) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=200,
        required=required is not None,
        error_messages={
            "required": required or "",
            "max_length": _("Use 200 characters or fewer"),
        },
    )


class SroForm(forms.Form):
    sro_member = forms.TypedChoiceField(
        label=_("Senior responsible owner: choose a person in the partnership (optional)"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose a person from the list")},
    )
    sro_name = _name_field(_("Or write their name (optional)"))
    sro_role = _name_field(_("Their role (optional)"))

    def __init__(self, *args: Any, members: list[Membership], **kw: Any) -> None:
        super().__init__(*args, **kw)
        choices: list[tuple[Any, Any]] = [("", _("Nobody chosen"))]
        choices += [(m.pk, m.user.full_name) for m in members]
        self.fields["sro_member"].choices = choices  # type: ignore[attr-defined]
        self.members = {m.pk: m for m in members}


class _OrganisationChoiceMixin(forms.Form):
    def set_organisations(self, organisations: list[Organisation], blank: Any) -> None:
        choices: list[tuple[Any, Any]] = [("", blank)]
        choices += [(o.pk, o.name) for o in organisations]
        self.fields["organisation"].choices = choices  # type: ignore[attr-defined]
        self.organisations = {o.pk: o for o in organisations}


class BoardMemberForm(_OrganisationChoiceMixin):
    name = _name_field(_("Name"), _("Enter the board member's name"))
    role = _name_field(_("Role (optional)"))
    organisation = forms.TypedChoiceField(
        label=_("Organisation (optional)"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose an organisation from the list")},
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.set_organisations(organisations, _("None chosen"))


class OrganisationLeadForm(_OrganisationChoiceMixin):
    organisation = forms.TypedChoiceField(
        label=_("Organisation"),
        coerce=int,
        error_messages={
            "required": _("Choose an organisation"),
            "invalid_choice": _("Choose an organisation from the list"),
        },
    )
    name = _name_field(_("Name of the lead"), _("Enter the lead's name"))
    role = _name_field(_("Role (optional)"))

    def __init__(self, *args: Any, organisations: list[Organisation], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.set_organisations(organisations, _("Choose an organisation"))


class CoDesignForm(forms.Form):
    who_took_part = forms.MultipleChoiceField(
        label=_("Who took part?"),
        help_text=_("Select all that apply."),
        choices=Participant.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose who took part"),
            "invalid_choice": _("Choose who took part from the list"),
        },
    )
    who_else = forms.CharField(
        label=_("If others took part, who were they? (optional)"),
        max_length=300,
        required=False,
        error_messages={"max_length": _("Use 300 characters or fewer")},
    )
    how = forms.CharField(
        label=_("How did they take part?"),
        help_text=_("For example, two workshops and a survey"),
        widget=forms.Textarea,
        error_messages={"required": _("Describe how people took part")},
    )
    held_on = DayMonthYearField(
        label=_("When did it take place?"),
        called=_("The date it took place"),
        missing=_("Enter the date it took place"),
    )
    what_changed = forms.CharField(
        label=_("What changed because of it?"),
        widget=forms.Textarea,
        error_messages={"required": _("Describe what changed because of it")},
    )
