"""Start page, dashboard, partnership switching and the information pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tip.core import selectors
from tip.core.extensions import home_for, sections
from tip.core.forms import PartnershipSwitchForm
from tip.core.roles import Capability, capability_labels
from tip.core.tenancy import TipRequest, public, requires, switch_partnership


@public
def start(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:dashboard")
    return render(request, "core/start.html")


def _home_elsewhere(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Someone signed in who belongs to no partnership goes to the page a later app keeps for
    them (a national analyst to the national view), if any; otherwise the dashboard refuses
    them as before. Members are not affected (their membership is already known)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and cast(TipRequest, request).membership is None:
            home = home_for(request.user)
            if home:
                return HttpResponseRedirect(home)
        return view(request, *args, **kwargs)

    return wrapped


@_home_elsewhere
@requires(Capability.VIEW_DASHBOARD)
def dashboard(request: HttpRequest) -> HttpResponse:
    req = cast(TipRequest, request)
    assert req.partnership is not None
    counts = selectors.dashboard_counts(partnership=req.partnership)
    caps = req.capabilities
    links = [
        (reverse(section.url_name), section.title, section.description)
        for section in sections()
        if section.description and section.capability in caps
    ]
    links.append(
        (
            reverse("core:account-language"),
            _("Your account"),
            _("The language TIP shows its pages and writes its emails to you in."),
        )
    )
    links.append(
        (reverse("core:api-tokens"), _("API tokens"), _("Tokens for reaching TIP from scripts."))
    )
    return render(
        request,
        "core/dashboard.html",
        {
            "counts": counts,
            "links": links,
            "capability_labels": capability_labels(caps),
            "role_labels": [m.get_role_display() for m in req.membership.roles.all()]
            if req.membership
            else [],
            "switch_form": PartnershipSwitchForm(
                memberships=req.memberships, current=req.partnership.pk
            ),
        },
    )


@require_POST
@requires(None)
def partnership_switch(request: HttpRequest) -> HttpResponse:
    try:
        wanted = int(request.POST.get("partnership", ""))
    except ValueError:
        wanted = -1
    if not switch_partnership(request, wanted):
        # A partnership the person is not in is answered like one that does not exist.
        from django.http import Http404

        raise Http404
    return HttpResponseRedirect(reverse("core:dashboard"))


@public
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@public
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


@public
def cookies(request: HttpRequest) -> HttpResponse:
    return render(request, "core/cookies.html")


@public
def support(request: HttpRequest) -> HttpResponse:
    return render(request, "core/support.html", {"exit_this_page": True})
