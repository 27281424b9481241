"""Change by subgroup: each level's paired change (checked against SciPy's paired t-test), small
levels suppressed for privacy, and the between-subgroup tests checked against SciPy and pingouin
(one-way ANOVA, Kruskal-Wallis), with the edge cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from scipy import stats

from tip.evaluation.analysis.results import AnalysisInputError, Note, to_jsonable
from tip.evaluation.analysis.subgroups import (
    NOTE_ALL_TIED,
    NOTE_FEW_LEVELS,
    NOTE_MULTIPLE,
    NOTE_NO_PAIRS,
    NOTE_NO_SPREAD,
    NOTE_SUPPRESSED_LEVELS,
    NOTE_UNKNOWN,
    subgroup_change,
    subgroup_changes,
)

REL = 1e-4


def templates(notes: tuple[object, ...]) -> set[str]:
    return {n.template if isinstance(n, Note) else str(n) for n in notes}


def frame(
    sizes: dict[str, int], *, seed: int = 3, gains: dict[str, float] | None = None
) -> pd.DataFrame:
    """Baseline and six-month scores; ``sizes`` people per format (the level is given at the
    baseline row only, as scores_frame's covariates would be on every row)."""
    rng = np.random.default_rng(seed)
    gains = gains or {}
    rows = []
    p = 0
    for level, n in sizes.items():
        for _ in range(n):
            base = rng.normal(3, 0.7)
            after = base + gains.get(level, 0.4) + rng.normal(0, 0.5)
            for k, (wave, value) in enumerate((("Baseline", base), ("Six months", after))):
                rows.append(
                    {
                        "person": f"P{p}",
                        "wave": wave,
                        "wave_order": 2 * k,
                        "score": value,
                        "format": level,
                        "sector": "police" if p % 2 else "health",
                        "role": "",
                    }
                )
            p += 1
    return pd.DataFrame(rows)


def changes(data: pd.DataFrame, level: str, by: str = "format") -> np.ndarray:
    wide = data.pivot(index="person", columns="wave", values="score")
    levels = data[data["wave"] == "Baseline"].set_index("person")[by]
    mine = wide[levels.reindex(wide.index) == level]
    return (mine["Six months"] - mine["Baseline"]).to_numpy()


def test_each_level_has_its_paired_change() -> None:
    data = frame({"virtual": 12, "in_person": 9, "hybrid": 7}, gains={"virtual": 0.8})
    result = subgroup_change(data, by="format")
    assert (result.pre, result.post, result.by) == ("Baseline", "Six months", "format")
    assert [lv.level for lv in result.levels] == ["hybrid", "in_person", "virtual"]
    wide = data.pivot(index="person", columns="wave", values="score")
    levels = data[data["wave"] == "Baseline"].set_index("person")["format"]
    for level in result.levels:
        mine = wide[levels.reindex(wide.index) == level.level]
        reference = stats.ttest_rel(mine["Six months"], mine["Baseline"])
        assert level.change is not None and not level.suppressed
        assert level.n == len(mine) == level.change.n
        assert level.change.mean_difference.value == pytest.approx(
            (mine["Six months"] - mine["Baseline"]).mean(), rel=1e-12
        )
        assert level.change.t_test.statistic == pytest.approx(reference.statistic, rel=REL)
        assert level.change.t_test.p_value == pytest.approx(reference.pvalue, rel=REL)
    assert result.n == 28
    assert to_jsonable(result)["levels"][0]["change"]["n"] == 7


def test_levels_with_fewer_than_five_people_are_suppressed() -> None:
    data = frame({"virtual": 12, "in_person": 4, "hybrid": 5})
    result = subgroup_change(data, by="format")
    small = result.level("in_person")
    assert small.suppressed and small.n is None and small.change is None and small.notes
    assert not result.level("hybrid").suppressed and result.level("hybrid").n == 5
    assert result.n == 17  # only the levels shown
    assert NOTE_SUPPRESSED_LEVELS in templates(result.notes)
    # The suppressed level is not in the tests either.
    reference = stats.f_oneway(changes(data, "hybrid"), changes(data, "virtual"))
    assert result.anova.statistic == pytest.approx(reference.statistic, rel=REL)
    assert result.anova.n == 17
    # Nothing about the suppressed level appears in the JSON beyond its name.
    shown = to_jsonable(small)
    assert shown["n"] is None and shown["change"] is None


def test_between_subgroup_tests_match_scipy_and_pingouin() -> None:
    data = frame(
        {"virtual": 15, "in_person": 11, "hybrid": 8},
        gains={"virtual": 0.9, "in_person": 0.2, "hybrid": 0.5},
        seed=9,
    )
    result = subgroup_change(data, by="format")
    groups = [changes(data, lv) for lv in ("hybrid", "in_person", "virtual")]
    anova = stats.f_oneway(*groups)
    kruskal = stats.kruskal(*groups)
    assert result.anova.statistic == pytest.approx(anova.statistic, rel=REL)
    assert result.anova.p_value == pytest.approx(anova.pvalue, rel=REL)
    assert result.anova.df == (2.0, 31.0)
    assert result.kruskal.statistic == pytest.approx(kruskal.statistic, rel=REL)
    assert result.kruskal.p_value == pytest.approx(kruskal.pvalue, rel=REL)
    long = pd.DataFrame(
        {
            "change": np.concatenate(groups),
            "level": np.repeat(["hybrid", "in_person", "virtual"], [len(g) for g in groups]),
        }
    )
    pg_anova = pg.anova(data=long, dv="change", between="level")
    assert result.anova.statistic == pytest.approx(float(pg_anova["F"].iloc[0]), rel=REL)
    assert result.anova.p_value == pytest.approx(float(pg_anova["p-unc"].iloc[0]), rel=REL)
    pg_kruskal = pg.kruskal(data=long, dv="change", between="level")
    assert result.kruskal.statistic == pytest.approx(float(pg_kruskal["H"].iloc[0]), rel=REL)
    assert result.kruskal.p_value == pytest.approx(float(pg_kruskal["p-unc"].iloc[0]), rel=REL)


def test_ties_in_kruskal_wallis_match_scipy() -> None:
    data = frame({"virtual": 8, "in_person": 8}, seed=2)
    data["score"] = data["score"].round(0)
    result = subgroup_change(data, by="format")
    groups = [changes(data, lv) for lv in ("in_person", "virtual")]
    assert result.kruskal.statistic == pytest.approx(stats.kruskal(*groups).statistic, rel=REL)


def test_several_subgroupings_carry_a_multiple_comparisons_note() -> None:
    data = frame({"virtual": 10, "in_person": 10})
    results = subgroup_changes(data)
    assert [r.by for r in results] == ["format", "sector", "role"]
    note = next(n for n in results[0].notes if isinstance(n, Note) and n.template == NOTE_MULTIPLE)
    assert note.values == {"k": 3, "alpha": "0.0167"}
    # Sector levels: police and health, each 10.
    assert [lv.n for lv in results[1].levels] == [10, 10]
    # Nobody's role is known: one level, "not known", and no test.
    role = results[2]
    assert [lv.level for lv in role.levels] == ["not known"]
    assert {NOTE_UNKNOWN, NOTE_FEW_LEVELS} <= templates(role.notes)
    assert role.anova.p_value is None and role.kruskal.p_value is None
    # A subgrouping the table does not have is left out (and not counted in the note).
    assert subgroup_changes(data, by=("format", "team")) == (
        subgroup_change(data, by="format", subgroupings=1),
    )


# Edge cases -------------------------------------------------------------------------------------


def test_one_level_only_gives_no_between_test() -> None:
    result = subgroup_change(frame({"virtual": 10}), by="format")
    assert result.anova.statistic is None and NOTE_FEW_LEVELS in templates(result.notes)


def test_zero_variance_changes() -> None:
    data = frame({"virtual": 6, "in_person": 6})
    data.loc[data["wave"] == "Six months", "score"] = (
        data.loc[data["wave"] == "Baseline", "score"].to_numpy() + 1.0
    )
    result = subgroup_change(data, by="format")
    assert result.anova.p_value is None and result.kruskal.p_value is None
    assert {NOTE_NO_SPREAD, NOTE_ALL_TIED} <= templates(result.notes)
    # Each level's change is there; its test cannot be worked out (no variation).
    assert result.level("virtual").change is not None
    assert result.level("virtual").change.mean_difference.value == pytest.approx(1.0)


def test_no_spread_within_levels_but_a_difference_between_them() -> None:
    data = frame({"virtual": 6, "in_person": 6})
    after = data["wave"] == "Six months"
    before = data["wave"] == "Baseline"
    gain = np.where(data.loc[before, "format"] == "virtual", 2.0, 1.0)
    data.loc[after, "score"] = data.loc[before, "score"].to_numpy() + gain
    result = subgroup_change(data, by="format")
    assert result.anova.p_value is None and NOTE_NO_SPREAD in templates(result.notes)
    assert result.kruskal.statistic == pytest.approx(
        stats.kruskal(np.full(6, 1.0), np.full(6, 2.0)).statistic, rel=REL
    )


def test_missing_scores_and_no_pairs() -> None:
    data = frame({"virtual": 7, "in_person": 7})
    data.loc[(data["wave"] == "Six months") & (data["person"].isin(["P0", "P1"])), "score"] = np.nan
    result = subgroup_change(data, by="format")
    virtual = result.level("virtual")
    assert virtual.n == 5 and virtual.change is not None and virtual.change.n_dropped == 2
    empty = subgroup_change(data.assign(score=np.nan), by="format")
    assert all(lv.suppressed for lv in empty.levels)
    assert NOTE_NO_PAIRS in templates(empty.notes)
    baseline_only = subgroup_change(data[data["wave"] == "Baseline"], by="format")
    assert baseline_only.levels == () and NOTE_NO_PAIRS in templates(baseline_only.notes)


def test_fewer_than_three_people_in_a_shown_level_when_the_minimum_is_lowered() -> None:
    data = frame({"virtual": 2, "in_person": 6})
    result = subgroup_change(data, by="format", min_shown=1)
    virtual = result.level("virtual")
    assert virtual.n == 2 and virtual.change is not None
    assert virtual.change.t_test.p_value is None  # paired_change: n below 3


def test_waves_can_be_chosen_and_must_exist() -> None:
    data = frame({"virtual": 6, "in_person": 6})
    flipped = subgroup_change(data, by="format", pre="Six months", post="Baseline")
    forward = subgroup_change(data, by="format")
    assert flipped.level("virtual").change.mean_difference.value == pytest.approx(  # type: ignore[union-attr]
        -forward.level("virtual").change.mean_difference.value  # type: ignore[union-attr,operator]
    )
    with pytest.raises(AnalysisInputError, match="no wave “Week 1”"):
        subgroup_change(data, by="format", post="Week 1")
    with pytest.raises(AnalysisInputError, match="no column “team”"):
        subgroup_change(data, by="team")
    bad = data.astype({"score": object})
    bad.loc[bad.index[3], "score"] = "high"
    with pytest.raises(AnalysisInputError) as caught:
        subgroup_change(bad, by="format")
    assert caught.value.row == 5
