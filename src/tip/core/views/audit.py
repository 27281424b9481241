"""The audit log: search and CSV export for the partnership's auditors."""

from __future__ import annotations

import csv
from typing import cast

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from tip.core import selectors
from tip.core.audit import audit_view
from tip.core.forms import AuditSearchForm
from tip.core.models import AuditAction, AuditEntry, User
from tip.core.roles import Capability
from tip.core.tenancy import TipRequest, requires

PAGE_SIZE = 50


def _search(request: HttpRequest) -> tuple[AuditSearchForm, object]:
    req = cast(TipRequest, request)
    assert req.partnership is not None
    form = AuditSearchForm(request.GET or None)
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    return form, selectors.audit_search(partnership=req.partnership, **filters)


@requires(Capability.VIEW_AUDIT, personal_data="audit")
def audit_log(request: HttpRequest) -> HttpResponse:
    req = cast(TipRequest, request)
    form, entries = _search(request)
    page: Page[AuditEntry] = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))  # type: ignore[arg-type]
    audit_view(
        actor=request.user,
        obj=None,
        object_type="core.AuditEntry",
        partnership=req.partnership,
        purpose="Audit: searching the log",
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
        status=400 if form.is_bound and form.errors else 200,
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@requires(Capability.VIEW_AUDIT, personal_data="audit")
def audit_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    req = cast(TipRequest, request)
    form, entries = _search(request)
    if form.is_bound and form.errors:
        return audit_log(request)
    audit_view(
        actor=cast(User, request.user),
        obj=None,
        object_type="core.AuditEntry",
        partnership=req.partnership,
        purpose="Audit: exporting the log",
        action=AuditAction.EXPORT,
    )
    writer = csv.writer(_Echo())
    header = [
        "time",
        "actor",
        "action",
        "object_type",
        "object_id",
        "object",
        "purpose",
        "changed_fields",
        "via",
    ]

    def rows() -> object:
        yield writer.writerow(header)
        entry: AuditEntry
        for entry in entries.iterator(chunk_size=2000):  # type: ignore[attr-defined]
            yield writer.writerow(
                [
                    entry.at.isoformat(),
                    entry.actor_email,
                    entry.action,
                    entry.object_type,
                    entry.object_id,
                    _csv_safe(entry.object_repr),
                    _csv_safe(entry.purpose),
                    " ".join(entry.changed_fields),
                    entry.via,
                ]
            )

    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")  # type: ignore[arg-type]
    response["Content-Disposition"] = f'attachment; filename="tip-audit-{stamp}.csv"'
    return response


def _csv_safe(value: str) -> str:
    """Stop a spreadsheet from running a cell as a formula (CSV injection)."""
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value
