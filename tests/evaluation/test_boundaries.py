"""What evaluation must never do: ship a licensed instrument, be imported by the apps it builds
on, or bring Django into its analysis code."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import tip
from tip.evaluation.instrument_library import SHIPPED_DIR, shipped_instruments

SRC = Path(tip.__file__).resolve().parent

# The ARTIC scale (Attitudes Related to Trauma-Informed Care) is licensed and not free to use.
# Its items are never shipped, so no shipped instrument names it (nor quotes it; the test cannot
# hold its items to compare without shipping them itself).
LICENSED = [
    re.compile(r"\bARTIC\b", re.IGNORECASE),
    re.compile(r"attitudes\s+related\s+to\s+trauma[-\s]informed\s+care", re.IGNORECASE),
]


def test_no_shipped_instrument_mentions_a_licensed_scale() -> None:
    files = sorted(SHIPPED_DIR.iterdir())
    assert files
    for path in files:
        content = path.read_text(encoding="utf-8")
        for pattern in LICENSED:
            assert not pattern.search(content), f"{path.name} mentions {pattern.pattern}"


def test_the_licensed_scale_guard_catches_a_mention() -> None:
    assert LICENSED[0].search("items adapted from the ARTIC-35")
    assert LICENSED[1].search("Attitudes Related to Trauma-Informed Care scale")
    assert not LICENSED[0].search("articulate particular")


def test_every_shipped_instrument_is_open_and_written_for_tip() -> None:
    for instrument in shipped_instruments():
        assert instrument.licence == "MIT"
        assert instrument.source.en.startswith("Written for TIP"), instrument.id
        assert not instrument.validated, f"{instrument.id} claims validation"


def test_the_apps_evaluation_builds_on_never_import_it() -> None:
    for app in ("core", "programmes", "training"):
        for path in (SRC / app).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            assert "tip.evaluation" not in source, f"{app}/{path.name} imports tip.evaluation"


def test_the_analysis_code_has_no_django_import() -> None:
    for path in (SRC / "evaluation" / "analysis").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                assert not name.startswith(("django", "tip.")), f"{path.name} imports {name}"
