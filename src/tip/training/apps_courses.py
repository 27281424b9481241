"""The courses part of TrainingConfig.ready(): what it registers with other apps' extension
points (the readiness check's facts, the demo) and its system check."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error


def courses_ready() -> None:
    from django.core import checks

    from tip.core.extensions import register_demo_seeder
    from tip.programmes.readiness import register_fact_provider
    from tip.training.demo_courses import seed_demo_courses
    from tip.training.readiness_courses import course_facts

    register_fact_provider(course_facts)
    register_demo_seeder(seed_demo_courses)
    checks.register(topics_file)


def topics_file(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The topics file people edit loads cleanly, so a mistake shows at `tip check`."""
    from tip.training.topic_library import load_topics

    try:
        load_topics()
    except Exception as exc:  # TopicsError names the faulty entry
        return [Error(str(exc), id="training.E101")]
    return []
