"""The outcomes library: example outcomes people can pick for their Theory of Change.

The outcomes are data, not code: ``data/outcomes.yaml``, checked against
``data/outcomes.schema.json`` (JSON Schema draft 2020-12) whenever it is loaded. This module has
no Django import, so it can be used and tested on its own.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_PATH = DATA_DIR / "outcomes.yaml"
SCHEMA_PATH = DATA_DIR / "outcomes.schema.json"


class LibraryError(Exception):
    """The outcomes file cannot be used; the message says which entry is wrong and why."""


@dataclass(frozen=True)
class LibraryOutcome:
    code: str
    level: str
    horizon: str
    title_en: str
    title_cy: str
    eif_plausible: bool

    def title(self, language: str) -> str:
        """The title in ``language`` ("cy", "cy-gb", "en", ...); English for anything but Welsh."""
        if language.lower().replace("_", "-").split("-")[0] == "cy" and self.title_cy:
            return self.title_cy
        return self.title_en


def load_outcomes(path: str | os.PathLike[str] | None = None) -> list[LibraryOutcome]:
    """Every outcome in the library file, in file order. Without ``path``, the library shipped
    with TIP, read once and cached. Raises ``LibraryError`` naming the faulty entry."""
    if path is None:
        return list(_load_default())
    return list(_load(Path(path)))


@cache
def _load_default() -> tuple[LibraryOutcome, ...]:
    return _load(DEFAULT_PATH)


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _load(path: Path) -> tuple[LibraryOutcome, ...]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LibraryError(f"{path.name}: cannot be read ({exc.strerror or exc}).") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise LibraryError(f"{path.name}: is not valid YAML ({exc}).") from exc

    errors = sorted(_validator().iter_errors(data), key=lambda e: [str(p) for p in e.path])
    if errors:
        raise LibraryError(
            f"{path.name}: " + " ".join(_describe(data, error) for error in errors[:10])
        )

    outcomes: list[LibraryOutcome] = []
    seen: set[str] = set()
    for number, entry in enumerate(data["outcomes"], start=1):
        code = entry["code"]
        name = _entry_name(number, entry)
        if code in seen:
            raise LibraryError(f"{path.name}: {name}: the code is used by an earlier entry.")
        seen.add(code)
        level, horizon = code.split(".")[:2]
        if (level, horizon) != (entry["level"], entry["horizon"]):
            raise LibraryError(
                f"{path.name}: {name}: the code must start with its level and horizon "
                f"({entry['level']}.{entry['horizon']}.)."
            )
        outcomes.append(
            LibraryOutcome(
                code=code,
                level=entry["level"],
                horizon=entry["horizon"],
                title_en=entry["title"]["en"].strip(),
                title_cy=entry["title"]["cy"].strip(),
                eif_plausible=entry["eif_plausible"],
            )
        )
    return tuple(outcomes)


def _entry_name(number: int, entry: Any) -> str:
    code = entry.get("code") if isinstance(entry, dict) else None
    if isinstance(code, str) and code:
        return f"outcome {number} ({code})"
    return f"outcome {number}"


def _describe(data: Any, error: ValidationError) -> str:
    """Say where the error is: which entry, which field, then what is wrong."""
    path = list(error.absolute_path)
    if len(path) >= 2 and path[0] == "outcomes" and isinstance(path[1], int):
        entry = data["outcomes"][path[1]]
        where = _entry_name(path[1] + 1, entry)
        field = ".".join(str(p) for p in path[2:])
        if field:
            where += f", {field}"
    elif path:
        where = ".".join(str(p) for p in path)
    else:
        where = "the file"
    return f"{where}: {error.message}."
