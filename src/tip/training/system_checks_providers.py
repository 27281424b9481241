"""Django system check: the trainer questions and clearance types files load cleanly, so a
mistake shows at `tip check` and start-up, not on a page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.checks import CheckMessage, Error


def provider_data_files(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from tip.training.clearance_types import load_clearance_types
    from tip.training.trainer_questions import load_questions

    errors: list[CheckMessage] = []
    loaders: list[tuple[str, Callable[[], object]]] = [
        ("training.E101", load_questions),
        ("training.E102", load_clearance_types),
    ]
    for check_id, load in loaders:
        try:
            load()
        except Exception as exc:  # each loader raises DataFileError naming the entry
            errors.append(Error(str(exc), id=check_id))
    return errors
