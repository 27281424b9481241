"""The form that records a follow-up's outcome. It parses what was typed; the service checks the
rules (so the API is held to the same ones)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tip.programmes.forms import DayMonthYearField
from tip.training.models_followups import FollowUpStatus

OUTCOME_CHOICES = [
    (FollowUpStatus.COMPLETED.value, _("Completed")),
    (FollowUpStatus.DECLINED.value, _("Declined")),
    (FollowUpStatus.MISSED.value, _("Missed: did not take part, without saying")),
]


class OutcomeForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Did they take part?"),
        choices=OUTCOME_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether they completed it, declined it or missed it"),
            "invalid_choice": _("Choose whether they completed it, declined it or missed it"),
        },
    )
    completed_on = DayMonthYearField(
        label=_("Date completed (only if they completed it)"),
        called=_("The date completed"),
    )
