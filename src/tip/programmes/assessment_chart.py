"""The self-assessment progress chart, drawn on the server as an SVG that screen readers can
read: one stacked bar per assessment, counting the components at each level. Every number is
written on the chart and the same figures are in a table beside it, so nothing relies on colour."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

LEVEL_FILLS = {
    "not_started": "#b1b4b6",
    "planning": "#ffdd00",
    "developing": "#5694ca",
    "embedded": "#00703c",
}
LEVEL_TEXT = {
    "not_started": "#0b0c0c",
    "planning": "#0b0c0c",
    "developing": "#0b0c0c",
    "embedded": "#ffffff",
}

BAR_WIDTH = 600
LABEL_HEIGHT = 20  # each bar's label sits on its own line above the bar, so long names fit
BAR_HEIGHT = 28
GAP = 14
TOP = 40
ROW = LABEL_HEIGHT + BAR_HEIGHT + GAP


@dataclass(frozen=True)
class Bar:
    label: str  # "Northshire Police, 3 March 2026"
    counts: dict[str, int]  # level -> number of components


def render_svg(
    bars: list[Bar], *, levels: dict[str, str], title: str, description: str, empty: str
) -> str:
    """The chart as SVG markup. ``levels`` maps each level to its name in the reader's
    language, in the order the segments are drawn."""
    height = TOP + max(len(bars), 1) * ROW
    width = BAR_WIDTH + 20
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="tip-chart" '
        f'viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="assessment-chart-title assessment-chart-desc">',
        f'<title id="assessment-chart-title">{escape(title)}</title>',
        f'<desc id="assessment-chart-desc">{escape(description)}</desc>',
    ]
    # The legend: a swatch and the level's name, so colours are explained in words.
    x = 0
    for level, name in levels.items():
        out.append(
            f'<rect x="{x}" y="8" width="14" height="14" fill="{LEVEL_FILLS[level]}" '
            f'stroke="#0b0c0c"/><text x="{x + 20}" y="20" font-size="14">{escape(name)}</text>'
        )
        x += 24 + 8 * len(name)
    if not bars:
        out.append(f'<text x="0" y="{TOP + 20}" font-size="16">{escape(empty)}</text>')
    for index, bar in enumerate(bars):
        label_y = TOP + index * ROW + 14
        y = TOP + index * ROW + LABEL_HEIGHT
        total = sum(bar.counts.values()) or 1
        out.append(f'<text x="0" y="{label_y}" font-size="14">{escape(bar.label)}</text>')
        x0 = 0.0
        for level in levels:
            count = bar.counts.get(level, 0)
            if not count:
                continue
            w = BAR_WIDTH * count / total
            out.append(
                f'<rect x="{x0:.1f}" y="{y}" width="{w:.1f}" height="{BAR_HEIGHT}" '
                f'fill="{LEVEL_FILLS[level]}" stroke="#ffffff"/>'
            )
            out.append(
                f'<text x="{x0 + w / 2:.1f}" y="{y + BAR_HEIGHT * 0.65:.0f}" font-size="14" '
                f'text-anchor="middle" fill="{LEVEL_TEXT[level]}">{count}</text>'
            )
            x0 += w
    out.append("</svg>")
    return "".join(out)
