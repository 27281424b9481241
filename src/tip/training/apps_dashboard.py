"""What the delivery dashboard adds at start-up, called from TrainingConfig.ready(): its
capability and the demo seeder. (Its API operation is imported by apps.py before the training
router is registered.)"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def dashboard_ready() -> None:
    from tip.core.extensions import register_demo_seeder
    from tip.core.roles import Role, register_capability
    from tip.training.demo_dashboard import seed_demo_dashboard
    from tip.training.roles_dashboard import VIEW_DELIVERY_DASHBOARD

    register_capability(
        VIEW_DELIVERY_DASHBOARD,
        frozenset({Role.PARTNERSHIP_ADMIN, Role.PROGRAMME_LEAD, Role.EVALUATOR}),
        _("See programmes' delivery dashboards: people trained against the plan, and risks"),
    )
    register_demo_seeder(seed_demo_dashboard)
