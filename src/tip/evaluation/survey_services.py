"""The respondent's side of a survey: what a personal link opens, the pages of a wave's survey,
and saving answers page by page (docs/evaluation-surveys.md).

Nobody signs in: the link's token is the person's only key (links.py). Every save is a short
transaction that locks the person's response row, merges the page's answers into what is
already there and moves the resume position on, so nothing is lost if the person leaves, two
tabs send at once, or the server restarts.

The anonymous code's clear answers never reach this module's storage: ``save_code`` hashes
them at once (codes.hash_code) and keeps only the hashes.

Respondents are not signed in, so their answers are not written to the audit log (which
records what signed-in people change and see); the response's own timestamps say when each
step happened.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.utils import timezone

from tip.core.models import Organisation
from tip.evaluation.analysis.instrument_model import (
    Instrument,
    Item,
    Section,
)
from tip.evaluation.analysis.instrument_model import (
    Respondent as InstrumentRespondent,
)
from tip.evaluation.analysis.scoring import AnswerValue
from tip.evaluation.codes import hash_code
from tip.evaluation.models_collection import Invitation, InvitationStatus, Response
from tip.evaluation.models_plan import EvaluationPlan, PlannedMeasure, WaveKind
from tip.evaluation.selectors_instruments import instrument_for

__all__ = [
    "ABOUT_YOU",
    "CHECK",
    "CHUNK_SIZE",
    "CODE",
    "LinkState",
    "SurveyPage",
    "code_context",
    "give_consent",
    "link_state",
    "next_key",
    "page_answers",
    "plan_instruments",
    "previous_key",
    "response_of",
    "resume_key",
    "retention_date",
    "save_code",
    "save_covariates",
    "save_page",
    "submit",
    "survey_pages",
]

# Page keys besides the instruments' ("<instrument id>.<section id or chunk number>").
ABOUT_YOU = "about-you"
CODE = "code"
CHECK = "check"
# Items per page for an instrument without sections.
CHUNK_SIZE = 6

COVARIATE_KEYS = ("sector", "role", "years_in_role", "prior_training", "organisation")
NOT_LISTED = "not_listed"


class LinkState(StrEnum):
    OPEN = "open"
    NOT_OPEN = "not_open"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"
    COMPLETED = "completed"


def link_state(invitation: Invitation, now: datetime | None = None) -> LinkState:
    """What the link opens now: the survey, or a page saying why not. A completed survey says
    so whatever the dates, so a reused link changes nothing."""
    now = now or timezone.now()
    if invitation.status == InvitationStatus.COMPLETED:
        return LinkState.COMPLETED
    if invitation.status == InvitationStatus.WITHDRAWN:
        return LinkState.WITHDRAWN
    if invitation.status == InvitationStatus.CLOSED or now >= invitation.closes_at:
        return LinkState.CLOSED
    if now < invitation.opens_at:
        return LinkState.NOT_OPEN
    return LinkState.OPEN


@dataclass(frozen=True)
class SurveyPage:
    """One page of the survey: an instrument's section (or a chunk of its items), the questions
    about the person (baseline only) or the anonymous code's questions."""

    key: str
    kind: str  # "items", ABOUT_YOU or CODE
    instrument: Instrument | None = None
    section: Section | None = None
    items: tuple[Item, ...] = ()
    part: int = 1  # the page's number within its instrument
    parts: int = 1


def plan_instruments(invitation: Invitation) -> list[Instrument]:
    """The instruments the plan asks at the invitation's wave, in the order they were planned;
    one query, and one per partnership's own instrument. Observation forms and instruments
    there are not (any more) are left out."""
    measures = PlannedMeasure.objects.filter(waves=invitation.wave_id).order_by("pk")
    found: list[Instrument] = []
    for instrument_id, version in measures.values_list("instrument_id", "instrument_version"):
        try:
            instrument = instrument_for(invitation.partnership_id, instrument_id, version)
        except KeyError:
            continue
        if instrument.respondent == InstrumentRespondent.SELF:
            found.append(instrument)
    return found


def _instrument_pages(instrument: Instrument) -> list[SurveyPage]:
    groups: list[tuple[str, Section | None, tuple[Item, ...]]] = []
    if instrument.sections:
        for section in instrument.sections:
            items = tuple(i for i in instrument.items if i.section == section.id)
            if items:
                groups.append((section.id, section, items))
        loose = tuple(i for i in instrument.items if i.section is None)
        if loose:
            groups.append(("other", None, loose))
    else:
        for start in range(0, len(instrument.items), CHUNK_SIZE):
            chunk = instrument.items[start : start + CHUNK_SIZE]
            groups.append((str(start // CHUNK_SIZE + 1), None, chunk))
    return [
        SurveyPage(
            key=f"{instrument.id}.{name}",
            kind="items",
            instrument=instrument,
            section=section,
            items=items,
            part=number,
            parts=len(groups),
        )
        for number, (name, section, items) in enumerate(groups, start=1)
    ]


def survey_pages(invitation: Invitation) -> list[SurveyPage]:
    """Every page after the consent page, in order: at the baseline the questions about the
    person, then (in an anonymous plan) the code's questions, then each instrument's pages."""
    pages: list[SurveyPage] = []
    if invitation.wave.kind == WaveKind.BASELINE:
        pages.append(SurveyPage(key=ABOUT_YOU, kind=ABOUT_YOU))
    if invitation.wave.plan.anonymous:
        pages.append(SurveyPage(key=CODE, kind=CODE))
    for instrument in plan_instruments(invitation):
        pages += _instrument_pages(instrument)
    return pages


def _index(pages: list[SurveyPage], key: str) -> int:
    for number, page in enumerate(pages):
        if page.key == key:
            return number
    return -1


def next_key(pages: list[SurveyPage], key: str) -> str:
    number = _index(pages, key)
    return pages[number + 1].key if 0 <= number < len(pages) - 1 else CHECK


def previous_key(pages: list[SurveyPage], key: str) -> str | None:
    """The page before; None before the first page (the consent page comes before it)."""
    if key == CHECK:
        return pages[-1].key if pages else None
    number = _index(pages, key)
    return pages[number - 1].key if number > 0 else None


def resume_key(pages: list[SurveyPage], response: Response) -> str:
    """Where a person coming back starts: the page after the last one they saved."""
    if response.position == CHECK or (response.position and _index(pages, response.position) >= 0):
        return response.position
    return pages[0].key if pages else CHECK


def code_context(plan: EvaluationPlan | int) -> str:
    """The hashing context of a plan's anonymous codes: its primary key, never its title."""
    pk = plan if isinstance(plan, int) else plan.pk
    return f"plan-{pk}"


def retention_date(invitation: Invitation) -> date:
    """When this person's identifiers and free text are deleted: the plan's retention after
    their own last wave closes. The retention sweep deletes by the same function's date
    (retention.retention_date). One query."""
    from tip.evaluation import retention

    return retention.retention_date(invitation.respondent, plan=invitation.wave.plan)


def response_of(invitation: Invitation) -> Response | None:
    return Response.objects.filter(invitation=invitation).first()


def _locked_invitation(invitation: Invitation) -> Invitation:
    locked: Invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    return locked


def _locked_response(invitation: Invitation) -> Response:
    locked: Response = Response.objects.select_for_update().get(invitation=invitation)
    return locked


@transaction.atomic
def give_consent(invitation: Invitation) -> Response:
    """The person agreed: their response, with when they agreed (kept from the first time)."""
    _locked_invitation(invitation)
    response = Response.objects.select_for_update().filter(invitation=invitation).first()
    if response is None:
        response = Response.objects.create(
            partnership_id=invitation.partnership_id,
            plan_id=invitation.wave.plan_id,
            wave_id=invitation.wave_id,
            invitation=invitation,
            respondent_id=invitation.respondent_id,
            group=invitation.respondent.group,
            consented_at=timezone.now(),
        )
    elif response.consented_at is None:
        response.consented_at = timezone.now()
        response.save(update_fields=["consented_at", "updated_at"])
    return response


def _started(invitation: Invitation) -> None:
    locked = _locked_invitation(invitation)
    if locked.started_at is None or locked.status != InvitationStatus.STARTED:
        fields = []
        if locked.started_at is None:
            locked.started_at = timezone.now()
            fields.append("started_at")
        if locked.status in (InvitationStatus.SCHEDULED, InvitationStatus.SENT):
            locked.status = InvitationStatus.STARTED
            fields.append("status")
        if fields:
            locked.save(update_fields=fields)
        invitation.started_at, invitation.status = locked.started_at, locked.status


def _stored(value: AnswerValue) -> Any:
    return list(value) if isinstance(value, tuple) else value


@transaction.atomic
def save_page(
    invitation: Invitation,
    page: SurveyPage,
    cleaned: Mapping[str, AnswerValue | None],
    *,
    position: str,
) -> Response:
    """Merge one page's checked answers into the response (an empty answer removes an earlier
    one) and move the resume position to ``position``."""
    assert page.instrument is not None
    response = _locked_response(invitation)
    answers = dict(response.answers or {})
    mine = dict(answers.get(page.instrument.id) or {})
    for item in page.items:
        value = cleaned.get(item.id)
        if value is None:
            mine.pop(item.id, None)
        else:
            mine[item.id] = _stored(value)
    answers[page.instrument.id] = mine
    versions = dict(response.versions or {})
    versions[page.instrument.id] = page.instrument.version
    response.answers, response.versions, response.position = answers, versions, position
    response.save(update_fields=["answers", "versions", "position", "updated_at"])
    _started(invitation)
    return response


@transaction.atomic
def save_covariates(
    invitation: Invitation, values: Mapping[str, Any], *, position: str
) -> Response:
    """The baseline facts about the person (only at a baseline wave)."""
    response = _locked_response(invitation)
    if invitation.wave.kind == WaveKind.BASELINE:
        covariates: dict[str, Any] = {}
        for key in COVARIATE_KEYS:
            value = values.get(key)
            if isinstance(value, Organisation):
                value = value.pk
            if value not in (None, ""):
                covariates[key] = value
        response.covariates = covariates
    response.position = position
    response.save(update_fields=["covariates", "position", "updated_at"])
    _started(invitation)
    return response


@transaction.atomic
def save_code(
    invitation: Invitation, answers: Mapping[str, str | None] | None, *, position: str
) -> Response:
    """Hash the anonymous code's answers at once and keep only the hashes; None (the person
    left every question empty) keeps whatever was there. Raises ``InvalidCode`` (whose
    messages never repeat an answer) before anything is saved."""
    hashes = (
        None
        if answers is None
        else list(hash_code(answers, context=code_context(invitation.wave.plan_id)))
    )
    response = _locked_response(invitation)
    fields = ["position", "updated_at"]
    if hashes is not None:
        response.code_hashes = hashes
        fields.append("code_hashes")
    response.position = position
    response.save(update_fields=fields)
    _started(invitation)
    return response


@transaction.atomic
def submit(invitation: Invitation) -> bool:
    """Send the answers: the response is submitted and the invitation completed, once; a second
    submission changes nothing (False)."""
    locked = _locked_invitation(invitation)
    response = _locked_response(invitation)
    if response.submitted_at is not None or locked.status == InvitationStatus.COMPLETED:
        return False
    now = timezone.now()
    response.submitted_at = now
    response.position = CHECK
    response.save(update_fields=["submitted_at", "position", "updated_at"])
    locked.status = InvitationStatus.COMPLETED
    locked.completed_at = now
    if locked.started_at is None:
        locked.started_at = now
    locked.save(update_fields=["status", "completed_at", "started_at"])
    invitation.status, invitation.completed_at = locked.status, locked.completed_at
    return True


def page_answers(response: Response | None, page: SurveyPage) -> dict[str, Any]:
    """The saved answers of one instrument page, by item id."""
    if response is None or page.instrument is None:
        return {}
    mine = (response.answers or {}).get(page.instrument.id) or {}
    return {item.id: mine[item.id] for item in page.items if item.id in mine}
