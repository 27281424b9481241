"""``tip evaluate reliability``: Cronbach's alpha and McDonald's omega of an instrument's total
and subscales from an evaluator's own CSV file of answers (docs/evaluation-analysis.md,
"Command line").

    tip evaluate reliability answers.csv --instrument tip-kac [--items a01,a02,a03] [--json]

The file has one row per person and one column per item id, holding the answers as on the
scale (1 to 5, "true", "false", "dont_know"); they are scored as the instrument says (reverse
items turned round, knowledge items marked against their keys). Other columns are ignored.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tip.evaluation.analysis.instrument_model import Instrument
from tip.evaluation.analysis.reliability import (
    InstrumentReliability,
    ReliabilityResult,
    reliability,
    reliability_of,
    score_items,
)
from tip.evaluation.cli_evaluate.common import CliError, Output, guard, read_csv, split_list
from tip.evaluation.instrument_library import shipped_instrument, shipped_instruments
from tip.evaluation.instruments import SUFFIXES, InstrumentError, load_instrument

NAME = "reliability"
HELP = (
    "Reliability of an instrument's total and subscales: Cronbach's alpha (with its 95% "
    "interval) and McDonald's omega, from a file of answers with one column per item."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--instrument",
        required=True,
        metavar="ID",
        help="The id of an instrument that comes with TIP (such as tip-kac), or the path of an "
        "instrument file (.yaml, .yml or .json).",
    )
    parser.add_argument(
        "--items",
        metavar="A,B,C",
        help="Only these items (ids separated by commas), as one scale; by default the "
        "instrument's total and each subscale.",
    )


def run(options: dict[str, Any]) -> Output:
    instrument = find_instrument(options["instrument"])
    frame = read_csv(options["file"])
    items = split_list(options["items"], option="--items") if options.get("items") else None

    def analyse() -> Output:
        scores = score_items(instrument, frame, items)
        if items is not None:
            one = reliability(scores, label="items")
            data = {
                "instrument": instrument.id,
                "version": instrument.version,
                "n": len(frame),
                "total": None,
                "subscales": [],
                "items": scale_json(one),
                "notes": [],
            }
            return Output(data=data, text="\n".join(scale_text(one)))
        result = reliability_of(instrument, scores)
        return Output(data=instrument_json(instrument, result), text=instrument_text(result))

    return guard(analyse)


def find_instrument(given: str) -> Instrument:
    """A shipped instrument by id, or the instrument in a file; refuses either with a message
    saying what there is."""
    path = Path(given)
    if path.suffix.lower() in SUFFIXES or path.exists():
        if not path.is_file():
            raise CliError(f"{given}: no such instrument file.")
        try:
            return load_instrument(path)
        except InstrumentError as error:
            problems = "; ".join(str(problem) for problem in error.problems)
            raise CliError(f"The instrument file {path.name} cannot be used: {problems}") from None
    try:
        return shipped_instrument(given)
    except KeyError:
        known = ", ".join(i.id for i in shipped_instruments())
        raise CliError(
            f"There is no instrument “{given}”. The instruments that come with TIP are: "
            f"{known}; or give the path of an instrument file (.yaml, .yml or .json)."
        ) from None


def scale_json(result: ReliabilityResult) -> dict[str, Any]:
    return {
        "label": result.label,
        "n": result.n,
        "n_dropped": result.n_dropped,
        "k": result.k,
        "alpha": {
            "value": result.alpha.value,
            "ci_low": result.alpha.ci_low,
            "ci_high": result.alpha.ci_high,
            "level": result.alpha.level,
            "method": result.alpha.ci_method,
        },
        "omega": {
            "value": result.omega.value,
            "ci_low": result.omega.ci_low,
            "ci_high": result.omega.ci_high,
            "method": result.omega.ci_method,
        },
        "items": [
            {
                "item": item.item,
                "mean": item.mean,
                "sd": item.sd,
                "item_total": item.item_total,
                "alpha_if_deleted": item.alpha_if_deleted,
                "loading": item.loading,
            }
            for item in result.items
        ],
        "method": result.method,
        "assumptions": list(result.assumptions),
        "notes": [str(note) for note in result.notes],
    }


def instrument_json(instrument: Instrument, result: InstrumentReliability) -> dict[str, Any]:
    return {
        "instrument": instrument.id,
        "version": instrument.version,
        "n": result.n,
        "total": scale_json(result.total) if result.total is not None else None,
        "subscales": [scale_json(s) for s in result.subscales],
        "notes": [str(note) for note in result.notes],
    }


def _number(value: float | None) -> str:
    return "not available" if value is None else f"{value:.3f}"


def scale_text(result: ReliabilityResult) -> list[str]:
    alpha = result.alpha
    interval = (
        f" (95% CI {alpha.ci_low:.3f} to {alpha.ci_high:.3f})"
        if alpha.ci_low is not None and alpha.ci_high is not None
        else ""
    )
    lines = [
        f"{result.label}: {result.k} items, {result.n} people with every item "
        f"({result.n_dropped} left out)",
        f"  Cronbach's alpha: {_number(alpha.value)}{interval}",
        f"  McDonald's omega: {_number(result.omega.value)}",
    ]
    lines += [f"  Note: {note}" for note in result.notes]
    return lines


def instrument_text(result: InstrumentReliability) -> str:
    lines = [f"Instrument {result.instrument_id}, {result.n} rows"]
    for scale in ((result.total,) if result.total is not None else ()) + result.subscales:
        lines += scale_text(scale)
    lines += [f"Note: {note}" for note in result.notes]
    return "\n".join(lines)
