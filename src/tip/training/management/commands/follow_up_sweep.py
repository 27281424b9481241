"""`tip follow-up-sweep`: send every follow-up invitation, and every reminder before one, that is
due and not sent yet. The task queue sends each on its day; this command is the safety net (run
it daily, or more often, from a timer). Idempotent."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Send the follow-up invitations and reminders that are due and not sent yet."

    def handle(self, *args: Any, **options: Any) -> None:
        from tip.training.services_followups import sweep

        totals = sweep()
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in totals.items()))
