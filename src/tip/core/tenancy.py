"""The current partnership of a request, and the access rules views declare.

A person may belong to several partnerships; the one they are working in is kept in the session
and checked against their memberships on every request. Views never read a partnership from the
URL: they read `request.partnership`, and selectors scope every query to it (docs/adr/0002).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from tip.core.models import Membership, Partnership
from tip.core.roles import capabilities_of

SESSION_KEY = "tip_partnership_id"

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponseBase])


class TipRequest(HttpRequest):
    """For type checkers: what the tenancy middleware adds to a request."""

    membership: Membership | None
    memberships: list[Membership]
    partnership: Partnership | None
    roles: frozenset[str]
    capabilities: frozenset[str]


def bind_membership(request: HttpRequest, memberships: list[Membership]) -> None:
    """Choose the request's membership: the one kept in the session, else the oldest."""
    wanted = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    current = next((m for m in memberships if m.partnership_id == wanted), None)
    if current is None and memberships:
        # Until they choose, a person works in the partnership they joined first: their home.
        current = min(memberships, key=lambda m: m.pk)
    req = cast(Any, request)
    req.memberships = memberships
    req.membership = current
    req.partnership = current.partnership if current else None
    req.roles = current.role_codes if current else frozenset()
    req.capabilities = capabilities_of(req.roles)


def switch_partnership(request: HttpRequest, partnership_id: int) -> bool:
    memberships = cast(Any, request).memberships
    if not any(m.partnership_id == partnership_id for m in memberships):
        return False
    request.session[SESSION_KEY] = partnership_id
    bind_membership(request, memberships)
    return True


def public(view: ViewFunc) -> ViewFunc:
    """Mark a view as open to anyone, signed in or not. The route test reads this mark."""
    cast(Any, view).tip_access = {"public": True, "capability": None, "personal_data": None}
    return view


def requires(
    capability: str | None, *, personal_data: str | None = None
) -> Callable[[ViewFunc], ViewFunc]:
    """Allow a view to people signed in to a partnership whose roles hold `capability`.

    `capability=None` lets any member in (their own account pages). `personal_data` names the
    purpose the view records when it shows another person's details; the route tests check that
    such views write an audit entry.
    """

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            req = cast(TipRequest, request)
            if req.membership is None:
                raise PermissionDenied("You are not a member of a partnership.")
            if capability is not None and capability not in req.capabilities:
                raise PermissionDenied("Your roles do not include this.")
            return view(request, *args, **kwargs)

        cast(Any, wrapped).tip_access = {
            "public": False,
            "capability": capability,
            "personal_data": personal_data,
        }
        return cast(ViewFunc, wrapped)

    return decorator
