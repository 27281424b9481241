"""The findings of an evaluation report (reports.py): for one score of one instrument, its
sample and means, reliability, change from the baseline, reliable change, completers against
drop-outs, the mixed model, subgroups, the matched comparison and the difference-in-differences;
and for a plan, the attrition flow and the observation forms described. Each runs its analysis
once on the frames it is given and lays out the result as a Finding (reports_model.py) in the
reader's language: the pure analyses' English texts are translated here.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from scipy import stats

from tip.evaluation import analysis_data
from tip.evaluation import reports_text as text
from tip.evaluation.analysis import charts
from tip.evaluation.analysis.instrument_model import Instrument
from tip.evaluation.analysis_data import Scope
from tip.evaluation.models import EvaluationPlan
from tip.evaluation.reports_model import Chart, Finding, MeasureReport, Table

logger = logging.getLogger(__name__)

LEVEL = 0.95
TRAINED = "trained"
COMPARISON = "comparison"
# Covariates the matched comparison balances at baseline (with the baseline scores).
MATCH_COVARIATES = ("sector", "years_in_role", "prior_training")
# Nearest-neighbour matching on the logit of the propensity score, within 0.2 SD of it (Austin).
MATCH_CALIPER = 0.2


def baseline_wave(frame: pd.DataFrame) -> tuple[str, int] | None:
    """The wave the others are compared with: the first baseline, or else the earliest."""
    if frame.empty:
        return None
    waves = frame.drop_duplicates("wave_id").sort_values(["wave_order", "wave_id"])
    baselines = waves[waves["wave_kind"] == "baseline"]
    row = (baselines if not baselines.empty else waves).iloc[0]
    return str(row["wave"]), int(row["wave_id"])


def _later_waves(frame: pd.DataFrame, baseline_id: int) -> list[tuple[str, int]]:
    waves = frame.drop_duplicates("wave_id").sort_values(["wave_order", "wave_id"])
    return [
        (str(w), int(i))
        for w, i, order in zip(waves["wave"], waves["wave_id"], waves["wave_order"], strict=True)
        if i != baseline_id
        and order > int(waves.loc[waves["wave_id"] == baseline_id, "wave_order"].iloc[0])
    ]


def _groups(frame: pd.DataFrame) -> list[str]:
    present = set(frame["group"].unique())
    return [g for g in (TRAINED, COMPARISON) if g in present]


def _wide(frame: pd.DataFrame, column: str, group: str) -> pd.DataFrame:
    """The group's scores with one row per person and one column per wave id (a person with two
    answers at a wave keeps the last), so each wave's pairs are two columns of it."""
    mine = frame.loc[
        (frame["group"] == group) & frame[column].notna(), ["person", "wave_id", column]
    ]
    last = mine.drop_duplicates(["person", "wave_id"], keep="last")
    return last.pivot(index="person", columns="wave_id", values=column).sort_index()


def _pairs(wide: pd.DataFrame, baseline_id: int, wave_id: int) -> pd.DataFrame:
    """One row per person with a score at the baseline and at the wave: ``pre`` and ``post``."""
    if baseline_id not in wide.columns or wave_id not in wide.columns:
        return pd.DataFrame({"pre": pd.Series(dtype=float), "post": pd.Series(dtype=float)})
    both = wide[[baseline_id, wave_id]].dropna()
    both.columns = pd.Index(["pre", "post"])
    return both


# --- One score ---------------------------------------------------------------------------------


def measure_report(
    key: str,
    instrument: Instrument,
    title: str,
    column: str,
    name: str,
    frame: pd.DataFrame,
    items: pd.DataFrame | None,
    shared: Matching | None,
) -> MeasureReport:
    from tip.evaluation.analysis import prepost, reliability

    findings: list[Finding] = [_sample(key, name, frame, column)]
    baseline = baseline_wave(frame)
    dropout_finding, dropouts = _dropouts(key, name, frame, column, baseline)
    results: dict[str, Any] = {"prepost": {}, "rci": {}, "subgroups": {}}

    # Reliability at baseline: alpha for the RCI.
    alpha: float | None = None
    reliability_result = None
    if items is not None and len(items):
        reliability_result = _guard(lambda: reliability.reliability_of(instrument, items))
        scale = _reliability_for(reliability_result, column)
        if scale is not None:
            alpha = scale.alpha.value
            wave = baseline[0] if baseline is not None else ""
            findings.append(_reliability_finding(key, name, wave, scale))

    if baseline is not None:
        later = _later_waves(frame, baseline[1])
        scored = frame[frame[column].notna()]
        answered = scored.groupby(["group", "wave_id"]).size().to_dict()
        for group in _groups(frame):
            wide = _wide(frame, column, group)
            for wave, wave_id in later:
                if not answered.get((group, wave_id)):
                    continue  # the group was not asked at this wave (or nobody answered)
                pairs = _pairs(wide, baseline[1], wave_id)
                results["prepost"][(wave, group)] = prepost.paired_change(
                    pairs["pre"], pairs["post"], ids=list(pairs.index)
                )
                if alpha is not None and text.finite(alpha) and 0 < alpha < 1:
                    results["rci"][(wave, group)] = prepost.reliable_change(
                        pairs["pre"], pairs["post"], reliability=alpha, ids=list(pairs.index)
                    )
        if later:  # an instrument used at one wave only is described, not compared
            findings.append(_prepost_finding(key, name, baseline[0], results["prepost"]))
        if results["rci"]:
            findings.append(_rci_finding(key, name, alpha, results["rci"]))
        elif later:
            if alpha is None or not text.finite(alpha):
                why = _(
                    "Reliable change could not be worked out: the scale's reliability at "
                    "baseline is not known (it needs at least two items and three people who "
                    "answered them all)."
                )
            else:
                why = _(
                    "Reliable change was not worked out: the scale's Cronbach's alpha at "
                    "baseline is %(alpha)s, too low for measurement error to be estimated."
                ) % {"alpha": text.num(alpha)}
            findings.append(
                Finding(
                    id=f"{key}-rci",
                    title=_("Reliable change"),
                    summary=why,
                    n=None,
                    method=_(text.METHODS[4][0]),
                )
            )
    if dropout_finding is not None:
        findings.append(dropout_finding)
    mixed_result = _mixed(key, name, frame, column, findings)
    subgroup_results = _subgroups(key, name, frame, column, baseline, findings)
    matched = _matched(key, name, frame, column, baseline, findings, shared)
    return MeasureReport(
        id=key,
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        instrument_title=title,
        measure=column,
        label=name,
        validated=instrument.validated,
        findings=tuple(findings),
        prepost=results["prepost"],
        reliable_change=results["rci"],
        reliability=reliability_result,
        mixed=mixed_result,
        dropouts=dropouts,
        subgroups=subgroup_results,
        matching=matched[0],
        matched_effect=matched[1],
        did=matched[2],
        baseline_wave=baseline[0] if baseline is not None else "",
        comparison_wave=(
            (_comparison_wave(frame, column, baseline) or ("", 0))[0]
            if baseline is not None and matched[0] is not None
            else ""
        ),
    )


def _guard(run: Callable[[], Any]) -> Any:
    """An analysis whose input this module built. Its refusing the input, or failing on data it
    should have handled, is a bug, but the report still shows everything else: the error goes
    to the log and the finding is left out (None)."""
    try:
        return run()
    except (ValueError, ArithmeticError, np.linalg.LinAlgError):  # AnalysisInputError too
        logger.exception("An evaluation report's analysis failed")
        return None


def _reliability_for(found: Any, column: str) -> Any:
    if found is None:
        return None
    if column == "score":
        return found.total
    wanted = column.removeprefix(analysis_data.SUBSCALE_PREFIX)
    for scale in found.subscales:
        if scale.label == wanted:
            return scale
    return None


def mean_ci(values: pd.Series) -> tuple[float | None, float | None, float | None]:
    """A mean and its 95% interval from the t distribution (n - 1 degrees of freedom)."""
    clean = values.dropna().to_numpy(dtype=float)
    n = len(clean)
    if n == 0:
        return None, None, None
    mean = float(np.mean(clean))
    if n < 2:
        return mean, None, None
    se = float(np.std(clean, ddof=1)) / math.sqrt(n)
    half = float(stats.t.ppf(0.5 + LEVEL / 2, n - 1)) * se
    return mean, mean - half, mean + half


def _sample(key: str, name: str, frame: pd.DataFrame, column: str) -> Finding:
    """Sample sizes and means with their intervals at each wave, by group, with the chart."""
    waves = frame.drop_duplicates("wave_id").sort_values(["wave_order", "wave_id"])
    series: list[charts.Series] = []
    rows: list[tuple[str, ...]] = []
    total = int(frame.loc[frame[column].notna(), "person"].nunique())
    for group in _groups(frame):
        points = []
        for wave, wave_id in zip(waves["wave"], waves["wave_id"], strict=True):
            values = frame.loc[(frame["group"] == group) & (frame["wave_id"] == wave_id), column]
            n = int(values.notna().sum())
            mean, low, high = mean_ci(values)
            points.append(charts.Interval(str(wave), mean, low, high, n))
            rows.append(
                (
                    str(wave),
                    text.group_label(group),
                    text.count(n),
                    text.num(mean),
                    text.interval(low, high),
                )
            )
        series.append(charts.Series(text.group_label(group), tuple(points)))
    table = Table(
        caption=_("%(score)s: people and mean score at each wave") % {"score": name},
        head=(_("Wave"), _("Group"), _("People (n)"), _("Mean"), _("95% CI")),
        rows=tuple(rows),
        numeric=(False, False, True, True, True),
    )
    description = _(
        "Line chart of the mean %(score)s at each wave for each group, with 95%% confidence "
        "intervals. The figures are in the table after the chart."
    ) % {"score": name}
    svg = charts.means_chart(
        series,
        chart_id=f"{key}-means",
        title=_("%(score)s: mean at each wave") % {"score": name},
        description=description,
        y_label=_("Mean score"),
        empty=_("No scores yet"),
    )
    return Finding(
        id=f"{key}-sample",
        title=_("People and mean scores at each wave"),
        summary=text.people(total)
        + ". "
        + _("Each person counts once per wave; the whiskers show 95% CIs (confidence intervals)."),
        n=total,
        method=_("Mean with a 95% CI (confidence interval) from the t distribution (n - 1 df)."),
        assumptions=(
            _("Means at different waves may rest on different people: see the attrition flow."),
        ),
        chart=Chart(f"{key}-means", svg, svg.title, table),
    )


def _reliability_finding(key: str, name: str, wave: str, scale: Any) -> Finding:
    rows = (
        (_("Cronbach's alpha"), text.estimate(scale.alpha)),
        (_("McDonald's omega (total)"), text.num(scale.omega.value)),
        (_("Items"), text.count(scale.k)),
        (_("People who answered every item (n)"), text.count(scale.n)),
    )
    summary = _(
        "At %(wave)s, Cronbach's alpha was %(alpha)s and McDonald's omega %(omega)s, from "
        "%(n)s people who answered all %(k)s items."
    ) % {
        "wave": wave,
        "alpha": text.num(scale.alpha.value),
        "omega": text.num(scale.omega.value),
        "n": text.count(scale.n),
        "k": scale.k,
    }
    return Finding(
        id=f"{key}-reliability",
        title=_("Reliability in this evaluation"),
        summary=summary,
        n=scale.n,
        method=text.translate(scale.method),
        assumptions=text.translate_all(scale.assumptions),
        notes=text.translate_all(scale.notes),
        table=Table(
            caption=_("%(score)s: reliability at %(wave)s") % {"score": name, "wave": wave},
            head=(_("Figure"), _("Value")),
            rows=rows,
            numeric=(False, True),
        ),
    )


def _prepost_finding(
    key: str, name: str, baseline: str, found: dict[tuple[str, str], Any]
) -> Finding:
    rows: list[tuple[str, ...]] = []
    notes: list[Any] = []
    method = ""
    assumptions: tuple[Any, ...] = ()
    n_max = 0
    summary_bits: list[str] = []
    for (wave, group), change in found.items():
        method = method or change.method
        assumptions = assumptions or change.assumptions
        notes.extend(change.notes)
        n_max = max(n_max, change.n)
        rows.append(
            (
                wave,
                text.group_label(group),
                text.count(change.n),
                text.num(change.mean_pre),
                text.num(change.mean_post),
                text.estimate(change.mean_difference, short=True),
                _("t(%(df)s) = %(t)s, p = %(p)s")
                % {
                    "df": text.num(change.t_test.df, 0),
                    "t": text.num(change.t_test.statistic),
                    "p": text.p_value(change.t_test.p_value),
                }
                if text.finite(change.t_test.statistic)
                else text.DASH,
                _("p = %(p)s") % {"p": text.p_value(change.wilcoxon.p_value)}
                if text.finite(change.wilcoxon.p_value)
                else text.DASH,
                effect_text(change.d_z),
                effect_text(change.g_av),
            )
        )
        if group == TRAINED and text.finite(change.mean_difference.value):
            summary_bits.append(
                _("%(wave)s: mean change %(change)s (g_av %(g)s), %(n)s people")
                % {
                    "wave": wave,
                    "change": text.estimate(change.mean_difference),
                    "g": text.num(change.g_av.value),
                    "n": text.count(change.n),
                }
            )
    summary = (
        _("Trained group, compared with %(baseline)s: ") % {"baseline": baseline}
        + "; ".join(summary_bits)
        + "."
        if summary_bits
        else _("Nobody has answered both the baseline and a later wave yet.")
    )
    return Finding(
        id=f"{key}-prepost",
        title=_("Change from the baseline (%(baseline)s)") % {"baseline": baseline},
        summary=summary,
        n=n_max or None,
        method=text.translate(method) if method else _("Paired change"),
        assumptions=text.translate_all(assumptions),
        notes=text.translate_all(notes),
        table=Table(
            caption=_("%(score)s: change from the baseline, people with both scores")
            % {"score": name},
            head=(
                _("Wave"),
                _("Group"),
                _("Pairs (n)"),
                _("Mean before"),
                _("Mean after"),
                _("Mean change (95% CI)"),
                _("Paired t-test"),
                _("Wilcoxon signed-rank"),
                _("Cohen's d_z (95% CI)"),
                _("Hedges' g_av (95% CI)"),
            ),
            rows=tuple(rows),
            numeric=(False, False, True, True, True, True, False, False, True, True),
            note=_(
                "d_z divides the mean change by the SD of the changes; g_av by the average SD "
                "of the before and after scores, corrected for small samples."
            ),
        ),
    )


def effect_text(size: Any) -> str:
    if size is None or not text.finite(size.value):
        return text.DASH
    if not text.finite(size.ci_low) or not text.finite(size.ci_high):
        return text.num(size.value)
    return _("%(value)s (%(interval)s)") % {
        "value": text.num(size.value),
        "interval": text.interval(size.ci_low, size.ci_high),
    }


def _rci_finding(
    key: str, name: str, alpha: float | None, found: dict[tuple[str, str], Any]
) -> Finding:
    bars: list[charts.Shares] = []
    rows: list[tuple[str, ...]] = []
    notes: list[Any] = []
    first = next(iter(found.values()))
    for (wave, group), change in found.items():
        notes.extend(change.notes)
        label = _("%(wave)s, %(group)s") % {"wave": wave, "group": text.group_label(group)}
        if change.n and change.share_improved is not None:
            bars.append(
                charts.Shares(
                    label,
                    100 * float(change.share_improved),
                    100 * float(change.share_unchanged or 0),
                    100 * float(change.share_worse or 0),
                    change.n,
                )
            )
        rows.append(
            (
                wave,
                text.group_label(group),
                text.count(change.n),
                f"{text.count(change.improved)} ({text.percent(change.share_improved)})",
                f"{text.count(change.unchanged)} ({text.percent(change.share_unchanged)})",
                f"{text.count(change.worse)} ({text.percent(change.share_worse)})",
                text.num(change.smallest_reliable_change),
            )
        )
    categories = (_("Reliably improved"), _("No reliable change"), _("Reliably worse"))
    svg = charts.shares_chart(
        bars,
        chart_id=f"{key}-rci",
        title=_("%(score)s: reliable change") % {"score": name},
        description=_(
            "Stacked bar chart of the percentage of people who reliably improved, did not "
            "reliably change, or reliably got worse, at each later wave and group. The figures "
            "are in the table after the chart."
        ),
        categories=categories,
        x_label=_("Percentage of people"),
        empty=_("Nobody to show yet"),
    )
    table = Table(
        caption=_("%(score)s: reliable change from the baseline") % {"score": name},
        head=(
            _("Wave"),
            _("Group"),
            _("People (n)"),
            categories[0],
            categories[1],
            categories[2],
            _("Smallest reliable change"),
        ),
        rows=tuple(rows),
        numeric=(False, False, True, True, True, True, True),
    )
    return Finding(
        id=f"{key}-rci",
        title=_("Reliable change"),
        summary=_(
            "A change counts as reliable when it is larger than measurement error would be "
            "likely to give. Reliability used: Cronbach's alpha at baseline in this evaluation, "
            "%(alpha)s."
        )
        % {"alpha": text.num(alpha)},
        n=max(c.n for c in found.values()),
        method=text.translate(first.method),
        assumptions=text.translate_all(first.assumptions),
        notes=text.translate_all(notes),
        chart=Chart(f"{key}-rci", svg, svg.title, table),
    )


# --- Sections that use the other analyses (mixed model, subgroups, matching, attrition) --------


@dataclass(frozen=True)
class _ModelData:
    group: str | None  # the group column, or None to model one group only
    note: str


def _mixed_waves(frame: pd.DataFrame, column: str) -> tuple[pd.DataFrame, _ModelData]:
    """The rows the mixed model can use. A wave only one group answered (a comparison cohort
    not asked straight after the session, say) leaves the wave-by-group effect for it
    impossible to estimate, so such waves are left out, with a note; with fewer than two waves
    both groups answered, only the trained group is modelled."""
    scored = frame[frame[column].notna()]
    groups = _groups(scored)
    if len(groups) < 2:
        return frame, _ModelData("group", "")
    by_wave = scored.groupby("wave_id")["group"].nunique()
    shared = [w for w, n in by_wave.items() if n == len(groups)]
    if len(shared) == len(by_wave):
        return frame, _ModelData("group", "")
    names = (
        scored.loc[~scored["wave_id"].isin(shared)]
        .drop_duplicates("wave_id")
        .sort_values("wave_order")["wave"]
    )
    left = ", ".join(str(n) for n in names)
    if len(shared) >= 2:
        note = _(
            "Waves only one group answered are left out of the model, so that the groups are "
            "compared wave by wave: %(waves)s."
        ) % {"waves": left}
        return frame[frame["wave_id"].isin(shared)], _ModelData("group", note)
    note = _(
        "The groups answered fewer than two waves in common, so the model is of the trained "
        "group only (%(waves)s answered by one group)."
    ) % {"waves": left}
    return frame[frame["group"] == TRAINED], _ModelData(None, note)


def _mixed(key: str, name: str, frame: pd.DataFrame, column: str, out: list[Finding]) -> Any:
    """The linear mixed model over all waves, with its estimated means by wave and group."""
    from tip.evaluation.analysis import mixed

    if frame["wave_id"].nunique() < 2:
        return None
    data, extra = _mixed_waves(frame, column)
    found = _guard(lambda: mixed.mixed_model(data, outcome=column, group=extra.group))
    if found is None:
        return None
    rows = tuple(
        (
            text.translate(c.label),
            text.estimate(c.estimate, short=True),
            text.p_value(c.p_value),
        )
        for c in found.coefficients
    )
    variance = tuple(
        (
            {"person": _("Between people"), "organisation": _("Between organisations")}.get(
                v.name, _("Residual")
            ),
            text.num(v.sd),
        )
        for v in found.variance
    )
    chart = None
    if found.means:
        series = []
        for group in found.groups:
            points = tuple(
                charts.Interval(m.wave, m.mean.value, m.mean.ci_low, m.mean.ci_high, m.n)
                for m in found.means
                if m.group == group
            )
            series.append(charts.Series(text.group_label(group), points))
        svg = charts.means_chart(
            series,
            chart_id=f"{key}-mixed",
            title=_("%(score)s: the mixed model's mean at each wave") % {"score": name},
            description=_(
                "Line chart of the mean score the mixed model estimates at each wave for each "
                "group, with %(level)s confidence intervals. The figures are in the table "
                "after the chart."
            )
            % {"level": "95%"},
            y_label=_("Estimated mean score"),
            empty=_("No model"),
        )
        means_table = Table(
            caption=_("%(score)s: the mixed model's estimated means") % {"score": name},
            head=(
                _("Wave"),
                _("Group"),
                _("Answers (n)"),
                _("Estimated mean (95% CI)"),
                _("Observed mean"),
            ),
            rows=tuple(
                (
                    m.wave,
                    text.group_label(m.group),
                    text.count(m.n),
                    text.estimate(m.mean, short=True),
                    text.num(m.observed_mean),
                )
                for m in found.means
            ),
            numeric=(False, False, True, True, True),
        )
        chart = Chart(f"{key}-mixed", svg, svg.title, means_table)
    out.append(
        Finding(
            id=f"{key}-mixed",
            title=_("All waves together: mixed model"),
            summary=_(
                "%(people)s with %(answers)s answers over %(waves)s waves; people who missed a "
                "wave still count."
            )
            % {
                "people": text.people(found.n_people),
                "answers": text.count(found.n_observations),
                "waves": found.n_waves,
            },
            n=found.n,
            method=text.translate(found.method),
            assumptions=text.translate_all(found.assumptions),
            notes=text.translate_all(found.notes) + ((extra.note,) if extra.note else ()),
            table=Table(
                caption=_("%(score)s: the mixed model's fixed effects and variance")
                % {"score": name},
                head=(_("Term"), _("Estimate (95% CI)"), _("p-value")),
                rows=rows
                + tuple(
                    (label, sd, text.DASH)
                    for label, sd in [
                        (_("SD: %(what)s") % {"what": what}, sd) for what, sd in variance
                    ]
                ),
                numeric=(False, True, True),
            )
            if rows
            else None,
            chart=chart,
        )
    )
    return found


def _subgroups(
    key: str,
    name: str,
    frame: pd.DataFrame,
    column: str,
    baseline: tuple[str, int] | None,
    out: list[Finding],
) -> dict[str, Any]:
    """Change in the trained group from the baseline to the first later wave, by format, sector
    and role; levels with fewer than 5 people are withheld (by the analysis itself)."""
    from tip.evaluation.analysis import subgroups

    if baseline is None:
        return {}
    later = _later_waves(frame, baseline[1])
    trained = frame[(frame["group"] == TRAINED) & frame[column].notna()]
    if not later or trained.empty:
        return {}
    post = later[0][0]
    found = _guard(
        lambda: subgroups.subgroup_changes(trained, outcome=column, pre=baseline[0], post=post)
    )
    if not found:
        return {}
    points: list[charts.Interval] = []
    rows: list[tuple[str, ...]] = []
    notes: list[Any] = []
    for result in found:
        by = _covariate_label(result.by)
        notes.extend(result.notes)
        for level in result.levels:
            label = f"{by}: {_level_label(result.by, level.level)}"
            change = level.change
            if level.suppressed or change is None:
                rows.append(
                    (label, _("fewer than %(n)s") % {"n": text.SMALL_COUNT}) + (text.DASH,) * 3
                )
                continue
            diff = change.mean_difference
            points.append(charts.Interval(label, diff.value, diff.ci_low, diff.ci_high, change.n))
            rows.append(
                (
                    label,
                    text.count(change.n),
                    text.estimate(diff, short=True),
                    effect_text(change.g_av),
                    text.DASH,
                )
            )
        rows.append(
            (
                _("%(by)s: do the subgroups differ?") % {"by": by},
                text.count(result.n),
                _("ANOVA p = %(p)s") % {"p": text.p_value(result.anova.p_value)},
                text.DASH,
                _("Kruskal-Wallis p = %(p)s") % {"p": text.p_value(result.kruskal.p_value)},
            )
        )
    svg = charts.interval_chart(
        points,
        chart_id=f"{key}-subgroups",
        title=_("%(score)s: change by subgroup, %(pre)s to %(post)s")
        % {"score": name, "pre": baseline[0], "post": post},
        description=_(
            "Dot and whisker chart of the mean change, with its %(level)s confidence interval, in "
            "each subgroup of format, sector and role with at least 5 people. The dashed line "
            "is no change. The figures are in the table after the chart."
        )
        % {"level": "95%"},
        x_label=_("Mean change"),
        empty=_("No subgroup has 5 people or more yet"),
    )
    table = Table(
        caption=_("%(score)s: change by subgroup (trained group)") % {"score": name},
        head=(
            _("Subgroup"),
            _("Pairs (n)"),
            _("Mean change (95% CI)"),
            _("Hedges' g_av (95% CI)"),
            _("Test of difference"),
        ),
        rows=tuple(rows),
        numeric=(False, True, True, True, False),
        note=_("Subgroups of fewer than 5 people are withheld so that nobody can be singled out."),
    )
    first = found[0]
    out.append(
        Finding(
            id=f"{key}-subgroups",
            title=_("Change by subgroup"),
            summary=_(
                "Change from %(pre)s to %(post)s in the trained group, by the session's format, "
                "the person's sector and their role. Subgroup results are exploratory: with "
                "several subgroups, some differences will appear by chance."
            )
            % {"pre": baseline[0], "post": post},
            n=max(r.n for r in found),
            method=text.translate(first.method),
            assumptions=text.translate_all(first.assumptions),
            notes=text.translate_all(notes),
            chart=Chart(f"{key}-subgroups", svg, svg.title, table),
        )
    )
    return {r.by: r for r in found}


def _comparison_wave(
    frame: pd.DataFrame, column: str, baseline: tuple[str, int]
) -> tuple[str, int] | None:
    """The later wave the matched comparison looks at: the first one both groups answered."""
    scored = frame[frame[column].notna()]
    for wave, wave_id in _later_waves(frame, baseline[1]):
        here = scored[scored["wave_id"] == wave_id]
        if {TRAINED, COMPARISON} <= set(here["group"]):
            return wave, wave_id
    return None


@dataclass(frozen=True)
class Matching:
    """One matching per instrument, shared by its scores: the people at baseline (``data``,
    indexed by person), the match, the covariates left out, and the score whose finding shows
    the balance."""

    data: pd.DataFrame
    result: Any
    left_out: tuple[str, ...]
    labels: dict[str, str]
    shown_with: str


BASELINE_PREFIX = "baseline:"


def match_people(
    frame: pd.DataFrame, columns: Sequence[tuple[str, str]], names: Sequence[str]
) -> Matching | None:
    """Trained people matched to comparison people at baseline on sector, years in role, prior
    training and the instrument's baseline scores (nearest neighbour on the logit of the
    propensity score, within 0.2 SD of it; with replacement when there are fewer comparison
    people than trained). One matching for all the instrument's scores, so they are compared
    on the same matched groups."""
    from tip.evaluation.analysis import matching

    baseline = baseline_wave(frame)
    if baseline is None or COMPARISON not in set(frame["group"]) or not columns:
        return None
    at_baseline = frame[frame["wave_id"] == baseline[1]]
    rows = at_baseline.drop_duplicates("person", keep="last").set_index("person").sort_index()
    data = pd.DataFrame(index=rows.index)
    data["treated"] = (rows["group"] == TRAINED).astype(int)
    for covariate in MATCH_COVARIATES:
        values = rows[covariate]
        data[covariate] = values if values.dtype.kind == "f" else values.fillna("").astype(str)
    labels: dict[str, str] = {}
    left_out: list[str] = []
    for (column, _label), name in zip(columns, names, strict=True):
        share = float(rows[column].notna().mean()) if len(rows) else 0.0
        key = BASELINE_PREFIX + column
        labels[key] = _("Baseline: %(score)s") % {"score": name}
        if share < 0.8:
            left_out.append(key)
            continue
        data[key] = rows[column].astype(float)
    data["organisation"] = rows["organisation"].fillna("").astype(str)
    # People without every baseline score matched on cannot be matched.
    scored = [c for c in data.columns if c.startswith(BASELINE_PREFIX)]
    data = data.dropna(subset=scored)
    if data["treated"].nunique() < 2:
        return None
    covariates: list[str] = []
    for covariate in (*MATCH_COVARIATES, *scored):
        values = data[covariate]
        known = values.notna() & (values.astype(str) != "")
        mostly_missing = values.dtype.kind == "f" and known.mean() < 0.8
        if mostly_missing or values[known].nunique() < 2:
            left_out.append(covariate)
        else:
            covariates.append(covariate)
    if not covariates:
        return None
    result = _guard(
        lambda: matching.match(
            data,
            treatment="treated",
            covariates=covariates,
            method="nearest",
            replace=int((data["treated"] == 0).sum()) < int(data["treated"].sum()),
            caliper=MATCH_CALIPER,
            distance="logit",
        )
    )
    if result is None:
        return None
    return Matching(data, result, tuple(left_out), labels, names[0])


def _matched(
    key: str,
    name: str,
    frame: pd.DataFrame,
    column: str,
    baseline: tuple[str, int] | None,
    out: list[Finding],
    shared: Matching | None,
) -> tuple[Any, Any, Any]:
    """The effect on the trained at the first later wave both groups answered, on the matched
    groups, and the difference-in-differences of the matched groups, clustered by
    organisation. The first score of the instrument shows the balance and the Love plot."""
    from tip.evaluation.analysis import charts_balance, matching

    if baseline is None or shared is None:
        return None, None, None
    later = _comparison_wave(frame, column, baseline)
    if later is None:
        return None, None, None
    result, data = shared.result, shared.data
    after = frame[(frame["wave_id"] == later[1]) & frame[column].notna()]
    outcome = after.drop_duplicates("person", keep="last").set_index("person")[column]
    outcome = outcome.reindex(data.index)
    effect = _guard(lambda: matching.effect_on_treated(result, outcome, name=column))
    notes: list[Any] = list(result.notes)
    if shared.left_out:
        notes.append(
            _("Not matched on (mostly missing, or the same for everyone): %(names)s.")
            % {"names": ", ".join(_balance_label(c, shared.labels) for c in shared.left_out)}
        )
    chart = None
    if name == shared.shown_with:
        balance_table = Table(
            caption=_("%(score)s: balance before and after matching") % {"score": name},
            head=(
                _("Covariate"),
                _("Standardised difference before"),
                _("Standardised difference after"),
                _("Variance ratio after"),
            ),
            rows=tuple(
                (
                    _balance_label(b.covariate, shared.labels),
                    text.num(b.smd_before),
                    text.num(b.smd_after),
                    text.num(b.variance_ratio_after),
                )
                for b in result.balance
            ),
            numeric=(False, True, True, True),
            note=_(
                "Standardised differences below 0.1 are usually taken as balanced; variance "
                "ratios near 1 (between 0.5 and 2) as similar spread."
            ),
        )
        love_title = _("%(score)s: balance before and after matching (Love plot)") % {"score": name}
        svg_text = charts_balance.love_plot(
            result.balance,
            title=love_title,
            chart_id=f"{key}-love",
            description=_(
                "Dot chart of the absolute standardised difference of each covariate between "
                "the trained and comparison groups, before matching (open circles) and after "
                "(filled triangles), with a dashed line at 0.1. The figures are in the table "
                "after the chart."
            ),
            before_label=_("Before matching"),
            after_label=_("After matching"),
            x_label=_("Absolute standardised mean difference"),
            empty=_("No balance figures to show."),
        )
        love = charts.Svg(svg=svg_text, title=love_title, description="")
        chart = Chart(f"{key}-love", love, love_title, balance_table)
    else:
        notes.append(
            _(
                "The same matched groups as for %(score)s, where the balance table and the "
                "Love plot are shown."
            )
            % {"score": shared.shown_with}
        )
    effect_rows: list[tuple[str, ...]] = [
        (_("Trained people"), text.count(result.n_treated)),
        (_("Trained people matched"), text.count(result.n_treated_matched)),
        (_("Comparison people used"), text.count(result.n_controls_used)),
    ]
    if effect is not None:
        effect_rows += [
            (_("Mean later score, trained (matched)"), text.num(effect.mean_treated)),
            (_("Mean later score, comparison (weighted)"), text.num(effect.mean_control)),
            (_("Effect on the trained (95% CI)"), text.estimate(effect.estimate, short=True)),
            (_("Standard error"), f"{text.num(effect.se)} ({text.translate(effect.se_method)})"),
        ]
    summary = (
        _(
            "At %(wave)s, matched trained people scored %(att)s points differently from their "
            "matched comparison people (the effect on the trained, ATT), from %(n)s matched "
            "trained people."
        )
        % {
            "wave": later[0],
            "att": text.estimate(effect.estimate),
            "n": text.count(result.n_treated_matched),
        }
        if effect is not None and text.finite(effect.att)
        else _("The effect on the trained could not be worked out (see the notes).")
    )
    out.append(
        Finding(
            id=f"{key}-matched",
            title=_("Matched comparison at %(wave)s") % {"wave": later[0]},
            summary=summary,
            n=effect.n if effect is not None else result.n,
            method=text.translate(result.description)
            + (" " + text.translate(effect.method) if effect is not None else ""),
            assumptions=text.translate_all(
                (*result.assumptions, *(effect.assumptions if effect is not None else ()))
            ),
            notes=text.translate_all((*notes, *(effect.notes if effect is not None else ()))),
            table=Table(
                caption=_("%(score)s: matched comparison at %(wave)s")
                % {"score": name, "wave": later[0]},
                head=(_("Figure"), _("Value")),
                rows=tuple(effect_rows),
                numeric=(False, True),
            ),
            chart=chart,
        )
    )
    did_result = _did(key, name, frame, column, baseline, later, data, result, out)
    return result, effect, did_result


def _balance_label(covariate: str, labels: dict[str, str]) -> str:
    if covariate == "distance":
        return _("Propensity score (logit)")
    if covariate in labels:
        return labels[covariate]
    name, sep, level = covariate.partition(": ")
    if sep:
        return f"{_covariate_label(name)}: {_level_label(name, level)}"
    return _covariate_label(covariate)


def _did(
    key: str,
    name: str,
    frame: pd.DataFrame,
    column: str,
    baseline: tuple[str, int],
    later: tuple[str, int],
    data: pd.DataFrame,
    result: Any,
    out: list[Finding],
) -> Any:
    from tip.evaluation.analysis import did

    weights = result.weights.reindex(data.index).fillna(0.0)
    matched = data.index[weights > 0]
    if len(matched) == 0:
        return None
    rows = frame[
        frame["person"].isin(matched)
        & frame["wave_id"].isin([baseline[1], later[1]])
        & frame[column].notna()
    ]
    rows = rows.drop_duplicates(["person", "wave_id"], keep="last")
    long = pd.DataFrame(
        {
            "person": rows["person"].to_numpy(),
            "treated": (rows["group"] == TRAINED).astype(int).to_numpy(),
            "after": (rows["wave_id"] == later[1]).astype(int).to_numpy(),
            "score": rows[column].astype(float).to_numpy(),
            # People whose organisation is not known are clusters of their own.
            "cluster": [
                org if org else f"person:{p}"
                for org, p in zip(rows["organisation"].fillna(""), rows["person"], strict=True)
            ],
            "weight": weights.reindex(rows["person"]).to_numpy(),
        }
    )
    found = _guard(
        lambda: did.difference_in_differences(
            long,
            unit="person",
            treatment="treated",
            period="after",
            outcome="score",
            cluster="cluster",
            weights="weight",
        )
    )
    if found is None:
        return None
    means = tuple(
        (
            text.group_label(TRAINED if m.group == "treated" else COMPARISON),
            baseline[0] if m.period == "before" else later[0],
            text.count(m.n),
            text.num(m.mean),
        )
        for m in found.means
    )
    out.append(
        Finding(
            id=f"{key}-did",
            title=_("Difference-in-differences, %(pre)s to %(post)s")
            % {"pre": baseline[0], "post": later[0]},
            summary=_(
                "The matched trained group changed by %(estimate)s points more than the matched "
                "comparison group (standard errors clustered by organisation, %(clusters)s "
                "clusters)."
            )
            % {
                "estimate": text.estimate(found.estimate),
                "clusters": text.count(found.n_clusters),
            }
            if text.finite(found.estimate.value)
            else _("The difference-in-differences could not be worked out (see the notes)."),
            n=found.n_units,
            method=text.translate(found.method) + " " + text.translate(found.se_method),
            assumptions=text.translate_all(found.assumptions),
            notes=text.translate_all(found.notes),
            table=Table(
                caption=_("%(score)s: matched groups' mean scores before and after")
                % {"score": name},
                head=(_("Group"), _("Wave"), _("People (n)"), _("Mean (weighted)")),
                rows=means,
                numeric=(False, False, True, True),
            ),
        )
    )
    return found


def attrition_finding(prefix: str, flow: pd.DataFrame) -> tuple[Finding, Any]:
    """The attrition flow diagram of the plan (any answers count), with its table."""
    from tip.evaluation.analysis import attrition

    found = attrition.attrition_flow(flow)
    stages = (
        ("invited", _("Invited")),
        ("responded", _("Responded")),
        ("linked", _("Linked to their baseline")),
        ("analysed", _("Analysed")),
    )
    box_names = (_("Invited"), _("Responded"), _("Linked"), _("Analysed"))
    columns: list[charts.FlowWave] = []
    rows: list[tuple[str, ...]] = []
    for row in found.flow_rows():
        group = text.group_label(str(row["group"]))
        label = _("%(wave)s, %(group)s") % {"wave": row["wave"], "group": group}
        if row["invited"] or row["responded"]:  # a wave and group nobody was asked at: no box
            columns.append(
                charts.FlowWave(
                    label,
                    tuple(
                        charts.FlowStage(name, int(row[col]))
                        for col, name in zip(
                            ("invited", "responded", "linked", "analysed"), box_names, strict=True
                        )
                    ),
                )
            )
        cells: list[str] = [str(row["wave"]), group, text.count(row["invited"])]
        for col in ("responded", "linked", "analysed"):
            share = row[f"{col}_percent"]
            cells.append(
                text.count(row[col])
                if share is None
                else _("%(n)s (%(share)s%%)")
                % {"n": text.count(row[col]), "share": text.num(share, 0)}
            )
        rows.append(tuple(cells))
    svg = charts.flow_chart(
        columns,
        chart_id=f"{prefix}-flow",
        title=_("Attrition: invited, responded, linked and analysed at each wave"),
        description=_(
            "Flow diagram with a column of boxes for each wave and group: how many people were "
            "invited, responded, were linked to their own baseline answers, and could be "
            "analysed. The figures are in the table after the diagram."
        ),
        empty=_("No waves yet"),
    )
    table = Table(
        caption=_("Attrition at each wave (percentages of those invited)"),
        head=(_("Wave"), _("Group"), *tuple(name for _col, name in stages)),
        rows=tuple(rows),
        numeric=(False, False, True, True, True, True),
    )
    return (
        Finding(
            id=f"{prefix}-flow",
            title=_("Attrition flow"),
            summary=_(
                "%(n)s people invited at the first wave. Linked means the same person answered "
                "the baseline too; analysed means they have a score at both."
            )
            % {"n": text.count(found.n)},
            n=found.n,
            method=text.translate(found.method),
            assumptions=text.translate_all(found.assumptions),
            notes=text.translate_all(found.notes),
            chart=Chart(f"{prefix}-flow", svg, svg.title, table),
        ),
        found,
    )


def _dropouts(
    key: str, name: str, frame: pd.DataFrame, column: str, baseline: tuple[str, int] | None
) -> tuple[Finding | None, Any]:
    """Completers against drop-outs at baseline, in the trained group."""
    from tip.evaluation.analysis import attrition

    trained = frame[frame["group"] == TRAINED]
    if baseline is None or trained.empty or not _later_waves(frame, baseline[1]):
        return None, None  # nobody to drop out of: the instrument is used at one wave
    found = _guard(
        lambda: attrition.compare_dropouts(trained, outcome=column, baseline=baseline[0])
    )
    if found is None:
        return None, None
    score = found.score
    rows: list[tuple[str, ...]] = [
        (
            _("Baseline score: mean (SD)"),
            _small_or(
                score.completers.n,
                f"{text.num(score.completers.mean)} ({text.num(score.completers.sd)})",
            ),
            _small_or(
                score.dropouts.n, f"{text.num(score.dropouts.mean)} ({text.num(score.dropouts.sd)})"
            ),
            _("difference %(d)s, p = %(p)s")
            % {"d": text.estimate(score.difference), "p": text.p_value(score.p_value)},
        )
    ]
    for covariate in found.covariates:
        label = _covariate_label(covariate.covariate)
        for level in covariate.levels:
            rows.append(
                (
                    f"{label}: {_level_label(covariate.covariate, level.level)}",
                    _small_or(level.completers, text.count(level.completers)),
                    _small_or(level.dropouts, text.count(level.dropouts)),
                    text.DASH
                    if level is not covariate.levels[0]
                    else _("%(test)s, p = %(p)s")
                    % {
                        "test": text.translate(covariate.method),
                        "p": text.p_value(covariate.p_value),
                    },
                )
            )
    table = Table(
        caption=_("%(score)s: completers and drop-outs at baseline (trained group)")
        % {"score": name},
        head=(_("At baseline"), _("Completers"), _("Drop-outs"), _("Difference")),
        rows=tuple(rows),
        numeric=(False, True, True, False),
        note=_("Counts below 5 are withheld so that nobody can be singled out."),
    )
    return (
        Finding(
            id=f"{key}-dropouts",
            title=_("Completers and drop-outs"),
            summary=_(
                "%(completers)s people answered a later wave (completers) and %(dropouts)s "
                "answered only the baseline (drop-outs). A difference between them means the "
                "later results describe the completers, not everyone who started."
            )
            % {
                "completers": text.withheld_count(found.n_completers),
                "dropouts": text.withheld_count(found.n_dropouts),
            },
            n=found.n,
            method=text.translate(found.method),
            assumptions=text.translate_all(found.assumptions),
            notes=text.translate_all((*found.notes, *score.notes)),
            table=table,
        ),
        found,
    )


def _small_or(n: int | None, shown: str) -> str:
    """``shown``, or 'fewer than 5' when it rests on 1 to 4 people."""
    return text.withheld_count(n) if text.small(n) else shown


def _covariate_label(covariate: str) -> str:
    return {
        "sector": _("Sector"),
        "format": _("Format"),
        "role": _("Role"),
        "prior_training": _("Prior training"),
        "years_in_role": _("Years in role"),
    }.get(covariate, covariate)


def _level_label(covariate: str, level: str) -> str:
    if level in ("", "not known"):
        return _("Not known")
    if covariate == "format":
        return text.format_label(level)
    if covariate == "sector":
        from tip.core.models import Sector

        return str(dict(Sector.choices).get(level, level))
    if covariate == "prior_training":
        from tip.evaluation.survey_forms import PRIOR_TRAINING

        return str(dict(PRIOR_TRAINING).get(level, level))
    return level


def observation_findings(
    prefix: str, plan: EvaluationPlan, scope: Scope, observers: Sequence[tuple[Instrument, str]]
) -> tuple[Finding, ...]:
    """Observation forms described, not compared: how many observations, and each score's
    mean with its 95% interval, SD and range. One query for all the plan's observations."""
    from tip.evaluation.analysis.scoring import score
    from tip.evaluation.models import Observation

    if not observers:
        return ()
    rows = Observation.objects.filter(plan=plan, partnership_id=plan.partnership_id)
    if scope.kind == "session":
        rows = rows.filter(session_id=scope.id)
    elif scope.kind == "course":
        rows = rows.filter(session__course_id=scope.id)
    wanted = {instrument.id for instrument, _title in observers}
    found: dict[str, list[Any]] = {}
    for instrument_id, answers in rows.filter(instrument_id__in=wanted).values_list(
        "instrument_id", "answers"
    ):
        found.setdefault(instrument_id, []).append(answers)
    language = get_language() or "en"
    findings = []
    for instrument, title in observers:
        values: dict[str, list[float]] = {}
        names: dict[str, str] = {}
        if instrument.total is not None:
            names["total"] = _("Total score")
        for subscale in instrument.subscales:
            names[subscale.id] = subscale.title.in_language(language)
        for answers in found.get(instrument.id, []):
            try:
                scored = score(instrument, answers if isinstance(answers, dict) else {})
            except ValueError:
                continue  # answers the form no longer accepts: left out
            for key, value in scored.values().items():
                if value is not None and key in names:
                    values.setdefault(key, []).append(float(value))
        rows_out = []
        for key, label in names.items():
            series = pd.Series(values.get(key, []), dtype=float)
            mean, low, high = mean_ci(series)
            rows_out.append(
                (
                    label,
                    text.count(len(series)),
                    text.num(mean),
                    text.interval(low, high),
                    text.num(float(series.std(ddof=1)) if len(series) > 1 else None),
                    text.interval(
                        float(series.min()) if len(series) else None,
                        float(series.max()) if len(series) else None,
                    ),
                )
            )
        n = len(found.get(instrument.id, []))
        findings.append(
            Finding(
                id=f"{prefix}-observations-{instrument.id}",
                title=title,
                summary=_(
                    "%(n)s observations recorded with this form, described here: observations "
                    "are of teams and sessions, not linked to people over time, so no change is "
                    "worked out."
                )
                % {"n": text.count(n)},
                n=n,
                method=_(
                    "Each observation scored as the form says; the mean of each score with a 95% "
                    "CI (confidence interval) from the t distribution, its SD and range."
                ),
                assumptions=(
                    _("Observers rate alike; the report does not check agreement between them."),
                ),
                table=Table(
                    caption=_("%(form)s: scores over all observations") % {"form": title},
                    head=(
                        _("Score"),
                        _("Observations (n)"),
                        _("Mean"),
                        _("95% CI"),
                        _("SD"),
                        _("Range"),
                    ),
                    rows=tuple(rows_out),
                    numeric=(False, True, True, True, True, True),
                ),
            )
        )
    return tuple(findings)
