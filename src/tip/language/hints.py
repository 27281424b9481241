"""The language checker's hints wherever people write in TIP.

Core draws every free-text field on a signed-in page through its `field` tag, keeps the hints on
what a save sent for the next page's banner, and loads the script that asks for hints as the
person types (tip.core.extensions.TextHints). This module tells core how to check a text: TIP's
rules for the page's language with the partnership's own rules and allow-list. `register()` is
called from the app's ready().
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import get_language

from tip.core.extensions import TextHints, register_text_hints
from tip.language.roles import USE_LANGUAGE_CHECKER


def check(request: Any, text: str) -> list[dict[str, Any]]:
    """The findings for `text` written in the request's partnership (TIP's rules alone
    without one), as dicts. On a Welsh page both the Welsh and the English rules apply: people
    in Wales write notes in either language."""
    from tip.language import services

    partnership = getattr(request, "partnership", None)
    findings = services.findings_for_page(
        text, partnership=partnership, page_language=get_language() or "en"
    )
    return [f.to_dict() for f in findings]


def _may_use(request: Any) -> bool:
    return USE_LANGUAGE_CHECKER in getattr(request, "capabilities", frozenset())


def live_url(request: Any) -> str:
    return reverse("language:check-json") if _may_use(request) else ""


def feedback_url(request: Any) -> str:
    return reverse("language:feedback") if _may_use(request) else ""


def register() -> None:
    register_text_hints(TextHints(check=check, live_url=live_url, feedback_url=feedback_url))
