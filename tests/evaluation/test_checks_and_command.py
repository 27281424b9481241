"""`tip check` names a broken shipped instrument; `tip validate-instrument` lists every problem
with its path, or OK, and exits with status 1 when a file has problems."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from tip.evaluation import instrument_library, system_checks
from tip.evaluation.instrument_library import SHIPPED_DIR


def broken_copy(folder: Path) -> Path:
    """The feedback survey with its first item's Welsh removed and an unknown key added."""
    data = yaml.safe_load((SHIPPED_DIR / "tip-feedback.yaml").read_text(encoding="utf-8"))
    del data["items"][0]["text"]["cy"]
    data["items"][2]["colour"] = "red"
    path = folder / "tip-feedback.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


# The system check ---------------------------------------------------------------------------


def test_the_shipped_instruments_pass_the_system_check() -> None:
    assert system_checks.instrument_files() == []


def test_a_broken_shipped_file_fails_the_system_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(SHIPPED_DIR / "tip-kac.yaml", tmp_path)
    broken_copy(tmp_path)
    monkeypatch.setattr(instrument_library, "SHIPPED_DIR", tmp_path)
    [error] = system_checks.instrument_files()
    assert error.id == "evaluation.E001"
    assert error.msg.splitlines() == [
        "The instrument file tip-feedback.yaml cannot be used:",
        "  items[0].text.cy: Welsh text is missing",
        "  items[2].colour: unknown key “colour”; the keys allowed here are: id, text, hint, "
        "scale, section, required, reverse, answer_key, anchors, covers",
    ]
    assert "validate-instrument" in (error.hint or "")


def test_a_shipped_file_must_be_named_after_its_id_and_ids_are_unique(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(SHIPPED_DIR / "tip-kac.yaml", tmp_path / "tip-kac.yaml")
    shutil.copy(SHIPPED_DIR / "tip-kac.yaml", tmp_path / "tip-knowledge.yaml")
    monkeypatch.setattr(instrument_library, "SHIPPED_DIR", tmp_path)
    [error] = system_checks.instrument_files()
    assert "tip-knowledge.yaml cannot be used" in error.msg
    assert "id: the file of the instrument “tip-kac” must be named tip-kac.yaml" in error.msg
    assert "id: the id “tip-kac” is also used by tip-kac.yaml" in error.msg


# The command --------------------------------------------------------------------------------


def test_the_command_says_ok_for_good_files() -> None:
    out = io.StringIO()
    call_command("validate_instrument", str(SHIPPED_DIR / "tip-kac.yaml"), stdout=out)
    assert out.getvalue() == f"{SHIPPED_DIR / 'tip-kac.yaml'}: OK (tip-kac, version 1, 30 items)\n"


def test_the_command_checks_the_shipped_instruments_without_a_path() -> None:
    out = io.StringIO()
    call_command("validate_instrument", stdout=out)
    assert out.getvalue().splitlines() == [
        "tip-feedback.yaml: OK (tip-feedback, version 1, 11 items)",
        "tip-kac.yaml: OK (tip-kac, version 1, 30 items)",
        "tip-observation.yaml: OK (tip-observation, version 1, 14 items)",
        "tip-practice-change.yaml: OK (tip-practice-change, version 1, 16 items)",
    ]


def test_the_command_lists_every_problem_with_its_path(tmp_path: Path) -> None:
    broken = broken_copy(tmp_path)
    good = SHIPPED_DIR / "tip-kac.yaml"
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 of 2 instrument files has problems"):
        call_command("validate_instrument", str(broken), str(good), stdout=out)
    assert out.getvalue().splitlines() == [
        f"{broken}: 2 problems",
        "  items[0].text.cy: Welsh text is missing",
        "  items[2].colour: unknown key “colour”; the keys allowed here are: id, text, hint, "
        "scale, section, required, reverse, answer_key, anchors, covers",
        f"{good}: OK (tip-kac, version 1, 30 items)",
    ]


def test_the_command_reads_folders(tmp_path: Path) -> None:
    broken_copy(tmp_path)
    (tmp_path / "README.txt").write_text("not an instrument", encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("validate_instrument", str(tmp_path), stdout=out)
    assert out.getvalue().startswith(f"{tmp_path / 'tip-feedback.yaml'}: 2 problems")
    assert "README" not in out.getvalue()


def test_tip_validate_instrument_exits_with_status_1_on_problems(tmp_path: Path) -> None:
    broken = broken_copy(tmp_path)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tip.settings.test"}
    result = subprocess.run(  # noqa: S603 - our own interpreter, our own temporary file
        [sys.executable, "-m", "tip.cli", "validate-instrument", str(broken)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 1
    assert "  items[0].text.cy: Welsh text is missing" in result.stdout
    assert "1 of 1 instrument file has problems." in result.stderr

    good = subprocess.run(  # noqa: S603 - our own interpreter and folder
        [sys.executable, "-m", "tip.cli", "validate-instrument", str(SHIPPED_DIR)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert good.returncode == 0, good.stderr
    assert good.stdout.count(": OK (") == 4


def test_tip_help_lists_the_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tip.cli", "--help"], capture_output=True, text=True, check=True
    )
    assert "validate-instrument" in result.stdout
