"""The PDF, PNG and XLSX exports of a Theory of Change: each is a real file of its kind, shows the
programme's content, is scoped to the partnership, and the spreadsheet runs no formula."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from tests.conftest import World, signed_in_client
from tests.programmes.test_interchange import build_programme
from tip.core.models import AuditEntry
from tip.core.roles import Role
from tip.programmes import analysis, exports, services
from tip.programmes.interchange_services import programme_export_csv
from tip.programmes.models import Element, Link, Programme
from tip.programmes.views import diagram_labels
from tip.programmes.views_readiness import report_context

ROUTES = ("programme-export-pdf", "programme-export-png", "programme-export-xlsx")


def _get(client: Client, route: str, programme: Programme) -> Any:
    return client.get(reverse(f"programmes:{route}", kwargs={"programme_id": programme.pk}))


def _lead(world: World) -> Client:
    return signed_in_client(world.user(Role.PROGRAMME_LEAD))


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    # Lines wrap in table cells: join them so phrases can be found whole.
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


# --- PDF ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_pdf_is_a_tagged_pdf_with_the_whole_theory_of_change(world_a: World) -> None:
    programme = build_programme(world_a)
    response = _get(_lead(world_a), "programme-export-pdf", programme)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="safer-streets-theory-of-change.pdf"'
    )
    assert response.content.startswith(b"%PDF-1.7")
    text = _pdf_text(response.content)
    for expected in (
        "Safer Streets",
        "Fewer young people harmed.",
        "Activity 0",
        "Output 4",
        "Outcome 0 – Welsh: Canlyniad ŵy",  # Welsh letters survive
        "Because Activity 1 leads on",  # a link's rationale
        "Smith et al. 2021",  # a link's source of evidence
        "On link 1",  # a note on a link
        "Measure 2",  # an indicator
        "Did practitioners' confidence grow?",  # an accepted evaluation question
    ):
        assert expected in text, expected
    assert "Our own question" not in text  # dismissed
    for title in Element.objects.filter(programme=programme).values_list("title", flat=True):
        assert title in text

    reader = PdfReader(io.BytesIO(response.content))
    assert reader.metadata is not None
    assert reader.metadata.title == "Safer Streets: Theory of Change"
    assert reader.metadata.author == world_a.partnership.name
    catalog: Any = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en"
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in catalog
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    xmp = catalog["/Metadata"].get_object().get_data()
    assert b"pdfuaid:part" in xmp  # identifies itself as PDF/UA-1
    # The diagram is a figure whose alternative text is its title.
    tags = str(_struct_types(catalog["/StructTreeRoot"]))
    for tag in ("/H1", "/H2", "/Table", "/TH", "/L", "/Figure"):
        assert tag in tags, tag


def _struct_types(node: Any, found: set[str] | None = None) -> set[str]:
    found = set() if found is None else found
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, dict):
        if "/S" in node:
            found.add(str(node["/S"]))
        kids = node.get("/K")
        if kids is not None:
            for kid in kids if isinstance(kids, list) else [kids]:
                _struct_types(kid, found)
    return found


@pytest.mark.django_db
def test_the_pdf_is_in_the_readers_language(world_a: World) -> None:
    programme = build_programme(world_a)
    with translation.override("cy"):
        content = exports.programme_pdf(programme=programme, diagram_labels=diagram_labels())
    catalog: Any = PdfReader(io.BytesIO(content)).trailer["/Root"]
    assert catalog["/Lang"] == "cy"


@pytest.mark.django_db
def test_the_pdf_lists_what_to_check(world_a: World) -> None:
    p = world_a.partnership
    programme = Programme.objects.create(partnership=p, name="Long view")
    outcome = Element.objects.create(
        partnership=p,
        programme=programme,
        kind="outcome",
        title="Fewer exclusions",
        level="beneficiaries",
        horizon="long",
    )
    activity = Element.objects.create(
        partnership=p, programme=programme, kind="activity", title="Assemblies"
    )
    Link.objects.create(
        partnership=p, programme=programme, source=outcome, target=activity, evidence="none"
    )
    text = _pdf_text(exports.programme_pdf(programme=programme, diagram_labels={}))
    assert "End beneficiaries: long-term outcomes are planned without any short-" in text
    assert "The link from “Fewer exclusions” to “Assemblies” runs backwards." in text
    assert "TIP found nothing to check" not in text


@pytest.mark.django_db
def test_an_empty_programme_gives_a_pdf_that_says_so(world_a: World) -> None:
    programme = Programme.objects.create(partnership=world_a.partnership, name="Blank")
    text = _pdf_text(exports.programme_pdf(programme=programme, diagram_labels={}))
    assert "This Theory of Change has no elements yet." in text
    assert "There are no outcomes yet." in text  # the warning


@pytest.mark.django_db
def test_the_readiness_check_can_end_the_pdf(world_a: World) -> None:
    programme = build_programme(world_a)
    content = exports.programme_pdf(
        programme=programme, diagram_labels={}, section_hooks=[exports.readiness_section]
    )
    text = _pdf_text(content)
    report = report_context(programme)
    assert "Readiness check" in text
    assert "Summary of the readiness check" in text
    counts = report["counts"]
    assert isinstance(counts, dict)
    assert f"{counts['met']} met, {counts['not_met']} not met" in text
    findings = [*report["criteria"], *report["cautions"]]  # type: ignore[misc]
    assert findings
    for finding in findings:
        assert f"{finding['title']}: {finding['status_label']}" in text
    # After the rest of the Theory of Change.
    assert text.index("Things to check") < text.index("Readiness check")


@pytest.mark.django_db
def test_other_parts_of_tip_add_sections_to_the_pdf_through_hooks(
    world_a: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    programme = Programme.objects.create(partnership=world_a.partnership, name="Hooked")
    seen = []

    def nothing(p: Programme) -> exports.PdfSection | None:
        seen.append(p)
        return None

    def readiness(p: Programme) -> exports.PdfSection | None:
        seen.append(p)
        return exports.readiness_section(p)

    without = _pdf_text(
        exports.programme_pdf(programme=programme, diagram_labels={}, section_hooks=[nothing])
    )
    assert seen == [programme]
    assert "Readiness check" not in without
    monkeypatch.setattr(exports, "SECTION_HOOKS", [nothing, readiness])
    with_it = _pdf_text(exports.programme_pdf(programme=programme, diagram_labels={}))
    assert seen == [programme] * 3
    assert "Readiness check" in with_it


def test_the_diagram_goes_on_the_page_that_shows_it_larger() -> None:
    assert exports.diagram_orientation(1200, 400) == "landscape"
    assert exports.diagram_orientation(1200, 3000) == "portrait"


# --- PNG ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_png_is_the_diagram(world_a: World) -> None:
    programme = build_programme(world_a)
    response = _get(_lead(world_a), "programme-export-png", programme)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == (
        'attachment; filename="safer-streets-theory-of-change-diagram.png"'
    )
    image = Image.open(io.BytesIO(response.content))
    image.load()
    assert image.format == "PNG"
    # Twice the diagram's own size, for sharp slides and print.
    from tip.programmes import selectors

    svg = analysis.render_svg(selectors.toc_graph(programme=programme), labels=diagram_labels())
    width, height = exports.svg_size(svg)
    assert abs(image.width - 2 * width) <= 2 and abs(image.height - 2 * height) <= 2
    assert 1000 < image.width < 5000 and 500 < image.height < 10000
    # It is drawn, not blank: dark ink (text, box edges, arrows) and the activities' blue fill.
    rgb = image.convert("RGB")
    colours = dict((colour, count) for count, colour in rgb.getcolors(maxcolors=1 << 20) or [])
    dark = sum(n for (r, g, b), n in colours.items() if r + g + b < 150)
    assert dark > 0.005 * image.width * image.height
    assert colours.get((0xD2, 0xE2, 0xF1), 0) > 10_000  # activity boxes
    assert colours.get((0xF3, 0xF2, 0xF1), 0) > 10_000  # output boxes
    # Its title and its description (every link, in words) travel with it.
    assert image.info["Title"] == "Safer Streets: Theory of Change"
    assert "“Activity 0” leads to “Output 0”" in image.info["Description"]


def test_a_huge_diagram_is_scaled_down_to_the_pixel_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    graph = analysis.TocGraph(
        nodes=[analysis.Node(id=1, kind="activity", title="Training", level="", horizon="")],
        edges=[],
        indicator_counts={},
    )
    svg = analysis.render_svg(graph, labels={})
    width, height = exports.svg_size(svg)
    monkeypatch.setattr(exports, "PNG_MAX_PIXELS", width * height)  # room for 1x only
    image = Image.open(io.BytesIO(exports.svg_to_png(svg, title="Small")))
    assert image.width * image.height <= width * height * 1.01
    assert abs(image.width - width) <= 2


# --- XLSX --------------------------------------------------------------------------------------


def _sheets(content: bytes) -> dict[str, list[tuple[Any, ...]]]:
    workbook = load_workbook(io.BytesIO(content))
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in workbook.worksheets}


@pytest.mark.django_db
def test_the_spreadsheet_has_a_sheet_each_with_the_csv_exports_columns_and_rows(
    world_a: World,
) -> None:
    programme = build_programme(world_a)
    response = _get(_lead(world_a), "programme-export-xlsx", programme)

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="safer-streets-theory-of-change.xlsx"'
    )
    sheets = _sheets(response.content)
    assert list(sheets) == ["Elements", "Links", "Indicators"]
    csv_rows = list(
        csv.DictReader(io.StringIO(programme_export_csv(programme=programme).decode("utf-8-sig")))
    )
    for sheet, record in (("Elements", "element"), ("Links", "link"), ("Indicators", "indicator")):
        header, *rows = sheets[sheet]
        columns = exports.XLSX_SHEETS[record + "s"]
        assert header == columns
        # Exactly the CSV export's rows of that record, column for column (blank cells are None).
        expected = [
            tuple(row[c] or None for c in columns) for row in csv_rows if row["record"] == record
        ]
        assert rows == expected
    assert len(sheets["Elements"]) == 1 + 16
    assert len(sheets["Links"]) == 1 + 15
    assert len(sheets["Indicators"]) == 1 + 3
    assert sheets["Elements"][11][2] == "Outcome 0 – Welsh: Canlyniad ŵy"


@pytest.mark.django_db
def test_the_spreadsheet_runs_no_formula(world_a: World) -> None:
    p = world_a.partnership
    programme = Programme.objects.create(partnership=p, name="Formulae")
    a = Element.objects.create(
        partnership=p,
        programme=programme,
        kind="activity",
        title='=HYPERLINK("https://evil.example","Click")',
    )
    b = Element.objects.create(
        partnership=p, programme=programme, kind="output", title="+1", description="@SUM(A1)"
    )
    Link.objects.create(
        partnership=p, programme=programme, source=a, target=b, evidence="none", rationale="-2"
    )
    content = exports.programme_xlsx(programme=programme)

    workbook = load_workbook(io.BytesIO(content))
    elements = workbook["Elements"]
    assert elements["C2"].value == '\'=HYPERLINK("https://evil.example","Click")'
    assert elements["C2"].data_type == "s"
    assert elements["C3"].value == "'+1" and elements["D3"].value == "'@SUM(A1)"
    assert workbook["Links"]["C2"].value == "'-2"
    # No cell of any sheet is stored as a formula.
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)


@pytest.mark.django_db
def test_the_spreadsheet_drops_characters_a_workbook_cannot_hold(world_a: World) -> None:
    p = world_a.partnership
    programme = Programme.objects.create(partnership=p, name="Control")
    Element.objects.create(
        partnership=p, programme=programme, kind="activity", title="Bell\x07 and\ttab"
    )
    sheets = _sheets(exports.programme_xlsx(programme=programme))
    assert sheets["Elements"][1][2] == "Bell and\ttab"


# --- Access ------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES)
def test_another_partnerships_programme_is_not_found(
    world_a: World, other_programme: Programme, route: str
) -> None:
    response = _get(_lead(world_a), route, other_programme)
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES)
def test_exports_are_downloads_that_change_nothing(
    world_a: World, programme: Programme, route: str
) -> None:
    client = signed_in_client(world_a.user(Role.PRACTITIONER))
    before = AuditEntry.objects.count()
    assert _get(client, route, programme).status_code == 200
    # Programme data only, no one's personal details: like the JSON export, not audited.
    assert AuditEntry.objects.count() == before
    url = reverse(f"programmes:{route}", kwargs={"programme_id": programme.pk})
    assert client.post(url).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES)
def test_exports_name_no_one(world_a: World, route: str) -> None:
    """The governance names the JSON export carries (and audits) stay out of these exports."""
    programme = build_programme(world_a)
    programme.sro_name, programme.sro_role = "Sam Owner", "Director"
    programme.save()
    lead = world_a.user(Role.PROGRAMME_LEAD)
    services.board_member_create(programme=programme, name="Ade Board", role="Chair", by=lead)
    before = AuditEntry.objects.count()
    content = _get(_lead(world_a), route, programme).content
    if route == "programme-export-pdf":
        text = _pdf_text(content)
    elif route == "programme-export-xlsx":
        text = str(_sheets(content))
    else:
        text = str(Image.open(io.BytesIO(content)).info)
    assert "Safer Streets" in text or "Activity 0" in text
    for name in ("Sam Owner", "Ade Board", "Director"):
        assert name not in text
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_the_programme_page_links_every_export(world_a: World, programme: Programme) -> None:
    page = _get(_lead(world_a), "programme-detail", programme).content.decode()
    for route, text in (
        ("programme-export-pdf", "as a PDF document"),
        ("programme-export-png", "as a PNG image"),
        ("programme-export-xlsx", "as an Excel spreadsheet (XLSX)"),
    ):
        url = reverse(f"programmes:{route}", kwargs={"programme_id": programme.pk})
        assert f'href="{url}" download>' in page
        assert text in page
