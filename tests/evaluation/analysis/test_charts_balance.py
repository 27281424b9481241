"""The Love plot: deterministic SVG with its text alternative, the 0.1 line and one marker per
figure, and a chart (not an error) when there is nothing to show."""

from __future__ import annotations

from tip.evaluation.analysis.balance import BalanceRow
from tip.evaluation.analysis.charts_balance import describe_love_plot, love_plot


def _row(
    name: str, before: float | None, after: float | None, kind: str = "continuous"
) -> BalanceRow:
    return BalanceRow(name, kind, None, None, None, None, before, after, None, None)


ROWS = (
    _row("distance", 1.79, 0.97, "distance"),
    _row("age", -0.31, 0.07),
    _row("married", -0.83, -0.055, "binary"),
    _row("re74", -0.72, None),
)


def test_love_plot_is_deterministic_accessible_svg() -> None:
    first = love_plot(ROWS, title="Balance before and after matching")
    assert first == love_plot(ROWS, title="Balance before and after matching")
    assert first.startswith("<svg") and 'role="img"' in first
    assert '<title id="love-plot-title">Balance before and after matching</title>' in first
    assert describe_love_plot(ROWS) in first
    assert "Before matching" in first and "After matching" in first
    assert "style=" not in first  # presentation attributes only (CSP)


def test_description_counts_threshold_crossings() -> None:
    text = describe_love_plot(ROWS)
    # distance is not a covariate; age, married, re74 all above 0.1 before; age and married
    # are below after, re74 has no after figure.
    assert "for 3 covariates" in text
    assert "Before matching 3" in text and "after matching 0 do" in text
    assert "age (0.07)" in text


def test_empty_balance_still_draws() -> None:
    svg = love_plot((), title="Balance")
    assert "<svg" in svg and "There are no balance figures to show." in svg
