"""`tip evaluation-sweep`: bring every evaluation plan's respondents and survey invitations up to
date with its bookings, cohorts and waves, then send the invitations and reminders that are due
and close those past their closing. The task queue sends each at its moment; this command is
the safety net (run it daily, or more often, from a timer). Idempotent."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Evaluation surveys: create, send, remind and close invitations that are due."

    def handle(self, *args: Any, **options: Any) -> None:
        from tip.evaluation.services_invitations import sweep

        totals = sweep()
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in totals.items()))
