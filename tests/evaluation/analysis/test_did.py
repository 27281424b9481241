"""Difference-in-differences against a hand 2x2 difference of means, statsmodels' own formula
interface with clustered errors, and the CR1 sandwich written out."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats

from tip.evaluation.analysis.did import (
    EMPTY_CELL,
    ONE_CLUSTER,
    difference_in_differences,
)
from tip.evaluation.analysis.results import AnalysisInputError, Note


def _panel(seed: int = 1, n: int = 60, organisations: int = 8) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        treated = int(i < n // 2)
        base = rng.normal(10, 2)
        org = f"org{i % organisations}"
        rows.append(
            {
                "person": f"p{i}",
                "trained": treated,
                "wave": "baseline",
                "score": base,
                "org": org,
                "w": 1 + (i % 3),
            }
        )
        rows.append(
            {
                "person": f"p{i}",
                "trained": treated,
                "wave": "post",
                "score": base + 1 + 2 * treated + rng.normal(0, 1),
                "org": org,
                "w": 1 + (i % 3),
            }
        )
    return pd.DataFrame(rows)


def _cr1(x: np.ndarray, y: np.ndarray, w: np.ndarray, groups: np.ndarray) -> np.ndarray:
    xw = x * w[:, None]
    bread = np.linalg.inv(x.T @ xw)
    resid = y - x @ (bread @ (xw.T @ y))
    meat = np.zeros((x.shape[1], x.shape[1]))
    for g in np.unique(groups):
        s = (xw[groups == g] * resid[groups == g, None]).sum(axis=0)
        meat += np.outer(s, s)
    n, k = x.shape
    big_g = len(np.unique(groups))
    return bread @ meat @ bread * big_g / (big_g - 1) * (n - 1) / (n - k)


def test_estimate_is_the_two_by_two_difference() -> None:
    frame = _panel()
    result = difference_in_differences(
        frame, unit="person", treatment="trained", period="wave", outcome="score", cluster="org"
    )
    means = frame.groupby(["trained", "wave"])["score"].mean()
    by_hand = (means[1, "post"] - means[1, "baseline"]) - (means[0, "post"] - means[0, "baseline"])
    assert result.estimate.value == pytest.approx(by_hand, rel=1e-10)
    cells = {(m.group, m.period): m for m in result.means}
    assert cells["treated", "after"].mean == pytest.approx(means[1, "post"])
    assert cells["comparison", "before"].n == 30
    assert (result.n_units, result.n_observations, result.n_clusters) == (60, 120, 8)
    assert (result.pre, result.post) == ("baseline", "post")


def test_cluster_se_matches_statsmodels_and_the_sandwich() -> None:
    frame = _panel()
    result = difference_in_differences(
        frame, unit="person", treatment="trained", period="wave", outcome="score", cluster="org"
    )
    data = frame.assign(post=(frame["wave"] == "post").astype(int))
    groups = pd.factorize(data["org"])[0]
    reference = smf.ols("score ~ trained * post", data=data).fit(
        cov_type="cluster", cov_kwds={"groups": groups}
    )
    se = float(reference.bse["trained:post"])
    assert result.estimate.se == pytest.approx(se, rel=1e-10)
    x = np.column_stack(
        [np.ones(len(data)), data["trained"], data["post"], data["trained"] * data["post"]]
    ).astype(float)
    hand = math.sqrt(_cr1(x, data["score"].to_numpy(), np.ones(len(data)), groups)[3, 3])
    assert result.estimate.se == pytest.approx(hand, rel=1e-10)
    critical = stats.t.ppf(0.975, 7)
    assert result.estimate.ci_low == pytest.approx(result.estimate.value - critical * se)
    assert any("8 clusters" in str(note) or "Only 8" in str(note) for note in result.notes)


def test_weighted_and_clustered_by_unit_by_default() -> None:
    frame = _panel(seed=4)
    result = difference_in_differences(
        frame, unit="person", treatment="trained", period="wave", outcome="score", weights="w"
    )
    data = frame.assign(post=(frame["wave"] == "post").astype(int))
    groups = pd.factorize(data["person"])[0]
    reference = smf.wls("score ~ trained * post", data=data, weights=data["w"]).fit(
        cov_type="cluster", cov_kwds={"groups": groups}
    )
    assert result.estimate.value == pytest.approx(reference.params["trained:post"], rel=1e-10)
    assert result.estimate.se == pytest.approx(reference.bse["trained:post"], rel=1e-10)
    assert result.n_clusters == 60


def test_named_periods_and_other_waves_ignored() -> None:
    frame = _panel()
    extra = frame[frame["wave"] == "post"].assign(wave="follow_up", score=0.0)
    both = pd.concat([frame, extra], ignore_index=True)
    with pytest.raises(AnalysisInputError, match="exactly two periods"):
        difference_in_differences(
            both, unit="person", treatment="trained", period="wave", outcome="score"
        )
    named = difference_in_differences(
        both,
        unit="person",
        treatment="trained",
        period="wave",
        outcome="score",
        pre="baseline",
        post="post",
    )
    plain = difference_in_differences(
        frame, unit="person", treatment="trained", period="wave", outcome="score"
    )
    assert named.estimate.value == pytest.approx(plain.estimate.value)
    with pytest.raises(AnalysisInputError, match="“later”"):
        difference_in_differences(
            both,
            unit="person",
            treatment="trained",
            period="wave",
            outcome="score",
            pre="baseline",
            post="later",
        )


def test_numeric_periods_sort_as_numbers() -> None:
    frame = _panel()
    frame["wave"] = frame["wave"].map({"baseline": 2, "post": 10})
    result = difference_in_differences(
        frame, unit="person", treatment="trained", period="wave", outcome="score"
    )
    assert (result.pre, result.post) == ("2", "10")


def test_one_cluster_falls_back_to_hc1() -> None:
    frame = _panel().assign(org="only")
    result = difference_in_differences(
        frame, unit="person", treatment="trained", period="wave", outcome="score", cluster="org"
    )
    data = frame.assign(post=(frame["wave"] == "post").astype(int))
    reference = smf.ols("score ~ trained * post", data=data).fit(cov_type="HC1")
    assert result.estimate.se == pytest.approx(reference.bse["trained:post"], rel=1e-10)
    assert ONE_CLUSTER in result.notes


def test_empty_cell_gives_none_with_a_note() -> None:
    frame = _panel()
    frame = frame[~((frame["trained"] == 0) & (frame["wave"] == "post"))]
    result = difference_in_differences(
        frame, unit="person", treatment="trained", period="wave", outcome="score"
    )
    assert result.estimate.value is None
    assert any(isinstance(n, Note) and n.template == EMPTY_CELL for n in result.notes)


def test_bad_input_names_the_column_or_row() -> None:
    frame = _panel()
    with pytest.raises(AnalysisInputError, match="“region”"):
        difference_in_differences(
            frame,
            unit="person",
            treatment="trained",
            period="wave",
            outcome="score",
            cluster="region",
        )
    mixed = frame.copy()
    mixed.loc[1, "trained"] = 0
    with pytest.raises(AnalysisInputError, match="both trained and comparison"):
        difference_in_differences(
            mixed, unit="person", treatment="trained", period="wave", outcome="score"
        )
    text = frame.astype({"score": object})
    text.loc[5, "score"] = "n/a"
    with pytest.raises(AnalysisInputError, match="Row 5") as error:
        difference_in_differences(
            text, unit="person", treatment="trained", period="wave", outcome="score"
        )
    assert error.value.column == "score"
    twice = pd.concat([frame, frame.iloc[[0]]], ignore_index=True)
    with pytest.raises(AnalysisInputError, match="more than one row"):
        difference_in_differences(
            twice, unit="person", treatment="trained", period="wave", outcome="score"
        )


def test_missing_outcomes_dropped_with_note_and_few_rows() -> None:
    frame = _panel().astype({"score": object})
    frame.loc[[0, 3], "score"] = None
    result = difference_in_differences(
        frame, unit="person", treatment="trained", period="wave", outcome="score"
    )
    assert result.n_observations == 118
    assert any("2 rows were left out" in str(n) for n in result.notes)
    tiny = _panel(n=2)
    result = difference_in_differences(
        tiny, unit="person", treatment="trained", period="wave", outcome="score"
    )
    assert result.estimate.value is not None and result.estimate.se is None
