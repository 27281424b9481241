"""The bookings part of TrainingConfig.ready(): its capabilities, its demo data, and hearing of
session changes (to send calendar updates and cancellations)."""

from __future__ import annotations


def bookings_ready() -> None:
    from django.utils.translation import gettext_lazy as _

    from tip.core.extensions import register_demo_seeder
    from tip.core.roles import Role, register_capability
    from tip.training.demo_bookings import seed_demo_bookings
    from tip.training.roles_bookings import BOOK_FOR_STAFF, SEE_CHECK_IN_REQUESTS

    register_capability(
        BOOK_FOR_STAFF,
        frozenset({Role.PARTNERSHIP_ADMIN, Role.PROGRAMME_LEAD, Role.CHAMPION}),
        _("Book staff onto training sessions (champions: their own organisation's)"),
    )
    register_capability(
        SEE_CHECK_IN_REQUESTS,
        frozenset({Role.TRAINER}),
        _("See who asked to be checked in with, on the sessions you teach"),
    )
    register_demo_seeder(seed_demo_bookings)
    from tip.training.services_bookings import on_session_change
    from tip.training.services_sessions import register_session_listener

    register_session_listener(on_session_change)
