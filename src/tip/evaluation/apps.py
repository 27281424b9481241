from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    """Evaluation: instruments (questionnaires, feedback surveys, observation forms) as data
    files with a schema, and their scoring. Later: survey waves, answers and analysis.

    May import `core`, `programmes` and `training`; none of them imports `evaluation`."""

    name = "tip.evaluation"
    label = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self) -> None:
        from django.core import checks

        from tip.evaluation.system_checks import instrument_files

        checks.register(instrument_files)
