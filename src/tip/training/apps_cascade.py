"""What the train-the-trainer cascade adds at start-up, called from TrainingConfig.ready(): its
capability, the listener on new course versions, the readiness fact, the demo seeder and the
check of the observation form's data file. (Its API operations are imported by apps.py before
the training router is registered.)"""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error


def cascade_ready() -> None:
    from django.core import checks
    from django.utils.translation import gettext_lazy as _

    from tip.core.extensions import register_demo_seeder
    from tip.core.roles import Role, register_capability
    from tip.programmes.readiness import register_fact_provider
    from tip.training.demo_cascade import seed_demo_cascade
    from tip.training.readiness_cascade import cascade_facts
    from tip.training.roles_cascade import SEE_OWN_CASCADE
    from tip.training.services_cascade import version_created
    from tip.training.services_courses import register_version_listener

    register_capability(
        SEE_OWN_CASCADE,
        frozenset({Role.TRAINER}),
        _("See your own train-the-trainer status and acknowledge new course versions"),
    )
    register_version_listener(version_created)
    register_fact_provider(cascade_facts)
    register_demo_seeder(seed_demo_cascade)
    checks.register(qa_criteria_file)


def qa_criteria_file(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The observation form's criteria load cleanly, so a mistake shows at `tip check`."""
    from tip.training.qa_criteria import load_qa_criteria

    try:
        load_qa_criteria()
    except Exception as exc:  # DataFileError names the faulty entry
        return [Error(str(exc), id="training.E103")]
    return []
