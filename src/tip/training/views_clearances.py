"""Pages for trainers' clearances, the settings that require them, the partnership's lead times
and optimism bias, and the planner. Thin views over the selectors and services."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tip.core.audit import audit_view
from tip.core.tenancy import requires
from tip.training import purposes_providers as purposes
from tip.training import selectors_clearances as selectors
from tip.training import services_clearances as services
from tip.training.clearance_types import clearance_types
from tip.training.forms_clearances import (
    ClearanceForm,
    ClearancePlanningForm,
    PlannerForm,
    SettingForm,
)
from tip.training.models_clearances import Clearance, DeliverySetting
from tip.training.roles import MANAGE_TRAINING, VIEW_TRAINER_RECORDS, VIEW_TRAINING
from tip.training.views_providers import (
    _can,
    _ctx,
    audited_trainer,
    form_page,
    refused,
    remove_page,
    trainer_url,
)

PLANNER_DEFAULT_WEEKS = 12


def _clearance_values(clearance: Clearance) -> dict[str, object]:
    return {
        "clearance_type": clearance.clearance_type,
        "status": clearance.status,
        "applied_on": clearance.applied_on,
        "issued_on": clearance.issued_on,
        "expires_on": clearance.expires_on,
    }


def _clearance_of(request: HttpRequest, clearance_id: int) -> Clearance:
    partnership, user = _ctx(request)
    clearance = selectors.clearance_get(partnership=partnership, clearance_id=clearance_id)
    if request.method == "GET":
        audit_view(
            actor=user,
            obj=clearance.trainer,
            partnership=partnership,
            purpose=purposes.TRAINER_RECORD,
        )
    return clearance


@requires(MANAGE_TRAINING, personal_data="trainer record")
def clearance_create(request: HttpRequest, trainer_id: int) -> HttpResponse:
    trainer, user = audited_trainer(request, trainer_id, purposes.TRAINER_RECORD)
    form = ClearanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.clearance_create(trainer=trainer, by=user, **form.cleaned_data)
        except ValidationError as exc:
            refused(form, exc)
        else:
            messages.success(request, _("Clearance added"))
            return HttpResponseRedirect(trainer_url(trainer) + "#clearances")
    return form_page(
        request,
        form,
        title=_("Add a clearance"),
        caption=trainer.name,
        back=trainer_url(trainer),
    )


@requires(MANAGE_TRAINING, personal_data="trainer record")
def clearance_edit(request: HttpRequest, clearance_id: int) -> HttpResponse:
    clearance = _clearance_of(request, clearance_id)
    _partnership, user = _ctx(request)
    form = ClearanceForm(request.POST or None, initial=_clearance_values(clearance))
    if request.method == "POST" and form.is_valid():
        try:
            services.clearance_update(clearance=clearance, by=user, **form.cleaned_data)
        except ValidationError as exc:
            refused(form, exc)
        else:
            messages.success(request, _("Changes saved"))
            return HttpResponseRedirect(trainer_url(clearance.trainer) + "#clearances")
    return form_page(
        request,
        form,
        title=_("Change a clearance"),
        caption=clearance.trainer.name,
        back=trainer_url(clearance.trainer),
    )


@requires(MANAGE_TRAINING, personal_data="trainer record")
def clearance_delete(request: HttpRequest, clearance_id: int) -> HttpResponse:
    clearance = _clearance_of(request, clearance_id)
    _partnership, user = _ctx(request)
    kind = clearance_types().get(clearance.clearance_type)
    name = kind.name(get_language() or "en") if kind else clearance.clearance_type
    return remove_page(
        request,
        title=_("Remove the %(clearance)s?") % {"clearance": name},
        caption=clearance.trainer.name,
        warning=_("The audit log keeps a record that you removed it."),
        button=_("Remove clearance"),
        on_confirm=lambda: services.clearance_delete(clearance=clearance, by=user),
        done=_("Clearance removed"),
        back=trainer_url(clearance.trainer),
        then=trainer_url(clearance.trainer) + "#clearances",
    )


# --- Settings and lead times ---------------------------------------------------------------------


@requires(VIEW_TRAINING)
@require_GET
def clearance_settings(request: HttpRequest) -> HttpResponse:
    """The settings (kinds of place) and the clearances each requires, and every clearance
    type's lead time with the partnership's optimism-bias uplift."""
    partnership, _user = _ctx(request)
    language = get_language() or "en"
    types = clearance_types()
    return render(
        request,
        "training/clearance_settings.html",
        {
            "settings": [
                (s, [types[c].name(language) for c in s.required_clearances if c in types])
                for s in selectors.setting_list(partnership=partnership)
            ],
            "types": selectors.type_rows(partnership=partnership, language=language),
            "bias": selectors.optimism_bias(partnership=partnership),
            "can_manage": _can(request, MANAGE_TRAINING),
            "can_plan": _can(request, VIEW_TRAINER_RECORDS),
        },
    )


def _to_settings() -> HttpResponse:
    return HttpResponseRedirect(reverse("training:clearance-settings") + "#settings")


@requires(MANAGE_TRAINING)
def setting_create(request: HttpRequest) -> HttpResponse:
    partnership, user = _ctx(request)
    form = SettingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            setting = services.setting_create(partnership=partnership, by=user, **form.cleaned_data)
        except ValidationError as exc:
            refused(form, exc)
        else:
            messages.success(request, _("%(name)s added") % {"name": setting.name})
            return _to_settings()
    return form_page(
        request,
        form,
        title=_("Add a setting"),
        caption=_("Settings and clearances"),
        back=reverse("training:clearance-settings"),
    )


def _setting(request: HttpRequest, setting_id: int) -> DeliverySetting:
    partnership, _user = _ctx(request)
    return selectors.setting_get(partnership=partnership, setting_id=setting_id)


@requires(MANAGE_TRAINING)
def setting_edit(request: HttpRequest, setting_id: int) -> HttpResponse:
    setting = _setting(request, setting_id)
    _partnership, user = _ctx(request)
    initial = {
        "name": setting.name,
        "kind": setting.kind,
        "required_clearances": setting.required_clearances,
    }
    form = SettingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.setting_update(setting=setting, by=user, **form.cleaned_data)
        except ValidationError as exc:
            refused(form, exc)
        else:
            messages.success(request, _("Changes saved"))
            return _to_settings()
    return form_page(
        request,
        form,
        title=_("Change a setting"),
        caption=setting.name,
        back=reverse("training:clearance-settings"),
    )


@requires(MANAGE_TRAINING)
def setting_delete(request: HttpRequest, setting_id: int) -> HttpResponse:
    setting = _setting(request, setting_id)
    _partnership, user = _ctx(request)
    return remove_page(
        request,
        title=_("Remove %(name)s?") % {"name": setting.name},
        caption=_("Settings and clearances"),
        warning=_("The audit log keeps a record that you removed it."),
        button=_("Remove setting"),
        on_confirm=lambda: services.setting_delete(setting=setting, by=user),
        done=_("%(name)s removed") % {"name": setting.name},
        back=reverse("training:clearance-settings"),
        then=reverse("training:clearance-settings") + "#settings",
    )


@requires(MANAGE_TRAINING)
def clearance_planning_edit(request: HttpRequest) -> HttpResponse:
    partnership, user = _ctx(request)
    days = selectors.lead_times(partnership=partnership)
    initial: dict[str, object] = {
        "optimism_bias_percent": selectors.optimism_bias(partnership=partnership)
    }
    for code, kind in clearance_types().items():
        if days[code] != kind.lead_time_days:
            initial[f"lead_{code}"] = days[code]
    form = ClearancePlanningForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.clearance_planning_set(
                partnership=partnership,
                lead_times=form.lead_times(),
                optimism_bias_percent=form.cleaned_data["optimism_bias_percent"],
                by=user,
            )
        except ValidationError as exc:
            refused(form, exc)
        else:
            messages.success(request, _("Lead times saved"))
            return HttpResponseRedirect(reverse("training:clearance-settings") + "#lead-times")
    return form_page(
        request,
        form,
        title=_("Lead times and optimism bias"),
        caption=_("Settings and clearances"),
        back=reverse("training:clearance-settings"),
    )


# --- The planner ---------------------------------------------------------------------------------


@requires(VIEW_TRAINER_RECORDS, personal_data="clearance planning")
@require_GET
def planner(request: HttpRequest) -> HttpResponse:
    """Choose a setting and a date (a GET form): each trainer's clearances for it, with the
    latest date to apply. Before a choice, the first setting and twelve weeks from today."""
    partnership, user = _ctx(request)
    settings = list(selectors.setting_list(partnership=partnership))
    today = services.london_today()
    chosen = bool(request.GET)
    default = today + timedelta(weeks=PLANNER_DEFAULT_WEEKS)
    data = (
        request.GET
        if chosen
        else {
            "setting": str(settings[0].pk) if settings else "",
            "planned_on_day": str(default.day),
            "planned_on_month": str(default.month),
            "planned_on_year": str(default.year),
        }
    )
    form = PlannerForm(data, settings=settings)
    plan = None
    setting = planned_on = None
    if settings and form.is_valid():
        setting = form.settings[form.cleaned_data["setting"]]
        planned_on = form.cleaned_data["planned_on"]
        plan = selectors.plan(
            partnership=partnership, setting=setting, needed_on=planned_on, today=today
        )
        audit_view(
            actor=user,
            obj=setting,
            partnership=partnership,
            purpose=purposes.CLEARANCE_PLANNING,
        )
    return render(
        request,
        "training/planner.html",
        {
            "form": form,
            "settings": settings,
            "plan": plan,
            "setting": setting,
            "planned_on": planned_on,
            "today": today,
            "bias": selectors.optimism_bias(partnership=partnership),
            "language": get_language() or "en",
        },
        status=400 if chosen and form.errors else 200,
    )
