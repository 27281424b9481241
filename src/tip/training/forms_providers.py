"""Forms for providers, trainers and trainers' answers. They parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tip.training.models_providers import Answer, ProviderKind, TrainerAnswer
from tip.training.trainer_questions import load_questions


def _text(label: Any, required: Any = None, max_length: int = 200) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required is not None,
        error_messages={
            "required": required or "",
            "max_length": _("Use %(limit_value)s characters or fewer"),
        },
    )


class ProviderForm(forms.Form):
    name = _text(_("Name of the provider"), _("Enter the provider's name"))
    kind = forms.ChoiceField(
        label=_("What kind of provider is it?"),
        choices=ProviderKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the kind of provider"),
            "invalid_choice": _("Choose the kind of provider"),
        },
    )
    description = forms.CharField(
        label=_("About the provider (optional)"),
        help_text=_("For example, what they offer and how you commissioned them."),
        widget=forms.Textarea,
        required=False,
    )


class TrainerForm(forms.Form):
    name = _text(_("Trainer's name"), _("Enter the trainer's name"))
    role = _text(_("Role (optional)"))


class TrainerAnswersForm(forms.Form):
    """One answer and its evidence for each question in ``trainer_questions.yaml``."""

    def __init__(self, *args: Any, answers: dict[str, TrainerAnswer], **kw: Any) -> None:
        super().__init__(*args, **kw)
        language = get_language() or "en"
        self.questions = load_questions()
        for q in self.questions:
            found = answers.get(q.code)
            label = q.question(language)
            self.fields[f"{q.code}-answer"] = forms.ChoiceField(
                label=label,
                help_text=q.hint(language),
                choices=Answer.choices,
                widget=forms.RadioSelect,
                initial=found.answer if found else Answer.UNKNOWN,
                error_messages={
                    "required": _("Choose an answer to: %(question)s") % {"question": label},
                    "invalid_choice": _("Choose an answer to: %(question)s") % {"question": label},
                },
            )
            self.fields[f"{q.code}-evidence"] = forms.CharField(
                label=_("What shows it? (optional)"),
                widget=forms.Textarea,
                required=False,
                initial=found.evidence if found else "",
            )

    def pairs(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        """(question, answer field, evidence field), in question order, for the template."""
        return [(q, self[f"{q.code}-answer"], self[f"{q.code}-evidence"]) for q in self.questions]

    def answers(self) -> dict[str, tuple[str, str]]:
        data = self.cleaned_data
        return {
            q.code: (data[f"{q.code}-answer"], data[f"{q.code}-evidence"]) for q in self.questions
        }
