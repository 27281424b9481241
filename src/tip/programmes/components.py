"""The self-assessment components: Table 1 of the guidance in its three groups, and the three
YEF elements.

The components are data, not code: ``data/components.yaml``, checked against
``data/components.schema.json`` (JSON Schema draft 2020-12) whenever it is loaded. This module
has no Django import, so it can be used and tested on its own.
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

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_PATH = DATA_DIR / "components.yaml"
SCHEMA_PATH = DATA_DIR / "components.schema.json"

# The groups, in the order pages show them.
GROUPS = ("workforce", "services", "environment", "yef")


class ComponentsError(Exception):
    """The components file cannot be used; the message says which entry is wrong and why."""


def _welsh(language: str) -> bool:
    return language.lower().replace("_", "-").split("-")[0] == "cy"


@dataclass(frozen=True)
class Component:
    code: str
    group: str
    title_en: str
    title_cy: str
    caution_en: str = ""
    caution_cy: str = ""

    def title(self, language: str) -> str:
        """The title in ``language``; English for anything but Welsh."""
        return self.title_cy if _welsh(language) and self.title_cy else self.title_en

    def caution(self, language: str) -> str:
        """The caution in ``language``, or "" when the component has none."""
        return self.caution_cy if _welsh(language) and self.caution_cy else self.caution_en


def load_components(path: str | os.PathLike[str] | None = None) -> list[Component]:
    """Every component, in file order. Without ``path``, the file shipped with TIP, read once
    and cached. Raises ``ComponentsError`` naming the faulty entry."""
    if path is None:
        return list(_load_default())
    return list(_load(Path(path)))


def component_codes() -> list[str]:
    return [c.code for c in _load_default()]


@cache
def _load_default() -> tuple[Component, ...]:
    return _load(DEFAULT_PATH)


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _load(path: Path) -> tuple[Component, ...]:
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ComponentsError(f"{path.name}: cannot be read ({exc.strerror or exc}).") from exc
    except yaml.YAMLError as exc:
        raise ComponentsError(f"{path.name}: is not valid YAML ({exc}).") from exc
    errors = sorted(_validator().iter_errors(data), key=lambda e: [str(p) for p in e.path])
    if errors:
        raise ComponentsError(
            f"{path.name}: "
            + " ".join(
                f"{'.'.join(str(p) for p in e.absolute_path) or 'the file'}: {e.message}."
                for e in errors[:10]
            )
        )
    components: list[Component] = []
    seen: set[str] = set()
    for number, entry in enumerate(data["components"], start=1):
        code = entry["code"]
        if code in seen:
            raise ComponentsError(
                f"{path.name}: component {number} ({code}): the code is used by an earlier entry."
            )
        seen.add(code)
        if code.split(".")[0] != entry["group"]:
            raise ComponentsError(
                f"{path.name}: component {number} ({code}): the code must start with its group "
                f"({entry['group']}.)."
            )
        caution = entry.get("caution") or {}
        components.append(
            Component(
                code=code,
                group=entry["group"],
                title_en=entry["title"]["en"].strip(),
                title_cy=entry["title"]["cy"].strip(),
                caution_en=caution.get("en", "").strip(),
                caution_cy=caution.get("cy", "").strip(),
            )
        )
    return tuple(components)
