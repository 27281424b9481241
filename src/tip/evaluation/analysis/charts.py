"""The evaluation report's charts, drawn with matplotlib as SVG text that can sit inside a page or
a PDF: the means at each wave with their confidence intervals by group, effects with their
intervals (the change per instrument, subgroups), the shares of people who reliably improved,
did not change or got worse, and the attrition flow (boxes with the numbers at each wave).

Plain Python and matplotlib, no Django: every word on a chart (titles, labels, the text
alternative) comes in from the caller, already in the reader's language.

What every chart is made to be:

* deterministic: the same data give the same bytes (a fixed ``svg.hashsalt``, no date or
  software in the metadata), so reports can be compared and cached;
* readable without colour: the Okabe and Ito palette, which people with the common colour
  vision deficiencies can tell apart, plus a different marker and line style per group, and
  every number also in the data table the page puts after the chart;
* accessible: the ``<svg>`` has ``role="img"``, a ``<title>`` and a ``<desc>`` (the text
  alternative) that ``aria-labelledby`` points at, and ids prefixed with the chart's own id so
  several charts can share a page;
* allowed by the site's Content Security Policy, which refuses inline styles: matplotlib's
  ``style`` attributes and its ``<style>`` element become SVG presentation attributes.
"""

from __future__ import annotations

import base64
import io
import math
import re
import textwrap
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

__all__ = [
    "PALETTE",
    "FlowStage",
    "FlowWave",
    "Interval",
    "Series",
    "Shares",
    "Svg",
    "flow_chart",
    "interval_chart",
    "means_chart",
    "shares_chart",
]

# Okabe and Ito's colour-blind-safe palette (blue, vermilion, bluish green, reddish purple,
# orange, sky blue), then black.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
MARKERS = ("o", "s", "^", "D", "v", "P", "X")
LINESTYLES = ("-", "--", "-.", ":", "-", "--", "-.")
INK = "#0b0c0c"
MUTED = "#505a5f"
# The shares chart's three parts: improved, unchanged, worse.
SHARE_COLOURS = ("#009E73", "#b1b4b6", "#D55E00")
SHARE_HATCHES = ("", "", "//")

_RC: dict[str, Any] = {
    "svg.hashsalt": "tip-evaluation-report",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.edgecolor": INK,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "text.color": INK,
    "hatch.color": INK,
}
_FONT_FAMILY = "'DejaVu Sans', Arial, sans-serif"
# matplotlib keeps global state while drawing: one chart at a time in a process.
_lock = threading.Lock()

_STYLE_ATTR = re.compile(r'\sstyle="([^"]*)"')
_ID = re.compile(r'\bid="([^"]+)"')
_URL_REF = re.compile(r"url\(#([^)]+)\)")
_HREF = re.compile(r'((?:xlink:)?href)="#([^"]+)"')
_ROOT = re.compile(r"<svg\b([^>]*)>")
_SAFE_ID = re.compile(r"[^A-Za-z0-9_-]")
_GROUP_TAG = re.compile(r"<g\b([^>]*)>|</g>")
_BARE_GROUP = re.compile(r'\s*(?:id="([^"]*)")?\s*')


@dataclass(frozen=True)
class Svg:
    """A chart: the ``<svg>`` element (no XML prolog, ready to put in HTML), its title and its
    text alternative (also inside the SVG, as ``<title>`` and ``<desc>``)."""

    svg: str
    title: str
    description: str

    @property
    def data_uri(self) -> str:
        """The SVG as a ``data:`` URI, for an ``<img>`` in the PDF: WeasyPrint draws an image's
        SVG without styling each of its elements as part of the document, about a fifth of
        the time of a report's PDF (the page keeps the SVG inline)."""
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode("ascii")


@dataclass(frozen=True)
class Interval:
    """A figure with its confidence interval (either end may be None) and its n, at a label:
    a wave's mean, an instrument's effect size, a subgroup's change."""

    label: str
    value: float | None
    low: float | None = None
    high: float | None = None
    n: int = 0


@dataclass(frozen=True)
class Series:
    """One group's line on the means chart (for example the trained group)."""

    label: str
    points: tuple[Interval, ...]


@dataclass(frozen=True)
class Shares:
    """One bar of the shares chart: the percentages reliably improved, unchanged and worse."""

    label: str
    improved: float
    unchanged: float
    worse: float
    n: int = 0


@dataclass(frozen=True)
class FlowStage:
    """A box of the attrition flow: its label ("Responded") and count."""

    label: str
    count: int | None


@dataclass(frozen=True)
class FlowWave:
    """A column of the attrition flow: a wave (and group), its boxes from top to bottom."""

    label: str
    stages: tuple[FlowStage, ...]


# --- Drawing -----------------------------------------------------------------------------------


# Labels on the side of a chart wrap at this many characters, so long names fit.
LABEL_WIDTH = 34


def _wrap(label: str, width: int = LABEL_WIDTH) -> str:
    return "\n".join(textwrap.wrap(label, width)) or label


def _lines(labels: Sequence[str]) -> int:
    return sum(_wrap(label).count("\n") + 1 for label in labels)


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def _new_figure(width: float, height: float) -> Figure:
    figure = Figure(figsize=(width, height), dpi=72)
    figure.patch.set_facecolor("#ffffff")
    return figure


def _tidy(ax: Any) -> None:
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.set_facecolor("#ffffff")


def _empty(ax: Any, text: str) -> None:
    ax.set_axis_off()
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color=MUTED)


def means_chart(
    series: Sequence[Series],
    *,
    chart_id: str,
    title: str,
    description: str,
    y_label: str,
    empty: str = "",
) -> Svg:
    """Each group's mean at each wave (in the order of its points), with whiskers for the
    confidence interval; points without a mean are left out. Groups are told apart by colour,
    marker and line style, and named in the legend."""
    labels: list[str] = []
    for s in series:
        for p in s.points:
            if p.label not in labels:
                labels.append(p.label)
    figure = _new_figure(7.0, 3.6)
    ax = figure.add_subplot()
    _tidy(ax)
    drawn = False
    count = max(len(series), 1)
    for i, s in enumerate(series):
        # Nudge groups sideways so their whiskers do not overlap.
        shift = (i - (count - 1) / 2) * 0.08
        xs, ys, lows, highs = [], [], [], []
        for p in s.points:
            if not _finite(p.value):
                continue
            x = labels.index(p.label) + shift
            value = float(p.value)  # type: ignore[arg-type]
            xs.append(x)
            ys.append(value)
            lows.append(value - float(p.low) if _finite(p.low) else 0.0)  # type: ignore[arg-type]
            highs.append(float(p.high) - value if _finite(p.high) else 0.0)  # type: ignore[arg-type]
        if not xs:
            continue
        drawn = True
        ax.errorbar(
            xs,
            ys,
            yerr=[lows, highs],
            color=PALETTE[i % len(PALETTE)],
            marker=MARKERS[i % len(MARKERS)],
            linestyle=LINESTYLES[i % len(LINESTYLES)],
            linewidth=1.8,
            markersize=7,
            capsize=4,
            label=s.label,
        )
    if not drawn:
        _empty(ax, empty)
    else:
        ax.set_xticks(range(len(labels)), [_wrap(label, 16) for label in labels])
        ax.set_xlim(-0.5, len(labels) - 0.5)
        ax.set_ylabel(y_label)
        ax.legend(frameon=False, loc="best")
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
    figure.tight_layout()
    return _render(figure, chart_id=chart_id, title=title, description=description)


def interval_chart(
    rows: Sequence[Interval],
    *,
    chart_id: str,
    title: str,
    description: str,
    x_label: str,
    reference: float | None = 0.0,
    empty: str = "",
) -> Svg:
    """A dot and whisker for each row, top to bottom (an effect size and its confidence
    interval), with a dashed line at ``reference`` (no change). Rows without a value show
    their label only."""
    figure = _new_figure(
        7.0, 0.9 + 0.3 * max(len(rows), 1) + 0.16 * _lines([r.label for r in rows])
    )
    ax = figure.add_subplot()
    _tidy(ax)
    shown = [r for r in rows if _finite(r.value)]
    if not shown:
        _empty(ax, empty)
    else:
        positions = list(range(len(rows)))[::-1]
        for y, row in zip(positions, rows, strict=True):
            if not _finite(row.value):
                continue
            value = float(row.value)  # type: ignore[arg-type]
            low = float(row.low) if _finite(row.low) else value  # type: ignore[arg-type]
            high = float(row.high) if _finite(row.high) else value  # type: ignore[arg-type]
            ax.plot([low, high], [y, y], color=PALETTE[0], linewidth=2)
            ax.plot([value], [y], marker="D", color=PALETTE[0], markersize=7)
        if reference is not None:
            ax.axvline(reference, color=MUTED, linestyle="--", linewidth=1)
        ax.set_yticks(positions, [_wrap(r.label) for r in rows])
        ax.set_ylim(-0.7, len(rows) - 0.3)
        ax.set_xlabel(x_label)
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
    figure.tight_layout()
    return _render(figure, chart_id=chart_id, title=title, description=description)


def shares_chart(
    rows: Sequence[Shares],
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: tuple[str, str, str],
    x_label: str,
    empty: str = "",
) -> Svg:
    """One horizontal bar per row, split into the percentages reliably improved, unchanged and
    worse (``categories`` names them in that order); each part is labelled with its percentage
    when it is wide enough, and "worse" is hatched too, so the parts differ without colour."""
    figure = _new_figure(
        7.0, 1.3 + 0.35 * max(len(rows), 1) + 0.16 * _lines([r.label for r in rows])
    )
    ax = figure.add_subplot()
    _tidy(ax)
    if not rows:
        _empty(ax, empty)
    else:
        positions = list(range(len(rows)))[::-1]
        left = [0.0] * len(rows)
        for k, name in enumerate(categories):
            widths = [(r.improved, r.unchanged, r.worse)[k] for r in rows]
            bars = ax.barh(
                positions,
                widths,
                left=left,
                height=0.6,
                color=SHARE_COLOURS[k],
                edgecolor=INK,
                linewidth=0.6,
                hatch=SHARE_HATCHES[k] or None,
                label=name,
            )
            for bar, width in zip(bars, widths, strict=True):
                if width >= 8:
                    ax.text(
                        bar.get_x() + width / 2,
                        bar.get_y() + bar.get_height() / 2,
                        f"{width:.0f}%",
                        ha="center",
                        va="center",
                        color="#ffffff" if k != 1 else INK,
                        fontsize=9,
                        fontweight="bold",
                    )
            left = [a + b for a, b in zip(left, widths, strict=True)]
        ax.set_yticks(positions, [_wrap(r.label) for r in rows])
        ax.set_xlim(0, 100)
        ax.set_xlabel(x_label)
        ax.legend(
            frameon=False, ncols=3, loc="upper center", bbox_to_anchor=(0.5, -0.35), fontsize=9
        )
    figure.tight_layout()
    return _render(figure, chart_id=chart_id, title=title, description=description)


def flow_chart(
    waves: Sequence[FlowWave],
    *,
    chart_id: str,
    title: str,
    description: str,
    missing: str = "–",
    empty: str = "",
) -> Svg:
    """The attrition flow: a column of boxes per wave (top to bottom: invited, responded,
    linked, analysed, or whatever stages are given), each with its label and count, and arrows
    down the column."""
    columns = max(len(waves), 1)
    depth = max((len(w.stages) for w in waves), default=1)
    figure = _new_figure(max(7.0, 1.75 * columns), 0.6 + 0.95 * depth)
    ax = figure.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_axis_off()
    if not waves:
        _empty(ax, empty)
        return _render(figure, chart_id=chart_id, title=title, description=description)
    ax.set_xlim(0, columns)
    ax.set_ylim(-depth - 0.1, 0.6)
    for c, wave in enumerate(waves):
        centre = c + 0.5
        ax.text(centre, 0.3, _wrap(wave.label, 18), ha="center", va="center", fontweight="bold")
        for r, stage in enumerate(wave.stages):
            top = -r - 0.1
            box = FancyBboxPatch(
                (c + 0.08, top - 0.62),
                0.84,
                0.62,
                boxstyle="round,pad=0,rounding_size=0.05",
                facecolor="#f3f2f1",
                edgecolor=PALETTE[0],
                linewidth=1.2,
            )
            ax.add_patch(box)
            count = missing if stage.count is None else f"{stage.count:,}"
            ax.text(centre, top - 0.2, stage.label, ha="center", va="center", fontsize=9)
            ax.text(
                centre, top - 0.45, count, ha="center", va="center", fontsize=12, fontweight="bold"
            )
            if r + 1 < len(wave.stages):
                ax.add_patch(
                    FancyArrowPatch(
                        (centre, top - 0.64),
                        (centre, top - 1.08),
                        arrowstyle="-|>",
                        mutation_scale=16,
                        color=INK,
                        linewidth=1,
                    )
                )
    return _render(figure, chart_id=chart_id, title=title, description=description)


# --- SVG text ----------------------------------------------------------------------------------


def _render(figure: Figure, *, chart_id: str, title: str, description: str) -> Svg:
    buffer = io.StringIO()
    with _lock, matplotlib.rc_context(_RC):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = _accessible(buffer.getvalue(), chart_id=chart_id, title=title, description=description)
    return Svg(svg=svg, title=title, description=description)


def _presentation(match: re.Match[str]) -> str:
    """A ``style="a: b; c: d"`` attribute as ``a="b" c="d"`` (SVG presentation attributes)."""
    out = []
    for declaration in match[1].split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if not name:
            continue
        if name == "font-family":
            value = _FONT_FAMILY
        out.append(f' {name}="{escape(value, quote=True)}"')
    return "".join(out)


def _unwrap_groups(svg: str) -> str:
    """The SVG without the groups that change nothing: matplotlib wraps every artist, tick and
    label in a ``<g>`` with only a name (``id``), often two deep. Drawing is the same without
    them, and a page or PDF with many charts has a third fewer elements to style and lay out
    (the PDF renderer's time grows with them). Groups with any other attribute (a transform, a
    clip path, styles their children inherit) or whose id something refers to are kept."""
    referred = set(_URL_REF.findall(svg)) | {m[2] for m in _HREF.finditer(svg)}
    out: list[str] = []
    kept: list[bool] = []
    position = 0
    for match in _GROUP_TAG.finditer(svg):
        out.append(svg[position : match.start()])
        position = match.end()
        if match[1] is None:  # </g>
            if kept.pop():
                out.append(match[0])
            continue
        if match[1].endswith("/"):  # an empty group, <g/>: nothing to unwrap
            out.append(match[0])
            continue
        bare = _BARE_GROUP.fullmatch(match[1])
        keep = bare is None or (bare[1] is not None and bare[1] in referred)
        kept.append(keep)
        if keep:
            out.append(match[0])
    out.append(svg[position:])
    # The lines the dropped tags stood on.
    return re.sub(r"\n[ \t]*(?=\n)", "", "".join(out))


def _accessible(svg: str, *, chart_id: str, title: str, description: str) -> str:
    prefix = _SAFE_ID.sub("-", chart_id) or "chart"
    start = svg.index("<svg")
    svg = svg[start:]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.DOTALL)
    svg = re.sub(r"\s*<style[^>]*>.*?</style>", "", svg, flags=re.DOTALL)
    svg = re.sub(r"\s*<defs>\s*</defs>", "", svg)
    svg = _unwrap_groups(svg)
    svg = _STYLE_ATTR.sub(_presentation, svg)
    svg = _ID.sub(lambda m: f'id="{prefix}-{m[1]}"', svg)
    svg = _URL_REF.sub(lambda m: f"url(#{prefix}-{m[1]})", svg)
    svg = _HREF.sub(lambda m: f'{m[1]}="#{prefix}-{m[2]}"', svg)
    # Trailing spaces matplotlib leaves at the ends of path lines.
    svg = re.sub(r"[ \t]+\n", "\n", svg)
    root = _ROOT.search(svg)
    assert root is not None
    # As wide as its container (the viewBox keeps its shape), so it never overflows a narrow
    # screen; the PDF gives it the page's width in the same way.
    attributes = re.sub(r'\s(?:width|height)="[^"]*"', "", root[1]).replace(' version="1.1"', "")
    attributes += ' width="100%"'
    opening = (
        f'<svg{attributes} role="img" class="tip-chart" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" '
        'stroke-linejoin="round" stroke-linecap="butt">'
        f'\n <title id="{prefix}-title">{escape(title)}</title>'
        f'\n <desc id="{prefix}-desc">{escape(description)}</desc>'
    )
    return svg[: root.start()] + opening + svg[root.end() :].rstrip() + "\n"
