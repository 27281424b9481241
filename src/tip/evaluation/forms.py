"""The forms of the evaluation plan's pages. They only parse what was sent; the services check
it again (and everything a form cannot see), so the API refuses what the pages refuse."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tip.evaluation import selectors
from tip.evaluation.models import EvaluationPlan, Wave, WaveKind
from tip.evaluation.services import MAX_DESCRIPTION, MAX_NOTES, MAX_WAVE_NAME
from tip.programmes.models import Element, Indicator, Programme

YES, NO = "yes", "no"


class PlanForm(forms.Form):
    comparison_group = forms.ChoiceField(
        label=_("Is a matched comparison group planned?"),
        help_text=_(
            "People like those trained who are not trained (or trained later), so that changes "
            "can be compared. It needs to be built in before the programme starts."
        ),
        choices=[(YES, _("Yes")), (NO, _("No"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Say whether a comparison group is planned: yes or no"),
            "invalid_choice": _("Say whether a comparison group is planned: yes or no"),
        },
    )
    comparison_description = forms.CharField(
        label=_("Who the comparison group will be (if planned)"),
        help_text=_("For example, staff in a neighbouring area who are trained a year later."),
        required=False,
        max_length=MAX_DESCRIPTION,
        error_messages={
            "max_length": _("Describe the comparison group in %(limit_value)s characters or fewer")
        },
    )
    notes = forms.CharField(
        label=_("Notes (optional)"),
        required=False,
        widget=forms.Textarea,
        max_length=MAX_NOTES,
        error_messages={"max_length": _("Write the notes in %(limit_value)s characters or fewer")},
    )

    @staticmethod
    def initial_for(plan: EvaluationPlan) -> dict[str, Any]:
        return {
            "comparison_group": YES if plan.comparison_group else NO,
            "comparison_description": plan.comparison_description,
            "notes": plan.notes,
        }

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "comparison_group": data["comparison_group"] == YES,
            "comparison_description": data.get("comparison_description") or "",
            "notes": data.get("notes") or "",
        }


class WaveForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        help_text=_("In your plan's words, such as Six months after."),
        max_length=MAX_WAVE_NAME,
        error_messages={
            "required": _("Enter a name for the wave, such as Six months after"),
            "max_length": _("Name the wave in %(limit_value)s characters or fewer"),
        },
    )
    kind = forms.ChoiceField(
        label=_("Kind of wave"),
        choices=WaveKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether the wave is a baseline, straight after or a follow-up"),
            "invalid_choice": _(
                "Choose whether the wave is a baseline, straight after or a follow-up"
            ),
        },
    )
    offset_days = forms.IntegerField(
        label=_("Days from the session"),
        help_text=_(
            "Negative before the session, 0 on its day, positive after: -7 is a week before, "
            "182 six months after, 365 a year after."
        ),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "class": "govuk-input--width-5", "spellcheck": "false"}
        ),
        error_messages={
            "required": _(
                "Enter the number of days from the session, such as -7 for a week before or 182 "
                "for six months after"
            ),
            "invalid": _(
                "Enter the number of days from the session as a whole number, such as -7 for a "
                "week before or 182 for six months after"
            ),
        },
    )

    @staticmethod
    def initial_for(wave: Wave) -> dict[str, Any]:
        return {"name": wave.name, "kind": wave.kind, "offset_days": wave.offset_days}


class MeasureForm(forms.Form):
    instrument = forms.ChoiceField(
        label=_("Instrument"),
        error_messages={
            "required": _("Choose an instrument from the library"),
            "invalid_choice": _("Choose an instrument from the library"),
        },
    )
    waves = forms.MultipleChoiceField(
        label=_("Waves at which it is used"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one wave at which to use the instrument"),
            "invalid_choice": _("Choose waves of this programme's evaluation plan"),
        },
    )
    outcomes = forms.MultipleChoiceField(
        label=_("Outcomes it measures (optional)"),
        help_text=_("From the programme's Theory of Change."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Choose outcomes of this programme's Theory of Change"),
        },
    )
    indicators = forms.MultipleChoiceField(
        label=_("Indicators it measures (optional)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _(
                "Choose indicators of the outcomes in this programme's Theory of Change"
            ),
        },
    )

    def __init__(self, *args: Any, plan: EvaluationPlan, programme: Programme, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.partnership_id = plan.partnership_id
        self.wave_objects: dict[str, Wave] = {str(w.pk): w for w in selectors.wave_list(plan=plan)}
        self.outcome_objects: dict[str, Element] = {
            str(o.pk): o for o in selectors.outcome_choices(programme=programme)
        }
        self.indicator_objects: dict[str, Indicator] = {
            str(i.pk): i for i in selectors.indicator_choices(programme=programme)
        }
        self.fields["instrument"].choices = [  # type: ignore[attr-defined]
            ("", _("Choose an instrument")),
            *selectors.instrument_choices(plan.partnership_id),
        ]
        self.fields["waves"].choices = [  # type: ignore[attr-defined]
            (pk, f"{w.name} ({selectors.timing(w.offset_days)})")
            for pk, w in self.wave_objects.items()
        ]
        self.fields["outcomes"].choices = [  # type: ignore[attr-defined]
            (pk, o.title) for pk, o in self.outcome_objects.items()
        ]
        self.fields["indicators"].choices = [  # type: ignore[attr-defined]
            (pk, f"{i.outcome.title}: {i.what}") for pk, i in self.indicator_objects.items()
        ]
        if not self.outcome_objects:
            del self.fields["outcomes"]
        if not self.indicator_objects:
            del self.fields["indicators"]

    @staticmethod
    def initial_for(measure: Any) -> dict[str, Any]:
        return {
            "instrument": measure.instrument_id,
            "waves": [str(w.pk) for w in measure.waves.all()],
            "outcomes": [str(o.pk) for o in measure.outcomes.all()],
            "indicators": [str(i.pk) for i in measure.indicators.all()],
        }

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        instrument = data["instrument"]
        version = next(
            (i.version for i in selectors.instruments(self.partnership_id) if i.id == instrument),
            None,
        )
        return {
            "instrument_id": instrument,
            "instrument_version": version,
            "waves": [self.wave_objects[v] for v in data["waves"]],
            "outcomes": [self.outcome_objects[v] for v in data.get("outcomes") or []],
            "indicators": [self.indicator_objects[v] for v in data.get("indicators") or []],
        }
