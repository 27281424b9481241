"""Pre/post change by subgroup (the session's format, the person's sector or role). Plain Python,
no Django.

For each level of a subgrouping, the paired change of the people in it (``prepost.paired_change``:
mean change with its CI, paired t-test, Wilcoxon, d_z and g_av). A level with fewer than
``MIN_SHOWN`` (5) people is suppressed: no figures at all, only that it was suppressed, so a
small group cannot be recognised (the levels shown are never added up into a total either, so a
suppressed count cannot be worked out by subtraction from this result alone).

Whether the change differs between subgroups is tested on the people's change scores with a
one-way ANOVA (means; assumes roughly normal changes with similar spread) and a Kruskal-Wallis
test (ranks; no normality), over the levels shown. Looking at several subgroupings makes a
chance finding more likely: treat these tests as exploratory, and at least divide the 5% by the
number of subgroupings tested (Bonferroni).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .columns import map_by_value
from .prepost import PairedChange, paired_change
from .results import AnalysisInputError, Note, clean_number, gettext_noop

__all__ = [
    "DEFAULT_SUBGROUPS",
    "MIN_SHOWN",
    "NOT_KNOWN",
    "BetweenTest",
    "SubgroupLevel",
    "SubgroupResult",
    "subgroup_change",
    "subgroup_changes",
]

MIN_SHOWN = 5
DEFAULT_SUBGROUPS = ("format", "sector", "role")
NOT_KNOWN = "not known"

METHOD = gettext_noop(
    "Paired change from %(pre)s to %(post)s for the people in each subgroup (mean change with "
    "its 95 percent confidence interval, paired t-test, Wilcoxon signed-rank test, d_z and "
    "g_av); whether the change differs between subgroups by a one-way ANOVA and a "
    "Kruskal-Wallis test of the change scores."
)
ASSUMPTIONS = (
    gettext_noop(
        "Only people with a score at both waves are included: if those who left differ from "
        "those who stayed, the subgroups' changes describe the stayers only."
    ),
    gettext_noop(
        "The ANOVA assumes the changes are roughly normal with a similar spread in each "
        "subgroup; the Kruskal-Wallis test compares ranks and does not."
    ),
    gettext_noop(
        "A subgroup's level is the person's at the first of the two waves. Differences "
        "between subgroups are associations: subgroups differ in more than the grouping."
    ),
)
NOTE_MULTIPLE = gettext_noop(
    "Looking at several subgroupings (and several levels) makes a difference found by chance "
    "more likely: treat these tests as exploratory. With %(k)s subgroupings, a p-value would "
    "need to be below %(alpha)s to count at the 5 percent level after a Bonferroni correction."
)
NOTE_SUPPRESSED = gettext_noop(
    "Fewer than %(minimum)s people: not shown, to protect their privacy."
)
NOTE_SUPPRESSED_LEVELS = gettext_noop(
    "Subgroups with fewer than %(minimum)s people (%(n)s of them) are not shown and are left "
    "out of the tests, to protect their privacy."
)
NOTE_UNKNOWN = gettext_noop(
    "People whose %(by)s is not known are shown as “not known” and left out of the tests."
)
NOTE_FEW_LEVELS = gettext_noop(
    "Fewer than 2 subgroups can be shown, so there is no comparison between subgroups."
)
NOTE_NO_SPREAD = gettext_noop(
    "The changes do not vary within the subgroups, so the ANOVA cannot be worked out."
)
NOTE_ALL_TIED = gettext_noop(
    "Every change is the same, so the Kruskal-Wallis test cannot be worked out."
)
NOTE_NO_PAIRS = gettext_noop("Nobody has a score at both %(pre)s and %(post)s.")
ANOVA = "one-way ANOVA"
KRUSKAL = "Kruskal-Wallis test"
ANOVA_METHOD = gettext_noop("scipy.stats.f_oneway on the change scores (F distribution)")
KRUSKAL_METHOD = gettext_noop(
    "scipy.stats.kruskal on the change scores (chi-square approximation, corrected for ties)"
)


@dataclass(frozen=True)
class SubgroupLevel:
    """One level of a subgrouping. ``suppressed``: fewer than ``MIN_SHOWN`` people, so ``n`` and
    ``change`` are None."""

    level: str
    n: int | None
    suppressed: bool
    change: PairedChange | None
    notes: tuple[str | Note, ...]


@dataclass(frozen=True)
class BetweenTest:
    """A test of whether the change differs between the levels shown. ``df`` is
    (between, within) for the ANOVA, (k - 1,) for Kruskal-Wallis."""

    name: str
    statistic: float | None
    p_value: float | None
    df: tuple[float, ...] | None
    n: int
    method: str


@dataclass(frozen=True)
class SubgroupResult:
    """Change by one subgrouping (``by``) from ``pre`` to ``post``. ``n`` is the number of
    people in the levels shown (suppressed levels are not counted)."""

    by: str
    pre: str
    post: str
    levels: tuple[SubgroupLevel, ...]
    anova: BetweenTest
    kruskal: BetweenTest
    n: int
    method: Note
    assumptions: tuple[str, ...]
    notes: tuple[str | Note, ...]

    def level(self, name: str) -> SubgroupLevel:
        for found in self.levels:
            if found.level == name:
                return found
        raise KeyError(name)


def _require(frame: pd.DataFrame, columns: Sequence[str]) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise AnalysisInputError("The data must be a table (a pandas DataFrame).")
    for column in columns:
        if column not in frame.columns:
            raise AnalysisInputError(f"There is no column “{column}”.", column=column)


def _level(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NOT_KNOWN
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() or NOT_KNOWN


def _waves(frame: pd.DataFrame, wave: str) -> list[str]:
    present = [str(w) for w in pd.unique(frame[wave].astype(str))]
    if "wave_order" in frame.columns:
        firsts = frame.groupby(frame[wave].astype(str))["wave_order"].min()
        return sorted(present, key=lambda w: (float(firsts[w]), w))
    return present


@dataclass(frozen=True)
class _Paired:
    """The people with a row at both waves (their first row at each), found once for all the
    subgroupings: the rows' positions in the table and the scores."""

    people: pd.Index
    before: np.ndarray  # row positions at ``pre``
    after: np.ndarray  # row positions at ``post``
    y: np.ndarray


def _paired(
    frame: pd.DataFrame, outcome: str, person: str, wave: str, pre: str, post: str
) -> _Paired:
    scores = pd.to_numeric(frame[outcome], errors="coerce")
    bad = frame[outcome].notna() & scores.isna()
    if bad.any():
        first = int(np.flatnonzero(bad.to_numpy())[0])
        raise AnalysisInputError(
            f"The column “{outcome}” must hold numbers; “{frame[outcome].iloc[first]}” is not one.",
            column=outcome,
            row=first + 2,
        )
    people = frame[person].astype(str).to_numpy(dtype=object)
    waves = frame[wave].astype(str).to_numpy(dtype=object)

    def firsts(name: str) -> pd.Series:
        rows = np.flatnonzero(waves == name)
        keys = pd.Index(people[rows], name="person")
        keep = ~keys.duplicated()
        return pd.Series(rows[keep], index=keys[keep])

    before = firsts(pre)
    after = firsts(post)
    both = before.index.intersection(after.index)
    return _Paired(
        people=both,
        before=before.loc[both].to_numpy(),
        after=after.loc[both].to_numpy(),
        y=scores.astype(float).to_numpy(),
    )


def _pairs(frame: pd.DataFrame, by: str, paired: _Paired) -> pd.DataFrame:
    """One row per person with a row at both waves: their level (at ``pre``, else at
    ``post``), pre and post score (either may be NaN; paired_change drops and counts those)."""
    levels = map_by_value(frame[by], _level).to_numpy(dtype=object)
    at_pre = levels[paired.before]
    at_post = levels[paired.after]
    return pd.DataFrame(
        {
            "level": np.where(at_pre != NOT_KNOWN, at_pre, at_post),
            "pre": paired.y[paired.before],
            "post": paired.y[paired.after],
        },
        index=paired.people,
    )


def subgroup_change(
    frame: pd.DataFrame,
    *,
    by: str,
    outcome: str = "score",
    person: str = "person",
    wave: str = "wave",
    pre: str | None = None,
    post: str | None = None,
    higher_is_better: bool = True,
    min_shown: int = MIN_SHOWN,
    subgroupings: int = 1,
) -> SubgroupResult:
    """Change by the levels of ``by`` in a long table of scores (``analysis_data.scores_frame``).
    ``pre`` and ``post`` are wave names (default: the first two waves, by the ``wave_order``
    column when there is one). ``subgroupings`` says how many subgroupings the report looks at,
    for the note on multiple comparisons."""
    _require(frame, [by, outcome, person, wave])
    pre, post = _pre_post(frame, wave, pre, post)
    paired = _paired(frame, outcome, person, wave, pre, post)
    return _change(frame, by, paired, pre, post, higher_is_better, min_shown, subgroupings)


def _pre_post(frame: pd.DataFrame, wave: str, pre: str | None, post: str | None) -> tuple[str, str]:
    order = _waves(frame, wave)
    for name in (pre, post):
        if name is not None and name not in order:
            raise AnalysisInputError(f"There is no wave “{name}”.", column=wave)
    return (
        pre if pre is not None else (order[0] if order else ""),
        post if post is not None else (order[1] if len(order) > 1 else ""),
    )


def _change(
    frame: pd.DataFrame,
    by: str,
    paired: _Paired,
    pre: str,
    post: str,
    higher_is_better: bool,
    min_shown: int,
    subgroupings: int,
) -> SubgroupResult:
    pairs = _pairs(frame, by, paired)
    # Arrays, not frame filtering, in the loop over levels: a report runs it for every score.
    level_of = pairs["level"].to_numpy(dtype=object)
    pre_scores = pairs["pre"].to_numpy(dtype=float)
    post_scores = pairs["post"].to_numpy(dtype=float)
    complete = ~(np.isnan(pre_scores) | np.isnan(post_scores))
    notes: list[str | Note] = []
    if not complete.any():
        notes.append(Note(NOTE_NO_PAIRS, {"pre": pre, "post": post}))

    distinct = set(pd.unique(level_of))
    names = sorted(lv for lv in distinct if lv != NOT_KNOWN)
    if NOT_KNOWN in distinct:
        names.append(NOT_KNOWN)
        notes.append(Note(NOTE_UNKNOWN, {"by": by}))
    levels: list[SubgroupLevel] = []
    tested: list[np.ndarray] = []
    suppressed = 0
    shown_n = 0
    for name in names:
        mine = level_of == name
        people = int((mine & complete).sum())
        if people < min_shown:
            suppressed += 1
            levels.append(
                SubgroupLevel(
                    level=name,
                    n=None,
                    suppressed=True,
                    change=None,
                    notes=(Note(NOTE_SUPPRESSED, {"minimum": min_shown}),),
                )
            )
            continue
        change = paired_change(
            pre_scores[mine],
            post_scores[mine],
            higher_is_better=higher_is_better,
            ids=list(pairs.index[mine]),
        )
        shown_n += people
        levels.append(
            SubgroupLevel(level=name, n=people, suppressed=False, change=change, notes=())
        )
        if name != NOT_KNOWN:
            both = mine & complete
            tested.append(post_scores[both] - pre_scores[both])
    if suppressed:
        notes.append(Note(NOTE_SUPPRESSED_LEVELS, {"n": suppressed, "minimum": min_shown}))
    anova, kruskal, test_notes = _between(tested)
    notes.extend(test_notes)
    k = max(int(subgroupings), 1)
    notes.append(Note(NOTE_MULTIPLE, {"k": k, "alpha": f"{0.05 / k:.3g}"}))
    return SubgroupResult(
        by=by,
        pre=pre,
        post=post,
        levels=tuple(levels),
        anova=anova,
        kruskal=kruskal,
        n=shown_n,
        method=Note(METHOD, {"pre": pre, "post": post}),
        assumptions=ASSUMPTIONS,
        notes=tuple(notes),
    )


def _tidy(groups: list[np.ndarray]) -> list[np.ndarray]:
    """Changes rounded to 12 significant figures of the largest of all, so that changes equal
    but for floating-point noise (4.1 - 3.1 and 2.2 - 1.2) count as equal (ties, no spread)."""
    sizes = [g.size for g in groups]
    if not sum(sizes):
        return groups
    everything = np.concatenate(groups)
    scale = float(np.max(np.abs(everything)))
    if scale == 0.0 or not math.isfinite(scale):
        return groups
    rounded = np.round(everything / scale, 12) * scale
    return list(np.split(rounded, np.cumsum(sizes)[:-1]))


def _between(groups: list[np.ndarray]) -> tuple[BetweenTest, BetweenTest, list[str | Note]]:
    notes: list[str | Note] = []
    n = int(sum(g.size for g in groups))
    k = len(groups)
    empty_a = BetweenTest(ANOVA, None, None, None, n, ANOVA_METHOD)
    empty_k = BetweenTest(KRUSKAL, None, None, None, n, KRUSKAL_METHOD)
    if k < 2:
        notes.append(NOTE_FEW_LEVELS)
        return empty_a, empty_k, notes
    groups = _tidy(groups)
    everything = np.concatenate(groups)
    if np.all(everything == everything[0]):
        notes.append(NOTE_NO_SPREAD)
        notes.append(NOTE_ALL_TIED)
        return empty_a, empty_k, notes
    anova = empty_a
    if all(np.ptp(g) == 0 for g in groups) or n - k < 1:
        notes.append(NOTE_NO_SPREAD)
    else:
        f = stats.f_oneway(*groups)
        anova = BetweenTest(
            ANOVA,
            clean_number(f.statistic),
            clean_number(f.pvalue),
            (float(k - 1), float(n - k)),
            n,
            ANOVA_METHOD,
        )
    h = stats.kruskal(*groups)
    kruskal = BetweenTest(
        KRUSKAL,
        clean_number(h.statistic),
        clean_number(h.pvalue),
        (float(k - 1),),
        n,
        KRUSKAL_METHOD,
    )
    return anova, kruskal, notes


def subgroup_changes(
    frame: pd.DataFrame,
    *,
    by: Sequence[str] = DEFAULT_SUBGROUPS,
    outcome: str = "score",
    person: str = "person",
    wave: str = "wave",
    pre: str | None = None,
    post: str | None = None,
    higher_is_better: bool = True,
    min_shown: int = MIN_SHOWN,
) -> tuple[SubgroupResult, ...]:
    """``subgroup_change`` for each subgrouping in ``by`` that the table has (format, sector and
    role by default), the multiple-comparisons note counting them all."""
    present = [b for b in by if b in frame.columns]
    if not present:
        return ()
    # The people and waves are the same for every subgrouping: find them once.
    _require(frame, [*present, outcome, person, wave])
    pre, post = _pre_post(frame, wave, pre, post)
    paired = _paired(frame, outcome, person, wave, pre, post)
    return tuple(
        _change(frame, b, paired, pre, post, higher_is_better, min_shown, len(present))
        for b in present
    )
