"""The national app comes last in the chain: it may import every other app, none imports it."""

from __future__ import annotations

from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "tip"


def test_no_other_app_imports_the_national_app() -> None:
    for app in ("core", "programmes", "training", "evaluation"):
        for path in (SRC / app).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            assert "tip.national" not in source, f"{app}/{path.name} imports tip.national"
