"""A partnership's delivery settings: the page (for the people who manage training), the service
that creates or changes the row and audits it, refusals that say what to fix and save nothing,
and the settings at work: re-confirmation days read from them by the booking sweep and shown on
the session pages."""

from __future__ import annotations

import html
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.conftest import World, signed_in_client
from tests.training.bookings_helpers import make_session, member
from tip.core.models import AuditAction, AuditEntry
from tip.core.roles import Role
from tip.training import selectors_bookings as selectors
from tip.training import services_bookings
from tip.training import services_delivery as services
from tip.training.analysis import bookings as rules
from tip.training.models_bookings import Booking
from tip.training.models_delivery import DeliverySettings

pytestmark = pytest.mark.django_db

URL = "/training/settings/"

VALID = {
    "offer_hours": "24",
    "reconfirm_days_virtual": "10, 3",
    "reconfirm_days_in_person": "5",
    "reconfirm_days_hybrid": "6 and 1",
    "check_in_retention_days": "14",
    "follow_up_reminder_days": "3",
    "observation_due_days": "60",
    "certification_lapses_days": "300",
}


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def entries(action: str) -> Any:
    return AuditEntry.objects.filter(action=action, object_type="training.DeliverySettings")


# --- The page ------------------------------------------------------------------------------------


def test_the_page_shows_the_defaults_until_the_partnership_saves_its_own(world_a: World) -> None:
    client = signed_in_client(world_a.user(Role.PROGRAMME_LEAD))
    page = client.get(URL)
    assert page.status_code == 200
    body = text(page)
    assert "Delivery settings" in body and "TIP's usual settings" in body
    assert 'value="48"' in body and 'value="7, 2"' in body and 'value="365"' in body
    assert 'name="follow_up_reminder_days"' in body and 'value="7"' in body
    assert reverse("training:clearance-settings") in body  # linked both ways
    assert not DeliverySettings.objects.exists()  # looking saves nothing


def test_saving_creates_the_row_then_changes_only_what_changed(world_a: World) -> None:
    lead = world_a.user(Role.PROGRAMME_LEAD)
    client = signed_in_client(lead)
    saved = client.post(URL, VALID)
    assert saved.status_code == 302 and saved["Location"] == URL
    row = DeliverySettings.objects.get(partnership=world_a.partnership)
    assert (row.offer_hours, row.check_in_retention_days, row.follow_up_reminder_days) == (
        24,
        14,
        3,
    )
    assert (row.observation_due_days, row.certification_lapses_days) == (60, 300)
    assert row.reconfirm_days_virtual == [10, 3]
    assert row.reconfirm_days_in_person == [5]
    assert row.reconfirm_days_hybrid == [6, 1]
    [created] = entries(AuditAction.CREATE)
    assert created.actor == lead and created.partnership == world_a.partnership
    assert "offer_hours" in created.changed_fields and len(created.changed_fields) == 8
    assert "Delivery settings saved" in text(client.get(URL))

    client.post(URL, VALID | {"offer_hours": "72"})
    [updated] = entries(AuditAction.UPDATE)
    assert updated.changed_fields == ["offer_hours"] and updated.actor == lead
    row.refresh_from_db()
    assert row.offer_hours == 72
    client.post(URL, VALID | {"offer_hours": "72"})  # the same again: nothing to record
    assert entries(AuditAction.UPDATE).count() == 1
    assert DeliverySettings.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("offer_hours", "0", "between 1 and 336"),
        ("offer_hours", "337", "between 1 and 336"),
        ("offer_hours", "two days", "as a whole number, for example 48"),
        ("offer_hours", "", "Enter the hours to accept an offered place"),
        (
            "check_in_retention_days",
            "91",
            "days to keep check-in requests as a whole number between 1 and 90",
        ),
        ("follow_up_reminder_days", "-1", "between 0 and 90 (0 sends no reminder)"),
        ("observation_due_days", "0", "between 1 and 730"),
        ("certification_lapses_days", "60", "must lapse after its observation is due"),
        ("certification_lapses_days", "30", "enter more than 60 days"),
        ("reconfirm_days_virtual", "7, soon", "Give the days as whole numbers, such as 7, 2"),
        ("reconfirm_days_virtual", "0", "Enter the days before virtual sessions"),
        ("reconfirm_days_in_person", "120", "each between 1 and 90"),
        ("reconfirm_days_hybrid", "9 8 7 6 5 4", "from 1 to 5 numbers"),
        ("reconfirm_days_hybrid", "", "Enter the days before a hybrid session"),
    ],
)
def test_bad_values_are_refused_with_what_to_fix_and_nothing_saved(
    world_a: World, field: str, value: str, message: str
) -> None:
    client = signed_in_client(world_a.user(Role.PROGRAMME_LEAD))
    refused = client.post(URL, VALID | {field: value})
    assert refused.status_code == 400
    body = text(refused)
    assert message in body
    assert "There is a problem" in body and f'href="#id_{field}"' in body
    # The good values beside it are not half-saved.
    assert not DeliverySettings.objects.exists()
    assert not AuditEntry.objects.filter(object_type="training.DeliverySettings").exists()


def test_a_refusal_leaves_saved_settings_as_they_were(world_a: World) -> None:
    lead = world_a.user(Role.PROGRAMME_LEAD)
    services.delivery_settings_set(partnership=world_a.partnership, by=lead, offer_hours=12)
    with pytest.raises(ValidationError) as refused:
        services.delivery_settings_set(
            partnership=world_a.partnership, by=lead, offer_hours=24, check_in_retention_days=0
        )
    assert set(refused.value.message_dict) == {"check_in_retention_days"}
    row = DeliverySettings.objects.get()
    assert (row.offer_hours, row.check_in_retention_days) == (12, 7)
    assert entries(AuditAction.UPDATE).count() == 0


def test_the_service_keeps_what_it_is_not_given_and_knows_its_fields(world_a: World) -> None:
    lead = world_a.user(Role.PARTNERSHIP_ADMIN)
    row = services.delivery_settings_set(
        partnership=world_a.partnership, by=lead, reconfirm_days_virtual=[2, 14, 2]
    )
    assert row.reconfirm_days_virtual == [14, 2]  # furthest first, once each
    assert (row.offer_hours, row.reconfirm_days_in_person) == (48, [7])
    with pytest.raises(TypeError):
        services.delivery_settings_set(partnership=world_a.partnership, by=lead, colour="red")


def test_only_the_people_who_manage_training_may_open_it(world_a: World) -> None:
    for role in (Role.PARTNERSHIP_ADMIN, Role.PROGRAMME_LEAD):
        assert signed_in_client(world_a.user(role)).get(URL).status_code == 200
    for role in (Role.PRACTITIONER, Role.TRAINER, Role.CHAMPION, Role.EVALUATOR, Role.AUDITOR):
        client = signed_in_client(world_a.user(role))
        assert client.get(URL).status_code == 403
        assert client.post(URL, VALID).status_code == 403
    assert not DeliverySettings.objects.exists()
    # The training page links to it for those who may.
    index = text(signed_in_client(world_a.user(Role.PROGRAMME_LEAD)).get("/training/"))
    assert URL in index
    assert URL not in text(signed_in_client(world_a.user(Role.PRACTITIONER)).get("/training/"))


def test_each_partnership_sees_and_changes_only_its_own(world_a: World, world_b: World) -> None:
    services.delivery_settings_set(
        partnership=world_b.partnership, by=world_b.user(Role.PROGRAMME_LEAD), offer_hours=100
    )
    client = signed_in_client(world_a.user(Role.PROGRAMME_LEAD))
    assert 'value="100"' not in text(client.get(URL))
    client.post(URL, VALID)
    b_row = DeliverySettings.objects.get(partnership=world_b.partnership)
    assert b_row.offer_hours == 100 and b_row.reconfirm_days_virtual == [7, 2]
    assert DeliverySettings.objects.get(partnership=world_a.partnership).offer_hours == 24


# --- Re-confirmation days read from the settings --------------------------------------------------


def test_the_rule_prefers_the_sessions_days_then_the_partnerships_then_tips() -> None:
    mine = {"virtual": [10, 3, 3], "in_person": []}
    assert rules.reconfirm_days("virtual", [], mine) == (10, 3)
    assert rules.reconfirm_days("virtual", [4], mine) == (4,)
    assert rules.reconfirm_days("in_person", None, mine) == (7,)  # none chosen: TIP's
    assert rules.reconfirm_days("hybrid", None, None) == (7,)
    assert rules.reconfirm_days("virtual", [0], {"virtual": [0]}) == (7, 2)


def test_sessions_without_their_own_days_use_the_partnerships(world_a: World) -> None:
    lead = world_a.user(Role.PROGRAMME_LEAD)
    virtual = make_session(world_a.partnership, lead)
    in_person = make_session(world_a.partnership, lead, format="in_person")
    own = make_session(world_a.partnership, lead, reconfirm_days=[4])
    assert selectors.reconfirm_days_of(virtual) == (7, 2)  # TIP's defaults, before any choice
    services.delivery_settings_set(
        partnership=world_a.partnership,
        by=lead,
        reconfirm_days_virtual=[10, 3],
        reconfirm_days_in_person=[5],
    )
    assert selectors.reconfirm_days_of(virtual) == (10, 3)
    assert selectors.reconfirm_days_of(in_person) == (5,)
    assert selectors.reconfirm_days_of(own) == (4,)  # the session's own choice wins


def test_the_booking_sweep_asks_on_the_partnerships_days(world_a: World, world_b: World) -> None:
    lead = world_a.user(Role.PROGRAMME_LEAD)
    services.delivery_settings_set(
        partnership=world_a.partnership, by=lead, reconfirm_days_virtual=[10, 3]
    )
    start = timezone.now() + timedelta(days=12)
    a_session = make_session(world_a.partnership, lead, starts=start)
    b_session = make_session(world_b.partnership, world_b.user(Role.PROGRAMME_LEAD), starts=start)
    bookings = []
    for world, session in ((world_a, a_session), (world_b, b_session)):
        person = member(world.partnership, world.organisations[0], f"Keen {world.partnership.pk}")
        booking = services_bookings.book(
            session=session, person=person, booker=person, now=start - timedelta(days=11)
        )
        Booking.objects.filter(pk=booking.pk).update(created_at=start - timedelta(days=11))
        bookings.append(booking)
    services_bookings.sweep(now=start - timedelta(days=10))
    a_booking, b_booking = (Booking.objects.get(pk=b.pk) for b in bookings)
    # A's partnership asks 10 days before, to answer by the next ask, 3 days before; B (the
    # defaults, 7 and 2) is not asked yet.
    assert a_booking.confirm_by == start - timedelta(days=3)
    assert b_booking.confirm_by is None
    services_bookings.sweep(now=start - timedelta(days=7))
    assert Booking.objects.get(pk=b_booking.pk).confirm_by == start - timedelta(days=2)


def test_the_session_pages_show_the_partnerships_days(world_a: World) -> None:
    lead = world_a.user(Role.PROGRAMME_LEAD)
    session = make_session(world_a.partnership, lead, status="draft")
    services.delivery_settings_set(
        partnership=world_a.partnership, by=lead, reconfirm_days_virtual=[9, 4]
    )
    client = signed_in_client(lead)
    detail = text(client.get(reverse("training:session-detail", args=[session.pk])))
    assert "9 days before, 4 days before" in detail
    form = text(client.get(reverse("training:session-edit", args=[session.pk])))
    assert "9, 4 for a virtual session" in form
