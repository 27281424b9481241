"""The evaluation issue's "done when", in real Chromium, in English and in Welsh: an evaluator,
as a new user would, goes from the demo programme's evaluation plan to its report, finds effect
sizes with intervals, the attrition flow, the matched comparison with its balance table and Love
plot, and the results on the Theory of Change, and downloads the PDF; then a national analyst
sees three partnerships pooled, Westmoor (which did not agree to be named) not named, and its
small comparison group shown as suppressed.

Every page goes through `visit` or `submit` (axe-core's WCAG 2.2 AA checks); Welsh pages are read
at 320px with no sideways scrolling. Elements are found by their structure (ids, addresses,
marks on suppressed cells), so the Welsh run checks the same facts; English words are checked
in the English run only, as the Welsh translation is done later."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Locator, Page
from pypdf import PdfReader

from tests.browser.conftest import OpenPage, submit, visit
from tests.browser.test_pages import LANGUAGES, VIEWPORTS
from tip.core.models import User
from tip.evaluation.demo_coding import EVALUATOR
from tip.evaluation.models import EvaluationPlan
from tip.national.demo import ANALYST_EMAIL
from tip.programmes import demo as programme_demo

pytestmark = pytest.mark.browser

# An estimate with its interval as the report's tables show it: "1.05 (0.67 to 1.42)", whatever
# the word between the bounds is in the reader's language.
PDF_TIMEOUT_MS = 60_000
ESTIMATE_WITH_INTERVAL = re.compile(r"^-?\d+\.\d+ \(-?\d+\.\d+ \S+ -?\d+\.\d+\)$")


def _as_read(page: Page, language: str) -> None:
    """The page is in the reader's language and, in Welsh at 320px, does not scroll sideways
    (WCAG 1.4.10), as `sweep` checks."""
    lang = page.locator("html").get_attribute("lang")
    assert lang == language, f"<html lang={lang!r}> on {page.url}, not {language!r}"
    width = page.evaluate("document.documentElement.scrollWidth")
    allowed = VIEWPORTS[language]["width"]
    assert width <= allowed, f"{page.url} is {width}px wide in a {allowed}px window"


def _rows(table: Locator) -> list[list[str]]:
    """The table's body, a list of cells' texts per row."""
    found: list[list[str]] = []
    for row in table.locator("tbody tr").all():
        found.append([c.strip() for c in row.locator("th, td").all_inner_texts()])
    return found


def _check_figure(page: Page, figure_id: str) -> Locator:
    """A chart with a text alternative, followed by its data table (which has rows)."""
    figure = page.locator(f"figure#{figure_id}")
    assert figure.count() == 1, f"No figure #{figure_id} on {page.url}"
    svg = figure.locator("svg[role='img']")
    assert svg.count() == 1 and svg.is_visible()
    assert (figure.locator("svg title").first.text_content() or "").strip()
    # The figure is followed by its table (in a scrolling box on screen).
    table = page.locator(f"figure#{figure_id} + .tip-table-scroll table")
    assert table.count() == 1, f"#{figure_id} is not followed by its table"
    assert _rows(table), f"#{figure_id}'s table is empty"
    return table


def _evaluator_journey(open_page: OpenPage, language: str, tmp_path: Path) -> None:
    plan = EvaluationPlan.objects.select_related("programme").get(
        programme__name=programme_demo.NAME, partnership__name=programme_demo.PARTNERSHIP
    )
    programme = plan.programme
    page = open_page(user=User.objects.get(email=EVALUATOR), language=language)
    page.set_viewport_size(VIEWPORTS[language])

    # The evaluation plan, then its link to the report, as a new user would find it.
    visit(page, f"/evaluation/programmes/{programme.pk}/")
    _as_read(page, language)
    report_href = f"/evaluation/programmes/{programme.pk}/report/"
    link = page.locator(f"main a[href='{report_href}']")
    assert link.count() == 1, "The plan page has no link to the programme's report"
    submit(page, link)
    assert page.url.endswith(report_href)
    _as_read(page, language)
    assert programme.name in (page.locator("h1").text_content() or "")
    prefix = f"p{plan.pk}"
    scale = f"{prefix}-tip-kac-subscale-knowledge"

    # Effect sizes with 95% intervals: the pre/post table's last two columns are Cohen's d_z
    # and Hedges' g_av, each with its interval, in every row with enough people.
    prepost = page.locator(f"section[aria-labelledby='{scale}-prepost-heading'] table")
    assert prepost.count() == 1
    heads = [h.strip() for h in prepost.locator("thead th").all_inner_texts()]
    rows = _rows(prepost)
    assert rows and all(len(r) == len(heads) for r in rows)
    trained = rows[0]
    assert ESTIMATE_WITH_INTERVAL.match(trained[-2]), trained
    assert ESTIMATE_WITH_INTERVAL.match(trained[-1]), trained
    if language == "en":
        assert heads[-2:] == ["Cohen's d_z (95% CI)", "Hedges' g_av (95% CI)"]

    # The attrition flow: its figure and its table (invited, responded, linked, analysed).
    flow = _check_figure(page, f"{prefix}-flow")
    flow_heads = [h.strip() for h in flow.locator("thead th").all_inner_texts()]
    assert len(flow_heads) == 6
    assert all(re.match(r"^\d+", cell) for row in _rows(flow) for cell in row[2:])
    if language == "en":
        assert flow_heads[2:] == ["Invited", "Responded", "Linked to their baseline", "Analysed"]

    # The matched comparison: the Love plot, the balance table after it (standardised
    # differences before and after for each covariate), and the effect on the trained with its
    # interval.
    matched = page.locator(f"section[aria-labelledby='{scale}-matched-heading']")
    assert matched.count() == 1
    balance = _check_figure(page, f"{scale}-love")
    balance_rows = _rows(balance)
    assert len(balance_rows) >= 3
    for row in balance_rows:
        assert (
            len(row) == 4
            and re.match(r"^-?\d+\.\d+$", row[1])
            and re.match(r"^-?\d+\.\d+$", row[2])
        ), row
    att = matched.locator("table").nth(1)
    att_rows = _rows(att)
    assert any(ESTIMATE_WITH_INTERVAL.match(r[-1]) for r in att_rows), att_rows
    if language == "en":
        assert "Standardised difference before" in balance.locator("thead").inner_text()
        assert any(r[0] == "Effect on the trained (95% CI)" for r in att_rows)

    # The results on the Theory of Change: each outcome with its measured change.
    toc = page.locator(f"h3#plan-{plan.pk}-toc ~ .tip-table-scroll table").first
    toc_rows = _rows(toc)
    assert toc_rows and any(ESTIMATE_WITH_INTERVAL.match(r[6]) for r in toc_rows), toc_rows
    if language == "en":
        assert page.locator(f"h3#plan-{plan.pk}-toc").inner_text() == (
            "Results on the Theory of Change"
        )

    # The PDF, downloaded by clicking its link.
    pdf_link = page.locator(f"main a[href$='/programmes/{programme.pk}/report.pdf']")
    assert pdf_link.count() == 1
    # The PDF takes a few seconds to draw: wait for the download, not for a navigation.
    with page.expect_download(timeout=PDF_TIMEOUT_MS) as download_info:
        pdf_link.click(no_wait_after=True)
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    target = tmp_path / f"report-{language}.pdf"
    download.save_as(target)
    data = target.read_bytes()
    assert data.startswith(b"%PDF-")
    text = "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)
    flat = " ".join(text.split())
    assert programme.name in flat
    assert "g_av" in flat and "d_z" in flat
    assert re.search(r"-?\d+\.\d+ \(-?\d+\.\d+ \S+ -?\d+\.\d+\)", flat), "No effect size in the PDF"


def _analyst_journey(open_page: OpenPage, language: str) -> None:
    page = open_page(user=User.objects.get(email=ANALYST_EMAIL), language=language)
    page.set_viewport_size(VIEWPORTS[language])
    visit(page, "/national/")
    _as_read(page, language)
    html = page.content()

    # Three partnerships pooled, with the forest plot; the one that did not agree is unnamed.
    k = page.locator("#tip-kac-knowledge-baseline_post-k")
    assert k.inner_text().strip() == "3"
    assert page.locator("img[src^='data:image/svg+xml;base64,']").count() >= 1
    assert "Westmoor" not in html
    assert "Eastvale Violence Reduction Unit" in html
    assert programme_demo.PARTNERSHIP in html

    # Westmoor's comparison group (4 people) is shown as suppressed, never as a number.
    tables = page.locator("table[id^='taking-part-']")
    captions = [c.strip() for c in tables.locator("caption").all_inner_texts()]
    unnamed = [
        i
        for i, caption in enumerate(captions)
        if "Northshire" not in caption and "Eastvale" not in caption
    ]
    assert len(unnamed) == 1, captions
    westmoor = tables.nth(unnamed[0])
    people = westmoor.locator("tr[data-line='people'] td[data-group='comparison']")
    assert people.locator("[data-suppressed]").count() == 1
    shown = people.inner_text().strip()
    assert shown and not re.fullmatch(r"\d+", shown)
    waves = westmoor.locator("tr[data-line='wave'] td[data-group='comparison']")
    assert waves.count() >= 2
    assert waves.locator("[data-suppressed]").count() == waves.count()
    if language == "en":
        assert shown == "fewer than 5"
        assert captions[unnamed[0]].startswith("Partnership 1: ")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_evaluation_journey(
    db: None, open_page: OpenPage, language: str, tmp_path: Path
) -> None:
    call_command("seed_demo", stdout=io.StringIO())
    _evaluator_journey(open_page, language, tmp_path)
    _analyst_journey(open_page, language)
