"""How consistently an instrument's items measure one thing: Cronbach's alpha with its 95%
confidence interval (Feldt's F-distribution method) and McDonald's omega total from a
one-factor model fitted by maximum likelihood, with per-item statistics (corrected item-total
correlation, alpha if the item is left out). Plain Python, no Django
(docs/evaluation-analysis.md explains the methods).

Input is a table of item scores, one row per person and one column per item, already scored
(reverse items turned round, knowledge items 0 or 1). People missing any item are left out
(listwise deletion) and counted, so every figure rests on the same ``n`` people.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import linalg, optimize, stats

from .instrument_model import Instrument, Subscale
from .results import AnalysisInputError, Estimate, Note, clean_number, gettext_noop
from .scoring import AnswerError, clean_answer, item_score

LEVEL = 0.95


@dataclass(frozen=True)
class ItemStatistic:
    """One item among the others: its mean and SD, its correlation with the sum of the other
    items (corrected item-total correlation), alpha without it, and its standardised loading on
    the single factor."""

    item: str
    mean: float | None
    sd: float | None
    item_total: float | None
    alpha_if_deleted: float | None
    loading: float | None


@dataclass(frozen=True)
class ReliabilityResult:
    """Reliability of the unweighted sum (or mean) of ``k`` items, from ``n`` people who answered
    every one of them (``n_dropped`` left out for a missing item). ``label`` names the scale
    (an instrument's ``total`` or a subscale id)."""

    label: str
    n: int
    n_dropped: int
    k: int
    alpha: Estimate  # Cronbach's alpha; CI by Feldt's method (F distribution)
    omega: Estimate  # McDonald's omega total from a one-factor ML model; no interval
    items: tuple[ItemStatistic, ...]
    method: str
    assumptions: tuple[str, ...]
    notes: tuple[str | Note, ...]


@dataclass(frozen=True)
class InstrumentReliability:
    """An instrument's reliability: its total and each subscale with at least two scored
    items."""

    instrument_id: str
    n: int  # rows in the table
    total: ReliabilityResult | None
    subscales: tuple[ReliabilityResult, ...]
    method: str
    assumptions: tuple[str, ...]
    notes: tuple[str | Note, ...]


MIN_ITEMS = 2
MIN_PEOPLE = 3
MIN_OMEGA_ITEMS = 3  # a one-factor model needs three items to be identified
# The smallest uniqueness the factor model may reach (as R's factanal): an item explained
# entirely by the factor (a "Heywood case") is held here and noted.
MIN_UNIQUENESS = 0.005

METHOD = gettext_noop(
    "Cronbach's alpha with a confidence interval by Feldt's method (F distribution), and "
    "McDonald's omega total from a one-factor model fitted by maximum likelihood to the items' "
    "correlations, for the unweighted sum of the item scores. People missing any item are left "
    "out (listwise deletion)."
)
ASSUMPTIONS = (
    gettext_noop(
        "The items measure one thing (one factor). Alpha also assumes they measure it equally "
        "well (tau-equivalence); when they do not, alpha understates reliability and omega is "
        "the better guide."
    ),
    gettext_noop("Errors of different items are unrelated, and people are independent."),
    gettext_noop(
        "Reliability describes these people's answers, not the instrument in general; it is "
        "lower in groups whose scores vary less."
    ),
)
ALPHA_CI = gettext_noop("Feldt (1965): F distribution with n - 1 and (n - 1)(k - 1) df")
OMEGA_NO_CI = gettext_noop("no interval (would need bootstrapping)")

FEW_ITEMS = gettext_noop("Only %(k)s items: reliability needs at least %(minimum)s.")
NOTHING = gettext_noop("No one answered every item, so reliability cannot be worked out.")
FEW_PEOPLE = gettext_noop(
    "Only %(n)s people answered every item: reliability needs at least %(minimum)s."
)
DROPPED = gettext_noop("Left out because they missed at least one item: %(n)s people.")
NO_VARIANCE = gettext_noop(
    "Everyone gave the same answer to %(items)s, so the item-total correlation (and omega) "
    "cannot be worked out for it."
)
NO_TOTAL_VARIANCE = gettext_noop("Everyone has the same total, so alpha cannot be worked out.")
OMEGA_FEW_ITEMS = gettext_noop(
    "Omega needs at least %(minimum)s items for a one-factor model to be fitted."
)
OMEGA_SINGULAR = gettext_noop(
    "The items' correlations cannot be factor-analysed (more items than people, or items "
    "that are exact copies or sums of others), so omega cannot be worked out."
)
OMEGA_FAILED = gettext_noop("The one-factor model did not converge, so omega is not given.")
HEYWOOD = gettext_noop(
    "The factor model explains all of %(items)s (a Heywood case): omega may be too high; "
    "look at these items."
)
NEGATIVE = gettext_noop(
    "%(items)s load against the other items: check that reverse-worded items are "
    "reverse-scored. Alpha and omega assume all items point the same way."
)
NEGATIVE_ALPHA = gettext_noop(
    "Alpha is negative: the items are, on average, negatively related, so they do not measure "
    "one thing as scored."
)
BINARY = gettext_noop(
    "Every item is scored 0 or 1, so alpha is the Kuder-Richardson 20 (KR-20); omega rests on "
    "ordinary correlations of 0/1 items, which understate how strongly they are related."
)
SUBSCALE_SKIPPED = gettext_noop(
    "The subscale “%(subscale)s” has fewer than two scored items, so it has no reliability."
)
NO_TOTAL = gettext_noop("The instrument has no total score.")


def reliability(items: pd.DataFrame, *, label: str = "", level: float = LEVEL) -> ReliabilityResult:
    """Alpha, omega and item statistics for the items in ``items`` (columns; every cell a number
    or missing). Raises ``AnalysisInputError`` for a cell that is not a number; too few items or
    people, items with no variation, or nothing answered give None figures with notes."""
    frame = _numeric(items)
    k = frame.shape[1]
    complete = frame.dropna(axis=0, how="any")
    n = len(complete)
    dropped = len(frame) - n
    notes: list[str | Note] = []
    if dropped:
        notes.append(Note(DROPPED, {"n": dropped}))
    no_alpha = Estimate(None, level=level, ci_method=ALPHA_CI)
    no_omega = Estimate(None, level=level, ci_method=OMEGA_NO_CI)

    def result(
        alpha: Estimate = no_alpha,
        omega: Estimate = no_omega,
        item_stats: tuple[ItemStatistic, ...] = (),
    ) -> ReliabilityResult:
        return ReliabilityResult(
            label=label,
            n=n,
            n_dropped=dropped,
            k=k,
            alpha=alpha,
            omega=omega,
            items=item_stats,
            method=METHOD,
            assumptions=ASSUMPTIONS,
            notes=tuple(notes),
        )

    if k < MIN_ITEMS:
        notes.append(Note(FEW_ITEMS, {"k": k, "minimum": MIN_ITEMS}))
        return result()
    if n == 0:
        notes.append(NOTHING)
        return result()
    if n < MIN_PEOPLE:
        notes.append(Note(FEW_PEOPLE, {"n": n, "minimum": MIN_PEOPLE}))
        return result()

    data = complete.to_numpy(dtype=float)
    covariance = np.atleast_2d(np.cov(data, rowvar=False, ddof=1))
    sds = np.sqrt(np.diag(covariance))
    flat = [str(c) for c, sd in zip(frame.columns, sds, strict=True) if not sd > 0]
    if flat:
        notes.append(Note(NO_VARIANCE, {"items": _names(flat)}))

    if np.isin(data, (0.0, 1.0)).all():
        notes.append(BINARY)
    value = alpha_from_covariance(covariance)
    alpha = no_alpha
    if value is None:
        notes.append(NO_TOTAL_VARIANCE)
    else:
        low, high = feldt_interval(value, n, k, level)
        alpha = Estimate(value, low, high, None, level, ALPHA_CI)
        if value < 0:
            notes.append(NEGATIVE_ALPHA)

    loadings: list[float | None] = [None] * k
    omega = no_omega
    if k < MIN_OMEGA_ITEMS:
        notes.append(Note(OMEGA_FEW_ITEMS, {"minimum": MIN_OMEGA_ITEMS}))
    elif not flat:
        fit = one_factor_ml(covariance / np.outer(sds, sds))
        if fit is None:
            notes.append(OMEGA_SINGULAR)
        elif not fit.converged:
            notes.append(OMEGA_FAILED)
        else:
            loadings = [float(v) for v in fit.loadings]
            raw_loadings = fit.loadings * sds
            raw_uniqueness = fit.uniquenesses * sds**2
            common = float(raw_loadings.sum()) ** 2
            omega = Estimate(
                common / (common + float(raw_uniqueness.sum())),
                level=level,
                ci_method=OMEGA_NO_CI,
            )
            heywood = [
                str(c)
                for c, u in zip(frame.columns, fit.uniquenesses, strict=True)
                if u <= MIN_UNIQUENESS * 1.0001
            ]
            if heywood:
                notes.append(Note(HEYWOOD, {"items": _names(heywood)}))
            against = [str(c) for c, v in zip(frame.columns, fit.loadings, strict=True) if v < 0]
            if against:
                notes.append(Note(NEGATIVE, {"items": _names(against)}))

    # Everything per item comes from the one covariance matrix: the rest score's variance and
    # covariance with the item, and alpha of the covariance matrix without the item.
    means = data.mean(axis=0)
    item_stats = []
    for j, column in enumerate(frame.columns):
        keep = [i for i in range(k) if i != j]
        rest_cov = covariance[np.ix_(keep, keep)]
        rest_variance = float(rest_cov.sum())
        item_total = None
        if sds[j] > 0 and rest_variance > 0:
            item_total = clean_number(
                float(covariance[j, keep].sum()) / math.sqrt(covariance[j, j] * rest_variance)
            )
        item_stats.append(
            ItemStatistic(
                item=str(column),
                mean=float(means[j]),
                sd=float(sds[j]),
                item_total=item_total,
                alpha_if_deleted=alpha_from_covariance(rest_cov) if k - 1 >= MIN_ITEMS else None,
                loading=loadings[j],
            )
        )
    return result(alpha, omega, tuple(item_stats))


def reliability_of(instrument: Instrument, items_frame: pd.DataFrame) -> InstrumentReliability:
    """The reliability of an instrument's total and subscales from a table of item scores with
    one column per item id (as ``items_frame`` gives: reverse scoring already applied; other
    columns are ignored). Raises ``AnalysisInputError`` naming a scored item with no column."""
    notes: list[str | Note] = []
    missing = [i for i in scored_item_ids(instrument) if i not in items_frame.columns]
    if missing:
        raise AnalysisInputError(
            f"The table has no column for the item “{missing[0]}” of the instrument "
            f"“{instrument.id}”.",
            column=missing[0],
        )

    def of(subscale: Subscale) -> ReliabilityResult:
        ids = _scored(instrument, subscale)
        return reliability(items_frame.loc[:, list(ids)], label=subscale.id)

    total = None
    if instrument.total is None:
        notes.append(NO_TOTAL)
    else:
        total = of(instrument.total)
    subscales = []
    for subscale in instrument.subscales:
        if len(_scored(instrument, subscale)) < MIN_ITEMS:
            notes.append(Note(SUBSCALE_SKIPPED, {"subscale": subscale.id}))
            continue
        subscales.append(of(subscale))
    return InstrumentReliability(
        instrument_id=instrument.id,
        n=len(items_frame),
        total=total,
        subscales=tuple(subscales),
        method=METHOD,
        assumptions=ASSUMPTIONS,
        notes=tuple(notes),
    )


def score_items(
    instrument: Instrument, answers: pd.DataFrame, item_ids: Sequence[str] | None = None
) -> pd.DataFrame:
    """Raw answers (one column per item id, as on the scale: "4", "true", "dont_know") turned
    into item scores with ``scoring.clean_answer`` and ``scoring.item_score`` (reverse items,
    knowledge keys); missing answers are NaN. ``item_ids`` defaults to every scored item of the
    total and subscales. Raises ``AnalysisInputError`` naming a missing item column, or the row
    (the frame's index) and column of an answer not on the item's scale."""
    ids = list(item_ids) if item_ids is not None else list(scored_item_ids(instrument))
    for item_id in ids:
        try:
            item = instrument.item(item_id)
        except KeyError:
            raise AnalysisInputError(
                f"The instrument “{instrument.id}” has no item “{item_id}”. Its items are: "
                f"{', '.join(instrument.item_ids)}.",
                column=item_id,
            ) from None
        if not item.is_scorable:
            raise AnalysisInputError(
                f"The item “{item_id}” of the instrument “{instrument.id}” is not scored (only "
                "rating and knowledge items have scores).",
                column=item_id,
            )
    missing = [i for i in ids if i not in answers.columns]
    if missing:
        raise AnalysisInputError(
            f"There is no column for the item{'s' if len(missing) > 1 else ''} "
            f"{', '.join(f'“{i}”' for i in missing)} of the instrument “{instrument.id}”.",
            column=missing[0],
        )
    scores: dict[str, list[float]] = {}
    for item_id in ids:
        item = instrument.item(item_id)
        column: list[float] = []
        for row, raw in answers[item_id].items():
            try:
                cleaned = clean_answer(item, None if _missing(raw) else raw)
            except AnswerError as error:
                raise AnalysisInputError(
                    f"Row {row}, column “{item_id}”: {error.message}",
                    column=item_id,
                    row=_row(row),
                ) from None
            value = item_score(item, cleaned)
            column.append(math.nan if value is None else value)
        scores[item_id] = column
    return pd.DataFrame(scores, index=answers.index, columns=ids, dtype=float)


def scored_item_ids(instrument: Instrument) -> tuple[str, ...]:
    """The scored items of the total and the subscales, in the instrument's order."""
    used: set[str] = set()
    for subscale in (instrument.total, *instrument.subscales):
        if subscale is not None:
            used.update(_scored(instrument, subscale))
    return tuple(i for i in instrument.item_ids if i in used)


# Building blocks --------------------------------------------------------------------------------


def cronbach_alpha(data: np.ndarray) -> float | None:
    """k / (k - 1) * (1 - sum of item variances / variance of the total), from complete rows
    (people by items); None when the total does not vary."""
    return alpha_from_covariance(np.atleast_2d(np.cov(data, rowvar=False, ddof=1)))


def alpha_from_covariance(covariance: np.ndarray) -> float | None:
    """Alpha from the items' covariance matrix: the total's variance is the sum of all its
    cells, the items' variances its diagonal."""
    k = covariance.shape[0]
    total = float(covariance.sum())
    if not total > 0 or k < MIN_ITEMS:
        return None
    return float(k / (k - 1) * (1 - float(np.trace(covariance)) / total))


def feldt_interval(alpha: float, n: int, k: int, level: float = LEVEL) -> tuple[float, float]:
    """Feldt's (1965) interval: (1 - alpha) / (1 - population alpha) follows an F distribution
    with n - 1 and (n - 1)(k - 1) degrees of freedom."""
    df1, df2 = n - 1, (n - 1) * (k - 1)
    tail = (1 - level) / 2
    low = 1 - (1 - alpha) * float(stats.f.ppf(1 - tail, df1, df2))
    high = 1 - (1 - alpha) * float(stats.f.ppf(tail, df1, df2))
    return low, high


@dataclass(frozen=True)
class FactorFit:
    """A one-factor model of a correlation matrix: standardised loadings (oriented so that they
    sum to a positive number), uniquenesses, and whether the optimiser converged."""

    loadings: np.ndarray
    uniquenesses: np.ndarray
    converged: bool
    objective: float


def one_factor_ml(correlation: np.ndarray) -> FactorFit | None:
    """Maximum-likelihood one-factor model of a correlation matrix, fitted as R's ``factanal``
    does (Joreskog 1967; Lawley and Maxwell 1971): the discrepancy is minimised over the
    uniquenesses (bounded to [0.005, 1]) with L-BFGS-B, the loadings following from the largest
    eigenvalue of Psi^-1/2 R Psi^-1/2. None when the matrix is not positive definite."""
    r = np.asarray(correlation, dtype=float)
    p = r.shape[0]
    try:
        if not np.isfinite(r).all() or np.linalg.eigvalsh(r)[0] <= 1e-10:
            return None
        inverse = linalg.inv(r)
    except (linalg.LinAlgError, ValueError):
        return None

    def scaled(psi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        root = 1 / np.sqrt(psi)
        values, vectors = np.linalg.eigh(r * np.outer(root, root))
        return values[::-1], vectors[:, ::-1]

    def loadings_for(psi: np.ndarray) -> np.ndarray:
        values, vectors = scaled(psi)
        root = math.sqrt(max(float(values[0]) - 1, 0.0))
        return np.asarray(np.sqrt(psi) * vectors[:, 0] * root, dtype=float)

    def objective(psi: np.ndarray) -> float:
        values, _ = scaled(psi)
        rest = values[1:]
        return float(-np.sum(np.log(rest) - rest) - 1 + p)

    def gradient(psi: np.ndarray) -> np.ndarray:
        lam = loadings_for(psi)
        g = np.outer(lam, lam) + np.diag(psi) - r
        return np.asarray(np.diag(g) / psi**2)

    # factanal's start: (1 - 0.5 factors / p) / diag(R^-1)
    start = np.clip((1 - 0.5 / p) / np.diag(inverse), MIN_UNIQUENESS, 1.0)
    fit = optimize.minimize(
        objective,
        start,
        jac=gradient,
        method="L-BFGS-B",
        bounds=[(MIN_UNIQUENESS, 1.0)] * p,
        options={"ftol": 1e-14, "gtol": 1e-10, "maxiter": 1000},
    )
    psi = np.asarray(fit.x, dtype=float)
    lam = loadings_for(psi)
    if lam.sum() < 0:
        lam = -lam
    return FactorFit(lam, psi, bool(fit.success), float(fit.fun))


def _scored(instrument: Instrument, subscale: Subscale) -> tuple[str, ...]:
    return tuple(i for i in subscale.item_ids if instrument.item(i).is_scorable)


def _row(label: object) -> int | None:
    """A row label as a row number for ``AnalysisInputError`` (None when it is not a number)."""
    if isinstance(label, bool):
        return None
    return int(label) if isinstance(label, int | np.integer) else None


def _missing(raw: object) -> bool:
    return raw is None or (isinstance(raw, float) and math.isnan(raw))


def _names(items: Sequence[str]) -> str:
    return ", ".join(f"“{i}”" for i in items)


def _numeric(items: pd.DataFrame) -> pd.DataFrame:
    """The table as floats; refuses the first cell that is not a number, naming it."""
    if not isinstance(items, pd.DataFrame):
        raise AnalysisInputError("Give the item scores as a table (a pandas DataFrame).")
    columns: dict[str, pd.Series] = {}
    for column in items.columns:
        values = items[column]
        if values.dtype == bool:
            values = values.astype(object)
        numbers = pd.to_numeric(values, errors="coerce")
        bad = numbers.isna() & values.notna()
        if bad.any():
            row = bad[bad].index[0]
            raise AnalysisInputError(
                f"Row {row}, column “{column}”: “{values.loc[row]}” is not a number.",
                column=str(column),
                row=_row(row),
            )
        if np.isinf(numbers.to_numpy(dtype=float)).any():
            raise AnalysisInputError(
                f"Column “{column}” holds an infinite value; give finite numbers.",
                column=str(column),
            )
        columns[str(column)] = numbers.astype(float)
    return pd.DataFrame(columns, index=items.index)
