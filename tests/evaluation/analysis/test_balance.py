"""Balance statistics against independent references: NumPy's weighted covariance (the same
"reliability weights" variance as R's ``cov.wt``, which MatchIt uses), SciPy's two-sample
Kolmogorov-Smirnov statistic (the largest eCDF distance), and hand computations. MatchIt's
published lalonde tables are checked in test_matching.py."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from tip.evaluation.analysis.balance import (
    BINARY,
    CONTINUOUS,
    balance_row,
    balance_table,
    weighted_variance,
)


@pytest.fixture
def sample() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(11)
    x = np.round(rng.normal(10, 3, size=60), 1)
    t = np.array([1] * 25 + [0] * 35)
    w = np.where(t == 1, 1.0, rng.choice([0.0, 0.5, 1.0, 2.0], size=60))
    return x, t, w


def test_weighted_variance_is_reliability_weights_variance(sample) -> None:  # type: ignore[no-untyped-def]
    x, _t, w = sample
    keep = w > 0
    expected = float(np.cov(x[keep], aweights=w[keep]))
    assert weighted_variance(x[keep], w[keep], binary=False) == pytest.approx(expected, rel=1e-12)
    ones = np.ones(len(x))
    assert weighted_variance(x, ones, binary=False) == pytest.approx(np.var(x, ddof=1))
    b = np.array([1.0, 0.0, 1.0, 1.0])
    assert weighted_variance(b, np.ones(4), binary=True) == pytest.approx(0.75 * 0.25)


def test_continuous_row_by_hand(sample) -> None:  # type: ignore[no-untyped-def]
    x, t, w = sample
    row = balance_row("x", x, t, w)
    assert row.kind == CONTINUOUS
    sd_treated = np.std(x[t == 1], ddof=1)
    before = (x[t == 1].mean() - x[t == 0].mean()) / sd_treated
    assert row.smd_before == pytest.approx(before, rel=1e-12)
    after_control = np.average(x[t == 0], weights=w[t == 0])
    assert row.mean_control_after == pytest.approx(after_control, rel=1e-12)
    assert row.smd_after == pytest.approx((x[t == 1].mean() - after_control) / sd_treated)
    assert row.variance_ratio_before == pytest.approx(
        np.var(x[t == 1], ddof=1) / np.var(x[t == 0], ddof=1), rel=1e-12
    )
    keep = (t == 0) & (w > 0)
    assert row.variance_ratio_after == pytest.approx(
        np.var(x[t == 1], ddof=1) / float(np.cov(x[keep], aweights=w[keep])), rel=1e-12
    )
    ks = stats.ks_2samp(x[t == 1], x[t == 0]).statistic
    assert row.ecdf_max_before == pytest.approx(ks, rel=1e-12)


def test_ecdf_mean_by_hand() -> None:
    x = np.array([1.0, 2.0, 2.0, 3.0, 1.0, 3.0, 3.0, 4.0])
    t = np.array([1, 1, 1, 1, 0, 0, 0, 0])
    row = balance_row("x", x, t, np.ones(8))
    # eCDFs at 1, 2, 3, 4: treated 1/4, 3/4, 1, 1; control 1/4, 1/4, 3/4, 1.
    assert row.ecdf_mean_before == pytest.approx((0 + 0.5 + 0.25 + 0) / 4)
    assert row.ecdf_max_before == pytest.approx(0.5)


def test_binary_row_uses_treated_p_q_and_no_variance_ratio() -> None:
    x = np.array([1, 1, 1, 0, 1, 0, 0, 0, 1, 0], dtype=float)
    t = np.array([1, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    row = balance_row("b", x, t, np.ones(10))
    assert row.kind == BINARY
    p = 0.75
    assert row.smd_before == pytest.approx((0.75 - 2 / 6) / math.sqrt(p * (1 - p)))
    assert row.mean_diff_before == pytest.approx(0.75 - 2 / 6)
    assert row.variance_ratio_before is None
    assert row.ecdf_max_before == pytest.approx(abs(0.75 - 2 / 6))


def test_zero_treated_sd_falls_back_to_pooled() -> None:
    x = np.array([5.0, 5.0, 5.0, 1.0, 3.0, 5.0])
    t = np.array([1, 1, 1, 0, 0, 0])
    row = balance_row("x", x, t, np.ones(6))
    pooled = math.sqrt((0 + np.var([1.0, 3.0, 5.0], ddof=1)) / 2)
    assert row.smd_before == pytest.approx((5 - 3) / pooled)
    assert row.variance_ratio_before == pytest.approx(0.0)


def test_constant_and_empty_groups_give_none_not_errors() -> None:
    x = np.array([2.0, 2.0, 2.0, 2.0])
    t = np.array([1, 1, 0, 0])
    row = balance_row("c", x, t, np.ones(4))
    assert row.smd_before == 0.0 and row.variance_ratio_before is None
    # After matching nobody is left in the control group.
    row = balance_row("x", np.array([1.0, 2.0, 3.0, 4.0]), t, np.array([1.0, 1.0, 0.0, 0.0]))
    assert row.smd_after is None and row.mean_control_after is None
    assert row.smd_before is not None


def test_balance_table_keeps_column_order_and_kinds() -> None:
    design = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": [0.0, 1.0, 1.0, 0.0]})
    rows = balance_table(design, pd.Series([1, 1, 0, 0]), pd.Series([1.0, 1.0, 1.0, 1.0]))
    assert [(r.covariate, r.kind) for r in rows] == [("a", CONTINUOUS), ("b", BINARY)]
