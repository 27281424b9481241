"""The partnership's own instruments in the JSON API, under /api/evaluation: list, add (the
text as YAML or JSON), read and remove an unused version. The same services as the pages do the
work: an instrument with problems is refused with 422 listing every problem with its place in
the text, and nothing is saved. Another partnership's instrument answers 404."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Schema, Status
from pydantic import Field

from tip.core.api import VIA, InputSchema, _documented, _need
from tip.evaluation import selectors_instruments as found
from tip.evaluation import services_instruments as services
from tip.evaluation.api import router
from tip.evaluation.models import InstrumentFormat, PartnershipInstrument
from tip.evaluation.roles import PLAN_EVALUATIONS


class PartnershipInstrumentOut(Schema):
    id: int
    instrument_id: str
    version: int
    title: str = Field(description="In the request's language.")
    validated: bool
    format: str = Field(description="yaml or json, as added.")
    text: str = Field(description="The instrument as it was added.")
    created_at: str

    @staticmethod
    def resolve_title(obj: PartnershipInstrument) -> str:
        return found.parsed(obj).title.in_language(get_language() or "en")

    @staticmethod
    def resolve_validated(obj: PartnershipInstrument) -> bool:
        return found.parsed(obj).validated

    @staticmethod
    def resolve_format(obj: PartnershipInstrument) -> str:
        return obj.fmt

    @staticmethod
    def resolve_created_at(obj: PartnershipInstrument) -> str:
        return obj.created_at.isoformat()


class PartnershipInstrumentIn(InputSchema):
    text: str = Field(
        max_length=services.MAX_BYTES,
        description="The instrument, in the format of TIP's own (up to 200 KB).",
    )
    format: str = Field(default=InstrumentFormat.YAML, description="yaml (the default) or json.")


@router.get(
    "/partnership-instruments",
    summary="The instruments the partnership has added",
    **_documented({200: list[PartnershipInstrumentOut]}, 401, 403),
)
def evaluation_partnership_instrument_list(request: HttpRequest) -> Any:
    m = _need(request, PLAN_EVALUATIONS)
    return list(found.partnership_instrument_list(partnership=m.partnership))


@router.post(
    "/partnership-instruments",
    summary="Add an instrument of the partnership's own",
    description="Refused with 422, each problem with its place in the text (field text), for an "
    "instrument with any problem, an id beginning tip- or an id and version the partnership "
    "already has. Nothing is saved.",
    **_documented({201: PartnershipInstrumentOut}, 400, 401, 403, 409, 422),
)
def evaluation_partnership_instrument_create(
    request: HttpRequest, payload: PartnershipInstrumentIn
) -> Any:
    m = _need(request, PLAN_EVALUATIONS)
    stored = services.partnership_instrument_add(
        partnership=m.partnership, text=payload.text, fmt=payload.format, by=m.user, via=VIA
    )
    return Status(201, stored)


@router.get(
    "/partnership-instruments/{int:partnership_instrument_id}",
    summary="An instrument the partnership has added",
    **_documented({200: PartnershipInstrumentOut}, 401, 403, 404),
)
def evaluation_partnership_instrument_get(
    request: HttpRequest, partnership_instrument_id: int
) -> Any:
    m = _need(request, PLAN_EVALUATIONS)
    return found.partnership_instrument_get(partnership=m.partnership, pk=partnership_instrument_id)


@router.delete(
    "/partnership-instruments/{int:partnership_instrument_id}",
    summary="Remove a version of the partnership's instrument",
    description="Refused with 422 when a plan uses the version or answers were given in it.",
    **_documented({204: None}, 401, 403, 404, 422),
)
def evaluation_partnership_instrument_delete(
    request: HttpRequest, partnership_instrument_id: int
) -> Any:
    m = _need(request, PLAN_EVALUATIONS)
    stored = found.partnership_instrument_get(
        partnership=m.partnership, pk=partnership_instrument_id
    )
    services.partnership_instrument_delete(stored=stored, by=m.user, via=VIA)
    return Status(204, None)
