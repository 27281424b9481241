"""The invitations, comparison cohorts and response rates pages in real Chromium, in English and
Welsh: axe-core's WCAG 2.2 AA checks, no sideways scrolling at 320px in Welsh, no script
errors."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tests.browser.conftest import OpenPage
from tests.browser.test_pages import LANGUAGES, sweep
from tests.conftest import World
from tests.evaluation.invitation_helpers import Collecting
from tip.core.roles import Role
from tip.evaluation import services_invitations as s

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", LANGUAGES)
def test_evaluation_collection_pages(world_a: World, open_page: OpenPage, language: str) -> None:
    c = Collecting(world_a, day=date(2030, 3, 20), people=6)
    s.sync_respondents(c.evaluation, now=datetime(2030, 1, 1, tzinfo=UTC))
    cohort = s.cohort_create(
        plan=c.evaluation, name="Next year's staff", reference_date=date(2030, 6, 1), by=c.lead
    )
    member = s.members_add_emails(cohort=cohort, text="someone@example.org", by=c.lead)[0]
    p = c.programme.pk
    page = open_page(user=world_a.user(Role.EVALUATOR), language=language)
    sweep(
        page,
        language,
        [
            (f"/evaluation/programmes/{p}/", 200),
            (f"/evaluation/programmes/{p}/rates/", 200),
            (f"/evaluation/programmes/{p}/invitations/", 200),
            (f"/evaluation/programmes/{p}/cohorts/", 200),
            (f"/evaluation/programmes/{p}/cohorts/new/", 200),
            (f"/evaluation/cohorts/{cohort.pk}/", 200),
            (f"/evaluation/cohorts/{cohort.pk}/remove/", 200),
            (f"/evaluation/cohorts/{cohort.pk}/members/", 200),
            (
                f"/evaluation/cohorts/{cohort.pk}/members/?organisation={world_a.organisations[0].pk}",
                200,
            ),
            (f"/evaluation/cohorts/{cohort.pk}/members/emails/", 200),
            (f"/evaluation/cohort-members/{member.pk}/remove/", 200),
        ],
    )
