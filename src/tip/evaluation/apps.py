from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    """Evaluation: instruments (questionnaires, feedback surveys, observation forms) as data
    files with a schema, and their scoring; each programme's evaluation plan (waves, and the
    instruments used at each, linked to its Theory of Change). Later: answers and analysis.

    May import `core`, `programmes` and `training`; none of them imports `evaluation`."""

    name = "tip.evaluation"
    label = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self) -> None:
        from django.core import checks

        import tip.evaluation.api_instruments  # its operations join the router
        import tip.evaluation.api_responses  # noqa: F401  (its operations join the router)
        from tip.core.api import register_router
        from tip.core.extensions import Section, register_demo_seeder, register_section
        from tip.core.roles import Role, register_capability
        from tip.evaluation import api_observations  # noqa: F401  (its operations join the router)
        from tip.evaluation.api import router
        from tip.evaluation.api_invitations import router as invitations_router
        from tip.evaluation.api_reports import router as reports_router
        from tip.evaluation.demo_coding import seed_demo_coding
        from tip.evaluation.demo_collection import seed_demo_collection, seed_demo_survey_link
        from tip.evaluation.demo_plan import seed_demo_plan
        from tip.evaluation.readiness_plan import plan_facts
        from tip.evaluation.roles import CODE_QUALITATIVE, PLAN_EVALUATIONS, VIEW_EVALUATION_REPORTS
        from tip.evaluation.selectors import outcome_measures
        from tip.evaluation.system_checks import instrument_files
        from tip.programmes.outcome_measures import register_outcome_measures
        from tip.programmes.readiness import register_fact_provider

        checks.register(instrument_files)
        register_capability(
            PLAN_EVALUATIONS,
            frozenset({Role.PARTNERSHIP_ADMIN, Role.PROGRAMME_LEAD, Role.EVALUATOR}),
            _("Plan programmes' evaluations: waves, instruments and the outcomes they measure"),
        )
        register_capability(
            VIEW_EVALUATION_REPORTS,
            frozenset({Role.PARTNERSHIP_ADMIN, Role.PROGRAMME_LEAD, Role.EVALUATOR, Role.AUDITOR}),
            _("See evaluation reports: aggregate results of sessions, courses and programmes"),
        )
        register_capability(
            CODE_QUALITATIVE,
            frozenset({Role.PARTNERSHIP_ADMIN, Role.PROGRAMME_LEAD, Role.EVALUATOR}),
            _("Code free-text answers and observation notes, and export anonymised quotes"),
        )
        register_section(
            Section(
                "evaluation:index",
                _("Evaluation"),
                _("Each programme's evaluation plan: when it measures, with which instruments."),
                PLAN_EVALUATIONS,
                18,
            )
        )
        register_router("/evaluation", router)
        register_router("/evaluation", invitations_router)
        register_router("/evaluation", reports_router)
        register_fact_provider(plan_facts)
        register_outcome_measures(outcome_measures)
        register_demo_seeder(seed_demo_plan)
        register_demo_seeder(seed_demo_collection)
        register_demo_seeder(seed_demo_coding)
        register_demo_seeder(seed_demo_survey_link)
