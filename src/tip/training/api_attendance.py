"""Attendance in the JSON API: read and save a session's register (its trainers and the people
who manage training; every read is audited, as the page's is), and the current person's own
record of training. The same services as the pages do the work: a register is saved whole or
not at all, with the same messages."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django.http import Http404, HttpRequest
from ninja import Schema
from pydantic import Field

from tip.core.api import VIA, InputSchema, _documented, _need
from tip.core.audit import audit_view
from tip.core.models import Membership
from tip.training import purposes_attendance
from tip.training import selectors_attendance as selectors
from tip.training import services_attendance as services
from tip.training.api import router
from tip.training.models_bookings import AttendanceMark
from tip.training.models_sessions import Session
from tip.training.roles import MANAGE_TRAINING, TAKE_REGISTERS, VIEW_TRAINING


class RegisterRowOut(Schema):
    booking: int
    participant: str = Field(description="The participant's name.")
    organisation: str
    mark: str | None = Field(
        description="attended, partly, no_show or late_cancel; null until the register says."
    )
    note: str
    cancelled_late: bool = Field(
        description="Cancelled within 48 hours of the start (or after it): a late cancellation."
    )


class RegisterOut(Schema):
    session: int
    course: str
    starts_at: datetime | None
    ends_at: datetime | None
    open: bool = Field(description="Whether the register can be taken: the session has started.")
    rows: list[RegisterRowOut]


class MarkIn(InputSchema):
    booking: int = Field(description="The id of a booking on this register.")
    mark: AttendanceMark
    note: str = Field(default="", max_length=services.NOTE_MAX)


class RegisterIn(InputSchema):
    marks: list[MarkIn] = Field(description="A mark for every person on the register.")


class RecordEntryOut(Schema):
    course: str
    version: int
    session: str
    starts_at: datetime | None
    ends_at: datetime | None
    attendance: str = Field(description="attended or partly.")
    certified_hours: float = Field(description="0 without a valid certificate.")
    certificate_code: str | None
    certificate_valid: bool


class TrainingRecordOut(Schema):
    sessions_attended: int = Field(description="Sessions attended in full.")
    certified_hours: float
    certificates: int = Field(description="Valid certificates.")
    entries: list[RecordEntryOut]


def _register_session(request: HttpRequest, register_id: int) -> tuple[Session, Membership]:
    m = _need(request, TAKE_REGISTERS)
    session = selectors.session_for_register(partnership=m.partnership, session_id=register_id)
    manages = MANAGE_TRAINING in cast(Any, request).capabilities
    if not manages and not selectors.is_session_trainer(session=session, membership=m):
        raise Http404
    return session, m


def _register_out(session: Session) -> dict[str, Any]:
    rows = selectors.register_rows(session=session)
    return {
        "session": session.pk,
        "course": session.course.name,
        "starts_at": selectors.session_starts_at(session),
        "ends_at": selectors.session_ends_at(session),
        "open": selectors.register_is_open(session),
        "rows": [
            {
                "booking": r.booking.pk,
                "participant": r.name,
                "organisation": r.organisation,
                "mark": r.mark or None,
                "note": r.note,
                "cancelled_late": r.cancelled_late,
            }
            for r in rows
        ],
    }


@router.get(
    "/registers/{int:register_id}",
    summary="A session's attendance register",
    description="The register of the session with this id. For the session's trainers and the "
    "people who manage training; each read is recorded in the audit log.",
    **_documented({200: RegisterOut}, 401, 403, 404),
)
def register_detail(request: HttpRequest, register_id: int) -> Any:
    session, m = _register_session(request, register_id)
    audit_view(
        actor=m.user,
        obj=session,
        partnership=m.partnership,
        purpose=purposes_attendance.REGISTER,
        via=VIA,
    )
    return _register_out(session)


@router.put(
    "/registers/{int:register_id}",
    summary="Save a session's attendance register",
    description="A mark for every person on the register, saved together or not at all. "
    "Marking someone attended issues their certificate; changing it revokes the certificate.",
    **_documented({200: RegisterOut}, 400, 401, 403, 404, 409, 422),
)
def register_update(request: HttpRequest, register_id: int, payload: RegisterIn) -> Any:
    session, m = _register_session(request, register_id)
    marks: dict[int, services.MarkInput] = {}
    for item in payload.marks:
        marks[item.booking] = services.MarkInput(mark=str(item.mark), note=item.note)
    services.register_save(session=session, marks=marks, by=m.user, via=VIA)
    return _register_out(session)


@router.get(
    "/my-record",
    summary="Your own record of training",
    description="The sessions you attended (in full or in part), hours and certificates.",
    **_documented({200: TrainingRecordOut}, 401, 403),
)
def my_record(request: HttpRequest) -> Any:
    m = _need(request, VIEW_TRAINING)
    record = selectors.training_record(membership=m)
    return {
        "sessions_attended": record.attended,
        "certified_hours": float(record.hours),
        "certificates": record.certificates,
        "entries": [
            {
                "course": e.course,
                "version": e.version,
                "session": e.session,
                "starts_at": e.first_start,
                "ends_at": e.last_end,
                "attendance": e.mark,
                "certified_hours": float(e.hours),
                "certificate_code": e.certificate_code or None,
                "certificate_valid": e.has_valid_certificate,
            }
            for e in record.entries
        ],
    }
