"""The language each person reads TIP in: the one they chose, else the service's default.

Every email to a person is written in their language, whatever caused it (a lead booking them a
place, a sweep at night), so each is composed inside `in_language_of(recipient)`. An email to an
address without an account (a password-reset request) is written in the language of the request
that caused it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import translation

if TYPE_CHECKING:
    from tip.core.models import User


def offered_languages() -> list[str]:
    """The codes of the languages the service is written in: "en", "cy"."""
    return [code for code, _name in settings.LANGUAGES]


def language_choices() -> list[tuple[str, str]]:
    """Each language by its own name ("English", "Cymraeg"), whatever the page's language."""
    return [
        (code, str(translation.get_language_info(code)["name_local"]))
        for code in offered_languages()
    ]


def default_language() -> str:
    """The language of someone who has not chosen one: LANGUAGE_CODE's base language."""
    return settings.LANGUAGE_CODE.split("-")[0]


def language_for(user: User | None) -> str:
    """The language to write to `user` in: theirs if they chose one TIP still offers."""
    chosen = getattr(user, "language", "") or ""
    return chosen if chosen in offered_languages() else default_language()


def in_language_of(user: User | None) -> translation.override:
    """`with in_language_of(person):` compose what they will read (subject, body, calendar)."""
    return translation.override(language_for(user))
