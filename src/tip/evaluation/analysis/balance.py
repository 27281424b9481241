"""Covariate balance between a treated group and its comparison group, before and after matching,
computed as MatchIt's ``summary()`` computes it for the effect on the treated (ATT), so a balance
table from TIP can be set beside one from R. Plain Python, no Django.

For each covariate (a numeric column; a categorical covariate contributes one 0/1 column per
level, all levels shown, as MatchIt does), and for the distance (the propensity score):

* means of the treated and of the controls, before matching (everyone, weight 1) and after
  (weighted by the matching weights);
* the standardised mean difference: treated mean minus control mean, divided by the standard
  deviation of the treated group *before* matching, so the before and after figures share one
  denominator (MatchIt and cobalt do this for the ATT). For a 0/1 covariate that SD is
  sqrt(p(1 - p)) of the treated proportion, as in MatchIt's summary (cobalt's ``bal.tab`` shows the
  raw difference in proportions instead; ``mean_diff_*`` holds that raw difference). When the
  treated SD is zero the pooled SD sqrt((var_t + var_c) / 2) is used; when the means differ by
  less than sqrt(machine epsilon) the raw difference is reported;
* the variance ratio, treated over control, with weighted "reliability" variances
  (sum w (x - m)^2 / (1 - sum w^2) with weights scaled to sum to 1, as R's ``cov.wt``), for
  non-binary covariates only;
* the mean and largest distance between the two groups' weighted empirical cumulative
  distribution functions (for a 0/1 covariate both equal the absolute difference in proportions).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

CONTINUOUS = "continuous"
BINARY = "binary"
DISTANCE = "distance"

_EPS = math.sqrt(np.finfo(float).eps)


@dataclass(frozen=True)
class BalanceRow:
    """One covariate (or one level of a categorical covariate, named ``"column: level"``, or the
    distance, named ``"distance"``). ``kind`` is "continuous", "binary" or "distance".

    ``smd_*``: standardised mean difference, treated minus control, divided by the treated
    group's standard deviation before matching (the ATT convention of MatchIt and cobalt; for a
    binary covariate sqrt(p(1 - p)), as MatchIt's summary). ``mean_diff_*``: the raw difference.
    ``variance_ratio_*``: treated variance over control variance (weighted); None for binary.
    ``ecdf_mean_*`` / ``ecdf_max_*``: mean and largest distance between the groups' empirical
    cumulative distributions (weighted after matching). Any figure may be None (no variance, or
    fewer than two people with weight in both groups)."""

    covariate: str
    kind: str
    mean_treated_before: float | None
    mean_control_before: float | None
    mean_treated_after: float | None
    mean_control_after: float | None
    smd_before: float | None
    smd_after: float | None
    variance_ratio_before: float | None
    variance_ratio_after: float | None
    ecdf_mean_before: float | None = None
    ecdf_mean_after: float | None = None
    ecdf_max_before: float | None = None
    ecdf_max_after: float | None = None
    mean_diff_before: float | None = None
    mean_diff_after: float | None = None


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _wmean(x: np.ndarray, w: np.ndarray) -> float:
    total = float(w.sum())
    return float((w * x).sum() / total) if total > 0 else math.nan


def weighted_variance(x: np.ndarray, w: np.ndarray, *, binary: bool) -> float:
    """MatchIt's ``wvar``: p(1 - p) for a 0/1 variable; otherwise the reliability-weights
    variance (R's ``cov.wt``), which is the ordinary n - 1 variance when all weights are equal."""
    total = float(w.sum())
    if total <= 0:
        return math.nan
    scaled = w / total
    mean = float((scaled * x).sum())
    if binary:
        return mean * (1 - mean)
    denominator = 1 - float((scaled**2).sum())
    if denominator <= 0:
        return math.nan
    return float((scaled * (x - mean) ** 2).sum() / denominator)


def _ecdf_stats(
    x: np.ndarray, treated: np.ndarray, w: np.ndarray, *, binary: bool
) -> tuple[float, float]:
    """Mean and largest absolute difference between the weighted eCDFs (MatchIt's ``qqsum`` with
    ``standardize = TRUE``)."""
    t1 = treated == 1
    if binary:
        diff = abs(_wmean(x[t1], w[t1]) - _wmean(x[~t1], w[~t1]))
        return diff, diff
    scaled = w.astype(float).copy()
    scaled[t1] = scaled[t1] / scaled[t1].sum()
    scaled[~t1] = scaled[~t1] / scaled[~t1].sum()
    order = np.argsort(x, kind="stable")
    x_ord = x[order]
    signed = np.where(t1[order], -scaled[order], scaled[order])
    cumulative = np.abs(np.cumsum(signed))
    # Values equal but for rounding in the last bits count as one value.
    tolerance = 1e-12 * max(1.0, float(np.max(np.abs(x_ord))))
    last_of_value = np.append(np.diff(x_ord) > tolerance, True)
    at_values = cumulative[last_of_value]
    return float(at_values.mean()), float(at_values.max())


def _pooled_sd(x: np.ndarray, treated: np.ndarray, *, binary: bool) -> float:
    ones = np.ones(len(x))
    t1 = treated == 1
    v1 = weighted_variance(x[t1], ones[t1], binary=binary)
    v0 = weighted_variance(x[~t1], ones[~t1], binary=binary)
    return math.sqrt((v1 + v0) / 2) if math.isfinite(v1 + v0) else math.nan


def _one_side(
    x: np.ndarray,
    treated: np.ndarray,
    w: np.ndarray,
    *,
    binary: bool,
    sd: float,
) -> dict[str, float | None]:
    t1 = treated == 1
    mean_t = _wmean(x[t1], w[t1])
    mean_c = _wmean(x[~t1], w[~t1])
    too_small = int((w[t1] != 0).sum()) < 2 and int((w[~t1] != 0).sum()) < 2
    no_one = (w[t1] != 0).sum() == 0 or (w[~t1] != 0).sum() == 0
    out: dict[str, float | None] = {
        "mean_treated": _finite(mean_t),
        "mean_control": _finite(mean_c),
        "mean_diff": _finite(mean_t - mean_c),
        "smd": None,
        "variance_ratio": None,
        "ecdf_mean": None,
        "ecdf_max": None,
    }
    if no_one:
        return out
    diff = mean_t - mean_c
    if abs(diff) <= _EPS:
        out["smd"] = diff
    elif not too_small and math.isfinite(sd) and sd > 0:
        out["smd"] = diff / sd
    if binary:
        out["ecdf_mean"] = out["ecdf_max"] = abs(diff)
    elif not too_small:
        v1 = weighted_variance(x[t1], w[t1], binary=False)
        v0 = weighted_variance(x[~t1], w[~t1], binary=False)
        if v0 > 0 and math.isfinite(v1):
            out["variance_ratio"] = v1 / v0
        mean_ecdf, max_ecdf = _ecdf_stats(x, treated, w, binary=False)
        out["ecdf_mean"] = _finite(mean_ecdf)
        out["ecdf_max"] = _finite(max_ecdf)
    return out


def _is_binary(values: np.ndarray) -> bool:
    return bool(np.all((values == 0) | (values == 1)))


def balance_row(
    name: str,
    values: np.ndarray,
    treated: np.ndarray,
    weights: np.ndarray,
    *,
    kind: str | None = None,
) -> BalanceRow:
    """Balance of one numeric variable before (everyone, weight 1) and after matching."""
    x = np.asarray(values, dtype=float)
    t = np.asarray(treated, dtype=int)
    w = np.asarray(weights, dtype=float)
    binary = _is_binary(x)
    if kind is None:
        kind = BINARY if binary else CONTINUOUS
    t1 = t == 1
    ones = np.ones(len(x))
    sd = math.nan
    if t1.any():
        sd = math.sqrt(max(weighted_variance(x[t1], ones[t1], binary=binary), 0.0))
    if not math.isfinite(sd) or sd < _EPS:
        sd = _pooled_sd(x, t, binary=binary)
    before = _one_side(x, t, ones, binary=binary, sd=sd)
    after = _one_side(x, t, w, binary=binary, sd=sd)
    return BalanceRow(
        covariate=name,
        kind=kind,
        mean_treated_before=before["mean_treated"],
        mean_control_before=before["mean_control"],
        mean_treated_after=after["mean_treated"],
        mean_control_after=after["mean_control"],
        smd_before=before["smd"],
        smd_after=after["smd"],
        variance_ratio_before=before["variance_ratio"],
        variance_ratio_after=after["variance_ratio"],
        ecdf_mean_before=before["ecdf_mean"],
        ecdf_mean_after=after["ecdf_mean"],
        ecdf_max_before=before["ecdf_max"],
        ecdf_max_after=after["ecdf_max"],
        mean_diff_before=before["mean_diff"],
        mean_diff_after=after["mean_diff"],
    )


def balance_table(
    design: pd.DataFrame,
    treated: pd.Series,
    weights: pd.Series,
    *,
    kinds: Mapping[str, str] | None = None,
) -> tuple[BalanceRow, ...]:
    """Balance of every column of ``design`` (numeric; one column per covariate, or per level of a
    categorical, all levels kept), given ``treated`` (0/1) and the matching ``weights`` (0 for
    rows left out), all indexed alike. ``kinds`` maps a column to "continuous", "binary" or
    "distance" (guessed from the values when not given: a column of only 0 and 1 is binary)."""
    kinds = kinds or {}
    t = treated.to_numpy(dtype=int)
    w = weights.reindex(design.index).to_numpy(dtype=float)
    return tuple(
        balance_row(
            str(column), design[column].to_numpy(dtype=float), t, w, kind=kinds.get(str(column))
        )
        for column in design.columns
    )
