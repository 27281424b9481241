"""Booking pages: thin views over the booking selectors and services.

* "My training": the signed-in person's bookings, waiting-list places and offers, and the
  sessions open for booking; one page per booking with its actions as POST forms.
* Booking yourself on a session, and booking staff (admins, programme leads, champions).
* A session's bookings for the people who manage training (names: an audited view).
* A session's private check-in requests, for its own trainers only (an audited view).
* Organisations' welfare offers, sent to their staff before and after sessions.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tip.core.audit import audit_view
from tip.core.models import Membership, Partnership, User
from tip.core.selectors import organisation_get
from tip.core.tenancy import TipRequest, requires
from tip.training import selectors_bookings as selectors
from tip.training import selectors_followups as followup_selectors
from tip.training import services_bookings as services
from tip.training.forms_bookings import BookForm, BookForStaffForm, WelfareOfferForm
from tip.training.models_bookings import BookingStatus
from tip.training.models_sessions import Session
from tip.training.roles import MANAGE_TRAINING, VIEW_TRAINING
from tip.training.roles_bookings import BOOK_FOR_STAFF, SEE_CHECK_IN_REQUESTS
from tip.training.selectors_courses import version_content


def _ctx(request: HttpRequest) -> tuple[Partnership, Membership, User]:
    req = cast(TipRequest, request)
    assert req.partnership is not None and req.membership is not None
    return req.partnership, req.membership, cast(User, request.user)


def _refused(form: forms.Form | None, exc: ValidationError) -> list[str]:
    """Show a service's refusal on the form, against the field it names; return what is left
    for the page's error summary."""
    if form is not None and hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
        return []
    return list(exc.messages)


def _session_context(session: Session) -> dict[str, Any]:
    places = selectors.places(session=session)
    return {
        "session": session,
        "parts": selectors.parts_of(session),
        "places": places,
        "warnings": version_content(version=session.course_version).warnings,
    }


# --- My training -----------------------------------------------------------------------------


@requires(VIEW_TRAINING)
def my_training(request: HttpRequest) -> HttpResponse:
    partnership, membership, _user = _ctx(request)
    bookings = selectors.my_bookings(membership=membership)
    now = timezone.now()
    return render(
        request,
        "training/booking_my_training.html",
        {
            "offers": [b for b in bookings if b.status == BookingStatus.OFFERED],
            "booked": [b for b in bookings if b.status == BookingStatus.BOOKED],
            "waiting": [b for b in bookings if b.status == BookingStatus.WAITING],
            "past": [b for b in bookings if b.status not in services.ACTIVE],
            "open_sessions": selectors.open_sessions(partnership=partnership, now=now),
            "now": now,
            "follow_ups": followup_selectors.my_invitations(membership=membership),
        },
    )


ACTIONS = {"confirm", "cancel", "accept", "decline", "check_in", "withdraw_check_in"}


@requires(VIEW_TRAINING)
def my_booking(request: HttpRequest, booking_id: int) -> HttpResponse:
    _partnership, membership, user = _ctx(request)
    booking = selectors.my_booking_get(membership=membership, booking_id=booking_id)
    errors: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action", "")
        done = {
            "confirm": _("Thank you: your place is confirmed"),
            "cancel": _("Your booking is cancelled"),
            "accept": _("The place is yours: you are booked"),
            "decline": _("You declined the place: it goes to the next person waiting"),
            "check_in": _("A trainer will check in with you"),
            "withdraw_check_in": _("Your check-in request is withdrawn"),
        }
        try:
            if action == "confirm":
                services.confirm(booking=booking, by=user)
            elif action == "cancel":
                services.cancel(booking=booking, by=user)
            elif action == "accept":
                services.accept_offer(booking=booking, by=user)
            elif action == "decline":
                services.decline_offer(booking=booking, by=user)
            elif action in {"check_in", "withdraw_check_in"}:
                services.check_in_set(booking=booking, wanted=action == "check_in", by=user)
            else:
                raise ValidationError(_("Choose what to do with your booking"))
        except ValidationError as exc:
            errors = _refused(None, exc)
            booking = selectors.my_booking_get(membership=membership, booking_id=booking_id)
        else:
            messages.success(request, done[action])
            return HttpResponseRedirect(reverse("training:my-booking", args=[booking.pk]))
    session = booking.session
    start = selectors.first_start(session)
    now = timezone.now()
    return render(
        request,
        "training/booking_detail.html",
        {
            **_session_context(session),
            "booking": booking,
            "title": str(session),
            "errors": errors,
            "has_check_in": hasattr(booking, "check_in_request"),
            "offer_expired": booking.status == BookingStatus.OFFERED
            and booking.offer_expires_at is not None
            and booking.offer_expires_at <= now,
            "can_cancel": booking.status in services.ACTIVE and start is not None and start > now,
            "cancelled_late": services.cancelled_late(booking),
            "show_link": booking.status == BookingStatus.BOOKED,
        },
        status=400 if errors else 200,
    )


# --- Booking ---------------------------------------------------------------------------------


@requires(VIEW_TRAINING)
def session_book(request: HttpRequest, open_session_id: int) -> HttpResponse:
    partnership, membership, _user = _ctx(request)
    session = selectors.session_get(partnership=partnership, session_id=open_session_id)
    existing = selectors.my_active_booking(membership=membership, session=session)
    form = BookForm(request.POST if request.method == "POST" else None)
    errors: list[str] = []
    full = False
    if request.method == "POST" and form.is_valid():
        try:
            booking = services.book(
                session=session, person=membership, booker=membership, **form.values()
            )
        except ValidationError as exc:
            full = getattr(exc, "code", None) == "full"
            errors = _refused(form, exc)
        else:
            if booking.status == BookingStatus.WAITING:
                messages.success(request, _("You are on the waiting list"))
            else:
                messages.success(request, _("You are booked. We have emailed you the details."))
            return HttpResponseRedirect(reverse("training:my-booking", args=[booking.pk]))
    context = _session_context(session)
    return render(
        request,
        "training/booking_book.html",
        {
            **context,
            "form": form,
            "errors": errors,
            "existing": existing,
            "full": full or context["places"].free == 0,
            "can_book_for_staff": BOOK_FOR_STAFF in cast(TipRequest, request).capabilities,
        },
        status=400 if request.method == "POST" else 200,
    )


@requires(BOOK_FOR_STAFF, personal_data=services.BOOK_FOR_STAFF)
def session_book_for_staff(request: HttpRequest, open_session_id: int) -> HttpResponse:
    partnership, membership, user = _ctx(request)
    session = selectors.session_get(partnership=partnership, session_id=open_session_id)
    people = selectors.bookable_people(partnership=partnership, booker=membership)
    form = BookForStaffForm(request.POST if request.method == "POST" else None, people=people)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"]
        try:
            booking = services.book(
                session=session, person=person, booker=membership, **form.values()
            )
        except ValidationError as exc:
            errors = _refused(form, exc)
        else:
            if booking.status == BookingStatus.WAITING:
                text = _("%(name)s is on the waiting list")
            else:
                text = _("%(name)s is booked and has been emailed the details")
            messages.success(request, text % {"name": person.user.full_name})
            return HttpResponseRedirect(
                reverse("training:session-book-for-staff", args=[session.pk])
            )
    if request.method == "GET":
        audit_view(
            actor=user, obj=session, partnership=partnership, purpose=services.BOOK_FOR_STAFF
        )
    return render(
        request,
        "training/booking_for_staff.html",
        {**_session_context(session), "form": form, "errors": errors},
        status=400 if request.method == "POST" else 200,
    )


# --- For the people who run sessions -----------------------------------------------------------


@requires(MANAGE_TRAINING, personal_data=services.SESSION_BOOKINGS)
def session_bookings(request: HttpRequest, open_session_id: int) -> HttpResponse:
    partnership, _membership, user = _ctx(request)
    session = selectors.session_get(partnership=partnership, session_id=open_session_id)
    bookings = selectors.session_bookings(session=session)
    services.audit_session_bookings_view(session=session, by=user, partnership=partnership)
    late = {b.pk for b in bookings if services.cancelled_late(b, session=session)}
    return render(
        request,
        "training/booking_list.html",
        {**_session_context(session), "bookings": bookings, "late": late},
    )


@requires(SEE_CHECK_IN_REQUESTS, personal_data=services.CHECK_IN_REQUESTS)
def session_check_ins(request: HttpRequest, open_session_id: int) -> HttpResponse:
    partnership, membership, _user = _ctx(request)
    session = selectors.session_get(partnership=partnership, session_id=open_session_id)
    requests = services.check_in_requests_for_trainer(session=session, membership=membership)
    return render(
        request,
        "training/booking_check_ins.html",
        {"session": session, "parts": selectors.parts_of(session), "requests": requests},
    )


# --- Welfare offers ----------------------------------------------------------------------------


@requires(MANAGE_TRAINING)
def welfare_offer_list(request: HttpRequest) -> HttpResponse:
    partnership, _membership, _user = _ctx(request)
    return render(
        request,
        "training/booking_welfare_list.html",
        {"rows": selectors.welfare_offers(partnership=partnership)},
    )


@requires(MANAGE_TRAINING)
def welfare_offer_edit(request: HttpRequest, organisation_id: int) -> HttpResponse:
    partnership, _membership, user = _ctx(request)
    organisation = organisation_get(partnership=partnership, organisation_id=organisation_id)
    existing = selectors.welfare_offer_of(organisation=organisation)
    initial = {"offer": existing.offer, "contacts": existing.contacts} if existing else {}
    form = WelfareOfferForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.welfare_offer_set(organisation=organisation, by=user, **form.cleaned_data)
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(
                request, _("%(name)s's welfare offer is saved") % {"name": organisation.name}
            )
            return HttpResponseRedirect(reverse("training:welfare-offer-list"))
    return render(
        request,
        "training/booking_welfare_form.html",
        {"form": form, "organisation": organisation},
        status=400 if form.is_bound and form.errors else 200,
    )
