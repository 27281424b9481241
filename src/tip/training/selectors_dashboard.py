"""Reads for a programme's delivery dashboard and its training targets, each scoped to the
partnership (another partnership's ids answer 404), each in a fixed number of queries whatever
the number of sessions, bookings, trainers or targets. The arithmetic is in
``analysis/dashboard.py``; this module gathers the facts.

Counts only: nothing here returns a participant's or a trainer's name.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, IntegerField, Max, Min, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language

from tip.core.models import Organisation, Partnership
from tip.programmes.models import Programme
from tip.training.analysis import attendance as rates
from tip.training.analysis import dashboard as analysis
from tip.training.analysis.cascade import LAPSED, OBSERVATION_DUE
from tip.training.clearance_types import clearance_types
from tip.training.models_bookings import Attendance, AttendanceMark, Booking, BookingStatus
from tip.training.models_clearances import DeliverySetting
from tip.training.models_courses import Course
from tip.training.models_followups import TrainingTarget
from tip.training.models_sessions import Session, SessionFormat, SessionStatus, SessionTrainer
from tip.training.selectors_cascade import CascadeEntry, cascade_entries, cascade_risks
from tip.training.services_clearances import trainer_clearance_problems

LONDON = ZoneInfo("Europe/London")


# --- Targets -------------------------------------------------------------------------------------


def target_list(*, programme: Programme) -> list[TrainingTarget]:
    return list(
        TrainingTarget.objects.filter(programme=programme, partnership_id=programme.partnership_id)
        .select_related("organisation")
        .order_by("pk")
    )


def target_get(*, partnership: Partnership, target_id: int) -> TrainingTarget:
    target: TrainingTarget = get_object_or_404(
        TrainingTarget.objects.for_partnership(partnership).select_related(
            "programme", "organisation"
        ),
        pk=target_id,
    )
    return target


def organisation_choices(*, partnership: Partnership) -> QuerySet[Organisation]:
    qs: QuerySet[Organisation] = Organisation.objects.for_partnership(partnership).order_by(
        "name", "pk"
    )
    return qs


def as_target(t: TrainingTarget) -> analysis.Target:
    return analysis.Target(
        key=t.pk,
        people=t.people,
        sector=t.sector,
        organisation=t.organisation_id,
        staff_group=t.staff_group,
    )


# --- The dashboard -------------------------------------------------------------------------------


class CourseName(NamedTuple):
    pk: int
    name: str


@dataclass(frozen=True)
class SessionRow:
    """What the dashboard reads of a session: enough for its risks and its links (a programme at
    national scale has hundreds of sessions, read as plain values rather than four models each).
    ``title`` and ``course.name`` as on a Session, so the pages name it the same way."""

    pk: int
    title: str
    course: CourseName
    format: str
    status: str
    capacity: int
    setting_id: int | None
    needs_clearances: bool
    first_start: datetime
    last_start: datetime
    taken: int


@dataclass
class ClearanceRisk:
    """A session still to come whose trainers lack a clearance its venue's setting needs:
    each clearance type's code, and how many trainers lack it (never who)."""

    session: SessionRow
    first_start: datetime
    clearances: dict[str, int]

    @property
    def named(self) -> dict[str, int]:
        """The clearances by their names, in the reader's language."""
        types, language = clearance_types(), get_language() or "en"
        return {types[code].name(language): n for code, n in self.clearances.items()}


@dataclass
class LowBooking:
    session: SessionRow
    first_start: datetime
    taken: int
    capacity: int


@dataclass
class CascadeSessionRisk:
    """A session still to come taught by lapsed or out-of-date trainers: how many of each."""

    session: Session
    first_start: datetime
    lapsed: int = 0
    out_of_date: int = 0


@dataclass
class CourseQa:
    """Quality assurance of one course's certified trainers, as counts."""

    course: Course
    certified: int = 0
    never_observed: int = 0
    observation_due: int = 0
    lapsed: int = 0
    out_of_date: int = 0

    @property
    def without_qa(self) -> bool:
        return bool(self.never_observed or self.observation_due or self.lapsed)


@dataclass
class Facts:
    """What the dashboard works out from sessions, bookings and the cascade: the slow part, kept
    for TIP_DASHBOARD_CACHE_SECONDS. Counts and codes only, whatever the reader's language."""

    computed_at: datetime
    trained: list[analysis.Trained]
    organisations: dict[int, str]
    tallies: list[rates.Tally]
    clearance_risks: list[ClearanceRisk]
    low_bookings: list[LowBooking]
    cascade_risks: list[CascadeSessionRisk]
    qa: list[CourseQa]


@dataclass
class Dashboard:
    programme: Programme
    targets: list[TrainingTarget]
    trained: list[analysis.Trained]
    organisations: dict[int, str]
    tallies: list[rates.Tally]
    clearance_risks: list[ClearanceRisk] = field(default_factory=list)
    low_bookings: list[LowBooking] = field(default_factory=list)
    cascade_risks: list[CascadeSessionRisk] = field(default_factory=list)
    qa: list[CourseQa] = field(default_factory=list)
    # When the figures were worked out: now, or up to TIP_DASHBOARD_CACHE_SECONDS ago.
    computed_at: datetime | None = None

    @property
    def progress(self) -> list[analysis.TargetProgress]:
        return analysis.progress([as_target(t) for t in self.targets], self.trained)


def _sessions(programme: Programme) -> list[SessionRow]:
    """The programme's sessions that were not cancelled and have a date, with their first and
    last parts' starts and the places taken. One query: places are counted in a subquery, so
    parts and bookings are never joined together."""
    taken = (
        Booking.objects.filter(
            session=OuterRef("pk"), status__in=[BookingStatus.BOOKED, BookingStatus.OFFERED]
        )
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    rows = (
        Session.objects.filter(partnership_id=programme.partnership_id, course__programme=programme)
        .exclude(status=SessionStatus.CANCELLED)
        .annotate(
            first_start=Min("parts__starts_at"),
            last_start=Max("parts__starts_at"),
            taken=Coalesce(Subquery(taken, output_field=IntegerField()), 0),
        )
        .filter(first_start__isnull=False)
        .order_by("first_start", "pk")
        .values_list(
            "pk",
            "title",
            "course_id",
            "course__name",
            "format",
            "status",
            "capacity",
            "venue__setting_id",
            "venue__setting__required_clearances",
            "first_start",
            "last_start",
            "taken",
        )
    )
    return [
        SessionRow(
            pk=pk,
            title=title,
            course=CourseName(course_id, course_name),
            format=format_,
            status=status,
            capacity=capacity,
            setting_id=setting_id,
            # A virtual session's venue, if one is kept, is not where anyone goes.
            needs_clearances=bool(required) and format_ != SessionFormat.VIRTUAL,
            first_start=first,
            last_start=last,
            taken=taken_,
        )
        for (
            pk,
            title,
            course_id,
            course_name,
            format_,
            status,
            capacity,
            setting_id,
            required,
            first,
            last,
            taken_,
        ) in rows
    ]


def _bookings(
    programme: Programme, started: list[SessionRow]
) -> tuple[list[analysis.Trained], dict[int, str], list[rates.Tally]]:
    """The people trained and the drop-out tallies by format, from the bookings on the
    programme's sessions that have started. Three queries, none joining a booking to its session
    or course (the sessions are known): the bookings counted by session, status and time of
    cancellation (which decides whether a cancellation was late); the register's marks counted
    the same way and by mark (the difference is the bookings with no mark); and the people
    trained, counted by organisation, sector and group of staff."""
    sessions = {s.pk: (s.format, s.first_start) for s in started}
    ids = list(sessions)
    partnership_id = programme.partnership_id
    bookings = Booking.objects.filter(partnership_id=partnership_id, session_id__in=ids)
    marks = Attendance.objects.filter(partnership_id=partnership_id, booking__session_id__in=ids)

    counter: dict[tuple[str, str], int] = defaultdict(int)

    def add(session_id: int, status: str, mark: str | None, n: int) -> None:
        outcome = rates.booking_outcome(status, mark)
        if outcome is not None and n:
            counter[(sessions[session_id][0], outcome)] += n

    # Cancellations are grouped by their time too, which decides whether one was late.
    unmarked: dict[tuple[int, str, datetime | None], int] = defaultdict(int)
    for session_id, status, cancelled, n in (
        bookings.order_by()
        .values_list("session_id", "status", "cancelled_at")
        .annotate(n=Count("pk"))
    ):
        unmarked[(session_id, status, cancelled)] += n
    for session_id, status, cancelled, mark, n in (
        marks.order_by()
        .values_list("booking__session_id", "booking__status", "booking__cancelled_at", "mark")
        .annotate(n=Count("pk"))
    ):
        unmarked[(session_id, status, cancelled)] -= n
        add(session_id, status, mark, n)
    for (session_id, status, cancelled), n in unmarked.items():
        fmt, start = sessions[session_id]
        late = status == BookingStatus.CANCELLED and rates.is_late_cancellation(cancelled, start)
        outcome = rates.booking_outcome(status, None, late=late)
        if outcome is not None and n:
            counter[(fmt, outcome)] += n
    tallies = [
        rates.Tally(format=fmt, organisation="", sector="", month="", outcome=o, count=n)
        for (fmt, o), n in sorted(counter.items())
    ]

    # Each person trained once, with the group of staff of their latest attended booking, then
    # counted by kind in the database: a hundred rows rather than one for each person.
    latest = (
        marks.filter(mark=AttendanceMark.ATTENDED)
        .order_by()
        .values("booking__membership_id")
        .annotate(last=Max("booking_id"))
        .values("last")
    )
    trained = []
    organisations: dict[int, str] = {}
    for org_id, name, sector, group, n in (
        Booking.objects.filter(partnership_id=partnership_id, pk__in=latest)
        .order_by()
        .values_list(
            "membership__organisation_id",
            "membership__organisation__name",
            "membership__organisation__sector",
            "staff_group",
        )
        .annotate(n=Count("pk"))
    ):
        organisations[org_id] = name
        trained.append(analysis.Trained(sector, org_id, group, n))
    return trained, organisations, tallies


def _london_day(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()


def _upcoming(
    programme: Programme, sessions: list[SessionRow], now: datetime
) -> tuple[list[ClearanceRisk], list[LowBooking]]:
    """Of the sessions still to come: those whose trainers lack a clearance, and those with low
    bookings. No query, or three when a session is at a venue needing clearances."""
    low = [
        LowBooking(s, s.first_start, s.taken, s.capacity)
        for s in sessions
        if s.status == SessionStatus.PUBLISHED
        and analysis.is_low_booking(
            capacity=s.capacity, taken=s.taken, starts_at=s.first_start, now=now
        )
    ]
    needing = [s for s in sessions if s.needs_clearances]
    if not needing:
        return [], low
    venue_settings = DeliverySetting.objects.filter(
        partnership_id=programme.partnership_id
    ).in_bulk({s.setting_id for s in needing})
    trainers: dict[int, list[Any]] = defaultdict(list)
    for st in (
        SessionTrainer.objects.filter(
            partnership_id=programme.partnership_id, session__in=[s.pk for s in needing]
        )
        .select_related("trainer")
        .prefetch_related("trainer__clearances")
    ):
        trainers[st.session_id].append(st.trainer)
    # Whether a clearance is valid on a date does not depend on lead times: the defaults save
    # reading the partnership's own.
    lead_times = {code: t.lead_time_days for code, t in clearance_types().items()}
    risks = []
    for s in needing:
        setting = venue_settings[s.setting_id]
        # Validity is a span of dates, so the first and last days decide every day between.
        days = sorted({_london_day(s.first_start), _london_day(s.last_start)})
        lacking: dict[str, set[int]] = defaultdict(set)
        for trainer in trainers.get(s.pk, []):
            for day in days:
                for problem in trainer_clearance_problems(
                    trainer=trainer, setting=setting, on_date=day, lead_times=lead_times
                ):
                    lacking[problem.clearance_type].add(trainer.pk)
        if lacking:
            counts = {code: len(t) for code, t in sorted(lacking.items())}
            risks.append(ClearanceRisk(s, s.first_start, counts))
    return risks, low


def _cascade(
    programme: Programme, now: datetime
) -> tuple[list[CascadeSessionRisk], list[CourseQa]]:
    """Sessions taught by lapsed or out-of-date trainers, and each course's trainers' quality
    assurance, as counts. Two queries."""
    entries: list[CascadeEntry] = cascade_entries(
        partnership=programme.partnership, programme=programme
    )
    by_session: dict[int, CascadeSessionRisk] = {}
    risks = cascade_risks(
        partnership=programme.partnership, programme=programme, now=now, entries=entries
    )
    for r in risks:
        risk = by_session.setdefault(r.session.pk, CascadeSessionRisk(r.session, r.first_start))
        risk.lapsed += int(r.lapsed)
        risk.out_of_date += int(r.out_of_date)
    courses: dict[int, CourseQa] = {}
    for e in entries:
        qa = courses.setdefault(e.course.pk, CourseQa(e.course))
        qa.certified += 1
        status = e.standing.status
        if status == LAPSED:
            qa.lapsed += 1
        elif not e.standing.observed:
            qa.never_observed += 1
        elif status == OBSERVATION_DUE:
            qa.observation_due += 1
        qa.out_of_date += int(e.out_of_date)
    qa_rows = sorted(courses.values(), key=lambda q: (q.course.name, q.course.pk))
    return list(by_session.values()), qa_rows


def _facts(programme: Programme, now: datetime) -> Facts:
    sessions = _sessions(programme)
    started = [s for s in sessions if s.first_start <= now]
    upcoming = [s for s in sessions if s.first_start > now]
    trained, organisations, tallies = _bookings(programme, started)
    clearance, low = _upcoming(programme, upcoming, now)
    cascade, qa = _cascade(programme, now)
    return Facts(now, trained, organisations, tallies, clearance, low, cascade, qa)


def dashboard_cache_key(programme: Programme) -> str:
    return f"training:dashboard:{programme.partnership_id}:{programme.pk}"


def dashboard(*, programme: Programme, now: datetime | None = None) -> Dashboard:
    """Everything the dashboard shows, in at most ten queries whatever the data's size.

    The figures are worked out at most once every TIP_DASHBOARD_CACHE_SECONDS for a programme
    (in Django's cache), since at national scale they read tens of thousands of bookings; the
    targets are read every time, so a change to them shows at once. Given `now`, everything is
    worked out afresh for that moment."""
    seconds: int = settings.TIP_DASHBOARD_CACHE_SECONDS
    keep = now is None and seconds > 0
    facts: Facts | None = cache.get(dashboard_cache_key(programme)) if keep else None
    if facts is None:
        facts = _facts(programme, now or timezone.now())
        if keep:
            cache.set(dashboard_cache_key(programme), facts, seconds)
    return Dashboard(
        programme=programme,
        targets=target_list(programme=programme),
        trained=facts.trained,
        organisations=facts.organisations,
        tallies=facts.tallies,
        clearance_risks=facts.clearance_risks,
        low_bookings=facts.low_bookings,
        cascade_risks=facts.cascade_risks,
        qa=facts.qa,
        computed_at=facts.computed_at,
    )


# --- The figures, as the page and the API show them -----------------------------------------------


@dataclass
class ProgressRow:
    target: TrainingTarget
    trained: int | None  # None: withheld as a small count
    percent: int | None


@dataclass
class Figures:
    """The dashboard's numbers. With ``exact`` False, counts of 1 to 4 people at one
    organisation are withheld (analysis.withhold_small)."""

    total: int
    progress: list[ProgressRow]
    by_sector: list[analysis.Count]
    by_organisation: list[analysis.Count]
    by_staff_group: list[analysis.Count]
    by_format: list[rates.RateRow]
    overall: rates.RateRow
    withheld: bool


def figures(d: Dashboard, *, exact: bool) -> Figures:
    from tip.programmes.models import WorkforceGroup

    targets = {t.pk: t for t in d.targets}
    progress = []
    for p in d.progress:
        small = not exact and p.target.organisation is not None and 0 < p.trained < 5
        progress.append(
            ProgressRow(
                target=targets[p.target.key],
                trained=None if small else p.trained,
                percent=None if small else int(p.percent),
            )
        )
    by_organisation = analysis.breakdown(d.trained, lambda p: p.organisation)
    if not exact:
        by_organisation = analysis.withhold_small(by_organisation)
    groups = {c.key: c for c in analysis.breakdown(d.trained, lambda p: p.staff_group)}
    by_group = [
        groups.get(code, analysis.Count(code, 0, 0))
        for code in [*WorkforceGroup.values, analysis.NOT_GIVEN]
    ]
    return Figures(
        total=analysis.total(d.trained),
        progress=progress,
        by_sector=analysis.breakdown(d.trained, lambda p: p.sector),
        by_organisation=by_organisation,
        by_staff_group=by_group,
        by_format=rates.rate_table(d.tallies, lambda t: t.format),
        overall=rates.overall(d.tallies),
        withheld=any(c.withheld for c in by_organisation)
        or any(r.trained is None for r in progress),
    )
