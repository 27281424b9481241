"""A partnership's aggregate for sharing beyond it: per instrument and pair of waves (baseline to
straight after, baseline to each follow-up), per group, the number of people with both scores,
the mean before and after, the mean change and its SD, and two effect sizes (Hedges' g_av and
Cohen's d_z) with their sampling variances, so that other partnerships' results can be pooled
(analysis/meta.py); and how many took part, by format and by sector.

Built from the analysis frames (one row per response, see ``tip.evaluation.analysis_data``),
never from anything else, so the demo's fictional partnerships and real ones go through the
same code. What it leaves out, on purpose: people (no ids, no names, no rows), organisations
(only their sector), free text. Counts under ``MINIMUM_COUNT`` are suppressed (``value`` null,
``suppressed`` true), with a second cell suppressed where one suppressed cell could be worked out
from a total; a change whose number of pairs is suppressed has every figure suppressed;
percentages are whole numbers. ``data/aggregate.schema.json`` describes the result, and
docs/evaluation-sharing.md explains it.

Plain Python (pandas), no Django.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .prepost import PairedChange, paired_change
from .results import AnalysisInputError, clean_number, to_jsonable

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "GROUPS",
    "MINIMUM_COUNT",
    "PAIRS",
    "InstrumentScores",
    "build_aggregate",
    "count_cell",
    "effect_variances",
    "instrument_aggregate",
    "pooled_change",
]

FORMAT = "tip-evaluation-aggregate"
FORMAT_VERSION = 1
# Counts below this are never shown (a common rule in UK official statistics for small cells).
MINIMUM_COUNT = 5
GROUPS = ("trained", "comparison")
BASELINE_POST = "baseline_post"
BASELINE_FOLLOW_UP = "baseline_follow_up"
PAIRS = (BASELINE_POST, BASELINE_FOLLOW_UP)
UNKNOWN = "unknown"
TOTAL = "total"
SUBSCALE_PREFIX = "subscale:"
FRAME_COLUMNS = (
    "person",
    "group",
    "wave",
    "wave_id",
    "wave_kind",
    "wave_offset",
    "sector",
    "format",
    "score",
)


@dataclass(frozen=True)
class InstrumentScores:
    """One instrument's scores frame (``scores_frame``) and what the aggregate says about it.
    ``scale_titles``: the title of the total ("total") and of each subscale by id; a scale is
    aggregated when its column (``score`` or ``subscale:<id>``) has any score."""

    instrument_id: str
    version: int | None
    title: str
    frame: pd.DataFrame
    higher_is_better: bool = True
    scale_titles: Mapping[str, str] = field(default_factory=dict)


def count_cell(count: int, *, minimum: int = MINIMUM_COUNT) -> dict[str, Any]:
    """A count as the aggregate shows it: suppressed (null) under the minimum."""
    if count < minimum:
        return {"value": None, "suppressed": True}
    return {"value": int(count), "suppressed": False}


def _percent_cell(count: int, total: int, suppressed: bool) -> dict[str, Any]:
    if suppressed or total <= 0:
        return {"value": None, "suppressed": True}
    return {"value": round(100 * count / total), "suppressed": False}


def effect_variances(change: PairedChange) -> tuple[float | None, float | None]:
    """The sampling variances of g_av and d_z for n pairs.

    d_z: 1/n + d_z^2/(2n). g_av: Borenstein et al. (2009, eq. 4.28) for a standardised mean
    change with the within-occasion SD as the standardiser, (1/n + d^2/(2n)) * 2(1 - r), times
    Hedges' J squared (d is g_av / J, r the before-after correlation). None where the effect
    size or the correlation is unknown."""
    n = change.n
    var_dz: float | None = None
    var_g: float | None = None
    if n >= 2 and change.d_z.value is not None:
        dz = change.d_z.value
        var_dz = 1 / n + dz**2 / (2 * n)
    if n >= 2 and change.g_av.value is not None and change.correlation is not None:
        df = n - 1
        j = 1 - 3 / (4 * df - 1)
        d = change.g_av.value / j
        var_g = j**2 * (1 / n + d**2 / (2 * n)) * 2 * (1 - change.correlation)
    return clean_number(var_g), clean_number(var_dz)


def _check(frame: pd.DataFrame, instrument_id: str) -> None:
    missing = [c for c in FRAME_COLUMNS if c not in frame.columns]
    if missing:
        raise AnalysisInputError(
            f"The scores of {instrument_id} have no column {missing[0]!r}: build them with "
            "scores_frame.",
            column=missing[0],
        )


def _wave_info(frame: pd.DataFrame) -> list[dict[str, Any]]:
    waves = (
        frame[["wave_id", "wave", "wave_kind", "wave_offset"]]
        .drop_duplicates("wave_id")
        .sort_values(["wave_offset", "wave_id"])
    )
    return [
        {
            "key": f"w{int(offset)}",
            "name": str(name),
            "kind": str(kind),
            "offset_days": int(offset),
            "_id": int(wave_id),
        }
        for wave_id, name, kind, offset in waves.itertuples(index=False)
    ]


def _pairs(waves: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """Baseline to the first wave straight after, and baseline to every follow-up."""
    baseline = next((w for w in waves if w["kind"] == "baseline"), None)
    if baseline is None:
        return []
    found = []
    post = next((w for w in waves if w["kind"] == "post"), None)
    if post is not None:
        found.append((BASELINE_POST, baseline, post))
    found += [(BASELINE_FOLLOW_UP, baseline, w) for w in waves if w["kind"] == "follow_up"]
    return found


def _public_wave(wave: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in wave.items() if not k.startswith("_")}


def _change_row(
    frame: pd.DataFrame,
    scale: str,
    group: str,
    pair: str,
    before: dict[str, Any],
    after: dict[str, Any],
    higher_is_better: bool,
) -> dict[str, Any]:
    column = _column(scale)
    rows = frame[(frame["group"] == group) & frame[column].notna()]
    # One score per person and wave: the last response, should there be two.
    pre = rows[rows["wave_id"] == before["_id"]].groupby("person")[column].last()
    post = rows[rows["wave_id"] == after["_id"]].groupby("person")[column].last()
    both = pd.concat([pre.rename("pre"), post.rename("post")], axis=1, join="inner")
    n = len(both)
    row: dict[str, Any] = {
        "scale": scale,
        "group": group,
        "pair": pair,
        "from_wave": _public_wave(before),
        "to_wave": _public_wave(after),
        "n_pairs": count_cell(n),
        "suppressed": n < MINIMUM_COUNT,
    }
    figures = (
        "mean_pre",
        "mean_post",
        "mean_difference",
        "sd_difference",
        "correlation",
        "g_av",
        "g_av_variance",
        "g_av_se",
        "d_z",
        "d_z_variance",
        "d_z_se",
    )
    if n < MINIMUM_COUNT:
        return row | dict.fromkeys(figures) | {"notes": []}
    change = paired_change(
        both["pre"].to_numpy(float),
        both["post"].to_numpy(float),
        higher_is_better=higher_is_better,
    )
    var_g, var_dz = effect_variances(change)
    return row | {
        "mean_pre": clean_number(change.mean_pre),
        "mean_post": clean_number(change.mean_post),
        "mean_difference": clean_number(change.mean_difference.value),
        "sd_difference": clean_number(change.sd_difference),
        "correlation": clean_number(change.correlation),
        "g_av": clean_number(change.g_av.value),
        "g_av_variance": var_g,
        "g_av_se": None if var_g is None else math.sqrt(var_g),
        "d_z": clean_number(change.d_z.value),
        "d_z_variance": var_dz,
        "d_z_se": None if var_dz is None else math.sqrt(var_dz),
        "notes": [str(note) for note in change.notes],
    }


def _column(scale: str) -> str:
    return "score" if scale == TOTAL else SUBSCALE_PREFIX + scale


def _scales(frame: pd.DataFrame) -> list[str]:
    """The total, then each subscale, that has at least one score."""
    found = [TOTAL] if frame["score"].notna().any() else []
    found += [
        str(c).removeprefix(SUBSCALE_PREFIX)
        for c in frame.columns
        if str(c).startswith(SUBSCALE_PREFIX) and frame[c].notna().any()
    ]
    return found


def _breakdown(people: pd.DataFrame, column: str) -> list[dict[str, Any]]:
    """People counted by ``column`` (each person once, by their first response's value), with
    whole-number percentages of everyone counted; a second-smallest cell is suppressed too when
    only one would be, so the suppressed one cannot be worked out from the total."""
    values = people[column].fillna("").astype(str).replace("", UNKNOWN)
    counts = values.value_counts()
    total = int(counts.sum())
    ordered = sorted(counts.items(), key=lambda kv: (-int(kv[1]), str(kv[0])))
    hidden = {str(k) for k, c in ordered if int(c) < MINIMUM_COUNT}
    if len(hidden) == 1 and len(ordered) > 1:
        shown = [(str(k), int(c)) for k, c in ordered if str(k) not in hidden]
        hidden.add(min(shown, key=lambda kv: (kv[1], kv[0]))[0])
    cells = []
    for key, count in ordered:
        suppressed = str(key) in hidden
        cell = count_cell(int(count)) if not suppressed else {"value": None, "suppressed": True}
        cells.append(
            {
                "category": str(key),
                "count": cell,
                "percent": _percent_cell(int(count), total, suppressed),
            }
        )
    return cells


def instrument_aggregate(scores: InstrumentScores) -> dict[str, Any]:
    """One instrument's part of the aggregate (see the module's docstring)."""
    frame = scores.frame
    _check(frame, scores.instrument_id)
    waves = _wave_info(frame)
    groups = []
    for group in GROUPS:
        rows = frame[frame["group"] == group]
        people = rows.sort_values(["wave_offset"]).drop_duplicates("person")
        groups.append(
            {
                "group": group,
                "participants": count_cell(len(people)),
                "by_format": _breakdown(people, "format") if len(people) else [],
                "by_sector": _breakdown(people, "sector") if len(people) else [],
                "responses_by_wave": [
                    {
                        "wave": w["key"],
                        "count": count_cell(int((rows["wave_id"] == w["_id"]).sum())),
                    }
                    for w in waves
                ],
            }
        )
    scales = _scales(frame)
    changes = [
        _change_row(frame, scale, group, pair, before, after, scores.higher_is_better)
        for scale in scales
        for pair, before, after in _pairs(waves)
        for group in GROUPS
        if (frame["group"] == group).any()
    ]
    return {
        "instrument_id": scores.instrument_id,
        "instrument_version": scores.version,
        "title": scores.title,
        "higher_is_better": scores.higher_is_better,
        "waves": [_public_wave(w) for w in waves],
        "scales": [{"id": s, "title": scores.scale_titles.get(s, s)} for s in scales],
        "groups": groups,
        "changes": changes,
    }


def build_aggregate(
    instruments: Iterable[InstrumentScores],
    *,
    created: str,
    nation: str = "",
    comparison_group: bool = False,
    linking: str = "identified",
    notes: Sequence[str] = (),
) -> dict[str, Any]:
    """The whole aggregate of one evaluation plan, as JSON values (valid against
    ``aggregate.schema.json``). It names no partnership, programme, organisation or person:
    whoever receives it knows who sent it, and decides whether to show that."""
    return to_jsonable(  # type: ignore[no-any-return]
        {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created": created,
            "minimum_count": MINIMUM_COUNT,
            "nation": nation,
            "comparison_group": comparison_group,
            "linking": linking,
            "effect_direction": "post minus baseline",
            "instruments": [instrument_aggregate(s) for s in instruments],
            "notes": list(notes),
        }
    )


def pooled_change(
    aggregate: dict[str, Any], instrument_id: str, scale: str, pair: str
) -> dict[str, Any] | None:
    """The trained group's change the national view pools for this instrument, scale and pair: for
    "baseline_post" the (one) post wave; for "baseline_follow_up" the earliest follow-up with
    figures. None when the aggregate has none (or only suppressed ones)."""
    for instrument in aggregate.get("instruments", []):
        if instrument.get("instrument_id") != instrument_id:
            continue
        rows = [
            c
            for c in instrument.get("changes", [])
            if c.get("group") == "trained" and c.get("pair") == pair and c.get("scale") == scale
        ]
        rows.sort(key=lambda c: c["to_wave"]["offset_days"])
        for row in rows:
            if not row.get("suppressed") and row.get("g_av") is not None:
                return row  # type: ignore[no-any-return]
    return None
