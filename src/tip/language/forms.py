"""The language checker's forms. They only parse what was sent; the services check it again
(services.py), so nothing the forms miss is saved."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tip.core.extensions import TEXT_HINTS_OFF
from tip.core.widgets import HintedRadios, LanguageRadios
from tip.language import selectors
from tip.language.models import (
    PHRASE_LENGTH,
    RULE_ID_LENGTH,
    AppliesTo,
    Category,
    Language,
    PartnershipRule,
    Severity,
)
from tip.language.services import MAX_REASON, MAX_SOURCE, MAX_TEXT

AUDIENCE_CHOICES = [
    ("all", _("Anyone, or I am not sure")),
    ("children", _("A child or young person")),
    ("adults", _("An adult")),
]


class CheckForm(forms.Form):
    text = forms.CharField(
        label=_("Text to check"),
        help_text=_(
            "Paste a case note, a referral or any text. It is checked and shown back to you, "
            "never saved."
        ),
        max_length=MAX_TEXT,
        strip=False,
        widget=forms.Textarea(attrs={"spellcheck": "true"}),
        error_messages={
            "required": _("Enter or paste the text to check"),
            "max_length": _(
                "The text is too long: check %(limit_value)s characters or fewer at a time "
                "(it has %(show_value)s)"
            ),
        },
    )
    language = forms.ChoiceField(
        label=_("Language of the text"),
        choices=Language.choices,
        widget=LanguageRadios,
        error_messages={"required": _("Choose the language of the text")},
    )
    audience = forms.ChoiceField(
        label=_("Who is it about?"),
        help_text=_("Some wording matters only when it is about a child, or an adult."),
        choices=AUDIENCE_CHOICES,
        initial="all",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who the text is about")},
    )

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"]
        if not text.strip():
            raise forms.ValidationError(_("Enter or paste the text to check"))
        return text


def _join(items: Any) -> str:
    return "\n".join(items or [])


class RuleForm(forms.Form):
    rule_id = forms.CharField(
        label=_("Rule id"),
        help_text=_(
            "Lower-case words joined by hyphens, like “case-closed”. With the id of one of "
            "TIP's rules, your rule replaces it."
        ),
        max_length=RULE_ID_LENGTH,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        error_messages={
            "required": _("Enter an id for the rule, like “case-closed”"),
            "max_length": _("Use %(limit_value)s characters or fewer for the id"),
        },
    )
    language = forms.ChoiceField(
        label=_("Language of the text it checks"),
        choices=Language.choices,
        widget=LanguageRadios,
        error_messages={"required": _("Choose the language of the text the rule checks")},
    )
    phrases = forms.CharField(
        label=_("Phrases to find"),
        help_text=_(
            "One on each line. Write the base form of each word (“refuse”, not “refused”): every "
            "form is found. “*” allows up to 2 other words, “word?” an optional word, “a|b” "
            "either word, “=word” this form only."
        ),
        widget=forms.Textarea(attrs={"spellcheck": "false", TEXT_HINTS_OFF: "true"}),
        error_messages={"required": _("Enter at least one phrase to find, one on each line")},
    )
    exceptions = forms.CharField(
        label=_("Harmless uses (optional)"),
        help_text=_("One on each line: the same words where they do no harm, like “refuse bail”."),
        required=False,
        widget=forms.Textarea(attrs={"spellcheck": "false", TEXT_HINTS_OFF: "true"}),
    )
    category = forms.ChoiceField(
        label=_("Kind of wording"),
        choices=Category.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind of wording the rule finds")},
    )
    applies_to = forms.ChoiceField(
        label=_("Who it is about"),
        choices=AppliesTo.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who the rule is about")},
    )
    severity = forms.ChoiceField(
        label=_("How strongly to flag it"),
        choices=Severity.choices,
        widget=HintedRadios(
            hints={
                Severity.SUGGESTION: _("Worth thinking about."),
                Severity.WARNING: _("Usually better written another way."),
                Severity.ERROR: _("Harmful: always write it another way."),
            }
        ),
        error_messages={"required": _("Choose how strongly to flag the wording")},
    )
    explanation = forms.CharField(
        label=_("Why it matters"),
        help_text=_(
            "In plain words: how this wording can harm, and what the reader needs instead."
        ),
        # A rule describes harmful wording on purpose: no hints on its own words.
        widget=forms.Textarea(attrs={TEXT_HINTS_OFF: "true"}),
        error_messages={"required": _("Say why this wording can harm, in a sentence or two")},
    )
    suggestions = forms.CharField(
        label=_("What to write instead"),
        help_text=_(
            "One on each line, the best first. Put what only the writer knows in square "
            "brackets, like “felt unable to accept support because [say what got in the way]”."
        ),
        widget=forms.Textarea(attrs={TEXT_HINTS_OFF: "true"}),
        error_messages={
            "required": _("Enter at least one thing to write instead, one on each line")
        },
    )
    source = forms.CharField(
        label=_("Source (optional)"),
        help_text=_("The guidance the rule follows, like your partnership's language guide."),
        required=False,
        max_length=MAX_SOURCE,
    )

    @staticmethod
    def initial_for(rule: PartnershipRule) -> dict[str, Any]:
        return {
            "rule_id": rule.rule_id,
            "language": rule.language,
            "phrases": _join(rule.phrases),
            "exceptions": _join(rule.exceptions),
            "category": rule.category,
            "applies_to": rule.applies_to,
            "severity": rule.severity,
            "explanation": rule.explanation,
            "suggestions": _join(rule.suggestions),
            "source": rule.source,
        }


class SilenceForm(forms.Form):
    rule_id = forms.ChoiceField(
        label=_("TIP rule"),
        error_messages={
            "required": _("Choose one of TIP's rules"),
            "invalid_choice": _("Choose one of TIP's rules"),
        },
    )
    reason = forms.CharField(
        label=_("Why the partnership does not want it"),
        help_text=_("Everyone who can change the settings sees this reason."),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Say why the partnership does not want this rule"),
            "max_length": _("Say why in %(limit_value)s characters or fewer"),
        },
    )

    def __init__(self, *args: Any, language: str, silenced: set[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["rule_id"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Choose a rule"))] + [
            (rule.id, f"{rule.id}: {rule.phrases[0]}")
            for rule in selectors.shipped_rules(language)
            if rule.id not in silenced
        ]


class AllowForm(forms.Form):
    phrase = forms.CharField(
        label=_("Words never to flag"),
        help_text=_(
            "Written as a rule's phrase: “respite care”, or “Hope House” for a place's name. "
            "Words this phrase matches are never flagged in the partnership."
        ),
        max_length=PHRASE_LENGTH,
        error_messages={
            "required": _("Enter the words never to flag"),
            "max_length": _("Enter %(limit_value)s characters or fewer"),
        },
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=Language.choices,
        widget=LanguageRadios,
        error_messages={"required": _("Choose the language of the phrase")},
    )
