"""The training section's front page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tip.core.tenancy import requires
from tip.training.roles import VIEW_TRAINING


@require_GET
@requires(VIEW_TRAINING)
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "training/index.html", {})
