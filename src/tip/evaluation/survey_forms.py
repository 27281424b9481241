"""The survey's forms: consent, an instrument page's questions (each checked by
scoring.clean_answer), the questions about the person and the anonymous code's questions.

An instrument's questions are drawn here as GOV.UK components (radios, checkboxes, inputs,
character counts) from the instrument's own words in the reader's language.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tip.core import components
from tip.core.models import Organisation, Partnership, Sector
from tip.evaluation.analysis.instrument_model import (
    DONT_KNOW,
    FALSE,
    NOT_APPLICABLE,
    TRUE,
    Item,
    ScaleType,
)
from tip.evaluation.analysis.linking import ELEMENTS
from tip.evaluation.analysis.scoring import REQUIRED, AnswerError, AnswerValue, clean_answer
from tip.evaluation.codes import code_questions
from tip.evaluation.survey_services import NOT_LISTED

YES, NO = "yes", "no"


class ConsentForm(forms.Form):
    agree = forms.ChoiceField(
        label=_("Do you agree to take part?"),
        choices=[(YES, _("Yes, I agree to take part")), (NO, _("No, I do not want to take part"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether you agree to take part"),
            "invalid_choice": _("Choose whether you agree to take part"),
        },
    )


# Instrument pages ------------------------------------------------------------------------------


_RADIO_TYPES = (ScaleType.LIKERT, ScaleType.TRUE_FALSE, ScaleType.SINGLE_CHOICE)


def _options(item: Item, language: str) -> list[tuple[str, str]]:
    scale = item.scale
    options: list[tuple[str, str]] = []
    if scale.type == ScaleType.LIKERT:
        options = [(str(p.value), p.label.in_language(language)) for p in scale.points]
    elif scale.type == ScaleType.TRUE_FALSE:
        for value, label in (
            (TRUE, scale.true_label),
            (FALSE, scale.false_label),
            (DONT_KNOW, scale.dont_know_label),
        ):
            options.append((value, label.in_language(language) if label else value))
    elif scale.type in (ScaleType.SINGLE_CHOICE, ScaleType.MULTIPLE_CHOICE):
        options = [(o.value, o.label.in_language(language)) for o in scale.options]
    if scale.not_applicable is not None and scale.type != ScaleType.MULTIPLE_CHOICE:
        options.append((NOT_APPLICABLE, scale.not_applicable.in_language(language)))
    return options


class ItemField(forms.Field):
    """One question of an instrument, checked by the instrument's own rules."""

    def __init__(self, item: Item, language: str, **kwargs: Any) -> None:
        self.item = item
        self.language = language
        self.choices = _options(item, language)
        kind = item.scale.type
        if kind == ScaleType.MULTIPLE_CHOICE:
            widget: type[forms.Widget] = forms.CheckboxSelectMultiple
        elif kind in _RADIO_TYPES:
            widget = forms.RadioSelect
        elif kind == ScaleType.FREE_TEXT:
            widget = forms.Textarea
        else:
            widget = forms.TextInput
        super().__init__(
            required=False, widget=widget, label=item.text.in_language(language), **kwargs
        )

    def clean(self, value: Any) -> AnswerValue | None:
        try:
            cleaned = clean_answer(self.item, value, translate=gettext)
        except AnswerError as exc:
            raise ValidationError(exc.message, code=exc.code) from exc
        if cleaned is None and self.item.required:
            raise ValidationError(gettext(REQUIRED), code="required")
        return cleaned


def _shown(value: Any) -> Any:
    """A saved answer as the form shows it: text, or a list of texts."""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return None if value is None else str(value)


class ItemsForm(forms.Form):
    """The questions of one survey page."""

    def __init__(self, items: tuple[Item, ...], language: str, *args: Any, **kwargs: Any) -> None:
        saved: dict[str, Any] = kwargs.pop("saved", None) or {}
        kwargs["initial"] = {k: _shown(v) for k, v in saved.items()}
        super().__init__(*args, **kwargs)
        self.items = items
        self.language = language
        for item in items:
            self.fields[item.id] = ItemField(item, language)

    def questions(self) -> list[SafeString]:
        return [question_html(self[item.id], item, self.language) for item in self.items]


def _error(bound: BoundField) -> dict[str, Any] | None:
    if not bound.errors:
        return None
    return {"text": " ".join(str(e) for e in bound.errors), "visuallyHiddenText": gettext("Error")}


def question_html(bound: BoundField, item: Item, language: str) -> SafeString:
    """The GOV.UK component for one question, with its hint, error and current answer."""
    scale = item.scale
    label = item.text.in_language(language)
    hint_text = item.hint.in_language(language) if item.hint else ""
    value = bound.value()
    error = _error(bound)
    if scale.type == ScaleType.MULTIPLE_CHOICE and scale.max_selected:
        extra = gettext("Choose up to %(number)s.") % {"number": scale.max_selected}
        hint_text = f"{hint_text} {extra}".strip()
    hint = {"text": hint_text} if hint_text else None
    field = bound.field
    assert isinstance(field, ItemField)
    if scale.type in _RADIO_TYPES or scale.type == ScaleType.MULTIPLE_CHOICE:
        if isinstance(value, list | tuple):
            chosen = {str(v) for v in value}
        else:
            chosen = set() if value in (None, "") else {str(value)}
        multiple = scale.type == ScaleType.MULTIPLE_CHOICE
        return components.render(
            "checkboxes" if multiple else "radios",
            {
                "idPrefix": bound.auto_id,
                "name": bound.html_name,
                "fieldset": {"legend": {"text": label, "classes": "govuk-fieldset__legend--s"}},
                "hint": hint,
                "errorMessage": error,
                "classes": "govuk-radios--small" if not multiple else "govuk-checkboxes--small",
                "items": [
                    {"value": v, "text": text, "checked": v in chosen} for v, text in field.choices
                ],
            },
        )
    shown = "" if value is None else str(value)
    if scale.type == ScaleType.FREE_TEXT:
        return components.render(
            "character-count",
            {
                "id": bound.auto_id,
                "name": bound.html_name,
                "label": {"text": label, "classes": "govuk-label--s"},
                "hint": hint,
                "errorMessage": error,
                "value": shown,
                "maxlength": scale.max_length,
                "rows": 4,
                "textareaDescriptionText": gettext("You can enter up to %{count} characters"),
                "charactersUnderLimitText": {
                    "one": gettext("You have %{count} character remaining"),
                    "other": gettext("You have %{count} characters remaining"),
                },
                "charactersAtLimitText": gettext("You have 0 characters remaining"),
                "charactersOverLimitText": {
                    "one": gettext("You have %{count} character too many"),
                    "other": gettext("You have %{count} characters too many"),
                },
            },
        )
    params: dict[str, Any] = {
        "id": bound.auto_id,
        "name": bound.html_name,
        "label": {"text": label, "classes": "govuk-label--s"},
        "hint": hint,
        "errorMessage": error,
        "value": shown,
        "inputmode": "decimal" if not scale.whole_number else "numeric",
        "spellcheck": False,
        "classes": "govuk-input--width-5",
    }
    if scale.unit is not None:
        params["suffix"] = {"text": scale.unit.in_language(language)}
    return components.render("input", params)


# About you (the baseline's covariates) --------------------------------------------------------

PRIOR_TRAINING = [
    (YES, _("Yes")),
    (NO, _("No")),
    ("not_sure", _("Not sure")),
]


class AboutYouForm(forms.Form):
    sector = forms.ChoiceField(
        label=_("Which sector do you work in?"),
        choices=Sector.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the sectors listed")},
    )
    role = forms.CharField(
        label=_("What is your role or job?"),
        help_text=_("For example, school nurse, neighbourhood officer or youth worker."),
        required=False,
        max_length=200,
        error_messages={"max_length": _("Keep your role to 200 characters or fewer")},
    )
    years_in_role = forms.IntegerField(
        label=_("How many years have you been in this role?"),
        help_text=_("A whole number from 0 to 60. Enter 0 if it is less than a year."),
        required=False,
        min_value=0,
        max_value=60,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "invalid": _("Enter the years as a whole number from 0 to 60"),
            "min_value": _("Enter the years as a whole number from 0 to 60"),
            "max_value": _("Enter the years as a whole number from 0 to 60"),
        },
    )
    prior_training = forms.ChoiceField(
        label=_("Have you had trauma-informed training before?"),
        choices=PRIOR_TRAINING,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose yes, no or not sure")},
    )
    organisation = forms.ChoiceField(
        label=_("Which organisation do you work for?"),
        required=False,
        error_messages={"invalid_choice": _("Choose your organisation from the list")},
    )

    def __init__(self, partnership: Partnership, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.filter(partnership=partnership).order_by("name")
        field = self.fields["organisation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", gettext("Choose your organisation")),
            *[(str(o.pk), o.name) for o in organisations],
            (NOT_LISTED, gettext("My organisation is not listed")),
        ]

    def clean_organisation(self) -> int | str | None:
        value = self.cleaned_data.get("organisation")
        if not value:
            return None
        return NOT_LISTED if value == NOT_LISTED else int(value)


# The anonymous code ----------------------------------------------------------------------------


def _dont_know_name(element_id: str) -> str:
    return f"{element_id}_dont_know"


class CodeForm(forms.Form):
    """The code's questions. Each needs an answer or "I don't know"; a page left wholly empty
    is skipped (no code is kept). ``answers()`` gives what codes.hash_code takes."""

    def __init__(self, language: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.language = language
        questions = code_questions()
        for element in ELEMENTS:
            question = questions.element(element.id)
            self.fields[element.id] = forms.CharField(
                label=question.question.in_language(language),
                help_text=question.hint.in_language(language),
                required=False,
                max_length=40,
                error_messages={"max_length": question.error.in_language(language)},
                widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            )
            self.fields[_dont_know_name(element.id)] = forms.BooleanField(
                label=questions.dont_know.in_language(language), required=False
            )

    def pairs(self) -> list[tuple[BoundField, BoundField]]:
        return [(self[e.id], self[_dont_know_name(e.id)]) for e in ELEMENTS]

    def answers(self) -> dict[str, str | None] | None:
        """Element id to what was typed, or None for "I don't know"; None when nothing at all
        was given."""
        found: dict[str, str | None] = {}
        for element in ELEMENTS:
            if self.cleaned_data.get(_dont_know_name(element.id)):
                found[element.id] = DONT_KNOW
            else:
                found[element.id] = self.cleaned_data.get(element.id) or ""
        if all(v == "" for v in found.values()):
            return None
        return found
