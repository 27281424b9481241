"""The token holder's own bookings in the JSON API: list them, book a session (or join its waiting
list), cancel. The same services as the pages do the work, so the API refuses what the pages
refuse (422, with the same messages) and writes the same audit entries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Schema, Status
from pydantic import Field

from tip.core.api import VIA, InputSchema, _documented, _need
from tip.programmes.models import WorkforceGroup
from tip.training import selectors_bookings as selectors
from tip.training import services_bookings as services
from tip.training.api import naming_codes, router
from tip.training.models_bookings import Booking
from tip.training.roles import VIEW_TRAINING


class BookingOut(Schema):
    id: int
    session: int = Field(validation_alias="session_id")
    session_title: str
    starts_at: datetime | None = Field(description="The first part's start, in UTC.")
    status: str = Field(description="booked, waiting, offered, cancelled or released.")
    waiting_since: datetime | None
    offer_expires_at: datetime | None = Field(
        description="For an offered place: accept it before this time."
    )
    confirm_by: datetime | None = Field(
        description="Asked to re-confirm: confirm the place before this time or it is released."
    )
    confirmed_at: datetime | None
    cancelled_at: datetime | None
    notify_manager: bool
    staff_group: str = Field(description="The participant's group of staff; empty if not given.")
    created_at: datetime

    @staticmethod
    def resolve_session_title(obj: Booking) -> str:
        return str(obj.session)

    @staticmethod
    def resolve_starts_at(obj: Booking) -> datetime | None:
        return selectors.first_start(obj.session)


class BookingIn(InputSchema):
    session: int = Field(description="The id of a published session that has not started.")
    join_waiting_list: bool = Field(
        default=False, description="If the session is full, join its waiting list."
    )
    notify_manager: bool = Field(
        default=False, description="Tell your manager if you do not attend."
    )
    manager_email: str = Field(default="", max_length=254)
    check_in: bool = Field(
        default=False,
        description="Privately ask a trainer to check in with you (no reason asked).",
    )
    # Checked by the service, as on the booking page.
    staff_group: str = Field(
        default="",
        description=f"Optional: your group of staff, one of {', '.join(WorkforceGroup.values)}. "
        "Programmes count who is trained by group; leave it out or empty to not say.",
    )


@router.get(
    "/bookings",
    summary="Your bookings, waiting-list places and offers",
    **_documented({200: list[BookingOut]}, 401, 403),
)
def booking_list(request: HttpRequest) -> Any:
    m = _need(request, VIEW_TRAINING)
    return selectors.my_bookings(membership=m)


@router.post(
    "/bookings",
    summary="Book yourself on a session",
    description=(
        "Books a place, or with join_waiting_list joins the waiting list of a full session. "
        "Refused (422) for a session that is past, cancelled, not open for booking, full, or "
        "that you are already booked, waiting or offered a place on, or for a group of staff "
        "not on the list."
    ),
    **_documented({201: BookingOut}, 400, 401, 403, 404, 409, 422),
)
def booking_create(request: HttpRequest, payload: BookingIn) -> Any:
    m = _need(request, VIEW_TRAINING)
    values = payload.dict()
    session = selectors.session_get(partnership=m.partnership, session_id=values.pop("session"))
    with naming_codes(staff_group=WorkforceGroup.values):
        booking = services.book(session=session, person=m, booker=m, via=VIA, **values)
    return Status(201, booking)


@router.post(
    "/bookings/{int:booking_id}/cancel",
    summary="Cancel your booking, waiting-list place or offer",
    description="Only before the session starts; within 48 hours it is recorded as late.",
    **_documented({200: BookingOut}, 401, 403, 404, 422),
)
def booking_cancel(request: HttpRequest, booking_id: int) -> Any:
    m = _need(request, VIEW_TRAINING)
    booking = selectors.my_booking_get(membership=m, booking_id=booking_id)
    return services.cancel(booking=booking, by=m.user, via=VIA)
