"""Reading the training app's data files: YAML checked against a JSON Schema (draft 2020-12),
with errors that name the entry and field at fault. No Django import."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

DATA_DIR = Path(__file__).resolve().parent / "data"


class DataFileError(Exception):
    """A data file cannot be used; the message says which entry is wrong and why."""


@cache
def _validator(schema_path: Path) -> Draft202012Validator:
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def read_checked(path: Path, schema_path: Path, *, entries: str, noun: str) -> list[Any]:
    """The list under `entries` in the YAML file at `path`, valid against the schema.
    `noun` names an entry in messages ("question 3 (qualification)")."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(f"{path.name}: cannot be read ({exc.strerror or exc}).") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DataFileError(f"{path.name}: is not valid YAML ({exc}).") from exc
    errors = sorted(
        _validator(schema_path).iter_errors(data), key=lambda e: [str(p) for p in e.path]
    )
    if errors:
        described = " ".join(_describe(data, e, entries, noun) for e in errors[:10])
        raise DataFileError(f"{path.name}: {described}")
    result: list[Any] = data[entries]
    return result


def entry_name(noun: str, number: int, entry: Any) -> str:
    code = entry.get("code") if isinstance(entry, dict) else None
    if isinstance(code, str) and code:
        return f"{noun} {number} ({code})"
    return f"{noun} {number}"


def _describe(data: Any, error: ValidationError, entries: str, noun: str) -> str:
    path = list(error.absolute_path)
    if len(path) >= 2 and path[0] == entries and isinstance(path[1], int):
        where = entry_name(noun, path[1] + 1, data[entries][path[1]])
        field = ".".join(str(p) for p in path[2:])
        if field:
            where += f", {field}"
    elif path:
        where = ".".join(str(p) for p in path)
    else:
        where = "the file"
    return f"{where}: {error.message}."


def in_language(texts: dict[str, str], language: str) -> str:
    """The Welsh text for "cy" (or "cy-gb"), else the English."""
    if language.lower().replace("_", "-").split("-")[0] == "cy" and texts.get("cy"):
        return texts["cy"]
    return texts["en"]
