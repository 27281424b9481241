"""Evaluation reports for a session, a course, a programme or a whole partnership: every analysis
of the plans the scope covers, worked out once from the frames of ``analysis_data`` and laid out
as sections of findings, charts (each with its data table) and plain-English methods and
caveats, for the report page and its PDF (docs/evaluation-reports.md).

The report is built in the reader's language. What it holds is in reports_model.py (re-exported
here); each finding is made in reports_findings.py; ``build_report`` puts them together.

Reading is bounded: per plan, the plan's waves, answers and invitations are read once
(``analysis_data.plan_frames``, a fixed number of queries) and every instrument's frames are
derived from that reading; the planned measures with their outcomes and
indicators in four queries for all the plans. Each analysis runs once per score and wave, and
the matching once per instrument.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pandas as pd
from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tip.core.models import Partnership
from tip.evaluation import analysis_data
from tip.evaluation import reports_text as text
from tip.evaluation.analysis import charts
from tip.evaluation.analysis.instrument_model import Instrument, Respondent
from tip.evaluation.analysis_data import Scope
from tip.evaluation.models import EvaluationPlan, PlannedMeasure
from tip.evaluation.reports_findings import (
    TRAINED,
    attrition_finding,
    baseline_wave,
    effect_text,
    match_people,
    measure_report,
    observation_findings,
)
from tip.evaluation.reports_model import (
    Chart,
    Finding,
    MeasureReport,
    OutcomeResult,
    PlanReport,
    Report,
    Table,
)
from tip.evaluation.selectors_instruments import instrument_for
from tip.programmes.models import Indicator

__all__ = [
    "Chart",
    "Finding",
    "MeasureReport",
    "OutcomeResult",
    "PlanReport",
    "Report",
    "Table",
    "build_report",
    "report_cache_key",
    "report_to_show",
]


REPORT_CACHE_VERSION = 1  # bump when what a cached report holds changes shape


def build_report(*, scope: Scope, partnership: Partnership, subject: str) -> Report:
    """The report for the scope (whose partnership the caller has checked), in the active
    language. ``subject`` names what it covers (the programme's, course's or session's name)."""
    plans = analysis_data.plans_in(scope)
    measures = _planned_measures(plans)
    parts = tuple(
        _plan_report(plan, scope, measures.get(plan.pk, []), partnership) for plan in plans
    )
    return Report(
        scope=scope,
        title=_title(scope, subject),
        subject=subject,
        partnership=partnership.name,
        language=get_language() or "en",
        generated_at=timezone.now(),
        plans=parts,
        evidence_caveat=_(text.EVIDENCE_CAVEAT),
        caveats=tuple(_(c) for c in text.CAVEATS),
        methods=tuple((_(term), _(meaning)) for term, meaning in text.METHODS),
    )


def _title(scope: Scope, subject: str) -> str:
    titles = {
        "programme": _("Evaluation report: %(subject)s"),
        "course": _("Evaluation report for the course %(subject)s"),
        "session": _("Evaluation report for the session %(subject)s"),
        "partnership": _("Evaluation report for %(subject)s"),
    }
    return titles[scope.kind] % {"subject": subject}


def report_cache_key(scope: Scope, language: str) -> str:
    return (
        f"evaluation:report:v{REPORT_CACHE_VERSION}:"
        f"{scope.partnership_id}:{scope.kind}:{scope.id}:{language}"
    )


def report_to_show(*, scope: Scope, partnership: Partnership, subject: str) -> Report:
    """The report as the page and the PDF show it: ``build_report``'s, kept in Django's cache
    for TIP_REPORT_CACHE_SECONDS per partnership, scope and language, so the PDF downloaded
    straight after the page (or the page opened again) does not work every analysis out again.

    A new answer, an import or a change to the plan shows at the latest that many seconds later
    (the report's ``generated_at`` says when its figures were worked out, and the page says how
    long they are kept). What is kept is only what the page shows: the analyses' own results,
    some of which are per person (each person's reliable change, the matching weights), are
    dropped, so the cache never holds anything about one person. The title and names are the
    current ones even when the figures are kept."""
    seconds: int = settings.TIP_REPORT_CACHE_SECONDS
    key = report_cache_key(scope, get_language() or "en")
    found: Report | None = cache.get(key) if seconds > 0 else None
    if found is None:
        found = _for_showing(build_report(scope=scope, partnership=partnership, subject=subject))
        if seconds > 0:
            cache.set(key, found, seconds)
    return replace(
        found, title=_title(scope, subject), subject=subject, partnership=partnership.name
    )


def _for_showing(report: Report) -> Report:
    """The report without the analyses' own results (only the findings the page shows)."""
    return replace(
        report,
        plans=tuple(
            replace(
                plan,
                measures=tuple(
                    replace(
                        m,
                        prepost={},
                        reliable_change={},
                        reliability=None,
                        mixed=None,
                        dropouts=None,
                        subgroups={},
                        matching=None,
                        matched_effect=None,
                        did=None,
                    )
                    for m in plan.measures
                ),
            )
            for plan in report.plans
        ),
    )


def _planned_measures(plans: Sequence[EvaluationPlan]) -> dict[int, list[PlannedMeasure]]:
    """Every plan's measures with their waves, outcomes and indicators (with the outcome each
    belongs to): four queries."""
    found: dict[int, list[PlannedMeasure]] = {}
    if not plans:
        return found
    rows = (
        PlannedMeasure.objects.filter(
            plan__in=[p.pk for p in plans], partnership_id=plans[0].partnership_id
        )
        .prefetch_related(
            "waves",
            "outcomes",
            Prefetch("indicators", queryset=Indicator.objects.select_related("outcome")),
        )
        .order_by("pk")
    )
    for measure in rows:
        found.setdefault(measure.plan_id, []).append(measure)
    return found


def _plan_report(
    plan: EvaluationPlan,
    scope: Scope,
    planned: Sequence[PlannedMeasure],
    partnership: Partnership,
) -> PlanReport:
    prefix = f"p{plan.pk}"
    frames = analysis_data.plan_frames(plan, scope)  # the plan's answers, read once
    flow = frames.flow()
    measures: list[MeasureReport] = []
    skipped: list[str] = []
    observers: list[tuple[Instrument, str]] = []
    for planned_measure in planned:
        try:
            instrument = instrument_for(
                partnership, planned_measure.instrument_id, planned_measure.instrument_version
            )
        except KeyError:
            skipped.append(
                _("%(id)s: the instrument is no longer in the library.")
                % {"id": planned_measure.instrument_id}
            )
            continue
        title = instrument.title.in_language(get_language() or "en")
        if instrument.respondent != Respondent.SELF:
            observers.append((instrument, title))
            continue
        frame = frames.scores(instrument.id)
        items = _baseline_items(frames, instrument, frame)
        columns = [
            (column, label)
            for column, label in _score_columns(instrument)
            if column in frame.columns and frame[column].notna().any()
        ]
        names = [_score_name(title, column, label) for column, label in columns]
        shared = match_people(frame, columns, names)
        for (column, _label), name in zip(columns, names, strict=True):
            measures.append(
                measure_report(
                    f"{prefix}-{instrument.id}-{column.replace(':', '-')}",
                    instrument,
                    title,
                    column,
                    name,
                    frame,
                    items,
                    shared,
                )
            )
        if not any(m.instrument_id == instrument.id for m in measures):
            skipped.append(_("%(title)s: no scores yet.") % {"title": title})
    flow_finding, _flow = attrition_finding(prefix, flow)
    return PlanReport(
        plan_id=plan.pk,
        programme_id=plan.programme_id,
        programme=plan.programme.name,
        attrition=(flow_finding,),
        measures=tuple(measures),
        overview=_overview_chart(prefix, measures),
        outcomes=_outcomes(planned, measures),
        skipped=tuple(skipped),
        observations=observation_findings(prefix, plan, scope, observers),
    )


def _score_columns(instrument: Instrument) -> list[tuple[str, str]]:
    """The scores analysed: the total when the instrument has one, otherwise each subscale."""
    language = get_language() or "en"
    if instrument.total is not None:
        return [("score", _("Total score"))]
    return [
        (analysis_data.subscale_column(s.id), s.title.in_language(language))
        for s in instrument.subscales
    ]


def _score_name(title: str, column: str, label: str) -> str:
    """The instrument's title, with the subscale's for a subscale."""
    if column == "score":
        return title
    return _("%(instrument)s: %(score)s") % {"instrument": title, "score": label}


def _baseline_items(
    frames: analysis_data.PlanFrames, instrument: Instrument, frame: pd.DataFrame
) -> pd.DataFrame | None:
    baseline = baseline_wave(frame)
    if baseline is None:
        return None
    return frames.items(instrument.id, wave_id=baseline[1])


def _overview_chart(prefix: str, measures: Sequence[MeasureReport]) -> Chart | None:
    """Hedges' g_av with its interval for each score at each later wave (trained group)."""
    points: list[charts.Interval] = []
    rows: list[tuple[str, ...]] = []
    for m in measures:
        for (wave, group), change in m.prepost.items():
            if group != TRAINED:
                continue
            label = _("%(score)s, %(wave)s") % {"score": m.label, "wave": wave}
            g = change.g_av
            points.append(charts.Interval(label, g.value, g.ci_low, g.ci_high, change.n))
            rows.append(
                (
                    m.label,
                    wave,
                    text.count(change.n),
                    text.estimate(change.mean_difference, short=True),
                    effect_text(g),
                )
            )
    if not points:
        return None
    svg = charts.interval_chart(
        points,
        chart_id=f"{prefix}-overview",
        title=_("Change from the baseline for each score (trained group)"),
        description=_(
            "Dot and whisker chart of Hedges' g_av, with its %(level)s confidence interval, "
            "for each score at each later wave. The dashed line is no change. The figures are "
            "in the table after the chart."
        )
        % {"level": "95%"},
        x_label=_("Hedges' g_av (change in standard deviations)"),
        empty=_("No change to show yet"),
    )
    table = Table(
        caption=_("Change from the baseline for each score (trained group)"),
        head=(
            _("Score"),
            _("Wave"),
            _("Pairs (n)"),
            _("Mean change (95% CI)"),
            _("Hedges' g_av (95% CI)"),
        ),
        rows=tuple(rows),
        numeric=(False, False, True, True, True),
    )
    return Chart(f"{prefix}-overview", svg, svg.title, table)


def _outcomes(
    planned: Sequence[PlannedMeasure], measures: Sequence[MeasureReport]
) -> tuple[OutcomeResult, ...]:
    """Each outcome (and indicator) the plan measures, with the trained group's change at each
    later wave of each score of the instrument measuring it."""
    found: list[OutcomeResult] = []
    for planned_measure in planned:
        mine = [m for m in measures if m.instrument_id == planned_measure.instrument_id]
        targets: list[tuple[str, str]] = [
            (i.outcome.title, i.what) for i in planned_measure.indicators.all()
        ]
        named = {outcome for outcome, _what in targets}
        targets += [(o.title, "") for o in planned_measure.outcomes.all() if o.title not in named]
        changes = [
            (m, wave, change)
            for m in mine
            for (wave, group), change in m.prepost.items()
            if group == TRAINED
        ]
        for outcome, indicator in targets:
            if not changes:
                # No scores yet, or scores at one wave only: nothing to compare.
                found.append(
                    OutcomeResult(
                        outcome=outcome,
                        indicator=indicator,
                        instrument=mine[0].instrument_title
                        if mine
                        else planned_measure.instrument_id,
                        measure="",
                        wave="",
                        n=0,
                        mean_change=text.DASH,
                        effect_size=text.DASH,
                        direction=_("No change measured yet") if mine else _("Not measured yet"),
                    )
                )
            for m in mine:
                for (wave, group), change in m.prepost.items():
                    if group != TRAINED:
                        continue
                    found.append(
                        OutcomeResult(
                            outcome=outcome,
                            indicator=indicator,
                            instrument=m.instrument_title,
                            measure=m.label,
                            wave=wave,
                            n=change.n,
                            mean_change=text.estimate(change.mean_difference, short=True),
                            effect_size=effect_text(change.g_av),
                            direction=_direction(change.direction),
                        )
                    )
    return tuple(found)


def _direction(direction: str) -> str:
    return {
        "improved": _("Improved"),
        "worse": _("Worse"),
        "no change": _("No change"),
    }.get(direction, _("Not known"))
