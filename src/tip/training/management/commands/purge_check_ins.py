"""`tip purge-check-ins`: delete the private check-in requests whose time is up. The task queue
does this on time; this command is the safety net (run it daily from a timer). Idempotent."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Delete private check-in requests kept past their session's retention period."

    def handle(self, *args: Any, **options: Any) -> None:
        from tip.training.services_bookings import purge_check_in_requests

        count = purge_check_in_requests()
        self.stdout.write(f"Deleted {count} check-in request(s) past their time.")
