"""The delivery settings form. It parses what was typed (whole numbers, lists of days); the
service checks the ranges, with messages that say what to enter."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tip.training.models_delivery import DeliverySettings
from tip.training.services_delivery import DAY_LISTS, FIELDS


def _number(label: Any, help_text: Any, *, missing: Any, invalid: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={"required": missing, "invalid": invalid},
    )


def _days(label: Any, *, missing: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=_("Numbers of days before the session, such as 7, 2."),
        max_length=40,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
        error_messages={"required": missing},
    )


def parse_days(text: str) -> list[int] | None:
    """ "7, 2", "7 2" or "7 and 2" as [7, 2]; None when a piece is not a whole number."""
    pieces = [p for p in re.split(r"[,\s]+(?:and\s+)?", (text or "").strip()) if p]
    if not all(p.isdigit() for p in pieces):
        return None
    return [int(p) for p in pieces]


class DeliverySettingsForm(forms.Form):
    offer_hours = _number(
        _("Hours to accept an offered place"),
        _(
            "When a place comes free, the next person on the waiting list has this long to "
            "accept it (never past the session's start). Between 1 and 336 hours (14 days)."
        ),
        missing=_("Enter the hours to accept an offered place, for example 48"),
        invalid=_("Enter the hours to accept an offered place as a whole number, for example 48"),
    )
    reconfirm_days_virtual = _days(
        _("Ask people to confirm their place on a virtual session, days before"),
        missing=_("Enter the days before a virtual session to ask people to confirm, such as 7, 2"),
    )
    reconfirm_days_in_person = _days(
        _("Ask people to confirm their place on an in-person session, days before"),
        missing=_("Enter the days before an in-person session to ask people to confirm, such as 7"),
    )
    reconfirm_days_hybrid = _days(
        _("Ask people to confirm their place on a hybrid session, days before"),
        missing=_("Enter the days before a hybrid session to ask people to confirm, such as 7"),
    )
    check_in_retention_days = _number(
        _("Days to keep check-in requests after the session"),
        _(
            "A participant's private request for a trainer to check in with them is deleted "
            "this many days after the session's last day. Between 1 and 90."
        ),
        missing=_("Enter the days to keep check-in requests, for example 7"),
        invalid=_("Enter the days to keep check-in requests as a whole number, for example 7"),
    )
    follow_up_reminder_days = _number(
        _("Days before a follow-up is due to remind people"),
        _(
            "People invited to a follow-up activity are reminded this many days before it is "
            "due. Between 0 and 90; 0 sends no reminder."
        ),
        missing=_("Enter the days before a follow-up to remind people, for example 7, or 0"),
        invalid=_(
            "Enter the days before a follow-up to remind people as a whole number, for example 7"
        ),
    )
    observation_due_days = _number(
        _("Days after certification a cascade trainer's observation is due"),
        _("Their first quality-assurance observation is due this many days after certification."),
        missing=_("Enter the days after certification an observation is due, for example 90"),
        invalid=_(
            "Enter the days after certification an observation is due as a whole number, for "
            "example 90"
        ),
    )
    certification_lapses_days = _number(
        _("Days after the last observation a certification lapses"),
        _(
            "A cascade trainer's certification lapses this many days after the later of their "
            "certification and their last observation. It must be more than the days for the "
            "observation."
        ),
        missing=_("Enter the days after which a certification lapses, for example 365"),
        invalid=_(
            "Enter the days after which a certification lapses as a whole number, for example 365"
        ),
    )

    @staticmethod
    def initial_for(settings: DeliverySettings) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(settings, name) for name in FIELDS}
        for name in DAY_LISTS:
            initial[name] = ", ".join(str(d) for d in getattr(settings, name))
        return initial

    def _clean_days(self, name: str) -> list[int]:
        days = parse_days(self.cleaned_data.get(name) or "")
        if days is None:
            raise forms.ValidationError(_("Give the days as whole numbers, such as 7, 2"))
        return days

    def clean_reconfirm_days_virtual(self) -> list[int]:
        return self._clean_days("reconfirm_days_virtual")

    def clean_reconfirm_days_in_person(self) -> list[int]:
        return self._clean_days("reconfirm_days_in_person")

    def clean_reconfirm_days_hybrid(self) -> list[int]:
        return self._clean_days("reconfirm_days_hybrid")
