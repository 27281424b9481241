"""A plan's data for analysis, pseudonymised (docs/evaluation-observations-exports.md):

* ``answers.csv``: tidy long format, one row per answer (and one per covariate) of every
  submitted response;
* ``observations.csv``: one row per answer (and the notes) of every observation;
* ``items.csv``: the codebook, one row per item of the instruments in the export;
* the data package: a ZIP of the three with ``datapackage.json`` (a Frictionless Data Package: a
  Table Schema for every column) and ``README.txt``.

Nobody is named. Respondents, responses, observations, observers and sessions appear as
pseudonyms: an HMAC-SHA256 of the record's id, keyed by a key derived from ``SECRET_KEY`` and the
plan, so they are stable for a plan (two exports of it match), differ between plans, and cannot
be turned back into ids without the key. No email addresses, bookings or accounts. Organisations
and teams are pseudonymous codes too, unless the export is made with ``exact_organisations``
(allowed to programme leads and partnership admins). Free text is left out once the plan is past
its retention date (retention.py), even before the sweep has removed it. Text cells a
spreadsheet would run as a formula are neutralised.

Rows are produced one at a time from database iterators, so memory stays flat.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import hmac
import io
import json
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_noop

from tip.evaluation.analysis.instrument_model import Instrument, Item, ScaleType
from tip.evaluation.analysis.scoring import AnswerError, clean_answer, item_score
from tip.evaluation.imports import ARTIC
from tip.evaluation.models import (
    EvaluationPlan,
    Group,
    Observation,
    Response,
    ResponseSource,
    WaveKind,
)
from tip.evaluation.retention import is_due
from tip.evaluation.selectors_instruments import PartnershipRef, all_instruments

# Written to the audit log in English (core/purposes.py explains why).
PURPOSE_ANSWERS = gettext_noop("Evaluation: exporting answers (pseudonymised)")
PURPOSE_OBSERVATIONS = gettext_noop("Evaluation: exporting observations (pseudonymised)")
PURPOSE_PACKAGE = gettext_noop("Evaluation: exporting the data package (pseudonymised)")

CHUNK = 500
RECORD_ANSWER = "answer"
RECORD_COVARIATE = "covariate"
RECORD_NOTES = "notes"
SEPARATOR = ";"


# Pseudonyms ------------------------------------------------------------------------------------


class Pseudonyms:
    """Pseudonyms for one plan: ``R-`` respondents, ``A-`` responses, ``B-`` observations, ``V-``
    observers, ``S-`` sessions, ``O-`` organisations, ``T-`` teams. 16 hex digits (64 bits)."""

    def __init__(self, plan: EvaluationPlan) -> None:
        self._key = hmac.new(
            settings.SECRET_KEY.encode(),
            f"tip-evaluation-export:plan:{plan.pk}".encode(),
            hashlib.sha256,
        ).digest()

    def of(self, kind: str, value: object) -> str:
        if value is None or value == "":
            return ""
        digest = hmac.new(self._key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
        return f"{kind}-{digest[:16]}"


def csv_safe(value: str) -> str:
    """Stop a spreadsheet from running a cell as a formula (CSV injection), as the audit log's
    export does."""
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


# Columns ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Table Schema types: string, integer, number, date
    description: str
    required: bool = False
    enum: tuple[tuple[str, str], ...] = ()  # (code, label)
    pattern: str = ""

    def schema(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "description": self.description,
        }
        constraints: dict[str, Any] = {"required": self.required}
        if self.enum:
            constraints["enum"] = [code for code, _label in self.enum]
            found["categories"] = [{"value": c, "label": label} for c, label in self.enum]
        if self.pattern:
            constraints["pattern"] = self.pattern
        found["constraints"] = constraints
        return found


def _choices(choices: Any) -> tuple[tuple[str, str], ...]:
    return tuple((str(v), str(label)) for v, label in choices)


def _english(text: Any) -> str:
    return str(text)


_PSEUDONYM = "^{}-[0-9a-f]{{16}}$"

_ITEM_ID = Column(
    "item_id",
    "string",
    "The question's id in the instrument (for covariates: the covariate's name).",
    True,
)
_ITEM_VALUES = (
    Column(
        "subscales",
        "string",
        "The subscales the item counts towards, separated by ';' ('total' for the instrument's "
        "total). Empty when the item is not scored.",
    ),
    Column(
        "value",
        "string",
        "The answer as stored: a scale point's number, an option's code (items.csv gives the "
        "labels), several codes separated by ';', 'not_applicable', or text; for an imported "
        "ARTIC score, the score (a mean, 1 to 7). Free text is left out once the plan's "
        "retention date has passed.",
    ),
    Column(
        "scored_value",
        "number",
        "The item's score: a rating's value after reverse-scoring (low + high - value), 1 or 0 "
        "for a knowledge item; for an imported ARTIC score, the score itself. Empty when the "
        "item is not scored or has no answer.",
    ),
)
# Observations are always made with a numbered version of an instrument.
ITEM_COLUMNS = (
    Column("instrument_id", "string", "The instrument's id in TIP's library.", True),
    Column("instrument_version", "integer", "The version of the instrument answered.", False),
    _ITEM_ID,
    *_ITEM_VALUES,
)
# Answers may also be imported ARTIC scores, whose version is the form the partnership stated
# (ARTIC-45, ARTIC-35, ARTIC-10): so the version is text, and each score is a row of its own.
ANSWER_ITEM_COLUMNS = (
    Column(
        "instrument_id",
        "string",
        "The instrument's id in TIP's library ('artic' for imported ARTIC scores).",
        True,
    ),
    Column(
        "instrument_version",
        "string",
        "The version of the instrument answered: a whole number (1, 2, ...) for TIP's "
        "instruments and the partnership's own; for imported ARTIC scores, the form they were "
        "scored on (ARTIC-45, ARTIC-35 or ARTIC-10).",
        False,
    ),
    Column(
        "item_id",
        "string",
        "The question's id in the instrument (for covariates: the covariate's name). For "
        "imported ARTIC scores, which score the row holds: 'total', or 'subscale:' followed by "
        "the subscale's name as the scorer's file headed it.",
        True,
    ),
    *_ITEM_VALUES,
)

ANSWER_COLUMNS: tuple[Column, ...] = (
    Column("plan", "integer", "The evaluation plan's id.", True),
    Column("wave", "string", "The wave's name, in the plan's words.", True),
    Column(
        "wave_kind",
        "string",
        "The kind of wave.",
        True,
        _choices((v, _english(label)) for v, label in WaveKind.choices),
    ),
    Column(
        "wave_offset_days", "integer", "Days from the training session: negative before it.", True
    ),
    Column(
        "group",
        "string",
        "Trained, or in a comparison cohort.",
        True,
        _choices((v, _english(label)) for v, label in Group.choices),
    ),
    Column(
        "respondent",
        "string",
        "The respondent's pseudonym, the same at every wave (HMAC of the respondent's id with a "
        "key of the plan's). Empty for answers linked by an anonymous code only.",
        False,
        pattern=_PSEUDONYM.format("R"),
    ),
    Column(
        "response",
        "string",
        "The response's pseudonym: one person's answers at one wave.",
        True,
        pattern=_PSEUDONYM.format("A"),
    ),
    Column(
        "source",
        "string",
        "How the answers reached TIP.",
        True,
        _choices((v, _english(label)) for v, label in ResponseSource.choices),
    ),
    Column(
        "record",
        "string",
        "What the row holds: an answer to an item, or a covariate (a baseline fact for matching "
        "a comparison group: its name in item_id, its value in value).",
        True,
        ((RECORD_ANSWER, "An answer"), (RECORD_COVARIATE, "A covariate")),
    ),
    *ANSWER_ITEM_COLUMNS,
    Column("answered_on", "date", "The date the response was submitted (YYYY-MM-DD).", True),
)

OBSERVATION_COLUMNS: tuple[Column, ...] = (
    Column("plan", "integer", "The evaluation plan's id.", True),
    Column(
        "observation",
        "string",
        "The observation's pseudonym.",
        True,
        pattern=_PSEUDONYM.format("B"),
    ),
    Column("observed_on", "date", "The date observed (YYYY-MM-DD).", True),
    Column("observer", "string", "The observer's pseudonym.", pattern=_PSEUDONYM.format("V")),
    Column(
        "session",
        "string",
        "The pseudonym of the training session observed, if a session was observed.",
        pattern=_PSEUDONYM.format("S"),
    ),
    Column(
        "organisation",
        "string",
        "The organisation observed: a pseudonymous code (O-...), or its name in an export "
        "made with exact organisations.",
    ),
    Column(
        "team",
        "string",
        "The team observed: a pseudonymous code (T-...), or its name in an export made with "
        "exact organisations.",
    ),
    Column(
        "record",
        "string",
        "What the row holds: an answer to an item, or the observer's other notes (item_id "
        "'notes').",
        True,
        ((RECORD_ANSWER, "An answer"), (RECORD_NOTES, "Other notes")),
    ),
    *ITEM_COLUMNS,
)

CODEBOOK_COLUMNS: tuple[Column, ...] = (
    Column("instrument_id", "string", "The instrument's id in TIP's library.", True),
    Column("instrument_version", "integer", "The instrument's version.", True),
    Column("item_id", "string", "The question's id.", True),
    Column("text", "string", "The question, in English.", True),
    Column(
        "scale_type",
        "string",
        "How it is answered.",
        True,
        tuple((t.value, t.value) for t in ScaleType),
    ),
    Column("codes", "string", "The answer codes and their labels: 'code=label', separated by ';'."),
    Column(
        "reverse_scored",
        "string",
        "'yes' when the item is reverse-scored.",
        True,
        (("yes", "yes"), ("no", "no")),
    ),
    Column("subscales", "string", "The subscales the item counts towards, separated by ';'."),
)


# Instruments -----------------------------------------------------------------------------------


@dataclass
class _ItemInfo:
    item: Item
    subscales: str


@dataclass
class _Library:
    by_version: dict[tuple[str, int], Instrument] = field(default_factory=dict)
    items: dict[tuple[str, int], dict[str, _ItemInfo]] = field(default_factory=dict)

    @classmethod
    def load(cls, partnership: PartnershipRef = None) -> _Library:
        """TIP's instruments and every version of the partnership's own."""
        library = cls()
        for instrument in all_instruments(partnership):
            key = (instrument.id, instrument.version)
            library.by_version[key] = instrument
            info: dict[str, _ItemInfo] = {}
            for item in instrument.items:
                groups = [s.id for s in instrument.subscales if item.id in s.item_ids]
                if instrument.total is not None and item.id in instrument.total.item_ids:
                    groups.append(instrument.total.id)
                info[item.id] = _ItemInfo(item, SEPARATOR.join(groups))
            library.items[key] = info
        return library

    def item(self, instrument_id: str, version: int | None, item_id: str) -> _ItemInfo | None:
        if version is None:
            return None
        return self.items.get((instrument_id, version), {}).get(item_id)


def _show(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return SEPARATOR.join(csv_safe(str(v)) for v in value)
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dict):
        return csv_safe(json.dumps(value, ensure_ascii=False, sort_keys=True))
    return csv_safe(str(value))


def _score(info: _ItemInfo | None, raw: object) -> str:
    if info is None or not info.subscales:
        return ""
    try:
        cleaned = clean_answer(info.item, raw)
    except AnswerError:
        return ""
    found = item_score(info.item, cleaned)
    if found is None:
        return ""
    return str(int(found)) if float(found).is_integer() else str(found)


def _is_free_text(info: _ItemInfo | None, raw: object) -> bool:
    if info is None:
        # Not in the library: text that is not a code could be anything a person wrote.
        return isinstance(raw, str) and " " in raw.strip()
    return info.item.scale.type == ScaleType.FREE_TEXT


# Rows ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportOptions:
    exact_organisations: bool = False
    # Whether free text is left out; None: ask retention.is_due.
    drop_free_text: bool | None = None

    def drops_text(self, plan: EvaluationPlan) -> bool:
        return is_due(plan) if self.drop_free_text is None else self.drop_free_text


def answer_rows(plan: EvaluationPlan, options: ExportOptions | None = None) -> Iterator[list[str]]:
    """The header, then one row per answer and per covariate of each submitted response."""
    options = options or ExportOptions()
    names = Pseudonyms(plan)
    library = _Library.load(plan.partnership_id)
    drop_text = options.drops_text(plan)
    yield [c.name for c in ANSWER_COLUMNS]
    responses = (
        Response.objects.filter(
            plan=plan, partnership_id=plan.partnership_id, submitted_at__isnull=False
        )
        .select_related("wave")
        .only(
            "pk",
            "respondent_id",
            "group",
            "source",
            "answers",
            "versions",
            "covariates",
            "submitted_at",
            "wave__name",
            "wave__kind",
            "wave__offset_days",
        )
        .order_by("pk")
    )
    for response in responses.iterator(chunk_size=CHUNK):
        assert response.submitted_at is not None
        head = [
            str(plan.pk),
            csv_safe(response.wave.name),
            response.wave.kind,
            str(response.wave.offset_days),
            response.group,
            names.of("R", response.respondent_id),
            names.of("A", response.pk),
            response.source,
        ]
        answered_on = timezone.localdate(response.submitted_at).isoformat()
        versions = response.versions if isinstance(response.versions, dict) else {}
        answers = response.answers if isinstance(response.answers, dict) else {}
        for instrument_id, items in answers.items():
            if not isinstance(items, dict):
                continue
            stated = versions.get(instrument_id)
            version = stated if isinstance(stated, int) and not isinstance(stated, bool) else None
            shown_version = _version_text(stated)
            if instrument_id == ARTIC:
                for item_id, score in _artic_scores(items):
                    yield [
                        *head,
                        RECORD_ANSWER,
                        ARTIC,
                        shown_version,
                        csv_safe(item_id),
                        "",
                        _show(score),
                        _show(score),
                        answered_on,
                    ]
                continue
            for item_id, raw in items.items():
                info = library.item(instrument_id, version, item_id)
                if drop_text and _is_free_text(info, raw):
                    continue
                yield [
                    *head,
                    RECORD_ANSWER,
                    csv_safe(str(instrument_id)),
                    shown_version,
                    csv_safe(str(item_id)),
                    info.subscales if info else "",
                    _show(raw),
                    _score(info, raw),
                    answered_on,
                ]
        covariates = response.covariates if isinstance(response.covariates, dict) else {}
        for name, raw in sorted(covariates.items()):
            value = raw
            if "organisation" in name and not options.exact_organisations:
                value = (
                    names.of("O", raw)
                    if not isinstance(raw, list)
                    else [names.of("O", r) for r in raw]
                )
            yield [
                *head,
                RECORD_COVARIATE,
                "",
                "",
                csv_safe(str(name)),
                "",
                _show(value),
                "",
                answered_on,
            ]


def _version_text(stated: object) -> str:
    """A version as the answers export writes it: a number, or a form's name (ARTIC-45)."""
    if isinstance(stated, bool) or stated is None:
        return ""
    if isinstance(stated, int):
        return str(stated)
    return csv_safe(str(stated)) if isinstance(stated, str) else ""


def _artic_scores(stored: dict[str, Any]) -> Iterator[tuple[str, object]]:
    """Imported ARTIC scores ({"total": x, "subscales": {name: y}}, imports.py) as one
    (item id, score) each: ``total``, then ``subscale:<name>`` by name (the stored JSON keeps no
    order on PostgreSQL, so the file's order cannot be kept)."""
    total = stored.get("total")
    if total is not None:
        yield "total", total
    subscales = stored.get("subscales")
    if isinstance(subscales, dict):
        for name, score in sorted(subscales.items()):
            if score is not None:
                yield f"subscale:{name}", score


def observation_rows(
    plan: EvaluationPlan, options: ExportOptions | None = None
) -> Iterator[list[str]]:
    """The header, then one row per answer (and the notes) of each observation."""
    options = options or ExportOptions()
    names = Pseudonyms(plan)
    library = _Library.load(plan.partnership_id)
    drop_text = options.drops_text(plan)
    yield [c.name for c in OBSERVATION_COLUMNS]
    observations = (
        Observation.objects.filter(plan=plan, partnership_id=plan.partnership_id)
        .select_related("organisation")
        .order_by("observed_on", "pk")
    )
    for o in observations.iterator(chunk_size=CHUNK):
        if options.exact_organisations:
            organisation = csv_safe(o.organisation.name) if o.organisation else ""
            team = csv_safe(o.team)
        else:
            organisation = names.of("O", o.organisation_id)
            team = names.of("T", o.team.strip().lower())
        head = [
            str(plan.pk),
            names.of("B", o.pk),
            o.observed_on.isoformat(),
            names.of("V", o.observer_id),
            names.of("S", o.session_id),
            organisation,
            team,
        ]
        answers = o.answers if isinstance(o.answers, dict) else {}
        for item_id, raw in answers.items():
            info = library.item(o.instrument_id, o.instrument_version, item_id)
            if drop_text and _is_free_text(info, raw):
                continue
            yield [
                *head,
                RECORD_ANSWER,
                csv_safe(o.instrument_id),
                str(o.instrument_version),
                csv_safe(str(item_id)),
                info.subscales if info else "",
                _show(raw),
                _score(info, raw),
            ]
        if o.notes and not drop_text:
            yield [*head, RECORD_NOTES, "", "", "notes", "", csv_safe(o.notes), ""]


def codebook_rows(partnership: PartnershipRef = None) -> Iterator[list[str]]:
    """Every item of the library's instruments (TIP's, and the partnership's own when given),
    with its answer codes."""
    yield [c.name for c in CODEBOOK_COLUMNS]
    library = _Library.load(partnership)
    for (instrument_id, version), items in sorted(library.items.items()):
        for item_id, info in items.items():
            scale = info.item.scale
            codes = [f"{p.value}={p.label.en}" for p in scale.points]
            codes += [f"{o.value}={o.label.en}" for o in scale.options]
            if scale.type == ScaleType.TRUE_FALSE:
                codes += ["true", "false", "dont_know"]
            if scale.not_applicable:
                codes.append(f"not_applicable={scale.not_applicable.en}")
            yield [
                instrument_id,
                str(version),
                item_id,
                csv_safe(info.item.text.en),
                scale.type.value,
                csv_safe(SEPARATOR.join(codes)),
                "yes" if info.item.reverse else "no",
                info.subscales,
            ]


# Files -----------------------------------------------------------------------------------------


class _Echo:
    def write(self, value: str) -> str:
        return value


def stream_csv(rows: Iterator[list[str]]) -> Iterator[str]:
    """CSV text, a row at a time (for a streamed response)."""
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow(row)


RESOURCES = (
    (
        "answers",
        "answers.csv",
        ANSWER_COLUMNS,
        "One row per answer, and per covariate, of every submitted response.",
    ),
    (
        "observations",
        "observations.csv",
        OBSERVATION_COLUMNS,
        "One row per answer, and the notes, of every observation.",
    ),
    (
        "items",
        "items.csv",
        CODEBOOK_COLUMNS,
        "The codebook: every item of the instruments in TIP's library, with its answer codes.",
    ),
)


def datapackage(plan: EvaluationPlan, options: ExportOptions) -> dict[str, Any]:
    """The data package's descriptor: every resource with a Table Schema of every column."""
    return {
        "profile": "tabular-data-package",
        "name": f"tip-evaluation-plan-{plan.pk}",
        "title": f"TIP evaluation data: {plan.programme.name}",
        "created": timezone.now().replace(microsecond=0).isoformat(),
        "description": (
            "Pseudonymised answers and observations of one programme's evaluation plan, exported "
            "from TIP. Pseudonyms are stable for this plan only. Organisations and teams are "
            + ("named." if options.exact_organisations else "pseudonymous codes.")
        ),
        "resources": [
            {
                "name": name,
                "path": path,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "description": description,
                "schema": {
                    "fields": [c.schema() for c in columns],
                    "missingValues": [""],
                },
            }
            for name, path, columns, description in RESOURCES
        ],
    }


README = """TIP evaluation data package
===========================

Programme: {programme}
Evaluation plan: {plan}
Exported: {created}

Files
-----
answers.csv       One row per answer (record "answer") and per covariate (record "covariate")
                  of every submitted response: tidy long format.
observations.csv  One row per answer of every observation, and its other notes.
items.csv         The codebook: every item, how it is answered and its answer codes.
datapackage.json  A Frictionless Data Package: each file's columns, their types, meaning,
                  constraints and codes.

Pseudonyms
----------
People and records are never named. Respondents (R-), responses (A-), observations (B-),
observers (V-), sessions (S-), organisations (O-) and teams (T-) are pseudonyms: a keyed hash
(HMAC-SHA256) of the record's id with a key for this plan. They are the same in every export of
this plan and different in any other plan's, so files of two plans cannot be joined on them.
No email addresses, bookings or accounts are included. Organisations and teams are {orgs}.

Free text
---------
{free_text}

Scores
------
scored_value is each item's score: a rating after reverse-scoring, 1 or 0 for a knowledge item.
Subscale scores are the mean (or sum) of their items' scores as docs/evaluation-instruments.md
describes; the subscales column names the subscales each item counts towards.

Imported ARTIC scores (instrument_id "artic") are scores, not items: one row for the total
(item_id "total") and one for each subscale (item_id "subscale:<name>", the name as the
scorer's file headed it), the score in value and scored_value, and the form they were scored
on (ARTIC-45, ARTIC-35 or ARTIC-10) as instrument_version. instrument_version is otherwise a
whole number.

Cells beginning with = + - @ are prefixed with ' so that spreadsheets do not run them as formulas.
"""


def write_package(plan: EvaluationPlan, options: ExportOptions) -> IO[bytes]:
    """The data package as a ZIP in a temporary file (spilling to disk beyond 8 MB), positioned
    at its start."""
    options = dataclasses.replace(options, drop_free_text=options.drops_text(plan))
    out: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    descriptor = datapackage(plan, options)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, path, _columns, _description in RESOURCES:
            if name == "answers":
                rows = answer_rows(plan, options)
            elif name == "observations":
                rows = observation_rows(plan, options)
            else:
                rows = codebook_rows(plan.partnership_id)
            with (
                archive.open(path, "w") as raw,
                io.TextIOWrapper(raw, encoding="utf-8", newline="") as text,
            ):
                writer = csv.writer(text)
                for row in rows:
                    writer.writerow(row)
        archive.writestr("datapackage.json", json.dumps(descriptor, indent=2, ensure_ascii=False))
        archive.writestr(
            "README.txt",
            README.format(
                programme=plan.programme.name,
                plan=plan.pk,
                created=descriptor["created"],
                orgs="named (an export with exact organisations)"
                if options.exact_organisations
                else "pseudonymous codes",
                free_text=(
                    "Left out: the plan is past its retention date."
                    if options.drop_free_text
                    else "Included until the plan's retention date; then it is deleted from TIP "
                    "and left out of exports."
                ),
            ),
        )
    out.seek(0)
    return out
