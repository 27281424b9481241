"""Pooling shared aggregates: for every instrument, scale and pair of waves found in them, the
trained groups' Hedges' g_av from each partnership pooled by random-effects meta-analysis
(analysis/meta.py), with the forest plot and its text alternative; and who took part in each
share (people by group and wave, by format and by sector), as the aggregate shows them.

Plain Python, no Django: the view passes the shares as (label, payload) pairs. Nothing here
works out a count the aggregate suppressed: a suppressed cell stays None."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tip.evaluation.analysis.aggregate import PAIRS, pooled_change
from tip.evaluation.analysis.charts_meta import forest_plot, forest_plot_note
from tip.evaluation.analysis.meta import (
    REML,
    MetaResult,
    StudyEffect,
    StudyRow,
    meta_analyse,
)
from tip.evaluation.analysis.results import Note

EFFECT_LABEL = "Hedges' g_av"


@dataclass(frozen=True)
class Share:
    """One partnership's shared aggregate, as the national view labels it."""

    label: str
    payload: dict[str, Any]


# Why a partnership listed under a pooled result has no figures in the pool.
FEWER_THAN_MINIMUM = "fewer_than_minimum"  # its change rests on fewer than 5 people
NO_EFFECT_SIZE = "no_effect_size"  # enough people, but no effect size (e.g. no variation)


@dataclass(frozen=True)
class Contribution:
    """A partnership's row in a pooled result's table: its figures, or why it has none
    (``left_out``: "" when pooled, else FEWER_THAN_MINIMUM or NO_EFFECT_SIZE)."""

    label: str
    n_pairs: int | None  # None: suppressed (fewer than 5)
    suppressed: bool
    g_av: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    weight: float | None
    to_wave: str
    left_out: str = ""


@dataclass(frozen=True)
class Pooled:
    """The pooled result of one instrument, scale and pair of waves."""

    instrument_id: str
    instrument_title: str
    scale: str
    scale_title: str
    pair: str
    result: MetaResult | None  # None: no partnership has figures to pool
    contributions: tuple[Contribution, ...]
    chart: str
    chart_text: Note | None  # the chart's text alternative (translate its template)

    @property
    def key(self) -> str:
        return f"{self.instrument_id}-{self.scale}-{self.pair}"

    @property
    def too_few(self) -> list[str]:
        """The partnerships left out because their change rests on fewer than 5 people."""
        return [c.label for c in self.contributions if c.left_out == FEWER_THAN_MINIMUM]

    @property
    def no_effect_size(self) -> list[str]:
        """The partnerships left out for want of an effect size, despite enough people."""
        return [c.label for c in self.contributions if c.left_out == NO_EFFECT_SIZE]


def _keys(shares: Sequence[Share]) -> list[tuple[str, str, str, str, str]]:
    """Every (instrument, scale, pair) in any share, in first-seen order, with titles."""
    found: dict[tuple[str, str, str], tuple[str, str]] = {}
    for share in shares:
        for instrument in share.payload.get("instruments", []):
            titles = {s["id"]: s["title"] for s in instrument.get("scales", [])}
            for change in instrument.get("changes", []):
                key = (instrument["instrument_id"], change["scale"], change["pair"])
                found.setdefault(key, (instrument["title"], titles.get(change["scale"], "")))
    order = {p: i for i, p in enumerate(PAIRS)}
    keys = sorted(found, key=lambda k: (k[0], k[1], order.get(k[2], 9)))
    return [(i, found[(i, s, p)][0], s, found[(i, s, p)][1], p) for i, s, p in keys]


def _row_of(share: Share, instrument_id: str, scale: str, pair: str) -> dict[str, Any] | None:
    for instrument in share.payload.get("instruments", []):
        if instrument.get("instrument_id") != instrument_id:
            continue
        rows = [
            c
            for c in instrument.get("changes", [])
            if c["group"] == "trained" and c["scale"] == scale and c["pair"] == pair
        ]
        if rows:
            first: dict[str, Any] = min(rows, key=lambda c: c["to_wave"]["offset_days"])
            return first
    return None


def _contribution(
    share: Share,
    row: dict[str, Any] | None,
    study: StudyRow | None,
    instrument_id: str,
    scale: str,
    pair: str,
) -> Contribution:
    """A pooled partnership's figures; or, for one left out, its first trained change of the
    pair as the aggregate shows it (its number of pairs suppressed or not) and why."""
    if row is not None and study is not None:
        return Contribution(
            label=share.label,
            n_pairs=row["n_pairs"]["value"],
            suppressed=False,
            g_av=study.effect,
            se=study.se,
            ci_low=study.ci_low,
            ci_high=study.ci_high,
            weight=study.weight_random,
            to_wave=row["to_wave"]["name"],
        )
    shown = _row_of(share, instrument_id, scale, pair) or {}
    n_pairs = shown.get("n_pairs") or {"value": None, "suppressed": True}
    suppressed = bool(n_pairs.get("suppressed")) or n_pairs.get("value") is None
    return Contribution(
        label=share.label,
        n_pairs=None if suppressed else int(n_pairs["value"]),
        suppressed=suppressed,
        g_av=None,
        se=None,
        ci_low=None,
        ci_high=None,
        weight=None,
        to_wave=str(shown.get("to_wave", {}).get("name", "")),
        left_out=FEWER_THAN_MINIMUM if suppressed else NO_EFFECT_SIZE,
    )


def pool(shares: Sequence[Share], *, method: str = REML, charts: bool = True) -> list[Pooled]:
    """One pooled result per instrument, scale and pair of waves found in the shares. A
    partnership whose change is suppressed (fewer than 5 pairs) is listed without figures and
    left out of the pool."""
    pooled = []
    for instrument_id, title, scale, scale_title, pair in _keys(shares):
        studies: list[StudyEffect] = []
        listed: list[tuple[Share, dict[str, Any] | None]] = []
        for share in shares:
            row = pooled_change(share.payload, instrument_id, scale, pair)
            if row is not None and row.get("g_av_variance"):
                studies.append(
                    StudyEffect(
                        share.label, row["g_av"], row["g_av_variance"], row["n_pairs"]["value"]
                    )
                )
                listed.append((share, row))
            elif _row_of(share, instrument_id, scale, pair) is not None:
                listed.append((share, None))
        result = meta_analyse(studies, method=method) if studies else None
        by_label = {r.label: r for r in result.studies} if result else {}
        contributions = []
        for share, row in listed:
            study = by_label.get(share.label) if row is not None else None
            contributions.append(_contribution(share, row, study, instrument_id, scale, pair))
        chart, text = "", None
        if result is not None:
            text = forest_plot_note(result, effect_label=EFFECT_LABEL)
            if charts:
                chart = forest_plot(result, effect_label=EFFECT_LABEL)
        pooled.append(
            Pooled(
                instrument_id=instrument_id,
                instrument_title=title,
                scale=scale,
                scale_title=scale_title,
                pair=pair,
                result=result,
                contributions=tuple(contributions),
                chart=chart,
                chart_text=text,
            )
        )
    return pooled


@dataclass(frozen=True)
class Cell:
    """A count as the aggregate shows it: ``value`` None when suppressed; ``percent`` (a whole
    number, of the group's people) for the breakdowns, None when suppressed or not given."""

    value: int | None
    percent: int | None = None

    @property
    def suppressed(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class TakingPartRow:
    """One line of a share's "who took part" table: ``kind`` is "people", "wave", "format" or
    "sector"; ``category`` the wave's name, or the format's or sector's code ("unknown" when not
    recorded); one cell per group, in the order of the table's ``groups`` (None: the group has
    no such line in the aggregate)."""

    kind: str
    category: str
    cells: tuple[Cell | None, ...]


@dataclass(frozen=True)
class TakingPart:
    """Who took part in one instrument of one share, by group (trained, comparison)."""

    label: str
    instrument_title: str
    groups: tuple[str, ...]
    rows: tuple[TakingPartRow, ...]

    @property
    def suppressed(self) -> bool:
        return any(c is not None and c.suppressed for r in self.rows for c in r.cells)


def _cell(count: dict[str, Any] | None, percent: dict[str, Any] | None = None) -> Cell:
    """A cell of the aggregate as a Cell: anything marked suppressed, or without a value, stays
    without a number."""
    value = None
    if count and not count.get("suppressed") and count.get("value") is not None:
        value = int(count["value"])
    shown = None
    if value is not None and percent and not percent.get("suppressed"):
        shown = None if percent.get("value") is None else round(float(percent["value"]))
    return Cell(value, shown)


def _by_category(groups: Sequence[dict[str, Any]], kind: str, key: str) -> list[TakingPartRow]:
    """The groups' breakdowns side by side, categories in first-seen order."""
    order: list[str] = []
    cells: list[dict[str, Cell]] = []
    for group in groups:
        found = {}
        for b in group.get(key, []):
            category = str(b.get("category", ""))
            if category not in order:
                order.append(category)
            found[category] = _cell(b.get("count"), b.get("percent"))
        cells.append(found)
    return [TakingPartRow(kind, c, tuple(g.get(c) for g in cells)) for c in order]


def taking_part(shares: Sequence[Share]) -> list[TakingPart]:
    """For each share and instrument: its people by group, its responses by group and wave,
    and its people by format and by sector, exactly as suppressed in the aggregate."""
    found = []
    for share in shares:
        for instrument in share.payload.get("instruments", []):
            # A group nobody is in has no breakdowns (one of 1 to 4 people has them, suppressed).
            groups = [
                g for g in instrument.get("groups", []) if g.get("by_format") or g.get("by_sector")
            ]
            if not groups:
                continue
            names = {w["key"]: str(w.get("name", w["key"])) for w in instrument.get("waves", [])}
            rows = [
                TakingPartRow("people", "", tuple(_cell(g.get("participants")) for g in groups))
            ]
            for key, name in names.items():
                cells = []
                for group in groups:
                    by_wave = {r.get("wave"): r for r in group.get("responses_by_wave", [])}
                    row = by_wave.get(key)
                    cells.append(_cell(row.get("count")) if row else None)
                rows.append(TakingPartRow("wave", name, tuple(cells)))
            rows += _by_category(groups, "format", "by_format")
            rows += _by_category(groups, "sector", "by_sector")
            found.append(
                TakingPart(
                    label=share.label,
                    instrument_title=str(instrument.get("title", "")),
                    groups=tuple(str(g.get("group", "")) for g in groups),
                    rows=tuple(rows),
                )
            )
    return found
