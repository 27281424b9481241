"""The planning questions form, built from the questions in data/readiness.yaml."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tip.programmes.readiness import language
from tip.programmes.readiness_rules import NUMBER, YES_NO, Question, load_rules

NOT_DECIDED = "not_decided"


def details_name(question_id: str) -> str:
    return f"{question_id}__details"


class NumberAnswerField(forms.CharField):
    """A number typed in a text box (GOV.UK advises against type=number), for example 7.5."""

    def __init__(self, *, question: Question, **kw: Any) -> None:
        self.question = question
        attrs = {
            "inputmode": "numeric" if question.whole_number else "decimal",
            "spellcheck": "false",
        }
        super().__init__(required=False, widget=forms.TextInput(attrs=attrs), **kw)

    def clean(self, value: Any) -> float | None:
        text = str(super().clean(value) or "").strip().replace(",", ".")
        if not text:
            return None
        try:
            number = float(text)
        except ValueError:
            example = "6" if self.question.whole_number else _("6 or 7.5")
            raise forms.ValidationError(
                _("“%(question)s”: enter a number, for example %(example)s")
                % {"question": self.question.label(language()), "example": example}
            ) from None
        return number


class ReadinessPlanForm(forms.Form):
    def __init__(self, *args: Any, initial_answers: dict[str, Any], **kw: Any) -> None:
        initial: dict[str, Any] = {}
        for qid, stored in initial_answers.items():
            if not isinstance(stored, dict):
                continue
            answer = stored.get("answer")
            initial[qid] = NOT_DECIDED if answer is None else answer
            initial[details_name(qid)] = stored.get("details", "")
        super().__init__(*args, **kw)
        self.initial = initial
        lang = language()
        self.questions = load_rules().questions
        for question in self.questions:
            hint = question.hint(lang)
            if question.type == YES_NO:
                self.fields[question.id] = forms.ChoiceField(
                    label=question.label(lang),
                    help_text=hint,
                    required=False,
                    choices=[
                        ("yes", _("Yes")),
                        ("no", _("No")),
                        (NOT_DECIDED, _("Not decided yet")),
                    ],
                    widget=forms.RadioSelect,
                    error_messages={"invalid_choice": _("Choose yes, no or not decided yet")},
                )
                self.fields[details_name(question.id)] = forms.CharField(
                    label=gettext_lazy("Details (optional)"),
                    required=False,
                    widget=forms.Textarea,
                )
            elif question.type == NUMBER:
                unit = question.unit(lang)
                label = f"{question.label(lang)} ({unit})" if unit else question.label(lang)
                self.fields[question.id] = NumberAnswerField(
                    question=question, label=label, help_text=hint
                )

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField | None]]:
        """Each question's field with its details field (yes or no questions only)."""
        rows = []
        for question in self.questions:
            details = (
                self[details_name(question.id)]
                if details_name(question.id) in self.fields
                else None
            )
            rows.append((self[question.id], details))
        return rows

    def answers(self) -> dict[str, dict[str, Any]]:
        """The cleaned answers in the service's shape."""
        result: dict[str, dict[str, Any]] = {}
        for question in self.questions:
            value = self.cleaned_data.get(question.id)
            if value == NOT_DECIDED or value == "":
                value = None
            entry: dict[str, Any] = {"answer": value}
            if question.type == YES_NO:
                entry["details"] = self.cleaned_data.get(details_name(question.id), "")
            result[question.id] = entry
        return result
