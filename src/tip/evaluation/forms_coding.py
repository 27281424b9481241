"""The forms of the qualitative coding pages. They only parse what was sent; the services check
it again (services_coding.py), so nothing the forms miss is saved."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tip.evaluation.models import Code
from tip.evaluation.services_coding import MAX_DESCRIPTION, MAX_LABEL, MAX_POSITION

CODED, UNCODED = "coded", "uncoded"


class CodeForm(forms.Form):
    label = forms.CharField(
        label=_("Label"),
        help_text=_("A few words, for example “Feels safer at work”."),
        max_length=MAX_LABEL,
        error_messages={
            "required": _("Enter the code's label"),
            "max_length": _("Enter a label of %(limit_value)s characters or fewer"),
        },
    )
    description = forms.CharField(
        label=_("What it means (optional)"),
        help_text=_(
            "When to apply it and when not, so that two coders apply it alike. For example, "
            "“The person says they feel safer, or less anxious, at work.”"
        ),
        required=False,
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": _("Say what it means in %(limit_value)s characters or fewer"),
        },
    )
    parent = forms.ModelChoiceField(
        label=_("Theme (optional)"),
        help_text=_("The broader code this one belongs under, if any."),
        queryset=Code.objects.none(),
        required=False,
        empty_label=_("No theme"),
        error_messages={"invalid_choice": _("Choose a theme from this plan's codebook")},
    )
    position = forms.IntegerField(
        label=_("Position (optional)"),
        help_text=_("Codes are listed by position, lowest first. Leave empty to add at the end."),
        required=False,
        min_value=0,
        max_value=MAX_POSITION,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "invalid": _("Enter the position as a whole number, like 3"),
            "min_value": _("Enter a position of 0 or more"),
            "max_value": _("Enter a position of %(limit_value)s or less"),
        },
    )

    def __init__(self, *args: Any, themes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["parent"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = themes

    @staticmethod
    def initial_for(code: Code) -> dict[str, Any]:
        return {
            "label": code.label,
            "description": code.description,
            "parent": code.parent_id,
            "position": code.position,
        }


class CodingForm(forms.Form):
    """The codes a coder found in a text: none is a valid answer (read, nothing applies)."""

    codes = forms.ModelMultipleChoiceField(
        label=_("Codes that apply"),
        help_text=_("Select every code that applies. Select none if none applies."),
        queryset=Code.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Choose codes from this plan's codebook"),
            "invalid_pk_value": _("Choose codes from this plan's codebook"),
        },
    )

    def __init__(self, *args: Any, codes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["codes"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = codes
        field.label_from_instance = _code_label  # type: ignore[method-assign,assignment]


def _code_label(code: Code) -> str:
    label = code.label if code.parent is None else f"{code.parent.label}: {code.label}"
    if code.retired:
        return str(_("%(label)s (retired)") % {"label": label})
    return label


class SampleForm(forms.Form):
    share = forms.DecimalField(
        label=_("Percentage of the texts to add at random"),
        help_text=_(
            "Drawn from the texts not yet in the sample. 20 is usual; at least one text is drawn."
        ),
        initial=20,
        min_value=1,
        max_value=100,
        decimal_places=1,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter a percentage from 1 to 100, like 20"),
            "invalid": _("Enter a percentage from 1 to 100, like 20"),
            "min_value": _("Enter a percentage from 1 to 100, like 20"),
            "max_value": _("Enter a percentage from 1 to 100, like 20"),
            "max_decimal_places": _("Enter a percentage with at most one decimal place"),
        },
    )


class TextFilterForm(forms.Form):
    """The filters of the texts to code (GET). Bad values are shown with what to fix."""

    wave = forms.TypedChoiceField(
        label=_("Wave"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose one of the plan's waves")},
    )
    group = forms.ChoiceField(
        label=_("Group"),
        required=False,
        error_messages={"invalid_choice": _("Choose trained, comparison or observations")},
    )
    status = forms.ChoiceField(
        label=_("Coded by you"),
        required=False,
        choices=[("", _("Any")), (CODED, _("Coded")), (UNCODED, _("Not coded yet"))],
        error_messages={"invalid_choice": _("Choose coded or not coded yet")},
    )
    question = forms.ChoiceField(
        label=_("Question"),
        required=False,
        error_messages={"invalid_choice": _("Choose one of the questions listed")},
    )
    sample = forms.BooleanField(label=_("Only texts in the double-coding sample"), required=False)

    def __init__(
        self,
        *args: Any,
        waves: list[tuple[int, str]],
        groups: list[tuple[str, str]],
        questions: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        wave = self.fields["wave"]
        assert isinstance(wave, forms.TypedChoiceField)
        wave.choices = [("", _("Any wave")), *waves]
        group = self.fields["group"]
        assert isinstance(group, forms.ChoiceField)
        group.choices = [("", _("Any group")), *groups]
        question = self.fields["question"]
        assert isinstance(question, forms.ChoiceField)
        question.choices = [("", _("Any question")), *questions]


class AgreementForm(forms.Form):
    first = forms.TypedChoiceField(
        label=_("First coder"),
        coerce=int,
        error_messages={
            "required": _("Choose the first coder"),
            "invalid_choice": _("Choose a person who coded texts of the sample"),
        },
    )
    second = forms.TypedChoiceField(
        label=_("Second coder"),
        coerce=int,
        error_messages={
            "required": _("Choose the second coder"),
            "invalid_choice": _("Choose a person who coded texts of the sample"),
        },
    )

    def __init__(self, *args: Any, coders: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("first", "second"):
            field = self.fields[name]
            assert isinstance(field, forms.TypedChoiceField)
            field.choices = coders

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("first") is not None and cleaned.get("first") == cleaned.get("second"):
            self.add_error("second", _("Choose two different coders"))
        return cleaned


class ThemeFilterForm(forms.Form):
    coder = forms.TypedChoiceField(
        label=_("Whose coding"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose a person who has coded texts")},
    )

    def __init__(self, *args: Any, coders: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["coder"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("Anyone's (a text counts if any coder applied the code)")), *coders]
