"""The rest of a Theory of Change in the JSON API: assumptions, barriers and enablers on elements
and links, indicators on outcomes, and evaluation questions (TIP's proposals, deciding on them,
and people's own questions).

Attached to the programmes router (imported from ProgrammesConfig.ready()). The pages' services do
the work, so the API refuses what the pages refuse with the same messages and writes the same
audit entries. Reading needs `view_programmes`; changing needs `manage_programmes`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from tip.core.api import VIA, InputSchema, _documented
from tip.programmes import analysis, selectors, services
from tip.programmes.api import _programme, router
from tip.programmes.models import (
    EvaluationQuestion,
    Indicator,
    Note,
    NoteKind,
    Programme,
    QuestionStatus,
)
from tip.programmes.roles import MANAGE_PROGRAMMES, VIEW_PROGRAMMES

# --- Schemas -------------------------------------------------------------------------------------


class NoteOut(Schema):
    id: int
    kind: NoteKind
    text: str
    element: int | None = Field(
        validation_alias="element_id", description="The element it is about; null for a link."
    )
    link: int | None = Field(
        validation_alias="link_id", description="The link it is about; null for an element."
    )


class NoteIn(InputSchema):
    kind: NoteKind = Field(description="assumption, barrier or enabler.")
    text: str = Field(min_length=1)


class IndicatorOut(Schema):
    id: int
    outcome: int = Field(validation_alias="outcome_id", description="The outcome it measures.")
    what: str
    how: str
    from_whom: str
    when: str


class IndicatorIn(InputSchema):
    what: str = Field(min_length=1, max_length=300, description="What will be measured.")
    how: str = Field(min_length=1, max_length=300, description="How it will be measured.")
    from_whom: str = Field(min_length=1, max_length=300, description="Who it is collected from.")
    when: str = Field(min_length=1, max_length=300, description="When it is collected.")


class QuestionOut(Schema):
    id: int
    text: str
    status: QuestionStatus = Field(
        description="accepted: the evaluation will answer it; dismissed: a proposal set aside, "
        "so it is not proposed again."
    )
    proposal_key: str = Field(
        description="The proposal it came from; empty for a question someone wrote."
    )
    decided_at: datetime


class ProposalOut(Schema):
    key: str = Field(description="Stable for the same link or outcome; use it to decide.")
    text: str = Field(description="The proposed question.")
    reason: str = Field(description="Why TIP proposes it.")
    about: str = Field(description="The id of the link or outcome it is about.")


class QuestionIn(InputSchema):
    text: str = Field(min_length=1, description="The evaluation question.")


class AcceptIn(InputSchema):
    text: str | None = Field(
        default=None,
        description="The question as you want it; leave it out to accept it as proposed.",
    )


# --- Reads, scoped to the programme (already scoped to the partnership) ------------------------


def _notes(programme: Programme) -> QuerySet[Note]:
    qs: QuerySet[Note] = Note.objects.filter(
        programme=programme, partnership_id=programme.partnership_id
    ).order_by("kind", "pk")
    return qs


def _indicators(programme: Programme) -> QuerySet[Indicator]:
    qs: QuerySet[Indicator] = Indicator.objects.filter(
        outcome__programme=programme, partnership_id=programme.partnership_id
    ).order_by("outcome__position", "outcome_id", "pk")
    return qs


def _proposal(programme: Programme, key: str) -> analysis.Proposal:
    for proposal in selectors.open_proposals(programme=programme, gettext=_):
        if proposal.key == key:
            return proposal
    raise HttpError(
        404,
        _(
            "There is no open proposal '%(key)s' for this programme: it may have been accepted "
            "or dismissed already. GET .../proposals lists the open ones."
        )
        % {"key": key},
    )


# --- Assumptions, barriers and enablers ----------------------------------------------------------


@router.get(
    "/{int:programme_id}/notes",
    summary="The assumptions, barriers and enablers of a programme",
    description="Each is about one element or one link.",
    **_documented({200: list[NoteOut]}, 401, 403, 404),
)
def note_list(request: HttpRequest, programme_id: int) -> Any:
    _m, programme = _programme(request, VIEW_PROGRAMMES, programme_id)
    return list(_notes(programme))


@router.get(
    "/{int:programme_id}/elements/{int:element_id}/notes",
    summary="The assumptions, barriers and enablers about an element",
    **_documented({200: list[NoteOut]}, 401, 403, 404),
)
def element_note_list(request: HttpRequest, programme_id: int, element_id: int) -> Any:
    _m, programme = _programme(request, VIEW_PROGRAMMES, programme_id)
    element = selectors.element_get(programme=programme, element_id=element_id)
    return list(_notes(programme).filter(element=element))


@router.post(
    "/{int:programme_id}/elements/{int:element_id}/notes",
    summary="Add an assumption, barrier or enabler about an element",
    **_documented({201: NoteOut}, 400, 401, 403, 404, 409, 422),
)
def element_note_create(
    request: HttpRequest, programme_id: int, element_id: int, payload: NoteIn
) -> Any:
    m, programme = _programme(request, MANAGE_PROGRAMMES, programme_id)
    element = selectors.element_get(programme=programme, element_id=element_id)
    note = services.note_create(
        programme=programme,
        kind=payload.kind,
        text=payload.text,
        element=element,
        by=m.user,
        via=VIA,
    )
    return Status(201, note)


@router.get(
    "/{int:programme_id}/links/{int:link_id}/notes",
    summary="The assumptions, barriers and enablers about a link",
    **_documented({200: list[NoteOut]}, 401, 403, 404),
)
def link_note_list(request: HttpRequest, programme_id: int, link_id: int) -> Any:
    _m, programme = _programme(request, VIEW_PROGRAMMES, programme_id)
    link = selectors.link_get(programme=programme, link_id=link_id)
    return list(_notes(programme).filter(link=link))


@router.post(
    "/{int:programme_id}/links/{int:link_id}/notes",
    summary="Add an assumption, barrier or enabler about a link",
    **_documented({201: NoteOut}, 400, 401, 403, 404, 409, 422),
)
def link_note_create(request: HttpRequest, programme_id: int, link_id: int, payload: NoteIn) -> Any:
    m, programme = _programme(request, MANAGE_PROGRAMMES, programme_id)
    link = selectors.link_get(programme=programme, link_id=link_id)
    note = services.note_create(
        programme=programme, kind=payload.kind, text=payload.text, link=link, by=m.user, via=VIA
    )
    return Status(201, note)


@router.delete(
    "/{int:programme_id}/notes/{int:note_id}",
    summary="Remove an assumption, barrier or enabler",
    **_documented({204: None}, 401, 403, 404),
)
def note_delete(request: HttpRequest, programme_id: int, note_id: int) -> Any:
    m, programme = _programme(request, MANAGE_PROGRAMMES, programme_id)
    note = selectors.note_get(programme=programme, note_id=note_id)
    services.note_delete(note=note, by=m.user, via=VIA)
    return Status(204, None)


# --- Indicators ----------------------------------------------------------------------------------


@router.get(
    "/{int:programme_id}/indicators",
    summary="The indicators of a programme's outcomes",
    **_documented({200: list[IndicatorOut]}, 401, 403, 404),
)
def indicator_list(request: HttpRequest, programme_id: int) -> Any:
    _m, programme = _programme(request, VIEW_PROGRAMMES, programme_id)
    return list(_indicators(programme))


@router.get(
    "/{int:programme_id}/elements/{int:element_id}/indicators",
    summary="The indicators of one outcome",
    description="Empty for an activity or output: only outcomes have indicators.",
    **_documented({200: list[IndicatorOut]}, 401, 403, 404),
)
def element_indicator_list(request: HttpRequest, programme_id: int, element_id: int) -> Any:
    _m, programme = _programme(request, VIEW_PROGRAMMES, programme_id)
    element = selectors.element_get(programme=programme, element_id=element_id)
    return list(_indicators(programme).filter(outcome=element))


@router.post(
    "/{int:programme_id}/elements/{int:element_id}/indicators",
    summary="Add an indicator to an outcome: what, how, from whom and when",
    description="Refused with 422 for an activity or output: only outcomes have indicators.",
    **_documented({201: IndicatorOut}, 400, 401, 403, 404, 409, 422),
)
def indicator_create(
    request: HttpRequest, programme_id: int, element_id: int, payload: IndicatorIn
) -> Any:
    m, programme = _programme(request, MANAGE_PROGRAMMES, programme_id)
    outcome = selectors.element_get(programme=programme, element_id=element_id)
    indicator = services.indicator_create(
        outcome=outcome,
        what=payload.what,
        how=payload.how,
        from_whom=payload.from_whom,
        when=payload.when,
        by=m.user,
        via=VIA,
    )
    return Status(201, indicator)


@router.delete(
    "/{int:programme_id}/indicators/{int:indicator_id}",
    summary="Remove an indicator",
    **_documented({204: None}, 401, 403, 404),
)
def indicator_delete(request: HttpRequest, programme_id: int, indicator_id: int) -> Any:
    m, programme = _programme(request, MANAGE_PROGRAMMES, programme_id)
    indicator = selectors.indicator_get(programme=programme, indicator_id=indicator_id)
    services.indicator_delete(indicator=indicator, by=m.user, via=VIA)
    return Status(204, None)


# --- Evaluation questions ------------------------------------------------------------------------


@router.get(
    "/{int:programme_id}/questions",
    summary="The evaluation questions decided so far",
    description="Accepted questions (proposed by TIP, perhaps edited, or written by someone) "
    "and dismissed proposals, in the order they were decided.",
    **_documented({200: list[QuestionOut]}, 401, 403, 404),
)
def question_list(request: HttpRequest, programme_id: int) -> Any:
    _m, programme = _programme(request, VIEW_PROGRAMMES, programme_id)
    return list(
        EvaluationQuestion.objects.filter(
            programme=programme, partnership_id=programme.partnership_id
        ).order_by("pk")
    )


@router.post(
    "/{int:programme_id}/questions",
    summary="Add your own evaluation question",
    **_documented({201: QuestionOut}, 400, 401, 403, 404, 409, 422),
)
def question_create(request: HttpRequest, programme_id: int, payload: QuestionIn) -> Any:
    m, programme = _programme(request, MANAGE_PROGRAMMES, programme_id)
    question = services.question_accept(
        programme=programme, proposal_key="", text=payload.text, by=m.user, via=VIA
    )
    return Status(201, question)


@router.get(
    "/{int:programme_id}/proposals",
    summary="The evaluation questions TIP proposes",
    description="One for each link whose evidence is emerging or missing (weakest first), "
    "and one for each outcome without an indicator, leaving out those already accepted or "
    "dismissed. Worded in the request's language.",
    **_documented({200: list[ProposalOut]}, 401, 403, 404),
)
def proposal_list(request: HttpRequest, programme_id: int) -> Any:
    _m, programme = _programme(request, VIEW_PROGRAMMES, programme_id)
    return [
        {"key": p.key, "text": p.text, "reason": p.reason, "about": str(p.about)}
        for p in selectors.open_proposals(programme=programme, gettext=_)
    ]


@router.post(
    "/{int:programme_id}/proposals/{proposal_key}/accept",
    summary="Accept a proposed question, as proposed or edited",
    description="404 when the proposal is not open: already accepted or dismissed, or the "
    "link or outcome it was about has changed.",
    **_documented({201: QuestionOut}, 400, 401, 403, 404, 409, 422),
)
def proposal_accept(
    request: HttpRequest, programme_id: int, proposal_key: str, payload: AcceptIn | None = None
) -> Any:
    m, programme = _programme(request, MANAGE_PROGRAMMES, programme_id)
    proposal = _proposal(programme, proposal_key)
    text = proposal.text if payload is None or payload.text is None else payload.text
    question = services.question_accept(
        programme=programme, proposal_key=proposal.key, text=text, by=m.user, via=VIA
    )
    return Status(201, question)


@router.post(
    "/{int:programme_id}/proposals/{proposal_key}/dismiss",
    summary="Dismiss a proposed question",
    description="It is remembered as dismissed, so it is not proposed again. No request body.",
    **_documented({201: QuestionOut}, 401, 403, 404),
)
def proposal_dismiss(request: HttpRequest, programme_id: int, proposal_key: str) -> Any:
    m, programme = _programme(request, MANAGE_PROGRAMMES, programme_id)
    proposal = _proposal(programme, proposal_key)
    question = services.question_dismiss(
        programme=programme, proposal_key=proposal.key, text=proposal.text, by=m.user, via=VIA
    )
    return Status(201, question)
