"""The observation form, built from the observation instrument's data in the reader's language:
ratings as radios with what each rating looks like (the item's anchors) as hints, choices as
radios, numbers as text boxes, notes as text areas. Each answer is checked with the instrument's
own rules (scoring.clean_answer) here and again by the service."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tip.core import components
from tip.core.templatetags.tip import field as render_field
from tip.evaluation.analysis.instrument_model import Instrument, Item, ScaleType
from tip.evaluation.models import EvaluationPlan, Observation
from tip.evaluation.services_observations import (
    MAX_NOTES,
    MAX_TEAM,
    answer_field,
    clean_observation_answers,
    observation_instrument,
    organisation_choices,
    session_choices,
)
from tip.programmes.forms import DayMonthYearField

ITEM_PREFIX = "item_"


def item_field_name(item_id: str) -> str:
    return f"{ITEM_PREFIX}{item_id}"


def _language() -> str:
    return get_language() or "en"


@dataclass
class SectionBlock:
    title: str
    intro: str
    items: list[SafeString] = field(default_factory=list)


class ObservationForm(forms.Form):
    session = forms.TypedChoiceField(
        label=_("Session observed"),
        help_text=_(
            "A session of the programme's courses. Leave empty to choose an organisation or team."
        ),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose a session of this programme's courses")},
    )
    organisation = forms.TypedChoiceField(
        label=_("Organisation observed"),
        help_text=_("An organisation of the partnership, when you observed practice there."),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose an organisation of the partnership")},
    )
    team = forms.CharField(
        label=_("Team observed (optional)"),
        help_text=_("The team's name, such as Children's services duty team."),
        required=False,
        max_length=MAX_TEAM,
        error_messages={"max_length": _("Name the team in %(limit_value)s characters or fewer")},
    )
    observed_on = DayMonthYearField(
        label=_("Date observed"),
        called=_("The date observed"),
        missing=_("Enter the date you observed, for example 27 3 2026"),
    )

    def __init__(
        self, data: Any = None, *, plan: EvaluationPlan, initial: dict[str, Any] | None = None
    ) -> None:
        super().__init__(data, initial=initial)
        self.plan = plan
        self.instrument: Instrument = observation_instrument()
        self.sessions = {s.pk: s for s in session_choices(plan=plan)}
        self.organisations = {o.pk: o for o in organisation_choices(plan=plan)}
        blank = [("", _("None"))]
        self.fields["session"].choices = blank + [  # type: ignore[attr-defined]
            (s.pk, f"{s} ({s.course})" if s.title else str(s)) for s in self.sessions.values()
        ]
        self.fields["organisation"].choices = blank + [  # type: ignore[attr-defined]
            (o.pk, o.name) for o in self.organisations.values()
        ]
        language = _language()
        for item in self.instrument.items:
            self.fields[item_field_name(item.id)] = _item_field(item, language)
        self.fields["notes"] = forms.CharField(
            label=_("Other notes (optional)"),
            help_text=_("Describe practice, not people. Removed on the plan's retention schedule."),
            required=False,
            widget=forms.Textarea,
            max_length=MAX_NOTES,
            error_messages={
                "max_length": _("Write the notes in %(limit_value)s characters or fewer")
            },
        )

    @staticmethod
    def initial_for(observation: Observation) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "session": observation.session_id,
            "organisation": observation.organisation_id,
            "team": observation.team,
            "observed_on": observation.observed_on,
            "notes": observation.notes,
        }
        for item_id, value in (observation.answers or {}).items():
            initial[item_field_name(item_id)] = value
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        raw = {item.id: data.get(item_field_name(item.id)) for item in self.instrument.items}
        errors: dict[str, str] = {}
        self.answers = clean_observation_answers(self.instrument, raw, errors)
        for item in self.instrument.items:
            message = errors.get(answer_field(item.id))
            if message and item_field_name(item.id) not in self.errors:
                self.add_error(item_field_name(item.id), message)
        return data

    def renames(self) -> dict[str, str]:
        """The service's names for refused values mapped to this form's fields."""
        return {answer_field(i.id): item_field_name(i.id) for i in self.instrument.items}

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "session": self.sessions.get(data["session"]) if data.get("session") else None,
            "organisation": (
                self.organisations.get(data["organisation"]) if data.get("organisation") else None
            ),
            "team": data.get("team") or "",
            "observed_on": data.get("observed_on"),
            "answers": self.answers,
            "notes": data.get("notes") or "",
        }

    def target_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("session", "organisation", "team", "observed_on")]

    def sections(self) -> list[SectionBlock]:
        """The instrument's sections, each with its items rendered as GOV.UK components."""
        language = _language()
        blocks: dict[str | None, SectionBlock] = {
            s.id: SectionBlock(
                s.title.in_language(language), s.intro.in_language(language) if s.intro else ""
            )
            for s in self.instrument.sections
        }
        for item in self.instrument.items:
            block = blocks.setdefault(item.section, SectionBlock("", ""))
            block.items.append(self._render_item(item, language))
        return [b for b in blocks.values() if b.items]

    def _render_item(self, item: Item, language: str) -> SafeString:
        bound = self[item_field_name(item.id)]
        if not item.anchors:
            return render_field(bound)
        anchors = {a.value: a.text.in_language(language) for a in item.anchors}
        value = bound.value()
        selected = "" if value is None else str(value)
        choices: list[tuple[Any, Any]] = list(bound.field.choices)  # type: ignore[attr-defined]
        radio_items = []
        for choice, label in choices:
            entry: dict[str, Any] = {
                "value": str(choice),
                "text": str(label),
                "checked": str(choice) == selected,
            }
            anchor = anchors.get(int(choice)) if str(choice).isdigit() else None
            if anchor:
                entry["hint"] = {"text": anchor}
            radio_items.append(entry)
        params: dict[str, Any] = {
            "idPrefix": bound.auto_id,
            "name": bound.html_name,
            "fieldset": {
                "legend": {"text": str(bound.label), "classes": "govuk-fieldset__legend--s"}
            },
            "hint": {"text": str(bound.help_text)} if bound.help_text else None,
            "errorMessage": (
                {"text": " ".join(str(e) for e in bound.errors), "visuallyHiddenText": _("Error")}
                if bound.errors
                else None
            ),
            "items": radio_items,
        }
        return components.render("radios", params)


class _AnswerChoice(forms.ChoiceField):
    """Radios whose value the instrument's rules check (clean_answer), with its own words."""

    def valid_value(self, value: Any) -> bool:
        return True


class _AnswerChoices(forms.MultipleChoiceField):
    def valid_value(self, value: Any) -> bool:
        return True


def _item_field(item: Item, language: str) -> forms.Field:
    scale = item.scale
    label = item.text.in_language(language)
    hint = item.hint.in_language(language) if item.hint else ""
    common: dict[str, Any] = {"label": label, "help_text": hint, "required": False}
    not_applicable = (
        [("not_applicable", scale.not_applicable.in_language(language))]
        if scale.not_applicable
        else []
    )
    if scale.type == ScaleType.LIKERT:
        choices = [(str(p.value), p.label.in_language(language)) for p in scale.points]
        return _AnswerChoice(choices=choices + not_applicable, widget=forms.RadioSelect, **common)
    if scale.type in (ScaleType.SINGLE_CHOICE, ScaleType.MULTIPLE_CHOICE):
        options = [(o.value, o.label.in_language(language)) for o in scale.options]
        if scale.type == ScaleType.MULTIPLE_CHOICE:
            return _AnswerChoices(choices=options, widget=forms.CheckboxSelectMultiple, **common)
        return _AnswerChoice(choices=options + not_applicable, widget=forms.RadioSelect, **common)
    if scale.type == ScaleType.TRUE_FALSE:
        labels = [
            ("true", scale.true_label),
            ("false", scale.false_label),
            ("dont_know", scale.dont_know_label),
        ]
        return _AnswerChoice(
            choices=[(v, t.in_language(language) if t else v) for v, t in labels],
            widget=forms.RadioSelect,
            **common,
        )
    if scale.type == ScaleType.NUMERIC:
        if scale.unit and not hint:
            common["help_text"] = scale.unit.in_language(language)
        return forms.CharField(
            widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
            **common,
        )
    # free text: the length is checked by clean_answer, with the instrument's own limit
    return forms.CharField(widget=forms.Textarea, strip=False, **common)
