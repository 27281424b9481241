from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    """Training delivery: providers, trainers and their clearances, courses and their versions.

    Depends on `core` and `programmes` only; `evaluation` builds on it, never the reverse."""

    name = "tip.training"
    label = "training"
    verbose_name = _("Training delivery")

    def ready(self) -> None:
        from tip.core.extensions import Section, register_section
        from tip.core.roles import ALL_ROLES, Role, register_capability
        from tip.training.roles import MANAGE_TRAINING, VIEW_TRAINER_RECORDS, VIEW_TRAINING

        register_capability(
            VIEW_TRAINING, ALL_ROLES, _("See the partnership's training providers and courses")
        )
        register_capability(
            MANAGE_TRAINING,
            frozenset({Role.PARTNERSHIP_ADMIN, Role.PROGRAMME_LEAD}),
            _("Manage training providers, trainers, clearances and courses"),
        )
        register_capability(
            VIEW_TRAINER_RECORDS,
            frozenset({Role.PARTNERSHIP_ADMIN, Role.PROGRAMME_LEAD}),
            _("See trainers' assessments and clearances"),
        )
        register_section(
            Section(
                "training:index",
                _("Training"),
                _("Providers, trainers and their clearances, and courses."),
                VIEW_TRAINING,
                15,
            )
        )
        from tip.training.apps_providers import providers_ready

        providers_ready()  # before the router is registered: it adds operations to it
        import tip.training.api_bookings
        import tip.training.api_cascade
        import tip.training.api_courses
        import tip.training.api_dashboard
        import tip.training.api_followups
        import tip.training.api_sessions
        import tip.training.api_targets  # noqa: F401
        from tip.core.api import register_router
        from tip.training import api_attendance  # noqa: F401  (adds its routes)
        from tip.training.api import router

        register_router("/training", router)
        from tip.training.apps_courses import courses_ready

        courses_ready()
        from tip.training.apps_sessions import sessions_ready

        sessions_ready()  # before bookings: their demo books onto these sessions
        from tip.training.apps_bookings import bookings_ready

        bookings_ready()
        from tip.training.apps_attendance import attendance_ready

        attendance_ready()
        from tip.training.apps_cascade import cascade_ready

        cascade_ready()
        from tip.training.apps_followups import followups_ready

        followups_ready()  # after attendance: its demo follows up the demo's registers
        from tip.training.apps_dashboard import dashboard_ready

        dashboard_ready()  # last: its demo sets targets for the people the others' demos train
