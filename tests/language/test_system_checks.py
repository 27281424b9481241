"""A broken shipped rule file shows at `tip check` and start-up, naming the rule and the field."""

from __future__ import annotations

from pathlib import Path

from tip.language import system_checks


def test_the_shipped_rule_files_pass() -> None:
    assert system_checks.rule_files() == []


def test_a_broken_file_is_reported_with_the_rule_and_field(tmp_path: Path) -> None:
    good = (system_checks.RULES_DIR / "en.yaml").read_text(encoding="utf-8")
    (tmp_path / "en.yaml").write_text(
        good.replace("severity: warning", "severity: loud", 1), encoding="utf-8"
    )
    (tmp_path / "cy.yaml").write_text(
        (system_checks.RULES_DIR / "cy.yaml")
        .read_text(encoding="utf-8")
        .replace("language: cy", "language: en", 1),
        encoding="utf-8",
    )
    broken, wrong_language = system_checks.rule_files(directory=tmp_path)
    assert broken.id == "language.E001"
    assert "The language rule file en.yaml cannot be used:" in broken.msg
    assert "severity: 'loud' is not one of suggestion, warning, error" in broken.msg
    assert broken.msg.splitlines()[1].startswith("  rule ")
    assert wrong_language.id == "language.E002"
