"""The invitations, comparison cohorts and response rates pages in real Chromium, in English and
Welsh: axe-core's WCAG 2.2 AA checks, no sideways scrolling at 320px in Welsh, no script
errors; and the response and link rates per wave an evaluator sees once people have answered."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page

from tests.browser.conftest import OpenPage
from tests.browser.test_pages import LANGUAGES, sweep
from tests.conftest import World
from tests.evaluation.invitation_helpers import Collecting, london
from tip.core.roles import Role
from tip.evaluation import codes
from tip.evaluation import services_invitations as s
from tip.evaluation.analysis import linking
from tip.evaluation.models import EvaluationPlan
from tip.evaluation.models_collection import Invitation, InvitationStatus, Response

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


# --- Response and link rates with answers -------------------------------------------------------

DAY = date(2030, 3, 20)
# The anonymous plan's codes (analysis.linking.ELEMENTS, in order). At the baseline: six people,
# two of whom (B and C) differ only in their day of birth.
BASELINE_CODES = [
    ("m", "1", "5", "3", "l", "n"),  # A
    ("s", "0", "12", "7", "c", "e"),  # B
    ("s", "0", "13", "7", "c", "e"),  # C
    ("j", "2", "20", "1", "b", "a"),
    ("k", "3", "28", "11", "n", "y"),
    ("p", "4", "2", "9", "s", "h"),
]
# Straight after: A with the last letter of their first name mistyped (links: one element may
# differ), someone one element from both B and C (ambiguous: refused), and five people who answered
# the baseline nowhere near (not linked).
POST_CODES = [
    ("m", "1", "5", "3", "l", "m"),
    ("s", "0", "14", "7", "c", "e"),
    ("t", "6", "6", "4", "g", "i"),
    ("u", "7", "7", "5", "h", "o"),
    ("v", "8", "8", "6", "r", "u"),
    ("w", "9", "9", "8", "t", "d"),
    ("x", "10", "10", "10", "w", "r"),
]


def _hashes(plan: EvaluationPlan, code: tuple[str, ...]) -> list[str | None]:
    answers = dict(zip(linking.ELEMENT_IDS, code, strict=True))
    return list(codes.hash_code(answers, context=f"plan-{plan.pk}"))


def _answered(c: Collecting, offset: int, completed: int, *, code_list: Any = None) -> None:
    """Send every invitation of the wave; the first ``completed`` people answer it (with their
    anonymous code's hashes when given)."""
    invitations = Invitation.objects.filter(
        respondent__plan=c.evaluation, wave__offset_days=offset
    ).select_related("respondent", "wave")
    for i, invitation in enumerate(invitations.order_by("pk")):
        sent = london(DAY + timedelta(days=offset))
        invitation.sent_at = sent
        invitation.status = InvitationStatus.SENT
        if i < completed:
            invitation.status = InvitationStatus.COMPLETED
            invitation.started_at = invitation.completed_at = sent + timedelta(hours=3)
            Response.objects.create(
                partnership_id=c.evaluation.partnership_id,
                plan=c.evaluation,
                wave=invitation.wave,
                invitation=invitation,
                respondent=invitation.respondent,
                group=invitation.respondent.group,
                consented_at=invitation.started_at,
                answers={},
                code_hashes=_hashes(c.evaluation, code_list[i]) if code_list else None,
                submitted_at=invitation.completed_at,
            )
        invitation.save()


def _table(page: Page, n: int) -> list[list[str]]:
    """The cells of each body row of the page's ``n``th table."""
    rows = page.locator("table").nth(n).locator("tbody tr")
    return [
        [t.strip() for t in rows.nth(i).locator("th, td").all_inner_texts()]
        for i in range(rows.count())
    ]


def _rate(cell: str, rate: int, completed: int, sent: int) -> bool:
    """'83% (10 of 12)', in either language."""
    return re.fullmatch(rf"{rate}%\D+{completed}\D+{sent}\D*", cell) is not None


@pytest.mark.parametrize("language", LANGUAGES)
def test_rates_per_wave_and_links_as_an_evaluator_sees_them(
    world_a: World, open_page: OpenPage, language: str
) -> None:
    identified = Collecting(world_a, day=DAY, people=12)
    s.sync_respondents(identified.evaluation, now=datetime(2030, 1, 1, tzinfo=UTC))
    _answered(identified, -7, 10)
    _answered(identified, 0, 5)  # the first five: they answered the baseline too
    anonymous = Collecting(world_a, day=DAY, people=8, name="Anonymous schools")
    anonymous.evaluation.anonymous = True
    anonymous.evaluation.save(update_fields=["anonymous"])
    s.sync_respondents(anonymous.evaluation, now=datetime(2030, 1, 1, tzinfo=UTC))
    _answered(anonymous, -7, len(BASELINE_CODES), code_list=BASELINE_CODES)
    _answered(anonymous, 0, len(POST_CODES), code_list=POST_CODES)
    with translation.override(language):
        withheld = gettext("1 to 4")

    page = open_page(user=world_a.user(Role.EVALUATOR), language=language)
    sweep(page, language, [(f"/evaluation/programmes/{identified.programme.pk}/rates/", 200)])
    # Wave, group, sent, started, completed, response rate, closed, still to send.
    baseline, post, six_months = (row[2:] for row in _table(page, 0))
    assert baseline[:3] == ["12", "10", "10"] and _rate(baseline[3], 83, 10, 12)
    assert post[:3] == ["12", "5", "5"] and _rate(post[3], 42, 5, 12)
    assert six_months == ["0", "0", "0", "–", "0", "12"]
    # Waves, group, completed the earlier wave, completed both, not the later, link rate.
    assert [row[2:] for row in _table(page, 1)] == [["10", "5", "5", "50%"], ["5", "0", "5", "0%"]]

    sweep(page, language, [(f"/evaluation/programmes/{anonymous.programme.pk}/rates/", 200)])
    baseline, post, _six_months = (row[2:] for row in _table(page, 0))
    assert baseline[:3] == ["8", "6", "6"] and _rate(baseline[3], 75, 6, 8)
    assert post[:3] == ["8", "7", "7"] and _rate(post[3], 88, 7, 8)
    # Answers at the later wave, linked, ambiguous, not linked, link rate. An evaluator is not
    # shown counts from 1 to 4, nor a rate made from one.
    links = [row[2:] for row in _table(page, 1)]
    assert links == [["7", withheld, withheld, "5", "–"], ["0", "0", "0", "0", "–"]]

    lead = open_page(user=world_a.user(Role.PROGRAMME_LEAD), language=language)
    sweep(lead, language, [(f"/evaluation/programmes/{anonymous.programme.pk}/rates/", 200)])
    # Exactly: the mistyped code linked, the ambiguous one refused, five not linked (1 of 7).
    assert _table(lead, 1)[0][2:] == ["7", "1", "1", "5", "14%"]
