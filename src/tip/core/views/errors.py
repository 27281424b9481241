"""Error pages that say what happened and what to do, in the service's own layout."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/errors/403.html", status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        # Scripts calling the API get JSON, like its routes answer, not an HTML page.
        from tip.core.api import route_not_found

        return route_not_found(request)
    return render(request, "core/errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without the request context: the failure may lie there.
    return render(None, "core/errors/500.html", status=500)
