"""The Theory of Change as a standalone, accessible SVG drawn on the server.

Columns run Activities | Outputs | Short | Medium | Long-term outcomes; the first row holds the
activities and outputs, then one row per level that has outcomes. Links are arrows, styled by
their evidence rating (thick solid for strong, solid for moderate, dashed for emerging, dotted
for none) and explained in a legend, so the styles do not depend on colour. The SVG has
``role="img"``, a ``<title>`` and a ``<desc>`` that lists every link in words. The same input
always gives the same bytes. Only presentation attributes are used (no ``<style>``), so it can be
inlined under a strict content security policy.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from xml.sax.saxutils import escape

from .graph import ACTIVITY, HORIZONS, LEVELS, OUTCOME, OUTPUT, Node, NodeId, TocGraph

# English labels; the Django layer passes translated ones (any key left out falls back here).
DEFAULT_LABELS: dict[str, str] = {
    "title": "Theory of Change",
    "summary": (
        "Activities: %(activities)s. Outputs: %(outputs)s. Outcomes: %(outcomes)s. "
        "Links: %(links)s."
    ),
    "link": "“%(source)s” leads to “%(target)s” (evidence: %(rating)s).",
    "activities": "Activities",
    "outputs": "Outputs",
    "short": "Short-term outcomes",
    "medium": "Medium-term outcomes",
    "long": "Long-term outcomes",
    "delivery": "Activities and outputs",
    "practitioners": "Practitioners",
    "organisations": "Organisations and systems",
    "beneficiaries": "End beneficiaries",
    "sector": "Sector-specific",
    "unplaced": "Outcomes without a level",
    "legend": "Evidence for each link",
    "strong": "Strong",
    "moderate": "Moderate",
    "emerging": "Emerging",
    "none": "None or assumed",
}

COLUMNS = ("activities", "outputs", *HORIZONS)
EVIDENCE_STYLES: dict[str, tuple[int, str]] = {  # stroke width, dash pattern
    "strong": (3, ""),
    "moderate": (2, ""),
    "emerging": (2, "8 5"),
    "none": (2, "2 4"),
}

MARGIN = 16
ROW_LABEL_WIDTH = 150
BOX_WIDTH = 176
COLUMN_GAP = 56
BOX_GAP = 12
CELL_PAD = 14
TEXT_PAD = 8
LINE_HEIGHT = 16
FONT_SIZE = 13
CHARS_PER_LINE = 24
LABEL_CHARS = 20
INK = "#0b0c0c"
FILLS = {ACTIVITY: "#d2e2f1", OUTPUT: "#f3f2f1", OUTCOME: "#ffffff"}

_ID_PREFIX = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class _Box:
    node: Node
    x: int
    y: int
    height: int
    lines: list[str]
    column: int


def render_svg(graph: TocGraph, *, labels: Mapping[str, str], id_prefix: str = "toc") -> str:
    """The diagram as an SVG document (a string). ``labels`` gives the column, row and legend
    labels and the title/description templates (see ``DEFAULT_LABELS``). ``id_prefix`` keeps
    ids unique when several diagrams share a page."""
    if not _ID_PREFIX.match(id_prefix):
        raise ValueError("id_prefix must be a letter followed by letters, digits, - or _")
    text = {**DEFAULT_LABELS, **labels}

    rows = _rows(graph)
    placed: dict[str, list[list[Node]]] = {row: [[] for _ in COLUMNS] for row in rows}
    for node in graph.nodes:
        where = _place(node)
        if where is not None:
            placed[where[0]][where[1]].append(node)

    header_lines = [_wrap(text[column], LABEL_CHARS + 4) for column in COLUMNS]
    header_height = max(len(lines) for lines in header_lines) * LINE_HEIGHT + 2 * TEXT_PAD
    grid_left = MARGIN + ROW_LABEL_WIDTH
    width = grid_left + len(COLUMNS) * (BOX_WIDTH + COLUMN_GAP) - COLUMN_GAP + MARGIN

    out: list[str] = []
    boxes: dict[NodeId, _Box] = {}
    y = MARGIN + header_height
    body: list[str] = []
    for row in rows:
        row_lines = _wrap(text[row], LABEL_CHARS)
        cells = placed[row]
        heights = [
            sum(_box_height(_wrap(n.title, CHARS_PER_LINE)) + BOX_GAP for n in cell) - BOX_GAP
            for cell in cells
            if cell
        ]
        row_height = max([len(row_lines) * LINE_HEIGHT, *heights]) + 2 * CELL_PAD
        body.append(
            f'<line x1="{MARGIN}" y1="{y}" x2="{width - MARGIN}" y2="{y}" '
            f'stroke="#b1b4b6" stroke-width="1"/>'
        )
        body.append(_text(MARGIN, y + CELL_PAD + FONT_SIZE, row_lines, bold=True))
        for column, cell in enumerate(cells):
            box_y = y + CELL_PAD
            x = grid_left + column * (BOX_WIDTH + COLUMN_GAP)
            for node in cell:
                lines = _wrap(node.title, CHARS_PER_LINE)
                box = _Box(node, x, box_y, _box_height(lines), lines, column)
                boxes[node.id] = box
                box_y += box.height + BOX_GAP
        y += row_height

    arrows: list[str] = []
    described: list[str] = []
    for edge in graph.edges:
        if edge.source not in boxes or edge.target not in boxes:
            continue
        rating = edge.evidence if edge.evidence in EVIDENCE_STYLES else "none"
        source, target = boxes[edge.source], boxes[edge.target]
        sentence = text["link"] % {
            "source": source.node.title,
            "target": target.node.title,
            "rating": text[rating],
        }
        described.append(sentence)
        arrows.append(_arrow(source, target, rating, f"{id_prefix}-arrow", sentence))

    legend_top = y + MARGIN
    legend, legend_height, legend_right = _legend(text, legend_top, f"{id_prefix}-arrow")
    height = legend_top + legend_height + MARGIN
    width = max(width, legend_right + MARGIN)

    counts = {
        "activities": sum(1 for n in graph.nodes if n.kind == ACTIVITY),
        "outputs": sum(1 for n in graph.nodes if n.kind == OUTPUT),
        "outcomes": sum(1 for n in graph.nodes if n.kind == OUTCOME),
        "links": len(arrows),
    }
    description = " ".join([text["summary"] % counts, *described])
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"

    out.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" font-family="Arial, Helvetica, sans-serif" '
        f'font-size="{FONT_SIZE}">'
    )
    out.append(f'<title id="{title_id}">{escape(text["title"])}</title>')
    out.append(f'<desc id="{desc_id}">{escape(description)}</desc>')
    out.append(
        f'<defs><marker id="{id_prefix}-arrow" viewBox="0 0 10 10" refX="9" refY="5" '
        f'markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" orient="auto">'
        f'<path d="M 0 0 L 10 5 L 0 10 z" fill="{INK}"/></marker></defs>'
    )
    out.append(f'<rect width="{width}" height="{height}" fill="#ffffff"/>')
    for column, lines in enumerate(header_lines):
        x = grid_left + column * (BOX_WIDTH + COLUMN_GAP)
        out.append(_text(x, MARGIN + TEXT_PAD + FONT_SIZE, lines, bold=True))
    out.extend(body)
    # Arrows under the boxes, so a link never hides a title; arrowheads end at box edges.
    out.append(f'<g fill="none" stroke="{INK}">{"".join(arrows)}</g>')
    out.extend(_draw_box(box) for box in boxes.values())
    out.extend(legend)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _rows(graph: TocGraph) -> list[str]:
    levels = {node.level for node in graph.nodes if node.kind == OUTCOME}
    rows = ["delivery", *(level for level in LEVELS if level in levels)]
    if any(node.kind == OUTCOME and node.level not in LEVELS for node in graph.nodes):
        rows.append("unplaced")
    return rows


def _place(node: Node) -> tuple[str, int] | None:
    if node.kind == ACTIVITY:
        return "delivery", 0
    if node.kind == OUTPUT:
        return "delivery", 1
    if node.kind == OUTCOME:
        row = node.level if node.level in LEVELS else "unplaced"
        column = 2 + (HORIZONS.index(node.horizon) if node.horizon in HORIZONS else 0)
        return row, column
    return None


def _wrap(value: str, width: int) -> list[str]:
    return textwrap.wrap(" ".join(value.split()), width, break_long_words=True) or [""]


def _box_height(lines: list[str]) -> int:
    return len(lines) * LINE_HEIGHT + 2 * TEXT_PAD


def _text(x: int, baseline: int, lines: list[str], *, bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    spans = "".join(
        f'<tspan x="{x}" dy="{0 if i == 0 else LINE_HEIGHT}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text x="{x}" y="{baseline}" fill="{INK}"{weight}>{spans}</text>'


def _draw_box(box: _Box) -> str:
    fill = FILLS.get(box.node.kind, "#ffffff")
    return (
        f"<g><title>{escape(box.node.title)}</title>"
        f'<rect x="{box.x}" y="{box.y}" width="{BOX_WIDTH}" height="{box.height}" rx="4" '
        f'fill="{fill}" stroke="{INK}" stroke-width="1"/>'
        + _text(box.x + TEXT_PAD, box.y + TEXT_PAD + FONT_SIZE - 1, box.lines)
        + "</g>"
    )


def _arrow(source: _Box, target: _Box, rating: str, marker: str, sentence: str) -> str:
    sy = source.y + source.height // 2
    ty = target.y + target.height // 2
    if target.column > source.column:
        sx, tx = source.x + BOX_WIDTH, target.x
        bend = max(20, (tx - sx) // 2)
        d = f"M {sx} {sy} C {sx + bend} {sy}, {tx - bend} {ty}, {tx} {ty}"
    elif target.column < source.column:
        sx, tx = source.x, target.x + BOX_WIDTH
        bend = max(20, (sx - tx) // 2)
        d = f"M {sx} {sy} C {sx - bend} {sy}, {tx + bend} {ty}, {tx} {ty}"
    else:  # same column: loop out to the right and back
        sx = tx = source.x + BOX_WIDTH
        bend = COLUMN_GAP * 2 // 3
        d = f"M {sx} {sy} C {sx + bend} {sy}, {tx + bend} {ty}, {tx} {ty}"
    width, dash = EVIDENCE_STYLES[rating]
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<path class="link link-{rating}" d="{d}" stroke-width="{width}"{dashes} '
        f'marker-end="url(#{marker})"><title>{escape(sentence)}</title></path>'
    )


def _legend(text: Mapping[str, str], top: int, marker: str) -> tuple[list[str], int, int]:
    """The legend's elements, its height and its right edge."""
    parts = [_text(MARGIN, top + FONT_SIZE, [text["legend"]], bold=True)]
    y = top + FONT_SIZE + LINE_HEIGHT
    x = MARGIN
    for rating in ("strong", "moderate", "emerging", "none"):
        width, dash = EVIDENCE_STYLES[rating]
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{x}" y1="{y}" x2="{x + 48}" y2="{y}" stroke="{INK}" '
            f'stroke-width="{width}"{dashes} marker-end="url(#{marker})"/>'
        )
        parts.append(_text(x + 58, y + 4, [text[rating]]))
        x += 58 + 8 * max(len(text[rating]), 8) + 24
    return parts, FONT_SIZE + LINE_HEIGHT + 8, x
