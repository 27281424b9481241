"""The demo's survey collection for Northshire's sample programme, so the response rates page
shows real figures: the participants booked on the demo's past sessions as the trained group,
a comparison cohort of a dozen fictional staff (addresses on .example, no accounts), and for
every wave whose window has passed an outcome with realistic attrition (about 90% complete the
baseline, 75% straight after, 45% at six months), with answers to the planned instruments made
from the instrument library (a ``random.Random`` with a fixed seed, so every demo is alike).

The training demo's sessions are only two and three months old, so the programme's first
cohort is added here: a foundation day about seven months ago (``FIRST_COHORT_DAYS_AGO``) with a
dozen fictional participants (no passwords, .example addresses), booked and marked attended
through training's attendance service (so they have certificates and follow-ups, as any
attended session does). Their six-month wave has closed, so the trained group has answers at
the baseline, straight after and six months.

Idempotent: once the plan has a comparison cohort named ``COHORT`` nothing is done.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from tip.core.audit import audit_automatic_change, audit_change
from tip.core.models import (
    AuditAction,
    Membership,
    MembershipRole,
    Organisation,
    Partnership,
    User,
)
from tip.core.roles import Role
from tip.evaluation import links
from tip.evaluation import services_invitations as writes
from tip.evaluation.analysis.instrument_model import Instrument, Item, ScaleType
from tip.evaluation.analysis.scoring import clean_answers
from tip.evaluation.instrument_library import shipped_instrument
from tip.evaluation.models_collection import (
    ComparisonCohort,
    Invitation,
    InvitationStatus,
    Respondent,
    Response,
)
from tip.evaluation.models_plan import EvaluationPlan, Wave, WaveKind
from tip.programmes.demo import LEAD, NAME, PARTNERSHIP
from tip.programmes.models import WorkforceGroup
from tip.training import selectors_attendance, services_attendance
from tip.training.demo_courses import FOUNDATION
from tip.training.models_bookings import AttendanceMark, Booking, BookingStatus
from tip.training.models_courses import Course
from tip.training.models_providers import Trainer
from tip.training.models_sessions import (
    Session,
    SessionFormat,
    SessionPart,
    SessionStatus,
    SessionTrainer,
)

COHORT = "Staff trained next year (demo)"
PRACTITIONER = "practitioner@northshire.example"
SEED = 20240118
# Completed, by the wave's kind; of the rest, about a third start without finishing.
COMPLETES = {WaveKind.BASELINE: 0.9, WaveKind.POST: 0.75, WaveKind.FOLLOW_UP: 0.45}
STARTED_ONLY = 0.33
COMPARISON_STAFF = [
    "a.okafor", "b.jones", "c.hughes", "d.patel", "e.williams", "f.evans",
    "g.thomas", "h.roberts", "i.khan", "j.davies", "k.morgan", "l.price",
]  # fmt: skip
REFERENCE_DAYS_AGO = 200

LONDON = ZoneInfo("Europe/London")
# The programme's first cohort: a foundation day old enough for its six-month wave (182 days,
# open 14) to have closed, and its twelve-month wave still to come.
FIRST_COHORT_TITLE = "Foundation day: first cohort (demo)"
FIRST_COHORT_DAYS_AGO = 215
FIRST_COHORT_DOMAIN = "first-cohort.northshire.example"
_F, _M, _L = WorkforceGroup.FRONTLINE, WorkforceGroup.MANAGERS, WorkforceGroup.SENIOR_LEADERS
# (name, organisation, group of staff): all booked, all attended.
FIRST_COHORT: list[tuple[str, str, str]] = [
    ("Alys Griffiths", "Northshire Police", _F),
    ("Marcus Reid", "Northshire Police", _F),
    ("Leah Sutton", "Northshire Police", _M),
    ("Imran Qureshi", "Riverside Academy Trust", _F),
    ("Bethan Howells", "Riverside Academy Trust", _F),
    ("Connor Walsh", "Northshire County Council Children's Services", _F),
    ("Dionne Baptiste", "Northshire County Council Children's Services", _M),
    ("Ffion Parry", "Northshire Probation Delivery Unit", _F),
    ("Harry Osei", "Northshire Homes", _F),
    ("Lucy Brennan", "Northshire Fire and Rescue", _F),
    ("Mohammed Aziz", "St Brigid's Hospital A&E", _F),
    ("Rhian Jenkins", "Open Doors Youth Charity", _L),
]


def seed_demo_collection() -> str:
    plan = (
        EvaluationPlan.objects.filter(
            programme__partnership__name=PARTNERSHIP, programme__name=NAME
        )
        .select_related("programme", "partnership")
        .first()
    )
    lead = User.objects.filter(email=LEAD).first()
    if plan is None or lead is None:
        return "Demo survey collection skipped: the sample programme's plan is missing."
    if ComparisonCohort.objects.filter(plan=plan, name=COHORT).exists():
        return "Demo survey collection already there."
    now = timezone.now()
    rng = random.Random(SEED)  # noqa: S311  (demo data, not security)
    with transaction.atomic():
        first_cohort = _first_cohort(plan, lead)
        cohort = writes.cohort_create(
            plan=plan,
            name=COHORT,
            description="Frontline staff in two partner organisations, trained next year.",
            reference_date=timezone.localdate() - timedelta(days=REFERENCE_DAYS_AGO),
            by=lead,
        )
        writes.members_add_emails(
            cohort=cohort,
            text="\n".join(f"{name}@northshire-comparison.example" for name in COMPARISON_STAFF),
            by=lead,
        )
        writes.sync_respondents(plan, now=now)
        made = _past_outcomes(plan, now, rng)
    return (
        f"Demo survey collection created: a first cohort of {first_cohort} trained seven months "
        f"ago, a comparison cohort of {len(COMPARISON_STAFF)}, {made} past invitations with "
        "their answers."
    )


def _first_cohort(plan: EvaluationPlan, lead: User) -> int:
    """The programme's first foundation day, about seven months ago, with its register taken:
    returns how many attended (0 if the course is missing or the session is already there)."""
    partnership = plan.partnership
    course = Course.objects.filter(programme=plan.programme, name=FOUNDATION).first()
    if course is None or Session.objects.filter(course=course, title=FIRST_COHORT_TITLE).exists():
        return 0
    organisations = {o.name: o for o in Organisation.objects.filter(partnership_id=partnership.pk)}
    session = _past_session(partnership, course, lead)
    marks: dict[int, services_attendance.MarkInput] = {}
    for name, organisation, group in FIRST_COHORT:
        if organisation not in organisations:
            continue
        booking = Booking.objects.create(
            partnership=partnership,
            session=session,
            membership=_participant(partnership, organisations[organisation], name),
            booked_by=lead,
            status=BookingStatus.BOOKED,
            staff_group=group,
        )
        _created(booking, lead, partnership)
        marks[booking.pk] = services_attendance.MarkInput(mark=AttendanceMark.ATTENDED)
    register = selectors_attendance.session_for_register(
        partnership=partnership, session_id=session.pk
    )
    services_attendance.register_save(session=register, marks=marks, by=lead)
    return len(marks)


def _past_session(partnership: Partnership, course: Course, lead: User) -> Session:
    version = course.versions.order_by("number").first()
    assert version is not None
    day = timezone.localdate() - timedelta(days=FIRST_COHORT_DAYS_AGO)
    start = datetime.combine(day, time(9, 30), tzinfo=LONDON)
    session = Session.objects.create(
        partnership=partnership,
        course=course,
        course_version=version,
        title=FIRST_COHORT_TITLE,
        format=SessionFormat.IN_PERSON,
        capacity=16,
        status=SessionStatus.PUBLISHED,
        published_at=start - timedelta(days=30),
        confirmed_at=start - timedelta(days=30),
        created_by=lead,
    )
    _created(session, lead, partnership)
    hours = min(float(course.hours), 7.0)
    part = SessionPart.objects.create(
        partnership=partnership,
        session=session,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
    )
    _created(part, lead, partnership)
    trainer = Trainer.objects.filter(partnership=partnership).order_by("pk").first()
    if trainer is not None:
        _created(
            SessionTrainer.objects.create(
                partnership=partnership, session=session, trainer=trainer
            ),
            lead,
            partnership,
        )
    return session


def _participant(partnership: Partnership, organisation: Organisation, name: str) -> Membership:
    """A fictional participant with no password, so nobody can sign in as them."""
    email = name.lower().replace(" ", ".") + "@" + FIRST_COHORT_DOMAIN
    user = User.objects.filter(email=email).first() or User.objects.create_user(
        email, None, full_name=name
    )
    membership, created = Membership.objects.get_or_create(
        partnership=partnership, user=user, defaults={"organisation": organisation}
    )
    if created:
        MembershipRole.objects.get_or_create(membership=membership, role=Role.PRACTITIONER)
    return membership


def _created(obj: Any, lead: User, partnership: Partnership) -> None:
    audit_change(actor=lead, action=AuditAction.CREATE, obj=obj, partnership=partnership)


def _past_outcomes(plan: EvaluationPlan, now: datetime, rng: random.Random) -> int:
    """Each respondent's invitations to waves already open: made if missing (the sync does not
    make those already closed), then given an outcome; returns how many."""
    waves = writes.waves_measured(plan)
    instruments = _instruments(plan)
    made = 0
    respondents = Respondent.objects.filter(plan=plan).order_by("pk")
    # The demo practitioner's surveys still open are left for whoever tries the demo to answer
    # (seed_demo_survey_link prints the link).
    tryer = set(
        respondents.filter(membership__user__email=PRACTITIONER).values_list("pk", flat=True)
    )
    have = {
        (i.respondent_id, i.wave_id): i
        for i in Invitation.objects.filter(respondent__plan=plan).order_by("pk")
    }
    for respondent in respondents:
        for wave in waves:
            opening = writes.opens_at(respondent.anchor_date, wave.offset_days)
            if opening > now:
                continue
            invitation = have.get((respondent.pk, wave.pk))
            if invitation is None:
                invitation = Invitation.objects.create(
                    partnership_id=plan.partnership_id,
                    respondent=respondent,
                    wave=wave,
                    link_digest=links.unissued_digest(),
                    opens_at=opening,
                    closes_at=writes.closes_at(opening, plan.days_open),
                )
            if invitation.status != InvitationStatus.SCHEDULED:
                continue
            if respondent.pk in tryer and invitation.closes_at > now:
                continue
            _outcome(invitation, respondent, wave, instruments.get(wave.pk, []), now, rng)
            made += 1
    return made


def _instruments(plan: EvaluationPlan) -> dict[int, list[Instrument]]:
    found: dict[int, list[Instrument]] = {}
    for measure in plan.measures.prefetch_related("waves").order_by("pk"):
        instrument = shipped_instrument(measure.instrument_id)
        if instrument.respondent != "self":
            continue  # observation forms are not answered in surveys
        for wave in measure.waves.all():
            found.setdefault(wave.pk, []).append(instrument)
    return found


def _outcome(
    invitation: Invitation,
    respondent: Respondent,
    wave: Wave,
    instruments: list[Instrument],
    now: datetime,
    rng: random.Random,
) -> None:
    sent = invitation.opens_at
    invitation.sent_at = sent
    invitation.status = InvitationStatus.SENT
    roll = rng.random()
    share = COMPLETES.get(WaveKind(wave.kind), 0.5)
    is_closed = invitation.closes_at <= now
    if roll < share:
        started = sent + timedelta(hours=rng.randint(2, 96))
        invitation.started_at = invitation.completed_at = min(started, now)
        invitation.status = InvitationStatus.COMPLETED
        _response(invitation, respondent, wave, instruments, rng, complete=True)
    elif roll < share + (1 - share) * STARTED_ONLY:
        invitation.started_at = min(sent + timedelta(hours=rng.randint(2, 96)), now)
        invitation.status = InvitationStatus.CLOSED if is_closed else InvitationStatus.STARTED
        _response(invitation, respondent, wave, instruments, rng, complete=False)
    elif is_closed:
        invitation.status = InvitationStatus.CLOSED
    if is_closed and invitation.status != InvitationStatus.COMPLETED:
        invitation.reminded_at = invitation.closes_at - timedelta(days=3)
    invitation.save()


def _answer(item: Item, rng: random.Random) -> Any:
    scale = item.scale
    if scale.type == ScaleType.LIKERT:
        # Leaning positive, as trained staff's answers do.
        values = [p.value for p in scale.points]
        return values[min(len(values) - 1, int(rng.triangular(0, len(values), len(values) * 0.7)))]
    if scale.type == ScaleType.TRUE_FALSE:
        return rng.random() < 0.7
    if scale.type == ScaleType.NUMERIC:
        low = int(scale.minimum if scale.minimum is not None else 0)
        high = int(scale.maximum if scale.maximum is not None else low + 10)
        return rng.randint(low, max(low, min(high, low + 20)))
    if scale.type == ScaleType.SINGLE_CHOICE and scale.options:
        return rng.choice(scale.options).value
    if scale.type == ScaleType.MULTIPLE_CHOICE and scale.options:
        return [rng.choice(scale.options).value]
    if scale.type == ScaleType.FREE_TEXT and item.required:
        return "More time to talk it through with colleagues."
    return None  # other free text is left empty in the demo


def _response(
    invitation: Invitation,
    respondent: Respondent,
    wave: Wave,
    instruments: list[Instrument],
    rng: random.Random,
    *,
    complete: bool,
) -> None:
    answers: dict[str, Any] = {}
    versions: dict[str, int] = {}
    for instrument in instruments:
        items = instrument.items if complete else instrument.items[: len(instrument.items) // 2]
        raw = {i.id: _answer(i, rng) for i in items}
        answers[instrument.id] = clean_answers(
            instrument, {k: v for k, v in raw.items() if v is not None}, enforce_required=complete
        )
        versions[instrument.id] = instrument.version
    Response.objects.create(
        partnership_id=invitation.partnership_id,
        plan_id=wave.plan_id,
        wave=wave,
        invitation=invitation,
        respondent=respondent,
        group=respondent.group,
        consented_at=invitation.started_at,
        answers=answers,
        versions=versions,
        position="" if complete else "partial",
        submitted_at=invitation.completed_at if complete else None,
    )


def seed_demo_survey_link() -> str:
    """Give the demo practitioner's survey that is open now a fresh personal link, printed here
    so anyone trying the demo can answer it, and count it as sent (so the worker does not email
    them another link, which would replace this one). Their other invitations, and everyone
    else's, are sent by the worker as they fall due, with their emails printed when TIP starts.
    Only the link's digest is stored: each run prints a new link and the last one stops
    working."""
    plan = EvaluationPlan.objects.filter(
        programme__partnership__name=PARTNERSHIP, programme__name=NAME
    ).first()
    if plan is None:
        return "Demo survey link skipped: the sample programme's plan is missing."
    now = timezone.now()
    invitation = (
        Invitation.objects.filter(
            wave__plan=plan,
            respondent__membership__user__email=PRACTITIONER,
            status__in=[
                InvitationStatus.SCHEDULED,
                InvitationStatus.SENT,
                InvitationStatus.STARTED,
            ],
            opens_at__lte=now,
            closes_at__gt=now,
        )
        .select_related("wave", "partnership")
        .order_by("opens_at", "pk")
        .first()
    )
    if invitation is None:
        return f"Demo survey link: {PRACTITIONER} has no survey open today."
    with transaction.atomic():
        token = links.issue_link(invitation)
        if invitation.status == InvitationStatus.SCHEDULED:
            invitation.status = InvitationStatus.SENT
            invitation.sent_at = now
            invitation.save(update_fields=["status", "sent_at"])
            audit_automatic_change(
                action=AuditAction.UPDATE,
                obj=invitation,
                partnership=invitation.partnership,
                changed_fields=["status", "sent_at"],
            )
    return (
        f"Demo survey for {PRACTITIONER} ({invitation.wave.name}), open now, no sign-in needed: "
        f"{writes.survey_url(token)}"
    )
