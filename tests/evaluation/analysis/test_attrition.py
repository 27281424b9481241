"""Attrition: the flow's counts and shares, and completers against drop-outs at baseline, checked
against SciPy and pingouin (Welch's t-test, chi-square, Fisher's exact test) and a brute-force
enumeration of the multivariate hypergeometric distribution (Fisher-Freeman-Halton)."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from scipy import stats

from tip.evaluation.analysis.attrition import (
    CHI_SQUARE,
    CHI_SQUARE_YATES,
    FISHER,
    FISHER_RX2,
    NOTE_MORE_RESPONDED,
    NOTE_NO_INVITED,
    NOTE_NO_LATER,
    NOTE_NO_VARIANCE,
    NOTE_ONE_LEVEL,
    NOTE_TOO_FEW,
    NOTE_TOO_LARGE_EXACT,
    attrition_flow,
    compare_dropouts,
    fisher_exact_rx2,
)
from tip.evaluation.analysis.results import AnalysisInputError, Note, to_jsonable

REL = 1e-4


def templates(notes: tuple[object, ...]) -> set[str]:
    return {n.template if isinstance(n, Note) else str(n) for n in notes}


# The flow ---------------------------------------------------------------------------------------


def flow_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "wave": ["Baseline", "Baseline", "Six months", "Six months"],
            "wave_id": [1, 1, 3, 3],
            "wave_kind": ["baseline", "baseline", "follow_up", "follow_up"],
            "group": ["trained", "comparison"] * 2,
            "invited": [40, 30, 40, 30],
            "responded": [36, 24, 22, 15],
            "linked": [36, 24, 20, 12],
            "analysed": [35, 24, 19, 12],
        }
    )


def test_flow_shares_are_of_those_invited() -> None:
    flow = attrition_flow(flow_table())
    assert flow.n == 70
    six = flow.rows[2]
    assert (six.wave, six.group, six.invited, six.analysed) == ("Six months", "trained", 40, 19)
    assert six.responded_share == pytest.approx(22 / 40)
    assert six.linked_share == pytest.approx(20 / 40)
    assert six.analysed_share == pytest.approx(19 / 40)
    table = flow.flow_rows()
    assert table[2] == {
        "wave": "Six months",
        "wave_kind": "follow_up",
        "group": "trained",
        "invited": 40,
        "responded": 22,
        "responded_percent": 55.0,
        "not_responded": 18,
        "linked": 20,
        "linked_percent": 50.0,
        "not_linked": 2,
        "analysed": 19,
        "analysed_percent": 47.5,
        "not_analysed": 1,
    }
    assert flow.notes == () and flow.method and flow.assumptions
    assert to_jsonable(flow)["rows"][0]["invited"] == 40


def test_flow_with_nobody_invited_or_more_answers_than_invitations() -> None:
    table = flow_table()
    table.loc[1, ["invited", "responded", "linked", "analysed"]] = 0
    table.loc[3, "invited"] = 10
    flow = attrition_flow(table)
    assert flow.rows[1].responded_share is None
    assert flow.flow_rows()[1]["responded_percent"] is None
    assert {NOTE_NO_INVITED, NOTE_MORE_RESPONDED} <= templates(flow.notes)
    assert attrition_flow(table.iloc[0:0]).rows == ()


def test_flow_input_errors_name_the_column_and_row() -> None:
    with pytest.raises(AnalysisInputError, match="no column “analysed”"):
        attrition_flow(flow_table().drop(columns=["analysed"]))
    table = flow_table().astype({"responded": object})
    table.loc[2, "responded"] = "many"
    with pytest.raises(AnalysisInputError, match="whole numbers") as caught:
        attrition_flow(table)
    assert (caught.value.column, caught.value.row) == ("responded", 4)
    table = flow_table()
    table.loc[1, "analysed"] = 30
    with pytest.raises(AnalysisInputError, match="cannot be more than") as caught:
        attrition_flow(table)
    assert (caught.value.column, caught.value.row) == ("analysed", 3)
    table = flow_table().astype({"invited": float})
    table.loc[0, "invited"] = 2.5
    with pytest.raises(AnalysisInputError):
        attrition_flow(table)


# Completers and drop-outs -----------------------------------------------------------------------


def cohort(n: int = 60, seed: int = 2, later: float = 0.6) -> pd.DataFrame:
    """A long table: everyone at baseline; some at a later wave (completers score higher)."""
    rng = np.random.default_rng(seed)
    rows = []
    for p in range(n):
        stays = rng.random() < later
        base = rng.normal(3.4 if stays else 3.0, 0.8 if stays else 1.1)
        covariates = {
            "sector": ["police", "health", "education"][p % 3] if p % 11 else "",
            "format": "virtual" if rng.random() < (0.7 if stays else 0.4) else "in_person",
            "prior_training": ["yes", "no"][p % 2],
        }
        rows.append(
            {"person": f"P{p}", "wave": "Baseline", "wave_order": 0, "score": base, **covariates}
        )
        if stays:
            rows.append(
                {
                    "person": f"P{p}",
                    "wave": "Six months",
                    "wave_order": 2,
                    "score": base + 0.3,
                    "sector": "",
                    "format": "",
                    "prior_training": "",
                }
            )
    return pd.DataFrame(rows)


def split(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    later = set(frame.loc[frame["wave"] != "Baseline", "person"])
    base = frame[frame["wave"] == "Baseline"]
    stays = base["person"].isin(later)
    return base.loc[stays, "score"].to_numpy(), base.loc[~stays, "score"].to_numpy()


def test_baseline_scores_by_welch_t_test_match_scipy_and_pingouin() -> None:
    frame = cohort()
    result = compare_dropouts(frame)
    completers, dropouts = split(frame)
    assert (result.n, result.n_completers, result.n_dropouts) == (
        60,
        len(completers),
        len(dropouts),
    )
    assert result.baseline == "Baseline"
    score = result.score
    reference = stats.ttest_ind(completers, dropouts, equal_var=False)
    assert score.t == pytest.approx(reference.statistic, rel=REL)
    assert score.p_value == pytest.approx(reference.pvalue, rel=REL)
    assert score.df == pytest.approx(reference.df, rel=REL)
    interval = reference.confidence_interval(0.95)
    assert score.difference.ci_low == pytest.approx(interval.low, rel=REL)
    assert score.difference.ci_high == pytest.approx(interval.high, rel=REL)
    pingouin = pg.ttest(completers, dropouts, correction=True)
    assert score.t == pytest.approx(float(pingouin["T"].iloc[0]), rel=REL)
    assert score.df == pytest.approx(float(pingouin["dof"].iloc[0]), rel=REL)
    low, high = pingouin["CI95%"].iloc[0]
    assert score.difference.ci_low == pytest.approx(low, abs=0.005)  # pingouin rounds to 2 dp
    assert score.difference.ci_high == pytest.approx(high, abs=0.005)
    assert score.difference.value == pytest.approx(completers.mean() - dropouts.mean(), rel=1e-12)
    assert score.completers.n == len(completers) and score.dropouts.n == len(dropouts)
    assert score.completers.sd == pytest.approx(completers.std(ddof=1), rel=1e-12)
    # Standardised difference: divided by the root mean square of the two SDs.
    pooled = np.sqrt((completers.var(ddof=1) + dropouts.var(ddof=1)) / 2)
    assert score.smd == pytest.approx((completers.mean() - dropouts.mean()) / pooled, rel=REL)


def test_standardised_difference_matches_pingouin_cohen_d_with_equal_groups() -> None:
    rng = np.random.default_rng(8)
    rows = []
    for p in range(40):
        rows.append({"person": p, "wave": "B", "wave_order": 0, "score": rng.normal(p % 2, 1)})
        if p % 2:
            rows.append({"person": p, "wave": "F", "wave_order": 1, "score": 0.0})
    frame = pd.DataFrame(rows)
    result = compare_dropouts(frame, covariates=())
    completers, dropouts = split(frame.replace({"wave": {"B": "Baseline"}}))
    d = pg.compute_effsize(completers, dropouts, paired=False, eftype="cohen")
    assert result.score.smd == pytest.approx(d, rel=REL)


def test_categories_use_chi_square_matching_scipy_and_pingouin() -> None:
    frame = cohort(n=120, seed=4)
    result = compare_dropouts(frame)
    fmt = next(c for c in result.covariates if c.covariate == "format")
    assert fmt.method == CHI_SQUARE_YATES  # a 2 by 2 table
    base = frame[frame["wave"] == "Baseline"].copy()
    later = set(frame.loc[frame["wave"] != "Baseline", "person"])
    base["completer"] = base["person"].isin(later)
    table = pd.crosstab(base["format"], base["completer"])
    reference = stats.chi2_contingency(table.to_numpy())
    assert fmt.statistic == pytest.approx(reference.statistic, rel=REL)
    assert fmt.p_value == pytest.approx(reference.pvalue, rel=REL)
    assert fmt.df == 1 and fmt.n == 120
    _, _, pingouin = pg.chi2_independence(base, x="format", y="completer", correction=True)
    pearson = pingouin[pingouin["test"] == "pearson"].iloc[0]
    assert fmt.statistic == pytest.approx(float(pearson["chi2"]), rel=REL)
    assert fmt.p_value == pytest.approx(float(pearson["pval"]), rel=REL)
    levels = {lc.level: lc for lc in fmt.levels}
    assert levels["virtual"].completers == int(table.loc["virtual", True])
    assert levels["virtual"].completers_share == pytest.approx(
        table.loc["virtual", True] / table[True].sum()
    )
    # Sector: three levels known, and "not known" shown last but not tested.
    sector = next(c for c in result.covariates if c.covariate == "sector")
    assert [lc.level for lc in sector.levels][-1] == "not known"
    known = base[base["sector"] != ""]
    reference = stats.chi2_contingency(pd.crosstab(known["sector"], known["completer"]).to_numpy())
    assert sector.method == CHI_SQUARE
    assert sector.statistic == pytest.approx(reference.statistic, rel=REL)
    assert sector.df == 2 and sector.n == len(known)


def test_small_tables_use_fisher_exact() -> None:
    frame = cohort(n=16, seed=6)
    result = compare_dropouts(frame)
    prior = next(c for c in result.covariates if c.covariate == "format")
    assert prior.method == FISHER
    base = frame[frame["wave"] == "Baseline"].copy()
    later = set(frame.loc[frame["wave"] != "Baseline", "person"])
    base["completer"] = base["person"].isin(later)
    table = pd.crosstab(base["format"], base["completer"]).to_numpy()
    table = table[:, ::-1]  # completers first, as the analysis counts them
    reference = stats.fisher_exact(table)
    assert prior.p_value == pytest.approx(reference.pvalue, rel=REL)
    assert prior.statistic == pytest.approx(reference.statistic, rel=REL)
    assert prior.statistic == pytest.approx(0.6)  # (4 x 3) / (5 x 4): completers first
    sector = next(c for c in result.covariates if c.covariate == "sector")
    assert sector.method == FISHER_RX2 and sector.p_value is not None


def brute_force_fisher(table: np.ndarray) -> float:
    rows = table.sum(axis=1)
    first = int(table[:, 0].sum())
    observed = stats.multivariate_hypergeom.pmf(table[:, 0], m=rows, n=first)
    total = 0.0
    for xs in itertools.product(*[range(r + 1) for r in rows]):
        if sum(xs) == first:
            p = stats.multivariate_hypergeom.pmf(list(xs), m=rows, n=first)
            if p <= observed * (1 + 1e-7):
                total += p
    return float(total)


@pytest.mark.parametrize(
    "table",
    [
        [[3, 1], [1, 4], [2, 0]],
        [[5, 0], [2, 3], [0, 4], [1, 1]],
        [[0, 3], [6, 2], [1, 1]],
        [[2, 2], [2, 2], [2, 2]],
    ],
)
def test_fisher_freeman_halton_matches_brute_force_enumeration(table: list[list[int]]) -> None:
    counts = np.array(table)
    assert fisher_exact_rx2(counts) == pytest.approx(brute_force_fisher(counts), rel=1e-9)


def test_fisher_rx2_of_a_2_by_2_table_is_scipys_fisher_exact() -> None:
    for table in ([[3, 1], [1, 4]], [[8, 2], [1, 5]], [[0, 5], [5, 0]]):
        assert fisher_exact_rx2(np.array(table)) == pytest.approx(
            stats.fisher_exact(table).pvalue, rel=1e-9
        )
    assert fisher_exact_rx2(np.array([[300, 200]] * 8), max_tables=1000) is None
    with pytest.raises(ValueError):
        fisher_exact_rx2(np.array([[1, 2, 3]]))


# Edge cases -------------------------------------------------------------------------------------


def test_fewer_than_two_in_a_group_gives_no_test() -> None:
    frame = pd.DataFrame(
        {
            "person": ["a", "a", "b"],
            "wave": ["B", "F", "B"],
            "wave_order": [0, 1, 0],
            "score": [3.0, 4.0, 2.0],
            "sector": ["police", "", "health"],
        }
    )
    result = compare_dropouts(frame, covariates=("sector",))
    assert (result.n_completers, result.n_dropouts) == (1, 1)
    assert result.score.t is None and result.score.p_value is None
    assert result.score.difference.value == pytest.approx(1.0)
    assert NOTE_TOO_FEW in templates(result.score.notes)
    assert result.covariates[0].p_value is None
    assert NOTE_ONE_LEVEL in templates(result.covariates[0].notes)


def test_zero_variance_and_all_missing() -> None:
    frame = cohort(n=20).assign(score=3.0)
    result = compare_dropouts(frame)
    assert result.score.smd is None and result.score.p_value is None
    assert result.score.difference.value == 0.0
    assert NOTE_NO_VARIANCE in templates(result.score.notes)
    missing = compare_dropouts(cohort(n=20).assign(score=np.nan))
    assert missing.score.n == 0 and missing.score.t is None
    assert missing.n == 20  # still counted in the categories


def test_one_wave_only_has_no_drop_outs_to_compare() -> None:
    frame = cohort(n=20)
    result = compare_dropouts(frame[frame["wave"] == "Baseline"])
    assert result.n_dropouts == 20 and result.n_completers == 0
    assert NOTE_NO_LATER in templates(result.notes)
    assert result.score.p_value is None


def test_large_sparse_table_falls_back_to_chi_square_with_a_note() -> None:
    rng = np.random.default_rng(1)
    rows = []
    for p in range(400):
        level = f"L{p % 12}" if p < 396 else "rare"
        rows.append({"person": p, "wave": "B", "wave_order": 0, "score": rng.normal(), "x": level})
        if rng.random() < 0.5:
            rows.append({"person": p, "wave": "F", "wave_order": 1, "score": 0.0, "x": ""})
    result = compare_dropouts(pd.DataFrame(rows), covariates=("x",))
    assert NOTE_TOO_LARGE_EXACT in templates(result.covariates[0].notes)
    assert result.covariates[0].method == CHI_SQUARE and result.covariates[0].p_value is not None


def test_malformed_input_raises() -> None:
    with pytest.raises(AnalysisInputError, match="no column “score”"):
        compare_dropouts(pd.DataFrame({"person": [1], "wave": ["B"]}))
    frame = cohort(n=10).astype({"score": object})
    frame.loc[frame.index[2], "score"] = "n/a"
    with pytest.raises(AnalysisInputError) as caught:
        compare_dropouts(frame)
    assert caught.value.row == 4
    with pytest.raises(AnalysisInputError, match="no wave"):
        compare_dropouts(cohort(n=10), baseline="Week 0")
    assert compare_dropouts(cohort(n=10), covariates=("missing",)).covariates == ()
