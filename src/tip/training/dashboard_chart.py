"""The delivery dashboard's charts, drawn on the server as SVG (no JavaScript): horizontal bars,
each labelled on its own line above the bar with its number written beside it, and, for
progress against a target, an outlined bar for the target behind the filled one. The same
numbers are in a table beside every chart, so nothing relies on the picture or its colours."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

# Narrow, so the chart in half a column is drawn near its own size and its text stays legible.
BAR_WIDTH = 240
TEXT_SPACE = 150  # room right of the longest bar for its number ("fewer than 5 of 120")
LABEL_HEIGHT = 20
BAR_HEIGHT = 24
GAP = 12
TOP = 8
ROW = LABEL_HEIGHT + BAR_HEIGHT + GAP
FILL = "#1d70b8"
TARGET_STROKE = "#0b0c0c"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: withheld or not known, so no bar is drawn
    text: str  # what is written beside the bar: the same figure as the table's
    target: float | None = None


def render_bars(bars: list[Bar], *, chart_id: str, title: str, description: str, empty: str) -> str:
    """The chart as SVG markup; ``chart_id`` makes the title's and description's ids unique
    on the page."""
    scale = max([b.value or 0 for b in bars] + [b.target or 0 for b in bars] + [1])
    height = TOP + max(len(bars), 1) * ROW
    width = BAR_WIDTH + TEXT_SPACE
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="tip-chart" '
        f'viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    if not bars:
        out.append(f'<text x="0" y="{TOP + 20}" font-size="16">{escape(empty)}</text>')
    for index, bar in enumerate(bars):
        label_y = TOP + index * ROW + 14
        y = TOP + index * ROW + LABEL_HEIGHT
        out.append(f'<text x="0" y="{label_y}" font-size="14">{escape(bar.label)}</text>')
        end = 0.0
        if bar.target:
            w = BAR_WIDTH * bar.target / scale
            out.append(
                f'<rect x="0" y="{y}" width="{w:.1f}" height="{BAR_HEIGHT}" fill="#ffffff" '
                f'stroke="{TARGET_STROKE}" stroke-dasharray="4 2"/>'
            )
            end = max(end, w)
        if bar.value:
            w = BAR_WIDTH * bar.value / scale
            out.append(
                f'<rect x="0" y="{y + 3}" width="{w:.1f}" height="{BAR_HEIGHT - 6}" fill="{FILL}"/>'
            )
            end = max(end, w)
        out.append(
            f'<text x="{end + 6:.1f}" y="{y + BAR_HEIGHT * 0.7:.0f}" font-size="14">'
            f"{escape(bar.text)}</text>"
        )
    out.append("</svg>")
    return "".join(out)
