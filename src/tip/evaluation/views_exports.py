"""A plan's exports for analysis (exports.py): the page offering them, the answers and the
observations as CSV (streamed), and the data package (a ZIP). Each download is recorded in the
audit log as an export of personal data, with its purpose."""

from __future__ import annotations

from typing import cast

from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tip.core.audit import audit_view
from tip.core.models import AuditAction, User
from tip.core.roles import Role
from tip.core.tenancy import TipRequest, requires
from tip.evaluation import exports, selectors
from tip.evaluation.models import EvaluationPlan
from tip.evaluation.retention import is_due, retention_due_at
from tip.evaluation.roles import PLAN_EVALUATIONS

# Who may export organisations and teams by name rather than by code: the people who lead
# programmes and run the partnership (evaluators see codes).
EXACT_ORGANISATION_ROLES = frozenset({Role.PARTNERSHIP_ADMIN, Role.PROGRAMME_LEAD})
NAMES = "names"


def may_export_names(request: HttpRequest) -> bool:
    membership = cast(TipRequest, request).membership
    return membership is not None and bool(EXACT_ORGANISATION_ROLES & membership.role_codes)


def _plan(request: HttpRequest, programme_id: int) -> EvaluationPlan:
    req = cast(TipRequest, request)
    assert req.partnership is not None
    return selectors.plan_get(partnership=req.partnership, programme_id=programme_id)


def _options(request: HttpRequest) -> exports.ExportOptions:
    wanted = request.GET.get("organisations") == NAMES
    return exports.ExportOptions(exact_organisations=wanted and may_export_names(request))


def _audit(request: HttpRequest, plan: EvaluationPlan, purpose: str) -> None:
    audit_view(
        actor=cast(User, request.user),
        obj=plan,
        partnership=cast(TipRequest, request).partnership,
        purpose=purpose,
        action=AuditAction.EXPORT,
    )


def _filename(plan: EvaluationPlan, what: str) -> str:
    return f"tip-evaluation-{plan.pk}-{what}-{timezone.now():%Y%m%d-%H%M}"


@requires(PLAN_EVALUATIONS)
@require_GET
def export_page(request: HttpRequest, programme_id: int) -> HttpResponse:
    plan = _plan(request, programme_id)
    return render(
        request,
        "evaluation/export.html",
        {
            "programme": plan.programme,
            "plan": plan,
            "names_allowed": may_export_names(request),
            "retention_due": retention_due_at(plan),
            "retired": is_due(plan),
        },
    )


def _csv(plan: EvaluationPlan, rows: object, what: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        exports.stream_csv(rows),  # type: ignore[arg-type]
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(plan, what)}.csv"'
    return response


@requires(PLAN_EVALUATIONS, personal_data=exports.PURPOSE_ANSWERS)
@require_GET
def export_answers(request: HttpRequest, programme_id: int) -> StreamingHttpResponse:
    plan = _plan(request, programme_id)
    _audit(request, plan, exports.PURPOSE_ANSWERS)
    return _csv(plan, exports.answer_rows(plan, _options(request)), "answers")


@requires(PLAN_EVALUATIONS, personal_data=exports.PURPOSE_OBSERVATIONS)
@require_GET
def export_observations(request: HttpRequest, programme_id: int) -> StreamingHttpResponse:
    plan = _plan(request, programme_id)
    _audit(request, plan, exports.PURPOSE_OBSERVATIONS)
    return _csv(plan, exports.observation_rows(plan, _options(request)), "observations")


@requires(PLAN_EVALUATIONS, personal_data=exports.PURPOSE_PACKAGE)
@require_GET
def export_package(request: HttpRequest, programme_id: int) -> FileResponse:
    plan = _plan(request, programme_id)
    _audit(request, plan, exports.PURPOSE_PACKAGE)
    package = exports.write_package(plan, _options(request))
    return FileResponse(
        package,
        as_attachment=True,
        filename=f"{_filename(plan, 'package')}.zip",
        content_type="application/zip",
    )
