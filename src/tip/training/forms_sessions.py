"""Forms for venues and sessions. They parse what was typed; the services check the rules (so the
API is held to the same ones)."""

from __future__ import annotations

import copy
import re
from datetime import time
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tip.core.models import Membership, Partnership, Sector
from tip.programmes.forms import DayMonthYearField
from tip.programmes.models import WorkforceGroup
from tip.training.analysis.sessions import to_london
from tip.training.models_clearances import DeliverySetting
from tip.training.models_courses import Course
from tip.training.models_providers import Trainer
from tip.training.models_sessions import Access, Session, SessionFormat, Venue
from tip.training.selectors_bookings import delivery_settings, reconfirm_defaults
from tip.training.selectors_clearances import setting_list
from tip.training.selectors_sessions import course_choices, trainer_choices, venue_list
from tip.training.services_sessions import PartIn


def _number_input() -> forms.TextInput:
    return forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"})


def _text(
    label: Any, max_length: int = 200, hint: Any = "", missing: Any = None
) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        max_length=max_length,
        required=missing is not None,
        error_messages={
            "required": missing or "",
            "max_length": _("Use %(limit_value)s characters or fewer"),
        },
    )


def _access(label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=Access.choices,
        initial=Access.UNKNOWN,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose yes, no or not known"),
            "invalid_choice": _("Choose yes, no or not known"),
        },
    )


class VenueForm(forms.Form):
    name = _text(_("Name of the venue"), missing=_("Enter the venue's name"))
    address = forms.CharField(label=_("Address (optional)"), widget=forms.Textarea, required=False)
    setting = forms.ChoiceField(
        label=_("Setting"),
        help_text=_(
            "The kind of place decides which clearances trainers need there. Choose “No "
            "setting” for a place that needs none."
        ),
        required=False,
        error_messages={"invalid_choice": _("Choose one of the partnership's settings")},
    )
    step_free_access = _access(_("Is there step-free access?"))
    hearing_loop = _access(_("Is there a hearing loop?"))
    quiet_room = _access(_("Is there a quiet room people can use?"))
    parking = _text(
        _("Parking (optional)"), 300, _("For example, free car park behind the building")
    )
    cost = _text(_("Cost (optional)"), hint=_("For example, free, or £120 a day"))
    provided_by = _text(_("Who provides it (optional)"), hint=_("For example, the council"))
    notes = forms.CharField(
        label=_("Other access information (optional)"),
        help_text=_("For example, accessible toilets, lifts, lighting, or public transport"),
        widget=forms.Textarea,
        required=False,
    )

    def __init__(self, *args: Any, partnership: Partnership, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.settings: dict[str, DeliverySetting] = {
            str(s.pk): s for s in setting_list(partnership=partnership)
        }
        self.fields["setting"].choices = [  # type: ignore[attr-defined]
            ("", _("No setting: no clearances needed")),
            *((pk, s.name) for pk, s in self.settings.items()),
        ]

    @staticmethod
    def initial_for(venue: Venue) -> dict[str, Any]:
        return {
            "name": venue.name,
            "address": venue.address,
            "setting": str(venue.setting_id or ""),
            "step_free_access": venue.step_free_access,
            "hearing_loop": venue.hearing_loop,
            "quiet_room": venue.quiet_room,
            "parking": venue.parking,
            "cost": venue.cost,
            "provided_by": venue.provided_by,
            "notes": venue.notes,
        }

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["setting"] = self.settings.get(data.get("setting") or "")
        return data


_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$")


class TimeField(forms.CharField):
    """A time of day typed as 9:30, 09:30, 14:00 or 2pm."""

    def __init__(self, *, label: Any, missing: Any, **kw: Any) -> None:
        super().__init__(
            label=label,
            help_text=_("For example, 9:30 or 14:00"),
            error_messages={"required": missing},
            widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
            **kw,
        )

    def clean(self, value: Any) -> time:
        text = str(super().clean(value)).strip().lower().replace(" ", "")
        match = _TIME.match(text)
        invalid = forms.ValidationError(
            _("Enter the time as hours and minutes, such as 9:30 or 14:00")
        )
        if not match:
            raise invalid
        hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
        if half:
            if not 1 <= hour <= 12:
                raise invalid
            hour = hour % 12 + (12 if half == "pm" else 0)
        if hour > 23 or minute > 59:
            raise invalid
        return time(hour, minute)


class PartForm(forms.Form):
    day = DayMonthYearField(
        label=_("Date"), called=_("The date"), missing=_("Enter the date of the part")
    )
    starts = TimeField(label=_("Start time"), missing=_("Enter the start time"))
    ends = TimeField(label=_("End time"), missing=_("Enter the end time"))

    @staticmethod
    def initial_for(starts_at: Any, ends_at: Any) -> dict[str, Any]:
        s, e = to_london(starts_at), to_london(ends_at)
        return {"day": s.date(), "starts": f"{s:%H:%M}", "ends": f"{e:%H:%M}"}

    def part(self) -> PartIn:
        d = self.cleaned_data
        return PartIn(day=d["day"], starts=d["starts"], ends=d["ends"])


def _optional_int(label: Any, hint: Any = "", minimum: int = 1) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        help_text=hint,
        required=False,
        min_value=minimum,
        widget=_number_input(),
        error_messages={
            "invalid": _("Enter a whole number"),
            "min_value": _("Enter a whole number, %(limit_value)s or more"),
        },
    )


class SessionForm(forms.Form):
    """A session's details; when creating, also its first part (``with_first_part``)."""

    course = forms.ChoiceField(
        label=_("Course"),
        error_messages={
            "required": _("Choose the course"),
            "invalid_choice": _("Choose one of the partnership's courses"),
        },
    )
    version = _optional_int(
        _("Version taught (optional)"),
        _("The number of the course's version. Leave empty to teach its latest version."),
    )
    title = _text(
        _("Title (optional)"),
        hint=_("For example, Foundation day for schools. Empty: the course's name"),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=SessionFormat.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether the session is virtual, in person or hybrid"),
            "invalid_choice": _("Choose whether the session is virtual, in person or hybrid"),
        },
    )
    venue = forms.ChoiceField(
        label=_("Venue (in person and hybrid)"),
        required=False,
        error_messages={"invalid_choice": _("Choose one of the partnership's venues")},
    )
    online_link = forms.CharField(
        label=_("Online joining link (virtual and hybrid)"),
        help_text=_(
            "Only the session's trainers, booked participants and training managers see it"
        ),
        required=False,
        max_length=500,
        widget=forms.URLInput(attrs={"spellcheck": "false"}),
        error_messages={"max_length": _("The link must be 500 characters or fewer")},
    )
    capacity = forms.IntegerField(
        label=_("Places"),
        min_value=1,
        widget=_number_input(),
        error_messages={
            "required": _("Enter the number of places"),
            "invalid": _("Enter the number of places as a whole number"),
            "min_value": _("The number of places must be between 1 and 1000"),
        },
    )
    recommended_group_size = _optional_int(
        _("Recommended group size (virtual and hybrid, optional)"),
        _("The largest group the trainers recommend online, for breakout work and safety"),
    )
    planned_breaks = forms.CharField(
        label=_("Planned breaks (optional)"),
        help_text=_("For example, 10:45 to 11:00 and lunch 12:30 to 13:15. Participants see this"),
        widget=forms.Textarea,
        required=False,
    )
    audience_sectors = forms.MultipleChoiceField(
        label=_("Which sectors is it for? (optional)"),
        help_text=_("Select all that apply."),
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose sectors from the list")},
    )
    audience_groups = forms.MultipleChoiceField(
        label=_("Which groups of staff is it for? (optional)"),
        help_text=_("Select all that apply."),
        choices=WorkforceGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose groups of staff from the list")},
    )
    reconfirm_days = forms.CharField(
        label=_("Ask people to confirm their place, days before (optional)"),
        # The help text names the partnership's usual days (set in __init__).
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )

    def __init__(
        self,
        *args: Any,
        partnership: Partnership,
        with_first_part: bool = False,
        session: Session | None = None,
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        self.courses: dict[str, Course] = {
            str(c.pk): c for c in course_choices(partnership=partnership)
        }
        self.venues: dict[str, Venue] = {str(v.pk): v for v in venue_list(partnership=partnership)}
        usual = reconfirm_defaults(delivery_settings(partnership=partnership))
        self.fields["reconfirm_days"].help_text = _(
            "Numbers of days before the session, such as 7, 2. Leave empty for the partnership's "
            "usual days, from its delivery settings: %(virtual)s for a virtual session, "
            "%(in_person)s for an in-person one, %(hybrid)s for a hybrid one."
        ) % {
            name: ", ".join(str(d) for d in usual[fmt])
            for name, fmt in (
                ("virtual", SessionFormat.VIRTUAL),
                ("in_person", SessionFormat.IN_PERSON),
                ("hybrid", SessionFormat.HYBRID),
            )
        }
        self.fields["course"].choices = [  # type: ignore[attr-defined]
            ("", _("Choose a course")),
            *((pk, c.name) for pk, c in self.courses.items()),
        ]
        self.fields["venue"].choices = [  # type: ignore[attr-defined]
            ("", _("No venue")),
            *((pk, v.name) for pk, v in self.venues.items()),
        ]
        if session is not None:
            # The course stays; the version only while the session is a draft.
            del self.fields["course"]
            if session.status != "draft":
                del self.fields["version"]
        if with_first_part:
            # The first part's date and times come after the title.
            fields = list(self.fields.items())
            at = [name for name, _f in fields].index("format")
            parts = [(name, copy.deepcopy(f)) for name, f in PartForm.base_fields.items()]
            self.fields = dict(fields[:at] + parts + fields[at:])
            self.fields["day"].label = _("Date of the session (its first part)")

    @staticmethod
    def initial_for(session: Session) -> dict[str, Any]:
        return {
            "version": session.course_version.number,
            "title": session.title,
            "format": session.format,
            "venue": str(session.venue_id or ""),
            "online_link": session.online_link,
            "capacity": session.capacity,
            "recommended_group_size": session.recommended_group_size,
            "planned_breaks": session.planned_breaks,
            "audience_sectors": session.audience_sectors,
            "audience_groups": session.audience_groups,
            "reconfirm_days": ", ".join(str(d) for d in session.reconfirm_days),
        }

    def clean_reconfirm_days(self) -> list[int]:
        text = self.cleaned_data.get("reconfirm_days") or ""
        pieces = [p for p in re.split(r"[,\s]+(?:and\s+)?", text.strip()) if p]
        if not all(p.isdigit() for p in pieces):
            raise forms.ValidationError(_("Give the days as whole numbers, such as 7, 2"))
        return [int(p) for p in pieces]

    def values(self) -> dict[str, Any]:
        """The cleaned data as the services take it."""
        data = dict(self.cleaned_data)
        for name in ("day", "starts", "ends"):
            data.pop(name, None)
        if "course" in data:
            data["course"] = self.courses[data["course"]]
        data["version_number"] = data.pop("version", None)
        data["venue"] = self.venues.get(data.get("venue") or "")
        return data

    def first_part(self) -> PartIn:
        d = self.cleaned_data
        return PartIn(day=d["day"], starts=d["starts"], ends=d["ends"])


class TrainerAddForm(forms.Form):
    trainer = forms.ChoiceField(
        label=_("Trainer"),
        error_messages={
            "required": _("Choose a trainer"),
            "invalid_choice": _("Choose one of the partnership's trainers"),
        },
    )

    def __init__(self, *args: Any, partnership: Partnership, exclude: set[int], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.trainers: dict[str, Trainer] = {
            str(t.pk): t for t in trainer_choices(partnership=partnership) if t.pk not in exclude
        }
        self.fields["trainer"].choices = [  # type: ignore[attr-defined]
            ("", _("Choose a trainer")),
            *((pk, f"{t.name} ({t.provider.name})") for pk, t in self.trainers.items()),
        ]

    def chosen_trainer(self) -> Trainer:
        return self.trainers[self.cleaned_data["trainer"]]


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the session cancelled?"),
        help_text=_("People booked on it are told this"),
        widget=forms.Textarea,
        max_length=2000,
        error_messages={
            "required": _("Say why the session is cancelled"),
            "max_length": _("Give the reason in 2,000 characters or fewer"),
        },
    )


class TrainerAccountForm(forms.Form):
    membership = forms.ChoiceField(
        label=_("TIP account"),
        help_text=_(
            "The trainer's own account in the partnership. Linked, they see the sessions they "
            "teach."
        ),
        required=False,
        error_messages={"invalid_choice": _("Choose one of the partnership's members")},
    )

    def __init__(self, *args: Any, members: list[Membership], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.members = {str(m.pk): m for m in members}
        self.fields["membership"].choices = [  # type: ignore[attr-defined]
            ("", _("Not linked")),
            *((pk, f"{m.user.full_name} ({m.user.email})") for pk, m in self.members.items()),
        ]

    def chosen_membership(self) -> Membership | None:
        return self.members.get(self.cleaned_data.get("membership") or "")
