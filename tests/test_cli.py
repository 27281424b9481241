"""The `tip` command line."""

from __future__ import annotations

import subprocess
import sys


def test_tip_help_lists_the_commands_people_need() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tip.cli", "--help"], capture_output=True, text=True, check=True
    )
    for command in ["serve", "seed-demo", "migrate", "demo-totp", "createsuperuser"]:
        assert command in result.stdout


def test_hyphenated_names_reach_django_commands() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tip.cli", "seed-demo", "--help"],
        capture_output=True,
        text=True,
        check=True,
        env={"DJANGO_SETTINGS_MODULE": "tip.settings.test", "PATH": ""},
    )
    assert "Northshire" in result.stdout
