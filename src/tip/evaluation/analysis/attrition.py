"""Attrition: who was invited, answered, could be linked and analysed at each wave, and whether
those who stayed differ at baseline from those who dropped out. Plain Python, no Django.

* ``attrition_flow`` takes a table shaped like ``analysis_data.flow_frame`` (one row per wave and
  group: ``invited``, ``responded``, ``linked``, ``analysed``) and adds each stage's share of
  those invited; ``Flow.flow_rows()`` gives the numbers for a flow diagram's table.
* ``compare_dropouts`` takes a long table of scores (``analysis_data.scores_frame``): people
  with an answer at the baseline and at any later wave (completers) against those with the
  baseline only (drop-outs). Their baseline scores are compared with Welch's t-test (which does
  not assume equal variances) and a standardised difference; each categorical covariate
  (sector, format, prior training...) by its counts, with a chi-square test, or Fisher's exact
  test when an expected count is below 5.

A difference between completers and drop-outs is a warning that the people analysed at later
waves are not like everyone who started: pre/post results then describe the completers only,
and a mixed model's missing-at-random assumption needs the differing covariates in the model.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .results import AnalysisInputError, Estimate, Note, clean_number, gettext_noop

__all__ = [
    "CategoryComparison",
    "DropoutComparison",
    "Flow",
    "FlowRow",
    "GroupSummary",
    "LevelCount",
    "ScoreComparison",
    "attrition_flow",
    "compare_dropouts",
    "fisher_exact_rx2",
]

FLOW_COLUMNS = ("wave", "group", "invited", "responded", "linked", "analysed")
DEFAULT_COVARIATES = ("sector", "format", "prior_training")
# Fisher's exact test is used when an expected count is below this.
SMALL_EXPECTED = 5.0
# Most tables an exact test enumerates before falling back to chi-square.
MAX_TABLES = 200_000

FLOW_METHOD = gettext_noop(
    "Counts of people invited, who responded (submitted answers), who were linked to their own "
    "baseline answers, and who could be analysed (a score at this wave and at the baseline), "
    "per wave and group; shares are of those invited."
)
FLOW_ASSUMPTIONS = (
    gettext_noop(
        "In anonymous evaluations, linking by the self-generated code can miss people (a "
        "code remembered differently) and, rarely, link two people: linked counts are "
        "estimates."
    ),
)
NOTE_NO_INVITED = gettext_noop(
    "No invitations are recorded for %(wave)s (%(group)s): its shares cannot be worked out."
)
NOTE_MORE_RESPONDED = gettext_noop(
    "More people responded than were invited at %(wave)s (%(group)s): answers collected "
    "outside TIP may not have been counted as invited, so its shares are above 100%%."
)
NOTE_FLOW_EMPTY = gettext_noop("There are no waves to show.")

COMPARE_METHOD = gettext_noop(
    "People with a baseline answer and an answer at a later wave (completers) compared with "
    "those with the baseline only (drop-outs): baseline scores by Welch's t-test and a "
    "standardised difference; categories by a chi-square test, or Fisher's exact test where an "
    "expected count is below 5."
)
COMPARE_ASSUMPTIONS = (
    gettext_noop(
        "Welch's t-test assumes the baseline scores are roughly normal in each group, or the "
        "groups are large enough for their means to be; it does not assume equal variances."
    ),
    gettext_noop(
        "A non-significant difference does not show that drop-outs are like completers, "
        "especially with few people: look at the sizes of the differences too."
    ),
)
SCORE_METHOD = gettext_noop(
    "Welch's t-test (unequal variances) of baseline scores, completers minus drop-outs, with "
    "a confidence interval (95%) on Welch-Satterthwaite degrees of freedom; standardised "
    "difference: the difference divided by the square root of the mean of the two variances."
)
CHI_SQUARE = gettext_noop("Chi-square test of independence")
CHI_SQUARE_YATES = gettext_noop("Chi-square test with Yates' continuity correction (2 by 2 table)")
FISHER = gettext_noop("Fisher's exact test")
FISHER_RX2 = gettext_noop("Fisher's exact test (Freeman-Halton extension, exact enumeration)")

NOTE_NO_BASELINE = gettext_noop("Nobody answered at the baseline (%(wave)s).")
NOTE_NO_LATER = gettext_noop("There is no wave after the baseline, so nobody can have dropped out.")
NOTE_TOO_FEW = gettext_noop(
    "Too few people to compare: %(completers)s completers and %(dropouts)s drop-outs with a "
    "baseline score; each group needs at least 2 (and 3 people in all)."
)
NOTE_NO_VARIANCE = gettext_noop(
    "The baseline scores do not vary, so a test and a standardised difference cannot be worked out."
)
NOTE_MISSING_SCORE = gettext_noop(
    "%(n)s people with a baseline answer but no baseline score are counted in the categories "
    "but not in the score comparison."
)
NOTE_SMALL_EXPECTED = gettext_noop(
    "Some expected counts are below 5, so Fisher's exact test is used instead of chi-square."
)
NOTE_TOO_LARGE_EXACT = gettext_noop(
    "Some expected counts are below 5 but the table is too large for an exact test: the "
    "chi-square p-value is approximate; treat it with caution."
)
NOTE_ONE_LEVEL = gettext_noop(
    "Everyone known has the same %(covariate)s, or one of the groups is empty: nothing to test."
)
NOTE_UNKNOWN_LEVEL = gettext_noop(
    "%(n)s people whose %(covariate)s is not known are shown but left out of the test."
)
NOTE_MISSING_COVARIATE = gettext_noop("There is no column “%(covariate)s”: it is left out.")
NOT_KNOWN = "not known"


# The flow ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FlowRow:
    """One wave and group. Shares are of those invited (0 to 1), None when nobody was invited."""

    wave: str
    wave_kind: str
    group: str
    invited: int
    responded: int
    linked: int
    analysed: int
    responded_share: float | None
    linked_share: float | None
    analysed_share: float | None


@dataclass(frozen=True)
class Flow:
    """The attrition flow, waves in order and groups within them. ``n`` is the number invited at
    the first wave (all groups)."""

    rows: tuple[FlowRow, ...]
    n: int
    method: str
    assumptions: tuple[str, ...]
    notes: tuple[str | Note, ...]

    def flow_rows(self) -> list[dict[str, Any]]:
        """The numbers for a flow diagram's table: one mapping per wave and group with the four
        counts, each stage's share of those invited as a percentage (one decimal place, None
        when nobody was invited), and how many were lost since the stage before."""
        table = []
        for row in self.rows:
            table.append(
                {
                    "wave": row.wave,
                    "wave_kind": row.wave_kind,
                    "group": row.group,
                    "invited": row.invited,
                    "responded": row.responded,
                    "responded_percent": _percent(row.responded_share),
                    "not_responded": max(row.invited - row.responded, 0),
                    "linked": row.linked,
                    "linked_percent": _percent(row.linked_share),
                    "not_linked": row.responded - row.linked,
                    "analysed": row.analysed,
                    "analysed_percent": _percent(row.analysed_share),
                    "not_analysed": row.linked - row.analysed,
                }
            )
        return table


def _percent(share: float | None) -> float | None:
    return None if share is None else round(100 * share, 1)


def _count(value: Any, column: str, row: int) -> int:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise AnalysisInputError(
            f"The column “{column}” must hold whole numbers; “{value}” is not one.",
            column=column,
            row=row,
        ) from None
    if not math.isfinite(number) or number < 0 or not number.is_integer():
        raise AnalysisInputError(
            f"The column “{column}” must hold whole numbers of 0 or more; “{value}” is not one.",
            column=column,
            row=row,
        )
    return int(number)


def attrition_flow(frame: pd.DataFrame) -> Flow:
    """The flow from a table shaped like ``flow_frame`` (rows in wave order; ``wave_kind`` is
    optional). Raises AnalysisInputError for a missing column, a count that is not a whole
    number of 0 or more, or more linked than responded, or more analysed than linked. More
    responses than invitations (answers collected outside TIP and not counted as invited) gives
    a note."""
    _require(frame, FLOW_COLUMNS)
    rows: list[FlowRow] = []
    notes: list[str | Note] = []
    for number, (_, record) in enumerate(frame.iterrows(), start=2):
        counts = {c: _count(record[c], c, number) for c in FLOW_COLUMNS[2:]}
        invited, responded = counts["invited"], counts["responded"]
        linked, analysed = counts["linked"], counts["analysed"]
        for higher, lower in (("responded", "linked"), ("linked", "analysed")):
            if counts[lower] > counts[higher]:
                raise AnalysisInputError(
                    f"“{lower}” ({counts[lower]}) cannot be more than “{higher}” "
                    f"({counts[higher]}).",
                    column=lower,
                    row=number,
                )
        wave, group = str(record["wave"]), str(record["group"])
        if invited == 0:
            notes.append(Note(NOTE_NO_INVITED, {"wave": wave, "group": group}))
        elif responded > invited:
            notes.append(Note(NOTE_MORE_RESPONDED, {"wave": wave, "group": group}))

        def share(count: int, invited: int = invited) -> float | None:
            return count / invited if invited else None

        rows.append(
            FlowRow(
                wave=wave,
                wave_kind=str(record["wave_kind"]) if "wave_kind" in frame.columns else "",
                group=group,
                invited=invited,
                responded=responded,
                linked=linked,
                analysed=analysed,
                responded_share=share(responded),
                linked_share=share(linked),
                analysed_share=share(analysed),
            )
        )
    if not rows:
        notes.append(NOTE_FLOW_EMPTY)
    first = rows[0].wave if rows else None
    return Flow(
        rows=tuple(rows),
        n=sum(r.invited for r in rows if r.wave == first),
        method=FLOW_METHOD,
        assumptions=FLOW_ASSUMPTIONS,
        notes=tuple(notes),
    )


# Completers and drop-outs -----------------------------------------------------------------------


@dataclass(frozen=True)
class GroupSummary:
    n: int
    mean: float | None
    sd: float | None


@dataclass(frozen=True)
class ScoreComparison:
    """Baseline scores, completers against drop-outs. ``difference`` is completers minus
    drop-outs with Welch's 95% CI; ``smd`` the standardised difference (divided by
    sqrt((sd1² + sd2²) / 2))."""

    completers: GroupSummary
    dropouts: GroupSummary
    difference: Estimate
    t: float | None
    df: float | None
    p_value: float | None
    smd: float | None
    n: int
    method: str
    assumptions: tuple[str, ...]
    notes: tuple[str | Note, ...]


@dataclass(frozen=True)
class LevelCount:
    """How many completers and drop-outs have this level, and the share of each group (0 to 1)."""

    level: str
    completers: int
    dropouts: int
    completers_share: float | None
    dropouts_share: float | None


@dataclass(frozen=True)
class CategoryComparison:
    """One categorical covariate: counts by level (the level "not known" last, left out of the
    test), and the test used (``method``: chi-square or Fisher's exact), or None when there is
    nothing to test."""

    covariate: str
    levels: tuple[LevelCount, ...]
    statistic: float | None
    df: int | None
    p_value: float | None
    n: int
    method: str
    assumptions: tuple[str, ...]
    notes: tuple[str | Note, ...]


@dataclass(frozen=True)
class DropoutComparison:
    """Completers against drop-outs at the baseline. ``n`` is everyone with a baseline answer."""

    n: int
    n_completers: int
    n_dropouts: int
    baseline: str | None
    score: ScoreComparison
    covariates: tuple[CategoryComparison, ...]
    method: str
    assumptions: tuple[str, ...]
    notes: tuple[str | Note, ...]


def _require(frame: pd.DataFrame, columns: Sequence[str]) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise AnalysisInputError("The data must be a table (a pandas DataFrame).")
    for column in columns:
        if column not in frame.columns:
            raise AnalysisInputError(f"There is no column “{column}”.", column=column)


def _scores(frame: pd.DataFrame, column: str) -> pd.Series:
    values = frame[column]
    converted = pd.to_numeric(values, errors="coerce")
    bad = values.notna() & converted.isna()
    if bad.any():
        first = int(np.flatnonzero(bad.to_numpy())[0])
        raise AnalysisInputError(
            f"The column “{column}” must hold numbers; “{values.iloc[first]}” is not one.",
            column=column,
            row=first + 2,
        )
    if pd.api.types.is_bool_dtype(values):
        raise AnalysisInputError(f"The column “{column}” must hold numbers.", column=column)
    return converted.astype(float).replace([np.inf, -np.inf], np.nan)


def _order(frame: pd.DataFrame, wave: str) -> list[str]:
    present = [str(w) for w in pd.unique(frame[wave].astype(str))]
    if "wave_order" in frame.columns:
        firsts = frame.groupby(frame[wave].astype(str))["wave_order"].min()
        return sorted(present, key=lambda w: (float(firsts[w]), w))
    return present


def compare_dropouts(
    frame: pd.DataFrame,
    *,
    outcome: str = "score",
    person: str = "person",
    wave: str = "wave",
    baseline: str | None = None,
    covariates: Sequence[str] = DEFAULT_COVARIATES,
) -> DropoutComparison:
    """Completers (a baseline answer and an answer at any later wave) against drop-outs (the
    baseline only) in a long table of scores. The baseline is ``baseline`` or else the first
    wave (by the ``wave_order`` column when there is one, else as they appear). Covariates are
    taken from each person's baseline row; a missing or empty value is "not known"."""
    _require(frame, [outcome, person, wave])
    scores = _scores(frame, outcome)
    data = pd.DataFrame(
        {"_person": frame[person].astype(str), "_wave": frame[wave].astype(str), "_y": scores}
    )
    if "wave_order" in frame.columns:
        data["wave_order"] = frame["wave_order"]
    order = _order(data, "_wave")
    notes: list[str | Note] = []
    first = baseline if baseline is not None else (order[0] if order else None)
    if first is not None and baseline is not None and baseline not in order:
        raise AnalysisInputError(f"There is no wave “{baseline}”.", column=wave)

    at_baseline = data["_wave"] == first
    base_people = list(pd.unique(data.loc[at_baseline, "_person"]))
    later_waves = order[order.index(first) + 1 :] if first in order else []
    later_people = set(data.loc[data["_wave"].isin(later_waves), "_person"])
    completer = {p: p in later_people for p in base_people}
    if first is not None and not base_people:
        notes.append(Note(NOTE_NO_BASELINE, {"wave": first}))
    if not later_waves:
        notes.append(NOTE_NO_LATER)

    # One baseline row per person (the first), with its covariates.
    base_rows = frame.loc[at_baseline.to_numpy()].copy()
    base_rows["_person"] = data.loc[at_baseline, "_person"].to_numpy()
    base_rows["_y"] = data.loc[at_baseline, "_y"].to_numpy()
    base_rows = base_rows.drop_duplicates("_person", keep="first")
    base_rows["_completer"] = base_rows["_person"].map(completer).astype(bool)

    score = _compare_scores(base_rows)
    n_completers = int(base_rows["_completer"].sum())
    n_dropouts = int((~base_rows["_completer"]).sum())
    comparisons = []
    for covariate in covariates:
        if covariate not in frame.columns:
            notes.append(Note(NOTE_MISSING_COVARIATE, {"covariate": covariate}))
            continue
        comparisons.append(_compare_category(base_rows, covariate))
    return DropoutComparison(
        n=len(base_rows),
        n_completers=n_completers,
        n_dropouts=n_dropouts,
        baseline=first,
        score=score,
        covariates=tuple(comparisons),
        method=COMPARE_METHOD,
        assumptions=COMPARE_ASSUMPTIONS,
        notes=tuple(notes),
    )


def _summary(values: np.ndarray) -> GroupSummary:
    n = int(values.size)
    mean = clean_number(values.mean()) if n else None
    sd = clean_number(values.std(ddof=1)) if n >= 2 else None
    return GroupSummary(n=n, mean=mean, sd=sd)


def _compare_scores(rows: pd.DataFrame) -> ScoreComparison:
    notes: list[str | Note] = []
    missing = int(rows["_y"].isna().sum())
    if missing:
        notes.append(Note(NOTE_MISSING_SCORE, {"n": missing}))
    scored = rows[rows["_y"].notna()]
    a = scored.loc[scored["_completer"], "_y"].to_numpy(dtype=float)
    b = scored.loc[~scored["_completer"], "_y"].to_numpy(dtype=float)
    first, second = _summary(a), _summary(b)
    n = int(a.size + b.size)
    blank = Estimate(value=None, ci_method=gettext_noop("Welch-Satterthwaite t distribution"))

    def result(
        difference: Estimate,
        t: float | None = None,
        df: float | None = None,
        p: float | None = None,
        smd: float | None = None,
    ) -> ScoreComparison:
        return ScoreComparison(
            completers=first,
            dropouts=second,
            difference=difference,
            t=t,
            df=df,
            p_value=p,
            smd=smd,
            n=n,
            method=SCORE_METHOD,
            assumptions=COMPARE_ASSUMPTIONS,
            notes=tuple(notes),
        )

    if a.size < 2 or b.size < 2 or n < 3:
        notes.append(Note(NOTE_TOO_FEW, {"completers": int(a.size), "dropouts": int(b.size)}))
        if a.size and b.size:
            blank = Estimate(value=clean_number(a.mean() - b.mean()), ci_method=blank.ci_method)
        return result(blank)
    va, vb = float(a.var(ddof=1)), float(b.var(ddof=1))
    diff = float(a.mean() - b.mean())
    if va == 0.0 and vb == 0.0:
        notes.append(NOTE_NO_VARIANCE)
        return result(Estimate(value=clean_number(diff), ci_method=blank.ci_method))
    se = math.sqrt(va / a.size + vb / b.size)
    df = (va / a.size + vb / b.size) ** 2 / (
        (va / a.size) ** 2 / (a.size - 1) + (vb / b.size) ** 2 / (b.size - 1)
    )
    test = stats.ttest_ind(a, b, equal_var=False)
    crit = float(stats.t.ppf(0.975, df))
    smd = diff / math.sqrt((va + vb) / 2)
    return result(
        Estimate(
            value=clean_number(diff),
            ci_low=clean_number(diff - crit * se),
            ci_high=clean_number(diff + crit * se),
            se=clean_number(se),
            ci_method=blank.ci_method,
        ),
        t=clean_number(test.statistic),
        df=clean_number(df),
        p=clean_number(test.pvalue),
        smd=clean_number(smd),
    )


def _level(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NOT_KNOWN
    text = str(value).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    return text or NOT_KNOWN


def _compare_category(rows: pd.DataFrame, covariate: str) -> CategoryComparison:
    notes: list[str | Note] = []
    levels = rows[covariate].map(_level)
    completer = rows["_completer"].to_numpy(dtype=bool)
    names = sorted({lv for lv in levels if lv != NOT_KNOWN})
    if (levels == NOT_KNOWN).any():
        names.append(NOT_KNOWN)
    n_c, n_d = int(completer.sum()), int((~completer).sum())
    counts = []
    for name in names:
        mask = (levels == name).to_numpy()
        c, d = int((mask & completer).sum()), int((mask & ~completer).sum())
        counts.append(
            LevelCount(
                level=name,
                completers=c,
                dropouts=d,
                completers_share=c / n_c if n_c else None,
                dropouts_share=d / n_d if n_d else None,
            )
        )
    unknown = sum(lc.completers + lc.dropouts for lc in counts if lc.level == NOT_KNOWN)
    if unknown:
        notes.append(Note(NOTE_UNKNOWN_LEVEL, {"n": unknown, "covariate": covariate}))
    table = np.array(
        [[lc.completers, lc.dropouts] for lc in counts if lc.level != NOT_KNOWN], dtype=int
    ).reshape(-1, 2)
    # Rows and columns with no one in them tell nothing.
    table = table[table.sum(axis=1) > 0]
    n = int(table.sum())

    def result(
        method: str, statistic: float | None = None, df: int | None = None, p: float | None = None
    ) -> CategoryComparison:
        return CategoryComparison(
            covariate=covariate,
            levels=tuple(counts),
            statistic=statistic,
            df=df,
            p_value=p,
            n=n,
            method=method,
            assumptions=(),
            notes=tuple(notes),
        )

    if table.shape[0] < 2 or (table.sum(axis=0) == 0).any() or n < 3:
        notes.append(Note(NOTE_ONE_LEVEL, {"covariate": covariate}))
        return result(CHI_SQUARE)
    expected = stats.contingency.expected_freq(table)
    if (expected < SMALL_EXPECTED).any():
        if table.shape == (2, 2):
            notes.append(NOTE_SMALL_EXPECTED)
            found = stats.fisher_exact(table)
            return result(FISHER, clean_number(found.statistic), None, clean_number(found.pvalue))
        p_exact = fisher_exact_rx2(table)
        if p_exact is not None:
            notes.append(NOTE_SMALL_EXPECTED)
            return result(FISHER_RX2, None, None, clean_number(p_exact))
        notes.append(NOTE_TOO_LARGE_EXACT)
    chi = stats.chi2_contingency(table)
    return result(
        CHI_SQUARE_YATES if table.shape == (2, 2) else CHI_SQUARE,
        clean_number(chi.statistic),
        int(chi.dof),
        clean_number(chi.pvalue),
    )


def fisher_exact_rx2(table: np.ndarray, *, max_tables: int = MAX_TABLES) -> float | None:
    """The exact p-value of Fisher's test (Freeman-Halton) for an r by 2 table: the total
    probability, with the margins fixed, of every table no more probable than the one observed.
    None when there would be more than ``max_tables`` tables to enumerate."""
    counts = np.asarray(table, dtype=int)
    if counts.ndim != 2 or counts.shape[1] != 2 or (counts < 0).any():
        raise ValueError("An r by 2 table of counts of 0 or more is needed.")
    rows = [int(r) for r in counts.sum(axis=1)]
    first_total = int(counts[:, 0].sum())
    total = sum(rows)
    # How many tables: bounded by the product of the row choices.
    size = 1
    for r in rows[:-1]:
        size *= min(r, first_total) + 1
        if size > max_tables:
            return None
    log_norm = _log_comb(total, first_total)
    observed = sum(_log_comb(r, int(x)) for r, x in zip(rows, counts[:, 0], strict=True))
    observed -= log_norm
    tolerance = 1e-7
    p = 0.0

    # Enumerate x_i (first column) row by row with the remaining first-column total.
    def walk(i: int, left: int, log_p: float) -> None:
        nonlocal p
        if i == len(rows) - 1:
            if 0 <= left <= rows[i]:
                full = log_p + _log_comb(rows[i], left) - log_norm
                if full <= observed + tolerance:
                    p += math.exp(full)
            return
        remaining = sum(rows[i + 1 :])
        for x in range(max(0, left - remaining), min(rows[i], left) + 1):
            walk(i + 1, left - x, log_p + _log_comb(rows[i], x))

    walk(0, first_total, 0.0)
    return min(p, 1.0)


def _log_comb(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
