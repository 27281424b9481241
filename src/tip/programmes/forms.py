"""Forms for programmes: they parse and validate; services do the work."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tip.core.models import Partnership
from tip.programmes.models import (
    Element,
    ElementKind,
    EvidenceRating,
    Horizon,
    Level,
    NoteKind,
    Programme,
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
