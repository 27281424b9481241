"""Who is asked to answer, and when (docs/evaluation-invitations.md).

* ``sync_respondents(plan)``: every participant booked (and still booked, attended or not) on a
  session of the plan's programme that is not cancelled is a respondent of the trained group,
  their waves counting from the session's first day in Europe/London. A booking cancelled (or a
  session cancelled) withdraws the invitations not sent yet. Then every respondent gets an
  invitation to each wave that has an instrument. Idempotent: run it as often as you like.
* An invitation opens at 09:00 London time on its day (``opens_at``) and closes
  ``plan.days_open`` days later, at 09:00 London time again whatever the clocks did.
* Sending (``send_invitation``, queued for ``opens_at``; the sweep catches up) claims the
  invitation under a row lock so it goes once, gives it a personal link (only its digest is
  kept) and emails it in the person's language. The reminder goes ``plan.reminder_days`` before
  it closes, once, if no answer is in yet. Past ``closes_at`` an invitation without a completed
  answer is closed.
* The worker runs the sweeps when something falls due (``_schedule_sweeps``, as training's
  services do): ``evaluation_sweep`` at each new closing moment, ``evaluation_retention_sweep``
  at the start of each respondent's retention date. `tip evaluation-sweep` and `tip
  evaluation-retention` from a timer are the safety net.
* Nothing is sent to a respondent with a withdrawn invitation (they withdrew, or their booking
  was cancelled), nor for a booking no longer booked.
* Comparison cohorts: staff not yet trained, added by hand (partnership members, or email
  addresses pasted one a line, checked all or nothing), their waves counting from the cohort's
  reference date.

Every change is audited: people's with ``audit_change``, TIP's own with ``audit_automatic_change``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Min, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tip.core.audit import audit_automatic_change, audit_change
from tip.core.languages import in_language_of
from tip.core.models import AuditAction, Membership, Organisation, User
from tip.evaluation import links
from tip.evaluation.auditing import record_change as _audit
from tip.evaluation.models_collection import (
    ComparisonCohort,
    Group,
    Invitation,
    InvitationStatus,
    Respondent,
)
from tip.evaluation.models_plan import EvaluationPlan, Wave
from tip.training.models_bookings import Booking, BookingStatus
from tip.training.models_sessions import Session, SessionStatus

LONDON = ZoneInfo("Europe/London")
SEND_AT = time(9, 0)
MAX_COHORT_NAME = 200
MAX_COHORT_DESCRIPTION = 500
MAX_PASTED_LINES = 1000
# Invitations that can still be answered (or sent): closing and withdrawing act on these.
OPEN_STATUSES = (InvitationStatus.SCHEDULED, InvitationStatus.SENT, InvitationStatus.STARTED)
ANSWERABLE = (InvitationStatus.SENT, InvitationStatus.STARTED)


# --- When ----------------------------------------------------------------------------------------


def opens_at(anchor: date, offset_days: int) -> datetime:
    """09:00 London time ``offset_days`` after ``anchor`` (aware, in UTC). 09:00 is never in a
    clock change's gap or overlap (those are at 01:00 and 02:00)."""
    moment = datetime.combine(anchor + timedelta(days=offset_days), SEND_AT, tzinfo=LONDON)
    return moment.astimezone(UTC)


def closes_at(opens: datetime, days_open: int) -> datetime:
    """``days_open`` calendar days after ``opens``, at the same London wall-clock time (so 09:00
    stays 09:00 across a clock change); at least one day."""
    local = opens.astimezone(LONDON)
    day = local.date() + timedelta(days=max(1, days_open))
    return datetime.combine(day, local.time(), tzinfo=LONDON).astimezone(UTC)


def reminder_moment(invitation: Invitation, reminder_days: int) -> datetime | None:
    """When the reminder goes: ``reminder_days`` before closing, same wall-clock time; None when
    reminders are off or the moment would not be after the invitation opens."""
    if reminder_days <= 0:
        return None
    local = invitation.closes_at.astimezone(LONDON)
    day = local.date() - timedelta(days=reminder_days)
    moment = datetime.combine(day, local.time(), tzinfo=LONDON).astimezone(UTC)
    return moment if moment > invitation.opens_at else None


def _today(now: datetime) -> date:
    return timezone.localtime(now, LONDON).date()


# --- Respondents and invitations -----------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    """Who a change is recorded against: a person (a button, the API) or TIP itself (None)."""

    by: User | None = None
    via: str = "task"

    def record(self, action: str, obj: Any, fields: Iterable[str] = ()) -> None:
        if self.by is None:
            audit_automatic_change(
                action=action, obj=obj, partnership=obj.partnership, changed_fields=fields
            )
        else:
            audit_change(
                actor=self.by,
                action=action,
                obj=obj,
                partnership=obj.partnership,
                changed_fields=fields,
                via=self.via,
            )


TIP = Actor()


@dataclass
class SyncResult:
    respondents: int = 0
    invitations: int = 0
    withdrawn: int = 0
    rescheduled: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "respondents": self.respondents,
            "invitations": self.invitations,
            "withdrawn": self.withdrawn,
            "rescheduled": self.rescheduled,
        }


def waves_measured(plan: EvaluationPlan) -> list[Wave]:
    """The plan's waves with at least one instrument, in order: the ones people are asked at."""
    return list(
        Wave.objects.filter(plan=plan, measures__isnull=False).distinct().order_by("offset_days")
    )


def _programme_bookings(plan: EvaluationPlan) -> Any:
    return Booking.objects.filter(
        partnership_id=plan.partnership_id, session__course__programme_id=plan.programme_id
    )


def _first_days(session_ids: Iterable[int]) -> dict[int, date]:
    rows = (
        Session.objects.filter(pk__in=set(session_ids))
        .annotate(first=Min("parts__starts_at"))
        .values_list("pk", "first")
    )
    return {pk: first.astimezone(LONDON).date() for pk, first in rows if first is not None}


def _withdrawn_respondents(plan: EvaluationPlan) -> set[int]:
    return set(
        Invitation.objects.filter(
            respondent__plan=plan, status=InvitationStatus.WITHDRAWN
        ).values_list("respondent_id", flat=True)
    )


@transaction.atomic
def sync_respondents(
    plan: EvaluationPlan,
    *,
    now: datetime | None = None,
    by: User | None = None,
    via: str = "web",
) -> SyncResult:
    """Bring the plan's respondents and invitations up to date with its bookings, cohorts and
    waves (see the module's docstring). Idempotent. ``by``: the person who asked (the audit
    log names them), or None for the sweep."""
    now = now or timezone.now()
    actor = Actor(by, via) if by is not None else TIP
    EvaluationPlan.objects.select_for_update().filter(pk=plan.pk).first()
    result = SyncResult()
    bookings = list(
        _programme_bookings(plan)
        .filter(status=BookingStatus.BOOKED)
        .exclude(session__status=SessionStatus.CANCELLED)
        .values_list("pk", "session_id", "membership_id")
    )
    first_days = _first_days(s for _b, s, _m in bookings)
    existing = {
        r.booking_id: r
        for r in Respondent.objects.filter(plan=plan, booking__isnull=False).select_related(
            "booking"
        )
    }
    for booking_id, session_id, membership_id in bookings:
        anchor = first_days.get(session_id)
        if anchor is None:
            continue
        found = existing.get(booking_id)
        if found is None:
            respondent = Respondent.objects.create(
                partnership_id=plan.partnership_id,
                plan=plan,
                group=Group.TRAINED,
                booking_id=booking_id,
                membership_id=membership_id,
                anchor_date=anchor,
            )
            actor.record(
                AuditAction.CREATE, respondent, ["group", "booking", "membership", "anchor_date"]
            )
            result.respondents += 1
        elif found.anchor_date != anchor:
            result.rescheduled += _move_anchor(found, anchor, plan, actor)
    result.withdrawn += _withdraw_cancelled(plan, actor)
    result.invitations += _ensure_invitations(plan, now, actor)
    return result


def _move_anchor(
    respondent: Respondent, anchor: date, plan: EvaluationPlan, actor: Actor = TIP
) -> int:
    """A session moved (or a cohort's reference date changed): move the respondent's waves, and
    the invitations not sent yet with them; return how many invitations moved."""
    from tip.evaluation.retention import retention_date

    respondent.anchor_date = anchor
    respondent.save(update_fields=["anchor_date"])
    actor.record(AuditAction.UPDATE, respondent, ["anchor_date"])
    moved = 0
    closings: set[datetime] = set()
    for invitation in Invitation.objects.filter(
        respondent=respondent, status=InvitationStatus.SCHEDULED
    ).select_related("wave"):
        invitation.opens_at = opens_at(anchor, invitation.wave.offset_days)
        invitation.closes_at = closes_at(invitation.opens_at, plan.days_open)
        invitation.save(update_fields=["opens_at", "closes_at"])
        actor.record(AuditAction.UPDATE, invitation, ["opens_at", "closes_at"])
        closings.add(invitation.closes_at)
        moved += 1
    _schedule_sweeps(closings, {retention_date(respondent, plan=plan)})
    return moved


def _withdraw_cancelled(plan: EvaluationPlan, actor: Actor) -> int:
    """Withdraw the invitations not sent yet of respondents whose booking is no longer booked
    or whose session was cancelled."""
    gone = Q(respondent__booking__isnull=False) & (
        ~Q(respondent__booking__status=BookingStatus.BOOKED)
        | Q(respondent__booking__session__status=SessionStatus.CANCELLED)
    )
    count = 0
    for invitation in Invitation.objects.filter(
        Q(respondent__plan=plan, status=InvitationStatus.SCHEDULED)
        & (gone | Q(respondent__booking__isnull=True, respondent__group=Group.TRAINED))
    ).select_related("partnership"):
        count += _withdraw(invitation, actor)
    return count


def _withdraw(invitation: Invitation, actor: Actor = TIP) -> int:
    invitation.status = InvitationStatus.WITHDRAWN
    invitation.save(update_fields=["status"])
    actor.record(AuditAction.UPDATE, invitation, ["status"])
    return 1


def _ensure_invitations(plan: EvaluationPlan, now: datetime, actor: Actor) -> int:
    """Create each respondent's missing invitations (one per wave with an instrument), except
    for respondents who withdrew and waves already closed; queue each to be sent."""
    from tip.evaluation.retention import last_wave_offset, retention_date

    waves = waves_measured(plan)
    if not waves:
        return 0
    last_offset = last_wave_offset(plan)
    closings: set[datetime] = set()
    retirements: set[date] = set()
    have = set(
        Invitation.objects.filter(respondent__plan=plan).values_list("respondent_id", "wave_id")
    )
    withdrawn = _withdrawn_respondents(plan)
    created = 0
    respondents = Respondent.objects.filter(plan=plan).filter(
        Q(group=Group.COMPARISON)
        | (
            Q(booking__status=BookingStatus.BOOKED)
            & ~Q(booking__session__status=SessionStatus.CANCELLED)
        )
    )
    for respondent in respondents.only("pk", "anchor_date", "partnership_id"):
        if respondent.pk in withdrawn:
            continue
        for wave in waves:
            if (respondent.pk, wave.pk) in have:
                continue
            opening = opens_at(respondent.anchor_date, wave.offset_days)
            closing = closes_at(opening, plan.days_open)
            if closing <= now:
                continue  # too late to ask
            invitation = Invitation.objects.create(
                partnership_id=plan.partnership_id,
                respondent=respondent,
                wave=wave,
                link_digest=links.unissued_digest(),
                opens_at=opening,
                closes_at=closing,
            )
            actor.record(
                AuditAction.CREATE, invitation, ["respondent", "wave", "opens_at", "closes_at"]
            )
            _queue(invitation, plan, now)
            closings.add(closing)
            retirements.add(retention_date(respondent, plan=plan, last_offset=last_offset))
            created += 1
    _schedule_sweeps(closings, retirements)
    return created


def _queue(invitation: Invitation, plan: EvaluationPlan, now: datetime) -> None:
    """Queue the sending at ``opens_at`` and the reminder at its moment, when the task backend
    can defer work (after this transaction commits). The sweep catches up with anything missed,
    so an invitation already open is left for it or queued for now."""
    from tip.evaluation.tasks_invitations import send_survey_invitation, send_survey_reminder
    from tip.training.tasks_bookings import schedule

    pk = invitation.pk
    when = max(invitation.opens_at, now)
    reminder = reminder_moment(invitation, plan.reminder_days)

    def queue() -> None:
        schedule(send_survey_invitation, when, invitation_id=pk)
        if reminder is not None:
            schedule(send_survey_reminder, max(reminder, now), invitation_id=pk)

    transaction.on_commit(queue)


def _schedule_sweeps(closings: set[datetime], retirements: set[date]) -> None:
    """Wake the sweeps when something falls due, as training's services wake theirs: the
    invitation sweep (``evaluation_sweep``) when invitations close, the retention sweep
    (``evaluation_retention_sweep``) at the start of each respondent's retention date (the
    date their consent page promised). Once per moment, after this transaction commits, when
    the task backend can defer work; the timer commands are the safety net."""
    if not closings and not retirements:
        return
    from tip.evaluation.retention import retention_moment
    from tip.evaluation.tasks_invitations import evaluation_sweep
    from tip.evaluation.tasks_retention import evaluation_retention_sweep
    from tip.training.tasks_bookings import schedule

    def queue() -> None:
        for when in sorted(closings):
            schedule(evaluation_sweep, when)
        for day in sorted(retirements):
            schedule(evaluation_retention_sweep, retention_moment(day))

    transaction.on_commit(queue)


def withdraw_respondent(respondent: Respondent, *, by: User, via: str = "web") -> int:
    """Withdraw every invitation of the respondent that can still be answered or sent (the
    person asked not to be contacted); return how many."""
    count = 0
    with transaction.atomic():
        for invitation in Invitation.objects.select_for_update(of=("self",)).filter(
            respondent=respondent, status__in=OPEN_STATUSES
        ):
            invitation.status = InvitationStatus.WITHDRAWN
            invitation.save(update_fields=["status"])
            audit_change(
                actor=by,
                action=AuditAction.UPDATE,
                obj=invitation,
                partnership=respondent.partnership,
                changed_fields=["status"],
                via=via,
            )
            count += 1
    return count


# --- Sending -------------------------------------------------------------------------------------


def survey_url(token: str) -> str:
    return settings.TIP_BASE_URL + links.survey_path(token)


def _recipient(respondent: Respondent) -> tuple[User | None, str]:
    user = respondent.membership.user if respondent.membership is not None else None
    address = (user.email if user is not None else "") or respondent.email
    return user, address


def _may_email(invitation: Invitation) -> bool:
    respondent = invitation.respondent
    if respondent.booking_id is not None and (
        respondent.booking is None
        or respondent.booking.status != BookingStatus.BOOKED
        or respondent.booking.session.status == SessionStatus.CANCELLED
    ):
        return False
    if respondent.group == Group.TRAINED and respondent.booking_id is None:
        return False
    return not Invitation.objects.filter(
        respondent=respondent, status=InvitationStatus.WITHDRAWN
    ).exists()


def _email(invitation: Invitation, token: str, *, reminder: bool) -> None:
    from tip.training.tasks_bookings import send_booking_email

    person, address = _recipient(invitation.respondent)
    if not address:
        return
    programme = invitation.wave.plan.programme
    with in_language_of(person):
        closes = date_format(timezone.localtime(invitation.closes_at, LONDON), "j F Y")
        context = {
            "person": person,
            "programme": programme.name,
            "wave": invitation.wave.name,
            "closes": closes,
            "link": survey_url(token) if token else "",
            "trained": invitation.respondent.group == Group.TRAINED,
        }
        names = {"programme": programme.name, "closes": closes}
        if reminder:
            subject = _("Reminder: the %(programme)s survey closes on %(closes)s") % names
            template = "evaluation/invitations_email_reminder.txt"
        else:
            subject = _("A short survey about %(programme)s") % names
            template = "evaluation/invitations_email_invitation.txt"
        body = render_to_string(template, context)
    send_booking_email.enqueue(subject=" ".join(subject.split()), body=body, to=[address])


def _locked(invitation_id: int, statuses: Sequence[str]) -> Invitation | None:
    return (
        Invitation.objects.select_for_update(of=("self",))
        .select_related(
            "respondent__membership__user",
            "respondent__booking__session",
            "wave__plan__programme",
            "partnership",
        )
        .filter(pk=invitation_id, status__in=statuses)
        .first()
    )


@transaction.atomic
def send_invitation(*, invitation_id: int, now: datetime | None = None) -> bool:
    """Send one invitation if it is open and not sent yet (claiming it first, so it goes once);
    say whether it was sent. One past its closing is closed instead; one whose respondent can
    no longer be asked is withdrawn."""
    now = now or timezone.now()
    invitation = _locked(invitation_id, [InvitationStatus.SCHEDULED])
    if invitation is None or invitation.opens_at > now:
        return False
    if invitation.closes_at <= now:
        _close(invitation)
        return False
    if not _may_email(invitation):
        _withdraw(invitation)
        return False
    token = links.issue_link(invitation)
    invitation.status = InvitationStatus.SENT
    invitation.sent_at = now
    invitation.save(update_fields=["status", "sent_at"])
    audit_automatic_change(
        action=AuditAction.UPDATE,
        obj=invitation,
        partnership=invitation.partnership,
        changed_fields=["status", "sent_at", "link_digest"],
    )
    _email(invitation, token, reminder=False)
    return True


@transaction.atomic
def send_reminder(*, invitation_id: int, now: datetime | None = None) -> bool:
    """Send the reminder of one invitation once, when its moment has come, it is still open and
    no answer is complete; say whether it was sent. The reminder carries a new personal link
    (the first one's token was never kept), which replaces the first."""
    now = now or timezone.now()
    invitation = _locked(invitation_id, ANSWERABLE)
    if invitation is None or invitation.reminded_at is not None:
        return False
    moment = reminder_moment(invitation, invitation.wave.plan.reminder_days)
    if moment is None or now < moment or now >= invitation.closes_at:
        return False
    if invitation.sent_at is not None and invitation.sent_at >= moment:
        return False  # sent late, on or after the reminder's moment: the invitation says it
    if not _may_email(invitation):
        return False
    token = links.issue_link(invitation)
    invitation.reminded_at = now
    invitation.save(update_fields=["reminded_at"])
    audit_automatic_change(
        action=AuditAction.UPDATE,
        obj=invitation,
        partnership=invitation.partnership,
        changed_fields=["reminded_at", "link_digest"],
    )
    _email(invitation, token, reminder=True)
    return True


def _close(invitation: Invitation) -> None:
    invitation.status = InvitationStatus.CLOSED
    invitation.save(update_fields=["status"])
    audit_automatic_change(
        action=AuditAction.UPDATE,
        obj=invitation,
        partnership=invitation.partnership,
        changed_fields=["status"],
    )


@transaction.atomic
def close_invitation(*, invitation_id: int, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    invitation = _locked(invitation_id, OPEN_STATUSES)
    if invitation is None or invitation.closes_at > now:
        return False
    _close(invitation)
    return True


def sweep(
    *, now: datetime | None = None, plans: Iterable[EvaluationPlan] | None = None
) -> dict[str, int]:
    """Bring every plan's respondents and invitations up to date, then send what is due, remind
    and close, in every partnership. Idempotent: a second run sends nothing twice."""
    now = now or timezone.now()
    chosen = list(plans) if plans is not None else list(EvaluationPlan.objects.order_by("pk"))
    totals: dict[str, int] = {
        "respondents": 0,
        "invitations": 0,
        "withdrawn": 0,
        "sent": 0,
        "reminded": 0,
        "closed": 0,
    }
    for plan in chosen:
        synced = sync_respondents(plan, now=now)
        totals["respondents"] += synced.respondents
        totals["invitations"] += synced.invitations
        totals["withdrawn"] += synced.withdrawn
    plan_ids = [p.pk for p in chosen]
    mine = Invitation.objects.filter(wave__plan_id__in=plan_ids)
    for pk in mine.filter(status__in=OPEN_STATUSES, closes_at__lte=now).values_list(
        "pk", flat=True
    ):
        totals["closed"] += close_invitation(invitation_id=pk, now=now)
    for pk in mine.filter(status=InvitationStatus.SCHEDULED, opens_at__lte=now).values_list(
        "pk", flat=True
    ):
        totals["sent"] += send_invitation(invitation_id=pk, now=now)
    for pk in mine.filter(
        status__in=ANSWERABLE, reminded_at__isnull=True, closes_at__gt=now
    ).values_list("pk", flat=True):
        totals["reminded"] += send_reminder(invitation_id=pk, now=now)
    return totals


# --- Comparison cohorts --------------------------------------------------------------------------


def _clean_cohort(
    plan: EvaluationPlan,
    *,
    name: Any,
    description: Any,
    reference_date: Any,
    organisations: Sequence[Organisation],
    cohort: ComparisonCohort | None = None,
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    clean_name = str(name or "").strip()
    text = str(description or "").strip()
    if not clean_name:
        errors["name"] = _("Enter the cohort's name")
    elif len(clean_name) > MAX_COHORT_NAME:
        errors["name"] = _("Enter a name of %(max)s characters or fewer") % {"max": MAX_COHORT_NAME}
    elif (
        ComparisonCohort.objects.filter(plan=plan, name=clean_name)
        .exclude(pk=cohort.pk if cohort else None)
        .exists()
    ):
        errors["name"] = _("The plan already has a cohort with this name: choose another")
    if len(text) > MAX_COHORT_DESCRIPTION:
        errors["description"] = _("Say who they are in %(max)s characters or fewer") % {
            "max": MAX_COHORT_DESCRIPTION
        }
    if not isinstance(reference_date, date):
        errors["reference_date"] = _(
            "Enter the date the cohort's waves count from, as a trained person's count from "
            "their session"
        )
    if any(o.partnership_id != plan.partnership_id for o in organisations):
        errors["organisations"] = _("Choose organisations of this partnership")
    if errors:
        raise ValidationError(errors)
    return {"name": clean_name, "description": text, "reference_date": reference_date}


@transaction.atomic
def cohort_create(
    *,
    plan: EvaluationPlan,
    name: Any,
    description: Any = "",
    reference_date: Any,
    organisations: Sequence[Organisation] = (),
    by: User,
    via: str = "web",
) -> ComparisonCohort:
    EvaluationPlan.objects.select_for_update().filter(pk=plan.pk).first()
    values = _clean_cohort(
        plan,
        name=name,
        description=description,
        reference_date=reference_date,
        organisations=organisations,
    )
    cohort = ComparisonCohort.objects.create(
        partnership_id=plan.partnership_id, plan=plan, **values
    )
    cohort.organisations.set(organisations)
    _audit(AuditAction.CREATE, cohort, by, [*values, "organisations"], via)
    return cohort


@transaction.atomic
def cohort_update(
    *,
    cohort: ComparisonCohort,
    name: Any,
    description: Any = "",
    reference_date: Any,
    organisations: Sequence[Organisation] = (),
    by: User,
    via: str = "web",
) -> ComparisonCohort:
    """Change a cohort; a new reference date moves its members' invitations not sent yet."""
    plan = cohort.plan
    EvaluationPlan.objects.select_for_update().filter(pk=plan.pk).first()
    values = _clean_cohort(
        plan,
        name=name,
        description=description,
        reference_date=reference_date,
        organisations=organisations,
        cohort=cohort,
    )
    changed = [f for f, v in values.items() if getattr(cohort, f) != v]
    for field, value in values.items():
        setattr(cohort, field, value)
    cohort.save()
    if {o.pk for o in cohort.organisations.all()} != {o.pk for o in organisations}:
        cohort.organisations.set(organisations)
        changed.append("organisations")
    _audit(AuditAction.UPDATE, cohort, by, changed, via)
    if "reference_date" in changed:
        for respondent in Respondent.objects.filter(cohort=cohort):
            _move_anchor(respondent, cohort.reference_date, plan, Actor(by, via))
    return cohort


@transaction.atomic
def cohort_delete(*, cohort: ComparisonCohort, by: User, via: str = "web") -> None:
    """Remove a cohort, its members and their invitations; refused once anyone in it has
    answered (their answers are the evaluation's)."""
    if (
        Invitation.objects.filter(respondent__cohort=cohort, started_at__isnull=False).exists()
        or cohort.respondents.filter(responses__isnull=False).exists()
    ):
        raise ValidationError(
            _("Someone in this cohort has answered, so it cannot be removed: their answers count")
        )
    _audit(AuditAction.DELETE, cohort, by, [], via)
    cohort.delete()


def _member_problem(line: int, message: str) -> str:
    return _("Line %(line)s: %(problem)s") % {"line": line, "problem": message}


def parse_emails(text: str, *, taken: Iterable[str] = ()) -> list[str]:
    """The addresses pasted one a line (blank lines ignored), lower-cased; every problem is
    refused at once, each with its line number, and nothing is added."""
    lines = str(text or "").splitlines()
    if len(lines) > MAX_PASTED_LINES:
        raise ValidationError(
            {"emails": _("Paste %(max)s lines or fewer at a time") % {"max": MAX_PASTED_LINES}}
        )
    already = {e.lower() for e in taken}
    seen: dict[str, int] = {}
    problems: list[str] = []
    found: list[str] = []
    for number, raw in enumerate(lines, start=1):
        address = raw.strip().lower()
        if not address:
            continue
        try:
            validate_email(address)
        except ValidationError:
            problems.append(
                _member_problem(
                    number,
                    _("enter an email address in the correct format, like name@example.com"),
                )
            )
            continue
        if address in seen:
            problems.append(
                _member_problem(
                    number, _("the same address is on line %(line)s") % {"line": seen[address]}
                )
            )
            continue
        seen[address] = number
        if address in already:
            problems.append(_member_problem(number, _("this person is already in the cohort")))
            continue
        found.append(address)
    if problems:
        raise ValidationError({"emails": problems})
    if not found:
        raise ValidationError({"emails": _("Paste one email address a line")})
    return found


def _cohort_emails(cohort: ComparisonCohort) -> set[str]:
    found = set()
    for email, user_email in Respondent.objects.filter(cohort=cohort).values_list(
        "email", "membership__user__email"
    ):
        found.add((user_email or email or "").lower())
    return found


def _new_member(
    cohort: ComparisonCohort, *, membership: Membership | None, email: str
) -> Respondent:
    return Respondent.objects.create(
        partnership_id=cohort.partnership_id,
        plan_id=cohort.plan_id,
        group=Group.COMPARISON,
        cohort=cohort,
        membership=membership,
        email="" if membership is not None else email,
        anchor_date=cohort.reference_date,
    )


@transaction.atomic
def members_add_emails(
    *, cohort: ComparisonCohort, text: str, by: User, via: str = "web"
) -> list[Respondent]:
    """Add the addresses pasted one a line (all or nothing). An address of one of the
    partnership's members is added as that member, so emails reach them in their language."""
    ComparisonCohort.objects.select_for_update().filter(pk=cohort.pk).first()
    addresses = parse_emails(text, taken=_cohort_emails(cohort))
    members = {
        m.user.email.lower(): m
        for m in Membership.objects.filter(
            partnership_id=cohort.partnership_id, user__email__in=addresses
        ).select_related("user")
    }
    added = []
    for address in addresses:
        respondent = _new_member(cohort, membership=members.get(address), email=address)
        _audit(AuditAction.CREATE, respondent, by, ["group", "cohort", "email", "anchor_date"], via)
        added.append(respondent)
    return added


@transaction.atomic
def members_add(
    *, cohort: ComparisonCohort, memberships: Sequence[Membership], by: User, via: str = "web"
) -> list[Respondent]:
    """Add partnership members to the cohort; those already in it are refused by name-free
    message, and nothing is added."""
    ComparisonCohort.objects.select_for_update().filter(pk=cohort.pk).first()
    if not memberships:
        raise ValidationError({"memberships": _("Choose at least one person to add")})
    if any(m.partnership_id != cohort.partnership_id for m in memberships):
        raise ValidationError({"memberships": _("Choose people of this partnership")})
    taken = _cohort_emails(cohort)
    if any(m.user.email.lower() in taken for m in memberships):
        raise ValidationError(
            {"memberships": _("Someone chosen is already in the cohort: leave them out")}
        )
    added = []
    for membership in memberships:
        respondent = _new_member(cohort, membership=membership, email="")
        _audit(AuditAction.CREATE, respondent, by, ["group", "cohort", "membership"], via)
        added.append(respondent)
    return added


@transaction.atomic
def member_remove(*, respondent: Respondent, by: User, via: str = "web") -> None:
    """Take someone out of a cohort: removed with their invitations if they have not answered,
    else withdrawn (so they are never emailed again) and their answers kept."""
    if respondent.cohort_id is None:
        raise ValidationError(_("Only members of a comparison cohort can be removed here"))
    answered = (
        Invitation.objects.filter(respondent=respondent, started_at__isnull=False).exists()
        or respondent.responses.exists()
    )
    if answered:
        withdraw_respondent(respondent, by=by, via=via)
        return
    _audit(AuditAction.DELETE, respondent, by, [], via)
    respondent.delete()
