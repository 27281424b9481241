"""Django system checks: the instrument files shipped with TIP load cleanly, so a mistake shows
at `tip check` and start-up, naming the file and every problem, not on a survey page."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error


def instrument_files(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from tip.evaluation import instrument_library

    errors: list[CheckMessage] = []
    for name, result in instrument_library.check_shipped().items():
        if result.ok:
            continue
        lines = [f"The instrument file {name} cannot be used:"]
        lines += [f"  {problem}" for problem in result.problems]
        errors.append(
            Error(
                "\n".join(lines),
                hint=f"Run `tip validate-instrument {instrument_library.SHIPPED_DIR / name}`.",
                id="evaluation.E001",
            )
        )
    return errors
