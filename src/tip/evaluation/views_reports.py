"""The evaluation reports (reports.py) of a programme, a course, a session and the whole
partnership: each as a page and as a PDF.

Reports are aggregates, but a small group's figures can still point at someone, so every
opening and every download is written to the audit log with its purpose. An id of another
partnership's programme, course or session answers 404, like one that does not exist.
"""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET

from tip.core.audit import audit_view
from tip.core.models import AuditAction, Partnership, User
from tip.core.tenancy import TipRequest, requires
from tip.evaluation import reports
from tip.evaluation.roles import PLAN_EVALUATIONS, VIEW_EVALUATION_REPORTS
from tip.evaluation.selectors_reports import report_subject
from tip.programmes.exports import PDF_VARIANT
from tip.training.models_courses import Course
from tip.training.models_sessions import Session

PURPOSE_REPORT = gettext_noop(
    "Evaluation: reading a report of aggregate results (small groups could identify someone)"
)
PURPOSE_REPORT_PDF = gettext_noop(
    "Evaluation: downloading a report of aggregate results (small groups could identify someone)"
)


def _partnership(request: HttpRequest) -> Partnership:
    partnership = cast(TipRequest, request).partnership
    assert partnership is not None
    return partnership


def _report(request: HttpRequest, kind: str, pk: int | None, purpose: str) -> reports.Report:
    scope, obj, name = report_subject(partnership=_partnership(request), kind=kind, pk=pk)
    audit_view(
        actor=cast(User, request.user),
        obj=obj,
        partnership=_partnership(request),
        purpose=purpose,
        action=AuditAction.VIEW if purpose == PURPOSE_REPORT else AuditAction.EXPORT,
    )
    return reports.report_to_show(scope=scope, partnership=_partnership(request), subject=name)


def _kept() -> dict[str, object]:
    """How long the report's figures are kept (reports.report_to_show), for the page's note."""
    seconds: int = settings.TIP_REPORT_CACHE_SECONDS
    return {"cached": seconds > 0, "cache_minutes": max(1, seconds // 60)}


_PDF_ROUTES = {
    "programme": ("evaluation:report-programme-pdf", "programme_id"),
    "course": ("evaluation:report-course-pdf", "course_id"),
    "session": ("evaluation:report-session-pdf", "session_id"),
    "partnership": ("evaluation:report-partnership-pdf", ""),
}


def _narrower(partnership: Partnership, programme_id: int) -> dict[str, object]:
    """The programme's courses and their sessions, each with a report of its own (two
    queries), so a reader can go from the programme to one course or session."""
    courses = list(
        Course.objects.for_partnership(partnership)
        .filter(programme_id=programme_id)
        .order_by("name", "pk")
    )
    sessions = list(
        Session.objects.for_partnership(partnership)
        .filter(course__programme_id=programme_id)
        .select_related("course")
        .order_by("course__name", "title", "pk")
    )
    return {"courses": courses, "sessions": sessions}


def _page(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    report = _report(request, kind, pk, PURPOSE_REPORT)
    name, arg = _PDF_ROUTES[kind]
    context: dict[str, object] = {
        "report": report,
        "kind": kind,
        "pdf_url": reverse(name, kwargs={arg: pk} if arg else None),
        "may_plan": PLAN_EVALUATIONS in cast(TipRequest, request).capabilities,
        **_kept(),
    }
    if kind == "programme" and pk is not None:
        context |= _narrower(_partnership(request), pk)
    return render(request, "evaluation/report.html", context)


def _pdf(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    report = _report(request, kind, pk, PURPOSE_REPORT_PDF)
    html = render_to_string(
        "evaluation/report_pdf.html", {"report": report, **_kept()}, request=request
    )
    response = HttpResponse(_html_to_pdf(html), content_type="application/pdf")
    name = f"{slugify(report.subject) or 'tip'}-evaluation-report.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _html_to_pdf(html: str) -> bytes:
    """As programmes.exports.html_to_pdf (a tagged PDF/UA-1 file, nothing fetched from outside),
    but reading ``data:`` URIs: the charts are images written into the HTML itself."""
    from weasyprint import HTML, URLFetcher

    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=("data",)))
    pdf: bytes = document.write_pdf(pdf_variant=PDF_VARIANT)
    return pdf


@requires(VIEW_EVALUATION_REPORTS, personal_data=PURPOSE_REPORT)
@require_GET
def programme_report(request: HttpRequest, programme_id: int) -> HttpResponse:
    return _page(request, "programme", programme_id)


@requires(VIEW_EVALUATION_REPORTS, personal_data=PURPOSE_REPORT_PDF)
@require_GET
def programme_report_pdf(request: HttpRequest, programme_id: int) -> HttpResponse:
    return _pdf(request, "programme", programme_id)


@requires(VIEW_EVALUATION_REPORTS, personal_data=PURPOSE_REPORT)
@require_GET
def course_report(request: HttpRequest, course_id: int) -> HttpResponse:
    return _page(request, "course", course_id)


@requires(VIEW_EVALUATION_REPORTS, personal_data=PURPOSE_REPORT_PDF)
@require_GET
def course_report_pdf(request: HttpRequest, course_id: int) -> HttpResponse:
    return _pdf(request, "course", course_id)


@requires(VIEW_EVALUATION_REPORTS, personal_data=PURPOSE_REPORT)
@require_GET
def session_report(request: HttpRequest, session_id: int) -> HttpResponse:
    return _page(request, "session", session_id)


@requires(VIEW_EVALUATION_REPORTS, personal_data=PURPOSE_REPORT_PDF)
@require_GET
def session_report_pdf(request: HttpRequest, session_id: int) -> HttpResponse:
    return _pdf(request, "session", session_id)


@requires(VIEW_EVALUATION_REPORTS, personal_data=PURPOSE_REPORT)
@require_GET
def partnership_report(request: HttpRequest) -> HttpResponse:
    return _page(request, "partnership")


@requires(VIEW_EVALUATION_REPORTS, personal_data=PURPOSE_REPORT_PDF)
@require_GET
def partnership_report_pdf(request: HttpRequest) -> HttpResponse:
    return _pdf(request, "partnership")
