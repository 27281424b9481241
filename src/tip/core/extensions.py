"""Extension points through which later apps join core's pages without core importing them.

An app registers its sections in its AppConfig.ready(): each section appears in the service
navigation and on the dashboard for people whose roles hold its capability.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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
