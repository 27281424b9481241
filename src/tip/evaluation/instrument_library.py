"""The instruments that come with TIP, and the check for instruments a partnership adds.

TIP's own instruments are the files in ``data/instruments/``, one instrument each, named after
its id (``tip-kac.yaml``). They are read once and cached. A partnership's instrument arrives as
text (YAML or JSON); ``check_partnership_instrument`` checks it exactly like TIP's own and also
keeps it from taking a shipped instrument's id, or any id beginning ``tip-``.

Licensed instruments (the ARTIC scale and the like) are never shipped: where a partnership uses
one under its own licence, TIP will import the scores rather than hold the questions.
No Django import.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tip.evaluation.analysis.instrument_model import Instrument
from tip.evaluation.instruments import (
    DATA_DIR,
    SUFFIXES,
    InstrumentError,
    InstrumentProblem,
    load_instrument,
    parse_instrument,
)

SHIPPED_DIR = DATA_DIR / "instruments"
RESERVED_PREFIX = "tip-"


@dataclass(frozen=True)
class InstrumentCheck:
    """The outcome of checking an instrument: the instrument, or every problem with it."""

    instrument: Instrument | None
    problems: tuple[InstrumentProblem, ...] = ()

    @property
    def ok(self) -> bool:
        return self.instrument is not None and not self.problems


def instrument_files(directory: Path) -> list[Path]:
    """The instrument files in a folder (``.yaml``, ``.yml``, ``.json``), by name."""
    return sorted(p for p in directory.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)


def check_shipped(directory: Path | None = None) -> dict[str, InstrumentCheck]:
    """Every shipped file, by file name, with its instrument or its problems. Besides each
    file's own checks: the file is named after the instrument's id, and no two files share an
    id. Read afresh every time (for ``tip check`` and ``tip validate-instrument``)."""
    folder = SHIPPED_DIR if directory is None else directory
    results: dict[str, InstrumentCheck] = {}
    owners: dict[str, str] = {}
    for path in instrument_files(folder):
        try:
            instrument = load_instrument(path)
        except InstrumentError as exc:
            results[path.name] = InstrumentCheck(None, exc.problems)
            continue
        problems: list[InstrumentProblem] = []
        if path.stem != instrument.id:
            problems.append(
                InstrumentProblem(
                    "id",
                    f"the file of the instrument “{instrument.id}” must be named "
                    f"{instrument.id}{path.suffix}",
                )
            )
        if instrument.id in owners:
            problems.append(
                InstrumentProblem(
                    "id", f"the id “{instrument.id}” is also used by {owners[instrument.id]}"
                )
            )
        owners.setdefault(instrument.id, path.name)
        results[path.name] = InstrumentCheck(None if problems else instrument, tuple(problems))
    return results


def shipped_instruments() -> tuple[Instrument, ...]:
    """TIP's own instruments, in file-name order, read once and cached. Raises
    ``InstrumentError`` for a broken file (``tip check`` names it first)."""
    return _load_shipped(SHIPPED_DIR)


def shipped_instrument(instrument_id: str) -> Instrument:
    """The shipped instrument with this id; KeyError when there is none."""
    for instrument in shipped_instruments():
        if instrument.id == instrument_id:
            return instrument
    raise KeyError(instrument_id)


@cache
def _load_shipped(directory: Path) -> tuple[Instrument, ...]:
    instruments: list[Instrument] = []
    for name, result in check_shipped(directory).items():
        if result.instrument is None:
            raise InstrumentError(name, result.problems)
        instruments.append(result.instrument)
    return tuple(instruments)


def check_partnership_instrument(
    text: str, *, fmt: str = "yaml", source: str = "instrument"
) -> InstrumentCheck:
    """Check an instrument a partnership wrote (``fmt`` "yaml" or "json"): the instrument, or
    every problem with it, each with its path. Its id must not be a shipped instrument's, nor
    begin ``tip-``, which is kept for TIP's own."""
    try:
        instrument = parse_instrument(text, source=source, fmt=fmt)
    except InstrumentError as exc:
        return InstrumentCheck(None, exc.problems)
    shipped_ids = {i.id for i in shipped_instruments()}
    if instrument.id.startswith(RESERVED_PREFIX) or instrument.id in shipped_ids:
        problem = InstrumentProblem(
            "id",
            f"ids beginning “{RESERVED_PREFIX}” are kept for the instruments that come with TIP; "
            "choose another, for example one that begins with your partnership's name",
        )
        return InstrumentCheck(None, (problem,))
    return InstrumentCheck(instrument)
