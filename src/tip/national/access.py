"""The national analysts' pages: open only to a signed-in person with an active
``NationalAnalyst`` record, past two-factor, who belongs to no partnership.

Their pages carry the same ``tip_access`` mark as every page (the route tests read it), with
the capability ``VIEW_NATIONAL``, which no partnership role holds: every member of a
partnership is refused them (403), as a national analyst is refused every partnership page (they
have no membership, and ``tenancy.requires`` refuses anyone without one)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.http import urlencode

from tip.national.models import NationalAnalyst
from tip.national.roles import VIEW_NATIONAL

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponseBase])


def is_national_analyst(user: Any) -> bool:
    """An active national analyst who belongs to no partnership."""
    if not getattr(user, "is_authenticated", False):
        return False
    return NationalAnalyst.objects.filter(
        user=user, active=True, user__memberships__isnull=True
    ).exists()


def national_analyst_required(view: ViewFunc) -> ViewFunc:
    """Allow the view to national analysts only (see the module's docstring)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if getattr(request, "membership", None) is not None or not is_national_analyst(
            request.user
        ):
            raise PermissionDenied("Only national analysts may see the national view.")
        if not cast(Any, request.user).is_verified():
            # National analysts confirm sign-in with a second factor, as operators do.
            return HttpResponseRedirect(
                reverse("core:two-factor") + "?" + urlencode({"next": request.get_full_path()})
            )
        return view(request, *args, **kwargs)

    cast(Any, wrapped).tip_access = {
        "public": False,
        "capability": VIEW_NATIONAL,
        "personal_data": None,
    }
    return cast(ViewFunc, wrapped)


def national_home(user: Any) -> str | None:
    """Where a national analyst lands after signing in (core's dashboard sends them here)."""
    return reverse("national:index") if is_national_analyst(user) else None
