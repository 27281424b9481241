"""Partner organisations: list, view, add, change, remove."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tip.core import selectors, services
from tip.core.forms import OrganisationForm
from tip.core.models import Partnership, User
from tip.core.roles import Capability
from tip.core.tenancy import TipRequest, requires


def _ctx(request: HttpRequest) -> tuple[Partnership, User]:
    req = cast(TipRequest, request)
    assert req.partnership is not None
    return req.partnership, cast(User, request.user)


@requires(Capability.VIEW_ORGANISATIONS)
def organisation_list(request: HttpRequest) -> HttpResponse:
    partnership, _user = _ctx(request)
    return render(
        request,
        "core/organisation_list.html",
        {"organisations": selectors.organisation_list(partnership=partnership)},
    )


@requires(Capability.VIEW_ORGANISATIONS)
def organisation_detail(request: HttpRequest, organisation_id: int) -> HttpResponse:
    partnership, _user = _ctx(request)
    org = selectors.organisation_get(partnership=partnership, organisation_id=organisation_id)
    can_see_people = Capability.VIEW_PEOPLE in cast(TipRequest, request).capabilities
    return render(
        request,
        "core/organisation_detail.html",
        {
            "organisation": org,
            "member_count": org.memberships.count(),
            "can_see_people": can_see_people,
        },
    )


@requires(Capability.MANAGE_ORGANISATIONS)
def organisation_create(request: HttpRequest) -> HttpResponse:
    partnership, user = _ctx(request)
    form = OrganisationForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        org = services.organisation_create(partnership=partnership, by=user, **form.cleaned_data)
        messages.success(request, _("%(name)s added") % {"name": org.name})
        return redirect("core:organisation-detail", organisation_id=org.pk)
    return render(request, "core/organisation_form.html", {"form": form, "organisation": None})


@requires(Capability.MANAGE_ORGANISATIONS)
def organisation_edit(request: HttpRequest, organisation_id: int) -> HttpResponse:
    partnership, user = _ctx(request)
    org = selectors.organisation_get(partnership=partnership, organisation_id=organisation_id)
    initial = {"name": org.name, "sector": org.sector}
    form = OrganisationForm(
        request.POST or None, partnership=partnership, instance=org, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        services.organisation_update(organisation=org, by=user, **form.cleaned_data)
        messages.success(request, _("Changes saved"))
        return redirect("core:organisation-detail", organisation_id=org.pk)
    return render(request, "core/organisation_form.html", {"form": form, "organisation": org})


@requires(Capability.MANAGE_ORGANISATIONS)
def organisation_delete(request: HttpRequest, organisation_id: int) -> HttpResponse:
    partnership, user = _ctx(request)
    org = selectors.organisation_get(partnership=partnership, organisation_id=organisation_id)
    error = None
    if request.method == "POST":
        try:
            services.organisation_delete(organisation=org, by=user)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("%(name)s removed") % {"name": org.name})
            return redirect("core:organisation-list")
    return render(
        request,
        "core/organisation_delete.html",
        {"organisation": org, "error": error},
        status=400 if error else 200,
    )
