"""Request middleware: the current partnership, two-factor sign-in where roles need it, and the
hints kept after a save for the next page."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, cast

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from tip.core import selectors
from tip.core.extensions import text_hints
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


# --- Hints on free text ---------------------------------------------------------------------

logger = logging.getLogger(__name__)

# The {% field %} tag sends this hidden input with every free-text field it marks, valued
# "<field's name>|<its label>", so that the middleware knows which posted values are free text
# without any form class changing. Forms read only their own fields, so they never see it.
FREE_TEXT_FIELD = "_tip_free_text"
# The hints found in what was saved, kept in the session until the next page shows them.
TEXT_HINTS_SESSION_KEY = "tip_text_hints"
_MAX_FIELDS = 50
_MAX_KEPT = 20
_MAX_LABEL = 200
_MAX_SUGGESTIONS = 3
_REDIRECTS = frozenset({301, 302, 303, 307, 308})

_current_request: ContextVar[HttpRequest | None] = ContextVar("tip_current_request", default=None)


def current_request() -> HttpRequest | None:
    """The request being answered, for code that draws a field without the template's context
    (a form that renders its own fields)."""
    return _current_request.get()


def public_view(request: HttpRequest) -> bool:
    """Whether the request's view is open to anyone (a survey by its personal link, a
    certificate check): what people write there is not checked."""
    match = getattr(request, "resolver_match", None)
    access = getattr(match.func, "tip_access", None) if match is not None else None
    return bool(access and access.get("public"))


def kept_finding(finding: dict[str, Any]) -> dict[str, Any]:
    """What a finding keeps until the next page: the rule, where it is, the matched words and
    the rule's own explanation and suggestions; none of the rest of the person's text."""
    return {
        "rule": str(finding["rule"]),
        "start": int(finding["start"]),
        "end": int(finding["end"]),
        "text": str(finding["text"]),
        "explanation": str(finding.get("explanation") or ""),
        "suggestions": [str(s) for s in list(finding.get("suggestions") or [])[:_MAX_SUGGESTIONS]],
    }


class TextHintsMiddleware:
    """After a save (a POST answered by a redirect), check the free text that was sent and keep
    the hints for the next page's banner. The view has already answered: saving is never
    blocked or changed, and a fault in checking only loses the hints."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _current_request.reset(token)
        if request.method == "POST" and response.status_code in _REDIRECTS:
            try:
                self._keep_hints(request)
            except Exception:  # hints must never break a save
                logger.exception("Could not check the free text of a save")
        return response

    @staticmethod
    def _keep_hints(request: HttpRequest) -> None:
        hints = text_hints()
        if hints is None or not request.user.is_authenticated or request.path.startswith("/api/"):
            return
        if public_view(request) or getattr(request, "second_factor_pending", False):
            return
        declared = request.POST.getlist(FREE_TEXT_FIELD)[:_MAX_FIELDS]
        if not declared:
            return
        match = request.resolver_match
        where = match.view_name if match is not None else ""
        kept: list[dict[str, Any]] = []
        seen: set[str] = set()
        for item in declared:
            name, _sep, label = item.partition("|")
            if name in seen:
                continue
            seen.add(name)
            text = request.POST.get(name, "")
            if not text.strip():
                continue
            findings = [kept_finding(f) for f in hints.check(request, text) if not f.get("quoted")]
            if findings:
                kept.append({"label": label[:_MAX_LABEL], "where": where, "findings": findings})
        if kept:
            earlier = request.session.get(TEXT_HINTS_SESSION_KEY) or []
            request.session[TEXT_HINTS_SESSION_KEY] = (earlier + kept)[-_MAX_KEPT:]
