"""Forms for the cascade: a certification, a quality-assurance observation, and an
acknowledgement recorded on a trainer's behalf. They parse input into the partnership's own
records (the choices offered); the services decide, with messages that name the problem."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from tip.programmes.forms import DayMonthYearField
from tip.training.models_courses import CourseVersion
from tip.training.models_delivery import AcknowledgementMeans
from tip.training.models_providers import Trainer
from tip.training.models_sessions import Session
from tip.training.qa_criteria import RATINGS, QaCriteria


def _session_label(session: Session) -> str:
    start = getattr(session, "first_start", None)
    when = formats.date_format(timezone.localtime(start), "j F Y") if start else ""
    name = session.title or session.course.name
    return f"{name}, {when}" if when else name


def _trainer_label(trainer: Trainer) -> str:
    return f"{trainer.name} ({trainer.provider.name})"


class CertificationForm(forms.Form):
    trainer = forms.ChoiceField(
        label=_("Trainer"),
        error_messages={
            "required": _("Choose the trainer who is certified"),
            "invalid_choice": _("Choose the trainer who is certified"),
        },
    )
    course_version = forms.ChoiceField(
        label=_("Which version of the course are they certified to deliver?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the version of the course"),
            "invalid_choice": _("Choose the version of the course"),
        },
    )
    certified_on = DayMonthYearField(
        label=_("Date certified"),
        called=_("The date certified"),
        missing=_("Enter the date certified"),
    )
    certified_by = forms.ChoiceField(
        label=_("Trained by (optional)"),
        required=False,
        help_text=_(
            "The trainer who trained them, if they are in TIP. They must be certified on this "
            "course by the same date."
        ),
        error_messages={"invalid_choice": _("Choose a trainer from the list")},
    )
    session = forms.ChoiceField(
        label=_("At which session? (optional)"),
        required=False,
        help_text=_("A session of this course or of a train-the-trainer course."),
        error_messages={"invalid_choice": _("Choose a session from the list")},
    )

    def __init__(
        self,
        *args: Any,
        trainers: list[Trainer],
        versions: list[CourseVersion],
        sessions: list[Session],
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        self.trainers = {str(t.pk): t for t in trainers}
        self.versions = {str(v.pk): v for v in versions}
        self.sessions = {str(s.pk): s for s in sessions}
        people = [(k, _trainer_label(t)) for k, t in self.trainers.items()]
        self.fields["trainer"].choices = [("", _("Choose a trainer")), *people]  # type: ignore[attr-defined]
        self.fields["certified_by"].choices = [("", _("Not recorded")), *people]  # type: ignore[attr-defined]
        self.fields["course_version"].choices = [  # type: ignore[attr-defined]
            (k, _("Version %(number)d") % {"number": v.number}) for k, v in self.versions.items()
        ]
        self.fields["session"].choices = [  # type: ignore[attr-defined]
            ("", _("Not recorded")),
            *((k, _session_label(s)) for k, s in self.sessions.items()),
        ]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "trainer": self.trainers[data["trainer"]],
            "course_version": self.versions[data["course_version"]],
            "certified_on": data["certified_on"],
            "certified_by": self.trainers.get(data.get("certified_by") or ""),
            "session": self.sessions.get(data.get("session") or ""),
        }


def rating_field_name(code: str) -> str:
    return f"rating_{code}"


class ObservationForm(forms.Form):
    observed_on = DayMonthYearField(
        label=_("Date observed"),
        called=_("The date observed"),
        missing=_("Enter the date observed"),
    )
    observer = forms.CharField(
        label=_("Who observed"),
        help_text=_("Their name and role, for example Dr Amara Okafor, lead trainer."),
        max_length=200,
        error_messages={
            "required": _("Enter who observed"),
            "max_length": _("Use %(limit_value)s characters or fewer"),
        },
    )
    session = forms.ChoiceField(
        label=_("Which session was observed? (optional)"),
        required=False,
        error_messages={"invalid_choice": _("Choose a session from the list")},
    )
    notes = forms.CharField(
        label=_("Notes (optional)"),
        help_text=_("What went well, and what to work on. The trainer may see these notes."),
        required=False,
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"max_length": _("Use %(limit_value)s characters or fewer")},
    )

    def __init__(
        self,
        *args: Any,
        criteria: QaCriteria,
        language: str,
        sessions: list[Session],
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        self.criteria = criteria
        self.sessions = {str(s.pk): s for s in sessions}
        self.fields["session"].choices = [  # type: ignore[attr-defined]
            ("", _("Not recorded")),
            *((k, _session_label(s)) for k, s in self.sessions.items()),
        ]
        for criterion in criteria.criteria:
            title = criterion.title(language)
            missing = _("Rate “%(criterion)s” from 1 to 4") % {"criterion": title}
            self.fields[rating_field_name(criterion.code)] = forms.ChoiceField(
                label=title,
                help_text=criterion.question(language),
                widget=forms.RadioSelect,
                choices=[(str(r), f"{r}: {criteria.label(r, language)}") for r in RATINGS],
                error_messages={"required": missing, "invalid_choice": missing},
            )
        # The ratings come before the notes, as an observer fills them in.
        order = ["observed_on", "observer", "session"]
        order += [rating_field_name(c.code) for c in criteria.criteria] + ["notes"]
        self.order_fields(order)

    def rating_fields(self) -> list[tuple[Any, Any]]:
        """(bound field, criterion) for each criterion, for the template."""
        return [(self[rating_field_name(c.code)], c) for c in self.criteria.criteria]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "observed_on": data["observed_on"],
            "observer": data["observer"],
            "session": self.sessions.get(data.get("session") or ""),
            "notes": data.get("notes") or "",
            "ratings": {c.code: data[rating_field_name(c.code)] for c in self.criteria.criteria},
        }


CHOOSE_MEANS = _("Choose how they were told: by email, by phone, in person or another way")


class AcknowledgementRecordForm(forms.Form):
    """For a trainer without a TIP account: how they were told of the new version, and when they
    acknowledged it."""

    recorded_means = forms.ChoiceField(
        label=_("How were they told?"),
        choices=AcknowledgementMeans.choices,
        widget=forms.RadioSelect,
        error_messages={"required": CHOOSE_MEANS, "invalid_choice": CHOOSE_MEANS},
    )
    recorded_on = DayMonthYearField(
        label=_("Date they were told and acknowledged"),
        called=_("The date they were told and acknowledged"),
        missing=_("Enter the date they were told and acknowledged"),
    )

    def values(self) -> dict[str, Any]:
        return {
            "means": self.cleaned_data["recorded_means"],
            "told_on": self.cleaned_data["recorded_on"],
        }
