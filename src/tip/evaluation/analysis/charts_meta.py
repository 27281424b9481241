"""The forest plot of a meta-analysis: each partnership's effect size with its 95% interval
(the square's area in proportion to its random-effects weight, down to a smallest size), and
the pooled estimate as a diamond, drawn with matplotlib's Agg backend as SVG text.

The SVG is deterministic (a fixed hash salt, no date in its metadata), so the same result draws
the same bytes; every page that shows it follows it with its data table, and
``describe_forest_plot`` gives the text alternative.
"""

from __future__ import annotations

import io
import math
import textwrap

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure
from matplotlib.patches import Polygon

from .meta import MetaResult
from .results import Note, gettext_noop

__all__ = ["describe_forest_plot", "forest_figure", "forest_plot", "forest_plot_note"]

INK = "#0b0c0c"
BLUE = "#1d70b8"
GREY = "#505a5f"
LABEL_WIDTH = 40
MAX_MARKER = 14.0
MIN_MARKER = 3.0


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _label(text: str) -> str:
    # Long names (a partnership and its programme) wrap rather than squeeze the plot.
    return textwrap.fill(text, LABEL_WIDTH)


def forest_figure(
    result: MetaResult, *, effect_label: str = "Hedges' g", title: str = ""
) -> Figure:
    """The forest plot as a matplotlib Figure (no pyplot state, so safe in a web process)."""
    rows = list(result.studies)
    lines = sum(_label(r.label).count("\n") + 1 for r in rows)
    height = 1.4 + 0.3 * (max(lines, len(rows)) + 2)
    fig = Figure(figsize=(7.5, height))
    ax = fig.add_subplot()
    positions = list(range(len(rows) + 1, 1, -1))
    max_weight = max((r.weight_random or 0.0) for r in rows) or 1.0
    for y, row in zip(positions, rows, strict=True):
        ax.plot([row.ci_low, row.ci_high], [y, y], color=INK, linewidth=1)
        # The square's area in proportion to the weight, with a smallest size that still shows.
        size = max(
            MIN_MARKER, MAX_MARKER * math.sqrt((row.weight_random or max_weight) / max_weight)
        )
        ax.plot(row.effect, y, marker="s", markersize=size, color=BLUE, linestyle="none")
    labels = [_label(r.label) for r in rows]
    ticks: list[float] = [float(p) for p in positions]
    pooled = result.pooled
    if result.pooled_ok and pooled.value is not None:
        low = pooled.value if pooled.ci_low is None else pooled.ci_low
        high = pooled.value if pooled.ci_high is None else pooled.ci_high
        diamond = Polygon(
            [(low, 0.6), (pooled.value, 0.85), (high, 0.6), (pooled.value, 0.35)],
            closed=True,
            color=INK,
        )
        ax.add_patch(diamond)
        ticks.append(0.6)
        labels.append(f"Pooled ({result.method_code.upper()})")
    ax.axvline(0, color=GREY, linewidth=1, linestyle="--")
    ax.set_yticks(ticks)
    ax.set_yticklabels(labels)
    ax.set_ylim(0, len(rows) + 2)
    ax.set_xlabel(f"{effect_label} (95% confidence interval)")
    if title:
        ax.set_title(title, loc="left")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return fig


def forest_plot(result: MetaResult, *, effect_label: str = "Hedges' g", title: str = "") -> str:
    """SVG text of the forest plot: one row per partnership (label, square sized by its
    random-effects weight, and its 95% interval), the pooled diamond at the foot when something
    was pooled, and a dashed line at 0."""
    with matplotlib.rc_context({"svg.hashsalt": "tip-forest", "svg.fonttype": "none"}):
        fig = forest_figure(result, effect_label=effect_label, title=title)
        out = io.StringIO()
        fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    return out.getvalue()


def describe_forest_plot(result: MetaResult, *, effect_label: str = "Hedges' g") -> str:
    """A text alternative for the forest plot: what it shows, the pooled result and the range of
    the partnerships' own results (the data table that follows the chart gives every figure)."""
    return str(forest_plot_note(result, effect_label=effect_label))


def forest_plot_note(result: MetaResult, *, effect_label: str = "Hedges' g") -> Note:
    """``describe_forest_plot``'s text as a Note (template and values), for translation."""
    effects = [r.effect for r in result.studies]
    if not result.pooled_ok or result.pooled.value is None:
        return Note(
            gettext_noop(
                "Forest plot of %(k)s partnership result(s) of %(label)s; nothing is pooled."
            ),
            {"k": result.k, "label": effect_label},
        )
    return Note(
        gettext_noop(
            "Forest plot of %(label)s in %(k)s partnerships, from %(low)s to %(high)s. "
            "Pooled estimate %(value)s (95%% confidence interval %(ci_low)s to %(ci_high)s); "
            "I squared %(i2)s%%, tau squared %(tau2)s."
        ),
        {
            "label": effect_label,
            "k": result.k,
            "low": _fmt(min(effects)),
            "high": _fmt(max(effects)),
            "value": _fmt(result.pooled.value),
            "ci_low": _fmt(result.pooled.ci_low),
            "ci_high": _fmt(result.pooled.ci_high),
            "i2": "-" if result.i2 is None else f"{result.i2:.0f}",
            "tau2": "-" if result.tau2 is None else f"{result.tau2:.3f}",
        },
    )
