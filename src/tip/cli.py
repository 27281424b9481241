"""The `tip` command: Django's management commands, with TIP's own listed first."""

from __future__ import annotations

import os
import sys

TIP_COMMANDS = {
    "serve": "Run the web server and the background worker together (Ctrl+C stops both).",
    "seed-demo": "Create or refresh the fictional demo partnerships and their sign-ins.",
    "compile-translations": "Build the Welsh translation files the site reads.",
    "demo-totp": "Print the current two-factor code of a demo account (demo only).",
    "migrate": "Create or update the database tables.",
    "createsuperuser": "Create a platform operator account for the Django admin.",
    "db_worker": "Run the background worker on its own.",
    "check": "Check the configuration (add --deploy under production settings).",
    "booking-sweep": "Training bookings: offers, re-confirmations, reminders (run from a timer).",
    "purge-check-ins": "Delete private check-in requests past their time (run daily).",
    "follow-up-sweep": "Send follow-up invitations that are due (run daily from a timer).",
    "evaluation-retention": "Delete evaluation identifiers and free text past their time (daily).",
    "validate-instrument": "Check evaluation instrument files (YAML or JSON); lists every problem.",
    "evaluation-sweep": "Send, remind and close evaluation survey invitations (run from a timer).",
    "grant-national-analyst": "Let a person (EMAIL) see the national view of shared aggregates.",
    "evaluate": "Analyse your own CSV files: prepost, match, did, reliability (--json).",
    "language": "Check notes for trauma-informed wording: `tip language check [FILE ...]`.",
}


def _help() -> str:
    lines = [
        "usage: tip COMMAND [options]",
        "",
        "TIP, the trauma-informed practice platform.",
        "",
        "Commands:",
    ]
    lines += [f"  {name:<22}{text}" for name, text in TIP_COMMANDS.items()]
    lines += [
        "",
        "Every other Django management command works too: `tip help` lists them all.",
        "Settings: DJANGO_SETTINGS_MODULE (default tip.settings.dev); DATABASE_URL for PostgreSQL.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tip.settings.dev")
    if len(args) < 2 or args[1] in {"-h", "--help"}:
        print(_help())
        return
    # `tip seed-demo` and `tip seed_demo` are the same command.
    args[1] = args[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
