"""The audit log: search and CSV export for the partnership's auditors."""

from __future__ import annotations

import csv
from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from tip.core import purposes, selectors
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
        purpose=purposes.AUDIT_SEARCH,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit_log.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "pagination": _pagination(page, query.urlencode()),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _pagination(page: Page[AuditEntry], query: str) -> dict[str, Any]:
    """Previous and next links for the GOV.UK pagination component."""

    def href(number: int) -> str:
        return f"?{query}&page={number}" if query else f"?page={number}"

    params: dict[str, Any] = {"landmarkLabel": _("Pages of results")}
    if page.has_previous():
        params["previous"] = {"href": href(page.previous_page_number()), "text": _("Previous")}
    if page.has_next():
        params["next"] = {"href": href(page.next_page_number()), "text": _("Next")}
    return params


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
        purpose=purposes.AUDIT_EXPORT,
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

    columns = ["at", "actor_email", "action", "object_type", "object_id", "object_repr"]
    columns += ["purpose", "changed_fields", "via"]

    def rows() -> object:
        yield writer.writerow(header)
        # Plain tuples, streamed in chunks: memory stays flat however long the log is.
        for at, actor, action, o_type, o_id, o_repr, purpose, changed, via in entries.values_list(  # type: ignore[attr-defined]
            *columns
        ).iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    at.isoformat(),
                    actor,
                    action,
                    o_type,
                    o_id,
                    _csv_safe(o_repr),
                    _csv_safe(purpose),
                    " ".join(changed),
                    via,
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
