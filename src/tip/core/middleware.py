"""Request middleware: the current partnership, and two-factor sign-in where roles need it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from tip.core import selectors
from tip.core.roles import needs_two_factor
from tip.core.tenancy import bind_membership

# Paths a person who still owes a second factor may reach: signing in, two-factor set-up,
# signing out, the public information pages and the assets.
_OPEN_PREFIXES = (
    "/accounts/",
    "/static/",
    "/i18n/",
    "/accessibility/",
    "/privacy/",
    "/cookies/",
    "/api/",
)


def _is_public(path: str) -> bool:
    """Whether the path's view is open to anyone (tenancy.public: a certificate check, a survey
    reached by its personal link): owing a second factor must not shut a person out of what
    they could open signed out."""
    try:
        match = resolve(path)
    except Resolver404:
        return False
    access = getattr(match.func, "tip_access", None)
    return bool(access and access.get("public"))


class TenancyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        memberships = (
            list(selectors.memberships_of_user(user=user)) if user.is_authenticated else []
        )
        bind_membership(request, memberships)
        pending = user.is_authenticated and not self._second_factor_done(request, memberships)
        # Templates hide the navigation until the second factor is done.
        cast(Any, request).second_factor_pending = pending
        if pending:
            path = request.path
            if path != "/" and not path.startswith(_OPEN_PREFIXES) and not _is_public(path):
                # Encoded, so a query string in the page's address survives the detour.
                return HttpResponseRedirect(
                    reverse("core:two-factor") + "?" + urlencode({"next": request.get_full_path()})
                )
        return self.get_response(request)

    @staticmethod
    def _second_factor_done(request: HttpRequest, memberships: list[Any]) -> bool:
        user = cast(Any, request.user)
        roles: set[str] = set()
        for m in memberships:
            roles |= m.role_codes
        if not (needs_two_factor(roles) or user.is_staff):
            return True
        return bool(user.is_verified())


class ApiMethodNotAllowedMiddleware:
    """The API answers in JSON even when a route does not take the method sent (django-ninja
    answers that case in plain text)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 405
            and request.path.startswith("/api/")
            and "json" not in response.get("Content-Type", "")
        ):
            allowed = response.get("Allow", "")
            detail = _("This address does not take %(method)s. Use %(allowed)s.") % {
                "method": request.method,
                "allowed": allowed,
            }
            json_response = JsonResponse({"detail": detail, "errors": []}, status=405)
            json_response["Allow"] = allowed
            return json_response
        return response
