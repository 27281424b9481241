"""A programme's Theory of Change to read, print and share: a tagged PDF, the diagram as a PNG
image, and a spreadsheet (XLSX). JSON and CSV are in `interchange_services`.

* The PDF is rendered by WeasyPrint from `programmes/export_pdf.html`, as PDF/UA-1: tagged
  (headings, lists, tables, the diagram as a figure with its title as alternative text), with the
  reader's language and the programme's name as its title. Everything is drawn from the page's
  own HTML: WeasyPrint is not allowed to fetch any URL or file.
* The PNG is the programme page's SVG diagram, laid on a page of its own size by WeasyPrint and
  rasterised by PDFium (the pypdfium2 wheel bundles it), so it uses the same fonts as the PDF.
* The XLSX is the CSV export on three sheets (elements, links, indicators), with its columns and
  refs, every cell text, and cells a spreadsheet would run as formulas neutralised as in the CSV.

Each export reads the database in a fixed number of queries, whatever the programme's size.
WeasyPrint needs Pango and fonts from the system (scripts/ensure-pdf-deps.sh installs them).
"""

from __future__ import annotations

import csv
import io
import math
import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tip.programmes import analysis, selectors
from tip.programmes.interchange_services import CSV_COLUMNS, csv_safe, programme_export_csv
from tip.programmes.models import Programme

PDF_VARIANT = "pdf/ua-1"
# The PNG is drawn at twice the diagram's CSS pixels, for sharp slides and print, unless that
# would pass this many pixels; then it is scaled down to fit (a 100-element diagram stays sharp).
PNG_DENSITY = 2
PNG_MAX_PIXELS = 30_000_000
CSS_PX_PER_PT = 96 / 72

# The spreadsheet's sheets: (sheet, the CSV export's columns it has).
XLSX_SHEETS: dict[str, tuple[str, ...]] = {
    "elements": ("ref", "kind", "title", "description", "level", "horizon", "outcome_code"),
    "links": ("source", "target", "rationale", "evidence", "evidence_source"),
    "indicators": ("outcome", "what", "how", "from_whom", "when"),
}
assert all(set(columns) <= set(CSV_COLUMNS) for columns in XLSX_SHEETS.values())

# Characters an XLSX file cannot hold (control characters other than tab and line breaks).
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SVG_SIZE = re.compile(r'<svg\b[^>]*?\bwidth="(\d+)"[^>]*?\bheight="(\d+)"')
_SVG_DESC = re.compile(r"<desc\b[^>]*>(.*?)</desc>", re.DOTALL)

# PDFium is not thread-safe: one rendering at a time in a process.
_pdfium_lock = threading.Lock()


def filename(name: str, extension: str, *, suffix: str = "theory-of-change") -> str:
    """'safer-streets-theory-of-change.pdf': the file name a download is saved under."""
    return f"{slugify(name) or 'programme'}-{suffix}.{extension}"


# --- Rendering ---------------------------------------------------------------------------------


def _refuse_fetching() -> Any:
    """A WeasyPrint URL fetcher that fetches nothing: exports are drawn from their HTML alone."""
    from weasyprint import URLFetcher

    return URLFetcher(allowed_protocols=())


def html_to_pdf(html: str) -> bytes:
    """An HTML document (with its styles inline) as a tagged PDF/UA-1 file."""
    from weasyprint import HTML

    document = HTML(string=html, url_fetcher=_refuse_fetching())
    pdf: bytes = document.write_pdf(pdf_variant=PDF_VARIANT)
    return pdf


def svg_size(svg: str) -> tuple[int, int]:
    """The width and height, in CSS pixels, that the diagram's SVG declares."""
    match = _SVG_SIZE.search(svg)
    if match is None:
        raise ValueError("The SVG does not declare a width and height in pixels.")
    return int(match[1]), int(match[2])


def svg_to_png(svg: str, *, title: str, language: str = "en") -> bytes:
    """A standalone SVG (the diagram) as a PNG image at PNG_DENSITY, with its title and the
    SVG's description (every link, in words) written into the image's text chunks."""
    from PIL.PngImagePlugin import PngInfo

    width, height = svg_size(svg)
    page = render_to_string(
        "programmes/export_png.html",
        {"svg": svg, "width": width, "height": height, "title": title, "language": language},
    )
    pdf = html_to_pdf(page)
    density = min(float(PNG_DENSITY), math.sqrt(PNG_MAX_PIXELS / (width * height)))
    image = _rasterise(pdf, scale=density * CSS_PX_PER_PT)
    info = PngInfo()
    info.add_itxt("Title", title, lang=language)
    desc = _SVG_DESC.search(svg)
    if desc:
        from html import unescape

        info.add_itxt("Description", unescape(desc[1]), lang=language)
    info.add_text("Software", "TIP")
    out = io.BytesIO()
    dpi = round(96 * density)
    image.save(out, format="PNG", pnginfo=info, dpi=(dpi, dpi), optimize=False)
    return out.getvalue()


def _rasterise(pdf: bytes, *, scale: float) -> Any:
    """The first page of a PDF as a Pillow image (RGB), `scale` pixels per point."""
    import pypdfium2

    with _pdfium_lock:
        document = pypdfium2.PdfDocument(pdf)
        try:
            page = document[0]
            try:
                bitmap = page.render(scale=scale)
                return bitmap.to_pil()
            finally:
                page.close()
        finally:
            document.close()


# --- What the PDF shows ------------------------------------------------------------------------


@dataclass(frozen=True)
class PdfSection:
    """A section another part of TIP adds to the PDF: its template (included where the
    programme's content ends) and that template's context."""

    template: str
    context: Mapping[str, Any]


# Hooks for more sections: each takes the programme and returns a section, or None to add
# nothing. The readiness check's report is one (`readiness_section`).
SectionHook = Callable[[Programme], PdfSection | None]


def readiness_section(programme: Programme) -> PdfSection | None:
    """The readiness check's report (`tip.programmes.readiness`), laid out as on its page."""
    # The readiness page's own layout of the report, so the PDF says what the page says.
    from tip.programmes.views_readiness import report_context

    return PdfSection("programmes/includes/export_readiness.html", report_context(programme))


# The sections every PDF ends with. The readiness check costs one query per fact provider, which
# is why the PDF has its own query bound in tests/routes.py.
SECTION_HOOKS: list[SectionHook] = [readiness_section]


# The room for the diagram on an A4 page, in millimetres (the template's margins and heading).
_PORTRAIT_ROOM = (178.0, 230.0)
_LANDSCAPE_ROOM = (265.0, 145.0)


def diagram_orientation(width: int, height: int) -> str:
    """'landscape' or 'portrait': the way an A4 page shows a diagram of this size larger."""

    def scale(room: tuple[float, float]) -> float:
        return min(room[0] / width, room[1] / height)

    return "landscape" if scale(_LANDSCAPE_ROOM) >= scale(_PORTRAIT_ROOM) else "portrait"


def pdf_context(
    *,
    programme: Programme,
    diagram_labels: Mapping[str, str],
    partnership_name: str = "",
    section_hooks: Iterable[SectionHook] | None = None,
) -> dict[str, Any]:
    """Everything `programmes/export_pdf.html` shows, read in a fixed number of queries."""
    toc = selectors.theory_of_change(programme=programme)
    graph = selectors.graph_of(toc)
    problems = [problem.render(_) for problem in analysis.validate(graph)]
    hooks = SECTION_HOOKS if section_hooks is None else section_hooks
    sections = [section for hook in hooks if (section := hook(programme)) is not None]
    diagram = analysis.render_svg(graph, labels=diagram_labels, id_prefix="pdf-toc")
    return {
        "programme": programme,
        "partnership_name": partnership_name,
        "language": get_language() or "en",
        "exported_at": timezone.localtime(),
        "toc": toc,
        "chain": toc.chain(),
        "details": selectors.programme_details(programme=programme),
        "questions": list(selectors.question_list(programme=programme)),
        "warnings": [*problems, *analysis.warnings(graph, gettext=_)],
        "diagram": diagram,
        "diagram_orientation": diagram_orientation(*svg_size(diagram)),
        "sections": sections,
    }


def programme_pdf(
    *,
    programme: Programme,
    diagram_labels: Mapping[str, str],
    partnership_name: str = "",
    section_hooks: Iterable[SectionHook] | None = None,
) -> bytes:
    """The programme's Theory of Change as a tagged PDF, in the active language."""
    context = pdf_context(
        programme=programme,
        diagram_labels=diagram_labels,
        partnership_name=partnership_name,
        section_hooks=section_hooks,
    )
    return html_to_pdf(render_to_string("programmes/export_pdf.html", context))


def programme_png(*, programme: Programme, diagram_labels: Mapping[str, str]) -> bytes:
    """The programme's Theory of Change diagram as a PNG image: two queries and a rendering."""
    svg = analysis.render_svg(
        selectors.toc_graph(programme=programme), labels=diagram_labels, id_prefix="png-toc"
    )
    title = _("%(programme)s: Theory of Change") % {"programme": programme.name}
    return svg_to_png(svg, title=title, language=get_language() or "en")


# --- The spreadsheet ---------------------------------------------------------------------------


def cell_text(value: str) -> str:
    """A value as a spreadsheet cell should hold it: never a formula (as in the CSV export),
    and without the control characters an XLSX file cannot hold."""
    return csv_safe(_ILLEGAL_XML.sub("", value))


def csv_records(content: bytes) -> dict[str, list[tuple[str, ...]]]:
    """The CSV export's rows, by record ("element", "link", "indicator"), each holding its
    sheet's columns (XLSX_SHEETS)."""
    reader = csv.DictReader(io.StringIO(content.decode("utf-8-sig")))
    records: dict[str, list[tuple[str, ...]]] = {key: [] for key in XLSX_SHEETS}
    for row in reader:
        key = f"{row['record']}s"
        records[key].append(tuple(row[column] for column in XLSX_SHEETS[key]))
    return records


def records_xlsx(records: Mapping[str, Iterable[Sequence[str]]], *, title: str) -> bytes:
    """A workbook with a sheet each for elements, links and indicators, headed by the CSV
    export's column names; every cell is text (see `cell_text`)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    titles = {"elements": _("Elements"), "links": _("Links"), "indicators": _("Indicators")}
    widths = {"title": 48, "description": 60, "rationale": 60, "what": 40, "how": 40}
    workbook = Workbook(write_only=True)
    workbook.properties.title = title
    workbook.properties.creator = "TIP"
    workbook.properties.language = get_language() or "en"
    bold = Font(bold=True)
    for key, columns in XLSX_SHEETS.items():
        sheet = workbook.create_sheet(_sheet_title(titles[key]))
        sheet.freeze_panes = "A2"
        for number, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(number)].width = widths.get(column, 16)
        header = []
        for column in columns:
            cell = WriteOnlyCell(sheet, value=column)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in records.get(key, ()):
            sheet.append([_text_cell(sheet, value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _text_cell(sheet: Any, value: str) -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=cell_text(value))
    # Text, whatever it starts with: openpyxl would otherwise store "=..." as a formula.
    cell.data_type = "s"
    return cell


def _sheet_title(title: str) -> str:
    """A sheet's name as Excel allows it: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31]


def programme_xlsx(*, programme: Programme) -> bytes:
    """The CSV export as a workbook: its element, link and indicator rows on a sheet each, with
    the same columns and refs, so the two exports always agree."""
    records = csv_records(programme_export_csv(programme=programme))
    title = _("%(programme)s: Theory of Change") % {"programme": programme.name}
    return records_xlsx(records, title=title)
