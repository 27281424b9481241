"""Finding an instrument: one lookup for TIP's own and a partnership's own.

TIP's files come first (their ids are kept from partnerships: ``tip-`` and the shipped ids are
refused on upload). A partnership's instruments are only ever read with that partnership's id,
so another partnership's instrument is as unknown as one that does not exist."""

from __future__ import annotations

from functools import lru_cache

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from tip.core.models import Partnership
from tip.evaluation.analysis.instrument_model import Instrument
from tip.evaluation.instrument_library import shipped_instruments
from tip.evaluation.instruments import parse_instrument
from tip.evaluation.models_instruments import PartnershipInstrument

PartnershipRef = Partnership | int | None


def _partnership_id(partnership: PartnershipRef) -> int | None:
    return partnership.pk if isinstance(partnership, Partnership) else partnership


@lru_cache(maxsize=256)
def _parsed(text: str, fmt: str) -> Instrument:
    # The text was checked when it was added; instruments are frozen, so sharing is safe.
    return parse_instrument(text, fmt=fmt)


def parsed(stored: PartnershipInstrument) -> Instrument:
    """The instrument a stored text describes."""
    return _parsed(stored.text, stored.fmt)


def partnership_instrument_list(*, partnership: Partnership) -> QuerySet[PartnershipInstrument]:
    qs: QuerySet[PartnershipInstrument] = (
        PartnershipInstrument.objects.for_partnership(partnership)
        .select_related("created_by")
        .order_by("instrument_id", "version")
    )
    return qs


def partnership_instrument_get(*, partnership: Partnership, pk: int) -> PartnershipInstrument:
    """The partnership's stored instrument, or 404 (no such one, or another partnership's)."""
    found: PartnershipInstrument = get_object_or_404(
        PartnershipInstrument.objects.for_partnership(partnership).select_related("created_by"),
        pk=pk,
    )
    return found


def instrument_for(
    partnership: PartnershipRef, instrument_id: str, version: int | None = None
) -> Instrument:
    """TIP's instrument with this id, or else the partnership's in this version (its latest
    when ``version`` is None). KeyError when there is none. TIP's own have one version each:
    they are returned whatever the version asked, as answers given in them always were."""
    for instrument in shipped_instruments():
        if instrument.id == instrument_id:
            return instrument
    owner = _partnership_id(partnership)
    if owner is None:
        raise KeyError(instrument_id)
    qs = PartnershipInstrument.objects.filter(partnership_id=owner, instrument_id=instrument_id)
    if version is not None:
        qs = qs.filter(version=version)
    stored = qs.order_by("-version").first()
    if stored is None:
        raise KeyError(instrument_id)
    return parsed(stored)


def instrument_versions(partnership: PartnershipRef, instrument_id: str) -> list[int]:
    """The versions there are of an instrument: TIP's one, or the partnership's, oldest first."""
    for instrument in shipped_instruments():
        if instrument.id == instrument_id:
            return [instrument.version]
    owner = _partnership_id(partnership)
    if owner is None:
        return []
    return list(
        PartnershipInstrument.objects.filter(partnership_id=owner, instrument_id=instrument_id)
        .order_by("version")
        .values_list("version", flat=True)
    )


def all_instruments(partnership: PartnershipRef) -> list[Instrument]:
    """TIP's instruments, then every version of the partnership's (for exports and retention,
    which must know every version answers may have been given in)."""
    found = list(shipped_instruments())
    owner = _partnership_id(partnership)
    if owner is not None:
        found += [
            parsed(s)
            for s in PartnershipInstrument.objects.filter(partnership_id=owner).order_by(
                "instrument_id", "version"
            )
        ]
    return found


def choosable_instruments(partnership: PartnershipRef) -> list[Instrument]:
    """The instruments a plan may choose: TIP's own, then the latest version of each of the
    partnership's."""
    latest: dict[str, Instrument] = {}
    shipped = list(shipped_instruments())
    for instrument in all_instruments(partnership)[len(shipped) :]:
        latest[instrument.id] = instrument  # ordered by version: the last is the latest
    return shipped + list(latest.values())
