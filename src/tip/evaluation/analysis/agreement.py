"""Agreement between two coders of the same texts: Cohen's kappa, per code and overall.

Each code is a yes/no judgement per text (did the coder apply it?), so each code gets its own
2 x 2 table and its own kappa: kappa says how far the two coders agree beyond what their own
rates of using the code would give by chance. ``overall`` treats every (text, code) judgement
as one unit and computes one kappa over all of them (the codes' tables added together), which
weighs each code by how many texts there are; the per-code figures are the ones to act on.

The 95% confidence interval is kappa plus or minus 1.96 large-sample standard errors, the
standard error being Fleiss, Cohen and Everitt's (1969) asymptotic one (not the one under the
null hypothesis of kappa = 0), as ``statsmodels.stats.inter_rater.cohens_kappa`` computes it.
It assumes the texts are independent; for ``overall`` the judgements about one text are not,
so its interval is too narrow and is given as a rough guide.

Figures that cannot be computed are None with a note saying why: no texts, fewer than three
(kappa and its interval are not given; the percentage agreement is), and one category only
(both coders used the code for every text, or for none: chance agreement is then 100% and
kappa is 0/0, undefined even though the coders agreed completely).

Plain Python and numpy; no Django.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .results import AnalysisInputError, Note, gettext_noop

Z_95 = 1.959963984540054  # the normal distribution's 97.5th percentile
MIN_N = 3

METHOD = gettext_noop(
    "Cohen's kappa (unweighted), with a 95% confidence interval of kappa plus or minus 1.96 "
    "large-sample standard errors (Fleiss, Cohen and Everitt, 1969)"
)
OVERALL_METHOD = gettext_noop(
    "Cohen's kappa over every text and code judgement together (the codes' 2 x 2 tables "
    "added), with the same interval"
)
ASSUMPTIONS = (
    gettext_noop("The two coders coded the same texts independently, without conferring."),
    gettext_noop("The texts are independent of each other."),
    gettext_noop(
        "The interval relies on a large-sample approximation; with few texts it is rough."
    ),
)
OVERALL_ASSUMPTIONS = (
    *ASSUMPTIONS,
    gettext_noop(
        "Judgements about the same text are treated as independent, which they are not: the "
        "overall interval is too narrow."
    ),
)

NO_TEXTS = gettext_noop("No text was coded by both coders.")
TOO_FEW = gettext_noop("Only %(n)s texts were coded by both coders; kappa needs at least %(min)s.")
ONE_CATEGORY = gettext_noop(
    "Both coders gave every text the same answer (%(value)s), so agreement expected by chance "
    "is 100%% and kappa is undefined; the coders agreed on every text."
)
ONE_CATEGORY_GENERAL = gettext_noop(
    "Every judgement fell in one category, so agreement expected by chance is 100% and kappa "
    "is undefined."
)
NO_INTERVAL = gettext_noop(
    "The large-sample standard error is zero here (complete agreement, or a coder who gave "
    "every text the same answer), so this method gives no interval."
)


@dataclass(frozen=True)
class Kappa:
    """Cohen's kappa between two coders: ``n`` texts (or judgements) both coded, the share on
    which they agreed (``agreement``, 0 to 1), the share expected by chance (``expected``),
    kappa with its standard error and 95% interval, and the table of counts (``table[i][j]``:
    first coder said category i, second coder category j, in ``categories`` order)."""

    n: int
    agreement: float | None
    expected: float | None
    kappa: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    categories: tuple[Hashable, ...]
    table: tuple[tuple[int, ...], ...]
    method: str
    assumptions: tuple[str, ...]
    notes: tuple[str | Note, ...] = ()


@dataclass(frozen=True)
class CodeAgreement:
    """One code's agreement: kappa on present/absent per text, and its 2 x 2 counts."""

    code: Hashable
    both: int
    first_only: int
    second_only: int
    neither: int
    kappa: Kappa

    @property
    def n(self) -> int:
        return self.kappa.n


@dataclass(frozen=True)
class Agreement:
    """Two coders' agreement on the texts both coded: each code's, and overall."""

    n: int  # texts both coded
    codes: tuple[CodeAgreement, ...]
    overall: Kappa
    method: str
    assumptions: tuple[str, ...]
    notes: tuple[str | Note, ...] = ()


def kappa_from_table(
    table: Sequence[Sequence[int]] | np.ndarray,
    categories: Sequence[Hashable] | None = None,
    *,
    method: str = METHOD,
    assumptions: tuple[str, ...] = ASSUMPTIONS,
    one_category: str | Note = ONE_CATEGORY_GENERAL,
) -> Kappa:
    """Cohen's kappa from a square table of counts (rows: the first coder's categories,
    columns: the second's)."""
    counts = np.asarray(table, dtype=float)
    if counts.ndim != 2 or counts.shape[0] != counts.shape[1] or counts.shape[0] == 0:
        raise AnalysisInputError("The table of counts must be square, with at least one category.")
    if np.any(counts < 0) or np.any(np.isnan(counts)) or np.any(counts != np.round(counts)):
        raise AnalysisInputError("The table's counts must be whole numbers, none negative.")
    k = counts.shape[0]
    cats = tuple(categories) if categories is not None else tuple(range(k))
    if len(cats) != k:
        raise AnalysisInputError("Give one category name per row of the table.")
    n = int(counts.sum())
    as_ints = tuple(tuple(int(c) for c in row) for row in counts)

    def result(
        agreement: float | None = None,
        expected: float | None = None,
        kappa: float | None = None,
        se: float | None = None,
        ci: tuple[float, float] | None = None,
        notes: tuple[str | Note, ...] = (),
    ) -> Kappa:
        return Kappa(
            n=n,
            agreement=agreement,
            expected=expected,
            kappa=kappa,
            se=se,
            ci_low=ci[0] if ci else None,
            ci_high=ci[1] if ci else None,
            categories=cats,
            table=as_ints,
            method=method,
            assumptions=assumptions,
            notes=notes,
        )

    if n == 0:
        return result(notes=(NO_TEXTS,))
    p = counts / n
    rows, cols = p.sum(axis=1), p.sum(axis=0)
    observed = float(np.trace(p))
    expected = float(np.dot(rows, cols))
    if n < MIN_N:
        return result(observed, expected, notes=(Note(TOO_FEW, {"n": n, "min": MIN_N}),))
    if math.isclose(expected, 1.0):
        return result(observed, expected, notes=(one_category,))
    kappa = (observed - expected) / (1 - expected)
    # Fleiss, Cohen and Everitt (1969): the large-sample variance when kappa is not zero.
    diagonal = np.diag(p)
    term_a = float(np.sum(diagonal * (1 - (rows + cols) * (1 - kappa)) ** 2))
    off = p * (cols[:, None] + rows[None, :]) ** 2
    np.fill_diagonal(off, 0.0)
    term_b = (1 - kappa) ** 2 * float(off.sum())
    term_c = (kappa - expected * (1 - kappa)) ** 2
    variance = (term_a + term_b - term_c) / (1 - expected) ** 2 / n
    if variance <= 1e-15:
        return result(observed, expected, kappa, 0.0, notes=(NO_INTERVAL,))
    se = math.sqrt(variance)
    return result(observed, expected, kappa, se, (kappa - Z_95 * se, kappa + Z_95 * se))


def cohen_kappa(first: Sequence[Hashable], second: Sequence[Hashable]) -> Kappa:
    """Cohen's kappa between two coders' categories for the same texts, in the same order."""
    if len(first) != len(second):
        raise AnalysisInputError(
            "The two coders' lists must be the same length: one category per text each."
        )
    categories = sorted({*first, *second}, key=repr)
    index = {c: i for i, c in enumerate(categories)}
    table = np.zeros((len(categories), len(categories)), dtype=int)
    for a, b in zip(first, second, strict=True):
        table[index[a], index[b]] += 1
    if not categories:
        return kappa_from_table(np.zeros((1, 1), dtype=int), ("",))
    return kappa_from_table(table, categories)


def _code_table(
    texts: Sequence[Hashable],
    first: Mapping[Hashable, frozenset[Hashable] | set[Hashable]],
    second: Mapping[Hashable, frozenset[Hashable] | set[Hashable]],
    code: Hashable,
) -> tuple[int, int, int, int]:
    both = first_only = second_only = neither = 0
    for text in texts:
        a, b = code in first[text], code in second[text]
        if a and b:
            both += 1
        elif a:
            first_only += 1
        elif b:
            second_only += 1
        else:
            neither += 1
    return both, first_only, second_only, neither


def code_agreement(
    first: Mapping[Hashable, frozenset[Hashable] | set[Hashable]],
    second: Mapping[Hashable, frozenset[Hashable] | set[Hashable]],
    codes: Sequence[Hashable],
) -> Agreement:
    """Agreement between two coders: ``first`` and ``second`` map each text they coded to the
    codes they applied (an empty set: coded, none applied). Only texts both coded count. Each
    code in ``codes`` gets a kappa on present/absent; ``overall`` pools every judgement."""
    if len(set(codes)) != len(codes):
        raise AnalysisInputError("Each code must be listed once.")
    texts = sorted(set(first) & set(second), key=repr)
    n = len(texts)
    per_code: list[CodeAgreement] = []
    pooled = np.zeros((2, 2), dtype=int)
    for code in codes:
        both, first_only, second_only, neither = _code_table(texts, first, second, code)
        # Category 0 is "present", 1 "absent".
        table = np.array([[both, first_only], [second_only, neither]], dtype=int)
        pooled += table
        value = gettext_noop("applied") if both else gettext_noop("not applied")
        per_code.append(
            CodeAgreement(
                code=code,
                both=both,
                first_only=first_only,
                second_only=second_only,
                neither=neither,
                kappa=kappa_from_table(
                    table,
                    ("present", "absent"),
                    one_category=Note(ONE_CATEGORY, {"value": value}),
                ),
            )
        )
    overall = kappa_from_table(
        pooled,
        ("present", "absent"),
        method=OVERALL_METHOD,
        assumptions=OVERALL_ASSUMPTIONS,
    )
    notes: tuple[str | Note, ...] = ()
    if n == 0:
        notes = (NO_TEXTS,)
    elif n < MIN_N:
        notes = (Note(TOO_FEW, {"n": n, "min": MIN_N}),)
    return Agreement(
        n=n,
        codes=tuple(per_code),
        overall=overall,
        method=METHOD,
        assumptions=ASSUMPTIONS,
        notes=notes,
    )
