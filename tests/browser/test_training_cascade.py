"""The cascade pages in real Chromium, in English and Welsh: axe-core's WCAG 2.2 AA checks, no
sideways scrolling at 320px in Welsh, no script errors; an observation refused without
JavaScript with its message against the rating, and a trainer acknowledging a new version."""

from __future__ import annotations

import pytest

from tests.browser.conftest import OpenPage, submit, visit
from tests.browser.test_pages import LANGUAGES, sweep
from tests.conftest import World
from tests.training.test_cascade import Cascade, future_session
from tip.core.roles import Role
from tip.training import services_courses
from tip.training.models_delivery import QaObservation, VersionAcknowledgement

pytestmark = pytest.mark.browser


def _cascade(world: World) -> Cascade:
    c = Cascade(world)
    c.standard()
    services_courses.course_version_create(
        course=c.course, changes="A new case study on exploitation", by=c.lead
    )
    future_session(c, c.rhys)
    return c


@pytest.mark.parametrize("language", LANGUAGES)
def test_cascade_pages(world_a: World, open_page: OpenPage, language: str) -> None:
    c = _cascade(world_a)
    certification = c.rhys.certifications.get()
    # Rhys has no account: the lead records for him that he was told of the new version.
    unlinked = VersionAcknowledgement.objects.get(trainer=c.rhys)
    page = open_page(user=c.lead, language=language)
    sweep(
        page,
        language,
        [
            (f"/training/courses/{c.course.pk}/", 200),
            (f"/training/courses/{c.course.pk}/cascade/", 200),
            (f"/training/courses/{c.course.pk}/cascade/certify/", 200),
            (f"/training/certifications/{certification.pk}/remove/", 200),
            (f"/training/trainers/{c.rhys.pk}/", 200),
            (f"/training/trainers/{c.rhys.pk}/observations/", 200),
            (f"/training/trainers/{c.rhys.pk}/observations/new/", 200),
            (f"/training/cascade/acknowledgements/{unlinked.pk}/record/", 200),
        ],
    )
    acknowledgement = VersionAcknowledgement.objects.get(trainer=c.amara)
    trainer = open_page(user=world_a.user(Role.TRAINER), language=language)
    sweep(
        trainer,
        language,
        [
            ("/training/", 200),
            ("/training/cascade/mine/", 200),
            (f"/training/cascade/acknowledgements/{acknowledgement.pk}/", 200),
        ],
    )


def test_an_observation_and_an_acknowledgement_without_javascript(
    world_a: World, open_page: OpenPage
) -> None:
    c = _cascade(world_a)
    page = open_page(user=c.lead, javascript=False)
    visit(page, f"/training/trainers/{c.jade.pk}/observations/new/")
    page.get_by_label("Day").fill("2")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Who observed").fill("Dr Amara Okafor, lead trainer")
    for legend, rating in (
        ("Fidelity to the content", "3: Mostly"),
        ("Accuracy", "4: Fully"),
        ("Handling of distress", "2: Partly"),
    ):
        page.get_by_role("group", name=legend).get_by_label(rating).check()
    submit(page, page.get_by_role("button", name="Save"), status=400)
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Rate “Engagement” from 1 to 4" in summary
    page.get_by_role("group", name="Engagement").get_by_label("4: Fully").check()
    submit(page, page.get_by_role("button", name="Save"))
    assert page.url.endswith(f"/training/trainers/{c.jade.pk}/observations/")
    assert QaObservation.objects.filter(trainer=c.jade).count() == 1

    trainer = open_page(user=world_a.user(Role.TRAINER), javascript=False)
    visit(trainer, "/training/cascade/mine/")
    trainer.get_by_role("link", name="Foundation day: version 2").click()
    submit(trainer, trainer.get_by_role("button", name="I have read the changes"))
    assert trainer.url.endswith("/training/cascade/mine/")
    assert VersionAcknowledgement.objects.get(trainer=c.amara).acknowledged_at is not None
