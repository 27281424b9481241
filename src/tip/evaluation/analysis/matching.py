"""Matched comparison groups for the effect of training on the people trained (the ATT), done the
way R's MatchIt does it so results can be checked against it (docs/evaluation-analysis.md,
"Matching checked against MatchIt"). Plain Python, no Django.

Three methods, all for the ATT (every treated person is kept unless no match can be found):

``nearest``
    Propensity-score nearest-neighbour matching. The score is the fitted probability of a
    logistic regression (a binomial GLM) of treatment on the covariates; text covariates are
    one-hot encoded, dropping the first level in alphabetical order (R's treatment coding).
    Matching is on the score itself (MatchIt's default ``distance = "glm"``), or on its logit
    with ``distance="logit"`` (MatchIt's ``link = "linear.logit"``). It is greedy, as MatchIt's:
    treated people are taken from the largest distance to the smallest (``m.order = "largest"``,
    MatchIt's default for a propensity score and the ATT), each given the closest control still
    available (the one with the smaller distance when two are equally close); with ``ratio=k``
    every treated person gets a first control before any gets a second. Without replacement a
    control is used once; with ``replace=True`` controls can be reused. ``caliper=c`` refuses
    pairs whose logits of the score are further apart than c standard deviations of the logit
    (the sample SD over everyone), as Austin (2011) recommends (c = 0.2). With
    ``distance="logit"`` that is exactly MatchIt's ``link = "linear.logit", caliper = c``
    (``std.caliper = TRUE``); with the score as distance MatchIt would measure the caliper in
    SDs of the score instead. ``exact=[...]`` also requires pairs to agree on those
    covariates.
``exact``
    Subclasses of people with identical values of every covariate; subclasses without both a
    treated person and a control are dropped.
``cem``
    Coarsened exact matching (Iacus, King and Porro 2012) as MatchIt does it: a numeric covariate
    is cut into Sturges' number of equal-width bins (ceiling(log2(n) + 1)) over its range, or at
    the cut points given (a number in ``cutpoints`` is a number of bins); text covariates are kept
    as they are; then exact matching on the coarsened values.

Weights (MatchIt's): treated people matched weigh 1. After nearest-neighbour matching a control
weighs the sum of 1/k over the treated people it was matched to (k: how many controls that person
got); after exact matching and CEM a control in a subclass weighs (treated in the subclass) /
(controls in the subclass). Control weights are then scaled to sum to the number of controls used.
Everyone not matched weighs 0.

The effect on the treated (``effect_on_treated``) is the coefficient of treatment in a weighted
least-squares regression of the outcome on treatment (the weighted difference in means), or with
covariates centred at the matched treated people's means and interacted with treatment (the
g-computation of MatchIt's "Estimating effects" vignette, which gives the same estimate and
standard error as ``marginaleffects::avg_comparisons`` there). Standard errors, as that vignette
recommends: clustered by matched pair (CR1, the small-sample factor G/(G-1) * (n-1)/(n-p) of
``sandwich::vcovCL``) after nearest-neighbour matching without replacement; HC3 robust after
matching with replacement, exact matching and CEM. 95% intervals use the normal distribution, as
marginaleffects does. They treat the matching as fixed (they ignore the uncertainty of the
propensity score), which simulation studies find adequate or slightly conservative.

Rows with a missing covariate are dropped and counted (MatchIt refuses them); a missing treatment
likewise. Input that cannot be used (no such column, a treatment with other than two values)
raises ``AnalysisInputError`` naming the column; data that cannot support a matching (no treated
people, no controls, a propensity model that cannot be fitted) give a result with no matches and
a note, and groups the covariates separate perfectly are still matched, with a warning note.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special, stats

from .balance import BINARY, CONTINUOUS, DISTANCE, BalanceRow, balance_table
from .columns import distinct_values, map_by_value
from .results import AnalysisInputError, Estimate, Note, gettext_noop

NEAREST = "nearest"
EXACT = "exact"
CEM = "cem"
METHODS = (NEAREST, EXACT, CEM)
PROPENSITY = "propensity"
LOGIT = "logit"

ASSUMPTIONS = (
    gettext_noop(
        "No unmeasured confounding: once the matching covariates are balanced, whether someone "
        "was trained is unrelated to what their outcome would have been."
    ),
    gettext_noop(
        "Overlap: every trained person has comparable untrained people; trained people without "
        "a match are left out, and the estimate then describes only those matched."
    ),
    gettext_noop(
        "The standard error treats the matches as fixed; it does not include the uncertainty "
        "of estimating the propensity score."
    ),
    gettext_noop("One person's training does not change another person's outcome."),
)

DROPPED_MISSING = gettext_noop(
    "%(n)s rows were left out because a matching covariate or the treatment was missing "
    "(%(columns)s)."
)
NO_TREATED = gettext_noop("There are no trained (treated) people, so there is nothing to match.")
NO_CONTROLS = gettext_noop("There are no comparison (control) people, so no one can be matched.")
CONSTANT = gettext_noop(
    "“%(column)s” has the same value for everyone, so it cannot help the matching."
)
SEPARATION = gettext_noop(
    "The covariates separate trained and comparison people (almost) perfectly: some propensity "
    "scores are 0 or 1. The groups are not comparable on these covariates; matches will be poor."
)
MODEL_FAILED = gettext_noop(
    "The propensity score model could not be fitted (%(reason)s), so no one was matched."
)
UNMATCHED_TREATED = gettext_noop(
    "%(n)s of %(total)s trained people found no match and are left out: the estimate is for "
    "the trained people matched, not all of them."
)
FEWER_CONTROLS = gettext_noop(
    "There are fewer comparison people (%(controls)s) than trained people × ratio "
    "(%(needed)s) without replacement, so some trained people get fewer matches."
)
NO_MATCHES = gettext_noop("No trained person could be matched.")
POOR_BALANCE = gettext_noop(
    "After matching, %(n)s covariates still differ by more than 0.1 standard deviations "
    "(%(columns)s). Consider other covariates, a caliper, or adjusting for them in the effect."
)


@dataclass(frozen=True)
class MatchResult:
    """A matching of treated rows to control rows.

    Series are indexed like the frame given to ``match`` (rows dropped for missing values are not
    in them): ``treated`` (0/1), ``weights`` (MatchIt-style matching weights: treated 1,
    controls the sum of 1/k over their matches, scaled so control weights sum to the number of
    controls used; 0 for rows not matched), ``subclass`` (the matched pair or subclass number as
    a float, NaN for rows not matched, and for controls after matching with replacement) and
    ``distance`` (the propensity score or its logit; None for exact and CEM)."""

    method: str  # "nearest" | "exact" | "cem"
    estimand: str  # "ATT"
    n: int  # rows used (after dropping rows with missing values)
    n_treated: int
    n_controls: int
    n_treated_matched: int
    n_controls_used: int
    n_dropped_missing: int
    n_subclasses: int
    covariates: tuple[str, ...]
    treated: pd.Series
    weights: pd.Series
    subclass: pd.Series
    distance: pd.Series | None
    balance: tuple[BalanceRow, ...]
    description: str
    assumptions: tuple[str, ...]
    notes: tuple[str | Note, ...]
    ratio: int = 1
    replace: bool = False
    caliper: float | None = None
    caliper_width: float | None = None  # in units of the logit of the propensity score
    exact: tuple[str, ...] = ()
    distance_kind: str = PROPENSITY


@dataclass(frozen=True)
class EffectResult:
    """The effect on the treated of ``outcome``: the weighted difference in means in the matched
    sample (optionally regression-adjusted), with its standard error and 95% interval."""

    outcome: str
    att: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    estimate: Estimate
    n: int
    n_treated: int
    n_treated_matched: int
    n_controls_used: int
    mean_treated: float | None
    mean_control: float | None
    se_method: str
    method: str
    assumptions: tuple[str, ...]
    notes: tuple[str | Note, ...]
    p_value: float | None = None


# --- reading the input ------------------------------------------------------------------------


def treatment_indicator(
    frame: pd.DataFrame, column: str, treated_value: object = None
) -> pd.Series:
    """The treatment column as 1 (treated) / 0 (control) / NaN (missing). Accepts 0 and 1 (as
    numbers or text), true/false, "trained"/"comparison", or any two values with
    ``treated_value`` naming the treated one. Anything else is refused, naming the column."""
    if column not in frame.columns:
        raise AnalysisInputError(f"There is no column “{column}” for the treatment.", column=column)
    raw = frame[column]
    present = raw.dropna()
    labels = sorted({str(v).strip() for v in distinct_values(present)}, key=str)
    if treated_value is not None:
        if len(labels) > 2:
            raise AnalysisInputError(
                f"Column “{column}” must hold two values (treated and comparison); it holds "
                f"{len(labels)}: {', '.join(labels[:6])}.",
                column=column,
            )
        wanted = str(treated_value).strip()
        out = map_by_value(
            raw, lambda v: math.nan if _missing(v) else float(str(v).strip() == wanted)
        )
        return out.astype(float)
    lowered = {label.lower() for label in labels}
    mapping: dict[str, float] | None = None
    if lowered <= {"0", "1", "0.0", "1.0"}:
        mapping = {"0": 0.0, "1": 1.0, "0.0": 0.0, "1.0": 1.0}
    elif lowered <= {"true", "false"}:
        mapping = {"false": 0.0, "true": 1.0}
    elif lowered <= {"trained", "comparison"}:
        mapping = {"comparison": 0.0, "trained": 1.0}
    if mapping is None:
        raise AnalysisInputError(
            f"Column “{column}” must hold 1 for trained (treated) people and 0 for comparison "
            f"people; it holds {', '.join(labels[:6])}. Recode it, or name the treated value.",
            column=column,
        )
    known = mapping
    return map_by_value(
        raw, lambda v: math.nan if _missing(v) else known[str(v).strip().lower()]
    ).astype(float)


def _missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _as_numeric(series: pd.Series) -> pd.Series | None:
    """The column as floats when every present value is a number; None when it is text."""
    if pd.api.types.is_bool_dtype(series):
        return series.astype(float)
    if pd.api.types.is_numeric_dtype(series):
        return series.astype(float)
    cleaned = map_by_value(series, lambda v: None if _missing(v) else v)
    numbers = pd.to_numeric(cleaned, errors="coerce")
    if bool((numbers.isna() & cleaned.notna()).any()):
        return None
    return numbers.astype(float)


@dataclass(frozen=True)
class _Covariates:
    order: tuple[str, ...]
    numeric: dict[str, pd.Series]
    categorical: dict[str, pd.Series]  # text, stripped
    index: pd.Index

    def model_matrix(self, *, drop_first: bool) -> pd.DataFrame:
        """Numeric columns as they are; text columns one-hot (all levels, or dropping the first
        in sorted order, as R's treatment contrasts), in the covariates' order."""
        columns: dict[str, pd.Series] = {}
        for name in self.order:
            if name in self.numeric:
                columns[name] = self.numeric[name]
                continue
            values = self.categorical[name]
            levels = sorted(values.dropna().unique(), key=str)
            for level in levels[1:] if drop_first else levels:
                columns[f"{name}: {level}"] = (values == level).astype(float)
        return pd.DataFrame(columns, index=self.index)


def _read_covariates(frame: pd.DataFrame, covariates: Sequence[str]) -> _Covariates:
    numeric: dict[str, pd.Series] = {}
    categorical: dict[str, pd.Series] = {}
    for name in covariates:
        values = _as_numeric(frame[name])
        if values is not None:
            numeric[name] = values
        else:
            categorical[name] = map_by_value(
                frame[name], lambda v: None if _missing(v) else str(v).strip()
            )
    return _Covariates(tuple(covariates), numeric, categorical, frame.index)


def _check_columns(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    for name in columns:
        if name not in frame.columns:
            raise AnalysisInputError(
                f"There is no column “{name}” ({what}). The columns are: "
                f"{', '.join(map(str, frame.columns))}.",
                column=name,
            )


# --- the propensity score ---------------------------------------------------------------------


def propensity_scores(design: pd.DataFrame, treated: np.ndarray) -> np.ndarray:
    """Fitted probabilities of a logistic regression (binomial GLM, IRLS as R's ``glm``) of
    treatment on ``design`` plus an intercept. Aliased columns are harmless: the fit uses a
    pseudo-inverse, so the fitted values are those of R (which drops them)."""
    import statsmodels.api as sm

    exog = np.column_stack([np.ones(len(design)), design.to_numpy(dtype=float)])
    model = sm.GLM(treated.astype(float), exog, family=sm.families.Binomial())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = model.fit(tol=1e-12, maxiter=100)
    # Score each distinct covariate pattern once, so people with identical covariates get
    # identical scores (row-by-row products can differ in the last bit, which would break ties
    # differently from R).
    unique_rows, inverse = np.unique(exog, axis=0, return_inverse=True)
    linear = unique_rows @ np.asarray(fitted.params, dtype=float)
    scores = special.expit(linear)
    return np.asarray(scores[np.ravel(inverse)], dtype=float)


# --- nearest-neighbour matching ---------------------------------------------------------------


class _Available:
    """Which controls (positions 0..m-1 in distance order) can still be used: nearest available
    at or left of / at or right of a position, in near-constant time (path-halving pointers)."""

    def __init__(self, m: int) -> None:
        self.left = list(range(m + 1))  # position i -> itself if free; 0 is a sentinel shift
        self.right = list(range(m + 1))
        self.m = m

    def _find(self, parent: list[int], i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def at_or_left(self, i: int) -> int:
        """Largest free position <= i, or -1 (positions are stored shifted by one)."""
        if i < 0:
            return -1
        return self._find(self.left, i + 1) - 1

    def at_or_right(self, i: int) -> int:
        """Smallest free position >= i, or m."""
        if i >= self.m:
            return self.m
        return self._find(self.right, i)

    def remove(self, i: int) -> None:
        self.left[i + 1] = i
        self.right[i] = i + 1


def _nearest_in_stratum(
    distance: np.ndarray,
    treated: np.ndarray,
    *,
    ratio: int,
    replace: bool,
    caliper_width: float | None,
    caliper_scale: np.ndarray | None = None,
) -> dict[int, list[int]]:
    """MatchIt's greedy nearest neighbour (nn_matchC_vec) within one group of rows: returns, for
    each treated position, the control positions matched, in order. The caliper is checked on
    ``caliper_scale`` (an increasing function of ``distance``; ``distance`` itself by default),
    so the nearest free control on each side is also the nearest on that scale."""
    scale = distance if caliper_scale is None else caliper_scale
    n = len(distance)
    order_all = np.argsort(distance, kind="stable")  # R's sort.list: stable
    rank = np.empty(n, dtype=int)
    rank[order_all] = np.arange(n)
    controls_sorted = [int(i) for i in order_all if treated[i] == 0]
    control_ranks = np.array([rank[i] for i in controls_sorted], dtype=int)
    control_distance = distance[controls_sorted] if controls_sorted else np.array([])
    control_scale = scale[controls_sorted] if controls_sorted else np.array([])
    m = len(controls_sorted)
    available = _Available(m)
    treated_rows = np.flatnonzero(treated == 1)
    # Largest distance first; ties keep data order (R's order(decreasing = TRUE) is stable).
    order = treated_rows[np.argsort(-distance[treated_rows], kind="stable")]
    matches: dict[int, list[int]] = {int(i): [] for i in treated_rows}
    remaining = m
    for _round in range(ratio):
        if remaining == 0:
            break
        for row in order:
            if remaining == 0:
                break
            row = int(row)
            if len(matches[row]) < _round:
                continue  # found nothing in an earlier round: nothing later either
            d = distance[row]
            split = int(np.searchsorted(control_ranks, rank[row]))  # controls left: < split
            taken = set(matches[row])
            left = available.at_or_left(split - 1)
            while left >= 0 and left in taken:
                left = available.at_or_left(left - 1)
            right = available.at_or_right(split)
            while right < m and right in taken:
                right = available.at_or_right(right + 1)
            if caliper_width is not None:
                here = scale[row]
                if left >= 0 and abs(control_scale[left] - here) > caliper_width:
                    left = -1
                if right < m and abs(control_scale[right] - here) > caliper_width:
                    right = m
            if left >= 0 and right < m:
                chosen = (
                    left
                    if abs(control_distance[left] - d) <= abs(control_distance[right] - d)
                    else right
                )
            elif left >= 0:
                chosen = left
            elif right < m:
                chosen = right
            else:
                continue
            matches[row].append(chosen)
            if not replace:
                available.remove(chosen)
                remaining -= 1
    # Translate control positions (in distance order) back to rows of this stratum.
    return {
        row: [controls_sorted[position] for position in found] for row, found in matches.items()
    }


def _weights_from_matches(n: int, treated: np.ndarray, matches: dict[int, list[int]]) -> np.ndarray:
    weights = np.zeros(n)
    for row, found in matches.items():
        if found:
            weights[row] = 1.0
            for control in found:
                weights[control] += 1.0 / len(found)
    return _normalise(weights, treated)


def _weights_from_subclass(treated: np.ndarray, subclass: np.ndarray) -> np.ndarray:
    """MatchIt's ATT weights from subclasses: treated 1, controls n_treated / n_controls of their
    subclass, then scaled."""
    weights = np.zeros(len(treated))
    frame = pd.DataFrame({"t": treated, "s": subclass}).dropna(subset=["s"])
    counts = frame.groupby("s")["t"].agg(["sum", "count"])
    for label, row in counts.iterrows():
        n_t = float(row["sum"])
        n_c = float(row["count"] - row["sum"])
        members = (subclass == label) & ~np.isnan(subclass)
        weights[members & (treated == 1)] = 1.0
        if n_c > 0:
            weights[members & (treated == 0)] = n_t / n_c
    return _normalise(weights, treated)


def _normalise(weights: np.ndarray, treated: np.ndarray) -> np.ndarray:
    """Scale the weights of each group's matched rows to sum to their number (MatchIt's
    ``normalize = TRUE``)."""
    out = weights.copy()
    for group in (0, 1):
        used = (treated == group) & (out > 0)
        total = out[used].sum()
        if total > 0:
            out[used] = out[used] * used.sum() / total
    return out


# --- exact and CEM ----------------------------------------------------------------------------


def sturges_bins(n: int) -> int:
    """R's ``nclass.Sturges``: ceiling(log2(n) + 1)."""
    return math.ceil(math.log2(n) + 1) if n > 0 else 1


def coarsen(values: pd.Series, cut: Sequence[float] | int | None = None) -> pd.Series:
    """A numeric covariate's CEM bin numbers, as MatchIt's ``cem_matchit``: ``cut`` None gives
    Sturges' number of equal-width bins over the range; an int that number of bins; a sequence
    cut points (each bin includes its lower cut point)."""
    x = values.to_numpy(dtype=float)
    if cut is None or isinstance(cut, int):
        bins = sturges_bins(len(x)) if cut is None else int(cut)
        if bins < 1:
            raise AnalysisInputError("A number of bins must be at least 1.")
        low, high = float(np.min(x)), float(np.max(x))
        inner = np.linspace(low, high, bins + 1)[1:-1]
    else:
        inner = np.unique(np.asarray(list(cut), dtype=float))
    return pd.Series(np.searchsorted(inner, x, side="right"), index=values.index)


def _subclasses(keys: pd.DataFrame, treated: np.ndarray) -> np.ndarray:
    """Subclass number (1, 2, ... in order of first appearance) for rows whose key combination has
    both a treated row and a control row; NaN otherwise."""
    if keys.shape[1] == 0:
        combined = pd.Series(["all"] * len(keys), index=keys.index)
    else:
        combined = keys.astype(str).agg("\x1f".join, axis=1)
    codes, _uniques = pd.factorize(combined)
    has_t = np.zeros(codes.max() + 1, dtype=bool)
    has_c = np.zeros(codes.max() + 1, dtype=bool)
    has_t[np.unique(codes[treated == 1])] = True
    has_c[np.unique(codes[treated == 0])] = True
    kept = has_t & has_c
    numbers = np.full(len(kept), np.nan)
    numbers[kept] = np.arange(1, kept.sum() + 1)
    return numbers[codes]


# --- the public functions ---------------------------------------------------------------------


def _empty_result(
    *,
    method: str,
    index: pd.Index,
    treated: pd.Series,
    covariates: Sequence[str],
    n_dropped: int,
    description: str,
    notes: list[str | Note],
    ratio: int,
    replace: bool,
    caliper: float | None,
    exact: Sequence[str],
    distance_kind: str,
) -> MatchResult:
    return MatchResult(
        method=method,
        estimand="ATT",
        n=len(index),
        n_treated=int((treated == 1).sum()),
        n_controls=int((treated == 0).sum()),
        n_treated_matched=0,
        n_controls_used=0,
        n_dropped_missing=n_dropped,
        n_subclasses=0,
        covariates=tuple(covariates),
        treated=treated.astype(int),
        weights=pd.Series(0.0, index=index),
        subclass=pd.Series(np.nan, index=index),
        distance=None,
        balance=(),
        description=description,
        assumptions=ASSUMPTIONS,
        notes=tuple(notes),
        ratio=ratio,
        replace=replace,
        caliper=caliper,
        exact=tuple(exact),
        distance_kind=distance_kind,
    )


def _describe(
    method: str,
    *,
    ratio: int,
    replace: bool,
    caliper: float | None,
    distance_kind: str,
    exact: Sequence[str],
) -> str:
    if method == EXACT:
        return gettext_noop("Exact matching on the covariates (ATT weights).")
    if method == CEM:
        return gettext_noop(
            "Coarsened exact matching: numeric covariates cut into Sturges' bins (or the cut "
            "points given), then exact matching (ATT weights)."
        )
    scale = (
        "the logit of the propensity score" if distance_kind == LOGIT else ("the propensity score")
    )
    parts = [
        f"{ratio}:1 greedy nearest-neighbour matching "
        f"{'with' if replace else 'without'} replacement on {scale} "
        "(logistic regression), largest score first"
    ]
    if caliper is not None:
        parts.append(
            f"caliper {caliper:g} standard deviations of the logit of the propensity score"
        )
    if exact:
        parts.append(f"exact matching on {', '.join(exact)}")
    return "; ".join(parts) + "."


def match(
    frame: pd.DataFrame,
    *,
    treatment: str,
    covariates: Sequence[str],
    method: str = NEAREST,
    ratio: int = 1,
    replace: bool = False,
    caliper: float | None = None,
    distance: str = PROPENSITY,
    exact: Sequence[str] = (),
    cutpoints: dict[str, Sequence[float] | int] | None = None,
    grouping: dict[str, Sequence[Sequence[str]]] | None = None,
    treated_value: object = None,
) -> MatchResult:
    """Matches treated rows (``treatment`` 1, or ``treated_value``) to control rows on
    ``covariates`` (numeric or text; text is one-hot encoded). ``method``: "nearest"
    (propensity-score nearest neighbour, greedy, largest score first, as MatchIt), "exact" or
    "cem". ``caliper`` is in standard deviations of the logit of the propensity score (pairs
    further apart on the logit are refused); ``distance="logit"`` also matches on the logit
    (MatchIt's ``link = "linear.logit"``), the default on the score itself. ``exact``: covariates
    matched exactly as well (nearest only). ``cutpoints``: for CEM, a column's cut points or
    number of bins (Sturges' rule otherwise); ``grouping``: for CEM, groups of a text
    covariate's values to treat as one (MatchIt's ``grouping``). Rows with a missing covariate are
    dropped and
    counted. Raises AnalysisInputError for malformed input (missing column, treatment not two
    values)."""
    covariates = list(dict.fromkeys(covariates))
    exact = list(dict.fromkeys(exact))
    if method not in METHODS:
        raise AnalysisInputError(f"Unknown matching method “{method}”: use nearest, exact or cem.")
    if distance not in (PROPENSITY, LOGIT):
        raise AnalysisInputError(f"Unknown distance “{distance}”: use propensity or logit.")
    if not covariates:
        raise AnalysisInputError("Name at least one covariate to match on.")
    if int(ratio) != ratio or ratio < 1:
        raise AnalysisInputError("The ratio must be a whole number of at least 1.")
    ratio = int(ratio)
    if caliper is not None and (not math.isfinite(caliper) or caliper <= 0):
        raise AnalysisInputError("The caliper must be a positive number of standard deviations.")
    _check_columns(frame, covariates, "a covariate")
    _check_columns(frame, exact, "an exact-matching covariate")
    if cutpoints:
        _check_columns(frame, list(cutpoints), "a covariate with cut points")
    treat_all = treatment_indicator(frame, treatment, treated_value)

    wanted = list(dict.fromkeys([*covariates, *exact]))
    missing_mask = treat_all.isna()
    missing_columns: list[str] = [treatment] if bool(missing_mask.any()) else []
    for name in wanted:
        column_missing = map_by_value(frame[name], _missing).astype(bool)
        if bool(column_missing.any()):
            missing_columns.append(name)
        missing_mask = missing_mask | column_missing
    notes: list[str | Note] = []
    n_dropped = int(missing_mask.sum())
    if n_dropped:
        notes.append(Note(DROPPED_MISSING, {"n": n_dropped, "columns": ", ".join(missing_columns)}))
    data = frame.loc[~missing_mask]
    treated_series = treat_all.loc[~missing_mask].astype(int)
    index = data.index
    treated = treated_series.to_numpy()
    description = _describe(
        method,
        ratio=ratio,
        replace=replace,
        caliper=caliper,
        distance_kind=distance,
        exact=exact,
    )

    def empty(extra: list[str | Note]) -> MatchResult:
        return _empty_result(
            method=method,
            index=index,
            treated=treated_series,
            covariates=covariates,
            n_dropped=n_dropped,
            description=description,
            notes=[*notes, *extra],
            ratio=ratio,
            replace=replace,
            caliper=caliper,
            exact=exact,
            distance_kind=distance,
        )

    if not (treated == 1).any():
        return empty([NO_TREATED])
    if not (treated == 0).any():
        return empty([NO_CONTROLS])

    covs = _read_covariates(data, covariates)
    for name in covariates:
        if map_by_value(data[name], lambda v: str(v).strip()).nunique() <= 1:
            notes.append(Note(CONSTANT, {"column": name}))

    n = len(index)
    distance_values: np.ndarray | None = None
    caliper_width: float | None = None
    subclass = np.full(n, np.nan)
    if method == NEAREST:
        design = covs.model_matrix(drop_first=True)
        try:
            scores = propensity_scores(design, treated)
        except (np.linalg.LinAlgError, ValueError, OverflowError) as error:
            return empty([Note(MODEL_FAILED, {"reason": str(error)})])
        if not np.all(np.isfinite(scores)):
            return empty([Note(MODEL_FAILED, {"reason": "scores are not finite"})])
        if bool(np.any((scores < 1e-8) | (scores > 1 - 1e-8))):
            notes.append(SEPARATION)
        clipped = np.clip(scores, 1e-15, 1 - 1e-15)
        logits = np.log(clipped / (1 - clipped))
        distance_values = logits if distance == LOGIT else scores
        if caliper is not None:
            caliper_width = caliper * float(np.std(logits, ddof=1))
        n_controls = int((treated == 0).sum())
        if not replace and n_controls < ratio * int((treated == 1).sum()) and not exact:
            notes.append(
                Note(
                    FEWER_CONTROLS,
                    {"controls": n_controls, "needed": ratio * int((treated == 1).sum())},
                )
            )
        if exact:
            strata_keys = data[exact].map(lambda v: str(v).strip())
            strata, _ = pd.factorize(strata_keys.agg("\x1f".join, axis=1))
        else:
            strata = np.zeros(n, dtype=int)
        matches: dict[int, list[int]] = {}
        for stratum in np.unique(strata):
            rows = np.flatnonzero(strata == stratum)
            found = _nearest_in_stratum(
                distance_values[rows],
                treated[rows],
                ratio=ratio,
                replace=replace,
                caliper_width=caliper_width,
                caliper_scale=logits[rows],
            )
            for local, local_matches in found.items():
                matches[int(rows[local])] = [int(rows[j]) for j in local_matches]
        weights = _weights_from_matches(n, treated, matches)
        if not replace:
            number = 0
            for row in sorted(matches):
                if matches[row]:
                    number += 1
                    subclass[row] = number
                    subclass[matches[row]] = number
    else:
        keys: dict[str, pd.Series] = {}
        for name in covariates:
            if name in covs.numeric:
                values = covs.numeric[name]
                if method == CEM:
                    cut = (cutpoints or {}).get(name)
                    keys[name] = coarsen(values, cut)
                else:
                    keys[name] = values
            else:
                values = covs.categorical[name]
                if method == CEM and grouping and name in grouping:
                    merged = {
                        str(value): str(group[0]) for group in grouping[name] for value in group
                    }
                    values = values.replace(merged)
                keys[name] = values
        subclass = _subclasses(pd.DataFrame(keys, index=index), treated)
        weights = _weights_from_subclass(treated, subclass)

    weights_series = pd.Series(weights, index=index)
    n_treated_matched = int(((treated == 1) & (weights > 0)).sum())
    n_controls_used = int(((treated == 0) & (weights > 0)).sum())
    n_treated = int((treated == 1).sum())
    if n_treated_matched == 0:
        notes.append(NO_MATCHES)
    elif n_treated_matched < n_treated:
        notes.append(
            Note(UNMATCHED_TREATED, {"n": n_treated - n_treated_matched, "total": n_treated})
        )

    balance_design = covs.model_matrix(drop_first=False)
    kinds: dict[str, str] = {}
    if distance_values is not None:
        balance_design.insert(0, DISTANCE, distance_values)
        kinds[DISTANCE] = DISTANCE
    for column in balance_design.columns:
        if column != DISTANCE:
            column_values = balance_design[column].to_numpy()
            is_binary = np.all((column_values == 0) | (column_values == 1))
            kinds[column] = BINARY if is_binary else CONTINUOUS
    balance = balance_table(balance_design, treated_series, weights_series, kinds=kinds)
    if n_treated_matched:
        poor = [
            row.covariate
            for row in balance
            if row.kind != DISTANCE and row.smd_after is not None and abs(row.smd_after) > 0.1
        ]
        if poor:
            notes.append(Note(POOR_BALANCE, {"n": len(poor), "columns": ", ".join(poor)}))
    subclass_series = pd.Series(subclass, index=index)
    return MatchResult(
        method=method,
        estimand="ATT",
        n=n,
        n_treated=n_treated,
        n_controls=int((treated == 0).sum()),
        n_treated_matched=n_treated_matched,
        n_controls_used=n_controls_used,
        n_dropped_missing=n_dropped,
        n_subclasses=int(subclass_series.nunique()),
        covariates=tuple(covariates),
        treated=treated_series,
        weights=weights_series,
        subclass=subclass_series,
        distance=None if distance_values is None else pd.Series(distance_values, index=index),
        balance=balance,
        description=description,
        assumptions=ASSUMPTIONS,
        notes=tuple(notes),
        ratio=ratio,
        replace=replace,
        caliper=caliper,
        caliper_width=caliper_width,
        exact=tuple(exact),
        distance_kind=distance,
    )


# --- the effect on the treated ----------------------------------------------------------------

SE_CLUSTER = gettext_noop(
    "Cluster-robust (CR1) standard error, clustered by matched pair, from a weighted "
    "least-squares regression; 95% interval from the normal distribution."
)
SE_HC3 = gettext_noop(
    "Heteroskedasticity-robust (HC3) standard error from a weighted least-squares regression "
    "(no pairs to cluster by); 95% interval from the normal distribution."
)
EFFECT_METHOD = gettext_noop(
    "Effect on the treated (ATT): weighted difference in mean outcome between matched trained "
    "and matched comparison people, using the matching weights."
)
EFFECT_METHOD_ADJUSTED = gettext_noop(
    "Effect on the treated (ATT): weighted regression of the outcome on training, the "
    "covariates centred at the matched trained people's means, and their interactions "
    "(g-computation in the matched sample)."
)
OUTCOME_MISSING = gettext_noop(
    "%(n)s matched people have no outcome and are left out of the effect."
)
TOO_FEW = gettext_noop(
    "Too few matched people with an outcome (%(treated)s trained, %(controls)s comparison) "
    "for an effect: at least 2 in each group are needed."
)
NO_VARIANCE = gettext_noop(
    "The outcome does not vary in the matched sample, so there is no standard error."
)
FEW_PAIRS = gettext_noop(
    "Only %(n)s matched pairs: cluster-robust standard errors are unreliable with few "
    "clusters; read the interval with care."
)


def _numeric_outcome(outcome: pd.Series, name: str) -> pd.Series:
    values = _as_numeric(outcome)
    if values is None:
        bad = outcome[pd.to_numeric(outcome, errors="coerce").isna() & outcome.notna()]
        first = bad.index[0]
        raise AnalysisInputError(
            f"Row {first}, column “{name}”: “{bad.iloc[0]}” is not a number.",
            column=name,
            row=int(first) if isinstance(first, int | np.integer) else None,
        )
    return values


def effect_on_treated(
    result: MatchResult,
    outcome: pd.Series,
    *,
    adjust: pd.DataFrame | None = None,
    name: str | None = None,
) -> EffectResult:
    """The ATT of ``outcome`` (a Series indexed like the frame given to ``match``): WLS of the
    outcome on treatment with the matching weights, standard errors clustered by matched
    pair (matching without replacement) or HC3 robust (with replacement, CEM, exact).
    ``adjust``: covariates for regression adjustment (centred at the matched treated means and
    interacted with treatment, so the treatment coefficient is the ATT)."""
    import statsmodels.api as sm

    label = name or str(outcome.name or "outcome")
    y_all = _numeric_outcome(outcome, label).reindex(result.weights.index)
    matched = result.weights > 0
    has_outcome = y_all.notna()
    notes: list[str | Note] = []
    n_missing = int((matched & ~has_outcome).sum())
    if n_missing:
        notes.append(Note(OUTCOME_MISSING, {"n": n_missing}))
    use = matched & has_outcome
    y = y_all[use].to_numpy(dtype=float)
    t = result.treated[use].to_numpy(dtype=float)
    w = result.weights[use].to_numpy(dtype=float)
    n_t = int((t == 1).sum())
    n_c = int((t == 0).sum())
    cluster_by_pair = result.method == NEAREST and not result.replace
    se_method = SE_CLUSTER if cluster_by_pair else SE_HC3
    method_text = EFFECT_METHOD if adjust is None else EFFECT_METHOD_ADJUSTED

    def empty(extra: list[str | Note]) -> EffectResult:
        return EffectResult(
            outcome=label,
            att=None,
            se=None,
            ci_low=None,
            ci_high=None,
            estimate=Estimate(None),
            n=int(use.sum()),
            n_treated=result.n_treated,
            n_treated_matched=result.n_treated_matched,
            n_controls_used=result.n_controls_used,
            mean_treated=None,
            mean_control=None,
            se_method=se_method,
            method=method_text,
            assumptions=result.assumptions,
            notes=tuple([*result.notes, *notes, *extra]),
        )

    if n_t < 2 or n_c < 2:
        return empty([Note(TOO_FEW, {"treated": n_t, "controls": n_c})])
    mean_t = float(np.average(y[t == 1], weights=w[t == 1]))
    mean_c = float(np.average(y[t == 0], weights=w[t == 0]))
    columns = [np.ones(len(y)), t]
    if adjust is not None:
        adjusting = adjust.reindex(result.weights.index)[use]
        for column in adjusting.columns:
            if bool(map_by_value(adjusting[column], _missing).any()):
                raise AnalysisInputError(
                    f"Column “{column}” is missing for a matched person, so the effect cannot "
                    "be adjusted for it. Match on it too, or leave it out of the adjustment.",
                    column=str(column),
                )
        covs = _read_covariates(adjusting, [str(c) for c in adjusting.columns])
        x = covs.model_matrix(drop_first=True).to_numpy(dtype=float)
        centred = x - x[t == 1].mean(axis=0)
        columns += [centred, centred * t[:, None]]
    exog = np.column_stack(columns)
    fit = sm.WLS(y, exog, weights=w).fit()
    att = float(fit.params[1])
    if float(np.ptp(y)) == 0:
        return EffectResult(
            outcome=label,
            att=att,
            se=None,
            ci_low=None,
            ci_high=None,
            estimate=Estimate(att),
            n=int(use.sum()),
            n_treated=result.n_treated,
            n_treated_matched=result.n_treated_matched,
            n_controls_used=result.n_controls_used,
            mean_treated=mean_t,
            mean_control=mean_c,
            se_method=se_method,
            method=method_text,
            assumptions=result.assumptions,
            notes=tuple([*result.notes, *notes, NO_VARIANCE]),
        )
    if cluster_by_pair:
        groups = pd.factorize(result.subclass[use])[0]
        robust = fit.get_robustcov_results(cov_type="cluster", groups=groups, use_correction=True)
        n_pairs = len(np.unique(groups))
        if n_pairs < 30:
            notes.append(Note(FEW_PAIRS, {"n": n_pairs}))
    else:
        robust = fit.get_robustcov_results(cov_type="HC3")
    se = float(np.sqrt(robust.cov_params()[1, 1]))
    if not math.isfinite(se):
        return empty([NO_VARIANCE])
    z = float(stats.norm.ppf(0.975))
    low, high = att - z * se, att + z * se
    p_value = float(2 * stats.norm.sf(abs(att / se))) if se > 0 else None
    return EffectResult(
        outcome=label,
        att=att,
        se=se,
        ci_low=low,
        ci_high=high,
        estimate=Estimate(att, low, high, se, 0.95, "normal (z) interval"),
        n=int(use.sum()),
        n_treated=result.n_treated,
        n_treated_matched=result.n_treated_matched,
        n_controls_used=result.n_controls_used,
        mean_treated=mean_t,
        mean_control=mean_c,
        se_method=se_method,
        method=method_text,
        assumptions=result.assumptions,
        notes=tuple([*result.notes, *notes]),
        p_value=p_value,
    )
