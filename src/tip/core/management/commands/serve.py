"""Run the web server and the background worker together; Ctrl+C stops both."""

from __future__ import annotations

import signal
import subprocess
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args: Any, bind: str, workers: int, **options: Any) -> None:
        python = sys.executable
        web = subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
            [
                python,
                "-m",
                "gunicorn",
                "tip.wsgi_dev:application",
                "--bind",
                bind,
                "--workers",
                str(workers),
                "--access-logfile",
                "-",
            ]
        )
        worker = subprocess.Popen(  # noqa: S603
            [python, "-m", "tip.cli", "db_worker", "--interval", "1"]
        )
        self.stdout.write(f"TIP is running at http://{bind}/ (Ctrl+C to stop).")
        try:
            while web.poll() is None and worker.poll() is None:
                try:
                    web.wait(timeout=1)
                except subprocess.TimeoutExpired:
                    continue
        except KeyboardInterrupt:
            pass
        finally:
            for proc in (web, worker):
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
            for proc in (web, worker):
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
