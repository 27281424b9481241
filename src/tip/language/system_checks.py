"""Django system check: the language rule files shipped with TIP load cleanly, so a mistake shows
at `tip check` and start-up, naming the file, the rule and the field, not on the first check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.checks import CheckMessage, Error

from tip.language.checker import LANGUAGES, RuleFileError, load_rules
from tip.language.checker.rules import DATA

RULES_DIR = DATA / "rules"


def rule_files(
    app_configs: Any = None, directory: Path | None = None, **kwargs: Any
) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    folder = directory or RULES_DIR
    for language in LANGUAGES:
        path = folder / f"{language}.yaml"
        if not path.exists():
            continue
        try:
            rules = load_rules(path)
        except RuleFileError as error:
            lines = [f"The language rule file {path.name} cannot be used:"]
            lines += [f"  {problem}" for problem in error.errors]
            errors.append(
                Error(
                    "\n".join(lines),
                    hint=f"Mend the file, then run `tip language check --language {language}`.",
                    id="language.E001",
                )
            )
            continue
        if rules.language != language:
            errors.append(
                Error(
                    f"The language rule file {path.name} says it is for '{rules.language}'.",
                    hint=f"Set `language: {language}` at its top, or move it.",
                    id="language.E002",
                )
            )
    return errors
