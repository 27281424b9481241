"""`tip booking-sweep`: everything bookings need done with time (expired offers move on,
re-confirmation asks and releases, reminders, signposting after sessions, check-in requests
deleted). The task queue runs it when each thing falls due; this command is the safety net
(run it every few minutes from a timer). Idempotent."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Move expired offers on, ask for and release re-confirmations, send reminders."

    def handle(self, *args: Any, **options: Any) -> None:
        from tip.training.services_bookings import sweep

        totals = sweep()
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in totals.items()))
