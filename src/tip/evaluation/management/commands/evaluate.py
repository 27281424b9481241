"""``tip evaluate``: TIP's analyses on an evaluator's own CSV files (docs/evaluation-analysis.md).

    tip evaluate prepost FILE --id COL --pre COL --post COL [--json]
    tip evaluate match FILE --treatment COL --outcome COL --covariates A,B,C [...] [--json]
    tip evaluate did FILE ... [--json]
    tip evaluate reliability FILE --instrument ID [--json]

Bad input ends with exit code 2 and one line saying what to fix, never a traceback.
"""

from __future__ import annotations

import importlib
import json
import sys
from typing import Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tip.evaluation.analysis.results import to_jsonable
from tip.evaluation.cli_evaluate.common import EXIT_BAD_INPUT, CliError, SubCommand

# The sub-commands, in the order `tip evaluate --help` lists them.
MODULES = ("prepost", "reliability", "match", "did")


def _subcommands() -> list[SubCommand]:
    found = []
    for name in MODULES:
        try:
            module = importlib.import_module(f"tip.evaluation.cli_evaluate.{name}")
        except ModuleNotFoundError as error:
            if error.name == f"tip.evaluation.cli_evaluate.{name}":
                continue  # not built yet
            raise
        found.append(cast(SubCommand, module))
    return found


class Command(BaseCommand):
    help = "Run TIP's evaluation analyses on your own CSV files (add --json for JSON output)."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="analysis", metavar="ANALYSIS", required=True)
        for sub in _subcommands():
            # argparse %-formats a sub-command's help ("95%" would break `--help`).
            child = commands.add_parser(
                sub.NAME, help=sub.HELP.replace("%", "%%"), description=sub.HELP
            )
            child.add_argument("file", metavar="FILE", help="A CSV file with a header row.")
            child.add_argument(
                "--json", action="store_true", help="Print the result as JSON on standard output."
            )
            sub.add_arguments(child)
            child.set_defaults(_sub=sub)

    def handle(self, *args: Any, **options: Any) -> None:
        sub = cast(SubCommand, options["_sub"])
        try:
            output = sub.run(options)
        except CliError as error:
            raise CommandError(str(error), returncode=EXIT_BAD_INPUT) from None
        if options["json"]:
            json.dump(to_jsonable(output.data), sys.stdout, indent=2, ensure_ascii=False)
            sys.stdout.write("\n")
        else:
            self.stdout.write(output.text)
