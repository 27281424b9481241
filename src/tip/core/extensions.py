"""Extension points through which later apps join core's pages without core importing them.

An app registers its sections in its AppConfig.ready(): each section appears in the service
navigation and on the dashboard for people whose roles hold its capability.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    url_name: str
    title: str | Promise
    description: str | Promise
    capability: str
    order: int
    in_navigation: bool = True


_SECTIONS: dict[str, Section] = {}


def register_section(section: Section) -> None:
    _SECTIONS[section.url_name] = section


def sections() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda s: s.order)


register_section(
    Section("core:dashboard", _("Dashboard"), "", "view_dashboard", 0, in_navigation=True)
)
register_section(
    Section(
        "core:organisation-list",
        _("Organisations"),
        _("The partner agencies."),
        "view_organisations",
        20,
    )
)
register_section(
    Section("core:person-list", _("People"), _("Who is in the partnership."), "view_people", 30)
)
register_section(
    Section(
        "core:audit-log",
        _("Audit log"),
        _("Who saw and changed what, and when."),
        "view_audit",
        90,
    )
)


# Demo data: later apps add their part of the fictional demo; `tip seed-demo` runs each after
# core has built the partnerships and people. Each seeder must be idempotent.
_DEMO_SEEDERS: list[Callable[[], str]] = []


def register_demo_seeder(seeder: Callable[[], str]) -> None:
    """`seeder()` builds its demo records if missing and returns one line saying what it did."""
    if seeder not in _DEMO_SEEDERS:
        _DEMO_SEEDERS.append(seeder)


def demo_seeders() -> list[Callable[[], str]]:
    return list(_DEMO_SEEDERS)


# Where someone who belongs to no partnership goes instead of the dashboard: a later app (the
# national view, for national analysts) registers a function that returns its page's address for
# the people it serves, or None.
_HOMES: list[Callable[[object], str | None]] = []


def register_home(home: Callable[[object], str | None]) -> None:
    if home not in _HOMES:
        _HOMES.append(home)


def home_for(user: object) -> str | None:
    for home in _HOMES:
        found = home(user)
        if found:
            return found
    return None


# Hints on what people write: a later app (the language checker) registers how to check a text.
# Core marks every free-text field its {% field %} tag draws on a signed-in page, shows the hints
# under a re-rendered field, keeps them after a save for the next page's banner, and lets the
# page's script ask for hints as the person types. Core never imports that app.


@dataclass(frozen=True)
class TextHints:
    """`check(request, text)` returns the findings for `text` as dicts with at least `start`,
    `end`, `text` (the matched words), `rule`, `explanation`, `suggestions` and `quoted`;
    `request` is None when a field is drawn outside a request. `live_url(request)` is the address
    the page's script posts text to for hints as the person types, and `feedback_url(request)`
    the one that takes a "not relevant here" (rule, where, next); each is "" when the person
    may not use it."""

    check: Callable[[Any, str], list[dict[str, Any]]]
    live_url: Callable[[Any], str]
    feedback_url: Callable[[Any], str]


# A text area whose widget has this attribute is not checked: for text that is not prose about
# people, such as the phrases of a language rule, where the flagged words are meant.
TEXT_HINTS_OFF = "data-tip-no-hints"

_TEXT_HINTS: list[TextHints] = []


def register_text_hints(hints: TextHints) -> None:
    _TEXT_HINTS[:] = [hints]


def unregister_text_hints() -> None:
    """For tests: back to no hints."""
    _TEXT_HINTS.clear()


def text_hints() -> TextHints | None:
    return _TEXT_HINTS[0] if _TEXT_HINTS else None
