"""The demo's survey collection for Northshire's sample programme, so the response rates page
shows real figures: the participants booked on the demo's past sessions as the trained group,
a comparison cohort of a dozen fictional staff (addresses on .example, no accounts), and for
every wave whose window has passed an outcome with realistic attrition (about 90% complete the
baseline, 75% straight after, 45% at six months), with answers to the planned instruments made
from the instrument library (a ``random.Random`` with a fixed seed, so every demo is alike).

The answers carry an effect for the evaluation report to find: each person has a level of their
own, and the trained group's answers move up straight after the session and keep part of it at six
months, while the comparison cohort's barely move. Every baseline answer gives the "about you"
facts (sector, role, years in the role, earlier training, organisation) that matching uses; the
comparison cohort has a little more experience and less earlier training, as real comparison
groups do, so matching has something to correct.

The training demo's sessions are only two and three months old, so the programme's first
cohort is added here: a foundation day about seven months ago (``FIRST_COHORT_DAYS_AGO``) with a
dozen named fictional participants and a second day a week later with ``SECOND_DAY_SIZE`` more
(no passwords, .example addresses), booked and marked attended through training's attendance
service (so they have certificates and follow-ups, as any attended session does). Their
six-month wave has closed, so the trained group has answers at the baseline, straight after and
six months.

Idempotent: once the plan has a comparison cohort named ``COHORT`` nothing is done.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
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
# Fictional names for the generated people (the comparison cohort and the second day).
GIVEN = [
    "Aisha", "Ben", "Carys", "Dylan", "Efa", "Femi", "Gareth", "Hana", "Ioan", "Jade",
    "Kieran", "Lowri", "Mali", "Nathan", "Olu", "Priya", "Rhys", "Sian", "Tomos", "Zara",
]  # fmt: skip
FAMILY = [
    "Okafor", "Jones", "Hughes", "Patel", "Williams", "Evans", "Thomas", "Roberts", "Khan",
    "Davies", "Morgan", "Price", "Lewis", "Ahmed", "Rees", "Clarke", "Edwards", "Bello",
]  # fmt: skip
COMPARISON_SIZE = 40
COMPARISON_STAFF = [
    f"{GIVEN[i % len(GIVEN)][0].lower()}.{FAMILY[(i * 7) % len(FAMILY)].lower()}{i + 1}"
    for i in range(COMPARISON_SIZE)
]
REFERENCE_DAYS_AGO = 200
# How far answers move, in standard deviations of a person's level, by group and wave kind.
GAIN = {
    ("trained", WaveKind.BASELINE): 0.0,
    ("trained", WaveKind.POST): 0.9,
    ("trained", WaveKind.FOLLOW_UP): 0.6,
    ("comparison", WaveKind.BASELINE): 0.0,
    ("comparison", WaveKind.POST): 0.1,
    ("comparison", WaveKind.FOLLOW_UP): 0.15,
}
ROLES = {
    "police": ["Neighbourhood officer", "Response officer", "Custody sergeant"],
    "education": ["Teacher", "Pastoral lead", "Teaching assistant"],
    "childrens_services": ["Social worker", "Family support worker"],
    "probation": ["Probation officer", "Probation services officer"],
    "housing": ["Housing officer", "Tenancy support worker"],
    "health": ["Emergency nurse", "Youth worker in A&E"],
    "voluntary": ["Youth worker", "Mentor"],
    "other": ["Firefighter", "Community safety officer"],
}

# What the demo's people write in free-text answers (always where one is required; in a
# quarter of the optional ones).
FREE_TEXT_SHARE = 0.25
FREE_TEXT = [
    "More time to talk it through with colleagues.",
    "Asking what happened rather than what is wrong with them has changed my conversations.",
    "I would like supervision to keep this going; it is hard after a difficult shift.",
    "The session on regulation helped me stay calm with a young person in crisis.",
    "Our team now checks in after incidents instead of moving straight on.",
    "Hard to apply when the custody process gives so little time.",
]

LONDON = ZoneInfo("Europe/London")
# The programme's first cohort: a foundation day old enough for its six-month wave (182 days,
# open 14) to have closed, and its twelve-month wave still to come.
FIRST_COHORT_TITLE = "Foundation day: first cohort (demo)"
FIRST_COHORT_DAYS_AGO = 215
FIRST_COHORT_DOMAIN = "first-cohort.northshire.example"
# A second day of the first cohort, a week after the first, with generated participants.
SECOND_DAY_TITLE = "Foundation day: first cohort, second day (demo)"
SECOND_DAY_DAYS_AGO = 208
SECOND_DAY_SIZE = 24
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
    """The programme's first foundation days, about seven months ago, with their registers
    taken: returns how many attended (0 if the course is missing or the sessions are there)."""
    partnership = plan.partnership
    course = Course.objects.filter(programme=plan.programme, name=FOUNDATION).first()
    if course is None or Session.objects.filter(course=course, title=FIRST_COHORT_TITLE).exists():
        return 0
    organisations = {o.name: o for o in Organisation.objects.filter(partnership_id=partnership.pk)}
    places = [o for _n, o, _g in FIRST_COHORT if o in organisations]
    second_day = [
        (
            f"{GIVEN[(i * 3) % len(GIVEN)]} {FAMILY[(i * 5 + 2) % len(FAMILY)]}",
            places[i % len(places)] if places else "",
            _M if i % 6 == 5 else _F,
        )
        for i in range(SECOND_DAY_SIZE)
    ]
    attended = _cohort_day(
        partnership,
        course,
        lead,
        organisations,
        FIRST_COHORT_TITLE,
        FIRST_COHORT_DAYS_AGO,
        FIRST_COHORT,
    )
    attended += _cohort_day(
        partnership,
        course,
        lead,
        organisations,
        SECOND_DAY_TITLE,
        SECOND_DAY_DAYS_AGO,
        second_day,
    )
    return attended


def _cohort_day(
    partnership: Partnership,
    course: Course,
    lead: User,
    organisations: dict[str, Organisation],
    title: str,
    days_ago: int,
    people: Sequence[tuple[str, str, str]],
) -> int:
    session = _past_session(partnership, course, lead, title=title, days_ago=days_ago)
    marks: dict[int, services_attendance.MarkInput] = {}
    for name, organisation, group in people:
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


def _past_session(
    partnership: Partnership, course: Course, lead: User, *, title: str, days_ago: int
) -> Session:
    version = course.versions.order_by("number").first()
    assert version is not None
    day = timezone.localdate() - timedelta(days=days_ago)
    start = datetime.combine(day, time(9, 30), tzinfo=LONDON)
    session = Session.objects.create(
        partnership=partnership,
        course=course,
        course_version=version,
        title=title,
        format=SessionFormat.IN_PERSON,
        capacity=32,
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
    levels = {r.pk: rng.gauss(0.0, 1.0) for r in respondents}
    facts = _about_people(plan, respondents, rng)
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
            level = levels[respondent.pk] + GAIN.get((respondent.group, WaveKind(wave.kind)), 0.0)
            answers = _Answers(instruments.get(wave.pk, []), level, facts.get(respondent.pk, {}))
            _outcome(invitation, respondent, wave, answers, now, rng)
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


@dataclass(frozen=True)
class _Answers:
    """What one person answers at one wave: the instruments, their level (in standard deviations,
    with the wave's gain added) and their baseline facts."""

    instruments: list[Instrument]
    level: float
    covariates: dict[str, Any]


def _about_people(
    plan: EvaluationPlan, respondents: Any, rng: random.Random
) -> dict[int, dict[str, Any]]:
    """Each respondent's "about you" answers: the trained group's sector and organisation from
    their booking, the comparison cohort's from the cohort's organisations (or a sector at
    random); the comparison cohort a little more experienced and less often trained before."""
    organisations = list(
        Organisation.objects.filter(partnership_id=plan.partnership_id).order_by("pk")
    )
    people = respondents.select_related("membership__organisation", "booking__membership")
    facts: dict[int, dict[str, Any]] = {}
    for respondent in people:
        membership = respondent.membership or (respondent.booking and respondent.booking.membership)
        organisation = membership.organisation if membership is not None else None
        trained = respondent.group == "trained"
        if organisation is None and organisations:
            organisation = organisations[rng.randrange(len(organisations))]
        sector = organisation.sector if organisation is not None else "other"
        prior = rng.choices(["yes", "no", "not_sure"], weights=[4, 5, 1] if trained else [2, 7, 1])[
            0
        ]
        found: dict[str, Any] = {
            "sector": sector,
            "role": rng.choice(ROLES.get(sector, ROLES["other"])),
            "years_in_role": max(0, int(rng.gauss(6.0 if trained else 8.0, 4.0))),
            "prior_training": prior,
        }
        if organisation is not None:
            found["organisation"] = organisation.pk
        facts[respondent.pk] = found
    return facts


def _outcome(
    invitation: Invitation,
    respondent: Respondent,
    wave: Wave,
    answers: _Answers,
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
        _response(invitation, respondent, wave, answers, rng, complete=True)
    elif roll < share + (1 - share) * STARTED_ONLY:
        invitation.started_at = min(sent + timedelta(hours=rng.randint(2, 96)), now)
        invitation.status = InvitationStatus.CLOSED if is_closed else InvitationStatus.STARTED
        _response(invitation, respondent, wave, answers, rng, complete=False)
    elif is_closed:
        invitation.status = InvitationStatus.CLOSED
    if is_closed and invitation.status != InvitationStatus.COMPLETED:
        invitation.reminded_at = invitation.closes_at - timedelta(days=3)
    invitation.save()


def _answer(item: Item, rng: random.Random, level: float) -> Any:
    """An answer from someone at ``level`` (standard deviations from the average)."""
    scale = item.scale
    if scale.type == ScaleType.LIKERT:
        values = [p.value for p in scale.points]
        # Leaning positive, as trained staff's answers do, and higher with the level;
        # a reverse-scored statement is agreed with less.
        position = 0.62 + 0.13 * level + rng.gauss(0.0, 0.16)
        if item.reverse:
            position = 1.0 - position
        index = min(len(values) - 1, max(0, round(position * (len(values) - 1))))
        return values[index]
    if scale.type == ScaleType.TRUE_FALSE:
        knows = rng.random() < 1.0 / (1.0 + math.exp(-(0.5 + 0.7 * level)))
        if item.answer_key is None:
            return knows
        return item.answer_key if knows else (not item.answer_key)
    if scale.type == ScaleType.NUMERIC:
        low = int(scale.minimum if scale.minimum is not None else 0)
        high = int(scale.maximum if scale.maximum is not None else low + 10)
        return rng.randint(low, max(low, min(high, low + 20)))
    if scale.type == ScaleType.SINGLE_CHOICE and scale.options:
        return rng.choice(scale.options).value
    if scale.type == ScaleType.MULTIPLE_CHOICE and scale.options:
        return [rng.choice(scale.options).value]
    if scale.type == ScaleType.FREE_TEXT and (item.required or rng.random() < FREE_TEXT_SHARE):
        return rng.choice(FREE_TEXT)
    return None  # other free text is left empty


def _response(
    invitation: Invitation,
    respondent: Respondent,
    wave: Wave,
    person: _Answers,
    rng: random.Random,
    *,
    complete: bool,
) -> None:
    answers: dict[str, Any] = {}
    versions: dict[str, int] = {}
    for instrument in person.instruments:
        items = instrument.items if complete else instrument.items[: len(instrument.items) // 2]
        raw = {i.id: _answer(i, rng, person.level) for i in items}
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
        covariates=dict(person.covariates) if wave.kind == WaveKind.BASELINE else {},
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
