"""A programme lead's first Theory of Change, built with the keyboard only, in English and Welsh.

The journey a new user takes: sign in (with the second factor), start a programme, add outcomes
from the library, write an activity and an output, link them with evidence ratings, note an
assumption and an indicator, accept a proposed evaluation question, run the readiness check,
download the PDF and the JSON file, and import the JSON file again. The import must give the
same programme, which the test checks field by field through the ORM.

Only the keyboard operates the pages: Tab and Shift+Tab move the focus, Enter and Space press,
arrow keys choose radios and options, and text is typed into whichever field has the focus. The
one page opened by address is the start page; every other page is reached by following a link or
sending a form from the keyboard. Each page that loads passes through `submit`, which runs
axe-core (WCAG 2.2 AA) on it; Welsh pages are also checked for reflow at 320 CSS pixels.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import Page, expect

from tests.browser.conftest import OpenPage, check_page, submit, totp_code
from tests.browser.test_pages import LANGUAGES, VIEWPORTS
from tests.conftest import World
from tests.factories import PASSWORD, verified_device
from tip.core.roles import Role
from tip.programmes.interchange_services import programme_export
from tip.programmes.models import (
    Element,
    EvaluationQuestion,
    Indicator,
    Link,
    Note,
    Programme,
    QuestionStatus,
)

pytestmark = pytest.mark.browser

# Enough presses of Tab to cross the longest form in the journey (the outcomes library's thirty
# or so checkboxes) or to go round the programme page from the section a change returns to; a
# target further away than this is a fault worth a look.
MAX_TABS = 80

# What the focused element is, for the message when a target is never reached.
_DESCRIBE_FOCUS = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return "(nothing)";
    const text = (el.innerText || el.value || "").trim().replace(/\\s+/g, " ").slice(0, 40);
    const href = el.getAttribute("href");
    return el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
        + (el.name ? "[name=" + el.name + "]" : "") + (href ? "[href=" + href + "]" : "")
        + (text ? " " + JSON.stringify(text) : "");
}"""


def path_of(page: Page) -> str:
    return urlsplit(page.url).path


def focus(page: Page, selector: str, *, limit: int = MAX_TABS, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the element with the focus matches the CSS `selector`, as
    a keyboard user moves through a page; fail, saying where the focus went, if it takes more
    than `limit` presses."""
    key = "Shift+Tab" if backwards else "Tab"
    visited: list[str] = []
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(
            "(s) => !!document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
        visited.append(page.evaluate(_DESCRIBE_FOCUS))
    raise AssertionError(
        f"{selector!r} did not get the focus after {limit} presses of {key} on {page.url}. "
        "The focus went to:\n  " + "\n  ".join(visited[-30:])
    )


def activate(page: Page, selector: str, *, language: str, key: str = "Enter", **kw: Any) -> None:
    """Tab to a link or button and press it; check the page it opens (axe-core, one <h1>, no
    script errors, and in Welsh no sideways scrolling at 320 pixels)."""
    focus(page, selector, **kw)
    submit(page, lambda: page.keyboard.press(key))
    check_language(page, language)


def check_language(page: Page, language: str) -> None:
    lang = page.locator("html").get_attribute("lang")
    assert lang == language, f"{page.url}: <html lang={lang!r}>, not {language!r}"
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = VIEWPORTS[language]["width"]
    assert width <= viewport, (
        f"{page.url} is {width}px wide in a {viewport}px window: it scrolls sideways "
        "(WCAG 1.4.10 Reflow)"
    )


def type_into(page: Page, selector: str, text: str) -> None:
    """Tab to a text field and type into it."""
    focus(page, selector)
    page.keyboard.type(text)


def choose_radio(page: Page, name: str, value: str) -> None:
    """Tab into a group of radios, and choose one with the arrow keys (Space chooses the first,
    which Tab lands on while none is chosen)."""
    focus(page, f"input[type=radio][name={name}]")
    page.keyboard.press("Space")
    radios = page.locator(f"input[type=radio][name={name}]")
    for _ in range(radios.count()):
        if page.locator(f"input[name={name}]:checked").get_attribute("value") == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"The arrow keys did not reach {value!r} in the {name!r} radios")


def choose_option(page: Page, selector: str, value: str) -> None:
    """Tab to a <select> and move through its options with the arrow keys to `value`."""
    focus(page, selector)
    select = page.locator(selector)
    page.keyboard.press("Home")
    for _ in range(select.locator("option").count()):
        if select.input_value() == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"The arrow keys did not reach option {value!r} in {selector!r}")


def download(page: Page, selector: str, **kw: Any) -> Path:
    """Tab to a download link, press Enter and keep the file it downloads."""
    focus(page, selector, **kw)
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    path = info.value.path()
    assert path is not None, f"The download from {selector!r} failed: {info.value.failure()}"
    return Path(path)


def optional_url(name: str, **kwargs: Any) -> str | None:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


# What makes two programmes the same: every field of everything in them but ids, owners and
# times. Elements are compared in their order on the page (`position` orders them within their
# kind; its numbers need not match); links, notes and indicators through the titles of the
# elements they join.
def _elements(p: Programme) -> list[tuple[Any, ...]]:
    return list(
        Element.objects.filter(programme=p)
        .order_by("kind", "position", "pk")
        .values_list("kind", "title", "description", "level", "horizon", "outcome_code")
    )


def _links(p: Programme) -> list[tuple[Any, ...]]:
    return sorted(
        Link.objects.filter(programme=p).values_list(
            "source__kind",
            "source__title",
            "target__kind",
            "target__title",
            "evidence",
            "rationale",
            "evidence_source",
        )
    )


def _notes(p: Programme) -> list[tuple[Any, ...]]:
    return sorted(
        Note.objects.filter(programme=p).values_list(
            "kind", "text", "element__title", "link__source__title", "link__target__title"
        ),
        key=repr,
    )


def _indicators(p: Programme) -> list[tuple[Any, ...]]:
    return sorted(
        Indicator.objects.filter(outcome__programme=p).values_list(
            "outcome__title", "what", "how", "from_whom", "when"
        )
    )


def _questions(p: Programme) -> list[tuple[Any, ...]]:
    """Each question with what its proposal was about, by titles: the key itself holds database
    ids, which differ in a copy."""

    def about(key: str) -> Any:
        kind, _sep, ident = key.partition(":")
        if kind == "link" and ident.isdigit():
            link = Link.objects.get(programme=p, pk=int(ident))
            return ("link", link.source.title, link.target.title)
        if kind == "indicator" and ident.isdigit():
            return ("indicator", Element.objects.get(programme=p, pk=int(ident)).title)
        return key

    return [
        (text, status, about(key))
        for text, status, key in EvaluationQuestion.objects.filter(programme=p)
        .order_by("pk")
        .values_list("text", "status", "proposal_key")
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_programme_lead_builds_a_theory_of_change_with_the_keyboard_only(
    world_a: World, open_page: OpenPage, language: str
) -> None:
    lead = world_a.user(Role.PROGRAMME_LEAD)
    device = verified_device(lead)
    page = open_page()
    # Welsh on the narrowest screen WCAG's reflow criterion asks for, as in the page sweeps.
    page.set_viewport_size(VIEWPORTS[language])
    keyboard = page.keyboard

    # --- The start page, the one page opened by its address --------------------------------
    response = page.goto("/")
    assert response is not None and response.status == 200
    check_page(page)
    if language != "en":
        # The language switcher is a button in the header.
        activate(page, f"button[name=language][value={language}]", language=language)
        assert path_of(page) == "/"

    # --- Sign in, with the second factor -----------------------------------------------------
    activate(page, f"main a[href='{reverse('core:sign-in')}']", language=language)
    type_into(page, "#id_username", lead.email)
    type_into(page, "#id_password", PASSWORD)
    activate(page, "main form button[type=submit]", language=language)
    assert path_of(page) == reverse("core:two-factor")
    type_into(page, "#id_token", totp_code(device))
    activate(page, "main form button[type=submit]", language=language)
    assert path_of(page) == reverse("core:dashboard")

    # --- Start a programme -------------------------------------------------------------------
    activate(page, f"main a[href='{reverse('programmes:programme-list')}']", language=language)
    activate(page, f"main a[href='{reverse('programmes:programme-create')}']", language=language)
    type_into(page, "#id_name", "Calm classrooms")
    type_into(page, "#id_aims", "Teachers notice and respond to trauma.")
    activate(page, "main form button[type=submit]", language=language)
    programme = Programme.objects.get(partnership=world_a.partnership, name="Calm classrooms")
    pid = programme.pk
    detail = reverse("programmes:programme-detail", kwargs={"programme_id": pid})
    assert path_of(page) == detail
    assert programme.aims == "Teachers notice and respond to trauma."

    # --- Two outcomes from the library: Space ticks a checkbox -------------------------------
    activate(
        page,
        f"main a[href='{reverse('programmes:outcome-library', kwargs={'programme_id': pid})}']",
        language=language,
    )
    boxes = page.locator("main input[type=checkbox][name=outcomes]")
    assert boxes.count() >= 3, "the outcomes library should offer several outcomes"
    chosen = [boxes.nth(0).get_attribute("value"), boxes.nth(2).get_attribute("value")]
    for code in chosen:
        focus(page, f"main input[type=checkbox][name=outcomes][value='{code}']")
        keyboard.press("Space")
    expect(page.locator("main input[name=outcomes]:checked")).to_have_count(2)
    activate(page, "main form button[type=submit]", language=language)
    assert path_of(page) == detail
    outcomes = list(Element.objects.filter(programme=programme, kind="outcome").order_by("pk"))
    assert sorted(o.outcome_code for o in outcomes) == sorted(chosen)

    # --- An activity and an output: radios with the arrow keys -------------------------------
    add_element = reverse("programmes:element-create", kwargs={"programme_id": pid})
    for kind, title, description in [
        ("activity", "Whole-school training", "Two half-days for every member of staff."),
        ("output", "Staff trained", "Teachers and support staff who finished the course."),
    ]:
        activate(page, f"main a[href='{add_element}']", language=language)
        choose_radio(page, "kind", kind)
        type_into(page, "#id_title", title)
        type_into(page, "#id_description", description)
        activate(page, "main form button[type=submit]", language=language)
        assert path_of(page) == detail
    activity = Element.objects.get(programme=programme, kind="activity")
    output = Element.objects.get(programme=programme, kind="output")

    # --- Links with their evidence: a <select> with the arrow keys ---------------------------
    add_link = reverse("programmes:link-create", kwargs={"programme_id": pid})
    for source, target, evidence, why in [
        (activity, output, "strong", "Attendance is part of the staff development days."),
        (output, outcomes[0], "emerging", "Training raised awareness in two pilot schools."),
        (output, outcomes[1], "none", "Nobody has looked yet."),
    ]:
        activate(page, f"main a[href='{add_link}']", language=language)
        choose_option(page, "#id_source", str(source.pk))
        choose_option(page, "#id_target", str(target.pk))
        type_into(page, "#id_rationale", why)
        choose_radio(page, "evidence", evidence)
        activate(page, "main form button[type=submit]", language=language)
        assert path_of(page) == detail
    assert Link.objects.filter(programme=programme).count() == 3

    # --- An assumption behind a link, and an indicator for the first outcome ------------------
    first_link = Link.objects.get(programme=programme, source=activity)
    note_url = reverse(
        "programmes:link-note-create", kwargs={"programme_id": pid, "link_id": first_link.pk}
    )
    activate(page, f"main a[href='{note_url}']", language=language)
    choose_radio(page, "kind", "assumption")
    type_into(page, "#id_text", "Schools release staff for both half-days.")
    activate(page, "main form button[type=submit]", language=language)
    assert path_of(page) == detail
    indicator_url = reverse(
        "programmes:indicator-create", kwargs={"programme_id": pid, "element_id": outcomes[0].pk}
    )
    activate(page, f"main a[href='{indicator_url}']", language=language)
    for field_id, text in [
        ("#id_what", "Staff confidence in responding to disclosures"),
        ("#id_how", "A short survey"),
        ("#id_from_whom", "Teaching staff who attended"),
        ("#id_when", "Before the training and three months after"),
    ]:
        type_into(page, field_id, text)
    activate(page, "main form button[type=submit]", language=language)
    assert path_of(page) == detail
    assert Note.objects.get(programme=programme).link == first_link
    assert Indicator.objects.get(outcome__programme=programme).outcome == outcomes[0]

    # --- Evaluation questions: TIP proposes some; accept the first ---------------------------
    questions = reverse("programmes:question-list", kwargs={"programme_id": pid})
    activate(page, f"main a[href='{questions}']", language=language)
    accept = page.locator("main button[name=decision][value=accept]")
    # The two links with weak evidence and the outcome without an indicator.
    expect(accept).to_have_count(3)
    first_proposal = page.locator("main .govuk-summary-list").first.locator("dd").first
    proposed = first_proposal.inner_text().strip()
    assert outcomes[1].title in proposed, "the link with no evidence should be proposed first"
    activate(page, "main button[name=decision][value=accept]", language=language)
    assert path_of(page) == questions
    expect(page.locator("main ol.govuk-list--number li")).to_have_text([proposed])
    expect(accept).to_have_count(2)
    accepted = EvaluationQuestion.objects.get(programme=programme)
    assert (accepted.status, accepted.text) == (QuestionStatus.ACCEPTED, proposed)

    # --- The readiness check, from the programme page ----------------------------------------
    activate(page, "a.govuk-back-link", language=language)
    assert path_of(page) == detail
    readiness = reverse("programmes:readiness", kwargs={"programme_id": pid})
    activate(page, f"main a[href='{readiness}']", language=language)
    expect(page.locator("#readiness-counts")).to_be_visible()
    expect(page.locator("main .govuk-table .govuk-tag").first).to_be_visible()
    activate(page, "a.govuk-back-link", language=language)
    assert path_of(page) == detail

    # --- Downloads: the PDF and the JSON file ------------------------------------------------
    # They are at the foot of the page: Shift+Tab reaches them from the end.
    pdf_url = optional_url("programmes:programme-export-pdf", programme_id=pid)
    pdf_missing = None
    if pdf_url is None:
        pdf_missing = "there is no PDF export route (programmes:programme-export-pdf) yet"
    elif page.locator(f"main a[href='{pdf_url}']").count() == 0:
        pdf_missing = f"the programme page does not link to the PDF export ({pdf_url}) yet"
    else:
        pdf = download(page, f"main a[href='{pdf_url}']", backwards=True).read_bytes()
        assert pdf.startswith(b"%PDF"), f"The PDF export is not a PDF: {pdf[:20]!r}"

    json_url = reverse("programmes:programme-export-json", kwargs={"programme_id": pid})
    json_file = download(page, f"main a[href='{json_url}']", backwards=True)
    exported = json.loads(json_file.read_text(encoding="utf-8"))
    assert exported == programme_export(programme=programme)
    assert [q["text"] for q in exported["evaluation_questions"]] == [proposed]

    # --- Import the file as a new programme ----------------------------------------------------
    activate(page, "a.govuk-back-link", language=language)
    assert path_of(page) == reverse("programmes:programme-list")
    activate(page, f"main a[href='{reverse('programmes:programme-import')}']", language=language)
    # The one step that is not the keyboard: an operating system's file picker is outside the
    # page, so no browser test can drive it; the file is set on the input as the picker would.
    focus(page, "#id_file")
    page.locator("#id_file").set_input_files(json_file)
    type_into(page, "#id_name", "Calm classrooms (copy)")
    activate(page, "main form button[type=submit]", language=language)
    copy = Programme.objects.get(partnership=world_a.partnership, name="Calm classrooms (copy)")
    assert path_of(page) == reverse("programmes:programme-detail", kwargs={"programme_id": copy.pk})

    # The copy is the same programme, field by field, with only its name and ids new.
    assert copy.pk != programme.pk
    assert copy.aims == programme.aims
    assert _elements(copy) == _elements(programme)
    assert _links(copy) == _links(programme)
    assert _notes(copy) == _notes(programme) != []
    assert _indicators(copy) == _indicators(programme) != []
    assert _questions(copy) == _questions(programme) != []
    again = programme_export(programme=copy)
    assert again["programme"].pop("name") == "Calm classrooms (copy)"
    original = programme_export(programme=programme)
    original["programme"].pop("name")
    assert again == original

    if pdf_missing:
        pytest.skip(f"Everything else passed; the PDF download was not tried: {pdf_missing}")
