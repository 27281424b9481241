"""The instruments pages: TIP's own and the partnership's, adding one (pasted or uploaded),
reading one, removing an unused version. Thin views over selectors_instruments and
services_instruments."""

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
from tip.evaluation import selectors_instruments as found
from tip.evaluation import services_instruments as services
from tip.evaluation.analysis.instrument_model import Scale, ScaleType
from tip.evaluation.forms_instruments import InstrumentAddForm
from tip.evaluation.instrument_library import shipped_instruments
from tip.evaluation.roles import PLAN_EVALUATIONS


def _ctx(request: HttpRequest) -> tuple[Partnership, User]:
    req = cast(TipRequest, request)
    assert req.partnership is not None
    return req.partnership, cast(User, request.user)


def _answers(scale: Scale, language: str) -> list[str]:
    """The answers a scale offers, in the reader's language."""
    labels = [f"{p.value}: {p.label.in_language(language)}" for p in scale.points]
    labels += [o.label.in_language(language) for o in scale.options]
    labels += [
        t.in_language(language)
        for t in (scale.true_label, scale.false_label, scale.dont_know_label)
        if t is not None
    ]
    if scale.type == ScaleType.NUMERIC:
        labels.append(
            _("A number from %(low)s to %(high)s")
            % {"low": _number(scale.minimum), "high": _number(scale.maximum)}
        )
    if scale.type == ScaleType.FREE_TEXT:
        labels.append(_("Written answer, up to %(max)s characters") % {"max": scale.max_length})
    if scale.not_applicable is not None:
        labels.append(scale.not_applicable.in_language(language))
    return labels


def _number(value: float | None) -> str:
    if value is None:
        return "…"
    return str(int(value)) if float(value).is_integer() else str(value)


def _list_url() -> str:
    return reverse("evaluation:instrument-list")


@requires(PLAN_EVALUATIONS)
@require_GET
def instrument_list(request: HttpRequest) -> HttpResponse:
    partnership, _user = _ctx(request)
    language = get_language() or "en"
    own = [(s, found.parsed(s)) for s in found.partnership_instrument_list(partnership=partnership)]
    return render(
        request,
        "evaluation/instrument_list.html",
        {
            "shipped": [(i, i.title.in_language(language)) for i in shipped_instruments()],
            "own": [(s, i, i.title.in_language(language)) for s, i in own],
        },
    )


@requires(PLAN_EVALUATIONS)
def instrument_add(request: HttpRequest) -> HttpResponse:
    partnership, user = _ctx(request)
    posted = request.method == "POST"
    form = InstrumentAddForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            upload = form.cleaned_data.get("file")
            if upload is not None:
                text, fmt = services.instrument_file_read(name=upload.name, data=upload.read())
            else:
                text, fmt = form.pasted()
            stored = services.partnership_instrument_add(
                partnership=partnership, text=text, fmt=fmt, by=user
            )
        except ValidationError as exc:
            field = "file" if form.cleaned_data.get("file") else "text"
            show_refusal(form, exc, rename={"text": field, "fmt": field})
        else:
            messages.success(
                request,
                _("Version %(version)s of %(title)s added")
                % {"version": stored.version, "title": stored.title_en},
            )
            return HttpResponseRedirect(
                reverse(
                    "evaluation:instrument-detail", kwargs={"partnership_instrument_id": stored.pk}
                )
            )
    return render(
        request,
        "evaluation/instrument_form.html",
        {"form": form, "back": _list_url(), "title": _("Add an instrument")},
        status=400 if form.is_bound and form.errors else 200,
    )


@requires(PLAN_EVALUATIONS)
@require_GET
def instrument_detail(request: HttpRequest, partnership_instrument_id: int) -> HttpResponse:
    partnership, _user = _ctx(request)
    stored = found.partnership_instrument_get(partnership=partnership, pk=partnership_instrument_id)
    instrument = found.parsed(stored)
    language = get_language() or "en"
    sections = {s.id: s.title.in_language(language) for s in instrument.sections}
    return render(
        request,
        "evaluation/instrument_detail.html",
        {
            "stored": stored,
            "instrument": instrument,
            "language": language,
            "title": instrument.title.in_language(language),
            "description": instrument.description.in_language(language),
            "validation_note": instrument.validation_note.in_language(language),
            "items": [
                (
                    i,
                    i.text.in_language(language),
                    sections.get(i.section or "", ""),
                    i.scale.id,
                )
                for i in instrument.items
            ],
            "scales": [(s.id, _answers(s, language)) for s in instrument.scales],
            "uses": services.partnership_instrument_uses(stored),
            "back": _list_url(),
        },
    )


@requires(PLAN_EVALUATIONS)
def instrument_remove(request: HttpRequest, partnership_instrument_id: int) -> HttpResponse:
    partnership, user = _ctx(request)
    stored = found.partnership_instrument_get(partnership=partnership, pk=partnership_instrument_id)
    back = _list_url()
    refusal = ""
    if request.method == "POST":
        try:
            services.partnership_instrument_delete(stored=stored, by=user)
        except ValidationError as exc:
            refusal = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _("Version %(version)s of %(title)s removed")
                % {"version": stored.version, "title": stored.title_en},
            )
            return HttpResponseRedirect(back)
    return render(
        request,
        "evaluation/remove.html",
        {
            "programme": {"name": _("Instruments")},
            "back": back,
            "title": _("Remove an instrument"),
            "what": _("Version %(version)s of %(title)s (%(id)s) will be removed.")
            % {"version": stored.version, "title": stored.title_en, "id": stored.instrument_id},
            "button": _("Remove the instrument"),
            "refusal": refusal,
        },
        status=400 if refusal else 200,
    )
