"""The topics of trauma-informed training a course can pick from (the guidance's list).

The topics are data, not code: ``data/topics.yaml``, checked against ``data/topics.schema.json``
(JSON Schema draft 2020-12) whenever it is loaded. This module has no Django import, so it can be
used and tested on its own.
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
DEFAULT_PATH = DATA_DIR / "topics.yaml"
SCHEMA_PATH = DATA_DIR / "topics.schema.json"


class TopicsError(Exception):
    """The topics file cannot be used; the message says which entry is wrong and why."""


@dataclass(frozen=True)
class Topic:
    code: str
    title_en: str
    title_cy: str

    def title(self, language: str) -> str:
        """The title in ``language`` ("cy", "cy-gb", "en", ...); English for anything but Welsh."""
        if language.lower().replace("_", "-").split("-")[0] == "cy" and self.title_cy:
            return self.title_cy
        return self.title_en


def load_topics(path: str | os.PathLike[str] | None = None) -> list[Topic]:
    """Every topic in the file, in file order. Without ``path``, the list shipped with TIP, read
    once and cached. Raises ``TopicsError`` naming the faulty entry."""
    if path is None:
        return list(_load_default())
    return list(_load(Path(path)))


def topic_titles(language: str) -> dict[str, str]:
    """Code -> title in ``language``, in file order."""
    return {t.code: t.title(language) for t in load_topics()}


@cache
def _load_default() -> tuple[Topic, ...]:
    return _load(DEFAULT_PATH)


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _load(path: Path) -> tuple[Topic, ...]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TopicsError(f"{path.name}: cannot be read ({exc.strerror or exc}).") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise TopicsError(f"{path.name}: is not valid YAML ({exc}).") from exc

    errors = sorted(_validator().iter_errors(data), key=lambda e: [str(p) for p in e.path])
    if errors:
        raise TopicsError(
            f"{path.name}: " + " ".join(_describe(data, error) for error in errors[:10])
        )

    topics: list[Topic] = []
    seen: set[str] = set()
    for number, entry in enumerate(data["topics"], start=1):
        code = entry["code"]
        if code in seen:
            raise TopicsError(
                f"{path.name}: {_entry_name(number, entry)}: the code is used by an earlier entry."
            )
        seen.add(code)
        topics.append(
            Topic(
                code=code,
                title_en=" ".join(entry["title"]["en"].split()),
                title_cy=" ".join(entry["title"]["cy"].split()),
            )
        )
    return tuple(topics)


def _entry_name(number: int, entry: Any) -> str:
    code = entry.get("code") if isinstance(entry, dict) else None
    if isinstance(code, str) and code:
        return f"topic {number} ({code})"
    return f"topic {number}"


def _describe(data: Any, error: ValidationError) -> str:
    """Say where the error is: which entry, which field, then what is wrong."""
    path = list(error.absolute_path)
    if len(path) >= 2 and path[0] == "topics" and isinstance(path[1], int):
        where = _entry_name(path[1] + 1, data["topics"][path[1]])
        field = ".".join(str(p) for p in path[2:])
        if field:
            where += f", {field}"
    elif path:
        where = ".".join(str(p) for p in path)
    else:
        where = "the file"
    return f"{where}: {error.message}."
