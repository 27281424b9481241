"""`tip language check [FILE ...]`: the trauma-informed language checker on the command line."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tip.language import cli_check


class Command(BaseCommand):
    help = "Trauma-informed language: `tip language check [FILE ...]` checks notes for wording."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        checker = actions.add_parser(
            "check",
            help="Check files, folders or standard input; exit 1 on findings, 2 on bad usage.",
        )
        cli_check.add_arguments(checker)

    def handle(self, *args: Any, **options: Any) -> None:
        import argparse

        namespace = argparse.Namespace(**options)
        code = cli_check.run(namespace, sys.stdin.buffer, self.stdout, self.stderr)
        if code:
            sys.exit(code)
