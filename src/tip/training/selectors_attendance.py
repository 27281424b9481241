"""Reads for registers, drop-out rates, certificates and training records, each scoped to the
partnership (another partnership's ids answer 404), each in a fixed number of queries whatever
the data's size. The one read across partnerships is ``certificate_check``, for the public
verification page, and it returns only what that page may show."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, Min, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from tip.core.models import Membership, Partnership
from tip.training.analysis import attendance as analysis
from tip.training.models_bookings import AttendanceMark, Booking, BookingStatus
from tip.training.models_delivery import Certificate
from tip.training.models_sessions import Session, SessionStatus, SessionTrainer

LONDON = ZoneInfo("Europe/London")
REGISTER_LIST_LIMIT = 50
RECORDS_PER_PAGE = 50


# --- Sessions and their registers ----------------------------------------------------------------


def session_for_register(*, partnership: Partnership, session_id: int) -> Session:
    """The session, with its course, version and parts (two queries)."""
    session: Session = get_object_or_404(
        Session.objects.for_partnership(partnership)
        .select_related("course", "course_version", "partnership")
        .prefetch_related("parts"),
        pk=session_id,
    )
    return session


def is_session_trainer(*, session: Session, membership: Membership) -> bool:
    return SessionTrainer.objects.filter(
        session=session,
        partnership_id=session.partnership_id,
        trainer__membership_id=membership.pk,
    ).exists()


def session_starts_at(session: Session) -> datetime | None:
    parts = list(session.parts.all())
    return min(p.starts_at for p in parts) if parts else None


def session_ends_at(session: Session) -> datetime | None:
    parts = list(session.parts.all())
    return max(p.ends_at for p in parts) if parts else None


def register_is_open(session: Session, now: datetime | None = None) -> bool:
    """A register can be taken once the session has started, unless it was cancelled."""
    start = session_starts_at(session)
    now = now or timezone.now()
    return session.status != SessionStatus.CANCELLED and start is not None and start <= now


@dataclass(frozen=True)
class RegisterRow:
    booking: Booking
    name: str
    organisation: str
    mark: str  # the saved mark, or "" when the register does not say yet
    note: str
    # Cancelled within the late-cancellation window: on the register, marked "cancelled late"
    # until the trainer says otherwise.
    cancelled_late: bool

    @property
    def suggested(self) -> str:
        if self.mark:
            return self.mark
        return AttendanceMark.LATE_CANCELLATION if self.cancelled_late else ""


def register_rows(*, session: Session) -> list[RegisterRow]:
    """Everyone on the register: every booking holding a place, those who cancelled late, and
    anyone the register already marks. By name. One query (the parts are prefetched)."""
    start = session_starts_at(session)
    wanted = Q(status=BookingStatus.BOOKED) | Q(attendance__isnull=False)
    if start is not None:
        late_from = start - timedelta(hours=analysis.LATE_CANCELLATION_HOURS)
        wanted |= Q(status=BookingStatus.CANCELLED, cancelled_at__gt=late_from)
    bookings = (
        Booking.objects.filter(session=session, partnership_id=session.partnership_id)
        .filter(wanted)
        .select_related("membership__user", "membership__organisation", "attendance")
        .order_by("membership__user__full_name", "pk")
    )
    rows = []
    for b in bookings:
        attendance = getattr(b, "attendance", None)
        rows.append(
            RegisterRow(
                booking=b,
                name=b.membership.user.full_name,
                organisation=b.membership.organisation.name,
                mark=attendance.mark if attendance else "",
                note=attendance.note if attendance else "",
                cancelled_late=b.status == BookingStatus.CANCELLED
                and analysis.is_late_cancellation(b.cancelled_at, start),
            )
        )
    return rows


def register_sessions(
    *, partnership: Partnership, membership: Membership | None, now: datetime | None = None
) -> list[Session]:
    """Sessions whose register can be taken, latest first: all of the partnership's (for people
    who manage training) or those ``membership`` teaches. Each carries ``first_start``,
    ``booked`` and ``marked``."""
    now = now or timezone.now()
    qs = (
        Session.objects.for_partnership(partnership)
        .exclude(status=SessionStatus.CANCELLED)
        .annotate(first_start=Min("parts__starts_at"))
        .filter(first_start__lte=now)
        .select_related("course")
    )
    if membership is not None:
        qs = qs.filter(
            pk__in=SessionTrainer.objects.filter(
                partnership=partnership, trainer__membership=membership
            ).values("session_id")
        )
    sessions = list(qs.order_by("-first_start", "-pk")[:REGISTER_LIST_LIMIT])
    counts = (
        Booking.objects.filter(session__in=[s.pk for s in sessions], partnership=partnership)
        .values("session_id")
        .annotate(
            booked=Count("pk", filter=Q(status=BookingStatus.BOOKED)),
            marked=Count("attendance"),
        )
    )
    by_session = {c["session_id"]: c for c in counts}
    for s in sessions:
        found = by_session.get(s.pk, {})
        s.booked = found.get("booked", 0)
        s.marked = found.get("marked", 0)
    return sessions


# --- Drop-out and no-show rates ------------------------------------------------------------------


def rate_tallies(*, partnership: Partnership, now: datetime | None = None) -> list[analysis.Tally]:
    """Every booking made on the partnership's sessions that have started and were not
    cancelled, counted by format, the participant's organisation and its sector, the month the
    session started (Europe/London) and what the booking came to. Two queries."""
    now = now or timezone.now()
    sessions = {
        pk: (fmt, first.astimezone(LONDON))
        for pk, fmt, first in Session.objects.for_partnership(partnership)
        .exclude(status=SessionStatus.CANCELLED)
        .annotate(first_start=Min("parts__starts_at"))
        .filter(first_start__lte=now)
        .values_list("pk", "format", "first_start")
    }
    rows = (
        Booking.objects.for_partnership(partnership)
        .exclude(session__status=SessionStatus.CANCELLED)
        .values_list(
            "session_id",
            "membership__organisation__name",
            "membership__organisation__sector",
            "status",
            "attendance__mark",
            "cancelled_at",
        )
    )
    counter: Counter[tuple[str, str, str, str, str]] = Counter()
    for session_id, organisation, sector, status, mark, cancelled_at in rows.iterator(
        chunk_size=5000
    ):
        found = sessions.get(session_id)
        if found is None:
            continue
        fmt, start = found
        late = analysis.is_late_cancellation(cancelled_at, start)
        outcome = analysis.booking_outcome(status, mark, late=late)
        if outcome is None:
            continue
        counter[(fmt, organisation, sector, start.strftime("%Y-%m"), outcome)] += 1
    return [
        analysis.Tally(
            format=fmt,
            organisation=org,
            sector=sector,
            month=month,
            outcome=outcome,
            count=n,
        )
        for (fmt, org, sector, month, outcome), n in sorted(counter.items())
    ]


# --- Certificates --------------------------------------------------------------------------------


def certificate_get(*, partnership: Partnership, certificate_id: int) -> Certificate:
    certificate: Certificate = get_object_or_404(
        Certificate.objects.for_partnership(partnership)
        .select_related(
            "partnership",
            "booking__membership__user",
            "booking__session__course",
            "booking__session__course_version",
        )
        .prefetch_related("booking__session__parts"),
        pk=certificate_id,
    )
    return certificate


@dataclass(frozen=True)
class CertificateCheck:
    """What the public page may say about a certificate: nothing that names anyone."""

    course: str
    first_day: date
    last_day: date
    hours: Decimal
    revoked: bool


def certificate_check(*, code: str) -> CertificateCheck | None:
    """The certificate with this code, in any partnership, reduced to what the public page may
    show; None when there is none. One query, found or not."""
    code = code.strip()
    if not code or len(code) > 64:
        # Still one query, so a long or empty code takes as long to refuse as any other.
        code = "-"
    found = (
        Certificate.objects.filter(code=code)
        .annotate(
            first_start=Min("booking__session__parts__starts_at"),
            last_end=Max("booking__session__parts__ends_at"),
        )
        .values_list(
            "booking__session__course__name", "first_start", "last_end", "hours", "revoked_at"
        )
        .first()
    )
    if found is None:
        return None
    course, first, last, hours, revoked_at = found
    first_day = first.astimezone(LONDON).date() if first else timezone.localdate()
    last_day = last.astimezone(LONDON).date() if last else first_day
    return CertificateCheck(
        course=course,
        first_day=first_day,
        last_day=last_day,
        hours=hours,
        revoked=revoked_at is not None,
    )


# --- Training records ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordEntry:
    """A session someone attended (or partly attended), with its certificate if any."""

    booking_id: int
    course: str
    version: int
    session: str
    first_start: datetime | None
    last_end: datetime | None
    mark: str
    mark_label: str
    certificate_id: int | None
    certificate_code: str
    certificate_revoked: bool
    hours: Decimal  # certified hours: 0 without a valid certificate

    @property
    def has_valid_certificate(self) -> bool:
        return self.certificate_id is not None and not self.certificate_revoked


@dataclass(frozen=True)
class TrainingRecord:
    membership: Membership
    entries: list[RecordEntry]

    @property
    def hours(self) -> Decimal:
        return sum((e.hours for e in self.entries), Decimal(0))

    @property
    def attended(self) -> int:
        return sum(1 for e in self.entries if e.mark == AttendanceMark.ATTENDED)

    @property
    def certificates(self) -> int:
        return sum(1 for e in self.entries if e.has_valid_certificate)


def training_record(*, membership: Membership) -> TrainingRecord:
    """The sessions a person attended or partly attended in their partnership, latest first,
    with certificates and certified hours. Two queries."""
    bookings = (
        Booking.objects.filter(
            membership=membership,
            partnership_id=membership.partnership_id,
            attendance__mark__in=[AttendanceMark.ATTENDED, AttendanceMark.PARTLY],
        )
        .select_related("session__course", "session__course_version", "attendance", "certificate")
        .annotate(
            first_start=Min("session__parts__starts_at"),
            last_end=Max("session__parts__ends_at"),
        )
        .order_by("-first_start", "-pk")
    )
    entries = []
    for b in bookings:
        certificate = getattr(b, "certificate", None)
        valid = certificate is not None and certificate.revoked_at is None
        entries.append(
            RecordEntry(
                booking_id=b.pk,
                course=b.session.course.name,
                version=b.session.course_version.number,
                session=b.session.title or b.session.course.name,
                first_start=b.first_start,
                last_end=b.last_end,
                mark=b.attendance.mark,
                mark_label=str(b.attendance.get_mark_display()),
                certificate_id=certificate.pk if certificate else None,
                certificate_code=certificate.code if certificate else "",
                certificate_revoked=bool(certificate and certificate.revoked_at),
                hours=certificate.hours if valid and certificate else Decimal(0),
            )
        )
    return TrainingRecord(membership=membership, entries=entries)


def member_get(*, partnership: Partnership, membership_id: int) -> Membership:
    membership: Membership = get_object_or_404(
        Membership.objects.for_partnership(partnership).select_related(
            "user", "organisation", "partnership"
        ),
        pk=membership_id,
    )
    return membership


def people_with_training(*, partnership: Partnership, page: int | str = 1) -> Page[Any]:
    """People of the partnership who attended at least one session (fully or partly), by name,
    with how many they attended and their certified hours; a page at a time."""
    valid_certificate = Q(training_bookings__certificate__revoked_at__isnull=True)
    qs: QuerySet[Membership] = (
        Membership.objects.for_partnership(partnership)
        .annotate(
            sessions_attended=Count(
                "training_bookings",
                filter=Q(
                    training_bookings__attendance__mark__in=[
                        AttendanceMark.ATTENDED,
                        AttendanceMark.PARTLY,
                    ]
                ),
                distinct=True,
            ),
            certified_hours=Sum("training_bookings__certificate__hours", filter=valid_certificate),
        )
        .filter(sessions_attended__gt=0)
        .select_related("user", "organisation")
        .order_by("user__full_name", "pk")
    )
    return Paginator(qs, RECORDS_PER_PAGE).get_page(page)
