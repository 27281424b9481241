"""`tip evaluation-retention`: delete or de-identify the survey identifiers and free text of
every respondent whose retention date has come, and observations' notes of every plan past its
own (tip.evaluation.retention). The ``evaluation_retention_sweep`` task does the same at each
respondent's date; run this daily from a timer as the safety net. Idempotent. ``--dry-run``
only reports what would change."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Delete or de-identify evaluation identifiers and free text past their retention."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would change; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from tip.evaluation.retention import retention_sweep

        totals = retention_sweep(dry_run=bool(options["dry_run"]))
        prefix = "Would change (dry run) " if options["dry_run"] else ""
        self.stdout.write(prefix + ", ".join(f"{k}: {v}" for k, v in totals.as_dict().items()))
