"""`tip validate-instrument PATH...`: check evaluation instrument files (YAML or JSON) and print
every problem with its path, or OK. Exits with status 1 when any file has a problem. A PATH may
be a folder (every .yaml, .yml and .json file in it); without any, the instruments shipped with
TIP are checked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tip.evaluation.instrument_library import InstrumentCheck, check_shipped, instrument_files
from tip.evaluation.instruments import InstrumentError, load_instrument


class Command(BaseCommand):
    help = (
        "Check evaluation instrument files (YAML or JSON) and list every problem with its path. "
        "Without a PATH, checks the instruments shipped with TIP."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "paths",
            nargs="*",
            metavar="PATH",
            help="an instrument file, or a folder of them",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        paths: list[str] = options["paths"]
        results = {str(path): _check(path) for path in _expand(paths)} if paths else check_shipped()
        failed = 0
        for name, result in results.items():
            instrument = result.instrument
            if result.ok and instrument is not None:
                self.stdout.write(
                    f"{name}: OK ({instrument.id}, version {instrument.version}, "
                    f"{len(instrument.items)} items)"
                )
                continue
            failed += 1
            count = len(result.problems)
            self.stdout.write(f"{name}: {count} problem{'' if count == 1 else 's'}")
            for problem in result.problems:
                self.stdout.write(f"  {problem}")
        if not results:
            raise CommandError("No instrument files found (.yaml, .yml or .json).")
        if failed:
            raise CommandError(
                f"{failed} of {len(results)} instrument file{'' if len(results) == 1 else 's'} "
                f"{'has' if failed == 1 else 'have'} problems."
            )


def _expand(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        files += instrument_files(path) if path.is_dir() else [path]
    return files


def _check(path: Path) -> InstrumentCheck:
    try:
        return InstrumentCheck(load_instrument(path))
    except InstrumentError as exc:
        return InstrumentCheck(None, exc.problems)
