"""The readiness check's rules: the planning questions and the criteria and cautions.

They are data, not code: ``data/readiness.yaml``, checked against ``data/readiness.schema.json``
(JSON Schema draft 2020-12) whenever it is loaded, and then for sense: ids are unique, and every
test names a fact that is either a planning question or a declared fact. No Django import, so it
can be used and tested on its own.
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

from tip.programmes.analysis.readiness import Criterion, FactTest

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_PATH = DATA_DIR / "readiness.yaml"
SCHEMA_PATH = DATA_DIR / "readiness.schema.json"

YES_NO = "yes_no"
NUMBER = "number"


class RulesError(Exception):
    """The rules file cannot be used; the message names the faulty entry and says why."""


def _pick(text: dict[str, str] | None, language: str) -> str:
    if not text:
        return ""
    if language.lower().replace("_", "-").split("-")[0] == "cy" and text.get("cy"):
        return text["cy"]
    return text["en"]


@dataclass(frozen=True)
class FactSpec:
    id: str
    type: str  # "boolean" | "number"
    meaning: str


@dataclass(frozen=True)
class Question:
    id: str
    type: str  # YES_NO | NUMBER
    label_text: dict[str, str]
    hint_text: dict[str, str] | None = None
    unit_text: dict[str, str] | None = None
    minimum: float | None = None
    maximum: float | None = None
    whole_number: bool = False

    def label(self, language: str) -> str:
        return _pick(self.label_text, language)

    def hint(self, language: str) -> str:
        return _pick(self.hint_text, language)

    def unit(self, language: str) -> str:
        return _pick(self.unit_text, language)


@dataclass(frozen=True)
class Rules:
    facts: tuple[FactSpec, ...]
    questions: tuple[Question, ...]
    criteria: tuple[Criterion, ...]

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    @property
    def fact_ids(self) -> frozenset[str]:
        return frozenset(f.id for f in self.facts) | frozenset(q.id for q in self.questions)


def text(mapping: Any, language: str) -> str:
    """A criterion's text (title, advice, ...) in ``language``; English for anything but Welsh."""
    return _pick(dict(mapping), language)


def load_rules(path: str | os.PathLike[str] | None = None) -> Rules:
    """The rules in the file; without ``path``, the ones shipped with TIP, read once and cached.
    Raises ``RulesError`` naming the faulty entry."""
    if path is None:
        return _load_default()
    return _load(Path(path))


@cache
def _load_default() -> Rules:
    return _load(DEFAULT_PATH)


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _load(path: Path) -> Rules:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RulesError(f"{path.name}: cannot be read ({exc.strerror or exc}).") from exc
    except yaml.YAMLError as exc:
        raise RulesError(f"{path.name}: is not valid YAML ({exc}).") from exc

    errors = sorted(_validator().iter_errors(data), key=lambda e: [str(p) for p in e.path])
    if errors:
        raise RulesError(f"{path.name}: " + " ".join(_describe(data, e) for e in errors[:10]))

    facts = tuple(FactSpec(f["id"], f["type"], f["meaning"]) for f in data["facts"])
    questions = tuple(
        Question(
            id=q["id"],
            type=q["type"],
            label_text=q["label"],
            hint_text=q.get("hint"),
            unit_text=q.get("unit"),
            minimum=q.get("minimum"),
            maximum=q.get("maximum"),
            whole_number=q.get("whole_number", False),
        )
        for q in data["questions"]
    )
    seen: set[str] = set()
    ids = [("facts", n, f.id) for n, f in enumerate(facts, start=1)]
    ids += [("questions", n, q.id) for n, q in enumerate(questions, start=1)]
    for section, number, entry_id in ids:
        if entry_id in seen:
            raise RulesError(
                f"{path.name}: {section} {number} ({entry_id}): the id is used by an earlier "
                "fact or question."
            )
        seen.add(entry_id)
    for number, q in enumerate(questions, start=1):
        if q.minimum is not None and q.maximum is not None and q.minimum > q.maximum:
            raise RulesError(f"{path.name}: questions {number} ({q.id}): minimum is above maximum.")
    kinds = {f.id: f.type for f in facts} | {
        q.id: ("boolean" if q.type == YES_NO else "number") for q in questions
    }

    criteria: list[Criterion] = []
    criterion_ids: set[str] = set()
    for number, c in enumerate(data["criteria"], start=1):
        name = f"criteria {number} ({c['id']})"
        if c["id"] in criterion_ids:
            raise RulesError(f"{path.name}: {name}: the id is used by an earlier criterion.")
        criterion_ids.add(c["id"])
        tests: list[FactTest] = []
        for t in c["tests"]:
            kind = kinds.get(t["fact"])
            if kind is None:
                raise RulesError(
                    f"{path.name}: {name}: the test names the fact “{t['fact']}”, which is "
                    "neither a question nor a declared fact."
                )
            if "at_least" in t and kind != "number":
                raise RulesError(
                    f"{path.name}: {name}: “{t['fact']}” is a yes or no fact; test it with "
                    "`is`, not `at_least`."
                )
            if "is" in t and kind != "boolean":
                raise RulesError(
                    f"{path.name}: {name}: “{t['fact']}” is a number; test it with "
                    "`at_least`, not `is`."
                )
            tests.append(FactTest(fact=t["fact"], is_=t.get("is"), at_least=t.get("at_least")))
        criteria.append(
            Criterion(
                id=c["id"],
                kind=c["kind"],
                title=c["title"],
                met=c["met"],
                not_met=c["not_met"],
                advice=c["advice"],
                seed_section=c["seed_section"],
                tests=tuple(tests),
            )
        )
    return Rules(facts=facts, questions=questions, criteria=tuple(criteria))


def _describe(data: Any, error: ValidationError) -> str:
    path = list(error.absolute_path)
    if len(path) >= 2 and isinstance(path[1], int) and isinstance(data, dict):
        entry = data[path[0]][path[1]]
        where = f"{path[0]} {path[1] + 1}"
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            where += f" ({entry['id']})"
        rest = ".".join(str(p) for p in path[2:])
        if rest:
            where += f", {rest}"
    elif path:
        where = ".".join(str(p) for p in path)
    else:
        where = "the file"
    return f"{where}: {error.message}."
