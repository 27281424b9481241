"""Rule files: reading and checking them, and the rule set the engine matches.

A rule file (``data/rules/<language>.yaml``) is checked against ``data/rules.schema.json`` and
then rule by rule (unique ids, known sources, phrases that can be read); every problem is reported
at once, each naming the rule and the field, and a broken file is refused whole.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from tip.language.checker.patterns import PhraseError, Place, parse_phrase

DATA = Path(__file__).resolve().parent.parent / "data"
SCHEMA_PATH = DATA / "rules.schema.json"
LANGUAGES = ("en", "cy")
SEVERITIES = ("suggestion", "warning", "error")
CATEGORIES = ("victim-blaming", "deficit-label", "care-jargon", "service-centred", "dehumanising")
AUDIENCES = ("all", "children", "adults")
PARTNERSHIP_SOURCE = "partnership"

Pattern = tuple[Place, ...]


class RuleFileError(ValueError):
    """A rule file or rule that cannot be used; `errors` lists every problem, one per line."""

    def __init__(self, errors: Sequence[str], origin: str = "") -> None:
        self.errors = list(errors)
        self.origin = origin
        head = f"{origin}: " if origin else ""
        super().__init__(head + "; ".join(self.errors))


@dataclass(frozen=True, slots=True)
class Source:
    key: str
    title: str
    url: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {"key": self.key, "title": self.title, "url": self.url}


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    category: str
    applies_to: str
    severity: str
    phrases: tuple[str, ...]
    explanation: str
    suggestions: tuple[str, ...]
    sources: tuple[Source, ...]
    excepts: tuple[str, ...] = ()
    origin: str = "shipped"
    patterns: tuple[Pattern, ...] = field(default=(), compare=False, repr=False)
    except_patterns: tuple[Pattern, ...] = field(default=(), compare=False, repr=False)

    @property
    def rank(self) -> int:
        return SEVERITIES.index(self.severity)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "category": self.category,
            "applies_to": self.applies_to,
            "severity": self.severity,
            "phrases": list(self.phrases),
            "except": list(self.excepts),
            "explanation": self.explanation,
            "suggestions": list(self.suggestions),
            "sources": [source.to_dict() for source in self.sources],
            "origin": self.origin,
        }


class RuleSet:
    """Rules for one language, indexed by the forms of each phrase's first word."""

    def __init__(
        self,
        language: str,
        rules: Iterable[Rule],
        *,
        allowed: Iterable[str] = (),
    ) -> None:
        self.language = language
        self.rules: tuple[Rule, ...] = tuple(rules)
        self.allowed: tuple[str, ...] = tuple(allowed)
        self.allowed_patterns: tuple[Pattern, ...] = tuple(
            parse_phrase(phrase, language) for phrase in self.allowed
        )
        self.by_id = {rule.id: rule for rule in self.rules}
        # first word form -> [(rule, pattern)]
        index: dict[str, list[tuple[Rule, Pattern]]] = {}
        for rule in self.rules:
            for pattern in rule.patterns:
                for form in pattern[0].forms:
                    index.setdefault(form, []).append((rule, pattern))
        self.index = index
        self.longest_allowed = max((_span(p) for p in self.allowed_patterns), default=0)

    def __len__(self) -> int:
        return len(self.rules)

    def __iter__(self) -> Any:
        return iter(self.rules)

    def extended(self, extra: RuleSet | Iterable[Rule]) -> RuleSet:
        """These rules and `extra`'s; a rule in `extra` with a shipped rule's id replaces it."""
        added = tuple(extra)
        ids = {rule.id for rule in added}
        kept = [rule for rule in self.rules if rule.id not in ids]
        return RuleSet(self.language, [*kept, *added], allowed=self.allowed)

    def without(self, rule_ids: Iterable[str] = (), allowed_phrases: Iterable[str] = ()) -> RuleSet:
        """These rules less `rule_ids`, and never flagging words that `allowed_phrases` match."""
        silenced = set(rule_ids)
        allowed = [*self.allowed, *(p for p in allowed_phrases if p.strip())]
        return RuleSet(
            self.language, [r for r in self.rules if r.id not in silenced], allowed=allowed
        )


def _span(pattern: Pattern) -> int:
    """The most words a pattern can cover."""
    return sum(place.gap or 1 for place in pattern)


@functools.cache
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


@functools.cache
def _partnership_rule_schema() -> dict[str, Any]:
    rule = copy.deepcopy(schema()["$defs"]["rule"])
    rule["required"] = [name for name in rule["required"] if name != "sources"]
    return {"$schema": schema()["$schema"], **rule}


def load_rules(path: str | Path) -> RuleSet:
    """Read and check a rule file (YAML or JSON); raise RuleFileError listing every problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise RuleFileError([f"cannot be read: {error}"], origin=str(path)) from error
    return rules_from_text(text, origin=path.name)


def rules_from_text(text: str, *, origin: str = "rules") -> RuleSet:
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise RuleFileError([f"is not valid YAML: {error}"], origin=origin) from error
    return rules_from_document(document, origin=origin)


def rules_from_document(document: Any, *, origin: str = "rules") -> RuleSet:
    errors: list[str] = []
    validator = jsonschema.Draft202012Validator(schema())
    for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path)):
        errors.append(_describe(error, document))
    if errors:
        raise RuleFileError(errors, origin=origin)
    language: str = document["language"]
    sources = {
        key: Source(key, value["title"], value.get("url"))
        for key, value in document["sources"].items()
    }
    rules: list[Rule] = []
    seen: set[str] = set()
    for raw in document["rules"]:
        if raw["id"] in seen:
            errors.append(f"rule {raw['id']}: id: used by an earlier rule; ids must be unique")
            continue
        seen.add(raw["id"])
        rule, problems = _build_rule(raw, language, sources, origin="shipped")
        errors.extend(problems)
        if rule is not None:
            rules.append(rule)
    if errors:
        raise RuleFileError(errors, origin=origin)
    return RuleSet(language, rules)


def rules_from_data(
    items: Iterable[Mapping[str, Any]],
    *,
    language: str = "en",
    origin: str = PARTNERSHIP_SOURCE,
    source_title: str = "Your partnership's own rule",
) -> list[Rule]:
    """Rules given as data (a partnership's own): the same fields as a rule in a file, with
    `sources` optional (free text here, since a partnership cites its own guidance)."""
    validator = jsonschema.Draft202012Validator(_partnership_rule_schema())
    rules: list[Rule] = []
    errors: list[str] = []
    for item in items:
        found = sorted(validator.iter_errors(item), key=lambda e: list(e.absolute_path))
        if found:
            name = item.get("id") if isinstance(item, Mapping) else None
            errors.extend(_describe(error, None, rule_id=str(name or "")) for error in found)
            continue
        cited = [str(s).strip() for s in item.get("sources", []) if str(s).strip()]
        known = (
            {citation: Source(PARTNERSHIP_SOURCE, citation) for citation in cited}
            if cited
            else {PARTNERSHIP_SOURCE: Source(PARTNERSHIP_SOURCE, source_title)}
        )
        raw = {**item, "sources": list(known)}
        rule, problems = _build_rule(raw, language, known, origin=origin)
        errors.extend(problems)
        if rule is not None:
            rules.append(rule)
    if errors:
        raise RuleFileError(errors)
    return rules


def _build_rule(
    raw: Mapping[str, Any], language: str, sources: Mapping[str, Source], *, origin: str
) -> tuple[Rule | None, list[str]]:
    errors: list[str] = []
    rule_id = raw["id"]
    patterns: list[Pattern] = []
    excepts: list[Pattern] = []
    for name, target in (("phrases", patterns), ("except", excepts)):
        for number, phrase in enumerate(raw.get(name, []), start=1):
            try:
                target.append(parse_phrase(phrase, language))
            except PhraseError as error:
                errors.append(f"rule {rule_id}: {name} {number} ('{phrase}'): {error}")
    cited: list[Source] = []
    for key in raw["sources"]:
        if key in sources:
            cited.append(sources[key])
        else:
            errors.append(f"rule {rule_id}: sources: '{key}' is not in the file's sources")
    if errors:
        return None, errors
    rule = Rule(
        id=rule_id,
        category=raw["category"],
        applies_to=raw["applies_to"],
        severity=raw["severity"],
        phrases=tuple(raw["phrases"]),
        explanation=" ".join(raw["explanation"].split()),
        suggestions=tuple(raw["suggestions"]),
        sources=tuple(cited),
        excepts=tuple(raw.get("except", ())),
        origin=origin,
        patterns=tuple(patterns),
        except_patterns=tuple(excepts),
    )
    return rule, []


def _describe(error: jsonschema.ValidationError, document: Any, rule_id: str | None = None) -> str:
    """A schema error as "rule <id>: <field>: <what to fix>"."""
    path = list(error.absolute_path)
    where = "file"
    if rule_id is not None:
        # A rule given on its own (a partnership's): paths start inside the rule.
        where = f"rule {rule_id}" if rule_id else "rule"
    elif len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int):
        index = path[1]
        name = rule_id
        try:
            name = name or document["rules"][index].get("id")
        except (AttributeError, IndexError, KeyError, TypeError):
            name = None
        where = f"rule {name}" if name else f"rule {index + 1}"
        path = path[2:]
    elif path:
        where = str(path[0])
        path = path[1:]
    field_name = ".".join(str(part) for part in path)
    message = error.message
    if error.validator == "required":
        missing = str(error.message).split("'")[1] if "'" in error.message else ""
        field_name = missing or field_name
        message = "is required"
    elif error.validator == "additionalProperties":
        message = f"unknown field(s): {error.message.split('(')[-1].rstrip(')')}"
    elif error.validator == "enum":
        choices: Any = error.validator_value
        allowed = ", ".join(str(v) for v in choices)
        message = f"{error.instance!r} is not one of {allowed}"
    return f"{where}: {field_name or 'value'}: {message}" if field_name else f"{where}: {message}"


@functools.cache
def load_shipped(language: str = "en") -> RuleSet:
    """The rules TIP ships for `language` (empty for a language with no file)."""
    path = DATA / "rules" / f"{language}.yaml"
    if language not in LANGUAGES or not path.exists():
        return RuleSet(language, [])
    return load_rules(path)
