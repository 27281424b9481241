"""Registers, drop-out rates, certificates and training records: thin views over the attendance
selectors and services."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from tip.core.audit import audit_view
from tip.core.models import AuditAction, Membership, Partnership, Sector, User
from tip.core.tenancy import TipRequest, public, requires
from tip.training import certificates, purposes_attendance
from tip.training import selectors_attendance as selectors
from tip.training import services_attendance as services
from tip.training.analysis import attendance as analysis
from tip.training.forms_attendance import CertificateCheckForm, RegisterForm
from tip.training.models_sessions import Session, SessionFormat
from tip.training.roles import (
    MANAGE_TRAINING,
    TAKE_REGISTERS,
    VIEW_ATTENDANCE_RATES,
    VIEW_TRAINING,
)


def _ctx(request: HttpRequest) -> tuple[Partnership, User, Membership]:
    req = cast(TipRequest, request)
    assert req.partnership is not None and req.membership is not None
    return req.partnership, cast(User, request.user), req.membership


def _manages(request: HttpRequest) -> bool:
    return MANAGE_TRAINING in cast(TipRequest, request).capabilities


def register_session(request: HttpRequest, session_id: int) -> Session:
    """The session, if the person may take its register: they manage training, or teach it.
    Anyone else is answered as if it did not exist."""
    partnership, _user, membership = _ctx(request)
    session = selectors.session_for_register(partnership=partnership, session_id=session_id)
    if not _manages(request) and not selectors.is_session_trainer(
        session=session, membership=membership
    ):
        raise Http404
    return session


# --- Registers -----------------------------------------------------------------------------------


@requires(TAKE_REGISTERS)
@require_GET
def register_list(request: HttpRequest) -> HttpResponse:
    partnership, _user, membership = _ctx(request)
    sessions = selectors.register_sessions(
        partnership=partnership, membership=None if _manages(request) else membership
    )
    return render(
        request,
        "training/register_list.html",
        {
            "sessions": sessions,
            "limit": selectors.REGISTER_LIST_LIMIT,
            "manages": _manages(request),
        },
    )


@requires(TAKE_REGISTERS, personal_data=purposes_attendance.REGISTER)
def register(request: HttpRequest, register_id: int) -> HttpResponse:
    partnership, user, _membership = _ctx(request)
    session = register_session(request, register_id)
    rows = selectors.register_rows(session=session)
    is_open = selectors.register_is_open(session)
    form = RegisterForm(request.POST if request.method == "POST" else None, rows=rows)
    problems: list[str] = []
    if request.method == "POST":
        if not is_open:
            problems = services.register_problems(session=session, rows=rows, marks={})
        elif form.is_valid():
            try:
                saved = services.register_save(session=session, marks=form.marks(), by=user)
            except ValidationError as exc:
                problems = exc.messages
            else:
                done = ngettext(
                    "Register saved: %(count)d person marked.",
                    "Register saved: %(count)d people marked.",
                    saved.marked,
                ) % {"count": saved.marked}
                if saved.certificates_issued:
                    done += " " + ngettext(
                        "%(count)d certificate issued.",
                        "%(count)d certificates issued.",
                        len(saved.certificates_issued),
                    ) % {"count": len(saved.certificates_issued)}
                messages.success(request, done)
                return HttpResponseRedirect(
                    reverse("training:register", kwargs={"register_id": session.pk})
                )
    audit_view(
        actor=user,
        obj=session,
        partnership=partnership,
        purpose=purposes_attendance.REGISTER,
    )
    for p in problems:
        form.add_error(None, p)
    return render(
        request,
        "training/register.html",
        {
            "session": session,
            "form": form,
            "entries": form.entries(),
            "is_open": is_open,
            "starts_at": selectors.session_starts_at(session),
            "ends_at": selectors.session_ends_at(session),
            "late_hours": analysis.LATE_CANCELLATION_HOURS,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


# --- Drop-out and no-show rates ------------------------------------------------------------------


def _rate_rows(rows: list[analysis.RateRow], labels: dict[str, str] | None = None) -> list[Any]:
    out = []
    for r in rows:
        out.append(
            {
                "label": (labels or {}).get(r.group, r.group),
                "row": r,
                "no_show": analysis.percent(r.no_show_rate),
                "drop_out": analysis.percent(r.drop_out_rate),
            }
        )
    return out


def _month_label(month: str) -> str:
    import datetime

    from django.utils import formats

    year, number = (int(p) for p in month.split("-"))
    return formats.date_format(datetime.date(year, number, 1), "F Y")


@requires(VIEW_ATTENDANCE_RATES)
@require_GET
def rates(request: HttpRequest) -> HttpResponse:
    partnership, _user, _membership = _ctx(request)
    tallies = selectors.rate_tallies(partnership=partnership)
    months = sorted({t.month for t in tallies})
    tables = [
        (
            "format",
            _("By format"),
            _("Format"),
            _rate_rows(
                analysis.rate_table(tallies, lambda t: t.format),
                {k: str(v) for k, v in SessionFormat.choices},
            ),
        ),
        (
            "organisation",
            _("By organisation"),
            _("Organisation"),
            _rate_rows(analysis.rate_table(tallies, lambda t: t.organisation)),
        ),
        (
            "sector",
            _("By sector"),
            _("Sector"),
            _rate_rows(
                analysis.rate_table(tallies, lambda t: t.sector),
                {k: str(v) for k, v in Sector.choices},
            ),
        ),
        (
            "month",
            _("By month the session started"),
            _("Month"),
            _rate_rows(
                analysis.rate_table(tallies, lambda t: t.month),
                {m: _month_label(m) for m in months},
            ),
        ),
    ]
    total = analysis.overall(tallies)
    return render(
        request,
        "training/register_rates.html",
        {
            "tables": tables,
            "total": total,
            "total_no_show": analysis.percent(total.no_show_rate),
            "total_drop_out": analysis.percent(total.drop_out_rate),
            "late_hours": analysis.LATE_CANCELLATION_HOURS,
        },
    )


# --- Certificates --------------------------------------------------------------------------------


@requires(VIEW_TRAINING)
@require_GET
def certificate_download(request: HttpRequest, certificate_id: int) -> HttpResponse:
    partnership, user, membership = _ctx(request)
    certificate = selectors.certificate_get(partnership=partnership, certificate_id=certificate_id)
    if certificate.booking.membership_id != membership.pk and not _manages(request):
        raise Http404
    pdf = services.certificate_download(certificate=certificate, by=user)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{certificates.pdf_filename(certificate)}"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@public
@require_GET
def certificate_check(request: HttpRequest) -> HttpResponse:
    """Anyone may check a code. The answer names no one: the course, the date and the hours of a
    genuine certificate, that a revoked one is no longer valid, or that no certificate has the
    code. Every answer is the same page, after the same one query."""
    form = CertificateCheckForm(request.GET if "code" in request.GET else None)
    result = None
    checked = False
    if form.is_bound and form.is_valid():
        checked = True
        result = selectors.certificate_check(code=form.cleaned_data["code"])
    response = render(
        request,
        "training/certificate_check.html",
        {
            "form": form,
            "checked": checked,
            "result": result,
            "dates": certificates.dates_text(result.first_day, result.last_day) if result else "",
            "hours": certificates.hours_text(result.hours) if result else "",
        },
        status=400 if form.is_bound and form.errors else 200,
    )
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


# --- Training records ----------------------------------------------------------------------------


def _record_page(
    request: HttpRequest, record: selectors.TrainingRecord, *, own: bool
) -> HttpResponse:
    member = record.membership
    csv_url = (
        reverse("training:my-record-csv")
        if own
        else reverse("training:person-record-csv", kwargs={"membership_id": member.pk})
    )
    return render(
        request,
        "training/record.html",
        {
            "record": record,
            "own": own,
            "person": member,
            "csv_url": csv_url,
            "hours": certificates.hours_text(record.hours),
            "can_download": own or _manages(request),
        },
    )


def _csv_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@requires(VIEW_TRAINING)
@require_GET
def my_record(request: HttpRequest) -> HttpResponse:
    _partnership, _user, membership = _ctx(request)
    return _record_page(request, selectors.training_record(membership=membership), own=True)


@requires(VIEW_TRAINING)
@require_GET
def my_record_csv(request: HttpRequest) -> HttpResponse:
    _partnership, user, membership = _ctx(request)
    record = selectors.training_record(membership=membership)
    stamp = timezone.localdate().isoformat()
    return _csv_response(
        services.record_export(record=record, by=user), f"my-training-record-{stamp}.csv"
    )


def _pagination(page: Any) -> dict[str, Any]:
    """Previous and next links for the GOV.UK pagination component."""
    params: dict[str, Any] = {"landmarkLabel": _("Pages of results")}
    if page.has_previous():
        params["previous"] = {"href": f"?page={page.previous_page_number()}", "text": _("Previous")}
    if page.has_next():
        params["next"] = {"href": f"?page={page.next_page_number()}", "text": _("Next")}
    return params


@requires(MANAGE_TRAINING, personal_data=purposes_attendance.RECORDS_LIST)
@require_GET
def record_list(request: HttpRequest) -> HttpResponse:
    partnership, user, _membership = _ctx(request)
    page = selectors.people_with_training(
        partnership=partnership, page=request.GET.get("page") or 1
    )
    audit_view(
        actor=user,
        obj=None,
        object_type="core.Membership",
        partnership=partnership,
        purpose=purposes_attendance.RECORDS_LIST,
    )
    return render(
        request,
        "training/record_list.html",
        {"page": page, "pagination": _pagination(page)},
    )


@requires(MANAGE_TRAINING, personal_data=purposes_attendance.PERSON_RECORD)
@require_GET
def person_record(request: HttpRequest, membership_id: int) -> HttpResponse:
    partnership, user, _membership = _ctx(request)
    member = selectors.member_get(partnership=partnership, membership_id=membership_id)
    audit_view(
        actor=user,
        obj=member,
        partnership=partnership,
        purpose=purposes_attendance.PERSON_RECORD,
    )
    record = selectors.training_record(membership=member)
    return _record_page(request, record, own=member.user_id == user.pk)


@requires(MANAGE_TRAINING, personal_data=purposes_attendance.PERSON_RECORD_EXPORT)
@require_GET
def person_record_csv(request: HttpRequest, membership_id: int) -> HttpResponse:
    partnership, user, _membership = _ctx(request)
    member = selectors.member_get(partnership=partnership, membership_id=membership_id)
    record = selectors.training_record(membership=member)
    content = services.record_export(record=record, by=user)
    if member.user_id == user.pk:
        # Their own record, reached through the managers' page: still say who looked.
        audit_view(
            actor=user,
            obj=member,
            partnership=partnership,
            purpose=purposes_attendance.PERSON_RECORD_EXPORT,
            action=AuditAction.EXPORT,
        )
    stamp = timezone.localdate().isoformat()
    return _csv_response(content, f"training-record-{member.pk}-{stamp}.csv")
