"""Writes to venues and sessions. Each runs in one transaction and records itself in the audit
log, so the pages and the API refuse the same things with the same messages.

The rules:

* Times are taken as a date and wall-clock times in Europe/London and stored in UTC. A time the
  spring clock change skips is refused, naming it; a time the autumn change repeats is read as
  the first time (British Summer Time), and the caller is told (``PartTimes.notes``).
* In person needs a venue, virtual an online link, hybrid both. A virtual session has no venue
  and an in-person one no link (they are cleared).
* A trainer cannot teach two sessions (not cancelled) whose parts overlap: the message names the
  other session and its time.
* Confirming checks every trainer's clearances for the venue's setting on each part's date
  (``services_clearances.trainer_clearance_problems``). A virtual session, or one at a venue with
  no setting, needs none. Changing the times, venue or trainers undoes the confirmation.
* Changing a published session's times, venue or online link, or cancelling it, bumps
  ``sequence``, which calendar invitations use to replace what people were sent. Listeners
  registered with ``register_session_listener`` hear of such changes once the transaction
  commits (bookings use it to send updates and cancellations).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tip.core.audit import audit_change
from tip.core.models import AuditAction, Membership, Partnership, Sector, User
from tip.programmes.models import WorkforceGroup
from tip.training import selectors_clearances as clearance_selectors
from tip.training.analysis.sessions import (
    Interval,
    NonexistentTime,
    clashes,
    from_london,
    to_london,
)
from tip.training.models_clearances import DeliverySetting
from tip.training.models_courses import Course, CourseVersion
from tip.training.models_providers import Trainer
from tip.training.models_sessions import (
    Access,
    Session,
    SessionFormat,
    SessionPart,
    SessionStatus,
    SessionTrainer,
    Venue,
)
from tip.training.services_clearances import ClearanceProblem, trainer_clearance_problems

VENUE_FIELDS = (
    "name",
    "address",
    "setting",
    "step_free_access",
    "hearing_loop",
    "quiet_room",
    "parking",
    "cost",
    "provided_by",
    "notes",
)
SESSION_FIELDS = (
    "title",
    "course_version",
    "format",
    "venue",
    "online_link",
    "capacity",
    "recommended_group_size",
    "planned_breaks",
    "audience_sectors",
    "audience_groups",
    "reconfirm_days",
)
# Changes people booked must hear about (calendar updates).
NOTIFIED_FIELDS = frozenset({"venue", "online_link", "format"})
MAX_CAPACITY = 1000
MAX_RECONFIRM_DAY = 90

SessionListener = Callable[[Session, str], None]
_LISTENERS: list[SessionListener] = []


def register_session_listener(listener: SessionListener) -> None:
    """`listener(session, change)` runs after the transaction commits whenever a published
    session's times, venue or link change ("updated") or it is cancelled ("cancelled")."""
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def _notify(session: Session, change: str) -> None:
    for listener in list(_LISTENERS):
        transaction.on_commit(lambda listener=listener: listener(session, change))  # type: ignore[misc]


def _audit(action: str, obj: Any, by: User, fields: Iterable[str] = (), via: str = "web") -> None:
    audit_change(
        actor=by,
        action=action,
        obj=obj,
        partnership=obj.partnership,
        changed_fields=list(fields),
        via=via,
    )


def when_text(starts: datetime, ends: datetime) -> str:
    """A part's time as people read it, in Europe/London: "3 March 2027, 09:30 to 16:30"."""
    s, e = to_london(starts), to_london(ends)
    if s.date() == e.date():
        return _("%(day)s, %(start)s to %(end)s") % {
            "day": date_format(s.date(), "j F Y"),
            "start": s.strftime("%H:%M"),
            "end": e.strftime("%H:%M"),
        }
    return _("%(start)s to %(end)s") % {
        "start": f"{date_format(s.date(), 'j F Y')}, {s:%H:%M}",
        "end": f"{date_format(e.date(), 'j F Y')}, {e:%H:%M}",
    }


# --- Venues --------------------------------------------------------------------------------------


def _clean_venue(partnership: Partnership, values: dict[str, Any], venue: Venue | None) -> None:
    errors: dict[str, str] = {}
    for name in ("name", "address", "parking", "cost", "provided_by", "notes"):
        if name in values:
            values[name] = str(values[name] or "").strip()
    if "name" in values:
        clash = Venue.objects.for_partnership(partnership).filter(name__iexact=values["name"])
        if venue is not None:
            clash = clash.exclude(pk=venue.pk)
        if not values["name"]:
            errors["name"] = _("Enter the venue's name")
        elif clash.exists():
            errors["name"] = _(
                "A venue called “%(name)s” is already listed. Choose another name."
            ) % {"name": values["name"]}
    setting = values.get("setting")
    if setting is not None and (
        not isinstance(setting, DeliverySetting) or setting.partnership_id != partnership.pk
    ):
        errors["setting"] = _("Choose one of the partnership's settings")
    for name in ("step_free_access", "hearing_loop", "quiet_room"):
        if name in values:
            values[name] = values[name] or Access.UNKNOWN
            if values[name] not in Access.values:
                errors[name] = _("Choose yes, no or not known")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def venue_create(
    *, partnership: Partnership, name: str, by: User, via: str = "web", **values: Any
) -> Venue:
    unknown = set(values) - set(VENUE_FIELDS)
    if unknown:
        raise ValueError(f"Not venue fields: {sorted(unknown)}")
    values["name"] = name
    _clean_venue(partnership, values, None)
    venue = Venue(partnership=partnership, **values)
    venue.full_clean()
    venue.save()
    _audit(AuditAction.CREATE, venue, by, [f for f in VENUE_FIELDS if f in values], via)
    return venue


@transaction.atomic
def venue_update(*, venue: Venue, by: User, via: str = "web", **values: Any) -> Venue:
    unknown = set(values) - set(VENUE_FIELDS)
    if unknown:
        raise ValueError(f"Not venue fields: {sorted(unknown)}")
    _clean_venue(venue.partnership, values, venue)
    changed = [n for n, v in values.items() if getattr(venue, n) != v]
    if not changed:
        return venue
    for n, v in values.items():
        setattr(venue, n, v)
    venue.full_clean()
    venue.save()
    _audit(AuditAction.UPDATE, venue, by, changed, via)
    affected = list(
        Session.objects.filter(venue=venue)
        .exclude(status=SessionStatus.CANCELLED)
        .filter(parts__ends_at__gt=timezone.now())
        .distinct()
    )
    if "setting" in changed:
        # The clearances needed there changed: the confirmation no longer holds.
        Session.objects.filter(pk__in=[s.pk for s in affected]).update(confirmed_at=None)
    if {"name", "address"} & set(changed):
        for session in affected:
            if session.status == SessionStatus.PUBLISHED:
                _bump(session)
                _notify(session, "updated")
    return venue


@transaction.atomic
def venue_delete(*, venue: Venue, by: User, via: str = "web") -> None:
    if Session.objects.filter(venue=venue).exists():
        raise ValidationError(
            _(
                "Sessions are held at %(venue)s, so it cannot be removed. Move them to another "
                "venue first."
            )
            % {"venue": venue.name}
        )
    _audit(AuditAction.DELETE, venue, by, (), via)
    venue.delete()


# --- Parts: reading London times ----------------------------------------------------------------


@dataclass(frozen=True)
class PartTimes:
    """A part's start and end in UTC, and any notes for the person (an ambiguous time)."""

    starts_at: datetime
    ends_at: datetime
    notes: list[str] = field(default_factory=list)


def read_part(day: date, starts: time, ends: time, *, field_prefix: str = "") -> PartTimes:
    """A part given as a date and start and end times in Europe/London. ValidationError names
    the field: "starts" or "ends" (with `field_prefix`)."""
    errors: dict[str, str] = {}
    read: dict[str, Any] = {}
    notes = []
    for name, at in (("starts", starts), ("ends", ends)):
        try:
            local = from_london(day, at)
        except NonexistentTime:
            errors[field_prefix + name] = _(
                "%(time)s on %(day)s does not exist in the UK: the clocks go forward an hour "
                "that night, from 01:00 to 02:00. Choose a time before 01:00 or from 02:00."
            ) % {"time": at.strftime("%H:%M"), "day": date_format(day, "j F Y")}
            continue
        read[name] = local.utc
        if local.ambiguous:
            notes.append(
                _(
                    "%(time)s on %(day)s happens twice in the UK, as the clocks go back an hour "
                    "at 02:00. TIP reads it as the first %(time)s, in British Summer Time."
                )
                % {"time": at.strftime("%H:%M"), "day": date_format(day, "j F Y")}
            )
    if errors:
        raise ValidationError(errors)
    if read["ends"] <= read["starts"]:
        raise ValidationError(
            {field_prefix + "ends": _("The end time must be after the start time")}
        )
    return PartTimes(read["starts"], read["ends"], notes)


# --- Clashes -------------------------------------------------------------------------------------


def trainer_clashes(
    *, session: Session, trainers: Sequence[Trainer], parts: Sequence[Interval]
) -> list[str]:
    """Messages for each trainer who teaches another session (not cancelled) whose parts overlap
    `parts`. One query, whatever the number of sessions."""
    if not trainers or not parts:
        return []
    names = {t.pk: t.name for t in trainers}
    window_start = min(p.starts for p in parts)
    window_end = max(p.ends for p in parts)
    rows = (
        SessionPart.objects.filter(
            partnership_id=session.partnership_id,
            session__session_trainers__trainer__in=list(names),
            starts_at__lt=window_end,
            ends_at__gt=window_start,
        )
        .exclude(session__status=SessionStatus.CANCELLED)
        .values_list(
            "session__session_trainers__trainer_id",
            "session_id",
            "session__title",
            "session__course__name",
            "starts_at",
            "ends_at",
        )
    )
    if session.pk is not None:
        rows = rows.exclude(session_id=session.pk)
    others: dict[tuple[int, int], list[Interval]] = {}
    titles: dict[int, str] = {}
    for trainer_id, session_id, title, course_name, starts, ends in rows:
        others.setdefault((trainer_id, session_id), []).append(Interval(starts, ends))
        titles[session_id] = title or course_name
    messages = []
    seen = set()
    for clash in clashes(list(parts), others):
        trainer_id, session_id = clash.other
        if (trainer_id, session_id) in seen:
            continue
        seen.add((trainer_id, session_id))
        messages.append(
            _("%(trainer)s already teaches “%(session)s” on %(when)s, which overlaps this session.")
            % {
                "trainer": names[trainer_id],
                "session": titles[session_id],
                "when": when_text(clash.theirs.starts, clash.theirs.ends),
            }
        )
    return messages


def _intervals(session: Session) -> list[Interval]:
    return [Interval(p.starts_at, p.ends_at) for p in session.parts.all()]


def _trainers(session: Session) -> list[Trainer]:
    return [
        st.trainer
        for st in SessionTrainer.objects.filter(session=session).select_related("trainer")
    ]


# --- Sessions ------------------------------------------------------------------------------------


def _editable(session: Session) -> None:
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError(_("This session has been cancelled, so it cannot change."))


def _bump(session: Session) -> None:
    Session.objects.filter(pk=session.pk).update(sequence=F("sequence") + 1)
    session.refresh_from_db(fields=["sequence"])


def resolve_version(course: Course, number: int | None) -> CourseVersion:
    """The course's version `number`, or its latest when None; ValidationError names it."""
    versions = CourseVersion.objects.filter(course=course, partnership_id=course.partnership_id)
    version: CourseVersion | None = (
        versions.order_by("-number").first()
        if number is None
        else versions.filter(number=number).first()
    )
    if version is None:
        raise ValidationError(
            {
                "version": _("%(course)s has no version %(number)s")
                % {
                    "course": course.name,
                    "number": number,
                }
            }
        )
    return version


def _clean_reconfirm_days(raw: Any) -> list[int]:
    try:
        days = [int(d) for d in (raw or [])]
    except (TypeError, ValueError):
        raise ValidationError(
            {"reconfirm_days": _("Give the days as whole numbers, such as 7, 2")}
        ) from None
    if any(not 1 <= d <= MAX_RECONFIRM_DAY for d in days):
        raise ValidationError(
            {
                "reconfirm_days": _("Each day must be between 1 and %(max)d days before")
                % {"max": MAX_RECONFIRM_DAY}
            }
        )
    if len(days) > 5:
        raise ValidationError({"reconfirm_days": _("Ask people to confirm 5 times at most")})
    return sorted(set(days), reverse=True)


def _clean_session(partnership: Partnership, values: dict[str, Any]) -> None:
    """Check and tidy the full set of a session's values in place."""
    errors: dict[str, str] = {}
    version = values.get("course_version")
    if not isinstance(version, CourseVersion) or version.partnership_id != partnership.pk:
        errors["course"] = _("Choose one of the partnership's courses")
    values["title"] = str(values.get("title") or "").strip()
    if len(values["title"]) > 200:
        errors["title"] = _("The title must be 200 characters or fewer")
    fmt = values.get("format")
    if fmt not in SessionFormat.values:
        errors["format"] = _("Choose whether the session is virtual, in person or hybrid")
    venue = values.get("venue")
    if venue is not None and (
        not isinstance(venue, Venue) or venue.partnership_id != partnership.pk
    ):
        errors["venue"] = _("Choose one of the partnership's venues")
    link = str(values.get("online_link") or "").strip()
    values["online_link"] = link
    if fmt == SessionFormat.VIRTUAL:
        values["venue"] = None
    elif fmt in (SessionFormat.IN_PERSON, SessionFormat.HYBRID) and venue is None:
        errors.setdefault("venue", _("Choose the venue: an in-person or hybrid session needs one"))
    if fmt == SessionFormat.IN_PERSON:
        values["online_link"] = ""
    elif fmt in (SessionFormat.VIRTUAL, SessionFormat.HYBRID):
        if not link:
            errors["online_link"] = _(
                "Enter the online joining link: a virtual or hybrid session needs one"
            )
        else:
            try:
                URLValidator(schemes=["https", "http"])(link)
            except ValidationError:
                errors["online_link"] = _(
                    "Enter the joining link as a web address, such as https://meet.example/abc"
                )
            if len(link) > 500:
                errors["online_link"] = _("The link must be 500 characters or fewer")
    capacity = values.get("capacity")
    if not isinstance(capacity, int) or not 1 <= capacity <= MAX_CAPACITY:
        errors["capacity"] = _("The number of places must be between 1 and %(max)d") % {
            "max": MAX_CAPACITY
        }
    group = values.get("recommended_group_size")
    if fmt == SessionFormat.IN_PERSON:
        values["recommended_group_size"] = None
    elif group is not None:
        if not isinstance(group, int) or group < 1:
            errors["recommended_group_size"] = _("The group size must be a whole number, 1 or more")
        elif isinstance(capacity, int) and group > capacity:
            errors["recommended_group_size"] = _(
                "The recommended group size must not be more than the places (%(capacity)d)"
            ) % {"capacity": capacity}
    values["planned_breaks"] = str(values.get("planned_breaks") or "").strip()
    if len(values["planned_breaks"]) > 2000:
        errors["planned_breaks"] = _("Describe the breaks in 2,000 characters or fewer")
    for name, choices, message in (
        ("audience_sectors", Sector.values, _("Choose sectors from the list")),
        ("audience_groups", WorkforceGroup.values, _("Choose groups of staff from the list")),
    ):
        chosen = list(dict.fromkeys(values.get(name) or []))
        if set(chosen) - set(choices):
            errors[name] = message
        values[name] = [c for c in choices if c in chosen]
    try:
        values["reconfirm_days"] = _clean_reconfirm_days(values.get("reconfirm_days"))
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)


@dataclass(frozen=True)
class PartIn:
    """A part as people give it: a date and start and end times in Europe/London."""

    day: date
    starts: time
    ends: time


@transaction.atomic
def session_create(
    *,
    partnership: Partnership,
    course: Course,
    parts: Sequence[PartIn],
    format: str,
    capacity: int,
    version_number: int | None = None,
    by: User,
    via: str = "web",
    **values: Any,
) -> tuple[Session, list[str]]:
    """A draft session of the course's version `version_number` (default: the latest), with
    its parts. Returns the session and notes for the person (ambiguous autumn times)."""
    unknown = set(values) - set(SESSION_FIELDS)
    if unknown:
        raise ValueError(f"Not session fields: {sorted(unknown)}")
    if course.partnership_id != partnership.pk:
        raise ValidationError({"course": _("Choose one of the partnership's courses")})
    values |= {
        "course_version": resolve_version(course, version_number),
        "format": format,
        "capacity": capacity,
    }
    _clean_session(partnership, values)
    if not parts:
        raise ValidationError({"parts": _("Give the date and times of the session")})
    read = [read_part(p.day, p.starts, p.ends) for p in parts]
    _refuse_overlapping_parts([Interval(r.starts_at, r.ends_at) for r in read])
    session = Session(partnership=partnership, course=course, created_by=by, **values)
    session.full_clean()
    session.save()
    _audit(AuditAction.CREATE, session, by, SESSION_FIELDS, via)
    for r in read:
        part = SessionPart.objects.create(
            partnership=partnership, session=session, starts_at=r.starts_at, ends_at=r.ends_at
        )
        _audit(AuditAction.CREATE, part, by, ["starts_at", "ends_at"], via)
    return session, [n for r in read for n in r.notes]


def _refuse_overlapping_parts(parts: Sequence[Interval], *, name: str = "parts") -> None:
    for i, a in enumerate(parts):
        for b in parts[i + 1 :]:
            if a.starts < b.ends and b.starts < a.ends:
                raise ValidationError(
                    {
                        name: _("The session's parts overlap: %(a)s and %(b)s")
                        % {
                            "a": when_text(a.starts, a.ends),
                            "b": when_text(b.starts, b.ends),
                        }
                    }
                )


@transaction.atomic
def session_update(
    *,
    session: Session,
    by: User,
    via: str = "web",
    version_number: int | None = None,
    **values: Any,
) -> Session:
    """Change a session's details (SESSION_FIELDS; the version by `version_number` while it is
    a draft). Parts and trainers have their own services."""
    _editable(session)
    unknown = set(values) - set(SESSION_FIELDS)
    if unknown:
        raise ValueError(f"Not session fields: {sorted(unknown)}")
    if version_number is not None:
        values["course_version"] = resolve_version(session.course, version_number)
    merged = {f: values.get(f, getattr(session, f)) for f in SESSION_FIELDS}
    _clean_session(session.partnership, merged)
    changed = [f for f in SESSION_FIELDS if getattr(session, f) != merged[f]]
    if not changed:
        return session
    if "course_version" in changed and session.status != SessionStatus.DRAFT:
        raise ValidationError(
            {
                "version": _(
                    "The session is open for booking, so the version taught stays as people "
                    "booked it."
                )
            }
        )
    for f in changed:
        setattr(session, f, merged[f])
    if {"venue", "format"} & set(changed):
        session.confirmed_at = None
    session.full_clean()
    session.save()
    _audit(AuditAction.UPDATE, session, by, changed, via)
    if session.status == SessionStatus.PUBLISHED and NOTIFIED_FIELDS & set(changed):
        _bump(session)
        _notify(session, "updated")
    return session


def _after_times_change(session: Session) -> None:
    session.confirmed_at = None
    session.save(update_fields=["confirmed_at", "updated_at"])
    if session.status == SessionStatus.PUBLISHED:
        _bump(session)
        _notify(session, "updated")


def _check_part(session: Session, read: PartTimes, exclude: SessionPart | None) -> None:
    others = [
        Interval(p.starts_at, p.ends_at)
        for p in session.parts.all()
        if exclude is None or p.pk != exclude.pk
    ]
    new = Interval(read.starts_at, read.ends_at)
    _refuse_overlapping_parts([*others, new], name="starts")
    problems = trainer_clashes(session=session, trainers=_trainers(session), parts=[new])
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def part_add(
    *, session: Session, day: date, starts: time, ends: time, by: User, via: str = "web"
) -> tuple[SessionPart, list[str]]:
    _editable(session)
    read = read_part(day, starts, ends)
    _check_part(session, read, None)
    part = SessionPart.objects.create(
        partnership_id=session.partnership_id,
        session=session,
        starts_at=read.starts_at,
        ends_at=read.ends_at,
    )
    _audit(AuditAction.CREATE, part, by, ["starts_at", "ends_at"], via)
    _after_times_change(session)
    return part, read.notes


@transaction.atomic
def part_update(
    *, part: SessionPart, day: date, starts: time, ends: time, by: User, via: str = "web"
) -> list[str]:
    session = part.session
    _editable(session)
    read = read_part(day, starts, ends)
    changed = [
        n
        for n, v in (("starts_at", read.starts_at), ("ends_at", read.ends_at))
        if getattr(part, n) != v
    ]
    if not changed:
        return read.notes
    _check_part(session, read, part)
    part.starts_at, part.ends_at = read.starts_at, read.ends_at
    part.save()
    _audit(AuditAction.UPDATE, part, by, changed, via)
    _after_times_change(session)
    return read.notes


@transaction.atomic
def part_delete(*, part: SessionPart, by: User, via: str = "web") -> None:
    session = part.session
    _editable(session)
    if session.parts.count() <= 1:
        raise ValidationError(
            _("A session needs at least one part. Change this part's times instead.")
        )
    _audit(AuditAction.DELETE, part, by, (), via)
    part.delete()
    _after_times_change(session)


# --- Trainers ------------------------------------------------------------------------------------


@transaction.atomic
def trainer_add(
    *, session: Session, trainer: Trainer, by: User, via: str = "web"
) -> SessionTrainer:
    _editable(session)
    if trainer.partnership_id != session.partnership_id:
        raise ValidationError({"trainer": _("Choose one of the partnership's trainers")})
    if SessionTrainer.objects.filter(session=session, trainer=trainer).exists():
        raise ValidationError(
            {"trainer": _("%(trainer)s already teaches this session") % {"trainer": trainer.name}}
        )
    problems = trainer_clashes(session=session, trainers=[trainer], parts=_intervals(session))
    if problems:
        raise ValidationError({"trainer": problems})
    link = SessionTrainer.objects.create(
        partnership_id=session.partnership_id, session=session, trainer=trainer
    )
    _audit(AuditAction.CREATE, link, by, ["trainer"], via)
    if session.confirmed_at is not None:
        session.confirmed_at = None
        session.save(update_fields=["confirmed_at", "updated_at"])
    return link


@transaction.atomic
def trainer_remove(*, link: SessionTrainer, by: User, via: str = "web") -> None:
    session = link.session
    _editable(session)
    _audit(AuditAction.DELETE, link, by, (), via)
    link.delete()
    if session.confirmed_at is not None and not session.session_trainers.exists():
        session.confirmed_at = None
        session.save(update_fields=["confirmed_at", "updated_at"])


# --- Status --------------------------------------------------------------------------------------


@transaction.atomic
def session_publish(
    *, session: Session, by: User, via: str = "web", now: datetime | None = None
) -> Session:
    """Open a draft for booking. It must not have started."""
    now = now or timezone.now()
    if session.status != SessionStatus.DRAFT:
        raise ValidationError(_("Only a draft session can be opened for booking."))
    first = session.parts.order_by("starts_at").first()
    if first is None:
        raise ValidationError(_("Give the session's date and times before opening it for booking."))
    if first.starts_at <= now:
        raise ValidationError(
            _("The session started on %(when)s, so it cannot be opened for booking.")
            % {"when": when_text(first.starts_at, first.ends_at)}
        )
    session.status = SessionStatus.PUBLISHED
    session.published_at = now
    session.save(update_fields=["status", "published_at", "updated_at"])
    _audit(AuditAction.UPDATE, session, by, ["status"], via)
    return session


@dataclass(frozen=True)
class TrainerProblem:
    trainer: Trainer
    on_date: date
    problem: ClearanceProblem


def clearance_problems(*, session: Session) -> list[TrainerProblem]:
    """What each trainer lacks for the venue's setting on each part's date (London dates).
    Empty for a virtual session or one at a venue with no setting."""
    if session.format == SessionFormat.VIRTUAL or session.venue is None:
        return []
    setting = session.venue.setting
    if setting is None:
        return []
    days = sorted({to_london(p.starts_at).date() for p in session.parts.all()})
    found = []
    trainers = [
        st.trainer
        for st in SessionTrainer.objects.filter(session=session)
        .select_related("trainer")
        .prefetch_related("trainer__clearances")
    ]
    lead_times = clearance_selectors.lead_times(partnership=session.partnership)
    for trainer in trainers:
        seen: set[str] = set()
        for day in days:
            for problem in trainer_clearance_problems(
                trainer=trainer, setting=setting, on_date=day, lead_times=lead_times
            ):
                # One message per clearance: the first date it fails says it.
                if problem.clearance_type not in seen:
                    seen.add(problem.clearance_type)
                    found.append(TrainerProblem(trainer, day, problem))
    return found


@transaction.atomic
def session_confirm(*, session: Session, by: User, via: str = "web") -> Session:
    """Confirm the trainers: at least one, none teaching elsewhere at the same time, and each
    holding the clearances the venue's setting needs on every part's date."""
    _editable(session)
    trainers = _trainers(session)
    if not trainers:
        raise ValidationError(_("Add at least one trainer before confirming the session."))
    if not session.parts.exists():
        raise ValidationError(_("Give the session's date and times before confirming it."))
    problems = trainer_clashes(session=session, trainers=trainers, parts=_intervals(session))
    problems += [p.problem.message for p in clearance_problems(session=session)]
    if problems:
        raise ValidationError(problems)
    session.confirmed_at = timezone.now()
    session.save(update_fields=["confirmed_at", "updated_at"])
    _audit(AuditAction.UPDATE, session, by, ["confirmed_at"], via)
    return session


@transaction.atomic
def session_cancel(*, session: Session, reason: str, by: User, via: str = "web") -> Session:
    _editable(session)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the session is cancelled")})
    if len(reason) > 2000:
        raise ValidationError({"reason": _("Give the reason in 2,000 characters or fewer")})
    was_published = session.status == SessionStatus.PUBLISHED
    session.status = SessionStatus.CANCELLED
    session.cancelled_at = timezone.now()
    session.cancellation_reason = reason
    session.save(update_fields=["status", "cancelled_at", "cancellation_reason", "updated_at"])
    _audit(AuditAction.UPDATE, session, by, ["status", "cancellation_reason"], via)
    _bump(session)
    if was_published:
        _notify(session, "cancelled")
    return session


# --- Trainers' accounts --------------------------------------------------------------------------


@transaction.atomic
def trainer_account_set(
    *, trainer: Trainer, membership: Membership | None, by: User, via: str = "web"
) -> Trainer:
    """Link the trainer to a member's TIP account (or unlink with None), so they see the
    sessions they teach."""
    if membership is not None and membership.partnership_id != trainer.partnership_id:
        raise ValidationError({"membership": _("Choose one of the partnership's members")})
    if trainer.membership_id == (membership.pk if membership else None):
        return trainer
    trainer.membership = membership
    trainer.save(update_fields=["membership", "updated_at"])
    _audit(AuditAction.UPDATE, trainer, by, ["membership"], via)
    return trainer
