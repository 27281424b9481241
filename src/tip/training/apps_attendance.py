"""What registers, certificates and training records add at start-up, called from
TrainingConfig.ready(): their capabilities and the demo seeder. (Their API operations are
imported by apps.py before the training router is registered.)"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def attendance_ready() -> None:
    from tip.core.extensions import register_demo_seeder
    from tip.core.roles import Role, register_capability
    from tip.training.demo_attendance import seed_demo_attendance
    from tip.training.roles import TAKE_REGISTERS, VIEW_ATTENDANCE_RATES

    register_capability(
        TAKE_REGISTERS,
        frozenset({Role.PARTNERSHIP_ADMIN, Role.PROGRAMME_LEAD, Role.TRAINER}),
        _("Take the attendance registers of the sessions you teach"),
    )
    register_capability(
        VIEW_ATTENDANCE_RATES,
        frozenset({Role.PARTNERSHIP_ADMIN, Role.PROGRAMME_LEAD, Role.EVALUATOR}),
        _("See drop-out and no-show rates"),
    )
    register_demo_seeder(seed_demo_attendance)
