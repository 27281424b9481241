"""Pooling effect sizes across partnerships: fixed-effect (inverse-variance) and random-effects
meta-analysis, with the between-partnership variance (tau squared) estimated by
DerSimonian-Laird or by restricted maximum likelihood (REML, Fisher scoring as metafor's
``rma()`` does it), and heterogeneity as Cochran's Q, I squared and H squared.

Why random effects by default: partnerships differ in who they train, how and where, so the true
effect is expected to vary between them; a fixed-effect pool would claim more certainty than the
data give. REML is the default because DerSimonian-Laird underestimates tau squared when there are
few studies, which is the usual case here (Veroniki et al. 2016, Res Synth Methods 7:55-79).

Plain Python (numpy and scipy), no Django. Figures that cannot be worked out (one study, no
variance) are None with a note saying why; only malformed input raises ``AnalysisInputError``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from .results import (
    AnalysisInputError,
    Estimate,
    Note,
    clean_number,
    gettext_noop,
)

__all__ = [
    "DL",
    "FIXED",
    "METHODS",
    "REML",
    "MetaResult",
    "StudyEffect",
    "StudyRow",
    "meta_analyse",
]

REML = "reml"
DL = "dl"
FIXED = "fixed"
METHODS = (REML, DL)

Z_95 = float(stats.norm.ppf(0.975))
# Fisher scoring stops when tau squared moves less than this (metafor uses 1e-5; tighter here so
# results agree with other software to more figures), or after MAX_ITERATIONS.
TOLERANCE = 1e-10
MAX_ITERATIONS = 200

METHOD_TEXT = {
    REML: gettext_noop(
        "Random-effects meta-analysis, inverse-variance weights; between-partnership variance "
        "(tau squared) by restricted maximum likelihood (Fisher scoring)"
    ),
    DL: gettext_noop(
        "Random-effects meta-analysis, inverse-variance weights; between-partnership variance "
        "(tau squared) by the DerSimonian-Laird method of moments"
    ),
    FIXED: gettext_noop("Fixed-effect (common-effect) meta-analysis, inverse-variance weights"),
}
ASSUMPTIONS = (
    gettext_noop(
        "Each partnership's effect size and its variance are estimated well enough to be "
        "treated as known"
    ),
    gettext_noop(
        "The partnerships' true effects vary around an average, following a normal distribution"
    ),
    gettext_noop("The partnerships' samples are independent: nobody counts in two of them"),
)
CI_METHOD = gettext_noop("normal distribution (z), estimate plus or minus 1.96 standard errors")
PI_METHOD = gettext_noop(
    "normal distribution, estimate plus or minus 1.96 times the square root of tau squared "
    "plus the squared standard error"
)


@dataclass(frozen=True)
class StudyEffect:
    """One partnership's effect size with its sampling variance, as it goes into the pool."""

    label: str
    effect: float
    variance: float
    n: int | None = None


@dataclass(frozen=True)
class StudyRow:
    """One partnership in the pooled result: its effect with a 95% interval, and its share of the
    weight (per cent) in the fixed-effect and random-effects pools."""

    label: str
    effect: float
    se: float
    ci_low: float
    ci_high: float
    n: int | None
    weight_fixed: float | None
    weight_random: float | None


@dataclass(frozen=True)
class MetaResult:
    """A pooled effect size across ``k`` partnerships.

    ``pooled`` is the random-effects estimate for ``method`` "reml" or "dl" (``fixed`` is always
    given too); ``tau2`` and ``tau`` the between-partnership variance and standard deviation;
    ``i2`` the share (per cent) of the variation that is between partnerships rather than
    sampling error; ``h2`` the ratio of total to sampling variance; ``q`` Cochran's Q with
    ``q_df`` degrees of freedom and p-value ``q_p``; ``prediction`` the interval where a new
    partnership's true effect is expected to fall. ``pooled_ok`` is False when k is 1: the one
    study is reported, but nothing is pooled."""

    n: int
    k: int
    method: str
    method_code: str
    assumptions: tuple[str, ...]
    notes: tuple[str | Note, ...]
    pooled: Estimate
    fixed: Estimate
    z: float | None
    p: float | None
    tau2: float | None
    tau: float | None
    i2: float | None
    h2: float | None
    q: float | None
    q_df: int
    q_p: float | None
    prediction: Estimate | None
    iterations: int | None
    converged: bool | None
    studies: tuple[StudyRow, ...]
    pooled_ok: bool


def _studies(studies: Sequence[StudyEffect]) -> tuple[np.ndarray, np.ndarray]:
    effects, variances = [], []
    for i, study in enumerate(studies, start=1):
        effect = clean_number(study.effect)
        variance = clean_number(study.variance)
        if effect is None:
            raise AnalysisInputError(
                f"Study {i} ({study.label}) has no effect size: give a number.", row=i
            )
        if variance is None or variance < 0:
            raise AnalysisInputError(
                f"Study {i} ({study.label}) needs a variance of zero or more.", row=i
            )
        effects.append(effect)
        variances.append(variance)
    return np.asarray(effects, dtype=float), np.asarray(variances, dtype=float)


def _tau2_dl(y: np.ndarray, v: np.ndarray) -> float:
    """DerSimonian and Laird (1986): the method-of-moments estimate from Q, truncated at 0."""
    w = 1.0 / v
    mu = float(np.sum(w * y) / np.sum(w))
    q = float(np.sum(w * (y - mu) ** 2))
    c = float(np.sum(w) - np.sum(w**2) / np.sum(w))
    return max(0.0, (q - (len(y) - 1)) / c) if c > 0 else 0.0


def _tau2_reml(y: np.ndarray, v: np.ndarray) -> tuple[float, int, bool]:
    """REML by Fisher scoring, as metafor's rma.uni: tau2 += (Y'PPY - tr P) / tr(PP), with
    step halving to stay at or above 0. Starts from the DerSimonian-Laird estimate."""
    tau2 = _tau2_dl(y, v)
    for iteration in range(1, MAX_ITERATIONS + 1):
        w = 1.0 / (v + tau2)
        # P = W - W 1 (1'W1)^-1 1'W for an intercept-only model.
        p = np.diag(w) - np.outer(w, w) / np.sum(w)
        py = p @ y
        adjust = float((py @ py - np.trace(p)) / np.sum(p * p))
        while tau2 + adjust < 0:
            adjust /= 2
            if abs(adjust) < TOLERANCE:
                adjust = -tau2
                break
        tau2 = max(0.0, tau2 + adjust)
        if abs(adjust) < TOLERANCE:
            return tau2, iteration, True
    return tau2, MAX_ITERATIONS, False


def _estimate(y: np.ndarray, v: np.ndarray, tau2: float) -> tuple[Estimate, float]:
    w = 1.0 / (v + tau2)
    mu = float(np.sum(w * y) / np.sum(w))
    se = math.sqrt(1.0 / float(np.sum(w)))
    estimate = Estimate(
        value=mu,
        se=se,
        ci_low=mu - Z_95 * se,
        ci_high=mu + Z_95 * se,
        ci_method=CI_METHOD,
    )
    return estimate, float(np.sum(w))


def _single(studies: Sequence[StudyEffect], method: str) -> MetaResult:
    study = studies[0]
    se = math.sqrt(study.variance)
    row = StudyRow(
        label=study.label,
        effect=study.effect,
        se=se,
        ci_low=study.effect - Z_95 * se,
        ci_high=study.effect + Z_95 * se,
        n=study.n,
        weight_fixed=100.0,
        weight_random=100.0,
    )
    empty = Estimate(value=None, ci_method=CI_METHOD)
    return MetaResult(
        n=study.n or 0,
        k=1,
        method=METHOD_TEXT[method],
        method_code=method,
        assumptions=ASSUMPTIONS,
        notes=(
            gettext_noop(
                "Only one partnership's result: nothing is pooled and heterogeneity cannot be "
                "estimated. Its own result is shown."
            ),
        ),
        pooled=empty,
        fixed=empty,
        z=None,
        p=None,
        tau2=None,
        tau=None,
        i2=None,
        h2=None,
        q=None,
        q_df=0,
        q_p=None,
        prediction=None,
        iterations=None,
        converged=None,
        studies=(row,),
        pooled_ok=False,
    )


def meta_analyse(studies: Sequence[StudyEffect], *, method: str = REML) -> MetaResult:
    """Pool the studies' effect sizes. ``method``: "reml" (default) or "dl" for the
    random-effects model's tau squared. The fixed-effect pool is always worked out as well.

    With no studies, raises AnalysisInputError; with one, reports it without pooling; with two,
    pools but notes that tau squared rests on one degree of freedom. A study with a variance of
    0 cannot be weighted: the figures are None with a note."""
    if method not in METHODS:
        raise AnalysisInputError(
            f"Unknown meta-analysis method {method!r}: use one of {', '.join(METHODS)}."
        )
    if not studies:
        raise AnalysisInputError("There are no studies to pool: give at least one.")
    y, v = _studies(studies)
    total_n = sum(s.n or 0 for s in studies)
    k = len(studies)
    if k == 1:
        if v[0] <= 0:
            raise AnalysisInputError(
                f"Study 1 ({studies[0].label}) needs a variance above zero.", row=1
            )
        return _single(studies, method)
    notes: list[str | Note] = []
    if np.any(v <= 0):
        zero = [s.label for s, var in zip(studies, v, strict=True) if var <= 0]
        notes.append(
            Note(
                gettext_noop(
                    "Cannot pool: %(studies)s has a variance of zero (an effect known exactly), "
                    "so inverse-variance weights are undefined. Check how its effect size was "
                    "worked out."
                ),
                {"studies": ", ".join(zero)},
            )
        )
        empty = Estimate(value=None, ci_method=CI_METHOD)
        return MetaResult(
            n=total_n,
            k=k,
            method=METHOD_TEXT[method],
            method_code=method,
            assumptions=ASSUMPTIONS,
            notes=tuple(notes),
            pooled=empty,
            fixed=empty,
            z=None,
            p=None,
            tau2=None,
            tau=None,
            i2=None,
            h2=None,
            q=None,
            q_df=k - 1,
            q_p=None,
            prediction=None,
            iterations=None,
            converged=None,
            studies=tuple(
                StudyRow(s.label, s.effect, math.sqrt(var), s.effect, s.effect, s.n, None, None)
                for s, var in zip(studies, v, strict=True)
            ),
            pooled_ok=False,
        )

    fixed, sum_w = _estimate(y, v, 0.0)
    assert fixed.value is not None
    w = 1.0 / v
    q = float(np.sum(w * (y - fixed.value) ** 2))
    df = k - 1
    q_p = float(stats.chi2.sf(q, df))

    iterations: int | None = None
    converged: bool | None = None
    if method == DL:
        tau2 = _tau2_dl(y, v)
    else:
        tau2, iterations, converged = _tau2_reml(y, v)
        if not converged:
            notes.append(
                Note(
                    gettext_noop(
                        "REML did not settle within %(iterations)s iterations; the last value is "
                        "shown. Try the DerSimonian-Laird method."
                    ),
                    {"iterations": MAX_ITERATIONS},
                )
            )
    if tau2 == 0:
        notes.append(
            gettext_noop(
                "Tau squared is 0 (the estimate was truncated at zero): the partnerships' results "
                "vary no more than sampling error would explain, so the random-effects pool "
                "equals the fixed-effect pool."
            )
        )
    if k == 2:
        notes.append(
            gettext_noop(
                "Only two partnerships: tau squared and I squared rest on one degree of freedom "
                "and are very uncertain."
            )
        )
    elif k < 5:
        notes.append(
            gettext_noop(
                "Fewer than five partnerships: tau squared is imprecise, so read I squared and "
                "the prediction interval with care."
            )
        )

    pooled, sum_w_re = _estimate(y, v, tau2)
    assert pooled.value is not None and pooled.se is not None
    # The "typical" within-study variance (Higgins and Thompson 2002), as metafor uses it, so
    # that I squared = tau2 / (tau2 + s2); for DerSimonian-Laird this equals (Q - df) / Q.
    s2 = df * sum_w / (sum_w**2 - float(np.sum(w**2)))
    i2 = 100.0 * tau2 / (tau2 + s2)
    h2 = (tau2 + s2) / s2
    z = pooled.value / pooled.se
    p = float(2 * stats.norm.sf(abs(z)))
    pi_half = Z_95 * math.sqrt(tau2 + pooled.se**2)
    prediction = Estimate(
        value=pooled.value,
        ci_low=pooled.value - pi_half,
        ci_high=pooled.value + pi_half,
        ci_method=PI_METHOD,
    )
    w_re = 1.0 / (v + tau2)
    rows = tuple(
        StudyRow(
            label=s.label,
            effect=float(y[i]),
            se=math.sqrt(float(v[i])),
            ci_low=float(y[i] - Z_95 * math.sqrt(v[i])),
            ci_high=float(y[i] + Z_95 * math.sqrt(v[i])),
            n=s.n,
            weight_fixed=float(100.0 * w[i] / sum_w),
            weight_random=float(100.0 * w_re[i] / sum_w_re),
        )
        for i, s in enumerate(studies)
    )
    return MetaResult(
        n=total_n,
        k=k,
        method=METHOD_TEXT[method],
        method_code=method,
        assumptions=ASSUMPTIONS,
        notes=tuple(notes),
        pooled=pooled,
        fixed=fixed,
        z=z,
        p=p,
        tau2=tau2,
        tau=math.sqrt(tau2),
        i2=i2,
        h2=h2,
        q=q,
        q_df=df,
        q_p=q_p,
        prediction=prediction,
        iterations=iterations,
        converged=converged,
        studies=rows,
        pooled_ok=True,
    )
