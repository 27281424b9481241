"""Registers, rates, certificates and training records in real Chromium, in English and Welsh:
axe-core's WCAG 2.2 AA checks and no sideways scrolling at 320px (the register included, in both
languages); a register taken on a phone without JavaScript; the public certificate check signed
out."""

from __future__ import annotations

import pytest

from tests.browser.conftest import OpenPage, submit, visit
from tests.browser.test_pages import LANGUAGES, sweep
from tests.conftest import World
from tests.training.test_attendance import make_session, marks_for
from tip.core.roles import Role
from tip.training import services_attendance as services
from tip.training.models_bookings import Attendance
from tip.training.models_delivery import Certificate

pytestmark = pytest.mark.browser

PHONE = {"width": 320, "height": 640}


@pytest.mark.parametrize("language", LANGUAGES)
def test_attendance_pages(world_a: World, open_page: OpenPage, language: str) -> None:
    people = [world_a.members[r] for r in (Role.PRACTITIONER, Role.CHAMPION, Role.EVALUATOR)]
    taken = make_session(world_a, people=people, name="Foundation day")
    services.register_save(
        session=taken,
        marks=marks_for(taken, "partly", "no_show", "attended"),
        by=world_a.user(Role.TRAINER),
    )
    open_register = make_session(world_a, name="Awareness session")
    lead = world_a.members[Role.PROGRAMME_LEAD]
    practitioner = world_a.members[Role.PRACTITIONER]
    certificate = Certificate.objects.get()
    page = open_page(user=lead.user, language=language)
    sweep(
        page,
        language,
        [
            ("/training/", 200),
            ("/training/registers/", 200),
            (f"/training/registers/{taken.pk}/", 200),
            (f"/training/registers/{open_register.pk}/", 200),
            ("/training/attendance/rates/", 200),
            ("/training/records/", 200),
            (f"/training/records/{practitioner.pk}/", 200),
            ("/training/my-record/", 200),
            ("/training/certificates/check/", 200),
            (f"/training/certificates/check/?code={certificate.code}", 200),
            ("/training/certificates/check/?code=not-a-code", 200),
            ("/training/certificates/check/?code=", 400),
        ],
    )
    # The register at 320px in English too (Welsh is already swept at 320px).
    page.set_viewport_size(PHONE)
    visit(page, f"/training/registers/{open_register.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_trainer_takes_the_register_on_a_phone_without_javascript(
    world_a: World, open_page: OpenPage
) -> None:
    session = make_session(world_a)
    page = open_page(user=world_a.user(Role.TRAINER), javascript=False)
    page.set_viewport_size(PHONE)
    visit(page, f"/training/registers/{session.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # One mark missing: refused, nothing saved, the summary names the person.
    page.get_by_role("group", name="Alpha Champion").get_by_label("Attended", exact=True).check()
    submit(page, page.get_by_role("button", name="Save the register"), status=400)
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Choose whether Alpha Practitioner attended" in summary
    assert not Attendance.objects.exists()
    # The choice already made is kept; mark the other and save.
    practitioner = page.get_by_role("group", name="Alpha Practitioner")
    practitioner.get_by_label("Partly attended").check()
    page.get_by_label("Note about Alpha Practitioner (optional)").fill("Left at lunch")
    submit(page, page.get_by_role("button", name="Save the register"))
    assert "Register saved: 2 people marked. 1 certificate issued." in page.inner_text("body")
    assert Attendance.objects.count() == 2 and Certificate.objects.count() == 1


def test_anyone_checks_a_certificate_signed_out(world_a: World, open_page: OpenPage) -> None:
    session = make_session(world_a, name="Trauma-informed foundation day")
    services.register_save(
        session=session,
        marks=marks_for(session, "attended", "no_show"),
        by=world_a.user(Role.TRAINER),
    )
    certificate = Certificate.objects.get()
    page = open_page(javascript=False)
    visit(page, "/training/certificates/check/")
    page.get_by_label("Certificate code").fill(certificate.code)
    submit(page, page.get_by_role("button", name="Check the code"))
    body = page.inner_text("main")
    assert "This certificate is genuine" in body
    assert "Trauma-informed foundation day" in body
    assert "Alpha" not in body  # no name, no organisation, no partnership
