"""Observation pages: a plan's observations, recording one with the observation form, seeing its
scores, changing and removing it. For people who plan evaluations (plan_evaluations); the
observer is the person signed in."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tip.core.forms import show_refusal
from tip.core.models import Partnership, User
from tip.core.tenancy import TipRequest, requires
from tip.evaluation import selectors
from tip.evaluation import services_observations as services
from tip.evaluation.analysis.scoring import InvalidAnswers, score
from tip.evaluation.forms_observations import ObservationForm
from tip.evaluation.models import EvaluationPlan, Observation
from tip.evaluation.roles import PLAN_EVALUATIONS


def _ctx(request: HttpRequest) -> tuple[Partnership, User]:
    req = cast(TipRequest, request)
    assert req.partnership is not None
    return req.partnership, cast(User, request.user)


def _list_url(programme_id: int) -> str:
    return reverse("evaluation:observation-list", kwargs={"programme_id": programme_id})


def _form_page(
    request: HttpRequest, form: ObservationForm, plan: EvaluationPlan, back: str, title: str
) -> HttpResponse:
    language = get_language() or "en"
    instrument = form.instrument
    return render(
        request,
        "evaluation/observation_form.html",
        {
            "form": form,
            "programme": plan.programme,
            "back": back,
            "title": title,
            "instrument_title": instrument.title.in_language(language),
            "instructions": (
                instrument.instructions.in_language(language) if instrument.instructions else ""
            ),
            "sections": form.sections(),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@requires(PLAN_EVALUATIONS)
@require_GET
def observation_list(request: HttpRequest, programme_id: int) -> HttpResponse:
    partnership, _user = _ctx(request)
    plan = selectors.plan_get(partnership=partnership, programme_id=programme_id)
    rows = [(o, services.observed(o)) for o in services.observation_list(plan=plan)]
    return render(
        request,
        "evaluation/observation_list.html",
        {"programme": plan.programme, "plan": plan, "rows": rows},
    )


@requires(PLAN_EVALUATIONS)
def observation_create(request: HttpRequest, programme_id: int) -> HttpResponse:
    partnership, user = _ctx(request)
    plan = selectors.plan_get(partnership=partnership, programme_id=programme_id)
    form = ObservationForm(request.POST if request.method == "POST" else None, plan=plan)
    back = _list_url(programme_id)
    if request.method == "POST" and form.is_valid():
        try:
            observation = services.observation_create(plan=plan, by=user, **form.values())
        except ValidationError as exc:
            show_refusal(form, exc, rename=form.renames())
        else:
            messages.success(request, _("Observation recorded"))
            return HttpResponseRedirect(
                reverse("evaluation:observation", kwargs={"observation_id": observation.pk})
            )
    return _form_page(request, form, plan, back, _("Record an observation"))


@requires(PLAN_EVALUATIONS)
@require_GET
def observation_detail(request: HttpRequest, observation_id: int) -> HttpResponse:
    partnership, _user = _ctx(request)
    observation = services.observation_get(partnership=partnership, observation_id=observation_id)
    return render(request, "evaluation/observation_detail.html", _detail(observation))


def _detail(observation: Observation) -> dict[str, object]:
    language = get_language() or "en"
    instrument = services.observation_instrument()
    answers = observation.answers or {}
    rows = []
    for item in instrument.items:
        value = answers.get(item.id)
        shown = "–" if value in (None, "", []) else str(value)
        if item.scale.points and value is not None:
            labels = {str(p.value): p.label.in_language(language) for p in item.scale.points}
            shown = labels.get(str(value), shown)
            if str(value) in labels:
                shown = f"{value} – {shown}"
        options = {o.value: o.label.in_language(language) for o in item.scale.options}
        if options and value is not None:
            values = value if isinstance(value, list) else [value]
            shown = ", ".join(options.get(str(v), str(v)) for v in values)
        if value == "not_applicable" and item.scale.not_applicable:
            shown = item.scale.not_applicable.in_language(language)
        rows.append((item.text.in_language(language), shown))
    scores: list[tuple[str, str]] = []
    if observation.instrument_id == instrument.id:
        try:
            found = score(instrument, answers)
        except InvalidAnswers:
            found = None
        if found is not None:
            for s in (*found.subscales, *([found.total] if found.total else [])):
                scores.append(
                    (
                        s.title.in_language(language),
                        f"{s.value:.2f}" if s.value is not None else _("Too few ratings to score"),
                    )
                )
    return {
        "observation": observation,
        "programme": observation.plan.programme,
        "observed": services.observed(observation),
        "instrument_title": instrument.title.in_language(language),
        "rows": rows,
        "scores": scores,
        "back": _list_url(observation.plan.programme_id),
    }


@requires(PLAN_EVALUATIONS)
def observation_edit(request: HttpRequest, observation_id: int) -> HttpResponse:
    partnership, user = _ctx(request)
    observation = services.observation_get(partnership=partnership, observation_id=observation_id)
    form = ObservationForm(
        request.POST if request.method == "POST" else None,
        plan=observation.plan,
        initial=ObservationForm.initial_for(observation),
    )
    back = reverse("evaluation:observation", kwargs={"observation_id": observation.pk})
    if request.method == "POST" and form.is_valid():
        try:
            services.observation_update(observation=observation, by=user, **form.values())
        except ValidationError as exc:
            show_refusal(form, exc, rename=form.renames())
        else:
            messages.success(request, _("Observation saved"))
            return HttpResponseRedirect(back)
    return _form_page(request, form, observation.plan, back, _("Change an observation"))


@requires(PLAN_EVALUATIONS)
def observation_remove(request: HttpRequest, observation_id: int) -> HttpResponse:
    partnership, user = _ctx(request)
    observation = services.observation_get(partnership=partnership, observation_id=observation_id)
    programme = observation.plan.programme
    back = _list_url(programme.pk)
    if request.method == "POST":
        services.observation_delete(observation=observation, by=user)
        messages.success(request, _("Observation removed"))
        return HttpResponseRedirect(back)
    return render(
        request,
        "evaluation/remove.html",
        {
            "programme": programme,
            "back": reverse("evaluation:observation", kwargs={"observation_id": observation.pk}),
            "title": _("Remove an observation"),
            "what": _("The observation of %(what)s on %(date)s and its ratings will be removed.")
            % {"what": services.observed(observation), "date": observation.observed_on},
            "button": _("Remove the observation"),
            "refusal": "",
        },
    )
