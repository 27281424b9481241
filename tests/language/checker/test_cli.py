"""`tip language check`: files, folders and standard input; text or JSON; exit codes 0, 1, 2."""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tip.language import cli_check

RULES = """
language: en
sources:
  t: {title: "Test guidance"}
rules:
  - id: zorblax
    category: deficit-label
    applies_to: all
    severity: warning
    phrases: ["zorblax"]
    explanation: "A made-up label for these tests."
    suggestions: ["describe [what happened]"]
    sources: [t]
  - id: quibble
    category: care-jargon
    applies_to: all
    severity: suggestion
    phrases: ["quibble"]
    explanation: "A made-up piece of jargon for these tests."
    suggestions: ["say it plainly"]
    sources: [t]
"""


@pytest.fixture()
def rule_file(tmp_path: Path) -> Path:
    path = tmp_path / "extra.yaml"
    path.write_text(RULES, encoding="utf-8")
    return path


def run(args: list[str], stdin: bytes = b"") -> tuple[int, str, str]:
    parser = argparse.ArgumentParser()
    cli_check.add_arguments(parser)
    options = parser.parse_args(args)
    out, err = io.StringIO(), io.StringIO()
    code = cli_check.run(options, io.BytesIO(stdin), out, err)
    return code, out.getvalue(), err.getvalue()


def test_standard_input_text_format(rule_file: Path) -> None:
    code, out, err = run(["--rules", str(rule_file)], b"All fine.\nHe is a zorblax.\n")
    assert code == 1, err
    assert out.startswith('-:2:9: warning zorblax: "zorblax" (deficit label)\n')
    assert "  Why: A made-up label" in out and "  Try: describe [what happened]" in out
    assert out.rstrip().endswith("1 text checked: 1 finding (1 warning)")


def test_clean_text_exits_0(rule_file: Path) -> None:
    assert run(["--rules", str(rule_file)], b"Nothing to see.")[:2] == (
        0,
        "1 text checked: no findings\n",
    )


def test_fail_on_sets_the_threshold(rule_file: Path) -> None:
    text = b"A quibble only."
    assert run(["--rules", str(rule_file)], text)[0] == 1
    assert run(["--rules", str(rule_file), "--fail-on", "warning"], text)[0] == 0
    assert run(["--rules", str(rule_file), "--fail-on", "never"], b"zorblax")[0] == 0


def test_json_findings(rule_file: Path, tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Line one.\nA zorblax and a quibble.", encoding="utf-8")
    code, out, _ = run(["--rules", str(rule_file), "--format", "json", str(note)])
    assert code == 1
    findings = json.loads(out)
    assert [(f["rule"], f["line"], f["column"], f["start"], f["end"]) for f in findings] == [
        ("zorblax", 2, 3, 12, 19),
        ("quibble", 2, 17, 26, 33),
    ]
    assert {"file", "text", "category", "suggestions", "severity", "quoted"} <= set(findings[0])


def test_a_folder_of_notes_with_a_binary_and_an_old_encoding(
    rule_file: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "notes"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("zorblax", encoding="utf-8")
    (folder / "sub" / "b.txt").write_bytes("Café visit: quibble".encode("cp1252"))
    (folder / "c.txt").write_bytes("\ufeffUTF-16 zorblax".encode("utf-16"))
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\x00\x10JFIF\x00")
    (folder / ".hidden").write_text("zorblax", encoding="utf-8")
    code, out, err = run(["--rules", str(rule_file), str(folder)])
    assert code == 1
    assert "photo.jpg: skipped: this is not a text file" in err
    assert "b.txt: not UTF-8: read as Windows-1252" in err
    assert out.count(": warning zorblax") == 2 and ": suggestion quibble" in out
    assert "3 texts checked: 3 findings (1 suggestion, 2 warnings); 1 could not be read" in out


def test_quoted_words_are_shown_but_not_counted(rule_file: Path) -> None:
    code, out, _ = run(["--rules", str(rule_file)], b'She said, "I am a zorblax."')
    assert code == 0
    assert "quoted zorblax" in out and "1 in quotation marks, not counted" in out


def test_bad_usage_exits_2(rule_file: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(RULES.replace("severity: warning", "severity: loud"), encoding="utf-8")
    code, _, err = run(["--rules", str(broken)], b"x")
    assert code == 2
    assert "rule zorblax: severity: 'loud' is not one of" in err
    code, _, err = run(["--silence", "no-such-rule"], b"x")
    assert code == 2 and "no rule has the id no-such-rule" in err
    code, _, err = run([str(tmp_path / "missing.txt")])
    assert code == 2 and "missing.txt: no such file" in err
    code, _, err = run(["--rules", str(rule_file), "--language", "cy"], b"x")
    assert code == 2 and "use --language en" in err


def test_empty_input_is_a_clean_result() -> None:
    assert run([], b"")[:2] == (0, "1 text checked: no findings\n")


def test_the_real_command(tmp_path: Path, rule_file: Path) -> None:
    tip = Path(sys.executable).with_name("tip")
    note = tmp_path / "n.txt"
    note.write_text("a zorblax", encoding="utf-8")
    done = subprocess.run(  # noqa: S603 - our own command and temporary files
        [str(tip), "language", "check", "--rules", str(rule_file), "--format", "json", str(note)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)[0]["rule"] == "zorblax"
    usage = subprocess.run(  # noqa: S603 - our own command
        [str(tip), "language", "check", "--format", "xml"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert usage.returncode == 2 and "invalid choice: 'xml'" in usage.stderr
    empty = subprocess.run(  # noqa: S603 - our own command
        [str(tip), "language", "check"], input="", capture_output=True, text=True, timeout=120
    )
    assert empty.returncode == 0 and "no findings" in empty.stdout
