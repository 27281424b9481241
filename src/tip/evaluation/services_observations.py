"""Observations of practice or of a session, recorded with the observation form (tip-observation)
against one of the programme's sessions, an organisation of the partnership, or a team.

Every value is checked before anything is saved; a refusal names each field (a
``ValidationError`` with a message per field: ``session``, ``observed_on``, ``notes``, or
``answers.<item id>`` for an answer), so the pages and the API refuse the same things with the
same words. Each change is one transaction and is written to the audit log. The observer is the
person signed in."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from tip.core.models import AuditAction, Organisation, Partnership, User
from tip.evaluation.analysis.instrument_model import Instrument, ScaleType
from tip.evaluation.analysis.scoring import AnswerError, AnswerValue, clean_answer
from tip.evaluation.auditing import record_change as _audit
from tip.evaluation.instrument_library import shipped_instrument
from tip.evaluation.models import EvaluationPlan, Observation
from tip.training.models_sessions import Session

OBSERVATION_INSTRUMENT = "tip-observation"
MAX_TEAM = 200
MAX_NOTES = 5000
FIELDS = (
    "session",
    "organisation",
    "team",
    "observed_on",
    "instrument_id",
    "instrument_version",
    "answers",
    "notes",
)


def answer_field(item_id: str) -> str:
    """The name a refusal gives an answer: ``answers.safety``."""
    return f"answers.{item_id}"


def observation_instrument() -> Instrument:
    """The form observations are recorded with."""
    return shipped_instrument(OBSERVATION_INSTRUMENT)


def free_text_items(instrument: Instrument) -> frozenset[str]:
    return frozenset(i.id for i in instrument.items if i.scale.type == ScaleType.FREE_TEXT)


# Reading ----------------------------------------------------------------------------------------


def session_choices(*, plan: EvaluationPlan) -> QuerySet[Session]:
    """The sessions of the programme's courses, the newest first."""
    qs: QuerySet[Session] = (
        Session.objects.filter(
            partnership_id=plan.partnership_id, course__programme_id=plan.programme_id
        )
        .select_related("course")
        .order_by("-pk")
    )
    return qs


def organisation_choices(*, plan: EvaluationPlan) -> QuerySet[Organisation]:
    qs: QuerySet[Organisation] = Organisation.objects.filter(
        partnership_id=plan.partnership_id
    ).order_by("name", "pk")
    return qs


def observation_list(*, plan: EvaluationPlan) -> QuerySet[Observation]:
    qs: QuerySet[Observation] = (
        Observation.objects.filter(plan=plan, partnership_id=plan.partnership_id)
        .select_related("session__course", "organisation", "observer")
        .order_by("-observed_on", "-pk")
    )
    return qs


def observation_get(*, partnership: Partnership, observation_id: int) -> Observation:
    """The partnership's observation, or 404 (another partnership's id too)."""
    found: Observation = get_object_or_404(
        Observation.objects.for_partnership(partnership).select_related(
            "plan__programme", "session__course", "organisation", "observer"
        ),
        pk=observation_id,
    )
    return found


def observed(observation: Observation) -> str:
    """What was observed, in words: the session, the organisation and team, or the team."""
    if observation.session_id is not None and observation.session is not None:
        return _("Session: %(session)s") % {"session": observation.session}
    parts = []
    if observation.organisation is not None:
        parts.append(str(observation.organisation))
    if observation.team:
        parts.append(_("team %(team)s") % {"team": observation.team})
    return ", ".join(parts) or _("Not recorded (removed since)")


# Checking ---------------------------------------------------------------------------------------


def clean_observation_answers(
    instrument: Instrument, answers: Mapping[str, object], errors: dict[str, str]
) -> dict[str, AnswerValue]:
    """The answers in their stored form; each problem added to ``errors`` by answer field."""
    known = set(instrument.item_ids)
    for item_id in answers:
        if item_id not in known:
            errors[answer_field(str(item_id))] = _(
                "There is no question “%(item)s” in this instrument."
            ) % {"item": item_id}
    cleaned: dict[str, AnswerValue] = {}
    for item in instrument.items:
        try:
            value = clean_answer(item, answers.get(item.id), translate=_)
        except AnswerError as exc:
            errors[answer_field(item.id)] = exc.message
            continue
        if value is None:
            if item.required:
                errors[answer_field(item.id)] = _("Answer this question.")
            continue
        cleaned[item.id] = list(value) if isinstance(value, tuple) else value  # type: ignore[assignment]
    return cleaned


def _clean(
    *,
    plan: EvaluationPlan,
    session: Session | None,
    organisation: Organisation | None,
    team: Any,
    observed_on: Any,
    answers: Any,
    notes: Any,
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    team_text = str(team or "").strip()
    notes_text = str(notes or "").strip()
    if session is not None and (
        session.partnership_id != plan.partnership_id
        or session.course.programme_id != plan.programme_id
    ):
        errors["session"] = _("Choose a session of this programme's courses")
    if organisation is not None and organisation.partnership_id != plan.partnership_id:
        errors["organisation"] = _("Choose an organisation of the partnership")
    if session is None and organisation is None and not team_text:
        errors["session"] = _(
            "Say what you observed: a session, or an organisation or team (or both)"
        )
    elif session is not None and (organisation is not None or team_text):
        errors["session"] = _(
            "Choose a session, or an organisation or team, not both: record one observation each"
        )
    if len(team_text) > MAX_TEAM:
        errors["team"] = _("Name the team in %(max)s characters or fewer") % {"max": MAX_TEAM}
    if not isinstance(observed_on, datetime.date):
        errors["observed_on"] = _("Enter the date you observed, for example 27 3 2026")
    elif observed_on > timezone.localdate():
        errors["observed_on"] = _("The date observed must be today or in the past")
    if len(notes_text) > MAX_NOTES:
        errors["notes"] = _("Write the notes in %(max)s characters or fewer") % {"max": MAX_NOTES}
    instrument = observation_instrument()
    if not isinstance(answers, Mapping):
        errors["answers"] = _("Send the answers as an object of question id to answer")
        cleaned: dict[str, AnswerValue] = {}
    else:
        cleaned = clean_observation_answers(instrument, answers, errors)
    if errors:
        raise ValidationError(errors)
    return {
        "session": session,
        "organisation": organisation,
        "team": team_text,
        "observed_on": observed_on,
        "instrument_id": instrument.id,
        "instrument_version": instrument.version,
        "answers": cleaned,
        "notes": notes_text,
    }


# Changing ---------------------------------------------------------------------------------------


@transaction.atomic
def observation_create(
    *,
    plan: EvaluationPlan,
    by: User,
    observed_on: Any,
    answers: Any,
    session: Session | None = None,
    organisation: Organisation | None = None,
    team: Any = "",
    notes: Any = "",
    via: str = "web",
) -> Observation:
    values = _clean(
        plan=plan,
        session=session,
        organisation=organisation,
        team=team,
        observed_on=observed_on,
        answers=answers,
        notes=notes,
    )
    observation = Observation.objects.create(
        partnership_id=plan.partnership_id, plan=plan, observer=by, **values
    )
    _audit(AuditAction.CREATE, observation, by, ["plan", "observer", *FIELDS], via)
    return observation


@transaction.atomic
def observation_update(
    *,
    observation: Observation,
    by: User,
    observed_on: Any,
    answers: Any,
    session: Session | None = None,
    organisation: Organisation | None = None,
    team: Any = "",
    notes: Any = "",
    via: str = "web",
) -> Observation:
    values = _clean(
        plan=observation.plan,
        session=session,
        organisation=organisation,
        team=team,
        observed_on=observed_on,
        answers=answers,
        notes=notes,
    )
    changed = [name for name, value in values.items() if getattr(observation, name) != value]
    if changed:
        for name, value in values.items():
            setattr(observation, name, value)
        observation.save()
        _audit(AuditAction.UPDATE, observation, by, changed, via)
    return observation


@transaction.atomic
def observation_delete(*, observation: Observation, by: User, via: str = "web") -> None:
    _audit(AuditAction.DELETE, observation, by, [], via)
    observation.delete()
