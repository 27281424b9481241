from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def tip(request: HttpRequest) -> dict[str, Any]:
    return {
        "tip_demo": settings.TIP_DEMO,
        "current_membership": getattr(request, "membership", None),
        "current_partnership": getattr(request, "partnership", None),
        "current_capabilities": getattr(request, "capabilities", frozenset()),
    }
