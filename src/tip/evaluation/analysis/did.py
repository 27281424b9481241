"""Difference-in-differences of the trained group against a (matched) comparison group, over two
periods (a baseline and one later wave). Plain Python, no Django.

Long data, one row per unit (person) and period. The estimate is the coefficient of
treated x after in the least-squares regression

    outcome ~ treated + after + treated:after

(weighted least squares when weights are given, for example matching weights from
``matching.match``). With both periods for everyone and no weights it equals the hand 2x2
difference: (treated after - treated before) - (comparison after - comparison before).

Standard errors are cluster-robust (CR1: the small-sample factor G/(G-1) x (N-1)/(N-K), as
Stata's and R's ``sandwich::vcovCL`` defaults) clustered by the cluster column — organisation,
as the evaluation plan asks — or by unit when none is given, so a person's two rows are not
treated as independent. The 95% interval uses the t distribution with G - 1 degrees of freedom
(G clusters), which is less over-confident than the normal when clusters are few. With fewer than
about 30 clusters cluster-robust errors are still too small (Cameron and Miller 2015), and the
result says so; with a single cluster they cannot be computed and heteroskedasticity-robust
(HC1) errors are used instead, with a note.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .columns import map_by_value
from .matching import treatment_indicator
from .results import AnalysisInputError, Estimate, Note, gettext_noop

METHOD = gettext_noop(
    "Difference-in-differences: least-squares regression of the outcome on trained, after and "
    "trained × after; the estimate is the trained × after coefficient (the change in the "
    "trained group minus the change in the comparison group)."
)
METHOD_WEIGHTED = gettext_noop(
    "Difference-in-differences: weighted least-squares regression (the weights given, e.g. "
    "matching weights) of the outcome on trained, after and trained × after; the estimate is "
    "the trained × after coefficient."
)
SE_CLUSTER = gettext_noop(
    "Cluster-robust (CR1) standard error clustered by %(cluster)s (%(n)s clusters); 95%% "
    "interval from the t distribution with %(df)s degrees of freedom."
)
SE_HC1 = gettext_noop(
    "Heteroskedasticity-robust (HC1) standard error (too few clusters to cluster); 95% "
    "interval from the t distribution with the residual degrees of freedom."
)
ASSUMPTIONS = (
    gettext_noop(
        "Parallel trends: without training, the trained group's average outcome would have "
        "changed by as much as the comparison group's."
    ),
    gettext_noop(
        "No anticipation: the baseline was measured before training could change the outcome."
    ),
    gettext_noop(
        "The groups' make-up is stable between the two waves (attrition unrelated to the "
        "outcome's change)."
    ),
    gettext_noop("One person's training does not change another person's outcome."),
)
FEW_CLUSTERS = gettext_noop(
    "Only %(n)s clusters: cluster-robust standard errors tend to be too small with fewer than "
    "about 30 clusters; read the interval with care."
)
ONE_CLUSTER = gettext_noop(
    "Only one cluster, so standard errors cannot be clustered; robust (HC1) errors are used, "
    "which ignore that people in the same organisation may be alike."
)
DROPPED = gettext_noop("%(n)s rows were left out: %(why)s.")
EMPTY_CELL = gettext_noop(
    "There is no one in the %(group)s group %(period)s, so there is no difference-in-differences."
)
TOO_FEW = gettext_noop("Too few observations (%(n)s) for a standard error; at least 5 are needed.")
NO_VARIANCE = gettext_noop("The outcome does not vary, so there is no standard error.")
UNBALANCED = gettext_noop(
    "%(n)s units have only one of the two periods; they still count, but the estimate then "
    "differs from a comparison of the same people."
)

TREATED = "treated"
COMPARISON = "comparison"
BEFORE = "before"
AFTER = "after"


@dataclass(frozen=True)
class GroupMean:
    """A group's (weighted) mean outcome in one period, for a chart."""

    group: str  # "treated" | "comparison"
    period: str  # "before" | "after"
    mean: float | None
    n: int


@dataclass(frozen=True)
class DidResult:
    """``estimate``: the treated-by-after coefficient of ``outcome ~ treated + after +
    treated:after`` (OLS, or WLS with weights), SEs clustered by ``cluster`` (CR1)."""

    estimate: Estimate
    n: int
    n_units: int
    n_observations: int
    n_clusters: int | None
    means: tuple[GroupMean, ...]
    se_method: str | Note
    method: str
    assumptions: tuple[str, ...]
    notes: tuple[str | Note, ...]
    p_value: float | None = None
    pre: str = ""
    post: str = ""


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _present(value: object) -> object:
    return None if _is_missing(value) else value


def _present_text(value: object) -> str | None:
    return None if _is_missing(value) else _text(value)


def _texts(series: pd.Series) -> pd.Series:
    """``_present_text`` of each value; a column of text only (report frames, CSV files without
    gaps) is stripped at once by pandas' string methods."""
    if series.dtype == object and pd.api.types.infer_dtype(series, skipna=False) == "string":
        stripped = series.str.strip().to_numpy(dtype=object)
        stripped[stripped == ""] = None
        return pd.Series(stripped, index=series.index, name=series.name)
    return map_by_value(series, _present_text)


def _post_indicator(
    frame: pd.DataFrame, period: str, pre: object, post: object
) -> tuple[pd.Series, str, str]:
    """1 after, 0 before, NaN for rows in neither period."""
    values = _texts(frame[period])
    if pre is not None or post is not None:
        if pre is None or post is None:
            raise AnalysisInputError(
                "Give both the before value and the after value of the period column.",
                column=period,
            )
        before, after = _text(pre), _text(post)
        if before == after:
            raise AnalysisInputError("The before and after periods must differ.", column=period)
        present = set(values.dropna())
        for label, wanted in (("before", before), ("after", after)):
            if wanted not in present:
                raise AnalysisInputError(
                    f"Column “{period}” has no rows with the {label} value “{wanted}”. Its "
                    f"values are: {', '.join(sorted(present)[:10])}.",
                    column=period,
                )
    else:
        present_labels = sorted(set(values.dropna()))
        if len(present_labels) != 2:
            raise AnalysisInputError(
                f"Column “{period}” must hold exactly two periods (before and after); it holds "
                f"{len(present_labels)}: {', '.join(present_labels[:10])}. Name the two to "
                "compare.",
                column=period,
            )
        try:
            ordered = sorted(present_labels, key=float)
        except ValueError:
            ordered = present_labels
        before, after = ordered
    indicator = map_by_value(
        values, lambda v: 0.0 if v == before else (1.0 if v == after else math.nan)
    ).astype(float)
    return indicator, before, after


def difference_in_differences(
    frame: pd.DataFrame,
    *,
    unit: str,
    treatment: str,
    period: str,
    outcome: str,
    cluster: str | None = None,
    weights: str | None = None,
    pre: object = None,
    post: object = None,
    treated_value: object = None,
) -> DidResult:
    """Long data, one row per unit and period. ``period``: with ``pre``/``post`` given, the rows
    with those values (others ignored); otherwise the column must hold exactly two values (the
    smaller, numerically if they are numbers, is before). ``treatment``: 0/1 (see
    ``matching.treatment_indicator``), or ``treated_value`` marks the treated. ``cluster``: SEs
    clustered by it (by unit when not given). ``weights``: e.g. matching weights."""
    import statsmodels.api as sm

    for role, name in (
        ("unit", unit),
        ("treatment", treatment),
        ("period", period),
        ("outcome", outcome),
        ("cluster", cluster),
        ("weights", weights),
    ):
        if name is not None and name not in frame.columns:
            raise AnalysisInputError(
                f"There is no column “{name}” (the {role}). The columns are: "
                f"{', '.join(map(str, frame.columns))}.",
                column=name,
            )
    treated = treatment_indicator(frame, treatment, treated_value)
    after, before_label, after_label = _post_indicator(frame, period, pre, post)
    y = pd.to_numeric(map_by_value(frame[outcome], _present), errors="coerce")
    bad = y.isna() & ~map_by_value(frame[outcome], _is_missing).astype(bool)
    if bool(bad.any()):
        row = bad[bad].index[0]
        raise AnalysisInputError(
            f"Row {row}, column “{outcome}”: “{frame.at[row, outcome]}” is not a number.",
            column=outcome,
            row=int(row) if isinstance(row, int | np.integer) else None,
        )
    w = pd.Series(1.0, index=frame.index)
    if weights is not None:
        w = pd.to_numeric(map_by_value(frame[weights], _present), errors="coerce")
        bad_w = (w.isna() & ~map_by_value(frame[weights], _is_missing).astype(bool)) | (w < 0)
        if bool(bad_w.any()):
            row = bad_w[bad_w].index[0]
            raise AnalysisInputError(
                f"Row {row}, column “{weights}”: “{frame.at[row, weights]}” is not a weight "
                "(a number of 0 or more).",
                column=weights,
                row=int(row) if isinstance(row, int | np.integer) else None,
            )
    units = _texts(frame[unit])
    clusters = units if cluster is None else _texts(frame[cluster])

    notes: list[str | Note] = []
    keep = after.notna()
    reasons = []
    for mask, why in (
        (treated.isna(), gettext_noop("no treatment")),
        (units.isna(), gettext_noop("no unit")),
        (y.isna(), gettext_noop("no outcome")),
        (w.isna() | (w == 0), gettext_noop("no or zero weight")),
        (clusters.isna(), gettext_noop("no cluster")),
    ):
        dropped = keep & mask
        if bool(dropped.any()):
            reasons.append(f"{int(dropped.sum())} {why}")
        keep = keep & ~mask
    n_dropped = int((after.notna() & ~keep).sum())
    if n_dropped:
        notes.append(Note(DROPPED, {"n": n_dropped, "why": "; ".join(reasons)}))

    data = pd.DataFrame(
        {
            "unit": units[keep],
            "treated": treated[keep],
            "after": after[keep],
            "y": y[keep].astype(float),
            "w": w[keep].astype(float),
            "cluster": clusters[keep],
        }
    )
    mixed = data.groupby("unit")["treated"].nunique()
    mixed = mixed[mixed > 1]
    if len(mixed):
        raise AnalysisInputError(
            f"Unit “{mixed.index[0]}” is marked both trained and comparison in column "
            f"“{treatment}”: a unit belongs to one group in both periods.",
            column=treatment,
        )
    duplicated = data.duplicated(subset=["unit", "after"])
    if bool(duplicated.any()):
        first = data[duplicated].iloc[0]
        raise AnalysisInputError(
            f"Unit “{first['unit']}” has more than one row for the "
            f"{'after' if first['after'] else 'before'} period in column “{period}”.",
            column=unit,
        )
    periods_per_unit = data.groupby("unit")["after"].nunique()
    n_single = int((periods_per_unit < 2).sum())
    if n_single:
        notes.append(Note(UNBALANCED, {"n": n_single}))

    means: list[GroupMean] = []
    empty_cells: list[Note] = []
    for group_value, group in ((1.0, TREATED), (0.0, COMPARISON)):
        for period_value, period_name in ((0.0, BEFORE), (1.0, AFTER)):
            cell = data[(data["treated"] == group_value) & (data["after"] == period_value)]
            mean = float(np.average(cell["y"], weights=cell["w"])) if len(cell) else None
            means.append(GroupMean(group, period_name, mean, len(cell)))
            if not len(cell):
                empty_cells.append(Note(EMPTY_CELL, {"group": group, "period": period_name}))
    n_obs = len(data)
    n_units = int(data["unit"].nunique())
    n_clusters = int(data["cluster"].nunique())
    method = METHOD if weights is None else METHOD_WEIGHTED

    def result(
        estimate: Estimate, se_method: str | Note, extra: list[str | Note], p: float | None = None
    ) -> DidResult:
        return DidResult(
            estimate=estimate,
            n=n_obs,
            n_units=n_units,
            n_observations=n_obs,
            n_clusters=n_clusters,
            means=tuple(means),
            se_method=se_method,
            method=method,
            assumptions=ASSUMPTIONS,
            notes=tuple([*notes, *extra]),
            p_value=p,
            pre=before_label,
            post=after_label,
        )

    if empty_cells:
        return result(Estimate(None), "", list(empty_cells))
    t = data["treated"].to_numpy()
    a = data["after"].to_numpy()
    exog = np.column_stack([np.ones(n_obs), t, a, t * a])
    fit = sm.WLS(data["y"].to_numpy(), exog, weights=data["w"].to_numpy()).fit()
    value = float(fit.params[3])
    if n_obs < 5:
        return result(Estimate(value), "", [Note(TOO_FEW, {"n": n_obs})])
    if float(np.ptp(data["y"].to_numpy())) == 0:
        return result(Estimate(value), "", [NO_VARIANCE])
    extra: list[str | Note] = []
    if n_clusters >= 2:
        groups = pd.factorize(data["cluster"])[0]
        robust = fit.get_robustcov_results(cov_type="cluster", groups=groups, use_correction=True)
        df = n_clusters - 1
        cluster_name = "unit" if cluster is None else cluster
        se_method: str | Note = Note(
            SE_CLUSTER, {"cluster": cluster_name, "n": n_clusters, "df": df}
        )
        if n_clusters < 30:
            extra.append(Note(FEW_CLUSTERS, {"n": n_clusters}))
    else:
        robust = fit.get_robustcov_results(cov_type="HC1")
        df = int(fit.df_resid)
        se_method = SE_HC1
        extra.append(ONE_CLUSTER)
    se = float(np.sqrt(robust.cov_params()[3, 3]))
    if not math.isfinite(se) or se == 0 or df < 1:
        return result(Estimate(value), se_method, [*extra, NO_VARIANCE])
    critical = float(stats.t.ppf(0.975, df))
    p_value = float(2 * stats.t.sf(abs(value / se), df))
    estimate = Estimate(
        value,
        value - critical * se,
        value + critical * se,
        se,
        0.95,
        f"t distribution, {df} degrees of freedom",
    )
    return result(estimate, se_method, extra, p_value)
