"""Change from before to after for the same people: the paired mean difference with its
confidence interval, the paired t-test and the Wilcoxon signed-rank test, two standardised effect
sizes (Cohen's d_z and Hedges' g_av), and the reliable change index of Jacobson and Truax (1991)
person by person. Plain Python, no Django (docs/evaluation-analysis.md explains the methods).

The difference is always ``post - pre``; ``higher_is_better`` only says which sign is an
improvement (it names the direction in the result and sorts people into improved or worse).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from .results import AnalysisInputError, Estimate, Note, clean_number, gettext_noop

LEVEL = 0.95
RCI_CRITERION = 1.96  # two-sided 5% on the standard normal, as Jacobson and Truax (1991)


@dataclass(frozen=True)
class TestResult:
    """A significance test: its statistic, p-value (two-sided), degrees of freedom where it has
    them, and the method in words (for example "exact distribution" or "normal approximation")."""

    name: str
    statistic: float | None
    p_value: float | None
    df: float | None = None
    method: str = ""
    n: int = 0  # the pairs the test uses (Wilcoxon leaves out pairs with no change)


@dataclass(frozen=True)
class EffectSize:
    """A standardised mean difference: ``name`` is "d_z" or "g_av"; ``definition`` says what the
    mean change is divided by; ``ci_method`` how the interval was worked out."""

    name: str
    definition: str
    value: float | None
    ci_low: float | None
    ci_high: float | None
    level: float
    ci_method: str


@dataclass(frozen=True)
class PairedChange:
    """Paired change (``post - pre``) for the people with both scores."""

    n: int  # complete pairs used
    n_dropped: int  # pairs left out because pre or post was missing
    higher_is_better: bool
    mean_pre: float | None
    mean_post: float | None
    sd_pre: float | None
    sd_post: float | None
    sd_difference: float | None
    correlation: float | None  # Pearson correlation of pre and post
    mean_difference: Estimate  # post - pre, 95% CI from the t distribution (n - 1 df)
    direction: str  # "improved" | "worse" | "no change" | "" (unknown): the mean change's sign
    t_test: TestResult  # paired t-test (scipy.stats.ttest_rel)
    wilcoxon: TestResult  # Wilcoxon signed-rank (scipy.stats.wilcoxon)
    d_z: EffectSize  # mean change / SD of the changes; CI from the noncentral t
    g_av: EffectSize  # mean change / average SD, small-sample corrected; Algina-Keselman CI
    method: str
    assumptions: tuple[str, ...]
    notes: tuple[str | Note, ...]


@dataclass(frozen=True)
class PersonChange:
    """One person's reliable change: ``category`` "improved", "unchanged" or "worse" (None
    when it cannot be worked out, for example when the baseline SD is zero)."""

    id: Any
    pre: float
    post: float
    difference: float
    rci: float | None
    category: str | None


@dataclass(frozen=True)
class ReliableChange:
    """The reliable change index (Jacobson and Truax 1991) for every complete pair, and how many
    (and what share) reliably improved, did not reliably change, or reliably got worse."""

    n: int
    n_dropped: int
    higher_is_better: bool
    reliability: float
    sd_baseline: float | None
    sd_baseline_source: str  # "given" | "pre scores"
    se_measurement: float | None  # SD1 * sqrt(1 - r_xx)
    s_diff: float | None  # sqrt(2) * SE_measurement
    criterion: float  # |RCI| above this is reliable change (1.96)
    smallest_reliable_change: float | None  # criterion * S_diff, in the score's units
    people: tuple[PersonChange, ...]
    improved: int
    unchanged: int
    worse: int
    share_improved: float | None
    share_unchanged: float | None
    share_worse: float | None
    method: str
    assumptions: tuple[str, ...]
    notes: tuple[str | Note, ...]


MIN_PAIRS = 3
# The Wilcoxon test's exact distribution is used up to this many non-zero changes without ties.
WILCOXON_EXACT_UP_TO = 50

METHOD = gettext_noop(
    "Paired comparison of each person's score before and after (change = after minus before): "
    "mean change with a t-distribution interval, paired t-test, Wilcoxon signed-rank test, and "
    "two standardised effect sizes, Cohen's d_z and Hedges' g_av."
)
ASSUMPTIONS = (
    gettext_noop("Each pair of scores belongs to one person, and people are independent."),
    gettext_noop(
        "The t-test and the intervals assume the changes are roughly normally distributed; "
        "with few people, check for outliers. The Wilcoxon test does not, but assumes the "
        "changes are symmetric around their median."
    ),
    gettext_noop(
        "A before-and-after change is not an effect of the training: without a comparison "
        "group it includes anything else that changed over the same time."
    ),
    gettext_noop("People with only one of the two scores are left out."),
)
D_Z_DEFINITION = gettext_noop(
    "Cohen's d_z: the mean change divided by the standard deviation of the changes. It "
    "describes the change relative to how much people's changes vary, and is usually larger "
    "than effect sizes from comparisons of separate groups."
)
G_AV_DEFINITION = gettext_noop(
    "Hedges' g_av: the mean change divided by the average standard deviation of the before and "
    "after scores (the square root of the mean of the two variances), multiplied by Hedges' "
    "small-sample correction J with n - 1 degrees of freedom. It is on the same scale as a "
    "comparison of two groups, so it suits comparing and pooling studies."
)
D_Z_CI = gettext_noop(
    "exact interval from the noncentral t distribution (n - 1 degrees of freedom), divided by "
    "the square root of n"
)
G_AV_CI = gettext_noop(
    "approximate interval of Algina and Keselman (2003): the noncentral t interval of the "
    "paired t statistic, rescaled by SD of the changes / (square root of n x average SD); it "
    "is an interval for the population effect and is not itself corrected"
)
MEAN_CI = gettext_noop("t distribution, n - 1 degrees of freedom")

RCI_METHOD = gettext_noop(
    "Reliable change index of Jacobson and Truax (1991): each person's change divided by the "
    "standard error of a difference, S_diff = square root of 2 x SD1 x square root of "
    "(1 - reliability). A change beyond 1.96 S_diff either way is reliable change (it would "
    "happen by measurement error alone less than 5% of the time)."
)
RCI_ASSUMPTIONS = (
    gettext_noop(
        "The reliability and the baseline standard deviation describe the people measured; "
        "the SE of measurement is taken to be the same for everyone and at both times."
    ),
    gettext_noop(
        "No allowance is made for practice effects or regression to the mean; reliable change "
        "in a person does not show what caused it."
    ),
)

FEW_PAIRS = gettext_noop(
    "Only %(n)s complete pairs: intervals, tests and effect sizes need at least %(minimum)s."
)
DROPPED = gettext_noop("Left out because the score before or after is missing: %(n)s.")
NO_PAIRS = gettext_noop("No one has a score both before and after.")
SAME_CHANGE = gettext_noop(
    "Everyone changed by exactly the same amount, so the changes have no spread: the t-test, "
    "its interval and d_z cannot be worked out."
)
NO_SPREAD = gettext_noop(
    "The before and after scores have no spread, so g_av cannot be worked out."
)
ALL_ZERO = gettext_noop("No one's score changed, so the Wilcoxon test cannot be worked out.")
WILCOXON_ZEROS = gettext_noop(
    "Pairs with no change, which the Wilcoxon test leaves out (Wilcoxon's method): %(n)s."
)
WILCOXON_EXACT = gettext_noop("exact distribution of the signed-rank statistic (no tied changes)")
WILCOXON_EXACT_TIES = gettext_noop(
    "exact distribution of the signed-rank statistic given the tied ranks (every pattern of signs)"
)
WILCOXON_NORMAL = gettext_noop(
    "normal approximation, variance corrected for tied ranks, no continuity correction"
)
NO_CORRELATION = gettext_noop(
    "The before or the after scores have no spread, so their correlation is not defined."
)
RCI_NO_SD = gettext_noop(
    "The baseline standard deviation is zero or cannot be worked out (fewer than %(minimum)s "
    "complete pairs), so the reliable change index cannot be worked out; give the SD of a "
    "comparable group instead."
)
RCI_SD_FROM_DATA = gettext_noop(
    "The baseline SD is the SD of the before scores of the %(n)s people with both scores; a "
    "published norm for the measure may be more stable."
)


def paired_change(
    pre: Sequence[Any] | Any,
    post: Sequence[Any] | Any,
    *,
    higher_is_better: bool = True,
    ids: Sequence[Any] | None = None,
    level: float = LEVEL,
) -> PairedChange:
    """Paired change for people measured before (``pre``) and after (``post``), given in the
    same order (lists, arrays or pandas Series; None/NaN is missing). Pairs with a missing score
    are dropped and counted. Raises ``AnalysisInputError`` when the two (and ``ids``) differ in
    length or hold something that is not a number; figures that cannot be computed (fewer than
    3 pairs, no variation) are None with a note."""
    x, y, _kept, dropped = _pairs(pre, post, ids)
    n = len(x)
    notes: list[str | Note] = []
    if dropped:
        notes.append(Note(DROPPED, {"n": dropped}))
    d = y - x
    mean_pre = _mean(x)
    mean_post = _mean(y)
    mean_d = _mean(d)
    sd_pre = _sd(x)
    sd_post = _sd(y)
    sd_d = _sd(d)
    empty_t = TestResult("paired t-test", None, None, method="scipy.stats.ttest_rel")
    empty_w = TestResult("Wilcoxon signed-rank test", None, None)
    empty_dz = EffectSize("d_z", D_Z_DEFINITION, None, None, None, level, D_Z_CI)
    empty_g = EffectSize("g_av", G_AV_DEFINITION, None, None, None, level, G_AV_CI)

    def result(**fields: Any) -> PairedChange:
        base: dict[str, Any] = {
            "n": n,
            "n_dropped": dropped,
            "higher_is_better": higher_is_better,
            "mean_pre": mean_pre,
            "mean_post": mean_post,
            "sd_pre": sd_pre,
            "sd_post": sd_post,
            "sd_difference": sd_d,
            "correlation": None,
            "mean_difference": Estimate(mean_d, level=level, ci_method=MEAN_CI),
            "direction": _direction(mean_d, higher_is_better),
            "t_test": empty_t,
            "wilcoxon": empty_w,
            "d_z": empty_dz,
            "g_av": empty_g,
            "method": METHOD,
            "assumptions": ASSUMPTIONS,
            "notes": tuple(notes),
        }
        base.update(fields)
        return PairedChange(**base)

    if n == 0:
        notes.append(NO_PAIRS)
        return result()
    if n < MIN_PAIRS:
        notes.append(Note(FEW_PAIRS, {"n": n, "minimum": MIN_PAIRS}))
        return result()
    assert mean_d is not None and sd_pre is not None and sd_post is not None and sd_d is not None

    correlation: float | None = None
    if sd_pre > 0 and sd_post > 0:
        correlation = clean_number(stats.pearsonr(x, y).statistic)
    else:
        notes.append(NO_CORRELATION)

    df = n - 1
    mean_difference = Estimate(mean_d, level=level, ci_method=MEAN_CI)
    t_test = empty_t
    d_z = empty_dz
    ncp_bounds: tuple[float, float] | None = None
    if sd_d > 0:
        se = sd_d / math.sqrt(n)
        crit = float(stats.t.ppf(0.5 + level / 2, df))
        mean_difference = Estimate(
            mean_d, mean_d - crit * se, mean_d + crit * se, se, level, MEAN_CI
        )
        test = stats.ttest_rel(y, x)
        t_value = float(test.statistic)
        t_test = TestResult(
            "paired t-test",
            t_value,
            clean_number(test.pvalue),
            float(df),
            gettext_noop("Student's t, n - 1 degrees of freedom (scipy.stats.ttest_rel)"),
            n,
        )
        ncp_bounds = noncentral_t_interval(t_value, df, level)
        root_n = math.sqrt(n)
        d_z = EffectSize(
            "d_z",
            D_Z_DEFINITION,
            mean_d / sd_d,
            ncp_bounds[0] / root_n,
            ncp_bounds[1] / root_n,
            level,
            D_Z_CI,
        )
    else:
        notes.append(SAME_CHANGE)

    g_av = empty_g
    sd_av = math.sqrt((sd_pre**2 + sd_post**2) / 2)
    if sd_av > 0:
        j = hedges_j(df)
        low = high = None
        if ncp_bounds is not None:
            scale = sd_d / (math.sqrt(n) * sd_av)
            low, high = ncp_bounds[0] * scale, ncp_bounds[1] * scale
        g_av = EffectSize("g_av", G_AV_DEFINITION, j * mean_d / sd_av, low, high, level, G_AV_CI)
    else:
        notes.append(NO_SPREAD)

    wilcoxon, wilcoxon_notes = _wilcoxon(d)
    notes.extend(wilcoxon_notes)
    return result(
        correlation=correlation,
        mean_difference=mean_difference,
        t_test=t_test,
        wilcoxon=wilcoxon,
        d_z=d_z,
        g_av=g_av,
        notes=tuple(notes),
    )


def reliable_change(
    pre: Sequence[Any] | Any,
    post: Sequence[Any] | Any,
    *,
    reliability: float,
    sd_baseline: float | None = None,
    higher_is_better: bool = True,
    ids: Sequence[Any] | None = None,
) -> ReliableChange:
    """Jacobson and Truax's (1991) reliable change index for each complete pair:
    SE_meas = SD1 * sqrt(1 - r_xx), S_diff = sqrt(2) * SE_meas, RCI = (post - pre) / S_diff;
    |RCI| > 1.96 is reliable change. ``reliability`` (r_xx, between 0 and 1, below 1) is the
    measure's reliability, for example its Cronbach's alpha or test-retest correlation;
    ``sd_baseline`` (SD1) defaults to the SD of the pre scores of the complete pairs."""
    r_xx = clean_number(_scalar(reliability, "reliability"))
    if r_xx is None or not 0 <= r_xx < 1:
        raise AnalysisInputError(
            f"The reliability must be a number from 0 up to (but not including) 1; "
            f"“{reliability}” is not."
        )
    given_sd = None
    if sd_baseline is not None:
        given_sd = clean_number(_scalar(sd_baseline, "baseline SD"))
        if given_sd is None or given_sd < 0:
            raise AnalysisInputError(
                f"The baseline standard deviation must be a number of 0 or more; "
                f"“{sd_baseline}” is not."
            )
    x, y, kept, dropped = _pairs(pre, post, ids)
    n = len(x)
    notes: list[str | Note] = []
    if dropped:
        notes.append(Note(DROPPED, {"n": dropped}))
    if given_sd is not None:
        sd1: float | None = given_sd
        source = "given"
    else:
        sd1 = _sd(x) if n >= MIN_PAIRS else None
        source = "pre scores"
        if sd1 is not None and sd1 > 0:
            notes.append(Note(RCI_SD_FROM_DATA, {"n": n}))
    se_meas = s_diff = smallest = None
    if sd1 is not None and sd1 > 0:
        se_meas = sd1 * math.sqrt(1 - r_xx)
        s_diff = math.sqrt(2) * se_meas
        smallest = RCI_CRITERION * s_diff
    elif n:
        notes.append(Note(RCI_NO_SD, {"minimum": MIN_PAIRS}))
    if n == 0:
        notes.append(NO_PAIRS)
    people: list[PersonChange] = []
    for person, before, after in zip(kept, x, y, strict=True):
        difference = float(after - before)
        rci = difference / s_diff if s_diff is not None else None
        category = None
        if rci is not None:
            if abs(rci) > RCI_CRITERION:
                better = (rci > 0) == higher_is_better
                category = "improved" if better else "worse"
            else:
                category = "unchanged"
        people.append(PersonChange(person, float(before), float(after), difference, rci, category))
    counted = [p.category for p in people if p.category is not None]
    improved = counted.count("improved")
    unchanged = counted.count("unchanged")
    worse = counted.count("worse")

    def share(count: int) -> float | None:
        return count / len(counted) if counted else None

    return ReliableChange(
        n=n,
        n_dropped=dropped,
        higher_is_better=higher_is_better,
        reliability=r_xx,
        sd_baseline=sd1,
        sd_baseline_source=source,
        se_measurement=se_meas,
        s_diff=s_diff,
        criterion=RCI_CRITERION,
        smallest_reliable_change=smallest,
        people=tuple(people),
        improved=improved,
        unchanged=unchanged,
        worse=worse,
        share_improved=share(improved),
        share_unchanged=share(unchanged),
        share_worse=share(worse),
        method=RCI_METHOD,
        assumptions=RCI_ASSUMPTIONS,
        notes=tuple(notes),
    )


# Building blocks --------------------------------------------------------------------------------


def hedges_j(df: float) -> float:
    """Hedges' (1981) exact small-sample correction, Gamma(df/2) / (sqrt(df/2) Gamma((df-1)/2));
    close to 1 - 3 / (4 df - 1)."""
    return math.exp(special.gammaln(df / 2) - special.gammaln((df - 1) / 2)) / math.sqrt(df / 2)


def noncentral_t_interval(t_value: float, df: float, level: float = LEVEL) -> tuple[float, float]:
    """The confidence interval for the noncentrality parameter of a t statistic (Steiger and
    Fouladi 1997): the values at which the observed t is at the upper and lower tail
    quantiles of the noncentral t distribution."""
    tail = (1 - level) / 2

    def bound(target: float) -> float:
        def gap(ncp: float) -> float:
            cdf = float(stats.nct.cdf(t_value, df, ncp))
            if math.isnan(cdf):  # far in a tail, where scipy underflows
                cdf = 0.0 if ncp > t_value else 1.0
            return cdf - target

        step = 1.0
        low, high = t_value - step, t_value + step
        while gap(low) < 0:
            step *= 2
            low = t_value - step
        step = 1.0
        while gap(high) > 0:
            step *= 2
            high = t_value + step
        return float(optimize.brentq(gap, low, high, xtol=1e-12, rtol=1e-12, maxiter=500))

    return bound(1 - tail), bound(tail)


def _wilcoxon(d: np.ndarray) -> tuple[TestResult, list[str | Note]]:
    """Wilcoxon's signed-rank test of the changes: pairs with no change are left out
    (Wilcoxon's method), tied changes share their average rank. Up to 50 changes the p-value is
    exact: SciPy's exact distribution when there are no ties, otherwise the exact distribution
    of the signed-rank sum given the tied ranks (all 2^n sign patterns, counted by
    ``signed_rank_exact_p``). Above 50, the normal approximation with the variance corrected for
    ties and no continuity correction."""
    notes: list[str | Note] = []
    nonzero = d[d != 0]
    zeros = len(d) - len(nonzero)
    if zeros:
        notes.append(Note(WILCOXON_ZEROS, {"n": zeros}))
    n = len(nonzero)
    if n == 0:
        notes.append(ALL_ZERO)
        return TestResult("Wilcoxon signed-rank test", None, None, n=0), notes
    ranks = stats.rankdata(np.abs(nonzero))
    ties = len(np.unique(ranks)) < n
    r_plus = float(ranks[nonzero > 0].sum())
    statistic = min(r_plus, float(ranks.sum()) - r_plus)
    if n > WILCOXON_EXACT_UP_TO:
        test = stats.wilcoxon(nonzero, zero_method="wilcox", correction=False, method="approx")
        p_value, method = clean_number(test.pvalue), WILCOXON_NORMAL
    elif ties:
        p_value, method = signed_rank_exact_p(ranks, r_plus), WILCOXON_EXACT_TIES
    else:
        test = stats.wilcoxon(nonzero, zero_method="wilcox", method="exact")
        p_value, method = clean_number(test.pvalue), WILCOXON_EXACT
    return TestResult("Wilcoxon signed-rank test", statistic, p_value, None, method, n), notes


def signed_rank_exact_p(ranks: np.ndarray, r_plus: float) -> float:
    """Two-sided exact p-value of the signed-rank sum ``r_plus`` given the ranks (which may be
    tied, so halves): under no change every sign pattern is equally likely, and the number of
    patterns giving each sum is counted by convolution on doubled (whole-number) ranks."""
    doubled = np.rint(np.asarray(ranks) * 2).astype(int)
    counts = np.zeros(int(doubled.sum()) + 1)
    counts[0] = 1.0
    for rank in doubled:
        shifted = np.zeros_like(counts)
        shifted[rank:] = counts[:-rank]
        counts = counts + shifted
    probability = counts / counts.sum()
    observed = round(r_plus * 2)
    lower = float(probability[: observed + 1].sum())
    upper = float(probability[observed:].sum())
    return min(1.0, 2 * min(lower, upper))


def _direction(mean_d: float | None, higher_is_better: bool) -> str:
    if mean_d is None:
        return ""
    if mean_d == 0:
        return "no change"
    return "improved" if (mean_d > 0) == higher_is_better else "worse"


def _mean(values: np.ndarray) -> float | None:
    return float(np.mean(values)) if len(values) else None


def _sd(values: np.ndarray) -> float | None:
    return float(np.std(values, ddof=1)) if len(values) >= 2 else None


def _scalar(value: Any, what: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise AnalysisInputError(f"The {what} must be a number; “{value}” is not.") from None


def _floats(values: Sequence[Any] | Any, what: str) -> tuple[np.ndarray, list[Any]]:
    """The values as floats (None and NaN missing) and the labels to name them by in messages:
    a Series' index, otherwise positions counted from 1."""
    labels: list[Any]
    if isinstance(values, pd.Series):
        labels = list(values.index)
        items = list(values.to_numpy())
    else:
        items = list(values)
        labels = list(range(1, len(items) + 1))
    out = np.empty(len(items), dtype=float)
    for i, value in enumerate(items):
        if value is None or (isinstance(value, str) and not value.strip()):
            out[i] = math.nan
            continue
        try:
            if isinstance(value, bool):
                raise TypeError
            out[i] = float(value)
        except (TypeError, ValueError):
            raise AnalysisInputError(
                f"The {what} score in row {labels[i]} is “{value}”, not a number.",
                row=int(labels[i]) if isinstance(labels[i], int | np.integer) else None,
            ) from None
    if np.isinf(out).any():
        i = int(np.flatnonzero(np.isinf(out))[0])
        raise AnalysisInputError(
            f"The {what} score in row {labels[i]} is infinite; give a finite number.",
            row=int(labels[i]) if isinstance(labels[i], int | np.integer) else None,
        )
    return out, labels


def _pairs(
    pre: Sequence[Any] | Any, post: Sequence[Any] | Any, ids: Sequence[Any] | None
) -> tuple[np.ndarray, np.ndarray, list[Any], int]:
    x, labels = _floats(pre, "before")
    y, _ = _floats(post, "after")
    if len(x) != len(y):
        raise AnalysisInputError(
            f"There are {len(x)} scores before and {len(y)} after; give one of each per person."
        )
    names = list(ids) if ids is not None else labels
    if len(names) != len(x):
        raise AnalysisInputError(f"There are {len(names)} ids for {len(x)} people.")
    complete = ~(np.isnan(x) | np.isnan(y))
    kept = [name for name, keep in zip(names, complete, strict=True) if keep]
    return x[complete], y[complete], kept, int((~complete).sum())
