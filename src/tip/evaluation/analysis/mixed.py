"""Linear mixed models over all waves. Plain Python, no Django.

A pre/post comparison uses only the people who answered both times; with heavy attrition that
throws away most answers. A linear mixed model uses every answer of everyone with at least one
wave: ``score ~ C(wave) * C(group)`` with a random intercept per person (and, optionally, per
organisation), fitted by restricted maximum likelihood (REML). It stays unbiased when people
drop out for reasons their earlier answers explain (data "missing at random", MAR), which a
completers-only analysis does not; it is still biased when drop-out depends on what the missing
answers would have been (missing not at random).

* Waves are categories, the baseline (the first wave) the reference: each wave's coefficient is
  the change from the baseline in the reference group.
* Groups: with a comparison group, it is the reference; the group coefficient is the difference
  between the trained and comparison groups at the baseline, and each wave-by-group interaction
  is the extra change in the trained group, from the baseline to that wave, compared with the
  comparison group's change (a difference in differences). Without a comparison group, only
  ``C(wave)``: the change from baseline is not an effect of training, just a change.
* An organisation's variance component nests people in organisations, for answers from staff of
  the same organisation being alike.

The model is the one statsmodels' ``MixedLM`` and lme4's ``lmer`` fit (``y ~ X + (1 | person)``,
or ``(1 | organisation/person)``). It is fitted here exactly from each person's and
organisation's sums (``_Reml``), because MixedLM loops over people in Python at every step: a
programme of 10,000 people took it over 5 seconds, this under half a second. The tests check the
figures against MixedLM and against lme4's published fit of the sleepstudy data.

Fewer than ``MIN_PEOPLE`` people or only one wave: no model, a note. A fit whose random-effect
variance is estimated at zero (a singular fit, as lme4 warns), or whose optimiser did not
converge, is reported with a note.

``random_intercept`` fits any formula with a random intercept per person: it is what
``mixed_model`` uses, and what the tests check against lme4's published sleepstudy results.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, stats

from .results import AnalysisInputError, Estimate, Note, clean_number, gettext_noop

__all__ = [
    "MIN_PEOPLE",
    "CellMean",
    "Coefficient",
    "MixedFit",
    "MixedResult",
    "VarianceComponent",
    "mixed_model",
    "random_intercept",
]

MIN_PEOPLE = 10
# A random effect whose SD relative to the residual SD is below this is estimated at zero: a
# singular fit (lme4's tolerance).
SINGULAR_RATIO = 1e-4
CI_METHOD = gettext_noop("normal approximation (Wald), as statsmodels reports for MixedLM")

METHOD = gettext_noop(
    "Linear mixed model fitted by restricted maximum likelihood (REML; the model of statsmodels' "
    "MixedLM and lme4's lmer): score by wave (the baseline as reference) and group (the "
    "comparison group as reference) and their interaction, with a random intercept for each "
    "person"
)
METHOD_NO_COMPARISON = gettext_noop(
    "Linear mixed model fitted by restricted maximum likelihood (REML; the model of statsmodels' "
    "MixedLM and lme4's lmer): score by wave (the baseline as reference), with a random "
    "intercept for each person"
)
METHOD_ORGANISATION = gettext_noop(
    "; people are nested in organisations, with a random intercept for each organisation"
)
ASSUMPTIONS = (
    gettext_noop(
        "Everyone with at least one wave is used: missing waves are assumed missing at random "
        "(drop-out may depend on earlier answers and the groups, not on the missing answers "
        "themselves)."
    ),
    gettext_noop(
        "People differ in their overall level (a random intercept), normally distributed; "
        "their answers are otherwise independent, with the same spread at every wave."
    ),
    gettext_noop("Residuals are roughly normally distributed."),
    gettext_noop(
        "Confidence intervals and p-values use the normal approximation, which is optimistic "
        "with few people (no small-sample correction such as Kenward-Roger)."
    ),
)
ASSUMPTION_NO_COMPARISON = gettext_noop(
    "Without a comparison group, a change from the baseline cannot be attributed to the "
    "training: it includes anything else that changed over the same time."
)

NOTE_TOO_FEW = gettext_noop(
    "Not enough people for a mixed model: %(n)s people with a score; at least %(minimum)s are "
    "needed."
)
NOTE_ONE_WAVE = gettext_noop(
    "A mixed model over waves needs answers at two waves or more; there are answers at only %(n)s."
)
NOTE_NOT_CONVERGED = gettext_noop(
    "The model did not converge: treat its figures with caution (fewer waves or a simpler "
    "model may help)."
)
NOTE_SINGULAR = gettext_noop(
    "The variance between %(component)s was estimated at zero (a singular fit): the data "
    "cannot tell it apart from the residual variation."
)
NOTE_HESSIAN = gettext_noop(
    "The fit's curvature could not be checked (the Hessian is not positive definite): its "
    "standard errors and confidence intervals may be wrong."
)
NOTE_FIT_FAILED = gettext_noop("The model could not be fitted: %(reason)s.")
NOTE_NO_VARIANCE = gettext_noop("Every score is the same, so there is nothing to model.")
NOTE_FEW_ORGANISATIONS = gettext_noop(
    "The organisation's variance is left out: the people come from fewer than 2 known "
    "organisations."
)
NOTE_UNKNOWN_ORGANISATION = gettext_noop(
    "%(n)s people whose organisation is not known are counted as one organisation."
)
NOTE_MISSING_DROPPED = gettext_noop(
    "%(n)s answers without a score were left out (people with no score at any wave are not "
    "in the model)."
)
NOTE_ONE_PER_PERSON = gettext_noop(
    "Each person has only one wave: the model cannot separate people's differences from the "
    "changes between waves."
)
NOTE_GROUP_CHANGE = gettext_noop(
    "%(n)s people appear in more than one group; each is counted in the group of their first "
    "answer."
)
NOTE_EMPTY_CELL = gettext_noop(
    "No one in the %(group)s group answered at %(wave)s: the model's estimates for it rest on "
    "the others."
)

LABEL_INTERCEPT = gettext_noop("Mean at %(wave)s")
LABEL_INTERCEPT_GROUP = gettext_noop("Mean at %(wave)s in the %(group)s group")
LABEL_WAVE = gettext_noop("Change from %(baseline)s to %(wave)s")
LABEL_WAVE_GROUP = gettext_noop("Change from %(baseline)s to %(wave)s in the %(group)s group")
LABEL_GROUP = gettext_noop("Difference between the %(group)s and %(reference)s groups at %(wave)s")
LABEL_INTERACTION = gettext_noop(
    "Extra change from %(baseline)s to %(wave)s in the %(group)s group compared with the "
    "%(reference)s group"
)

COMPONENT_PERSON = "person"
COMPONENT_ORGANISATION = "organisation"
COMPONENT_RESIDUAL = "residual"
_COMPONENT_WORDS = {
    COMPONENT_PERSON: gettext_noop("people"),
    COMPONENT_ORGANISATION: gettext_noop("organisations"),
}


@dataclass(frozen=True)
class Coefficient:
    """A fixed effect: ``term`` as patsy (and statsmodels) names it, ``label`` in plain words,
    its estimate (with SE and 95% CI) and the two-sided p-value of its z test. The SE is
    lme4's: sigma^2 (X'V^-1 X)^-1 at the REML estimates."""

    term: str
    label: Note
    estimate: Estimate
    z: float | None
    p_value: float | None


@dataclass(frozen=True)
class VarianceComponent:
    """A variance (and its square root, the standard deviation): ``name`` is "person",
    "organisation" or "residual"."""

    name: str
    variance: float | None
    sd: float | None


@dataclass(frozen=True)
class CellMean:
    """The model's estimated mean score at a wave in a group (for a chart), with its 95% CI,
    beside the observed mean and how many answered there."""

    wave: str
    group: str
    mean: Estimate
    observed_mean: float | None
    n: int


@dataclass(frozen=True)
class MixedFit:
    """A random-intercept model as fitted: the numbers ``mixed_model`` builds on."""

    n: int  # people
    n_observations: int
    formula: str
    coefficients: tuple[Coefficient, ...]
    variance: tuple[VarianceComponent, ...]
    converged: bool | None
    reml: bool
    log_likelihood: float | None
    method: str
    assumptions: tuple[str, ...]
    notes: tuple[str | Note, ...]


@dataclass(frozen=True)
class MixedResult:
    """Scores over all waves by a linear mixed model. ``n`` (= ``n_people``) is the number of
    people with at least one score. Figures are None (with a note) when no model was fitted.
    ``coefficients`` are the fixed effects; ``means`` the model's estimated mean per wave and
    group, in wave order; ``variance`` person, (organisation,) residual."""

    n: int
    n_people: int
    n_observations: int
    n_waves: int
    waves: tuple[str, ...]
    groups: tuple[str, ...]
    reference_group: str | None
    formula: str
    coefficients: tuple[Coefficient, ...]
    means: tuple[CellMean, ...]
    variance: tuple[VarianceComponent, ...]
    converged: bool | None
    method: str
    assumptions: tuple[str, ...]
    notes: tuple[str | Note, ...]

    def coefficient(self, term: str) -> Coefficient:
        for found in self.coefficients:
            if found.term == term:
                return found
        raise KeyError(term)

    def variance_of(self, name: str) -> VarianceComponent:
        for found in self.variance:
            if found.name == name:
                return found
        raise KeyError(name)


# Fitting ----------------------------------------------------------------------------------------


@dataclass
class _Fitted:
    fit: MixedFit
    names: list[str]
    beta: np.ndarray | None
    cov: np.ndarray | None  # of the fixed effects


def _require(frame: pd.DataFrame, columns: Sequence[str]) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise AnalysisInputError("The data must be a table (a pandas DataFrame).")
    for column in columns:
        if column not in frame.columns:
            raise AnalysisInputError(f"There is no column “{column}”.", column=column)


def _numbers(frame: pd.DataFrame, column: str) -> pd.Series:
    values = frame[column]
    if values.dtype == object:
        converted = pd.to_numeric(values, errors="coerce")
        bad = values.notna() & converted.isna()
        if bad.any():
            first = int(np.flatnonzero(bad.to_numpy())[0])
            raise AnalysisInputError(
                f"The column “{column}” must hold numbers; “{values.iloc[first]}” is not one.",
                column=column,
                row=first + 2,
            )
        values = converted
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        raise AnalysisInputError(f"The column “{column}” must hold numbers.", column=column)
    return values.astype(float).replace([np.inf, -np.inf], np.nan)


def random_intercept(
    frame: pd.DataFrame,
    formula: str,
    *,
    person: str,
    organisation: str | None = None,
    reml: bool = True,
    labels: dict[str, Note] | None = None,
) -> MixedFit:
    """Fits ``formula`` (patsy, as statsmodels' formula API) with a random intercept for each
    ``person`` (and, given ``organisation``, people nested in organisations: a random intercept
    per organisation and a variance component per person within it). Rows with a missing value
    in the formula's columns are left out by the caller. ``labels`` names terms in plain words
    (others keep statsmodels' name)."""
    return _fit(
        frame, formula, person=person, organisation=organisation, reml=reml, labels=labels or {}
    ).fit


def _fit(
    frame: pd.DataFrame,
    formula: str,
    *,
    person: str,
    organisation: str | None,
    reml: bool,
    labels: dict[str, Note],
) -> _Fitted:
    """Builds the fixed effects' design from the formula (patsy, as statsmodels does) and fits
    it by REML (``_Reml``)."""
    notes: list[str | Note] = []
    y, x, names = _design(frame, formula)
    people = pd.factorize(frame[person].astype(str), sort=False)[0]
    orgs = (
        pd.factorize(frame[organisation].astype(str), sort=False)[0]
        if organisation is not None
        else None
    )
    n_people = int(people.max()) + 1 if len(people) else 0
    method = METHOD if organisation is None else METHOD + METHOD_ORGANISATION

    def failed(reason: str) -> _Fitted:
        notes.append(Note(NOTE_FIT_FAILED, {"reason": reason}))
        return _Fitted(
            MixedFit(
                n=n_people,
                n_observations=len(y),
                formula=formula,
                coefficients=(),
                variance=(),
                converged=False,
                reml=reml,
                log_likelihood=None,
                method=method,
                assumptions=ASSUMPTIONS,
                notes=tuple(notes),
            ),
            names,
            None,
            None,
        )

    if np.linalg.matrix_rank(x) < x.shape[1]:
        return failed(gettext_noop("some of the effects cannot be told apart in these data"))
    if len(y) <= x.shape[1]:
        return failed(gettext_noop("there are no more answers than effects to estimate"))
    engine = _Reml(y, x, people, orgs)
    found = engine.fit()
    if not found.converged:
        notes.append(NOTE_NOT_CONVERGED)
    z_crit = float(stats.norm.ppf(0.975))
    coefficients = []
    for i, term in enumerate(names):
        value = float(found.beta[i])
        var = float(found.cov[i, i])
        se = math.sqrt(var) if var >= 0 else math.nan
        z = value / se if se > 0 and math.isfinite(se) else math.nan
        p = 2 * float(stats.norm.sf(abs(z))) if math.isfinite(z) else math.nan
        coefficients.append(
            Coefficient(
                term=term,
                label=labels.get(term, Note(term)),
                estimate=Estimate(
                    value=clean_number(value),
                    ci_low=clean_number(value - z_crit * se),
                    ci_high=clean_number(value + z_crit * se),
                    se=clean_number(se),
                    ci_method=CI_METHOD,
                ),
                z=clean_number(z),
                p_value=clean_number(p),
            )
        )
    components = [_component(COMPONENT_PERSON, found.sigma2 * found.ratios[0])]
    if orgs is not None:
        components.append(_component(COMPONENT_ORGANISATION, found.sigma2 * found.ratios[1]))
    components.append(_component(COMPONENT_RESIDUAL, found.sigma2))
    for component, ratio in zip(components[:-1], found.ratios, strict=True):
        # lme4 calls a fit singular when a random effect's SD relative to the residual's is
        # below 1e-4; the same rule here.
        if math.sqrt(max(ratio, 0.0)) < SINGULAR_RATIO:
            notes.append(Note(NOTE_SINGULAR, {"component": _COMPONENT_WORDS[component.name]}))
    return _Fitted(
        MixedFit(
            n=n_people,
            n_observations=len(y),
            formula=formula,
            coefficients=tuple(coefficients),
            variance=tuple(components),
            converged=found.converged,
            reml=reml,
            log_likelihood=clean_number(found.log_likelihood),
            method=method,
            assumptions=ASSUMPTIONS,
            notes=tuple(notes),
        ),
        names,
        found.beta,
        found.cov,
    )


# The formulas mixed_model writes, and the columns (categorical factors) each is built from.
_FIXED_FORMULAS = {"_y ~ C(_w) * C(_g)": ("_w", "_g"), "_y ~ C(_w)": ("_w",)}


def _design(frame: pd.DataFrame, formula: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The outcome, the fixed effects' design matrix and its column names. For the two formulas
    ``mixed_model`` writes the design is built directly, exactly as patsy builds it (treatment
    coding against the first level in sorted order; main effects, then interactions with the
    first factor varying fastest), which on a report's 10,000s of rows is several times faster;
    any other formula, or missing values (which patsy refuses), goes to patsy."""
    factors = _FIXED_FORMULAS.get(formula)
    if factors is not None and all(
        frame[c].dtype == object and not frame[c].isna().any() for c in factors
    ):
        y = frame["_y"].to_numpy(dtype=float)
        if not np.isnan(y).any():
            names = ["Intercept"]
            columns = [np.ones(len(frame))]
            dummies: list[list[tuple[str, np.ndarray]]] = []
            for factor in factors:
                values = frame[factor].to_numpy(dtype=object)
                levels = sorted(set(values))
                dummies.append(
                    [(f"C({factor})[T.{lv}]", (values == lv).astype(float)) for lv in levels[1:]]
                )
            for found in dummies:
                names.extend(name for name, _ in found)
                columns.extend(column for _, column in found)
            if len(dummies) == 2:
                for g_name, g_column in dummies[1]:
                    for w_name, w_column in dummies[0]:
                        names.append(f"{w_name}:{g_name}")
                        columns.append(w_column * g_column)
            return y, np.column_stack(columns), names
    from patsy import dmatrices  # type: ignore[import-untyped]

    y_frame, x_frame = dmatrices(formula, frame, return_type="dataframe", NA_action="raise")
    return (
        np.asarray(y_frame, dtype=float).ravel(),
        np.asarray(x_frame, dtype=float),
        [str(c) for c in x_frame.columns],
    )


@dataclass(frozen=True)
class _RemlResult:
    beta: np.ndarray
    cov: np.ndarray
    sigma2: float
    ratios: tuple[float, ...]  # each random effect's variance over the residual variance
    log_likelihood: float
    converged: bool


class _Reml:
    """Restricted maximum likelihood for a linear model with a random intercept per person, and
    optionally per organisation (people nested in organisations), computed exactly from each
    person's and organisation's sums.

    With the variances as ratios to the residual variance (g for people, h for organisations),
    the covariance of one organisation's answers is sigma^2 V with V = I + g B + h J (B: 1 for
    two answers of the same person, J: all ones). Its inverse and determinant have closed forms
    (Sherman-Morrison, twice): for a person with n answers, the person part inverts to
    I - g / (1 + n g) 11'; the organisation part adds a rank-one term over the organisation's
    people. So X'V^-1 X, X'V^-1 y and y'V^-1 y come from sums per person and organisation
    (O(N p^2), no loop over people in Python), the fixed effects are generalised least squares,
    the residual variance is profiled out, and the REML deviance

        (N - p) log(sigma^2) + log|V| + log|X'V^-1 X|

    is minimised over the ratios (one or two numbers) with SciPy. This is the model statsmodels'
    MixedLM and lme4's lmer fit; the tests check the figures against both."""

    def __init__(
        self, y: np.ndarray, x: np.ndarray, people: np.ndarray, orgs: np.ndarray | None
    ) -> None:
        self.y, self.x = y, x
        self.n, self.p = x.shape
        g = int(people.max()) + 1
        self.sizes = np.bincount(people, minlength=g).astype(float)
        self.sum_x = np.column_stack(
            [np.bincount(people, weights=x[:, j], minlength=g) for j in range(self.p)]
        ).reshape(g, self.p)
        self.sum_y = np.bincount(people, weights=y, minlength=g)
        self.xtx = x.T @ x
        self.xty = x.T @ y
        self.yty = float(y @ y)
        self.org_of_person: np.ndarray | None = None
        if orgs is not None:
            first = np.zeros(g, dtype=int)
            first[people] = orgs  # a person belongs to one organisation
            self.org_of_person = first
            self.n_orgs = int(orgs.max()) + 1

    def _parts(self, g: float, h: float) -> tuple[np.ndarray, np.ndarray, float, float]:
        """X'V^-1 X, X'V^-1 y, y'V^-1 y and log|V| at ratios g (people) and h (organisations)."""
        n_i = self.sizes
        c = g / (1.0 + n_i * g)
        a = self.xtx - self.sum_x.T @ (c[:, None] * self.sum_x)
        b = self.xty - self.sum_x.T @ (c * self.sum_y)
        q = self.yty - float(np.sum(c * self.sum_y**2))
        logdet = float(np.sum(np.log1p(n_i * g)))
        if self.org_of_person is not None and h > 0:
            d = 1.0 / (1.0 + n_i * g)
            k = self.n_orgs
            org = self.org_of_person
            t_x = np.column_stack(
                [np.bincount(org, weights=d * self.sum_x[:, j], minlength=k) for j in range(self.p)]
            ).reshape(k, self.p)
            t_y = np.bincount(org, weights=d * self.sum_y, minlength=k)
            m = np.bincount(org, weights=n_i * d, minlength=k)
            e = h / (1.0 + h * m)
            a = a - t_x.T @ (e[:, None] * t_x)
            b = b - t_x.T @ (e * t_y)
            q = q - float(np.sum(e * t_y**2))
            logdet += float(np.sum(np.log1p(h * m)))
        return a, b, q, logdet

    def deviance(self, g: float, h: float = 0.0) -> float:
        a, b, q, logdet = self._parts(g, h)
        try:
            beta = np.linalg.solve(a, b)
        except np.linalg.LinAlgError:
            return math.inf
        r = q - float(b @ beta)
        if r <= 0:
            return math.inf
        sign, logdet_a = np.linalg.slogdet(a)
        if sign <= 0:
            return math.inf
        df = self.n - self.p
        return float(df * math.log(r / df) + logdet + float(logdet_a))

    def fit(self) -> _RemlResult:
        low, high = math.log(1e-10), math.log(1e6)
        nested = self.org_of_person is not None
        candidates: list[tuple[float, tuple[float, ...], bool]] = []

        def one(h_fixed: float | None, g_fixed: float | None) -> None:
            def f(t: float) -> float:
                value = math.exp(t)
                return self.deviance(
                    value if g_fixed is None else g_fixed, value if h_fixed is None else h_fixed
                )

            found = optimize.minimize_scalar(
                f, bounds=(low, high), method="bounded", options={"xatol": 1e-10, "maxiter": 500}
            )
            ratio = math.exp(float(found.x))
            pair = (ratio, h_fixed or 0.0) if g_fixed is None else (g_fixed, ratio)
            candidates.append((float(found.fun), pair, bool(found.success)))

        one(h_fixed=0.0, g_fixed=None)  # people only (h = 0)
        candidates.append((self.deviance(0.0, 0.0), (0.0, 0.0), True))
        if nested:
            one(h_fixed=None, g_fixed=0.0)  # organisations only

            def f2(t: np.ndarray) -> float:
                return self.deviance(math.exp(float(t[0])), math.exp(float(t[1])))

            best = min(candidates, key=lambda c: c[0])
            start = np.array([math.log(max(v, 1e-3)) for v in best[1]])
            found = optimize.minimize(
                f2,
                start,
                method="Nelder-Mead",
                options={"xatol": 1e-9, "fatol": 1e-12, "maxiter": 4000},
            )
            inside = np.clip(found.x, low, high)
            candidates.append(
                (
                    f2(inside),
                    (math.exp(inside[0]), math.exp(inside[1])),
                    bool(found.success),
                )
            )
        deviance, (g, h), converged = min(candidates, key=lambda c: c[0])
        # A ratio at the lower bound is a variance of zero (the boundary).
        g = 0.0 if g <= 1e-9 else g
        h = 0.0 if h <= 1e-9 else h
        a, b, q, _ = self._parts(g, h)
        beta = np.linalg.solve(a, b)
        df = self.n - self.p
        sigma2 = (q - float(b @ beta)) / df
        cov = sigma2 * np.linalg.inv(a)
        log_likelihood = -0.5 * (self.deviance(g, h) + df * (1.0 + math.log(2 * math.pi)))
        ratios = (g, h) if nested else (g,)
        return _RemlResult(
            beta, cov, sigma2, ratios, log_likelihood, converged and math.isfinite(deviance)
        )


def _component(name: str, variance: float) -> VarianceComponent:
    value = clean_number(variance)
    if value is not None and value < 0:
        value = 0.0
    return VarianceComponent(
        name=name, variance=value, sd=math.sqrt(value) if value is not None else None
    )


# Waves and groups -------------------------------------------------------------------------------


def _wave_order(frame: pd.DataFrame, wave: str, order: Sequence[str] | None) -> list[str]:
    present = [str(w) for w in pd.unique(frame[wave].astype(str))]
    if order is not None:
        known = [str(w) for w in order]
        unknown = [w for w in present if w not in known]
        if unknown:
            raise AnalysisInputError(
                f"The wave “{unknown[0]}” is not in the order given.", column=wave
            )
        return [w for w in known if w in present]
    if "wave_order" in frame.columns:
        firsts = frame.groupby(frame[wave].astype(str))["wave_order"].min()
        return sorted(present, key=lambda w: (float(firsts[w]), w))
    return present


def mixed_model(
    frame: pd.DataFrame,
    *,
    outcome: str = "score",
    person: str = "person",
    wave: str = "wave",
    group: str | None = "group",
    organisation: str | None = None,
    wave_order: Sequence[str] | None = None,
    comparison: str = "comparison",
    min_people: int = MIN_PEOPLE,
) -> MixedResult:
    """The linear mixed model over all waves of a long table (one row per person and wave, such
    as ``analysis_data.scores_frame``): ``outcome ~ C(wave) * C(group)`` with a random intercept
    per ``person``; just ``C(wave)`` when ``group`` is None or there is only one group.

    Waves are ordered by ``wave_order`` when given, else by the frame's ``wave_order`` column,
    else as they first appear; the first is the reference (the baseline). ``comparison`` is the
    reference group when present. ``organisation`` names a column to nest people in
    organisations (an empty value: not known, counted as one organisation with a note).
    Rows without a score are left out; everyone with at least one score is used."""
    columns = (
        [outcome, person, wave]
        + ([group] if group else [])
        + ([organisation] if organisation else [])
    )
    _require(frame, columns)
    scores = _numbers(frame, outcome)
    data = pd.DataFrame(
        {
            "_y": scores,
            "_person": frame[person].astype(str),
            "_wave": frame[wave].astype(str),
        }
    )
    if "wave_order" in frame.columns and wave_order is None:
        data["wave_order"] = frame["wave_order"]
    notes: list[str | Note] = []
    if group:
        data["_group"] = frame[group].astype(str)
    if organisation:
        data["_org"] = frame[organisation].fillna("").astype(str)
    person_ids = frame[person]
    if person_ids.isna().any():
        raise AnalysisInputError(f"Every row needs a value in “{person}”.", column=person)

    missing = int(data["_y"].isna().sum())
    if missing:
        notes.append(Note(NOTE_MISSING_DROPPED, {"n": missing}))
    data = data[data["_y"].notna()].copy()
    waves = _wave_order(data, "_wave", wave_order) if len(data) else []
    people = int(data["_person"].nunique())

    groups: list[str] = []
    reference: str | None = None
    if group and len(data):
        first_group = data.groupby("_person", sort=False)["_group"].first()
        switching = int((data.groupby("_person")["_group"].nunique() > 1).sum())
        if switching:
            notes.append(Note(NOTE_GROUP_CHANGE, {"n": switching}))
        data["_group"] = data["_person"].map(first_group)
        present = sorted(set(data["_group"]))
        if len(present) > 1:
            reference = comparison if comparison in present else present[0]
            groups = [reference] + [g for g in present if g != reference]
        else:
            groups = present
    elif len(data):
        groups = []

    def empty(extra: Sequence[str | Note]) -> MixedResult:
        return MixedResult(
            n=people,
            n_people=people,
            n_observations=len(data),
            n_waves=len(waves),
            waves=tuple(waves),
            groups=tuple(groups),
            reference_group=reference,
            formula="",
            coefficients=(),
            means=(),
            variance=(),
            converged=None,
            method=METHOD if reference else METHOD_NO_COMPARISON,
            assumptions=_assumptions(reference),
            notes=tuple(notes) + tuple(extra),
        )

    if people < min_people:
        return empty([Note(NOTE_TOO_FEW, {"n": people, "minimum": min_people})])
    if len(waves) < 2:
        return empty([Note(NOTE_ONE_WAVE, {"n": len(waves)})])
    if float(data["_y"].std(ddof=0)) == 0.0:
        return empty([NOTE_NO_VARIANCE])
    if int(data.groupby("_person").size().max()) < 2:
        notes.append(NOTE_ONE_PER_PERSON)

    # Codes that sort in the order wanted, so patsy's reference is the first.
    wave_codes = {w: f"w{i:03d}" for i, w in enumerate(waves)}
    data["_w"] = data["_wave"].map(wave_codes)
    labels: dict[str, Note] = {}
    baseline = waves[0]
    with_groups = reference is not None
    if with_groups:
        group_codes = {g: f"g{i:03d}" for i, g in enumerate(groups)}
        data["_g"] = data["_group"].map(group_codes)
        formula = "_y ~ C(_w) * C(_g)"
        labels["Intercept"] = Note(LABEL_INTERCEPT_GROUP, {"wave": baseline, "group": reference})
        for w in waves[1:]:
            labels[f"C(_w)[T.{wave_codes[w]}]"] = Note(
                LABEL_WAVE_GROUP, {"baseline": baseline, "wave": w, "group": reference}
            )
        for g in groups[1:]:
            labels[f"C(_g)[T.{group_codes[g]}]"] = Note(
                LABEL_GROUP, {"group": g, "reference": reference, "wave": baseline}
            )
            for w in waves[1:]:
                labels[f"C(_w)[T.{wave_codes[w]}]:C(_g)[T.{group_codes[g]}]"] = Note(
                    LABEL_INTERACTION,
                    {"baseline": baseline, "wave": w, "group": g, "reference": reference},
                )
    else:
        formula = "_y ~ C(_w)"
        labels["Intercept"] = Note(LABEL_INTERCEPT, {"wave": baseline})
        for w in waves[1:]:
            labels[f"C(_w)[T.{wave_codes[w]}]"] = Note(
                LABEL_WAVE, {"baseline": baseline, "wave": w}
            )

    org_column: str | None = None
    if organisation:
        by_person = data.groupby("_person")["_org"].first()
        unknown = int((by_person == "").sum())
        known = set(by_person[by_person != ""])
        if len(known) < 2:
            notes.append(NOTE_FEW_ORGANISATIONS)
        else:
            if unknown:
                notes.append(Note(NOTE_UNKNOWN_ORGANISATION, {"n": unknown}))
            data["_o"] = data["_person"].map(by_person).replace("", "(not known)")
            org_column = "_o"

    fitted = _fit(
        data.reset_index(drop=True),
        formula,
        person="_person",
        organisation=org_column,
        reml=True,
        labels=labels,
    )
    fit = fitted.fit
    means = _cell_means(
        fitted,
        data,
        waves,
        groups if with_groups else [],
        wave_codes,
        group_codes if with_groups else {},
    )
    # Readable formula, in the caller's words.
    shown = f"{outcome} ~ C({wave})" + (f" * C({group})" if with_groups else "")
    shown += f" + (1 | {person})" if org_column is None else f" + (1 | {organisation}/{person})"
    return MixedResult(
        n=people,
        n_people=people,
        n_observations=len(data),
        n_waves=len(waves),
        waves=tuple(waves),
        groups=tuple(groups),
        reference_group=reference,
        formula=shown,
        coefficients=fit.coefficients,
        means=means,
        variance=fit.variance,
        converged=fit.converged,
        method=(METHOD if with_groups else METHOD_NO_COMPARISON)
        + (METHOD_ORGANISATION if org_column else ""),
        assumptions=_assumptions(reference),
        notes=tuple(notes) + fit.notes + _empty_cells(data, waves, groups if with_groups else []),
    )


def _assumptions(reference: str | None) -> tuple[str, ...]:
    return ASSUMPTIONS if reference else (*ASSUMPTIONS, ASSUMPTION_NO_COMPARISON)


def _empty_cells(data: pd.DataFrame, waves: list[str], groups: list[str]) -> tuple[Note, ...]:
    if not groups:
        return ()
    cells = data[["_wave", "_group"]].drop_duplicates()
    seen = set(zip(cells["_wave"], cells["_group"], strict=True))
    return tuple(
        Note(NOTE_EMPTY_CELL, {"group": g, "wave": w})
        for w in waves
        for g in groups
        if (w, g) not in seen
    )


def _level_code(levels: pd.Index, value: str) -> int:
    """The position of ``value`` among factorised levels, -1 when it is not there."""
    found = levels.get_indexer(pd.Index([value]))[0]
    return int(found)


def _design_value(term: str, wave_code: str, group_code: str) -> float:
    """A fixed-effects design column's value for a cell (treatment coding: the intercept is 1,
    a dummy 1 in its own level, an interaction the product of its parts)."""
    value = 1.0
    for part in term.split(":"):
        if part == "Intercept":
            continue
        if part.startswith("C(_w)[T.") and part.endswith("]"):
            value *= 1.0 if part[len("C(_w)[T.") : -1] == wave_code else 0.0
        elif part.startswith("C(_g)[T.") and part.endswith("]"):
            value *= 1.0 if part[len("C(_g)[T.") : -1] == group_code else 0.0
        else:
            raise ValueError(f"Unexpected term {term!r}")
    return value


def _cell_means(
    fitted: _Fitted,
    data: pd.DataFrame,
    waves: list[str],
    groups: list[str],
    wave_codes: dict[str, str],
    group_codes: dict[str, str],
) -> tuple[CellMean, ...]:
    """Each wave's (and group's) estimated mean: the fixed effects' design row for the cell
    times the estimates, its variance x' V x (V the fixed effects' covariance)."""
    if fitted.beta is None or fitted.cov is None:
        return ()
    cells = [(w, g) for w in waves for g in (groups or [""])]
    x = np.array(
        [
            [_design_value(name, wave_codes[w], group_codes.get(g, "")) for name in fitted.names]
            for w, g in cells
        ],
        dtype=float,
    )
    beta = fitted.beta
    cov = fitted.cov
    z_crit = float(stats.norm.ppf(0.975))
    found = []
    # Each row's cell as a number, compared once per cell (not the text columns each time).
    wave_index, wave_levels = pd.factorize(data["_wave"])
    cell_of_row = wave_index.astype(np.int64)
    n_groups = 1
    if groups:
        group_index, group_levels = pd.factorize(data["_group"])
        n_groups = len(group_levels)
        cell_of_row = cell_of_row * n_groups + group_index
    y = data["_y"]
    for row, (w, g) in enumerate(cells):
        mean = float(x[row] @ beta)
        var = float(x[row] @ cov @ x[row])
        se = math.sqrt(var) if var >= 0 else math.nan
        code = _level_code(wave_levels, w)
        if groups and code >= 0:
            group_code = _level_code(group_levels, g)
            code = code * n_groups + group_code if group_code >= 0 else -1
        observed = y[cell_of_row == code] if code >= 0 else y.iloc[:0]
        found.append(
            CellMean(
                wave=w,
                group=g,
                mean=Estimate(
                    value=clean_number(mean),
                    ci_low=clean_number(mean - z_crit * se),
                    ci_high=clean_number(mean + z_crit * se),
                    se=clean_number(se),
                    ci_method=CI_METHOD,
                ),
                observed_mean=clean_number(observed.mean()) if len(observed) else None,
                n=len(observed),
            )
        )
    return tuple(found)
