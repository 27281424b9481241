"""Writes for registers and certificates, and the audited reads of certificates and records.

* ``register_save`` saves a whole register at once, or nothing: every person on it needs a mark,
  and any fault refuses the lot. Each mark is audited. Then, in the same transaction:
  - a certificate is issued to everyone marked *attended* (or a revoked one reinstated);
    *partly attended* earns no certificate (a certificate says the person attended the course),
    and a certificate whose mark changes away from *attended* is revoked;
  - a participant marked *did not attend* whose booking asked for their manager to be told is
    reported to the manager once (``Attendance.manager_notified_at``), by the bookings service's
    ``notify_manager_of_no_show`` (an email through the task queue);
  - every listener registered with ``register_attendance_listener`` hears of each mark (follow-up
    invitations are scheduled or cancelled this way).
* ``certificate_download`` renders the PDF, and audits it when someone other than its holder
  downloads it.
* ``record_csv`` writes a training record as CSV, cells neutralised against formulas.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tip.core.audit import audit_change, audit_view
from tip.core.models import AuditAction, User
from tip.programmes.interchange_services import csv_safe
from tip.training import certificates, purposes_attendance
from tip.training import selectors_attendance as selectors
from tip.training.analysis.attendance import certificate_hours
from tip.training.models_bookings import Attendance, AttendanceMark, Booking
from tip.training.models_delivery import Certificate
from tip.training.models_sessions import Session
from tip.training.services_bookings import notify_manager_of_no_show

NOTE_MAX = 300

AttendanceListener = Callable[[Booking, Attendance, User, str], None]
_ATTENDANCE_LISTENERS: list[AttendanceListener] = []


def register_attendance_listener(listener: AttendanceListener) -> None:
    """Extension point: ``listener(booking, attendance, by, via)`` runs for every person on a
    register each time it is saved (whether or not their mark changed), in the register's
    transaction: all or nothing. ``booking.session`` is the locked session. Idempotent."""
    if listener not in _ATTENDANCE_LISTENERS:
        _ATTENDANCE_LISTENERS.append(listener)


@dataclass(frozen=True)
class MarkInput:
    mark: str
    note: str = ""


@dataclass
class RegisterSaved:
    """What a saved register changed."""

    marked: int = 0
    changed: int = 0
    certificates_issued: list[Certificate] = field(default_factory=list)
    certificates_revoked: int = 0
    managers_told: int = 0


def register_problems(
    *, session: Session, rows: list[selectors.RegisterRow], marks: Mapping[int, MarkInput]
) -> list[str]:
    """Everything wrong with a register's marks, in the register's order; empty when it can be
    saved."""
    problems: list[str] = []
    if not selectors.register_is_open(session):
        problems.append(
            _("This session was cancelled: it has no register.")
            if session.status == "cancelled"
            else _("You can take the register once the session has started.")
        )
        return problems
    known = {r.booking.pk for r in rows}
    unknown = sorted(set(marks) - known)
    if unknown:
        problems.append(
            _("These bookings are not on this session's register: %(ids)s.")
            % {"ids": ", ".join(str(i) for i in unknown)}
        )
    for row in rows:
        given = marks.get(row.booking.pk)
        if given is None or not given.mark:
            problems.append(_("Choose whether %(name)s attended") % {"name": row.name})
        elif given.mark not in AttendanceMark.values:
            problems.append(
                _(
                    "Choose one of the marks for %(name)s: attended, partly attended, did not "
                    "attend or cancelled late"
                )
                % {"name": row.name}
            )
        elif len(given.note or "") > NOTE_MAX:
            problems.append(
                _("The note about %(name)s must be %(max)d characters or fewer")
                % {"name": row.name, "max": NOTE_MAX}
            )
    return problems


@transaction.atomic
def register_save(
    *,
    session: Session,
    marks: Mapping[int, MarkInput],
    by: User,
    via: str = "web",
) -> RegisterSaved:
    """Save the whole register (a mark for every person on it), or nothing: raises
    ValidationError listing every problem."""
    # Lock the session's row: two trainers saving at once take turns, and neither's
    # certificates or notices are made twice.
    Session.objects.select_for_update().filter(pk=session.pk).first()
    rows = selectors.register_rows(session=session)
    problems = register_problems(session=session, rows=rows, marks=marks)
    if problems:
        raise ValidationError(problems)
    parts = [(p.starts_at, p.ends_at) for p in session.parts.all()]
    hours = certificate_hours(session.course.hours, parts)
    saved = RegisterSaved()
    now = timezone.now()
    for row in rows:
        given = marks[row.booking.pk]
        row.booking.session = session
        attendance = _mark(row.booking, given, by=by, via=via, saved=saved)
        _certificate(row.booking, attendance, hours=hours, by=by, via=via, saved=saved)
        for listener in _ATTENDANCE_LISTENERS:
            listener(row.booking, attendance, by, via)
        if (
            attendance.mark == AttendanceMark.NO_SHOW
            and attendance.manager_notified_at is None
            and notify_manager_of_no_show(row.booking)
        ):
            attendance.manager_notified_at = now
            attendance.save(update_fields=["manager_notified_at", "marked_at"])
            audit_change(
                actor=by,
                action=AuditAction.UPDATE,
                obj=attendance,
                partnership=session.partnership,
                changed_fields=["manager_notified_at"],
                via=via,
            )
            saved.managers_told += 1
    return saved


def _mark(
    booking: Booking, given: MarkInput, *, by: User, via: str, saved: RegisterSaved
) -> Attendance:
    note = " ".join((given.note or "").split())
    attendance: Attendance | None = getattr(booking, "attendance", None)
    saved.marked += 1
    if attendance is None:
        attendance = Attendance.objects.create(
            partnership_id=booking.partnership_id,
            booking=booking,
            mark=given.mark,
            note=note,
            marked_by=by,
        )
        booking.attendance = attendance
        audit_change(
            actor=by,
            action=AuditAction.CREATE,
            obj=attendance,
            partnership=booking.session.partnership,
            changed_fields=["mark", "note"],
            via=via,
        )
        saved.changed += 1
        return attendance
    changed = [n for n, v in (("mark", given.mark), ("note", note)) if getattr(attendance, n) != v]
    if changed:
        attendance.mark = given.mark
        attendance.note = note
        attendance.marked_by = by
        attendance.save(update_fields=[*changed, "marked_by", "marked_at"])
        audit_change(
            actor=by,
            action=AuditAction.UPDATE,
            obj=attendance,
            partnership=booking.session.partnership,
            changed_fields=changed,
            via=via,
        )
        saved.changed += 1
    return attendance


def _certificate(
    booking: Booking,
    attendance: Attendance,
    *,
    hours: Any,
    by: User,
    via: str,
    saved: RegisterSaved,
) -> None:
    certificate = Certificate.objects.filter(booking=booking).first()
    partnership = booking.session.partnership
    if attendance.mark == AttendanceMark.ATTENDED:
        if certificate is None:
            certificate = Certificate.objects.create(
                partnership_id=booking.partnership_id,
                booking=booking,
                code=certificates.new_code(),
                hours=hours,
            )
            audit_change(
                actor=by,
                action=AuditAction.CREATE,
                obj=certificate,
                partnership=partnership,
                changed_fields=["code", "hours"],
                via=via,
            )
            saved.certificates_issued.append(certificate)
        elif certificate.revoked_at is not None:
            certificate.revoked_at = None
            certificate.save(update_fields=["revoked_at"])
            audit_change(
                actor=by,
                action=AuditAction.UPDATE,
                obj=certificate,
                partnership=partnership,
                changed_fields=["revoked_at"],
                via=via,
            )
    elif certificate is not None and certificate.revoked_at is None:
        certificate.revoked_at = timezone.now()
        certificate.save(update_fields=["revoked_at"])
        audit_change(
            actor=by,
            action=AuditAction.UPDATE,
            obj=certificate,
            partnership=partnership,
            changed_fields=["revoked_at"],
            via=via,
        )
        saved.certificates_revoked += 1


# --- Certificates and records --------------------------------------------------------------------


def certificate_download(*, certificate: Certificate, by: User, via: str = "web") -> bytes:
    """The certificate's PDF. Someone other than its holder downloading it is audited."""
    if certificate.booking.membership.user_id != by.pk:
        audit_view(
            actor=by,
            obj=certificate,
            partnership=certificate.partnership,
            purpose=purposes_attendance.CERTIFICATE,
            action=AuditAction.EXPORT,
            via=via,
        )
    return certificates.certificate_pdf(certificate)


RECORD_COLUMNS = (
    "course",
    "version",
    "session",
    "starts",
    "ends",
    "attendance",
    "certified_hours",
    "certificate_code",
    "certificate_status",
)


def _local(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def record_csv(record: selectors.TrainingRecord) -> bytes:
    """A training record as CSV (columns: RECORD_COLUMNS), times in Europe/London, in UTF-8 with
    a byte order mark; text cells a spreadsheet would run as formulas are neutralised."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(RECORD_COLUMNS)
    for e in record.entries:
        status = "revoked" if e.certificate_revoked else "valid"
        if e.certificate_id is None:
            status = ""
        writer.writerow(
            [
                csv_safe(e.course),
                e.version,
                csv_safe(e.session),
                _local(e.first_start),
                _local(e.last_end),
                e.mark,
                f"{e.hours:.2f}",
                csv_safe(e.certificate_code),
                status,
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def record_export(*, record: selectors.TrainingRecord, by: User, via: str = "web") -> bytes:
    """Someone's record as CSV; audited when it is not the exporter's own."""
    member = record.membership
    if member.user_id != by.pk:
        audit_view(
            actor=by,
            obj=member,
            partnership=member.partnership,
            purpose=purposes_attendance.PERSON_RECORD_EXPORT,
            action=AuditAction.EXPORT,
            via=via,
        )
    return record_csv(record)
