"""The Theory of Change interchange format: a programme as one JSON document, read back exactly.

Pure Python (no Django): this module defines the format, checks a file against it and turns it
into a `Document`; `interchange_services` reads and writes the database.

The format (JSON Schema: data/theory-of-change.schema.json), version 2::

    {
      "format": "tip.theory-of-change",
      "version": 2,
      "programme": {"name": "...", "aims": "...",
                    "target_sectors": ["police", ...], "target_groups": ["frontline", ...]},
      "elements": [
        {"ref": "e1", "kind": "activity|output|outcome", "title": "...", "description": "...",
         "level": "", "horizon": "", "outcome_code": ""}
      ],
      "links": [
        {"source": "e1", "target": "e2", "rationale": "...",
         "evidence": "strong|moderate|emerging|none", "evidence_source": "..."}
      ],
      "notes": [
        {"kind": "assumption|barrier|enabler", "text": "...", "element": "e1"},
        {"kind": "assumption", "text": "...", "link": {"source": "e1", "target": "e2"}}
      ],
      "indicators": [
        {"outcome": "e2", "what": "...", "how": "...", "from_whom": "...", "when": "..."}
      ],
      "evaluation_questions": [
        {"text": "...", "status": "accepted|dismissed", "proposal_key": "link:e1>e2"}
      ],
      "phases": [
        {"kind": "learn|implement|review", "starts_on": "2026-01-05", "ends_on": "2026-03-27"}
      ],
      "senior_responsible_owner": {"name": "...", "role": "..."},
      "delivery_board": [{"name": "...", "role": "...", "organisation": "..."}],
      "organisation_leads": [{"organisation": "...", "name": "...", "role": "..."}],
      "codesign_activities": [
        {"who_took_part": ["young_people", ...], "who_else": "", "how": "...",
         "held_on": "2026-02-11", "what_changed": "..."}
      ]
    }

* `ref` names an element within the file only (letters, digits, "_", "." or "-"); it is not a
  database id. TIP exports "e1", "e2", ... in the order the elements are shown.
* An outcome has a `level` (practitioners, organisations, beneficiaries, sector) and a `horizon`
  (short, medium, long); activities and outputs leave both blank.
* A note is attached to exactly one element (`element`) or one link (`link`, by its source and
  target: there is at most one link from one element to another).
* Links may not go round in a circle, nor link an element to itself.
* The order of each list is kept: elements are shown in file order within their kind.
* Phases run learn, implement, review, one after another, each at most once; a phase ends on or
  after the day it starts. Dates are written year-month-day.
* Organisations (of board members and leads) are named as the importing partnership names them:
  the file carries names, not ids, and `interchange_services` matches them. A board member's
  `organisation` may be blank; each organisation has at most one lead.
* The senior responsible owner is written as a name and a role, also when TIP holds them as a
  member of the partnership: a membership does not travel between partnerships.
* Every object refuses fields the format does not define, so a file from a newer or different
  tool is refused rather than half-read. Only `format`, `version`, `programme` (with its `name`)
  and `elements` are required; missing lists are empty and missing text is blank.
* Version 2 added the programme's details (who it is for, phases, governance, co-design) and
  its answers to the readiness check's planning questions, all optional. TIP writes version 2
  and reads versions 1 and 2 by the same rules: a version 1 file is a version 2 file without
  the details.

Problems are `Problem`s: strings in English that also carry their message template and values,
so the pages can show them in the reader's language (`Problem.translated`). Each names what is at
fault: the element by its ref and title, or the link, note, indicator or field.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

FORMAT = "tip.theory-of-change"
VERSION = 2
# The versions TIP reads, oldest first: version 1 is version 2 without the programme's details.
VERSIONS = (1, 2)
SCHEMA_PATH = Path(__file__).parent / "data" / "theory-of-change.schema.json"

# The values the format allows. They are the models' choices; a test keeps the two the same.
ELEMENT_KINDS = ("activity", "output", "outcome")
LEVELS = ("practitioners", "organisations", "beneficiaries", "sector")
HORIZONS = ("short", "medium", "long")
EVIDENCE_RATINGS = ("strong", "moderate", "emerging", "none")
NOTE_KINDS = ("assumption", "barrier", "enabler")
QUESTION_STATUSES = ("accepted", "dismissed")
SECTORS = (
    "police",
    "health",
    "education",
    "childrens_services",
    "youth_justice",
    "probation",
    "voluntary",
    "housing",
    "other",
)
WORKFORCE_GROUPS = ("frontline", "senior_leaders", "managers", "support_staff", "volunteers")
# In the order they run.
PHASE_KINDS = ("learn", "implement", "review")
PARTICIPANTS = ("practitioners", "young_people", "lived_experience", "other")
# "Other" people took part: `who_else` says who.
OTHER_PARTICIPANT = "other"
DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"

# Past this many, a file is reported as having "N more problems".
MAX_PROBLEMS = 50


def gettext_noop(message: str) -> str:
    """Mark a message for translation without translating it here (the pages translate it)."""
    return message


class Problem(str):
    """A message in English that keeps its template and values, to be shown translated."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, **params: Any) -> Problem:
        obj = super().__new__(cls, template % params if params else template)
        obj.template = template
        obj.params = params
        return obj

    def translated(self, gettext: Callable[[str], str]) -> str:
        params = {
            key: value.translated(gettext) if isinstance(value, Problem) else value
            for key, value in self.params.items()
        }
        text = gettext(self.template)
        return text % params if params else text


class InterchangeError(ValueError):
    """The file cannot be imported. `problems` lists everything found, each naming its place."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems: list[str] = list(problems)


# --- The document ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Element:
    ref: str
    kind: str
    title: str
    description: str = ""
    level: str = ""
    horizon: str = ""
    outcome_code: str = ""


@dataclass(frozen=True)
class Link:
    source: str
    target: str
    evidence: str
    rationale: str = ""
    evidence_source: str = ""


@dataclass(frozen=True)
class Note:
    kind: str
    text: str
    element: str | None = None
    # (source ref, target ref) of the link the note is on.
    link: tuple[str, str] | None = None


@dataclass(frozen=True)
class Indicator:
    outcome: str
    what: str
    how: str
    from_whom: str
    when: str


@dataclass(frozen=True)
class EvaluationQuestion:
    text: str
    status: str
    proposal_key: str = ""


@dataclass(frozen=True)
class Phase:
    kind: str
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class BoardMember:
    name: str
    role: str = ""
    # The organisation's name, as the partnership names it; blank for none.
    organisation: str = ""


@dataclass(frozen=True)
class OrganisationLead:
    organisation: str
    name: str
    role: str = ""


@dataclass(frozen=True)
class CoDesignActivity:
    who_took_part: tuple[str, ...]
    how: str
    held_on: date
    what_changed: str
    who_else: str = ""


@dataclass(frozen=True)
class ReadinessAnswer:
    """An answer to one of the readiness check's planning questions."""

    question: str
    answer: str | float | None = None
    details: str = ""


@dataclass(frozen=True)
class Document:
    name: str
    aims: str = ""
    elements: tuple[Element, ...] = ()
    links: tuple[Link, ...] = ()
    notes: tuple[Note, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    evaluation_questions: tuple[EvaluationQuestion, ...] = ()
    # Version 2: the programme's details.
    target_sectors: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    phases: tuple[Phase, ...] = ()
    sro_name: str = ""
    sro_role: str = ""
    delivery_board: tuple[BoardMember, ...] = ()
    organisation_leads: tuple[OrganisationLead, ...] = ()
    codesign_activities: tuple[CoDesignActivity, ...] = ()
    readiness_answers: tuple[ReadinessAnswer, ...] = ()

    @property
    def names_people(self) -> bool:
        """Whether the document holds people's names (personal data)."""
        return bool(self.sro_name or self.delivery_board or self.organisation_leads)

    def to_dict(self) -> dict[str, Any]:
        """The document in the interchange format, every field written out."""
        notes = []
        for note in self.notes:
            item: dict[str, Any] = {"kind": note.kind, "text": note.text}
            if note.element is not None:
                item["element"] = note.element
            if note.link is not None:
                item["link"] = {"source": note.link[0], "target": note.link[1]}
            notes.append(item)
        return {
            "format": FORMAT,
            "version": VERSION,
            "programme": {
                "name": self.name,
                "aims": self.aims,
                "target_sectors": list(self.target_sectors),
                "target_groups": list(self.target_groups),
            },
            "elements": [
                {
                    "ref": e.ref,
                    "kind": e.kind,
                    "title": e.title,
                    "description": e.description,
                    "level": e.level,
                    "horizon": e.horizon,
                    "outcome_code": e.outcome_code,
                }
                for e in self.elements
            ],
            "links": [
                {
                    "source": link.source,
                    "target": link.target,
                    "rationale": link.rationale,
                    "evidence": link.evidence,
                    "evidence_source": link.evidence_source,
                }
                for link in self.links
            ],
            "notes": notes,
            "indicators": [
                {
                    "outcome": i.outcome,
                    "what": i.what,
                    "how": i.how,
                    "from_whom": i.from_whom,
                    "when": i.when,
                }
                for i in self.indicators
            ],
            "evaluation_questions": [
                {"text": q.text, "status": q.status, "proposal_key": q.proposal_key}
                for q in self.evaluation_questions
            ],
            "phases": [
                {
                    "kind": phase.kind,
                    "starts_on": phase.starts_on.isoformat(),
                    "ends_on": phase.ends_on.isoformat(),
                }
                for phase in self.phases
            ],
            "senior_responsible_owner": {"name": self.sro_name, "role": self.sro_role},
            "delivery_board": [
                {"name": m.name, "role": m.role, "organisation": m.organisation}
                for m in self.delivery_board
            ],
            "organisation_leads": [
                {"organisation": lead.organisation, "name": lead.name, "role": lead.role}
                for lead in self.organisation_leads
            ],
            "codesign_activities": [
                {
                    "who_took_part": list(a.who_took_part),
                    "who_else": a.who_else,
                    "how": a.how,
                    "held_on": a.held_on.isoformat(),
                    "what_changed": a.what_changed,
                }
                for a in self.codesign_activities
            ],
            "readiness_answers": [
                {"question": a.question, "answer": a.answer, "details": a.details}
                for a in sorted(self.readiness_answers, key=lambda a: a.question)
            ],
        }


def dumps(document: Document | Mapping[str, Any]) -> str:
    """The document as JSON text, indented so it reads and diffs well."""
    data = document.to_dict() if isinstance(document, Document) else document
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


@cache
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


# --- Reading a file ----------------------------------------------------------------------------


def parse(text: str | bytes) -> Document:
    """Read a file in the interchange format. Raises InterchangeError listing every problem."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InterchangeError(
                [
                    Problem(
                        gettext_noop(
                            "The file could not be read as text. Save it as JSON in UTF-8 and "
                            "try again."
                        )
                    )
                ]
            ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InterchangeError(
            [
                Problem(
                    gettext_noop(
                        "The file is not valid JSON: %(detail)s at line %(line)s, "
                        "column %(column)s."
                    ),
                    detail=exc.msg,
                    line=exc.lineno,
                    column=exc.colno,
                )
            ]
        ) from None
    problems = _format_problems(data) or _schema_problems(data)
    if not problems:
        problems = _reference_problems(data) + _detail_problems(data) + _readiness_problems(data)
    if problems:
        raise InterchangeError(_capped(problems))
    return _document(data)


def _capped(problems: list[Problem]) -> list[str]:
    if len(problems) <= MAX_PROBLEMS:
        return list(problems)
    more = len(problems) - MAX_PROBLEMS
    return [
        *problems[:MAX_PROBLEMS],
        Problem(gettext_noop("There are %(count)s more problems not listed here."), count=more),
    ]


def _format_problems(data: Any) -> list[Problem]:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return [
            Problem(
                gettext_noop(
                    "The file is not a TIP Theory of Change: its “format” should be "
                    "“%(format)s”. Export a programme from TIP to see the format."
                ),
                format=FORMAT,
            )
        ]
    version = data.get("version")
    if version not in VERSIONS or isinstance(version, bool):
        return [
            Problem(
                gettext_noop(
                    "The file uses version %(version)s of the format. TIP reads versions "
                    "%(oldest)s to %(newest)s."
                ),
                version=json.dumps(version),
                oldest=VERSIONS[0],
                newest=VERSIONS[-1],
            )
        ]
    return []


# How each list's items are named in messages.
_ITEM_NAMES = {
    "links": gettext_noop("link %(number)s"),
    "notes": gettext_noop("note %(number)s"),
    "indicators": gettext_noop("indicator %(number)s"),
    "evaluation_questions": gettext_noop("evaluation question %(number)s"),
    "phases": gettext_noop("phase %(number)s"),
    "delivery_board": gettext_noop("delivery board member %(number)s"),
    "organisation_leads": gettext_noop("organisation lead %(number)s"),
    "codesign_activities": gettext_noop("co-design activity %(number)s"),
    "readiness_answers": gettext_noop("readiness answer %(number)s"),
}
_TYPE_NAMES = {
    "string": gettext_noop("text"),
    "object": gettext_noop("an object, in curly brackets"),
    "array": gettext_noop("a list, in square brackets"),
    "integer": gettext_noop("a whole number"),
}


def item_name(list_name: str, number: int) -> Problem:
    """How messages name the `number`th item (from 1) of a list: "delivery board member 2"."""
    return Problem(_ITEM_NAMES[list_name], number=number)


def _label(ref: Any, title: Any) -> str:
    """'e3 “Mentoring sessions”': an element as the file names it."""
    title = title if isinstance(title, str) else ""
    if len(title) > 60:
        title = title[:57] + "…"
    ref = ref if isinstance(ref, str) else json.dumps(ref)
    return f"{ref} “{title}”" if title else ref


def _element_place(item: Any, number: int) -> Problem:
    if isinstance(item, dict) and isinstance(item.get("ref"), str):
        return Problem(
            gettext_noop("element %(element)s"), element=_label(item["ref"], item.get("title"))
        )
    return Problem(gettext_noop("element %(number)s"), number=number)


def _place(data: dict[str, Any], path: Sequence[Any]) -> tuple[Problem, list[str]]:
    """Where a schema error is: the element, link, note... it is in, and the field path within."""
    if not path:
        return Problem(gettext_noop("the file")), []
    head = path[0]
    if head == "programme":
        return Problem(gettext_noop("the programme")), [str(p) for p in path[1:]]
    if head == "senior_responsible_owner":
        return Problem(gettext_noop("the senior responsible owner")), [str(p) for p in path[1:]]
    if len(path) >= 2 and isinstance(path[1], int) and isinstance(data.get(head), list):
        items = data[head]
        number = path[1] + 1
        item = items[path[1]] if path[1] < len(items) else None
        rest = [str(p) for p in path[2:]]
        if head == "elements":
            return _element_place(item, number), rest
        if head == "links" and isinstance(item, dict):
            source, target = item.get("source"), item.get("target")
            if isinstance(source, str) and isinstance(target, str):
                refs = _titles(data)
                return (
                    Problem(
                        gettext_noop("the link from %(source)s to %(target)s"),
                        source=_label(source, refs.get(source)),
                        target=_label(target, refs.get(target)),
                    ),
                    rest,
                )
        if head in _ITEM_NAMES:
            return Problem(_ITEM_NAMES[head], number=number), rest
    return Problem(gettext_noop("the file")), [str(p) for p in path]


def _titles(data: dict[str, Any]) -> dict[str, Any]:
    elements = data.get("elements")
    if not isinstance(elements, list):
        return {}
    return {
        e["ref"]: e.get("title")
        for e in elements
        if isinstance(e, dict) and isinstance(e.get("ref"), str)
    }


def _schema_problems(data: dict[str, Any]) -> list[Problem]:
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(schema())
    problems = []
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    for error in errors:
        path = list(error.absolute_path)
        place, fields = _place(data, path)
        name = ".".join(fields)
        kind = error.validator
        # A value in a list (a sector, a group, who took part): named by the list it is in.
        in_list = len(fields) >= 2 and isinstance(path[-1], int)
        if kind == "additionalProperties" and isinstance(error.instance, dict):
            known = set(error.schema.get("properties", {}))
            for extra in sorted(set(error.instance) - known):
                problems.append(
                    Problem(
                        gettext_noop(
                            "In %(place)s, “%(field)s” is not a field of the format. Remove it "
                            "and try again."
                        ),
                        place=place,
                        field=".".join([*fields, extra]),
                    )
                )
        elif kind == "required" and isinstance(error.instance, dict):
            for missing in error.validator_value:
                if missing not in error.instance:
                    problems.append(
                        Problem(
                            gettext_noop("In %(place)s, “%(field)s” is missing."),
                            place=place,
                            field=".".join([*fields, missing]),
                        )
                    )
        elif kind == "enum":
            allowed = [v for v in error.validator_value if v != ""]
            problems.append(
                Problem(
                    gettext_noop(
                        "In %(place)s, “%(field)s” includes %(value)s, which is not one of: "
                        "%(allowed)s."
                    )
                    if in_list
                    else gettext_noop(
                        "In %(place)s, “%(field)s” is %(value)s, which is not one of: %(allowed)s."
                    ),
                    place=place,
                    field=".".join(fields[:-1]) if in_list else name,
                    value=json.dumps(error.instance, ensure_ascii=False),
                    allowed=", ".join(allowed),
                )
            )
        elif kind == "uniqueItems" and isinstance(error.instance, list):
            problems.append(
                Problem(
                    gettext_noop(
                        "In %(place)s, “%(field)s” includes %(value)s more than once. List each "
                        "value once."
                    ),
                    place=place,
                    field=name,
                    value=json.dumps(_repeated(error.instance), ensure_ascii=False),
                )
            )
        elif kind == "minItems":
            allowed = error.schema.get("items", {}).get("enum", [])
            problems.append(
                Problem(
                    gettext_noop(
                        "In %(place)s, “%(field)s” is an empty list. List at least one of: "
                        "%(allowed)s."
                    ),
                    place=place,
                    field=name,
                    allowed=", ".join(allowed),
                )
            )
        elif kind == "type":
            expected = error.validator_value
            problems.append(
                Problem(
                    gettext_noop("In %(place)s, “%(field)s” should be %(expected)s."),
                    place=place,
                    field=name or place,
                    expected=Problem(_TYPE_NAMES.get(expected, expected)),
                )
            )
        elif kind == "maxLength":
            problems.append(
                Problem(
                    gettext_noop("In %(place)s, “%(field)s” is longer than %(limit)s characters."),
                    place=place,
                    field=name,
                    limit=error.validator_value,
                )
            )
        elif kind == "minLength":
            problems.append(
                Problem(
                    gettext_noop("In %(place)s, “%(field)s” is empty."), place=place, field=name
                )
            )
        elif kind == "pattern" and error.validator_value == DATE_PATTERN:
            problems.append(
                Problem(
                    gettext_noop(
                        "In %(place)s, “%(field)s” is %(value)s. Write a date as year, month and "
                        "day, for example 2026-03-27."
                    ),
                    place=place,
                    field=name,
                    value=json.dumps(error.instance, ensure_ascii=False),
                )
            )
        elif kind == "pattern":
            problems.append(
                Problem(
                    gettext_noop(
                        "In %(place)s, “%(field)s” is %(value)s. A ref uses only letters, "
                        "digits, “_”, “.” and “-”, up to 50 characters."
                    ),
                    place=place,
                    field=name,
                    value=json.dumps(error.instance, ensure_ascii=False),
                )
            )
        else:
            problems.append(
                Problem(
                    gettext_noop("In %(place)s, “%(field)s” does not fit the format (%(detail)s)."),
                    place=place,
                    field=name,
                    detail=error.message,
                )
            )
    return problems


def _repeated(values: list[Any]) -> Any:
    """The first value that appears a second time."""
    seen: list[Any] = []
    for value in values:
        if value in seen:
            return value
        seen.append(value)
    return None


def _reference_problems(data: dict[str, Any]) -> list[Problem]:
    """What the schema cannot check: refs are unique and point at elements, outcomes have a level
    and a horizon, notes are on one thing, indicators measure outcomes, links run one way."""
    problems: list[Problem] = []
    elements: dict[str, dict[str, Any]] = {}
    for item in data["elements"]:
        ref = item["ref"]
        label = _label(ref, item["title"])
        if ref in elements:
            problems.append(
                Problem(
                    gettext_noop(
                        "Two elements have the ref “%(ref)s”: “%(first)s” and “%(second)s”. "
                        "Give each element its own ref."
                    ),
                    ref=ref,
                    first=elements[ref]["title"],
                    second=item["title"],
                )
            )
            continue
        elements[ref] = item
        if item["kind"] == "outcome":
            if not item.get("level"):
                problems.append(
                    Problem(
                        gettext_noop(
                            "Element %(element)s is an outcome but has no level. Use one of: "
                            "%(allowed)s."
                        ),
                        element=label,
                        allowed=", ".join(LEVELS),
                    )
                )
            if not item.get("horizon"):
                problems.append(
                    Problem(
                        gettext_noop(
                            "Element %(element)s is an outcome but has no horizon. Use one of: "
                            "%(allowed)s."
                        ),
                        element=label,
                        allowed=", ".join(HORIZONS),
                    )
                )

    def named(ref: str) -> str:
        return _label(ref, elements[ref]["title"]) if ref in elements else ref

    def unknown(place: Problem, field_name: str, ref: str) -> Problem:
        return Problem(
            gettext_noop(
                "In %(place)s, “%(field)s” is “%(ref)s”, but no element in the file has that ref."
            ),
            place=place,
            field=field_name,
            ref=ref,
        )

    # Kept in file order, so the circles found are reported in a stable order.
    links: dict[tuple[str, str], None] = {}
    for item in data.get("links", []):
        source, target = item["source"], item["target"]
        place = Problem(
            gettext_noop("the link from %(source)s to %(target)s"),
            source=named(source),
            target=named(target),
        )
        bad = False
        for field_name, ref in (("source", source), ("target", target)):
            if ref not in elements:
                problems.append(unknown(place, field_name, ref))
                bad = True
        if bad:
            continue
        if source == target:
            problems.append(
                Problem(
                    gettext_noop("Element %(element)s is linked to itself. Remove that link."),
                    element=named(source),
                )
            )
            continue
        if (source, target) in links:
            problems.append(
                Problem(
                    gettext_noop("In %(place)s: the same link appears more than once."), place=place
                )
            )
        links[source, target] = None

    for number, item in enumerate(data.get("notes", []), start=1):
        place = Problem(_ITEM_NAMES["notes"], number=number)
        on_element, on_link = "element" in item, "link" in item
        if on_element == on_link:
            problems.append(
                Problem(
                    gettext_noop(
                        "In %(place)s (“%(text)s”), the note should be on one element "
                        "(“element”) or one link (“link”)."
                    ),
                    place=place,
                    text=_short(item["text"]),
                )
            )
        elif on_element and item["element"] not in elements:
            problems.append(unknown(place, "element", item["element"]))
        elif on_link:
            source, target = item["link"]["source"], item["link"]["target"]
            if (source, target) not in links:
                problems.append(
                    Problem(
                        gettext_noop(
                            "In %(place)s, there is no link from %(source)s to %(target)s."
                        ),
                        place=place,
                        source=named(source),
                        target=named(target),
                    )
                )

    for number, item in enumerate(data.get("indicators", []), start=1):
        place = Problem(_ITEM_NAMES["indicators"], number=number)
        ref = item["outcome"]
        if ref not in elements:
            problems.append(unknown(place, "outcome", ref))
        elif elements[ref]["kind"] != "outcome":
            problems.append(
                Problem(
                    gettext_noop(
                        "In %(place)s, element %(element)s is not an outcome. Indicators measure "
                        "outcomes."
                    ),
                    place=place,
                    element=named(ref),
                )
            )

    for cycle in find_cycles(links):
        problems.append(
            Problem(
                gettext_noop(
                    "The links go round in a circle: %(cycle)s. A Theory of Change leads one "
                    "way, so one of these links needs to go."
                ),
                cycle=" → ".join(named(ref) for ref in cycle),
            )
        )
    return problems


def _date(value: str) -> date | None:
    """A date the schema has seen to be written year-month-day, if there is such a day."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _not_a_date(place: Problem, field_name: str, value: str) -> Problem:
    return Problem(
        gettext_noop("In %(place)s, “%(field)s” is %(value)s, but there is no such day."),
        place=place,
        field=field_name,
        value=json.dumps(value),
    )


def _detail_problems(data: dict[str, Any]) -> list[Problem]:
    """What the schema cannot check in the programme's details: real dates, phases once each,
    in order and not overlapping, who else took part when "other" people did, and one lead for
    each organisation."""
    problems: list[Problem] = []

    # Each kind: its number in the file; and for phases with good dates, (number, starts, ends).
    kinds: dict[str, int] = {}
    phases: dict[str, tuple[int, date, date]] = {}
    for number, item in enumerate(data.get("phases", []), start=1):
        place = Problem(_ITEM_NAMES["phases"], number=number)
        kind = item["kind"]
        starts, ends = _date(item["starts_on"]), _date(item["ends_on"])
        if starts is None:
            problems.append(_not_a_date(place, "starts_on", item["starts_on"]))
        if ends is None:
            problems.append(_not_a_date(place, "ends_on", item["ends_on"]))
        if kind in kinds:
            problems.append(
                Problem(
                    gettext_noop(
                        "Phases %(first)s and %(second)s are both the “%(kind)s” phase. A "
                        "programme has each phase once."
                    ),
                    first=kinds[kind],
                    second=number,
                    kind=kind,
                )
            )
            continue
        kinds[kind] = number
        if starts is None or ends is None:
            continue
        if ends < starts:
            problems.append(
                Problem(
                    gettext_noop(
                        "In %(place)s, the “%(kind)s” phase ends (%(ends)s) before it starts "
                        "(%(starts)s)."
                    ),
                    place=place,
                    kind=kind,
                    starts=starts.isoformat(),
                    ends=ends.isoformat(),
                )
            )
            continue
        phases[kind] = (number, starts, ends)
    previous: tuple[str, date] | None = None
    for kind in PHASE_KINDS:
        if kind not in phases:
            continue
        number, starts, ends = phases[kind]
        if previous is not None and starts < previous[1]:
            problems.append(
                Problem(
                    gettext_noop(
                        "In %(place)s, the “%(kind)s” phase starts (%(starts)s) before the "
                        "“%(before)s” phase ends (%(ends)s). The phases run one after another: "
                        "%(order)s."
                    ),
                    place=Problem(_ITEM_NAMES["phases"], number=number),
                    kind=kind,
                    starts=starts.isoformat(),
                    before=previous[0],
                    ends=previous[1].isoformat(),
                    order=", ".join(PHASE_KINDS),
                )
            )
        previous = (kind, ends)

    leads: dict[str, int] = {}
    for number, item in enumerate(data.get("organisation_leads", []), start=1):
        key = organisation_key(item["organisation"])
        if key in leads:
            problems.append(
                Problem(
                    gettext_noop(
                        "Organisation leads %(first)s and %(second)s are both for "
                        "“%(organisation)s”. An organisation has one lead for the programme."
                    ),
                    first=leads[key],
                    second=number,
                    organisation=item["organisation"],
                )
            )
        else:
            leads[key] = number

    for number, item in enumerate(data.get("codesign_activities", []), start=1):
        place = Problem(_ITEM_NAMES["codesign_activities"], number=number)
        held_on = item["held_on"]
        if _date(held_on) is None:
            problems.append(_not_a_date(place, "held_on", held_on))
        if OTHER_PARTICIPANT in item["who_took_part"] and not item.get("who_else", "").strip():
            problems.append(
                Problem(
                    gettext_noop(
                        "In %(place)s, “who_took_part” includes “%(other)s”, so “who_else” "
                        "should say who else took part."
                    ),
                    place=place,
                    other=OTHER_PARTICIPANT,
                )
            )
    return problems


def _readiness_problems(data: dict[str, Any]) -> list[Problem]:
    """Answers to the readiness check's planning questions: each for a question TIP asks, once,
    and of the question's kind (yes or no, or a number within its range)."""
    from tip.programmes.readiness_rules import NUMBER, YES_NO, load_rules

    rules = load_rules()
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for number, item in enumerate(data.get("readiness_answers", []), start=1):
        place = Problem(_ITEM_NAMES["readiness_answers"], number=number)
        question = rules.question(item["question"])
        answer = item.get("answer")
        if question is None:
            problems.append(
                Problem(
                    gettext_noop(
                        "In %(place)s, “%(question)s” is not one of the readiness check's "
                        "planning questions."
                    ),
                    place=place,
                    question=item["question"],
                )
            )
            continue
        if question.id in seen:
            problems.append(
                Problem(
                    gettext_noop(
                        "Readiness answers %(first)s and %(second)s both answer “%(question)s”. "
                        "Keep one."
                    ),
                    first=seen[question.id],
                    second=number,
                    question=question.id,
                )
            )
            continue
        seen[question.id] = number
        if answer is None:
            continue
        if question.type == YES_NO and answer not in ("yes", "no"):
            problems.append(
                Problem(
                    gettext_noop(
                        "In %(place)s, the answer to “%(question)s” should be “yes”, “no” or "
                        "null, not %(value)s."
                    ),
                    place=place,
                    question=question.id,
                    value=json.dumps(answer),
                )
            )
        elif question.type == NUMBER:
            low = question.minimum if question.minimum is not None else float("-inf")
            high = question.maximum if question.maximum is not None else float("inf")
            if isinstance(answer, bool) or not isinstance(answer, int | float):
                ok = False
            else:
                ok = low <= answer <= high and (not question.whole_number or answer == int(answer))
            if not ok:
                problems.append(
                    Problem(
                        gettext_noop(
                            "In %(place)s, the answer to “%(question)s” should be a number from "
                            "%(min)s to %(max)s, not %(value)s."
                        ),
                        place=place,
                        question=question.id,
                        min=f"{low:g}",
                        max=f"{high:g}",
                        value=json.dumps(answer),
                    )
                )
    return problems


def organisation_key(name: str) -> str:
    """How organisation names are matched: ignoring case and spaces at either end."""
    return name.strip().casefold()


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "…"


def find_cycles(edges: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Circles in a directed graph, each as the refs along it with the first repeated at the end.

    A depth-first search without recursion (a file may hold thousands of elements); every circle
    it meets through a link back into the current path is reported once.
    """
    graph: dict[str, list[str]] = {}
    for source, target in edges:
        graph.setdefault(source, []).append(target)
        graph.setdefault(target, [])
    done: set[str] = set()
    cycles: list[list[str]] = []
    seen: set[frozenset[str]] = set()
    for start in graph:
        if start in done:
            continue
        path: list[str] = [start]
        on_path = {start}
        stack: list[Iterator[str]] = [iter(graph[start])]
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                stack.pop()
                node = path.pop()
                on_path.discard(node)
                done.add(node)
                continue
            if nxt in on_path:
                cycle = path[path.index(nxt) :]
                key = frozenset(cycle)
                if key not in seen:
                    seen.add(key)
                    cycles.append([*cycle, nxt])
            elif nxt not in done:
                path.append(nxt)
                on_path.add(nxt)
                stack.append(iter(graph[nxt]))
    return cycles


def _document(data: dict[str, Any]) -> Document:
    programme = data["programme"]
    sro = data.get("senior_responsible_owner", {})
    return Document(
        name=programme["name"],
        aims=programme.get("aims", ""),
        elements=tuple(
            Element(
                ref=e["ref"],
                kind=e["kind"],
                title=e["title"],
                description=e.get("description", ""),
                level=e.get("level", ""),
                horizon=e.get("horizon", ""),
                outcome_code=e.get("outcome_code", ""),
            )
            for e in data["elements"]
        ),
        links=tuple(
            Link(
                source=link["source"],
                target=link["target"],
                evidence=link["evidence"],
                rationale=link.get("rationale", ""),
                evidence_source=link.get("evidence_source", ""),
            )
            for link in data.get("links", [])
        ),
        notes=tuple(
            Note(
                kind=n["kind"],
                text=n["text"],
                element=n.get("element"),
                link=(n["link"]["source"], n["link"]["target"]) if "link" in n else None,
            )
            for n in data.get("notes", [])
        ),
        indicators=tuple(
            Indicator(
                outcome=i["outcome"],
                what=i["what"],
                how=i["how"],
                from_whom=i["from_whom"],
                when=i["when"],
            )
            for i in data.get("indicators", [])
        ),
        evaluation_questions=tuple(
            EvaluationQuestion(
                text=q["text"], status=q["status"], proposal_key=q.get("proposal_key", "")
            )
            for q in data.get("evaluation_questions", [])
        ),
        target_sectors=tuple(programme.get("target_sectors", [])),
        target_groups=tuple(programme.get("target_groups", [])),
        phases=tuple(
            Phase(
                kind=ph["kind"],
                starts_on=date.fromisoformat(ph["starts_on"]),
                ends_on=date.fromisoformat(ph["ends_on"]),
            )
            for ph in data.get("phases", [])
        ),
        sro_name=sro.get("name", ""),
        sro_role=sro.get("role", ""),
        delivery_board=tuple(
            BoardMember(
                name=m["name"], role=m.get("role", ""), organisation=m.get("organisation", "")
            )
            for m in data.get("delivery_board", [])
        ),
        organisation_leads=tuple(
            OrganisationLead(
                organisation=lead["organisation"], name=lead["name"], role=lead.get("role", "")
            )
            for lead in data.get("organisation_leads", [])
        ),
        codesign_activities=tuple(
            CoDesignActivity(
                who_took_part=tuple(a["who_took_part"]),
                how=a["how"],
                held_on=date.fromisoformat(a["held_on"]),
                what_changed=a["what_changed"],
                who_else=a.get("who_else", ""),
            )
            for a in data.get("codesign_activities", [])
        ),
        readiness_answers=tuple(
            ReadinessAnswer(
                question=a["question"], answer=a.get("answer"), details=a.get("details", "")
            )
            for a in sorted(data.get("readiness_answers", []), key=lambda a: a["question"])
        ),
    )
