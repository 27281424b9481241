"""A programme's delivery dashboard and its training targets: thin views over the dashboard's
selectors and services. The dashboard shows counts only, never names."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tip.core.forms import show_refusal
from tip.core.models import Membership, Partnership, Sector, User
from tip.core.tenancy import TipRequest, requires
from tip.programmes.models import Programme, WorkforceGroup
from tip.programmes.selectors import programme_get, programme_list
from tip.training import selectors_dashboard as selectors
from tip.training import services_dashboard as services
from tip.training.analysis import attendance as rates
from tip.training.analysis import dashboard as analysis
from tip.training.dashboard_chart import Bar, render_bars
from tip.training.forms_dashboard import TargetForm
from tip.training.models_followups import TrainingTarget
from tip.training.models_sessions import SessionFormat
from tip.training.roles import MANAGE_TRAINING
from tip.training.roles_dashboard import VIEW_DELIVERY_DASHBOARD


def _ctx(request: HttpRequest) -> tuple[Partnership, User, Membership]:
    req = cast(TipRequest, request)
    assert req.partnership is not None and req.membership is not None
    return req.partnership, cast(User, request.user), req.membership


def _manages(request: HttpRequest) -> bool:
    return MANAGE_TRAINING in cast(TipRequest, request).capabilities


_refused = show_refusal


# --- The dashboards ------------------------------------------------------------------------------


@requires(VIEW_DELIVERY_DASHBOARD)
@require_GET
def dashboard_list(request: HttpRequest) -> HttpResponse:
    partnership, _user, _membership = _ctx(request)
    return render(
        request,
        "training/dashboard_list.html",
        {"programmes": list(programme_list(partnership=partnership))},
    )


def _count_text(shown: int | None) -> str:
    return _("fewer than 5") if shown is None else str(shown)


def _breakdown_rows(rows: list[analysis.Count], labels: dict[Any, str]) -> list[dict[str, Any]]:
    return [
        {"label": labels.get(r.key, str(r.key)), "shown": r.shown, "text": _count_text(r.shown)}
        for r in rows
    ]


def _chart(rows: list[dict[str, Any]], chart_id: str, title: str, description: str) -> str:
    return render_bars(
        [Bar(r["label"], r["shown"], r["text"]) for r in rows],
        chart_id=chart_id,
        title=title,
        description=description,
        empty=_("Nobody has been trained yet."),
    )


def _percent(value: Any) -> str:
    return "–" if value is None else f"{value}%"


def dashboard_context(programme: Programme, *, exact: bool) -> dict[str, Any]:
    d = selectors.dashboard(programme=programme)
    f = selectors.figures(d, exact=exact)
    sectors = {k: str(v) for k, v in Sector.choices}
    groups = {k: str(v) for k, v in WorkforceGroup.choices} | {analysis.NOT_GIVEN: _("Not given")}
    formats_ = {k: str(v) for k, v in SessionFormat.choices}
    progress: list[dict[str, Any]] = []
    for row in f.progress:
        text = (
            _("fewer than 5 of %(target)s") % {"target": row.target.people}
            if row.trained is None
            else _("%(trained)s of %(target)s (%(percent)s%%)")
            % {"trained": row.trained, "target": row.target.people, "percent": row.percent}
        )
        progress.append(
            {
                "label": services.describe_target(row.target),
                "target": row.target,
                "trained": row.trained,
                "percent": row.percent,
                "text": text,
            }
        )
    by_sector = _breakdown_rows(f.by_sector, sectors)
    by_organisation = _breakdown_rows(f.by_organisation, d.organisations)
    by_group = _breakdown_rows(f.by_staff_group, groups)
    by_format: list[dict[str, Any]] = [
        {
            "label": formats_.get(r.group, r.group),
            "row": r,
            "no_show": rates.percent(r.no_show_rate),
            "drop_out": rates.percent(r.drop_out_rate),
        }
        for r in f.by_format
    ]
    charts = {
        "progress": render_bars(
            [
                Bar(p["label"], p["trained"], p["text"], target=float(p["target"].people))
                for p in progress
            ],
            chart_id="chart-progress",
            title=_("People trained against each target"),
            description=_(
                "For each target, a filled bar for the people trained and a dashed outline for "
                "the target. The table beside the chart gives the same numbers."
            ),
            empty=_("The programme has no training targets yet."),
        ),
        "sector": _chart(
            by_sector,
            "chart-sector",
            _("People trained by sector"),
            _("One bar for each sector. The table beside the chart gives the same numbers."),
        ),
        "organisation": _chart(
            by_organisation,
            "chart-organisation",
            _("People trained by organisation"),
            _("One bar for each organisation. The table beside the chart gives the same numbers."),
        ),
        "group": _chart(
            by_group,
            "chart-group",
            _("People trained by group of staff"),
            _(
                "One bar for each group of staff. The table beside the chart gives the same "
                "numbers."
            ),
        ),
        "format": render_bars(
            [
                Bar(
                    r["label"],
                    float(r["drop_out"]) if r["drop_out"] is not None else None,
                    _("drop-out %(rate)s") % {"rate": _percent(r["drop_out"])},
                )
                for r in by_format
            ],
            chart_id="chart-format",
            title=_("Drop-out rate by format"),
            description=_(
                "One bar for each format, as long as its drop-out rate. The table beside the "
                "chart gives the same numbers, with the no-show rate."
            ),
            empty=_("No sessions of the programme's courses have run yet."),
        ),
    }
    return {
        "programme": programme,
        "dashboard": d,
        "figures": f,
        "progress": progress,
        "by_sector": by_sector,
        "by_organisation": by_organisation,
        "by_group": by_group,
        "by_format": by_format,
        "overall_drop_out": _percent(rates.percent(f.overall.drop_out_rate)),
        "overall_no_show": _percent(rates.percent(f.overall.no_show_rate)),
        # Drawn by dashboard_chart, which escapes every label it writes.
        "charts": {k: mark_safe(v) for k, v in charts.items()},  # noqa: S308
        "at_risk": len(
            {r.session.pk for r in d.clearance_risks}
            | {r.session.pk for r in d.low_bookings}
            | {r.session.pk for r in d.cascade_risks}
        ),
        "computed_at": d.computed_at,
        "cache_minutes": max(1, settings.TIP_DASHBOARD_CACHE_SECONDS // 60),
        "cached": settings.TIP_DASHBOARD_CACHE_SECONDS > 0,
        "low_booking_days": analysis.LOW_BOOKING_DAYS,
        "small_count": analysis.SMALL_COUNT,
        "late_hours": rates.LATE_CANCELLATION_HOURS,
    }


@requires(VIEW_DELIVERY_DASHBOARD)
@require_GET
def programme_dashboard(request: HttpRequest, programme_id: int) -> HttpResponse:
    partnership, _user, _membership = _ctx(request)
    programme = programme_get(partnership=partnership, programme_id=programme_id)
    context = dashboard_context(programme, exact=_manages(request))
    context["can_manage"] = _manages(request)
    return render(request, "training/dashboard.html", context)


# --- Targets -------------------------------------------------------------------------------------


def _values(form: TargetForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "sector": data.get("sector") or "",
        "organisation": data.get("organisation"),
        "staff_group": data.get("staff_group") or "",
        "people": data.get("people"),
    }


@requires(MANAGE_TRAINING)
def programme_targets(request: HttpRequest, programme_id: int) -> HttpResponse:
    partnership, user, _membership = _ctx(request)
    programme = programme_get(partnership=partnership, programme_id=programme_id)
    form = TargetForm(request.POST if request.method == "POST" else None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            target = services.target_create(programme=programme, by=user, **_values(form))
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(
                request,
                _("Target added: %(people)s for %(target)s")
                % {"people": target.people, "target": services.describe_target(target)},
            )
            return HttpResponseRedirect(
                reverse("training:programme-targets", kwargs={"programme_id": programme.pk})
            )
    targets = selectors.target_list(programme=programme)
    return render(
        request,
        "training/dashboard_targets.html",
        {
            "programme": programme,
            "form": form,
            "rows": [(t, services.describe_target(t)) for t in targets],
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@requires(MANAGE_TRAINING)
def target_edit(request: HttpRequest, target_id: int) -> HttpResponse:
    partnership, user, _membership = _ctx(request)
    target = selectors.target_get(partnership=partnership, target_id=target_id)
    initial = {
        "sector": target.sector,
        "organisation": str(target.organisation_id or ""),
        "staff_group": target.staff_group,
        "people": target.people,
    }
    form = TargetForm(
        request.POST if request.method == "POST" else None, partnership=partnership, initial=initial
    )
    back = reverse("training:programme-targets", kwargs={"programme_id": target.programme_id})
    if request.method == "POST" and form.is_valid():
        try:
            services.target_update(target=target, by=user, **_values(form))
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Target saved"))
            return HttpResponseRedirect(back)
    return render(
        request,
        "training/dashboard_target_form.html",
        {"form": form, "target": target, "programme": target.programme, "back": back},
        status=400 if form.is_bound and form.errors else 200,
    )


@requires(MANAGE_TRAINING)
def target_remove(request: HttpRequest, target_id: int) -> HttpResponse:
    partnership, user, _membership = _ctx(request)
    target: TrainingTarget = selectors.target_get(partnership=partnership, target_id=target_id)
    back = reverse("training:programme-targets", kwargs={"programme_id": target.programme_id})
    described = services.describe_target(target)
    if request.method == "POST":
        services.target_delete(target=target, by=user)
        messages.success(request, _("Target for %(target)s removed") % {"target": described})
        return HttpResponseRedirect(back)
    return render(
        request,
        "training/dashboard_target_remove.html",
        {"target": target, "described": described, "back": back},
    )
