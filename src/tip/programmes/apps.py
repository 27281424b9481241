from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "tip.programmes"
    label = "programmes"
    verbose_name = _("Programme design")

    def ready(self) -> None:
        from tip.core.extensions import Section, register_demo_seeder, register_section
        from tip.core.roles import ALL_ROLES, Role, register_capability
        from tip.programmes.roles import (
            ASSESS_ORGANISATIONS,
            MANAGE_PROGRAMMES,
            VIEW_PROGRAMMES,
        )

        register_capability(VIEW_PROGRAMMES, ALL_ROLES, _("See the partnership's programmes"))
        register_capability(
            MANAGE_PROGRAMMES,
            frozenset({Role.PARTNERSHIP_ADMIN, Role.PROGRAMME_LEAD, Role.EVALUATOR}),
            _("Design programmes and their Theory of Change"),
        )
        register_capability(
            ASSESS_ORGANISATIONS,
            frozenset({Role.PARTNERSHIP_ADMIN, Role.PROGRAMME_LEAD, Role.CHAMPION, Role.EVALUATOR}),
            _("Record organisations' self-assessments"),
        )
        register_section(
            Section(
                "programmes:programme-list",
                _("Programmes"),
                _("Theories of Change, evidence and evaluation questions."),
                VIEW_PROGRAMMES,
                10,
            )
        )
        register_section(
            Section(
                "programmes:assessment-overview",
                _("Organisational self-assessment"),
                _("How each partner organisation rates itself on trauma-informed practice."),
                VIEW_PROGRAMMES,
                11,
                in_navigation=False,
            )
        )
        import tip.programmes.api_readiness  # noqa: F401  (adds its routes to the router)
        from tip.core.api import register_router
        from tip.programmes import api_toc  # noqa: F401  (adds its routes to the router)
        from tip.programmes.api import router

        register_router("/programmes", router)
        from tip.programmes.api_assessment import router as assessment_router

        register_router("/self-assessments", assessment_router)
        from tip.programmes.demo import seed_demo_programme

        register_demo_seeder(seed_demo_programme)
        from tip.programmes.demo_assessment import seed_demo_self_assessment

        register_demo_seeder(seed_demo_self_assessment)
        from tip.programmes.demo_readiness import seed_demo_readiness

        register_demo_seeder(seed_demo_readiness)
        from tip.programmes.readiness import register_fact_provider
        from tip.programmes.readiness_facts import PROVIDERS

        for provider in PROVIDERS:
            register_fact_provider(provider)
        from django.core import checks

        from tip.programmes.system_checks import data_files

        checks.register(data_files)
