"""Follow-up pages in real Chromium, in English and Welsh: axe-core's WCAG 2.2 AA checks, no
sideways scrolling at 320px in Welsh, no script errors (a course's invitations, one invitation,
My training with its follow-ups, and the booking form's group of staff); an outcome recorded
without JavaScript, refused first for want of a date."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.browser.conftest import OpenPage, submit, visit
from tests.browser.test_pages import LANGUAGES, sweep
from tests.conftest import World
from tests.training import bookings_helpers
from tests.training.test_attendance import make_session
from tests.training.test_followups import take, with_follow_ups
from tip.core.roles import Role
from tip.training.models_followups import FollowUpInvitation
from tip.training.models_sessions import Session

pytestmark = pytest.mark.browser


def _followed_up(world: World) -> Session:
    people = [world.members[r] for r in (Role.CHAMPION, Role.EVALUATOR, Role.PRACTITIONER)]
    session = with_follow_ups(make_session(world, days_ago=50, people=people), world)
    take(session, world, "attended", "no_show", "partly")
    return session


@pytest.mark.parametrize("language", LANGUAGES)
def test_follow_up_pages(world_a: World, open_page: OpenPage, language: str) -> None:
    session = _followed_up(world_a)
    invitation = FollowUpInvitation.objects.filter(status="invited").order_by("pk").first()
    assert invitation is not None
    lead = world_a.user(Role.PROGRAMME_LEAD)
    open_session = bookings_helpers.make_session(world_a.partnership, lead, title="Awareness")
    base = f"/training/courses/{session.course.pk}"
    page = open_page(user=lead, language=language)
    sweep(
        page,
        language,
        [
            (f"{base}/", 200),
            (f"{base}/follow-up-invitations/", 200),
            (f"{base}/follow-up-invitations/?status=scheduled", 200),
            (f"/training/follow-up-invitations/{invitation.pk}/", 200),
            (f"/training/sessions/{open_session.pk}/book-for-staff/", 200),
        ],
    )
    practitioner = open_page(user=world_a.user(Role.PRACTITIONER), language=language)
    sweep(
        practitioner,
        language,
        [("/training/my/", 200), (f"/training/sessions/{open_session.pk}/book/", 200)],
    )


def test_recording_an_outcome_without_javascript(world_a: World, open_page: OpenPage) -> None:
    session = _followed_up(world_a)
    invitation = (
        FollowUpInvitation.objects.filter(status="invited")
        .select_related("booking__membership__user")
        .order_by("pk")
        .first()
    )
    assert invitation is not None
    page = open_page(user=world_a.user(Role.PROGRAMME_LEAD), javascript=False)
    visit(page, f"/training/courses/{session.course.pk}/follow-up-invitations/")
    page.locator(f'a[href$="/follow-up-invitations/{invitation.pk}/"]').click()
    assert invitation.booking.membership.user.full_name in page.locator("main").inner_text()
    page.get_by_label("Completed", exact=True).check()
    submit(page, page.get_by_role("button", name="Save"), status=400)
    assert "Enter the date they completed it" in page.locator(".govuk-error-summary").inner_text()
    today = timezone.localdate()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    submit(page, page.get_by_role("button", name="Save"))
    assert page.url.endswith(f"/training/courses/{session.course.pk}/follow-up-invitations/")
    invitation.refresh_from_db()
    assert (invitation.status, invitation.completed_on) == ("completed", today)
