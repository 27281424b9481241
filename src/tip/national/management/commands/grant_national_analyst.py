"""Let a person see the national view of pooled aggregates: `tip grant-national-analyst EMAIL`.
Their account must exist and belong to no partnership."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tip.national.services import GrantRefused, grant_national_analyst


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--note", default="", help="Why they have access (kept with it).")

    def handle(self, *args: Any, email: str, note: str, **options: Any) -> None:
        try:
            analyst = grant_national_analyst(email=email, note=note)
        except GrantRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{analyst.user.email} is a national analyst: they sign in, confirm with a second "
            "factor and see /national/."
        )
