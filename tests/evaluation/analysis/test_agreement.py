"""Cohen's kappa between two coders, against scikit-learn (the kappa) and statsmodels (the kappa,
its large-sample standard error and 95% interval), a published worked example, and the edge
cases: no texts, fewer than three, one category only, complete agreement."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import cohens_kappa

from tip.evaluation.analysis.agreement import (
    NO_INTERVAL,
    NO_TEXTS,
    code_agreement,
    cohen_kappa,
    kappa_from_table,
)
from tip.evaluation.analysis.results import AnalysisInputError, Note, to_jsonable


def _reference(table: np.ndarray) -> tuple[float, float, float, float]:
    r = cohens_kappa(table)
    return float(r.kappa), float(r.std_kappa), float(r.kappa_low), float(r.kappa_upp)


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("categories", [2, 3, 5])
def test_kappa_matches_scikit_learn_and_statsmodels(seed: int, categories: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(20, 200))
    first = rng.integers(0, categories, n)
    second = np.where(rng.random(n) < 0.6, first, rng.integers(0, categories, n))
    found = cohen_kappa(list(first), list(second))
    assert found.n == n
    assert found.kappa == pytest.approx(cohen_kappa_score(first, second), rel=1e-9)
    kappa, se, low, high = _reference(np.array(found.table))
    assert found.kappa == pytest.approx(kappa, rel=1e-9)
    assert found.se == pytest.approx(se, rel=1e-9)
    assert found.ci_low == pytest.approx(low, rel=1e-9)
    assert found.ci_high == pytest.approx(high, rel=1e-9)
    assert found.agreement == pytest.approx(np.mean(first == second))


def test_sas_proc_freq_printout() -> None:
    """SAS PROC FREQ's simple kappa for a 3 x 3 table (the printout statsmodels' own tests compare
    with): kappa 0.4842, ASE 0.1380, 95% limits 0.2137 and 0.7547."""
    found = kappa_from_table([[0, 4, 1], [0, 8, 0], [0, 1, 5]])
    assert found.kappa == pytest.approx(0.4842, abs=5e-5)
    assert found.se == pytest.approx(0.1380, abs=5e-5)
    assert found.ci_low == pytest.approx(0.2137, abs=5e-5)
    assert found.ci_high == pytest.approx(0.7547, abs=5e-5)


def test_the_textbook_two_by_two_example() -> None:
    """The usual worked example (50 proposals, two readers): 20 both yes, 5 only the first,
    10 only the second, 15 both no; observed agreement 0.7, chance 0.5, kappa 0.4."""
    found = kappa_from_table([[20, 5], [10, 15]])
    assert found.agreement == pytest.approx(0.7)
    assert found.expected == pytest.approx(0.5)
    assert found.kappa == pytest.approx(0.4)


def test_code_agreement_per_code_and_overall() -> None:
    first = {
        "t1": {"safe", "trust"},
        "t2": {"safe"},
        "t3": set(),
        "t4": {"trust"},
        "t5": {"safe", "trust"},
        "t6": {"safe"},
        "only-first": {"safe"},
    }
    second = {
        "t1": {"safe"},
        "t2": {"safe"},
        "t3": set(),
        "t4": {"trust"},
        "t5": {"trust"},
        "t6": {"safe", "trust"},
        "only-second": {"trust"},
    }
    result = code_agreement(first, second, ["safe", "trust"])  # type: ignore[arg-type]
    assert result.n == 6  # texts both coded
    texts = ["t1", "t2", "t3", "t4", "t5", "t6"]
    for row in result.codes:
        a = [int(row.code in first[t]) for t in texts]
        b = [int(row.code in second[t]) for t in texts]
        assert row.kappa.kappa == pytest.approx(cohen_kappa_score(a, b), rel=1e-9)
        assert row.both + row.first_only + row.second_only + row.neither == 6
    safe = result.codes[0]
    assert (safe.both, safe.first_only, safe.second_only, safe.neither) == (3, 1, 0, 2)
    # Overall: every (text, code) judgement together.
    a = [int(c in first[t]) for c in ("safe", "trust") for t in texts]
    b = [int(c in second[t]) for c in ("safe", "trust") for t in texts]
    assert result.overall.n == 12
    assert result.overall.kappa == pytest.approx(cohen_kappa_score(a, b), rel=1e-9)
    kappa, se, _low, _high = _reference(np.array(result.overall.table))
    assert result.overall.se == pytest.approx(se, rel=1e-9)
    assert result.method and result.assumptions
    assert to_jsonable(result)["overall"]["kappa"] == pytest.approx(kappa)


def test_no_texts_gives_none_with_a_note() -> None:
    result = code_agreement({"a": {"x"}}, {"b": {"x"}}, ["x"])  # type: ignore[arg-type]
    assert result.n == 0
    assert result.codes[0].kappa.kappa is None and result.codes[0].kappa.agreement is None
    assert NO_TEXTS in result.notes
    assert result.overall.kappa is None
    empty = cohen_kappa([], [])
    assert empty.n == 0 and empty.kappa is None and NO_TEXTS in empty.notes


def test_fewer_than_three_texts_gives_agreement_but_no_kappa() -> None:
    found = cohen_kappa(["yes", "no"], ["yes", "yes"])
    assert found.n == 2
    assert found.agreement == pytest.approx(0.5)
    assert found.kappa is None and found.ci_low is None and found.se is None
    assert isinstance(found.notes[0], Note) and "at least 3" in str(found.notes[0])


def test_one_category_only_is_undefined_with_a_note() -> None:
    # Neither coder ever applied the code: complete agreement, but chance agreement is 100%.
    result = code_agreement(
        {"t1": set(), "t2": set(), "t3": {"other"}},  # type: ignore[arg-type]
        {"t1": set(), "t2": {"other"}, "t3": set()},  # type: ignore[arg-type]
        ["never", "other"],
    )
    never = result.codes[0]
    assert never.neither == 3 and never.kappa.agreement == 1.0
    assert never.kappa.kappa is None
    assert "undefined" in str(never.kappa.notes[0]) and "not applied" in str(never.kappa.notes[0])
    # scikit-learn agrees it is not a number.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert np.isnan(cohen_kappa_score([0, 0, 0], [0, 0, 0]))
    always = code_agreement({t: {"x"} for t in "abc"}, {t: {"x"} for t in "abc"}, ["x"])  # type: ignore[arg-type]
    assert always.codes[0].kappa.kappa is None
    assert "(applied)" in str(always.codes[0].kappa.notes[0])


def test_complete_agreement_has_kappa_one_and_no_interval() -> None:
    found = cohen_kappa([1, 0, 1, 0, 1], [1, 0, 1, 0, 1])
    assert found.kappa == pytest.approx(1.0)
    assert found.se == 0.0 and found.ci_low is None and found.ci_high is None
    assert NO_INTERVAL in found.notes
    assert cohens_kappa(np.array(found.table)).std_kappa == pytest.approx(0.0, abs=1e-12)


def test_disagreement_worse_than_chance_is_negative() -> None:
    first = [1, 0, 1, 0, 1, 0]
    second = [0, 1, 0, 1, 0, 1]
    found = cohen_kappa(first, second)
    assert found.kappa == pytest.approx(cohen_kappa_score(first, second)) == pytest.approx(-1.0)


def test_malformed_input_is_refused() -> None:
    with pytest.raises(AnalysisInputError, match="same length"):
        cohen_kappa([1, 2], [1])
    with pytest.raises(AnalysisInputError, match="square"):
        kappa_from_table([[1, 2, 3]])
    with pytest.raises(AnalysisInputError, match="whole numbers"):
        kappa_from_table([[1, -1], [0, 2]])
    with pytest.raises(AnalysisInputError, match="once"):
        code_agreement({}, {}, ["x", "x"])


def test_one_constant_coder_gives_kappa_zero_and_no_interval() -> None:
    # The first coder applied the code to every text; the second to half of them.
    first, second = [1] * 6, [1, 0, 1, 0, 1, 0]
    found = cohen_kappa(first, second)
    assert found.kappa == pytest.approx(cohen_kappa_score(first, second)) == pytest.approx(0.0)
    assert found.ci_low is None and NO_INTERVAL in found.notes
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # statsmodels divides by its zero standard error
        reference = cohens_kappa(np.array(found.table))
    assert reference.std_kappa == pytest.approx(0.0, abs=1e-12)
