"""Django system checks: the data files people edit (outcomes library, components, readiness
rules) load cleanly, so a mistake shows at `tip check` and start-up, not on a page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.checks import CheckMessage, Error


def data_files(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from tip.programmes.components import load_components
    from tip.programmes.outcome_library import load_outcomes
    from tip.programmes.readiness_rules import load_rules

    errors: list[CheckMessage] = []
    loaders: list[tuple[str, Callable[[], object]]] = [
        ("programmes.E001", load_outcomes),
        ("programmes.E002", load_components),
        ("programmes.E003", load_rules),
    ]
    for check_id, load in loaders:
        try:
            load()
        except Exception as exc:  # each loader raises its own error type naming the entry
            errors.append(Error(str(exc), id=check_id))
    return errors
