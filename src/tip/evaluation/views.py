"""The evaluation plan's pages: thin views over the selectors and services."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tip.core.forms import show_refusal
from tip.core.models import Partnership, User
from tip.core.tenancy import TipRequest, requires
from tip.evaluation import selectors, services
from tip.evaluation.forms import MeasureForm, PlanForm, WaveForm
from tip.evaluation.models import EvaluationPlan
from tip.evaluation.readiness_plan import plan_facts
from tip.evaluation.roles import PLAN_EVALUATIONS
from tip.programmes.models import Programme
from tip.programmes.selectors import programme_get


def _ctx(request: HttpRequest) -> tuple[Partnership, User]:
    req = cast(TipRequest, request)
    assert req.partnership is not None
    return req.partnership, cast(User, request.user)


def _plan_url(programme_id: int) -> str:
    return reverse("evaluation:plan", kwargs={"programme_id": programme_id})


def _status(form: object) -> int:
    bound = getattr(form, "is_bound", False) and getattr(form, "errors", None)
    return 400 if bound else 200


@requires(PLAN_EVALUATIONS)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    partnership, _user = _ctx(request)
    return render(
        request,
        "evaluation/index.html",
        {"rows": selectors.programme_plans(partnership=partnership)},
    )


@requires(PLAN_EVALUATIONS)
@require_GET
def plan(request: HttpRequest, programme_id: int) -> HttpResponse:
    partnership, _user = _ctx(request)
    programme = programme_get(partnership=partnership, programme_id=programme_id)
    found = selectors.plan_of(programme=programme)
    context: dict[str, object] = {"programme": programme, "plan": found}
    if found is not None:
        context |= {
            "waves": [
                (w, selectors.timing(w.offset_days)) for w in selectors.wave_list(plan=found)
            ],
            "measures": selectors.measure_views(plan=found),
            "facts": list(plan_facts(programme)),
            "retention_months": services.retention_months(found.retention_days),
        }
    return render(request, "evaluation/plan.html", context)


@requires(PLAN_EVALUATIONS)
def plan_edit(request: HttpRequest, programme_id: int) -> HttpResponse:
    """Create the programme's plan, or change it once it has one."""
    partnership, user = _ctx(request)
    programme = programme_get(partnership=partnership, programme_id=programme_id)
    existing: EvaluationPlan | None = selectors.plan_of(programme=programme)
    form = PlanForm(
        request.POST if request.method == "POST" else None,
        initial=PlanForm.initial_for(existing),
        plan=existing,
    )
    if request.method == "POST" and form.is_valid():
        try:
            if existing is None:
                services.plan_create(programme=programme, by=user, **form.values())
                done = _(
                    "Evaluation plan created, with a baseline, straight after, six months and "
                    "twelve months after"
                )
            else:
                services.plan_update(plan=existing, by=user, **form.values())
                done = _("Evaluation plan saved")
        except ValidationError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, done)
            return HttpResponseRedirect(_plan_url(programme.pk))
    return render(
        request,
        "evaluation/plan_form.html",
        {"form": form, "programme": programme, "plan": existing, "back": _plan_url(programme.pk)},
        status=_status(form),
    )


@requires(PLAN_EVALUATIONS)
def wave_create(request: HttpRequest, programme_id: int) -> HttpResponse:
    partnership, user = _ctx(request)
    found = selectors.plan_get(partnership=partnership, programme_id=programme_id)
    form = WaveForm(request.POST if request.method == "POST" else None)
    back = _plan_url(programme_id)
    if request.method == "POST" and form.is_valid():
        try:
            wave = services.wave_create(plan=found, by=user, **form.cleaned_data)
        except ValidationError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, _("Wave %(name)s added") % {"name": wave.name})
            return HttpResponseRedirect(back)
    return render(
        request,
        "evaluation/wave_form.html",
        {"form": form, "programme": found.programme, "back": back, "title": _("Add a wave")},
        status=_status(form),
    )


@requires(PLAN_EVALUATIONS)
def wave_edit(request: HttpRequest, wave_id: int) -> HttpResponse:
    partnership, user = _ctx(request)
    wave = selectors.wave_get(partnership=partnership, wave_id=wave_id)
    form = WaveForm(
        request.POST if request.method == "POST" else None, initial=WaveForm.initial_for(wave)
    )
    back = _plan_url(wave.plan.programme_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.wave_update(wave=wave, by=user, **form.cleaned_data)
        except ValidationError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, _("Wave %(name)s saved") % {"name": wave.name})
            return HttpResponseRedirect(back)
    return render(
        request,
        "evaluation/wave_form.html",
        {
            "form": form,
            "programme": wave.plan.programme,
            "back": back,
            "title": _("Change a wave"),
        },
        status=_status(form),
    )


@requires(PLAN_EVALUATIONS)
def wave_remove(request: HttpRequest, wave_id: int) -> HttpResponse:
    partnership, user = _ctx(request)
    wave = selectors.wave_get(partnership=partnership, wave_id=wave_id)
    back = _plan_url(wave.plan.programme_id)
    refusal = ""
    if request.method == "POST":
        name = wave.name
        try:
            services.wave_delete(wave=wave, by=user)
        except ValidationError as exc:
            refusal = " ".join(exc.messages)
        else:
            messages.success(request, _("Wave %(name)s removed") % {"name": name})
            return HttpResponseRedirect(back)
    return render(
        request,
        "evaluation/remove.html",
        {
            "programme": wave.plan.programme,
            "back": back,
            "title": _("Remove a wave"),
            "what": _("The wave %(name)s (%(when)s) will be removed from the plan.")
            % {"name": wave.name, "when": selectors.timing(wave.offset_days)},
            "button": _("Remove the wave"),
            "refusal": refusal,
        },
        status=400 if refusal else 200,
    )


def _measure_page(
    request: HttpRequest, form: MeasureForm, programme: Programme, back: str, title: str
) -> HttpResponse:
    return render(
        request,
        "evaluation/measure_form.html",
        {
            "form": form,
            "programme": programme,
            "back": back,
            "title": title,
            "instruments": selectors.instrument_summaries(programme.partnership_id),
        },
        status=_status(form),
    )


@requires(PLAN_EVALUATIONS)
def measure_create(request: HttpRequest, programme_id: int) -> HttpResponse:
    partnership, user = _ctx(request)
    found = selectors.plan_get(partnership=partnership, programme_id=programme_id)
    form = MeasureForm(
        request.POST if request.method == "POST" else None,
        plan=found,
        programme=found.programme,
    )
    back = _plan_url(programme_id)
    if request.method == "POST" and form.is_valid():
        try:
            measure = services.measure_create(plan=found, by=user, **form.values())
        except ValidationError as exc:
            show_refusal(form, exc, rename={"instrument_id": "instrument"})
        else:
            messages.success(
                request,
                _("%(title)s added to the plan")
                % {
                    "title": services.instrument_title(
                        measure.instrument_id, partnership=partnership
                    )
                },
            )
            return HttpResponseRedirect(back)
    return _measure_page(request, form, found.programme, back, _("Add an instrument"))


@requires(PLAN_EVALUATIONS)
def measure_edit(request: HttpRequest, measure_id: int) -> HttpResponse:
    partnership, user = _ctx(request)
    measure = selectors.measure_get(partnership=partnership, measure_id=measure_id)
    programme = measure.plan.programme
    form = MeasureForm(
        request.POST if request.method == "POST" else None,
        plan=measure.plan,
        programme=programme,
        initial=MeasureForm.initial_for(measure),
    )
    back = _plan_url(programme.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_update(measure=measure, by=user, **form.values())
        except ValidationError as exc:
            show_refusal(form, exc, rename={"instrument_id": "instrument"})
        else:
            messages.success(request, _("Instrument saved"))
            return HttpResponseRedirect(back)
    return _measure_page(request, form, programme, back, _("Change an instrument's use"))


@requires(PLAN_EVALUATIONS)
def measure_remove(request: HttpRequest, measure_id: int) -> HttpResponse:
    partnership, user = _ctx(request)
    measure = selectors.measure_get(partnership=partnership, measure_id=measure_id)
    back = _plan_url(measure.plan.programme_id)
    title = services.instrument_title(measure.instrument_id, partnership=partnership)
    if request.method == "POST":
        services.measure_delete(measure=measure, by=user)
        messages.success(request, _("%(title)s removed from the plan") % {"title": title})
        return HttpResponseRedirect(back)
    return render(
        request,
        "evaluation/remove.html",
        {
            "programme": measure.plan.programme,
            "back": back,
            "title": _("Remove an instrument from the plan"),
            "what": _(
                "%(title)s will no longer be part of the plan. The instrument stays in the library."
            )
            % {"title": title},
            "button": _("Remove the instrument"),
            "refusal": "",
        },
    )
