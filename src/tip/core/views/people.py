"""People in the partnership: list, view (audited), add, change roles, remove."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tip.core import purposes, selectors, services
from tip.core.audit import audit_view
from tip.core.forms import PersonAddForm, PersonEditForm
from tip.core.models import Partnership, User
from tip.core.roles import Capability
from tip.core.tenancy import TipRequest, requires


def _ctx(request: HttpRequest) -> tuple[Partnership, User]:
    req = cast(TipRequest, request)
    assert req.partnership is not None
    return req.partnership, cast(User, request.user)


@requires(Capability.VIEW_PEOPLE, personal_data="directory")
def person_list(request: HttpRequest) -> HttpResponse:
    partnership, user = _ctx(request)
    people = list(selectors.membership_list(partnership=partnership))
    audit_view(
        actor=user,
        obj=None,
        object_type="core.Membership",
        partnership=partnership,
        purpose=purposes.DIRECTORY_LIST,
    )
    return render(
        request,
        "core/person_list.html",
        {
            "people": people,
            "can_manage": Capability.MANAGE_PEOPLE in cast(TipRequest, request).capabilities,
        },
    )


@requires(Capability.VIEW_PEOPLE, personal_data="profile")
def person_detail(request: HttpRequest, membership_id: int) -> HttpResponse:
    partnership, user = _ctx(request)
    membership = selectors.membership_get(partnership=partnership, membership_id=membership_id)
    audit_view(
        actor=user, obj=membership, partnership=partnership, purpose=purposes.DIRECTORY_PROFILE
    )
    return render(
        request,
        "core/person_detail.html",
        {
            "person": membership,
            "can_manage": Capability.MANAGE_PEOPLE in cast(TipRequest, request).capabilities,
        },
    )


@requires(Capability.MANAGE_PEOPLE)
def person_add(request: HttpRequest) -> HttpResponse:
    partnership, user = _ctx(request)
    form = PersonAddForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_create(
                partnership=partnership, by=user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(name)s added") % {"name": membership.user.full_name})
            return redirect("core:person-detail", membership_id=membership.pk)
    return render(request, "core/person_form.html", {"form": form, "person": None})


@requires(Capability.MANAGE_PEOPLE, personal_data="profile")
def person_edit(request: HttpRequest, membership_id: int) -> HttpResponse:
    partnership, user = _ctx(request)
    membership = selectors.membership_get(partnership=partnership, membership_id=membership_id)
    initial = {
        "organisation": membership.organisation_id,
        "roles": sorted(membership.role_codes),
        "job_title": membership.job_title,
    }
    form = PersonEditForm(request.POST or None, partnership=partnership, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(membership=membership, by=user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Changes saved"))
            return redirect("core:person-detail", membership_id=membership.pk)
    else:
        audit_view(
            actor=user, obj=membership, partnership=partnership, purpose=purposes.DIRECTORY_PROFILE
        )
    return render(request, "core/person_form.html", {"form": form, "person": membership})


@requires(Capability.MANAGE_PEOPLE, personal_data="profile")
def person_remove(request: HttpRequest, membership_id: int) -> HttpResponse:
    partnership, user = _ctx(request)
    membership = selectors.membership_get(partnership=partnership, membership_id=membership_id)
    error = None
    if request.method == "POST":
        try:
            services.membership_remove(membership=membership, by=user)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(
                request,
                _("%(name)s removed from the partnership") % {"name": membership.user.full_name},
            )
            return redirect("core:person-list")
    else:
        audit_view(
            actor=user, obj=membership, partnership=partnership, purpose=purposes.DIRECTORY_PROFILE
        )
    return render(
        request,
        "core/person_remove.html",
        {"person": membership, "error": error},
        status=400 if error else 200,
    )
