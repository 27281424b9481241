"""Random-effects meta-analysis against published results and independent software.

References:
* metafor's BCG vaccine data (dat.bcg, Colditz et al. 1994), log risk ratios. Published with
  metafor (Viechtbauer 2010, J Stat Softw 36(3), and metafor's own tests against Stata's
  metan): REML estimate -0.7145 (SE 0.1798, 95% CI -1.0669 to -0.3622), tau^2 0.3132,
  I^2 92.22% (performance's tests give 0.9222139), H^2 12.86, Q = 152.2330 on 12 df;
  DerSimonian-Laird estimate -0.7141 (CI -1.0644 to -0.3638); fixed effect -0.4303 (CI -0.5097
  to -0.3509).
* statsmodels' combine_effects (DerSimonian-Laird, "dl"), for every figure it reports.
* The REML log-likelihood maximised directly with scipy.optimize, for other data.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize, stats
from statsmodels.stats.meta_analysis import combine_effects

from tip.evaluation.analysis.charts_meta import describe_forest_plot, forest_plot
from tip.evaluation.analysis.meta import DL, REML, StudyEffect, meta_analyse
from tip.evaluation.analysis.results import AnalysisInputError, to_jsonable

# dat.bcg: tpos, tneg, cpos, cneg (vaccinated with and without TB, controls with and without).
BCG = [
    (4, 119, 11, 128),
    (6, 300, 29, 274),
    (3, 228, 11, 209),
    (62, 13536, 248, 12619),
    (33, 5036, 47, 5761),
    (180, 1361, 372, 1079),
    (8, 2537, 10, 619),
    (505, 87886, 499, 87892),
    (29, 7470, 45, 7232),
    (17, 1699, 65, 1600),
    (186, 50448, 141, 27197),
    (5, 2493, 3, 2338),
    (27, 16886, 29, 17825),
]


def bcg_studies() -> list[StudyEffect]:
    """Log risk ratios and their variances, as metafor's escalc(measure="RR")."""
    found = []
    for i, (a, b, c, d) in enumerate(BCG, start=1):
        y = math.log((a / (a + b)) / (c / (c + d)))
        v = 1 / a - 1 / (a + b) + 1 / c - 1 / (c + d)
        found.append(StudyEffect(f"Trial {i}", y, v, a + b + c + d))
    return found


def sig(value: float | None, digits: int = 4) -> float:
    assert value is not None
    return float(f"{value:.{digits}g}")


def test_reml_matches_metafor_on_the_bcg_data() -> None:
    result = meta_analyse(bcg_studies(), method=REML)
    assert result.k == 13 and result.pooled_ok and result.converged
    assert sig(result.pooled.value) == -0.7145
    assert sig(result.pooled.se) == 0.1798
    assert sig(result.pooled.ci_low) == -1.067
    assert sig(result.pooled.ci_high) == -0.3622
    assert sig(result.tau2) == 0.3132
    assert result.i2 == pytest.approx(92.22139, abs=1e-4)
    assert sig(result.h2) == 12.86
    assert sig(result.q, 7) == 152.2330
    assert result.q_df == 12
    assert result.q_p is not None and result.q_p < 1e-4
    assert sig(result.z) == -3.974


def test_dl_and_fixed_match_metafor_on_the_bcg_data() -> None:
    result = meta_analyse(bcg_studies(), method=DL)
    assert sig(result.pooled.value) == -0.7141
    assert sig(result.pooled.ci_low) == -1.064
    assert sig(result.pooled.ci_high) == -0.3638
    assert sig(result.fixed.value) == -0.4303
    assert sig(result.fixed.ci_low) == -0.5097
    assert sig(result.fixed.ci_high) == -0.3509


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_dl_matches_statsmodels(seed: int) -> None:
    rng = np.random.default_rng(seed)
    k = 3 + seed * 3
    effects = rng.normal(0.4, 0.3, k)
    variances = rng.uniform(0.01, 0.2, k)
    studies = [
        StudyEffect(str(i), e, v) for i, (e, v) in enumerate(zip(effects, variances, strict=True))
    ]
    ours = meta_analyse(studies, method=DL)
    theirs = combine_effects(effects, variances, method_re="dl")
    frame = theirs.summary_frame()
    assert ours.pooled.value == pytest.approx(frame.loc["random effect", "eff"], rel=1e-9)
    assert ours.pooled.se == pytest.approx(frame.loc["random effect", "sd_eff"], rel=1e-9)
    assert ours.pooled.ci_low == pytest.approx(frame.loc["random effect", "ci_low"], rel=1e-9)
    assert ours.pooled.ci_high == pytest.approx(frame.loc["random effect", "ci_upp"], rel=1e-9)
    assert ours.fixed.value == pytest.approx(frame.loc["fixed effect", "eff"], rel=1e-9)
    assert ours.fixed.se == pytest.approx(frame.loc["fixed effect", "sd_eff"], rel=1e-9)
    assert ours.tau2 == pytest.approx(theirs.tau2, rel=1e-9, abs=1e-12)
    assert ours.q == pytest.approx(theirs.q, rel=1e-9)
    assert ours.i2 == pytest.approx(100 * theirs.i2, rel=1e-9, abs=1e-9)
    weights = [row.weight_random for row in ours.studies]
    assert weights == pytest.approx(list(100 * frame["w_re"].iloc[:k]), rel=1e-9)


def _reml_by_optimiser(y: np.ndarray, v: np.ndarray) -> float:
    """tau^2 maximising the restricted log-likelihood, found by a bounded scalar search."""

    def minus_loglik(tau2: float) -> float:
        w = 1 / (v + tau2)
        mu = np.sum(w * y) / np.sum(w)
        return 0.5 * float(np.sum(np.log(v + tau2)) + np.log(np.sum(w)) + np.sum(w * (y - mu) ** 2))

    found = optimize.minimize_scalar(
        minus_loglik, bounds=(0, 10), method="bounded", options={"xatol": 1e-12}
    )
    return float(found.x)


def test_reml_maximises_the_restricted_likelihood() -> None:
    rng = np.random.default_rng(11)
    y = rng.normal(0.3, 0.4, 9)
    v = rng.uniform(0.02, 0.1, 9)
    result = meta_analyse(
        [StudyEffect(str(i), a, b) for i, (a, b) in enumerate(zip(y, v, strict=True))]
    )
    assert sig(result.tau2, 6) == sig(_reml_by_optimiser(y, v), 6)


def test_homogeneous_studies_truncate_tau2_at_zero() -> None:
    studies = [
        StudyEffect("A", 0.50, 0.04),
        StudyEffect("B", 0.51, 0.05),
        StudyEffect("C", 0.49, 0.06),
    ]
    for method in (REML, DL):
        result = meta_analyse(studies, method=method)
        assert result.tau2 == 0.0 and result.i2 == 0.0
        assert result.pooled.value == pytest.approx(result.fixed.value, rel=1e-12)
        assert any("truncated at zero" in str(n) for n in result.notes)
    # Q below its degrees of freedom, checked against the chi-squared distribution.
    result = meta_analyse(studies)
    assert result.q is not None and result.q < result.q_df
    assert result.q_p == pytest.approx(stats.chi2.sf(result.q, 2), rel=1e-12)


def test_one_study_is_reported_without_pooling() -> None:
    result = meta_analyse([StudyEffect("Only", 0.4, 0.04, 30)])
    assert not result.pooled_ok and result.k == 1
    assert result.pooled.value is None and result.tau2 is None and result.i2 is None
    assert result.studies[0].ci_low == pytest.approx(0.4 - stats.norm.ppf(0.975) * 0.2)
    assert "nothing is pooled" in str(result.notes[0])
    assert "nothing is pooled" in describe_forest_plot(result)


def test_two_studies_pool_with_a_note() -> None:
    studies = [StudyEffect("A", 0.2, 0.02), StudyEffect("B", 0.8, 0.03)]
    result = meta_analyse(studies, method=DL)
    theirs = combine_effects(np.array([0.2, 0.8]), np.array([0.02, 0.03]), method_re="dl")
    assert result.pooled.value == pytest.approx(theirs.mean_effect_re, rel=1e-9)
    assert result.q_df == 1
    assert any("two partnerships" in str(n) for n in result.notes)


def test_a_zero_variance_cannot_be_weighted() -> None:
    result = meta_analyse([StudyEffect("A", 0.2, 0.0), StudyEffect("B", 0.3, 0.02)])
    assert not result.pooled_ok and result.pooled.value is None
    assert "variance of zero" in str(result.notes[0])


def test_malformed_input_is_refused() -> None:
    with pytest.raises(AnalysisInputError):
        meta_analyse([])
    with pytest.raises(AnalysisInputError, match="variance"):
        meta_analyse([StudyEffect("A", 0.2, -1.0), StudyEffect("B", 0.1, 0.1)])
    with pytest.raises(AnalysisInputError, match="effect size"):
        meta_analyse([StudyEffect("A", float("nan"), 0.1), StudyEffect("B", 0.1, 0.1)])
    with pytest.raises(AnalysisInputError, match="method"):
        meta_analyse(bcg_studies(), method="bayes")


def test_the_result_is_json() -> None:
    payload = to_jsonable(meta_analyse(bcg_studies()))
    assert payload["k"] == 13 and payload["method_code"] == "reml"
    assert len(payload["studies"]) == 13


def test_forest_plot_is_deterministic_svg_with_a_text_alternative() -> None:
    result = meta_analyse(bcg_studies())
    first, second = forest_plot(result), forest_plot(result)
    assert first == second
    assert first.lstrip().startswith("<?xml") and "<svg" in first
    assert "Trial 13" in first and "Pooled (REML)" in first
    text = describe_forest_plot(result)
    assert "13 partnerships" in text and "-0.71" in text and "I squared 92%" in text
