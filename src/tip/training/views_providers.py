"""Pages for providers, their trainers and the trainers' answers: thin views over the selectors
and services. Pages that show a trainer record who looked, and why (audit_view)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tip.core.audit import audit_view
from tip.core.forms import show_refusal
from tip.core.models import Partnership, User
from tip.core.tenancy import TipRequest, requires
from tip.training import purposes_providers as purposes
from tip.training import selectors_clearances, selectors_providers, services_providers
from tip.training.forms_providers import ProviderForm, TrainerAnswersForm, TrainerForm
from tip.training.models_providers import Provider, Trainer
from tip.training.roles import MANAGE_TRAINING, VIEW_TRAINER_RECORDS, VIEW_TRAINING
from tip.training.trainer_questions import load_questions

selectors = selectors_providers
services = services_providers


def _ctx(request: HttpRequest) -> tuple[Partnership, User]:
    req = cast(TipRequest, request)
    assert req.partnership is not None
    return req.partnership, cast(User, request.user)


def _can(request: HttpRequest, capability: str) -> bool:
    return capability in cast(TipRequest, request).capabilities


refused = show_refusal


def form_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    title: str,
    caption: str,
    back: str,
    button: str = "",
    template: str = "training/provider_form.html",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    return render(
        request,
        template,
        {
            "form": form,
            "title": title,
            "caption": caption,
            "back": back,
            "button": button or _("Save"),
            **(extra or {}),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def remove_page(
    request: HttpRequest,
    *,
    title: str,
    caption: str,
    warning: str,
    button: str,
    on_confirm: Callable[[], object],
    done: str,
    back: str,
    then: str,
) -> HttpResponse:
    if request.method == "POST":
        on_confirm()
        messages.success(request, done)
        return HttpResponseRedirect(then)
    return render(
        request,
        "training/provider_remove.html",
        {"title": title, "caption": caption, "warning": warning, "button": button, "back": back},
    )


def audited_trainer(request: HttpRequest, trainer_id: int, purpose: str) -> tuple[Trainer, User]:
    """The trainer, with a 'view' entry in the audit log when the page is shown (GET)."""
    partnership, user = _ctx(request)
    trainer = selectors.trainer_get(partnership=partnership, trainer_id=trainer_id)
    if request.method == "GET":
        audit_view(actor=user, obj=trainer, partnership=partnership, purpose=purpose)
    return trainer, user


def _provider_url(provider: Provider) -> str:
    return reverse("training:provider-detail", kwargs={"provider_id": provider.pk})


def trainer_url(trainer: Trainer) -> str:
    return reverse("training:trainer-detail", kwargs={"trainer_id": trainer.pk})


@requires(VIEW_TRAINING)
def provider_list(request: HttpRequest) -> HttpResponse:
    partnership, _user = _ctx(request)
    providers = list(selectors.provider_list(partnership=partnership))
    rows = [(p, selectors.meeting_count(provider=p)) for p in providers]
    return render(
        request,
        "training/provider_list.html",
        {
            "rows": rows,
            "can_manage": _can(request, MANAGE_TRAINING),
            "can_see_trainers": _can(request, VIEW_TRAINER_RECORDS),
        },
    )


@requires(MANAGE_TRAINING)
def provider_create(request: HttpRequest) -> HttpResponse:
    partnership, user = _ctx(request)
    form = ProviderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            provider = services.provider_create(
                partnership=partnership, by=user, **form.cleaned_data
            )
        except ValidationError as exc:
            refused(form, exc)
        else:
            messages.success(request, _("%(name)s added") % {"name": provider.name})
            return redirect("training:provider-detail", provider_id=provider.pk)
    return form_page(
        request,
        form,
        title=_("Add a training provider"),
        caption=_("Training providers"),
        back=reverse("training:provider-list"),
    )


@requires(VIEW_TRAINER_RECORDS, personal_data="provider team")
def provider_detail(request: HttpRequest, provider_id: int) -> HttpResponse:
    partnership, user = _ctx(request)
    provider = selectors.provider_get(partnership=partnership, provider_id=provider_id)
    trainers = selectors.trainer_list(provider=provider)
    audit_view(actor=user, obj=provider, partnership=partnership, purpose=purposes.PROVIDER_TEAM)
    return render(
        request,
        "training/provider_detail.html",
        {
            "provider": provider,
            "team": selectors.team(trainers=trainers),
            "language": get_language() or "en",
            "can_manage": _can(request, MANAGE_TRAINING),
        },
    )


@requires(MANAGE_TRAINING)
def provider_edit(request: HttpRequest, provider_id: int) -> HttpResponse:
    partnership, user = _ctx(request)
    provider = selectors.provider_get(partnership=partnership, provider_id=provider_id)
    initial = {"name": provider.name, "kind": provider.kind, "description": provider.description}
    form = ProviderForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.provider_update(provider=provider, by=user, **form.cleaned_data)
        except ValidationError as exc:
            refused(form, exc)
        else:
            messages.success(request, _("Changes saved"))
            return HttpResponseRedirect(_provider_url(provider))
    return form_page(
        request,
        form,
        title=_("Change the provider's details"),
        caption=provider.name,
        back=_provider_url(provider),
    )


@requires(MANAGE_TRAINING)
def provider_delete(request: HttpRequest, provider_id: int) -> HttpResponse:
    partnership, user = _ctx(request)
    provider = selectors.provider_get(partnership=partnership, provider_id=provider_id)
    return remove_page(
        request,
        title=_("Remove %(name)s?") % {"name": provider.name},
        caption=_("Training providers"),
        warning=_(
            "Its trainers, their answers and their clearances are removed too. The audit log "
            "keeps a record that you removed it."
        ),
        button=_("Remove provider"),
        on_confirm=lambda: services.provider_delete(provider=provider, by=user),
        done=_("%(name)s removed") % {"name": provider.name},
        back=_provider_url(provider),
        then=reverse("training:provider-list"),
    )


@requires(MANAGE_TRAINING)
def trainer_create(request: HttpRequest, provider_id: int) -> HttpResponse:
    partnership, user = _ctx(request)
    provider = selectors.provider_get(partnership=partnership, provider_id=provider_id)
    form = TrainerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            trainer = services.trainer_create(provider=provider, by=user, **form.cleaned_data)
        except ValidationError as exc:
            refused(form, exc)
        else:
            messages.success(request, _("%(name)s added") % {"name": trainer.name})
            return HttpResponseRedirect(trainer_url(trainer))
    return form_page(
        request,
        form,
        title=_("Add a trainer"),
        caption=provider.name,
        back=_provider_url(provider),
    )


@requires(VIEW_TRAINER_RECORDS, personal_data="trainer record")
def trainer_detail(request: HttpRequest, trainer_id: int) -> HttpResponse:
    trainer, _user = audited_trainer(request, trainer_id, purposes.TRAINER_RECORD)
    language = get_language() or "en"
    answers = selectors.trainer_answers(trainer=trainer)
    rows = [(q, answers.get(q.code)) for q in load_questions()]
    gaps = selectors.team(trainers=[trainer]).rows[0].gaps
    return render(
        request,
        "training/trainer_detail.html",
        {
            "trainer": trainer,
            "rows": rows,
            "gaps": gaps,
            "clearances": selectors_clearances.clearance_rows(trainer=trainer, language=language),
            "language": language,
            "can_manage": _can(request, MANAGE_TRAINING),
        },
    )


@requires(MANAGE_TRAINING, personal_data="trainer record")
def trainer_edit(request: HttpRequest, trainer_id: int) -> HttpResponse:
    trainer, user = audited_trainer(request, trainer_id, purposes.TRAINER_RECORD)
    form = TrainerForm(request.POST or None, initial={"name": trainer.name, "role": trainer.role})
    if request.method == "POST" and form.is_valid():
        try:
            services.trainer_update(trainer=trainer, by=user, **form.cleaned_data)
        except ValidationError as exc:
            refused(form, exc)
        else:
            messages.success(request, _("Changes saved"))
            return HttpResponseRedirect(trainer_url(trainer))
    return form_page(
        request,
        form,
        title=_("Change the trainer's details"),
        caption=trainer.provider.name,
        back=trainer_url(trainer),
    )


@requires(MANAGE_TRAINING, personal_data="trainer record")
def trainer_delete(request: HttpRequest, trainer_id: int) -> HttpResponse:
    trainer, user = audited_trainer(request, trainer_id, purposes.TRAINER_RECORD)
    return remove_page(
        request,
        title=_("Remove %(name)s?") % {"name": trainer.name},
        caption=trainer.provider.name,
        warning=_(
            "Their answers and clearances are removed too. The audit log keeps a record that you "
            "removed them."
        ),
        button=_("Remove trainer"),
        on_confirm=lambda: services.trainer_delete(trainer=trainer, by=user),
        done=_("%(name)s removed") % {"name": trainer.name},
        back=trainer_url(trainer),
        then=_provider_url(trainer.provider),
    )


@requires(MANAGE_TRAINING, personal_data="trainer record")
def trainer_answers(request: HttpRequest, trainer_id: int) -> HttpResponse:
    trainer, user = audited_trainer(request, trainer_id, purposes.TRAINER_RECORD)
    form = TrainerAnswersForm(
        request.POST or None, answers=selectors.trainer_answers(trainer=trainer)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.trainer_answers_set(trainer=trainer, answers=form.answers(), by=user)
        except ValidationError as exc:
            refused(form, exc)
        else:
            messages.success(request, _("Answers saved"))
            return HttpResponseRedirect(trainer_url(trainer))
    return form_page(
        request,
        form,
        title=_("Qualifications, skills and experience"),
        caption=trainer.name,
        back=trainer_url(trainer),
        template="training/trainer_answers.html",
    )
