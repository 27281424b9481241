"""Evaluation reports in the JSON API, under /api/evaluation: the results of a programme's,
course's, session's or the whole partnership's evaluation, as the report pages show them
(reports.py builds both), with every figure as a number rather than formatted text.

Reports are aggregates, and this API keeps them so: it never returns a person's id or
pseudonym, a person's reliable change, or a matching's weights, pairs or propensity scores —
only counts, means, estimates and tests. Small groups are withheld as the report withholds them
(subgroups, and completers against drop-outs, under 5 people). Each read is written to the
audit log with its purpose, as opening a report page is. Ids of another partnership's
programmes, courses and sessions answer 404. Registered from EvaluationConfig.ready()."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from tip.core.api import VIA, _documented, _need
from tip.core.audit import audit_view
from tip.core.models import AuditAction
from tip.evaluation import analysis_data, reports
from tip.evaluation import reports_text as text
from tip.evaluation.analysis.results import Estimate, Note, to_jsonable
from tip.evaluation.models import EvaluationPlan
from tip.evaluation.roles import VIEW_EVALUATION_REPORTS
from tip.evaluation.selectors_reports import report_subject
from tip.evaluation.views_reports import PURPOSE_REPORT

router = Router(tags=["evaluation"])

TRAINED = "trained"


# --- What a report looks like in JSON ---------------------------------------------------------
# Every schema's name starts with "Report" so it cannot clash with another part of the API.


class ReportEstimate(Schema):
    value: float | None = Field(description="The estimate; null when it cannot be worked out.")
    ci_low: float | None = Field(description="The lower end of its confidence interval.")
    ci_high: float | None = Field(description="The upper end of its confidence interval.")
    se: float | None = Field(description="Its standard error, where there is one.")
    level: float = Field(description="The interval's confidence level (0.95).")
    ci_method: str = Field(description="How the interval was worked out.")


class ReportEffectSize(Schema):
    name: str = Field(description="d_z or g_av.")
    definition: str = Field(description="What the mean change is divided by.")
    value: float | None
    ci_low: float | None
    ci_high: float | None
    level: float
    ci_method: str = Field(description="How the interval was worked out.")


class ReportTest(Schema):
    name: str
    statistic: float | None
    p_value: float | None = Field(description="Two-sided.")
    df: float | None = Field(description="Degrees of freedom, for tests that have them.")
    n: int = Field(description="The pairs the test uses (Wilcoxon leaves out ties at zero).")
    method: str


class ReportResult(Schema):
    """What every result carries: how many it rests on, how it was worked out, what it
    assumes and what limits it."""

    n: int | None = Field(description="How many people (or answers) the result rests on.")
    method: str
    assumptions: list[str]
    notes: list[str] = Field(description="Anything that limits the result, in plain words.")


class ReportChangeFigures(ReportResult):
    n_dropped: int = Field(description="People left out for a missing score.")
    higher_is_better: bool
    mean_pre: float | None
    mean_post: float | None
    sd_pre: float | None
    sd_post: float | None
    sd_difference: float | None
    correlation: float | None = Field(description="Pearson correlation of before and after.")
    mean_difference: ReportEstimate = Field(
        description="After minus before, with its 95% CI from the t distribution."
    )
    direction: str = Field(description="improved, worse, no change, or empty when unknown.")
    t_test: ReportTest = Field(description="Paired t-test.")
    wilcoxon: ReportTest = Field(description="Wilcoxon signed-rank test.")
    d_z: ReportEffectSize = Field(description="Cohen's d_z: mean change / SD of the changes.")
    g_av: ReportEffectSize = Field(
        description="Hedges' g_av: mean change / average SD of before and after, corrected for "
        "small samples."
    )


class ReportChange(ReportChangeFigures):
    wave: str = Field(description="The later wave, compared with the baseline.")
    group: str = Field(description="trained or comparison.")


class ReportReliability(ReportResult):
    wave: str = Field(description="The wave it was worked out at (the baseline).")
    n_dropped: int
    k: int = Field(description="Items in the scale.")
    alpha: ReportEstimate = Field(description="Cronbach's alpha, with Feldt's 95% CI.")
    omega: ReportEstimate = Field(description="McDonald's omega total (no interval).")


class ReportReliableChange(ReportResult):
    """Counts and shares only: never the people."""

    wave: str
    group: str
    n_dropped: int
    reliability: float = Field(description="The reliability used (Cronbach's alpha).")
    sd_baseline: float | None
    se_measurement: float | None
    s_diff: float | None
    criterion: float = Field(description="|RCI| above this is reliable change (1.96).")
    smallest_reliable_change: float | None = Field(
        description="The threshold in the score's own units: criterion times S_diff."
    )
    improved: int
    unchanged: int
    worse: int
    share_improved: float | None = Field(description="0 to 1.")
    share_unchanged: float | None
    share_worse: float | None


class ReportCoefficient(Schema):
    term: str
    label: str
    estimate: ReportEstimate
    z: float | None
    p_value: float | None


class ReportCellMean(Schema):
    wave: str
    group: str
    mean: ReportEstimate = Field(description="The model's estimated mean, with its 95% CI.")
    observed_mean: float | None
    n: int = Field(description="Answers at this wave in this group.")


class ReportVariance(Schema):
    name: str = Field(description="person, organisation or residual.")
    variance: float | None
    sd: float | None


class ReportMixedModel(ReportResult):
    n_people: int
    n_observations: int
    n_waves: int
    waves: list[str]
    groups: list[str]
    reference_group: str | None
    formula: str
    coefficients: list[ReportCoefficient]
    means: list[ReportCellMean] = Field(description="Estimated means by wave and group.")
    variance: list[ReportVariance]
    converged: bool | None


class ReportBalance(Schema):
    covariate: str = Field(
        description="A covariate, a level of one ('sector: health'), a baseline score "
        "('baseline:<score>') or the propensity score ('distance')."
    )
    kind: str = Field(description="continuous, binary or distance.")
    smd_before: float | None = Field(description="Standardised mean difference before matching.")
    smd_after: float | None = Field(description="Standardised mean difference after matching.")
    variance_ratio_before: float | None
    variance_ratio_after: float | None
    mean_treated_before: float | None
    mean_control_before: float | None
    mean_treated_after: float | None
    mean_control_after: float | None


class ReportMatching(ReportResult):
    """The matching, with its balance: never its weights, pairs or propensity scores."""

    description: str = Field(description="The matching in words.")
    estimand: str
    n_treated: int
    n_controls: int
    n_treated_matched: int
    n_controls_used: int
    n_dropped_missing: int
    ratio: int
    replace: bool
    caliper: float | None = Field(description="In SDs of the distance.")
    caliper_width: float | None
    exact: list[str]
    distance: str
    covariates: list[str]
    balance: list[ReportBalance]


class ReportEffectOnTreated(ReportResult):
    wave: str = Field(description="The later wave compared (the first both groups answered).")
    att: float | None = Field(description="The effect on the treated (trained).")
    se: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    se_method: str
    n_treated: int
    n_treated_matched: int
    n_controls_used: int
    mean_treated: float | None
    mean_control: float | None


class ReportGroupMean(Schema):
    group: str = Field(description="treated or control.")
    period: str = Field(description="before or after.")
    mean: float | None
    n: int


class ReportDid(ReportResult):
    estimate: float | None
    se: float | None = Field(description="Clustered by organisation.")
    ci_low: float | None
    ci_high: float | None
    ci_method: str
    p_value: float | None
    se_method: str
    n_units: int
    n_observations: int
    n_clusters: int | None
    means: list[ReportGroupMean]


class ReportFlowRow(Schema):
    wave: str
    wave_kind: str
    group: str
    invited: int
    responded: int
    linked: int
    analysed: int
    responded_share: float | None = Field(description="Of those invited, 0 to 1.")
    linked_share: float | None
    analysed_share: float | None


class ReportFlow(ReportResult):
    rows: list[ReportFlowRow] = Field(description="Each wave (in order) and group.")


class ReportGroupSummary(Schema):
    n: int | None = Field(description="null when 1 to 4 (withheld).")
    mean: float | None
    sd: float | None
    withheld: bool


class ReportLevelCount(Schema):
    level: str
    completers: int | None = Field(description="null when 1 to 4 (withheld).")
    dropouts: int | None = Field(description="null when 1 to 4 (withheld).")


class ReportCategory(ReportResult):
    covariate: str
    levels: list[ReportLevelCount]
    statistic: float | None
    df: int | None
    p_value: float | None


class ReportDropouts(ReportResult):
    baseline: str | None
    n_completers: int | None = Field(description="null when 1 to 4 (withheld).")
    n_dropouts: int | None = Field(description="null when 1 to 4 (withheld).")
    completers: ReportGroupSummary = Field(description="Baseline scores of completers.")
    dropouts: ReportGroupSummary = Field(description="Baseline scores of drop-outs.")
    difference: ReportEstimate = Field(description="Completers minus drop-outs, Welch's CI.")
    p_value: float | None
    smd: float | None
    covariates: list[ReportCategory]


class ReportSubgroupLevel(Schema):
    level: str
    n: int | None = Field(description="null when withheld.")
    withheld: bool = Field(description="Fewer than 5 people: no figures are given.")
    change: ReportChangeFigures | None
    notes: list[str]


class ReportBetweenTest(Schema):
    name: str
    statistic: float | None
    p_value: float | None
    df: list[float] | None
    n: int
    method: str


class ReportSubgroups(ReportResult):
    by: str = Field(description="format, sector or role.")
    pre: str
    post: str
    levels: list[ReportSubgroupLevel]
    anova: ReportBetweenTest
    kruskal: ReportBetweenTest


class ReportMeasure(Schema):
    id: str
    instrument_id: str
    instrument_version: int
    instrument_title: str
    measure: str = Field(description="score, or subscale:<id>.")
    label: str
    validated: bool
    reliability: ReportReliability | None
    changes: list[ReportChange] = Field(description="Pre/post change per later wave and group.")
    reliable_change: list[ReportReliableChange]
    mixed_model: ReportMixedModel | None
    dropouts: ReportDropouts | None = Field(
        description="Completers against drop-outs at baseline (trained group)."
    )
    subgroups: list[ReportSubgroups]
    matching: ReportMatching | None
    effect_on_treated: ReportEffectOnTreated | None
    difference_in_differences: ReportDid | None


class ReportOutcome(Schema):
    outcome: str = Field(description="The Theory of Change outcome.")
    indicator: str
    instrument: str
    measure: str = Field(description="The score's label; empty when not measured yet.")
    wave: str
    n: int
    mean_change: ReportEstimate | None
    g_av: ReportEffectSize | None
    direction: str = Field(description="improved, worse, no change, or empty when unknown.")


class ReportPlan(Schema):
    plan_id: int
    programme_id: int
    programme: str
    attrition: ReportFlow | None
    measures: list[ReportMeasure]
    outcomes: list[ReportOutcome] = Field(
        description="Each outcome of the Theory of Change with the trained group's change."
    )
    skipped: list[str] = Field(description="Instruments not analysed, and why.")


class ReportScope(Schema):
    kind: str = Field(description="programme, course, session or partnership.")
    id: int


class ReportMethod(Schema):
    term: str
    meaning: str


class ReportOut(Schema):
    scope: ReportScope
    title: str
    subject: str
    partnership: str
    language: str
    generated_at: datetime.datetime
    evidence_caveat: str
    caveats: list[str]
    methods: list[ReportMethod]
    plans: list[ReportPlan]


# --- Turning the report into JSON --------------------------------------------------------------


def _number(value: Any) -> Any:
    return to_jsonable(value)


def _texts(values: Iterable[str | Note]) -> list[str]:
    return list(text.translate_all(values))


def _described(result: Any, n: int | None = None) -> dict[str, Any]:
    return {
        "n": _number(result.n if n is None else n),
        "method": text.translate(result.method),
        "assumptions": _texts(result.assumptions),
        "notes": _texts(result.notes),
    }


def _estimate(found: Estimate | None) -> dict[str, Any] | None:
    if found is None:
        return None
    return {
        "value": _number(found.value),
        "ci_low": _number(found.ci_low),
        "ci_high": _number(found.ci_high),
        "se": _number(found.se),
        "level": _number(found.level),
        "ci_method": text.translate(found.ci_method),
    }


def _effect_size(size: Any) -> dict[str, Any] | None:
    if size is None:
        return None
    return {
        "name": size.name,
        "definition": text.translate(size.definition),
        "value": _number(size.value),
        "ci_low": _number(size.ci_low),
        "ci_high": _number(size.ci_high),
        "level": _number(size.level),
        "ci_method": text.translate(size.ci_method),
    }


def _test(found: Any) -> dict[str, Any]:
    return {
        "name": found.name,
        "statistic": _number(found.statistic),
        "p_value": _number(found.p_value),
        "df": _number(found.df),
        "n": found.n,
        "method": text.translate(found.method),
    }


def _change_figures(change: Any) -> dict[str, Any]:
    return {
        **_described(change),
        "n_dropped": change.n_dropped,
        "higher_is_better": change.higher_is_better,
        "mean_pre": _number(change.mean_pre),
        "mean_post": _number(change.mean_post),
        "sd_pre": _number(change.sd_pre),
        "sd_post": _number(change.sd_post),
        "sd_difference": _number(change.sd_difference),
        "correlation": _number(change.correlation),
        "mean_difference": _estimate(change.mean_difference),
        "direction": change.direction,
        "t_test": _test(change.t_test),
        "wilcoxon": _test(change.wilcoxon),
        "d_z": _effect_size(change.d_z),
        "g_av": _effect_size(change.g_av),
    }


def _scale(measure: reports.MeasureReport) -> Any:
    """The measure's own scale in the instrument's reliability: its total or its subscale."""
    found = measure.reliability
    if found is None:
        return None
    if measure.measure == "score":
        return found.total
    wanted = measure.measure.removeprefix(analysis_data.SUBSCALE_PREFIX)
    return next((s for s in found.subscales if s.label == wanted), None)


def _reliability(measure: reports.MeasureReport, wave: str) -> dict[str, Any] | None:
    found = _scale(measure)
    if found is None:
        return None
    return {
        **_described(found),
        "wave": wave,
        "n_dropped": found.n_dropped,
        "k": found.k,
        "alpha": _estimate(found.alpha),
        "omega": _estimate(found.omega),
    }


def _reliable_change(wave: str, group: str, found: Any) -> dict[str, Any]:
    # Named fields only: ``found.people`` (each person's change and RCI) is never sent.
    return {
        **_described(found),
        "wave": wave,
        "group": group,
        "n_dropped": found.n_dropped,
        "reliability": _number(found.reliability),
        "sd_baseline": _number(found.sd_baseline),
        "se_measurement": _number(found.se_measurement),
        "s_diff": _number(found.s_diff),
        "criterion": _number(found.criterion),
        "smallest_reliable_change": _number(found.smallest_reliable_change),
        "improved": found.improved,
        "unchanged": found.unchanged,
        "worse": found.worse,
        "share_improved": _number(found.share_improved),
        "share_unchanged": _number(found.share_unchanged),
        "share_worse": _number(found.share_worse),
    }


def _mixed(found: Any) -> dict[str, Any] | None:
    if found is None:
        return None
    return {
        **_described(found),
        "n_people": found.n_people,
        "n_observations": found.n_observations,
        "n_waves": found.n_waves,
        "waves": list(found.waves),
        "groups": list(found.groups),
        "reference_group": found.reference_group,
        "formula": found.formula,
        "coefficients": [
            {
                "term": c.term,
                "label": text.translate(c.label),
                "estimate": _estimate(c.estimate),
                "z": _number(c.z),
                "p_value": _number(c.p_value),
            }
            for c in found.coefficients
        ],
        "means": [
            {
                "wave": m.wave,
                "group": m.group,
                "mean": _estimate(m.mean),
                "observed_mean": _number(m.observed_mean),
                "n": m.n,
            }
            for m in found.means
        ],
        "variance": [
            {"name": v.name, "variance": _number(v.variance), "sd": _number(v.sd)}
            for v in found.variance
        ],
        "converged": found.converged,
    }


_BALANCE_FIELDS = (
    "smd_before",
    "smd_after",
    "variance_ratio_before",
    "variance_ratio_after",
    "mean_treated_before",
    "mean_control_before",
    "mean_treated_after",
    "mean_control_after",
)


def _matching(found: Any) -> dict[str, Any] | None:
    # Named fields only: the treated flags, weights, subclasses (pairs) and distances are
    # per person and are never sent.
    if found is None:
        return None
    return {
        **_described(found),
        "method": found.method,
        "description": text.translate(found.description),
        "estimand": found.estimand,
        "n_treated": found.n_treated,
        "n_controls": found.n_controls,
        "n_treated_matched": found.n_treated_matched,
        "n_controls_used": found.n_controls_used,
        "n_dropped_missing": found.n_dropped_missing,
        "ratio": found.ratio,
        "replace": found.replace,
        "caliper": _number(found.caliper),
        "caliper_width": _number(found.caliper_width),
        "exact": list(found.exact),
        "distance": found.distance_kind,
        "covariates": list(found.covariates),
        "balance": [
            {
                "covariate": b.covariate,
                "kind": b.kind,
                **{name: _number(getattr(b, name)) for name in _BALANCE_FIELDS},
            }
            for b in found.balance
        ],
    }


def _effect_on_treated(found: Any, wave: str) -> dict[str, Any] | None:
    if found is None:
        return None
    return {
        **_described(found),
        "wave": wave,
        "att": _number(found.att),
        "se": _number(found.se),
        "ci_low": _number(found.ci_low),
        "ci_high": _number(found.ci_high),
        "p_value": _number(found.p_value),
        "se_method": text.translate(found.se_method),
        "n_treated": found.n_treated,
        "n_treated_matched": found.n_treated_matched,
        "n_controls_used": found.n_controls_used,
        "mean_treated": _number(found.mean_treated),
        "mean_control": _number(found.mean_control),
    }


def _did(found: Any) -> dict[str, Any] | None:
    if found is None:
        return None
    return {
        **_described(found),
        "estimate": _number(found.estimate.value),
        "se": _number(found.estimate.se),
        "ci_low": _number(found.estimate.ci_low),
        "ci_high": _number(found.estimate.ci_high),
        "ci_method": text.translate(found.estimate.ci_method),
        "p_value": _number(found.p_value),
        "se_method": text.translate(found.se_method),
        "n_units": found.n_units,
        "n_observations": found.n_observations,
        "n_clusters": found.n_clusters,
        "means": [
            {"group": m.group, "period": m.period, "mean": _number(m.mean), "n": m.n}
            for m in found.means
        ],
    }


def _flow(found: Any) -> dict[str, Any] | None:
    if found is None:
        return None
    return {
        **_described(found),
        "rows": [
            {
                "wave": r.wave,
                "wave_kind": r.wave_kind,
                "group": r.group,
                "invited": r.invited,
                "responded": r.responded,
                "linked": r.linked,
                "analysed": r.analysed,
                "responded_share": _number(r.responded_share),
                "linked_share": _number(r.linked_share),
                "analysed_share": _number(r.analysed_share),
            }
            for r in found.rows
        ],
    }


def _shown(n: int | None) -> int | None:
    """A count, or None when the report withholds it (1 to 4 people)."""
    return None if text.small(n) else n


def _group_summary(summary: Any) -> dict[str, Any]:
    withheld = text.small(summary.n)
    return {
        "n": _shown(summary.n),
        "mean": None if withheld else _number(summary.mean),
        "sd": None if withheld else _number(summary.sd),
        "withheld": withheld,
    }


def _dropouts(found: Any) -> dict[str, Any] | None:
    """As the report's table: counts and means of 1 to 4 people withheld."""
    if found is None:
        return None
    score = found.score
    return {
        **_described(found),
        "baseline": found.baseline,
        "n_completers": _shown(found.n_completers),
        "n_dropouts": _shown(found.n_dropouts),
        "completers": _group_summary(score.completers),
        "dropouts": _group_summary(score.dropouts),
        "difference": _estimate(score.difference),
        "p_value": _number(score.p_value),
        "smd": _number(score.smd),
        "covariates": [
            {
                **_described(c),
                "covariate": c.covariate,
                "levels": [
                    {
                        "level": level.level,
                        "completers": _shown(level.completers),
                        "dropouts": _shown(level.dropouts),
                    }
                    for level in c.levels
                ],
                "statistic": _number(c.statistic),
                "df": c.df,
                "p_value": _number(c.p_value),
            }
            for c in found.covariates
        ],
    }


def _between(found: Any) -> dict[str, Any]:
    return {
        "name": found.name,
        "statistic": _number(found.statistic),
        "p_value": _number(found.p_value),
        "df": _number(found.df),
        "n": found.n,
        "method": text.translate(found.method),
    }


def _subgroups(found: dict[str, Any]) -> list[dict[str, Any]]:
    """Levels the analysis withheld (fewer than 5 people) have no figures at all."""
    return [
        {
            **_described(result),
            "by": result.by,
            "pre": result.pre,
            "post": result.post,
            "levels": [
                {
                    "level": level.level,
                    "n": None if level.suppressed else level.n,
                    "withheld": level.suppressed,
                    "change": None
                    if level.suppressed or level.change is None
                    else _change_figures(level.change),
                    "notes": _texts(level.notes),
                }
                for level in result.levels
            ],
            "anova": _between(result.anova),
            "kruskal": _between(result.kruskal),
        }
        for result in found.values()
    ]


def _measure(measure: reports.MeasureReport) -> dict[str, Any]:
    return {
        "id": measure.id,
        "instrument_id": measure.instrument_id,
        "instrument_version": measure.instrument_version,
        "instrument_title": measure.instrument_title,
        "measure": measure.measure,
        "label": measure.label,
        "validated": measure.validated,
        "reliability": _reliability(measure, measure.baseline_wave),
        "changes": [
            {"wave": wave, "group": group, **_change_figures(change)}
            for (wave, group), change in measure.prepost.items()
        ],
        "reliable_change": [
            _reliable_change(wave, group, found)
            for (wave, group), found in measure.reliable_change.items()
        ],
        "mixed_model": _mixed(measure.mixed),
        "dropouts": _dropouts(measure.dropouts),
        "subgroups": _subgroups(measure.subgroups),
        "matching": _matching(measure.matching),
        "effect_on_treated": _effect_on_treated(measure.matched_effect, measure.comparison_wave),
        "difference_in_differences": _did(measure.did),
    }


def _outcomes(part: reports.PlanReport) -> list[dict[str, Any]]:
    """The report's outcome rows, with the figures of the change each one shows."""
    by_label = {(m.instrument_title, m.label): m for m in part.measures}
    found = []
    for row in part.outcomes:
        measure = by_label.get((row.instrument, row.measure))
        change = measure.prepost.get((row.wave, TRAINED)) if measure is not None else None
        found.append(
            {
                "outcome": row.outcome,
                "indicator": row.indicator,
                "instrument": row.instrument,
                "measure": row.measure,
                "wave": row.wave,
                "n": row.n,
                "mean_change": None if change is None else _estimate(change.mean_difference),
                "g_av": None if change is None else _effect_size(change.g_av),
                "direction": "" if change is None else change.direction,
            }
        )
    return found


def _flows(report: reports.Report) -> dict[int, Any]:
    """Each plan's attrition flow: the report's own when it keeps it, otherwise worked out
    from the same frame (flow_frame) as the report's diagram."""
    from tip.evaluation.analysis import attrition

    found: dict[int, Any] = {}
    missing: list[int] = []
    for part in report.plans:
        kept = getattr(part, "flow", None)
        if kept is not None:
            found[part.plan_id] = kept
        else:
            missing.append(part.plan_id)
    if missing:
        plans = EvaluationPlan.objects.filter(
            pk__in=missing, partnership_id=report.scope.partnership_id
        )
        for plan in plans:
            frame = analysis_data.flow_frame(plan, scope=report.scope)
            found[plan.pk] = attrition.attrition_flow(frame)
    return found


def report_json(report: reports.Report) -> dict[str, Any]:
    """The report as the API sends it (ReportOut): aggregates only."""
    flows = _flows(report)
    return {
        "scope": {"kind": report.scope.kind, "id": report.scope.id},
        "title": report.title,
        "subject": report.subject,
        "partnership": report.partnership,
        "language": report.language,
        "generated_at": report.generated_at,
        "evidence_caveat": report.evidence_caveat,
        "caveats": list(report.caveats),
        "methods": [{"term": term, "meaning": meaning} for term, meaning in report.methods],
        "plans": [
            {
                "plan_id": part.plan_id,
                "programme_id": part.programme_id,
                "programme": part.programme,
                "attrition": _flow(flows.get(part.plan_id)),
                "measures": [_measure(m) for m in part.measures],
                "outcomes": _outcomes(part),
                "skipped": list(part.skipped),
            }
            for part in report.plans
        ],
    }


# --- The operations ----------------------------------------------------------------------------


def _read(request: HttpRequest, kind: str, pk: int | None) -> dict[str, Any]:
    m = _need(request, VIEW_EVALUATION_REPORTS)
    scope, obj, name = report_subject(partnership=m.partnership, kind=kind, pk=pk)
    # As opening the report page: the same purpose, written with the API as the channel.
    audit_view(
        actor=m.user,
        obj=obj,
        partnership=m.partnership,
        purpose=PURPOSE_REPORT,
        action=AuditAction.VIEW,
        via=VIA,
    )
    report = reports.build_report(scope=scope, partnership=m.partnership, subject=name)
    return report_json(report)


_DESCRIPTION = (
    "The results of the evaluation plans the {what} covers, as its report page shows them, as "
    "numbers: per plan the attrition flow, and per instrument score its reliability at "
    "baseline, the change from the baseline at each later wave and group (mean difference, "
    "paired t-test, Wilcoxon signed-rank, Cohen's d_z and Hedges' g_av with 95% CIs), "
    "reliable change (counts and shares), the mixed model over all waves, completers against "
    "drop-outs, subgroups, the matched comparison with its balance and the effect on the "
    "trained, and the difference-in-differences; then the Theory of Change's outcomes with "
    "their measured change. Every result gives n, its method, assumptions and notes; figures "
    "that cannot be worked out are null. Aggregates only: no person's id, pseudonym or "
    "individual result, and counts of 1 to 4 people withheld where the report withholds them. "
    "Each read is recorded in the audit log with its purpose."
)


@router.get(
    "/programmes/{int:programme_id}/report",
    summary="A programme's evaluation results",
    description=_DESCRIPTION.format(what="programme"),
    **_documented({200: ReportOut}, 401, 403, 404),
)
def evaluation_report_programme(request: HttpRequest, programme_id: int) -> Any:
    return _read(request, "programme", programme_id)


@router.get(
    "/courses/{int:course_id}/report",
    summary="A course's evaluation results",
    description=_DESCRIPTION.format(what="course's programme")
    + " The trained group is the course's sessions' participants only; the comparison group is "
    "kept whole.",
    **_documented({200: ReportOut}, 401, 403, 404),
)
def evaluation_report_course(request: HttpRequest, course_id: int) -> Any:
    return _read(request, "course", course_id)


@router.get(
    "/sessions/{int:session_id}/report",
    summary="A session's evaluation results",
    description=_DESCRIPTION.format(what="session's programme")
    + " The trained group is the session's participants only; the comparison group is kept "
    "whole.",
    **_documented({200: ReportOut}, 401, 403, 404),
)
def evaluation_report_session(request: HttpRequest, session_id: int) -> Any:
    return _read(request, "session", session_id)


@router.get(
    "/report",
    summary="The whole partnership's evaluation results",
    description=_DESCRIPTION.format(what="partnership"),
    **_documented({200: ReportOut}, 401, 403),
)
def evaluation_report_partnership(request: HttpRequest) -> Any:
    return _read(request, "partnership", None)
