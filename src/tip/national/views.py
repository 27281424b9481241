"""The national view (national analysts only) and a partnership's sharing pages (its admin and
programme leads). Thin: the work is in selectors, services, pooling and the evaluation app's
aggregates module."""

from __future__ import annotations

import base64
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from tip.core.audit import audit_view
from tip.core.models import AuditAction, Sector, User
from tip.core.tenancy import TipRequest, requires
from tip.evaluation import aggregates
from tip.evaluation.analysis.meta import DL, METHODS, REML
from tip.evaluation.analysis.results import Note
from tip.national import pooling, selectors, services
from tip.national.access import national_analyst_required
from tip.national.purposes import NATIONAL_VIEW, SHARING_DOWNLOAD
from tip.national.roles import SHARE_AGGREGATES

SHARE = "share"
WITHDRAW = "withdraw"


def _translated(note: str | Note) -> str:
    """A note of the pure analysis in the reader's language (its English is marked with
    gettext_noop, and a Note keeps its values apart)."""
    if isinstance(note, Note):
        return _(note.template) % dict(note.values) if note.values else _(note.template)
    return _(note)


def _data_uri(svg: str) -> str:
    """The chart as an image address: shown with <img>, so the page's content security policy
    (no inline styles) does not apply inside it."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@national_analyst_required
@require_GET
def national_index(request: HttpRequest) -> HttpResponse:
    """Every shared aggregate, pooled per instrument, scale and pair of waves."""
    method = request.GET.get("method", REML)
    if method not in METHODS:
        method = REML
    shares = selectors.shares_for_national_view()
    results = pooling.pool(shares, method=method)
    audit_view(
        actor=request.user,
        obj=None,
        object_type="national.SharedAggregate",
        partnership=None,
        purpose=NATIONAL_VIEW,
    )
    return render(
        request,
        "national/index.html",
        {
            "method": method,
            "methods": [
                (REML, _("REML (restricted maximum likelihood)")),
                (DL, _("DerSimonian-Laird")),
            ],
            "partnerships": len(shares),
            "taking_part": [_taking_part(t) for t in pooling.taking_part(shares)],
            "results": [
                {
                    "pooled": p,
                    "chart": _data_uri(p.chart) if p.chart else "",
                    "chart_text": _translated(p.chart_text) if p.chart_text else "",
                    "notes": [_translated(n) for n in p.result.notes] if p.result else [],
                }
                for p in results
            ],
        },
    )


GROUPS = {"trained": gettext_lazy("Trained"), "comparison": gettext_lazy("Comparison")}


def _row_label(row: pooling.TakingPartRow) -> str:
    if row.kind == "people":
        return _("People")
    if row.kind == "wave":
        return _("Responses at %(wave)s") % {"wave": row.category}
    if row.kind == "format":
        return _("Format: %(format)s") % {"format": _category(row.category)}
    return _("Sector: %(sector)s") % {"sector": _category(row.category)}


def _taking_part(part: pooling.TakingPart) -> dict[str, Any]:
    """A share's "who took part" table, its lines and groups in words."""
    return {
        "part": part,
        "groups": [str(GROUPS.get(g, g)) for g in part.groups],
        "rows": [
            {
                "label": _row_label(r),
                "kind": r.kind,
                "cells": list(zip(part.groups, r.cells, strict=True)),
            }
            for r in part.rows
        ],
    }


def _partnership(request: HttpRequest) -> Any:
    req = cast(TipRequest, request)
    assert req.partnership is not None
    return req.partnership


FORMATS = {
    "in_person": gettext_lazy("In person"),
    "virtual": gettext_lazy("Virtual"),
    "hybrid": gettext_lazy("Hybrid"),
}


def _category(value: str) -> str:
    if value in FORMATS:
        return str(FORMATS[value])
    if value in Sector.values:
        return str(Sector(value).label)
    return _("Not recorded")


def _preview(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """The aggregate as the page's tables show it: scales by title, categories in words."""
    shown = []
    for instrument in payload["instruments"]:
        titles = {s["id"]: s["title"] for s in instrument["scales"]}
        changes = [
            c | {"scale_title": titles.get(c["scale"], c["scale"])} for c in instrument["changes"]
        ]
        groups = [
            g
            | {
                "by_format": [b | {"label": _category(b["category"])} for b in g["by_format"]],
                "by_sector": [b | {"label": _category(b["category"])} for b in g["by_sector"]],
            }
            for g in instrument["groups"]
        ]
        shown.append(instrument | {"changes": changes, "groups": groups})
    return shown


@requires(SHARE_AGGREGATES)
@require_GET
def share_list(request: HttpRequest) -> HttpResponse:
    """The partnership's evaluation plans, and which are shared."""
    rows = selectors.plans_with_shares(_partnership(request))
    return render(request, "national/share_list.html", {"rows": rows})


@requires(SHARE_AGGREGATES)
@require_http_methods(["GET", "POST"])
def share_page(request: HttpRequest, programme_id: int) -> HttpResponse:
    """Preview exactly what would be shared, then share it (named or not) or withdraw it."""
    plan = selectors.plan_of(_partnership(request), programme_id)
    user = cast(User, request.user)
    refusal = ""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == SHARE:
            try:
                services.share(plan=plan, by=user, named=request.POST.get("named") == "yes")
            except ValidationError as exc:
                refusal = " ".join(exc.messages)
            else:
                messages.success(request, _("The aggregate is shared with national analysts."))
                return redirect("national:share", programme_id=programme_id)
        elif action == WITHDRAW:
            if services.withdraw(plan=plan, by=user):
                messages.success(request, _("The shared aggregate is withdrawn."))
            return redirect("national:share", programme_id=programme_id)
        else:
            refusal = _("Choose whether to share the aggregate or withdraw it.")
    payload = aggregates.plan_aggregate(plan)
    shared = selectors.share_of(plan)
    preview = _preview(payload)
    return render(
        request,
        "national/share.html",
        {
            "plan": plan,
            "programme": plan.programme,
            "instruments": preview,
            "shared": shared,
            "refusal": refusal,
        },
        status=400 if refusal else 200,
    )


@requires(SHARE_AGGREGATES)
@require_GET
def share_package(request: HttpRequest, programme_id: int) -> HttpResponse:
    """The aggregate the page previews, as a data package (ZIP)."""
    plan = selectors.plan_of(_partnership(request), programme_id)
    package = aggregates.write_package(aggregates.plan_aggregate(plan))
    audit_view(
        actor=request.user,
        obj=plan,
        partnership=plan.partnership,
        purpose=SHARING_DOWNLOAD,
        action=AuditAction.EXPORT,
    )
    response = HttpResponse(package, content_type="application/zip")
    name = f"tip-aggregate-{plan.pk}-{timezone.now():%Y%m%d-%H%M}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
