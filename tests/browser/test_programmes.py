"""The Theory of Change pages in real Chromium, in English and Welsh: axe-core's WCAG 2.2 AA
checks, no sideways scrolling at 320px in Welsh, and no script errors."""

from __future__ import annotations

import pytest

from tests.browser.conftest import OpenPage
from tests.browser.test_pages import LANGUAGES, sweep
from tests.conftest import World
from tip.core.roles import Role
from tip.programmes import services

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", LANGUAGES)
def test_programme_lead_pages(world_a: World, open_page: OpenPage, language: str) -> None:
    lead = world_a.user(Role.PROGRAMME_LEAD)
    p = services.programme_create(
        partnership=world_a.partnership, name="Trauma-informed schools", aims="Calm", by=lead
    )
    activity = services.element_create(programme=p, kind="activity", title="Training", by=lead)
    outcome = services.element_create(
        programme=p,
        kind="outcome",
        title="Staff recognise trauma",
        level="practitioners",
        horizon="short",
        by=lead,
    )
    link = services.link_create(
        programme=p, source=activity, target=outcome, evidence="emerging", by=lead
    )
    note = services.note_create(
        programme=p, kind="assumption", text="Staff can attend", element=activity, by=lead
    )
    indicator = services.indicator_create(
        outcome=outcome, what="Confidence", how="Survey", from_whom="Staff", when="Termly", by=lead
    )
    base = f"/programmes/{p.pk}"
    page = open_page(user=lead, language=language)
    sweep(
        page,
        language,
        [
            (f"{base}/", 200),
            (f"{base}/elements/new/", 200),
            (f"{base}/outcomes/library/", 200),
            (f"{base}/elements/{outcome.pk}/edit/", 200),
            (f"{base}/elements/{activity.pk}/remove/", 200),
            (f"{base}/elements/{outcome.pk}/notes/new/", 200),
            (f"{base}/elements/{outcome.pk}/indicators/new/", 200),
            (f"{base}/links/new/", 200),
            (f"{base}/links/{link.pk}/remove/", 200),
            (f"{base}/links/{link.pk}/notes/new/", 200),
            (f"{base}/notes/{note.pk}/remove/", 200),
            (f"{base}/indicators/{indicator.pk}/remove/", 200),
            (f"{base}/questions/", 200),
            (f"{base}/questions/link:{link.pk}/", 200),
        ],
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_programme_details_and_self_assessment_pages(
    world_a: World, open_page: OpenPage, language: str
) -> None:
    lead = world_a.user(Role.PROGRAMME_LEAD)
    p = services.programme_create(
        partnership=world_a.partnership, name="Trauma-informed policing", aims="Calm", by=lead
    )
    base = f"/programmes/{p.pk}"
    org = world_a.organisations[0]
    page = open_page(user=lead, language=language)
    sweep(
        page,
        language,
        [
            (f"{base}/details/", 200),
            (f"{base}/phases/", 200),
            (f"{base}/governance/", 200),
            (f"{base}/governance/owner/", 200),
            (f"{base}/governance/board/new/", 200),
            (f"{base}/governance/leads/new/", 200),
            (f"{base}/co-design/", 200),
            (f"{base}/co-design/new/", 200),
            ("/programmes/import/", 200),
            ("/programmes/self-assessment/", 200),
            (f"/programmes/self-assessment/organisations/{org.pk}/", 200),
            (f"/programmes/self-assessment/organisations/{org.pk}/new/", 200),
        ],
    )
