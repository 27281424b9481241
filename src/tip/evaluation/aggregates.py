"""A plan's aggregate for sharing beyond the partnership (docs/evaluation-sharing.md): the pure
builder (analysis/aggregate.py) fed with the plan's scores frames, checked against
``data/aggregate.schema.json``, and the data package that carries it (a ZIP with
``datapackage.json``, ``aggregate.json``, the schema and a README).

The aggregate holds no person-level data and names no person, organisation, programme or
partnership; counts under 5 are suppressed. Whoever receives it knows who sent it; the national
view shows the partnership's name only when the partnership agreed."""

from __future__ import annotations

import functools
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
from django.utils import timezone

from tip.evaluation.analysis.aggregate import InstrumentScores, build_aggregate
from tip.evaluation.analysis.instrument_model import TOTAL, Respondent
from tip.evaluation.analysis_data import scores_frame
from tip.evaluation.models import EvaluationPlan
from tip.evaluation.selectors_instruments import instrument_for

SCHEMA_PATH = Path(__file__).resolve().parent / "data" / "aggregate.schema.json"


class AggregateInvalid(ValueError):
    """An aggregate that does not match the schema; the message names the first problem."""


@functools.cache
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


def validate(payload: Any) -> None:
    """Raise AggregateInvalid unless ``payload`` matches aggregate.schema.json."""
    validator = jsonschema.Draft202012Validator(schema())
    error = jsonschema.exceptions.best_match(validator.iter_errors(payload))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "the top level"
        raise AggregateInvalid(
            f"The aggregate does not match its schema at {where}: {error.message}"
        )


def instrument_scores(plan: EvaluationPlan) -> list[InstrumentScores]:
    """The plan's self-report instruments with their scores frames (those with no scores at
    all are left out; an observation form rates a team, not a person, so it is left out too)."""
    found = []
    for measure in plan.measures.order_by("pk"):
        try:
            instrument = instrument_for(
                plan.partnership_id, measure.instrument_id, measure.instrument_version
            )
        except KeyError:
            continue
        if instrument.respondent != Respondent.SELF:
            continue
        frame = scores_frame(plan, measure.instrument_id)
        if frame.empty:
            continue
        titles = {TOTAL: instrument.title.en}
        titles |= {s.id: s.title.en for s in instrument.subscales}
        found.append(
            InstrumentScores(
                instrument_id=instrument.id,
                version=instrument.version,
                title=instrument.title.en,
                frame=frame,
                scale_titles=titles,
            )
        )
    return found


def plan_aggregate(plan: EvaluationPlan) -> dict[str, Any]:
    """The plan's aggregate as JSON values, valid against the schema."""
    payload = build_aggregate(
        instrument_scores(plan),
        created=timezone.now().replace(microsecond=0).isoformat(),
        nation=str(plan.partnership.nation or ""),
        comparison_group=plan.comparison_group,
        linking="anonymous" if plan.anonymous else "identified",
    )
    validate(payload)
    return payload


def datapackage(payload: dict[str, Any]) -> dict[str, Any]:
    """The package's descriptor (a Frictionless Data Package with one JSON resource)."""
    return {
        "profile": "data-package",
        "name": "tip-evaluation-aggregate",
        "title": "TIP evaluation aggregate",
        "created": payload["created"],
        "description": (
            "Aggregated results of one programme's evaluation: counts, means and effect sizes, "
            "with counts under 5 suppressed. No person-level data."
        ),
        "resources": [
            {
                "name": "aggregate",
                "path": "aggregate.json",
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
                "description": "The aggregate, valid against aggregate.schema.json.",
                "jsonSchema": "aggregate.schema.json",
            },
            {
                "name": "aggregate-schema",
                "path": "aggregate.schema.json",
                "format": "json",
                "mediatype": "application/schema+json",
                "encoding": "utf-8",
                "description": "JSON Schema (draft 2020-12) of aggregate.json.",
            },
        ],
    }


README = """TIP evaluation aggregate
========================

Created: {created}

Files
-----
aggregate.json          The aggregate: per instrument, scale, group and pair of waves (baseline
                        to straight after, baseline to each follow-up), the number of people with
                        both scores, the means before and after, the mean change and its SD, and
                        Hedges' g_av and Cohen's d_z with their variances and standard errors;
                        and how many took part, by format and by sector.
aggregate.schema.json   A JSON Schema (draft 2020-12) describing every field.
datapackage.json        A Frictionless Data Package descriptor listing the files.

What it leaves out
------------------
No person-level data: no rows, ids, names, email addresses or free text. Organisations appear
only as their sector; the programme and partnership are not named.

Suppression
-----------
Counts under {minimum} are suppressed: their value is null and "suppressed" is true. Where a
single suppressed count in a breakdown could be worked out from the total, the next smallest is
suppressed too. A change resting on fewer than {minimum} people has every figure suppressed.
Percentages are rounded to whole numbers.

Effect sizes
------------
Changes are the later wave minus the baseline. Hedges' g_av divides the mean change by the root
mean square of the two waves' SDs and applies Hedges' small-sample correction; its variance is
Borenstein et al. (2009), eq. 4.28. Cohen's d_z divides the mean change by the SD of the changes;
its variance is 1/n + d_z^2/(2n).
"""


def write_package(payload: dict[str, Any]) -> bytes:
    """The data package as ZIP bytes (small: an aggregate is a few kilobytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "datapackage.json", json.dumps(datapackage(payload), indent=2, ensure_ascii=False)
        )
        archive.writestr("aggregate.json", json.dumps(payload, indent=2, ensure_ascii=False))
        archive.writestr("aggregate.schema.json", SCHEMA_PATH.read_text(encoding="utf-8"))
        archive.writestr(
            "README.txt",
            README.format(created=payload["created"], minimum=payload["minimum_count"]),
        )
    return out.getvalue()
