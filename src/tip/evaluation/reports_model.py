"""What an evaluation report holds (reports.py builds one): sections of findings, each with the
number of people it rests on, its method, assumptions and notes, and its figures as a table, a
chart followed by its table, or both; already in the reader's language, ready for the report
page and its PDF. The analyses' own results are kept too, so they can be checked and reused
(the JSON API does)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tip.evaluation.analysis import charts
from tip.evaluation.analysis_data import Scope

__all__ = [
    "Chart",
    "Finding",
    "MeasureReport",
    "OutcomeResult",
    "PlanReport",
    "Report",
    "Table",
]


@dataclass(frozen=True)
class Table:
    """A data table: its caption, column headings and rows of text (already formatted);
    ``numeric`` says which columns hold figures (aligned right)."""

    caption: str
    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...] = ()
    note: str = ""

    def cells(self) -> list[list[tuple[str, bool]]]:
        """Each row's cells with whether they are figures (for the templates)."""
        flags = self.numeric or (False,) * len(self.head)
        return [list(zip(row, flags, strict=False)) for row in self.rows]


@dataclass(frozen=True)
class Chart:
    """A chart (SVG with its title and text alternative), a visible caption, and the table of
    the figures it draws, which the page puts straight after it."""

    id: str
    svg: charts.Svg
    caption: str
    table: Table


@dataclass(frozen=True)
class Finding:
    """One result as the report shows it: a heading, a sentence saying what it found, how many
    people it rests on, the method and its assumptions, notes on what limits it, and its
    figures (a table, a chart, or both)."""

    id: str
    title: str
    summary: str
    n: int | None
    method: str
    assumptions: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    table: Table | None = None
    chart: Chart | None = None


@dataclass(frozen=True)
class MeasureReport:
    """One score of one instrument (its total, or a subscale when it has no total): the
    findings in order, and the analyses' own results (keyed by wave name and group) so they can
    be checked and reused."""

    id: str
    instrument_id: str
    instrument_version: int
    instrument_title: str
    measure: str  # "score" or "subscale:<id>"
    label: str  # the score's name: "Total" or the subscale's title
    validated: bool
    findings: tuple[Finding, ...]
    prepost: dict[tuple[str, str], Any] = field(default_factory=dict)
    reliable_change: dict[tuple[str, str], Any] = field(default_factory=dict)
    reliability: Any = None
    mixed: Any = None
    dropouts: Any = None
    subgroups: dict[str, Any] = field(default_factory=dict)
    matching: Any = None
    matched_effect: Any = None
    did: Any = None
    baseline_wave: str = ""  # the wave changes are counted from
    comparison_wave: str = ""  # the wave the matched comparison looks at ("" when none)


@dataclass(frozen=True)
class OutcomeResult:
    """An outcome of the Theory of Change (with its indicator, if the plan names one) and the
    measured change of the score that measures it, at one later wave, in the trained group."""

    outcome: str
    indicator: str
    instrument: str
    measure: str
    wave: str
    n: int
    mean_change: str
    effect_size: str
    direction: str


@dataclass(frozen=True)
class PlanReport:
    """The part of a report about one programme's evaluation plan."""

    plan_id: int
    programme_id: int
    programme: str
    attrition: tuple[Finding, ...]
    measures: tuple[MeasureReport, ...]
    overview: Chart | None
    outcomes: tuple[OutcomeResult, ...]
    skipped: tuple[str, ...]  # instruments not analysed, and why
    observations: tuple[Finding, ...] = ()  # observation forms, described


@dataclass(frozen=True)
class Report:
    scope: Scope
    title: str
    subject: str
    partnership: str
    language: str
    generated_at: Any
    plans: tuple[PlanReport, ...]
    evidence_caveat: str
    caveats: tuple[str, ...]
    methods: tuple[tuple[str, str], ...]

    @property
    def empty(self) -> bool:
        return not any(p.measures for p in self.plans)
