"""The venue and session pages in real Chromium, in English and Welsh: axe-core's WCAG 2.2 AA
checks, no sideways scrolling at 320px in Welsh, no script errors; and a time that does not
exist refused without JavaScript, its message naming it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.browser.conftest import OpenPage, submit, visit
from tests.browser.test_pages import LANGUAGES, sweep
from tests.conftest import World
from tests.training.test_sessions import FUTURE, Kit, part
from tip.core.roles import Role
from tip.training import services_sessions as services
from tip.training.models_sessions import Session

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", LANGUAGES)
def test_session_pages(world_a: World, open_page: OpenPage, language: str) -> None:
    kit = Kit(world_a)
    session = kit.session(
        [part(), part(FUTURE + timedelta(days=7), "09:30", "12:30")],
        format="hybrid",
        venue=kit.school,
        online_link="https://meet.example/room",
        title="Foundation for Hill School",
        planned_breaks="Lunch 12:30 to 13:15",
        audience_sectors=["education"],
        recommended_group_size=10,
    )
    services.trainer_add(session=session, trainer=kit.omar, by=kit.lead)  # at risk
    link = session.session_trainers.get()
    services.session_publish(session=session, by=kit.lead)
    services.trainer_account_set(
        trainer=kit.tess, membership=world_a.members[Role.TRAINER], by=kit.lead
    )
    gone = kit.session([part(FUTURE - timedelta(days=90))], title="Last term")
    services.session_cancel(session=gone, reason="Snow", by=kit.lead)
    first = session.parts.order_by("starts_at").first()
    assert first is not None
    base = f"/training/sessions/{session.pk}"
    page = open_page(user=kit.lead, language=language)
    sweep(
        page,
        language,
        [
            ("/training/venues/", 200),
            ("/training/venues/new/", 200),
            (f"/training/venues/{kit.hall.pk}/edit/", 200),
            (f"/training/venues/{kit.hall.pk}/remove/", 200),
            ("/training/sessions/", 200),
            ("/training/sessions/?when=past", 200),
            ("/training/sessions/?format=hybrid", 200),
            ("/training/sessions/mine/", 200),
            ("/training/sessions/new/", 200),
            (f"{base}/", 200),
            (f"{base}/edit/", 200),
            (f"{base}/parts/new/", 200),
            (f"{base}/parts/{first.pk}/edit/", 200),
            (f"{base}/parts/{first.pk}/remove/", 200),
            (f"{base}/trainers/new/", 200),
            (f"{base}/trainers/{link.pk}/remove/", 200),
            (f"{base}/confirm/", 200),
            (f"{base}/cancel/", 200),
            (f"/training/sessions/{gone.pk}/", 200),
            (f"/training/trainers/{kit.tess.pk}/account/", 200),
        ],
    )
    practitioner = open_page(user=world_a.user(Role.PRACTITIONER), language=language)
    sweep(practitioner, language, [("/training/sessions/", 200), (f"{base}/", 200)])


def test_a_time_that_does_not_exist_is_refused_without_javascript(
    world_a: World, open_page: OpenPage
) -> None:
    kit = Kit(world_a)
    page = open_page(user=kit.lead, javascript=False)
    visit(page, "/training/sessions/new/")
    page.get_by_label("Course", exact=True).select_option(label="Foundation day")
    page.get_by_role("radio", name="In person").check()
    page.get_by_label("Venue (in person and hybrid)").select_option(label="Town hall")
    page.get_by_label("Places", exact=True).fill("12")
    page.get_by_label("Day", exact=True).fill("29")
    page.get_by_label("Month", exact=True).fill("3")
    page.get_by_label("Year", exact=True).fill("2026")
    page.get_by_label("Start time", exact=True).fill("01:30")
    page.get_by_label("End time", exact=True).fill("03:00")
    submit(page, page.get_by_role("button", name="Save as draft"), status=400)
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "01:30 on 29 March 2026 does not exist in the UK" in summary
    assert not Session.objects.exists()

    page.get_by_label("Start time", exact=True).fill("09:30")
    page.get_by_label("End time", exact=True).fill("12:30")
    submit(page, page.get_by_role("button", name="Save as draft"))
    session = Session.objects.get()
    assert page.url.endswith(f"/training/sessions/{session.pk}/")
    assert "29 March 2026, 09:30 to 12:30" in page.locator("main").inner_text()
