"""Reading an evaluation instrument from a YAML or JSON file, and checking it.

An instrument is data, not code (docs/evaluation-instruments.md describes the format). It is
checked in two passes and every problem from both is reported at once, each with its path
(``items[3].text.cy: Welsh text is missing``; lists count from 0):

1. against ``data/instrument.schema.json`` (JSON Schema draft 2020-12), which refuses unknown
   keys everywhere, missing keys and values of the wrong kind;
2. for what a schema cannot say: ids used twice (scales, sections, items, subscales, choice
   values, Likert points), references to scales, sections and items that do not exist, keys that
   do not belong to a scale's type, reverse scoring on a scale without two ends, answer keys on
   anything but true/false/don't know items, subscales that mix knowledge and ratings or
   different ranges or need more answers than they have items, and missing Welsh wherever there
   is text.

The result is an ``Instrument`` (``tip.evaluation.analysis.instrument_model``). Messages here
are in English: they are for the people who write instrument files. No Django import.
"""

from __future__ import annotations

import json
import os
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from tip.evaluation.analysis.instrument_model import (
    DEFAULT_MAX_LENGTH,
    FOUR_RS,
    LANGUAGES,
    NOT_APPLICABLE,
    TOTAL,
    WELSH,
    Anchor,
    DontKnow,
    Instrument,
    Item,
    Method,
    Option,
    Point,
    Respondent,
    Scale,
    ScaleType,
    Section,
    Subscale,
    Text,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
SCHEMA_PATH = DATA_DIR / "instrument.schema.json"
SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}

# The keys each type of scale may have besides `id` and `type`.
SCALE_KEYS: dict[str, tuple[str, ...]] = {
    ScaleType.LIKERT: ("points", "not_applicable"),
    ScaleType.TRUE_FALSE: ("true_label", "false_label", "dont_know_label", "dont_know"),
    ScaleType.NUMERIC: ("minimum", "maximum", "whole_number", "unit", "not_applicable"),
    ScaleType.FREE_TEXT: ("max_length",),
    ScaleType.SINGLE_CHOICE: ("options", "not_applicable"),
    ScaleType.MULTIPLE_CHOICE: ("options", "max_selected"),
}
ID_PATTERN_HELP = "use lower-case letters, digits and underscores, starting with a letter"
INSTRUMENT_ID_HELP = "use lower-case words and digits joined by hyphens, such as tip-kac"


@dataclass(frozen=True)
class InstrumentProblem:
    """One thing wrong with an instrument file: where (a path such as ``items[3].text.cy``;
    empty for the whole file) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or 'the file'}: {self.message}"


class InstrumentError(Exception):
    """An instrument cannot be used; ``problems`` lists every reason, each with its path."""

    def __init__(self, source: str, problems: Sequence[InstrumentProblem]) -> None:
        self.source = source
        self.problems = tuple(problems)
        count = len(self.problems)
        lines = [f"{source}: {count} problem{'' if count == 1 else 's'}"]
        lines += [f"  {problem}" for problem in self.problems]
        super().__init__("\n".join(lines))


# Reading ----------------------------------------------------------------------------------------


def load_instrument(path: str | os.PathLike[str]) -> Instrument:
    """The instrument in a ``.yaml``, ``.yml`` or ``.json`` file; raises ``InstrumentError``."""
    path = Path(path)
    fmt = SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise InstrumentError(
            path.name,
            [InstrumentProblem("", "an instrument file ends in .yaml, .yml or .json")],
        )
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        problem = InstrumentProblem("", f"cannot be read ({reason})")
        raise InstrumentError(path.name, [problem]) from exc
    return parse_instrument(text, source=path.name, fmt=fmt)


def parse_instrument(text: str, *, source: str = "instrument", fmt: str = "yaml") -> Instrument:
    """The instrument written in ``text`` (``fmt`` "yaml" or "json"); raises
    ``InstrumentError`` naming ``source`` and listing every problem."""
    data = read_data(text, source=source, fmt=fmt)
    problems = check_data(data)
    if problems:
        raise InstrumentError(source, problems)
    return build_instrument(data)


def read_data(text: str, *, source: str = "instrument", fmt: str = "yaml") -> Any:
    """The parsed file, refusing a key written twice in one mapping (YAML and JSON parsers
    would otherwise keep the last silently)."""
    if fmt not in ("yaml", "json"):
        raise ValueError(f"fmt must be 'yaml' or 'json', not {fmt!r}")
    if fmt == "json":
        try:
            return json.loads(text, object_pairs_hook=_json_object)
        except json.JSONDecodeError as exc:
            where = f"line {exc.lineno}, column {exc.colno}"
            raise InstrumentError(
                source, [InstrumentProblem("", f"is not valid JSON ({where}: {exc.msg})")]
            ) from exc
        except _DuplicateKey as exc:
            raise InstrumentError(source, [InstrumentProblem("", str(exc))]) from exc
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506  (a SafeLoader subclass)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise InstrumentError(
            source, [InstrumentProblem("", f"is not valid YAML ({where}{exc.problem})")]
        ) from exc
    except yaml.YAMLError as exc:
        raise InstrumentError(
            source, [InstrumentProblem("", f"is not valid YAML ({exc})")]
        ) from exc


class _DuplicateKey(ValueError):
    pass


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(f"the key “{key}” is written twice in the same object")
        result[key] = value
    return result


class _StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing a key written twice in one mapping."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _value in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node)
        if not isinstance(key, Hashable):
            continue  # the safe loader refuses it itself
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"the key “{key}” is written twice in the same mapping",
                key_node.start_mark,
            )
        seen.add(key)
    return loader.construct_mapping(node)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


# Checking ---------------------------------------------------------------------------------------


def check_data(data: Any) -> list[InstrumentProblem]:
    """Every problem with parsed instrument data: the schema's, then the loader's own checks,
    in the order of their paths. Empty when the instrument can be built."""
    if data is None:
        return [InstrumentProblem("", "is empty")]
    if not isinstance(data, dict):
        return [
            InstrumentProblem(
                "", "must be a mapping of keys (id, version, title, ...) to their values"
            )
        ]
    problems = list(_schema_problems(data))
    problems += _Checker(data).problems
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: _path_key(p.path))


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def schema() -> dict[str, Any]:
    """The instrument schema (for documentation and the API)."""
    result: dict[str, Any] = _validator().schema  # type: ignore[assignment]
    return result


def _schema_problems(data: Any) -> Iterator[InstrumentProblem]:
    for error in _validator().iter_errors(data):
        yield from _describe(error)


def _describe(error: ValidationError) -> Iterator[InstrumentProblem]:
    path = list(error.absolute_path)
    where = _join(path)
    schema_part = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = list(schema_part.get("properties", {}))
        for key in error.instance:
            if key not in allowed:
                yield InstrumentProblem(
                    _join([*path, str(key)]),
                    f"unknown key “{key}”; the keys allowed here are: {', '.join(allowed)}",
                )
        return
    if error.validator == "required" and isinstance(error.instance, dict):
        required: list[str] = list(error.validator_value)  # type: ignore[arg-type]
        for key in required:
            if key not in error.instance:
                message = "English text is missing" if key == "en" else "this is required"
                yield InstrumentProblem(_join([*path, key]), message)
        return
    if path and path[-1] == "en" and error.validator in ("minLength", "pattern"):
        yield InstrumentProblem(where, "English text is missing")
        return
    if schema_part.get("title") == "text" and error.validator == "type":
        yield InstrumentProblem(
            where, "write this as text in English and Welsh, under the keys en and cy"
        )
        return
    if error.validator == "type" and isinstance(error.instance, bool):
        yield InstrumentProblem(
            where,
            f"{error.message}: to write the word, put it in quotes (YAML reads True, False, "
            "Yes, No, On and Off without quotes as true or false)",
        )
        return
    if error.validator == "pattern" and error.validator_value == _pattern("key"):
        yield InstrumentProblem(where, f"“{error.instance}” is not a valid id: {ID_PATTERN_HELP}")
        return
    if error.validator == "pattern" and path == ["id"]:
        yield InstrumentProblem(
            where, f"“{error.instance}” is not a valid id: {INSTRUMENT_ID_HELP}"
        )
        return
    if error.validator == "pattern" and error.validator_value == "\\S":
        yield InstrumentProblem(where, "this is required")
        return
    if error.validator == "minItems" and isinstance(error.instance, list):
        count = len(error.instance)
        yield InstrumentProblem(
            where, f"needs at least {error.validator_value} entries; it has {count}"
        )
        return
    yield InstrumentProblem(where, error.message)


def _pattern(definition: str) -> str:
    pattern: str = _validator().schema["$defs"][definition]["pattern"]  # type: ignore[index]
    return pattern


class _Checker:
    """The checks a schema cannot express. The data may also have failed the schema, so every
    look-up checks what it finds and skips what is malformed (the schema has reported it)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.problems: list[InstrumentProblem] = []
        self.scales: dict[str, dict[str, Any]] = {}
        self.items: dict[str, dict[str, Any]] = {}
        self._check_languages()
        self._check_welsh(data, [])
        self._check_scales()
        sections = self._check_ids("sections", "section")
        self._check_items(list(sections))
        self._check_subscales()

    def add(self, path: list[str | int], message: str) -> None:
        self.problems.append(InstrumentProblem(_join(path), message))

    def entries(self, key: str) -> Iterator[tuple[int, dict[str, Any]]]:
        value = self.data.get(key)
        if isinstance(value, list):
            for index, entry in enumerate(value):
                if isinstance(entry, dict):
                    yield index, entry

    def _check_languages(self) -> None:
        languages = self.data.get("languages")
        if isinstance(languages, list):
            for code in LANGUAGES:
                if code not in languages:
                    name = "Welsh" if code == WELSH else "English"
                    self.add(
                        ["languages"],
                        f"{name} ({code}) is missing: TIP's instruments are written in English "
                        "and Welsh",
                    )

    def _check_welsh(self, value: Any, path: list[str | int]) -> None:
        if isinstance(value, dict):
            if _is_text(value):
                welsh = value.get("cy")
                if not isinstance(welsh, str) or not welsh.strip():
                    self.add([*path, "cy"], "Welsh text is missing")
                return
            for key, child in value.items():
                self._check_welsh(child, [*path, str(key)])
        elif isinstance(value, list):
            for index, child in enumerate(value):
                self._check_welsh(child, [*path, index])

    def _check_ids(self, key: str, noun: str) -> dict[str, dict[str, Any]]:
        """The entries under ``key`` by id, reporting ids used twice."""
        found: dict[str, dict[str, Any]] = {}
        first: dict[str, int] = {}
        for index, entry in self.entries(key):
            entry_id = entry.get("id")
            if not isinstance(entry_id, str):
                continue
            if entry_id in found:
                self.add(
                    [key, index, "id"],
                    f"the id “{entry_id}” is used by an earlier {noun} ({key}[{first[entry_id]}])",
                )
                continue
            found[entry_id] = entry
            first[entry_id] = index
        return found

    # Scales -------------------------------------------------------------------------------------

    def _check_scales(self) -> None:
        self.scales = self._check_ids("scales", "scale")
        for index, scale in self.entries("scales"):
            kind = scale.get("type")
            if kind not in SCALE_KEYS:
                continue
            path: list[str | int] = ["scales", index]
            allowed = SCALE_KEYS[kind]
            for key in scale:
                if key not in ("id", "type", *allowed):
                    self.add(
                        [*path, key],
                        f"“{key}” is not used by a {kind} scale (a {kind} scale may have: "
                        f"{', '.join(allowed)})",
                    )
            if kind == ScaleType.LIKERT:
                self._check_points(scale, path)
            if kind in (ScaleType.SINGLE_CHOICE, ScaleType.MULTIPLE_CHOICE):
                self._check_options(scale, path)
            if kind == ScaleType.NUMERIC:
                low, high = scale.get("minimum"), scale.get("maximum")
                if isinstance(low, int | float) and isinstance(high, int | float) and low > high:
                    self.add(
                        [*path, "maximum"], f"the maximum ({high}) is below the minimum ({low})"
                    )
            if kind == ScaleType.MULTIPLE_CHOICE:
                options, most = scale.get("options"), scale.get("max_selected")
                if isinstance(options, list) and isinstance(most, int) and most > len(options):
                    self.add(
                        [*path, "max_selected"],
                        f"{most} is more than the {len(options)} options there are to choose",
                    )

    def _check_points(self, scale: dict[str, Any], path: list[str | int]) -> None:
        points = scale.get("points")
        if not isinstance(points, list):
            return
        seen: set[int] = set()
        previous: int | None = None
        for index, point in enumerate(points):
            value = point.get("value") if isinstance(point, dict) else None
            if not isinstance(value, int) or isinstance(value, bool):
                continue
            where: list[str | int] = [*path, "points", index, "value"]
            if value in seen:
                self.add(where, f"the value {value} is given to more than one point")
            elif previous is not None and value < previous:
                self.add(where, "list the points in increasing order of value")
            seen.add(value)
            previous = value if previous is None else max(previous, value)

    def _check_options(self, scale: dict[str, Any], path: list[str | int]) -> None:
        options = scale.get("options")
        if not isinstance(options, list):
            return
        seen: set[str] = set()
        for index, option in enumerate(options):
            value = option.get("value") if isinstance(option, dict) else None
            if not isinstance(value, str):
                continue
            where: list[str | int] = [*path, "options", index, "value"]
            if value in seen:
                self.add(where, f"the value “{value}” is given to more than one option")
            if value == NOT_APPLICABLE:
                self.add(
                    where,
                    f"“{NOT_APPLICABLE}” is kept for the not-applicable answer: give the scale "
                    "a not_applicable label instead",
                )
            seen.add(value)

    def _scale_type(self, scale_id: Any) -> str | None:
        scale = self.scales.get(scale_id) if isinstance(scale_id, str) else None
        kind = scale.get("type") if scale else None
        return kind if kind in SCALE_KEYS else None

    def _scale_range(self, scale_id: str) -> tuple[float | None, float | None]:
        scale = self.scales[scale_id]
        if scale.get("type") == ScaleType.LIKERT:
            values = [
                p["value"]
                for p in scale.get("points") or []
                if isinstance(p, dict) and _is_number(p.get("value"))
            ]
            return (min(values), max(values)) if values else (None, None)
        low, high = scale.get("minimum"), scale.get("maximum")
        return (low if _is_number(low) else None, high if _is_number(high) else None)

    def _is_ordinal(self, scale_id: Any) -> bool:
        """A Likert scale (whose points, if broken, are reported with the scale), or a numeric
        scale with both a minimum and a maximum."""
        kind = self._scale_type(scale_id)
        if kind == ScaleType.LIKERT:
            return True
        return kind == ScaleType.NUMERIC and None not in self._scale_range(scale_id)

    # Items --------------------------------------------------------------------------------------

    def _check_items(self, sections: list[str]) -> None:
        self.items = self._check_ids("items", "item")
        known_covers = _known_covers()
        for index, item in self.entries("items"):
            path: list[str | int] = ["items", index]
            item_id = item.get("id", f"items[{index}]")
            scale_id = item.get("scale")
            kind = self._scale_type(scale_id)
            if isinstance(scale_id, str) and scale_id not in self.scales:
                self.add(
                    [*path, "scale"],
                    f"there is no scale “{scale_id}” (the scales are: {', '.join(self.scales)})",
                )
            section = item.get("section")
            if isinstance(section, str) and section not in sections:
                listed = ", ".join(sections) if sections else "none are defined"
                self.add([*path, "section"], f"there is no section “{section}” ({listed})")
            if item.get("reverse") is True and kind and not self._is_ordinal(scale_id):
                self.add(
                    [*path, "reverse"],
                    f"item “{item_id}” cannot be reverse-scored: its scale “{scale_id}” is "
                    f"{_kind_name(kind)} scale; only a likert scale, or a numeric scale with a "
                    "minimum and a maximum, has two ends to reverse between",
                )
            if "answer_key" in item and kind and kind != ScaleType.TRUE_FALSE:
                self.add(
                    [*path, "answer_key"],
                    f"only true/false/don't know items have an answer key; item “{item_id}” is "
                    f"answered on “{scale_id}”, {_kind_name(kind)} scale",
                )
            if kind == ScaleType.TRUE_FALSE and "answer_key" not in item:
                self.add(
                    [*path, "answer_key"],
                    f"item “{item_id}” is a true/false/don't know item, so it needs an answer "
                    "key: the correct answer, true or false (for a question with no correct "
                    "answer, use a single_choice scale)",
                )
            if "anchors" in item and kind and isinstance(scale_id, str):
                self._check_anchors(item, path, scale_id, kind)
            covers = item.get("covers")
            if isinstance(covers, list) and known_covers:
                for number, tag in enumerate(covers):
                    if isinstance(tag, str) and tag not in known_covers:
                        self.add(
                            [*path, "covers", number],
                            f"“{tag}” is neither a training topic (training/data/topics.yaml) "
                            f"nor one of the 4 Rs ({', '.join(FOUR_RS)})",
                        )

    def _check_anchors(
        self, item: dict[str, Any], path: list[str | int], scale_id: str, kind: str
    ) -> None:
        if kind != ScaleType.LIKERT:
            self.add(
                [*path, "anchors"],
                f"anchors describe the points of a likert scale; “{scale_id}” is "
                f"{_kind_name(kind)} scale",
            )
            return
        points = {
            p.get("value") for p in self.scales[scale_id].get("points") or [] if isinstance(p, dict)
        }
        anchors = item.get("anchors")
        seen: set[int] = set()
        for index, anchor in enumerate(anchors if isinstance(anchors, list) else []):
            value = anchor.get("value") if isinstance(anchor, dict) else None
            if not isinstance(value, int):
                continue
            where: list[str | int] = [*path, "anchors", index, "value"]
            if value not in points:
                shown = ", ".join(str(v) for v in sorted(v for v in points if isinstance(v, int)))
                self.add(where, f"{value} is not a point of the scale “{scale_id}” ({shown})")
            elif value in seen:
                self.add(where, f"the anchor for {value} is given more than once")
            seen.add(value)

    # Subscales and the total -------------------------------------------------------------------

    def _check_subscales(self) -> None:
        self._check_ids("subscales", "subscale")
        for index, subscale in self.entries("subscales"):
            self._check_scored_group(subscale, ["subscales", index], "subscale")
        total = self.data.get("total")
        if isinstance(total, dict):
            self._check_scored_group(total, ["total"], "total")

    def _check_scored_group(self, group: dict[str, Any], path: list[str | int], noun: str) -> None:
        listed = group.get("items")
        if not isinstance(listed, list):
            return
        valid: list[str] = []
        for index, item_id in enumerate(listed):
            if not isinstance(item_id, str):
                continue
            where: list[str | int] = [*path, "items", index]
            if item_id not in self.items:
                self.add(where, f"there is no item “{item_id}”")
                continue
            if item_id in valid:
                self.add(where, f"item “{item_id}” is listed more than once")
                continue
            scale_id = self.items[item_id].get("scale")
            kind = self._scale_type(scale_id)
            if kind is None:
                continue  # reported with the item
            if kind not in (ScaleType.LIKERT, ScaleType.NUMERIC, ScaleType.TRUE_FALSE):
                self.add(
                    where,
                    f"item “{item_id}” cannot be scored: it is answered on “{scale_id}”, "
                    f"{_kind_name(kind)} scale; only likert, numeric and true/false/don't know "
                    "items have scores",
                )
                continue
            valid.append(item_id)
        kinds = {self._scale_type(self.items[i].get("scale")) for i in valid}
        if ScaleType.TRUE_FALSE in kinds and len(kinds) > 1:
            self.add(
                [*path, "items"],
                f"the {noun} mixes knowledge items (scored correct or incorrect) with ratings; "
                "put them in separate subscales",
            )
        ranges = {
            self._scale_range(self.items[i]["scale"])
            for i in valid
            if self._scale_type(self.items[i].get("scale")) != ScaleType.TRUE_FALSE
        }
        if len(ranges) > 1:
            shown = ", ".join(sorted(f"{_num(low)} to {_num(high)}" for low, high in ranges))
            self.add(
                [*path, "items"],
                f"the {noun} mixes items on scales with different ranges ({shown}), so its "
                "mean or sum would mean little; put them in separate subscales",
            )
        least = group.get("min_answered")
        count = len(set(i for i in listed if isinstance(i, str)))
        if isinstance(least, int) and not isinstance(least, bool) and least > count:
            self.add(
                [*path, "min_answered"],
                f"{least} is more than the {count} item{'' if count == 1 else 's'} in the {noun}",
            )


def _known_covers() -> frozenset[str]:
    """The training topics' codes and the 4 Rs; empty (nothing checked) when the training
    topics file cannot be read (its own check reports that)."""
    from tip.training.topic_library import TopicsError, load_topics

    try:
        topics = load_topics()
    except TopicsError:
        return frozenset()
    return frozenset(t.code for t in topics) | frozenset(FOUR_RS)


def _is_text(value: dict[Any, Any]) -> bool:
    return "en" in value and set(value) <= {"en", "cy"}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _num(value: float | None) -> str:
    if value is None:
        return "open"
    return str(int(value)) if float(value).is_integer() else str(value)


def _kind_name(kind: str) -> str:
    names: dict[str, str] = {
        ScaleType.LIKERT: "a likert",
        ScaleType.TRUE_FALSE: "a true/false/don't know",
        ScaleType.NUMERIC: "a numeric",
        ScaleType.FREE_TEXT: "a free text",
        ScaleType.SINGLE_CHOICE: "a single choice",
        ScaleType.MULTIPLE_CHOICE: "a multiple choice",
    }
    return names.get(kind, kind)


def _join(path: Sequence[str | int]) -> str:
    result = ""
    for part in path:
        if isinstance(part, int):
            result += f"[{part}]"
        else:
            result += f".{part}" if result else str(part)
    return result


def _path_key(path: str) -> list[tuple[int, int, str]]:
    """Sort paths in the order of the file: top-level keys as the schema lists them, then list
    indexes in numeric order and keys by name."""
    order = list(_validator().schema["properties"])  # type: ignore[index]
    key: list[tuple[int, int, str]] = []
    for number, part in enumerate(path.replace("[", ".[").split(".")):
        if part.startswith("[") and part.endswith("]") and part[1:-1].isdigit():
            key.append((1, int(part[1:-1]), ""))
        elif number == 0 and part in order:
            key.append((0, order.index(part), ""))
        elif part:
            key.append((0, len(order), part))
    return key


# Building ---------------------------------------------------------------------------------------


def build_instrument(data: dict[str, Any]) -> Instrument:
    """The ``Instrument`` from data that ``check_data`` found no problem with."""
    scales = tuple(_scale(s) for s in data["scales"])
    by_id = {s.id: s for s in scales}
    return Instrument(
        id=data["id"],
        version=data["version"],
        languages=tuple(data["languages"]),
        title=_text(data["title"]),
        description=_text(data["description"]),
        instructions=_text_or_none(data.get("instructions")),
        respondent=Respondent(data["respondent"]),
        licence=data["licence"].strip(),
        source=_text(data["source"]),
        validated=data["validated"],
        validation_note=_text(data["validation_note"]),
        scales=scales,
        sections=tuple(
            Section(id=s["id"], title=_text(s["title"]), intro=_text_or_none(s.get("intro")))
            for s in data.get("sections", [])
        ),
        items=tuple(_item(i, by_id) for i in data["items"]),
        subscales=tuple(_subscale(s["id"], s) for s in data.get("subscales", [])),
        total=_subscale(TOTAL, data["total"]) if "total" in data else None,
    )


def _text(value: dict[str, str]) -> Text:
    return Text(en=value["en"].strip(), cy=value["cy"].strip())


def _text_or_none(value: dict[str, str] | None) -> Text | None:
    return _text(value) if value is not None else None


def _scale(data: dict[str, Any]) -> Scale:
    return Scale(
        id=data["id"],
        type=ScaleType(data["type"]),
        points=tuple(
            Point(value=p["value"], label=_text(p["label"])) for p in data.get("points", [])
        ),
        options=tuple(
            Option(value=o["value"], label=_text(o["label"])) for o in data.get("options", [])
        ),
        minimum=data.get("minimum"),
        maximum=data.get("maximum"),
        whole_number=data.get("whole_number", False),
        unit=_text_or_none(data.get("unit")),
        max_length=data.get("max_length", DEFAULT_MAX_LENGTH),
        max_selected=data.get("max_selected"),
        not_applicable=_text_or_none(data.get("not_applicable")),
        true_label=_text_or_none(data.get("true_label")),
        false_label=_text_or_none(data.get("false_label")),
        dont_know_label=_text_or_none(data.get("dont_know_label")),
        dont_know=DontKnow(data.get("dont_know", DontKnow.INCORRECT)),
    )


def _item(data: dict[str, Any], scales: dict[str, Scale]) -> Item:
    return Item(
        id=data["id"],
        text=_text(data["text"]),
        scale=scales[data["scale"]],
        hint=_text_or_none(data.get("hint")),
        section=data.get("section"),
        required=data.get("required", False),
        reverse=data.get("reverse", False),
        answer_key=data.get("answer_key"),
        anchors=tuple(
            Anchor(value=a["value"], text=_text(a["text"])) for a in data.get("anchors", [])
        ),
        covers=tuple(data.get("covers", [])),
    )


def _subscale(subscale_id: str, data: dict[str, Any]) -> Subscale:
    return Subscale(
        id=subscale_id,
        title=_text(data["title"]),
        item_ids=tuple(data["items"]),
        method=Method(data["method"]),
        min_answered=data["min_answered"],
    )
