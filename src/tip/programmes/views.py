"""Programme pages: thin views over the selectors and services."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tip.core.models import Partnership, User
from tip.core.tenancy import TipRequest, requires
from tip.programmes import selectors, services
from tip.programmes.forms import ProgrammeForm
from tip.programmes.roles import MANAGE_PROGRAMMES, VIEW_PROGRAMMES


def _ctx(request: HttpRequest) -> tuple[Partnership, User]:
    req = cast(TipRequest, request)
    assert req.partnership is not None
    return req.partnership, cast(User, request.user)


def _can_manage(request: HttpRequest) -> bool:
    return MANAGE_PROGRAMMES in cast(TipRequest, request).capabilities


@requires(VIEW_PROGRAMMES)
def programme_list(request: HttpRequest) -> HttpResponse:
    partnership, _user = _ctx(request)
    return render(
        request,
        "programmes/programme_list.html",
        {
            "programmes": selectors.programme_list(partnership=partnership),
            "can_manage": _can_manage(request),
        },
    )


@requires(MANAGE_PROGRAMMES)
def programme_create(request: HttpRequest) -> HttpResponse:
    partnership, user = _ctx(request)
    form = ProgrammeForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        programme = services.programme_create(partnership=partnership, by=user, **form.cleaned_data)
        messages.success(request, _("%(name)s created") % {"name": programme.name})
        return redirect("programmes:programme-detail", programme_id=programme.pk)
    return render(request, "programmes/programme_form.html", {"form": form})


@requires(VIEW_PROGRAMMES)
def programme_detail(request: HttpRequest, programme_id: int) -> HttpResponse:
    partnership, _user = _ctx(request)
    programme = selectors.programme_get(partnership=partnership, programme_id=programme_id)
    return render(
        request,
        "programmes/programme_detail.html",
        {"programme": programme, "can_manage": _can_manage(request)},
    )
