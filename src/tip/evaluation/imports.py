"""Reading survey exports (CSV or XLSX from Microsoft Forms, Qualtrics, REDCap and the like) into
a table, suggesting what each column is, and checking every row against a column mapping.

No database here: the services (services_imports.py) match respondents and save. Every problem
names its place (row and column, as a spreadsheet shows them: row 1 is the header, column A the
first), so a person can find it in their file. Nothing here guesses an encoding: a CSV file is
read as UTF-8 (with or without a byte-order mark) or UTF-16 with its byte-order mark, and any
other is refused with how to save it again (docs/evaluation-imports.md).
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.utils.translation import gettext as _

from tip.evaluation.analysis.instrument_model import Instrument, Item, ScaleType, Text
from tip.evaluation.analysis.instrument_model import Respondent as Answerer
from tip.evaluation.analysis.scoring import AnswerError, clean_answer

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 300
MAX_CELL = 5000
MAX_NUMBER = 100  # an anonymous respondent number's length
MAX_COVARIATE = 200

# Column targets, as the mapping stores them.
IGNORE = "ignore"
EMAIL = "respondent:email"
BOOKING = "respondent:booking"
NUMBER = "respondent:number"
DATE = "date"
ITEM = "item:"
COVARIATE = "covariate:"
RESPONDENT_TARGETS = (EMAIL, BOOKING, NUMBER)
# Baseline facts for matching a comparison group (Response.covariates).
COVARIATES = ("sector", "role", "years_in_role", "prior_training", "organisation")

# Date order of dates written with slashes.
AUTO, DAY_FIRST, MONTH_FIRST = "auto", "dmy", "mdy"

MICROSOFT_FORMS, QUALTRICS, REDCAP = "microsoft_forms", "qualtrics", "redcap"


class ImportFileError(ValueError):
    """The file cannot be read at all: ``problems`` says why, each in plain words."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)


def column_letter(index: int) -> str:
    """A, B, … Z, AA, AB: the column as a spreadsheet names it (index from 0)."""
    letters = ""
    n = index + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_name(index: int, header: str) -> str:
    return _("column %(letter)s (“%(header)s”)") % {
        "letter": column_letter(index),
        "header": header,
    }


@dataclass
class Table:
    """A file's header and data rows, every cell as text; ``numbers`` are the rows' numbers in
    the file (row 1 is the header). ``questions`` are the question texts of a Qualtrics file's
    second header row."""

    headers: list[str]
    rows: list[list[str]]
    numbers: list[int]
    kind: str
    preset: str = ""
    questions: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "headers": self.headers,
            "rows": self.rows,
            "numbers": self.numbers,
            "kind": self.kind,
            "preset": self.preset,
            "questions": self.questions,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Table:
        return cls(
            headers=list(data["headers"]),
            rows=[list(r) for r in data["rows"]],
            numbers=list(data["numbers"]),
            kind=str(data["kind"]),
            preset=str(data.get("preset", "")),
            questions=list(data.get("questions", [])),
        )


# Reading the file ------------------------------------------------------------------------------


def read_table(data: bytes) -> Table:
    """The file's table. Its kind comes from its content, not its name: an XLSX workbook (a zip
    with a workbook part) or CSV text. Raises ``ImportFileError``."""
    if not data:
        raise ImportFileError([_("The selected file is empty")])
    if len(data) > MAX_BYTES:
        raise ImportFileError([_("The selected file must be smaller than 5 MB")])
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise ImportFileError(
            [_("The file is an old Excel (.xls) workbook: save it as .xlsx or as CSV UTF-8")]
        )
    if data.startswith(b"PK\x03\x04"):
        cells = _xlsx_cells(data)
        kind = "xlsx"
    else:
        cells = _csv_cells(_decode(data))
        kind = "csv"
    return _table(cells, kind)


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportFileError(
                [_("The file says it is UTF-16 but cannot be read as such: save it as CSV UTF-8")]
            ) from None
    if b"\x00" in data[:4096]:
        # UTF-16 without its byte-order mark, or not text at all: which, cannot be told safely.
        raise ImportFileError(
            [
                _(
                    "The file is not a CSV or XLSX file TIP can read: save it as CSV UTF-8 or as "
                    "an Excel workbook (.xlsx)"
                )
            ]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFileError(
            [
                _(
                    "The file is not UTF-8 (the first character TIP cannot read is on line "
                    "%(line)s): save it as CSV UTF-8 (in Excel: Save as, then “CSV UTF-8 (Comma "
                    "delimited)”) and upload it again"
                )
                % {"line": line}
            ]
        ) from None
    if any(ord(c) < 32 and c not in "\t\n\r" for c in text):
        raise ImportFileError(
            [_("The file has characters that are not text: save it as CSV UTF-8 and try again")]
        )
    return text


def _csv_cells(text: str) -> list[list[str]]:
    first = text.split("\n", 1)[0]
    try:
        dialect: Any = csv.Sniffer().sniff(first, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""), dialect)]
    except csv.Error as exc:
        raise ImportFileError(
            [_("The CSV file could not be read: %(reason)s") % {"reason": str(exc)}]
        ) from None


def _xlsx_cells(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        names = set()
    if "xl/workbook.xml" not in names:
        raise ImportFileError(
            [_("The file is not a CSV or XLSX file TIP can read: save it as CSV UTF-8 or .xlsx")]
        )
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise ImportFileError([_("The workbook has macros: save it as .xlsx without macros")])
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged workbook
        raise ImportFileError(
            [_("The workbook could not be read: open it in Excel and save it again")]
        ) from None
    try:
        sheet = workbook.worksheets[0]
        cells: list[list[str]] = []
        for values in sheet.iter_rows(values_only=True):
            cells.append([_xlsx_text(v) for v in values])
            if len(cells) > MAX_ROWS + 3:
                break
    finally:
        workbook.close()
    return cells


def _xlsx_text(value: object) -> str:
    """A cell as text; dates in ISO form, so they are never ambiguous."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _table(cells: list[list[str]], kind: str) -> Table:
    numbered = [(n, row) for n, row in enumerate(cells, start=1)]
    while numbered and not any(c.strip() for c in numbered[0][1]):
        numbered.pop(0)
    if not numbered:
        raise ImportFileError([_("The file has no rows: the first row must name the columns")])
    header_row = numbered[0][1]
    headers = [c.strip() for c in header_row]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        raise ImportFileError([_("The first row must name the columns")])
    if len(headers) > MAX_COLUMNS:
        raise ImportFileError(
            [_("The file has more than %(max)s columns: remove some") % {"max": MAX_COLUMNS}]
        )
    problems = [
        _("%(column)s has no name: name it in the first row, or remove the column")
        % {"column": _("Column %(letter)s") % {"letter": column_letter(i)}}
        for i, h in enumerate(headers)
        if not h
    ]
    seen: dict[str, int] = {}
    for i, h in enumerate(headers):
        if h and h.lower() in seen:
            problems.append(
                _("Columns %(first)s and %(second)s have the same name, “%(name)s”: rename one")
                % {"first": column_letter(seen[h.lower()]), "second": column_letter(i), "name": h}
            )
        seen.setdefault(h.lower(), i)
    if problems:
        raise ImportFileError(problems)
    width = len(headers)
    rows: list[list[str]] = []
    numbers: list[int] = []
    for number, row in numbered[1:]:
        values = [c.strip() for c in row]
        if not any(values):
            continue
        if any(values[width:]):
            problems.append(
                _("Row %(row)s has more values than the first row has column names")
                % {"row": number}
            )
            continue
        long = [column_letter(i) for i, v in enumerate(values[:width]) if len(v) > MAX_CELL]
        if long:
            problems.append(
                _("Row %(row)s, column %(column)s: the value is longer than %(max)s characters")
                % {"row": number, "column": long[0], "max": MAX_CELL}
            )
        rows.append((values + [""] * width)[:width])
        numbers.append(number)
    if problems:
        raise ImportFileError(problems)
    table = Table(headers=headers, rows=rows, numbers=numbers, kind=kind)
    _apply_preset(table)
    if len(table.rows) > MAX_ROWS:
        raise ImportFileError(
            [
                _("The file has more than %(max)s rows of answers: split it into smaller files")
                % {"max": MAX_ROWS}
            ]
        )
    if not table.rows:
        raise ImportFileError([_("The file has no rows of answers under its first row")])
    return table


# Presets ---------------------------------------------------------------------------------------

_FORMS_COLUMNS = {"id", "start time", "completion time", "email", "name"}
_QUALTRICS_COLUMNS = {"responseid", "recordeddate"}
_REDCAP_COLUMNS = {"record_id"}

QUALTRICS_IGNORED = {
    "startdate",
    "enddate",
    "status",
    "ipaddress",
    "progress",
    "duration (in seconds)",
    "finished",
    "recipientlastname",
    "recipientfirstname",
    "externalreference",
    "locationlatitude",
    "locationlongitude",
    "distributionchannel",
    "userlanguage",
}


def detect_preset(headers: Sequence[str]) -> str:
    """Which survey tool's export the headers look like: Microsoft Forms, Qualtrics, REDCap, or
    none ("")."""
    names = {h.strip().lower() for h in headers}
    if names >= _FORMS_COLUMNS:
        return MICROSOFT_FORMS
    if names >= _QUALTRICS_COLUMNS:
        return QUALTRICS
    if names >= _REDCAP_COLUMNS or "redcap_event_name" in names:
        return REDCAP
    return ""


def _apply_preset(table: Table) -> None:
    """Qualtrics puts two more header rows under the first: the question texts, then the
    import ids (``{"ImportId":"QID1"}``). They are not answers."""
    table.preset = detect_preset(table.headers)
    if table.preset != QUALTRICS or not table.rows:
        return
    table.questions = table.rows.pop(0)
    table.numbers.pop(0)
    if table.rows and any(c.startswith('{"ImportId"') for c in table.rows[0]):
        table.rows.pop(0)
        table.numbers.pop(0)


# Suggestions -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    target: str  # "" when there is none: the person must choose
    reason: str  # why, for the person to confirm


def _norm(text: str) -> str:
    return re.sub(r"[^0-9a-z\u00c0-\u024f]+", " ", text.lower()).strip()


def _item_by_text(header: str, instrument: Instrument) -> tuple[Item | None, float]:
    wanted = _norm(header)
    best: tuple[Item | None, float] = (None, 0.0)
    if not wanted:
        return best
    for item in instrument.items:
        for text in (item.text.en, item.text.cy):
            ratio = difflib.SequenceMatcher(None, wanted, _norm(text)).ratio()
            if ratio > best[1]:
                best = (item, ratio)
    return best


TEXT_MATCH = 0.85


def suggest(table: Table, instrument: Instrument) -> list[Suggestion]:
    """A suggested target for each column, with why: by the survey tool's own columns, the
    item's id, or the item's English or Welsh text (fuzzy; shown for confirmation). Each item
    is suggested once at most."""
    lower = [h.lower() for h in table.headers]
    by_id = {_norm(i.id): i for i in instrument.items}
    used: set[str] = set()
    out: list[Suggestion] = []
    email_col = _filled_column(table, "email") or _filled_column(table, "recipientemail")
    for index, header in enumerate(table.headers):
        name = lower[index]
        preset = _preset_target(table, name, email_col is not None)
        if preset is not None:
            out.append(Suggestion(preset, _("Usual column of this survey tool")))
            continue
        item = by_id.get(_norm(header))
        if item is not None and item.id not in used:
            used.add(item.id)
            out.append(Suggestion(ITEM + item.id, _("Same as the question's id")))
            continue
        question = table.questions[index] if index < len(table.questions) else ""
        found, ratio = _item_by_text(question or header, instrument)
        if found is not None and ratio >= TEXT_MATCH and found.id not in used:
            used.add(found.id)
            out.append(
                Suggestion(
                    ITEM + found.id,
                    _("Like the question's words (%(percent)s%% alike): check it")
                    % {"percent": round(ratio * 100)},
                )
            )
            continue
        if _norm(header).replace(" ", "_") in COVARIATES:
            out.append(Suggestion(COVARIATE + _norm(header).replace(" ", "_"), _("Same name")))
            continue
        out.append(Suggestion("", ""))
    return out


def _filled_column(table: Table, name: str) -> int | None:
    """The column called ``name`` if some rows give a real value in it (Microsoft Forms writes
    "anonymous" in its Email column when the form does not record who answered)."""
    for i, h in enumerate(table.headers):
        if h.lower() == name and any(r[i] and r[i].lower() != "anonymous" for r in table.rows):
            return i
    return None


def _preset_target(table: Table, name: str, has_email: bool) -> str | None:
    if table.preset == MICROSOFT_FORMS:
        return {
            "id": IGNORE if has_email else NUMBER,
            "start time": IGNORE,
            "completion time": DATE,
            "last modified time": IGNORE,
            "email": EMAIL if has_email else IGNORE,
            "name": IGNORE,
        }.get(name)
    if table.preset == QUALTRICS:
        if name in QUALTRICS_IGNORED:
            return IGNORE
        return {
            "responseid": IGNORE if has_email else NUMBER,
            "recordeddate": DATE,
            "recipientemail": EMAIL if has_email else IGNORE,
        }.get(name)
    if table.preset == REDCAP:
        if name == "record_id":
            return NUMBER
        if name.startswith("redcap_") or name.endswith("_complete"):
            return IGNORE
        if name.endswith("_timestamp"):
            return DATE
    return None


# Checking the rows -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    row: int | None  # the file's row; None for the mapping as a whole
    column: str  # the column as named in messages; "" for none
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if self.column:
            return _("Row %(row)s, %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class Row:
    """One row as it will be saved; the respondent is still an identifier (the services match
    it)."""

    number: int
    identifier: str
    answered: datetime | None
    answers: dict[str, Any] = field(default_factory=dict)
    covariates: dict[str, str] = field(default_factory=dict)


def check_mapping(
    mapping: Sequence[str],
    table: Table,
    instrument: Instrument | None,
    *,
    many: Iterable[str] = (),
) -> list[Problem]:
    """Problems with the mapping as a whole: columns left unchosen (listed by name), no
    identifier or two, a question or fact chosen for two columns."""
    problems: list[Problem] = []
    unchosen = [column_name(i, h) for i, h in enumerate(table.headers) if not mapping[i]]
    if unchosen:
        problems.append(
            Problem(
                None,
                "",
                _("Choose what these columns are, or choose “Ignore” for them: %(columns)s")
                % {"columns": "; ".join(unchosen)},
            )
        )
    respondent = [i for i, t in enumerate(mapping) if t in RESPONDENT_TARGETS]
    if not respondent:
        problems.append(Problem(None, "", _("Choose the column that identifies each respondent")))
    elif len(respondent) > 1:
        problems.append(
            Problem(
                None,
                "",
                _("Choose one column to identify respondents, not %(columns)s")
                % {"columns": ", ".join(column_letter(i) for i in respondent)},
            )
        )
    targets: dict[str, int] = {}
    for i, target in enumerate(mapping):
        if target in (IGNORE, "") or target in RESPONDENT_TARGETS or target in many:
            continue
        if target in targets:
            problems.append(
                Problem(
                    None,
                    "",
                    _("Columns %(first)s and %(second)s are both mapped to %(target)s: keep one")
                    % {
                        "first": column_letter(targets[target]),
                        "second": column_letter(i),
                        "target": target.split(":", 1)[-1],
                    },
                )
            )
        targets.setdefault(target, i)
    if instrument is not None and not any(t.startswith(ITEM) for t in mapping):
        problems.append(Problem(None, "", _("Choose at least one column of answers")))
    return problems


_LABEL_FIELDS: dict[ScaleType, Callable[[Item], Iterable[tuple[Text | None, str]]]] = {
    ScaleType.LIKERT: lambda i: ((p.label, str(p.value)) for p in i.scale.points),
    ScaleType.SINGLE_CHOICE: lambda i: ((o.label, o.value) for o in i.scale.options),
    ScaleType.MULTIPLE_CHOICE: lambda i: ((o.label, o.value) for o in i.scale.options),
    ScaleType.TRUE_FALSE: lambda i: (
        (i.scale.true_label, "true"),
        (i.scale.false_label, "false"),
        (i.scale.dont_know_label, "dont_know"),
    ),
}


def _raw_answer(item: Item, cell: str) -> object:
    """A cell as clean_answer reads it: answers written as their words (as Microsoft Forms
    exports them) become their values; a multiple choice is split at semicolons."""
    labels: dict[str, str] = {}
    words = _LABEL_FIELDS.get(item.scale.type)
    for text, value in words(item) if words is not None else ():
        if text is not None:
            labels[text.en.strip().lower()] = value
            labels[text.cy.strip().lower()] = value
    if item.scale.type == ScaleType.MULTIPLE_CHOICE:
        parts = [p.strip() for p in cell.split(";") if p.strip()]
        return [labels.get(p.lower(), p) for p in parts]
    if item.scale.allows_not_applicable and item.scale.not_applicable is not None:
        na = item.scale.not_applicable
        if cell.lower() in (na.en.lower(), na.cy.lower()):
            return "not_applicable"
    return labels.get(cell.lower(), cell)


_ISO = re.compile(
    r"^\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$"
)
_SLASHED = re.compile(
    r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:,? (\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$"
)


def read_dates(
    cells: Sequence[tuple[int, str]], column: str, order: str
) -> tuple[dict[int, datetime], list[Problem]]:
    """The dates of one column, by row number, read in one format for the whole column: ISO
    (2024-01-31, 2024-01-31 10:15) or day and month with slashes (31/01/2024 or 1/31/2024 10:15
    AM). Day-first or month-first is told from the dates that can only be one (31/01 or 01/31);
    a column with both, or with ISO and slashed dates, is refused naming the rows; a column
    where every date could be either needs ``order`` (dmy or mdy)."""
    problems: list[Problem] = []
    iso: list[int] = []
    slashed: dict[int, re.Match[str]] = {}
    for number, cell in cells:
        if _ISO.match(cell):
            iso.append(number)
            continue
        match = _SLASHED.match(cell)
        if match:
            slashed[number] = match
            continue
        problems.append(
            Problem(
                number,
                column,
                _("“%(value)s” is not a date TIP can read: write it like 2024-01-31 or 31/01/2024")
                % {"value": cell[:40]},
            )
        )
    if iso and slashed:
        minority, style = (
            (sorted(slashed), "31/01/2024") if len(iso) >= len(slashed) else (iso, "2024-01-31")
        )
        problems.append(
            Problem(
                None,
                column,
                _(
                    "The dates in %(column)s are written in more than one format: rows "
                    "%(rows)s differ from the rest. Write them all one way, such as %(example)s"
                )
                % {
                    "column": column,
                    "rows": _rows(minority),
                    "example": "2024-01-31" if style == "31/01/2024" else "31/01/2024",
                },
            )
        )
        return {}, problems
    day_first = [n for n, m in slashed.items() if int(m.group(1)) > 12]
    month_first = [n for n, m in slashed.items() if int(m.group(2)) > 12]
    if day_first and month_first:
        problems.append(
            Problem(
                None,
                column,
                _(
                    "%(column)s mixes day-first dates (rows %(day_rows)s) and month-first dates "
                    "(rows %(month_rows)s): write them all one way"
                )
                % {
                    "column": column,
                    "day_rows": _rows(day_first),
                    "month_rows": _rows(month_first),
                },
            )
        )
        return {}, problems
    chosen = DAY_FIRST if day_first else MONTH_FIRST if month_first else order
    if order in (DAY_FIRST, MONTH_FIRST) and chosen != order:
        against = day_first or month_first
        problems.append(
            Problem(
                None,
                column,
                _(
                    "%(column)s cannot be %(order)s: rows %(rows)s are not. Choose the other "
                    "order, or “Tell from the file”"
                )
                % {"column": column, "order": _order_name(order), "rows": _rows(against)},
            )
        )
        return {}, problems
    if slashed and chosen not in (DAY_FIRST, MONTH_FIRST):
        problems.append(
            Problem(
                None,
                column,
                _(
                    "Every date in %(column)s could be day-first or month-first (such as "
                    "03/04/2024): choose the date order"
                )
                % {"column": column},
            )
        )
        return {}, problems
    out: dict[int, datetime] = {}
    for number, cell in cells:
        try:
            if number in slashed:
                out[number] = _slashed(slashed[number], chosen)
            elif number in iso:
                out[number] = _iso(cell)
        except ValueError:
            problems.append(
                Problem(
                    number,
                    column,
                    _("“%(value)s” is not a real date") % {"value": cell[:40]},
                )
            )
    return out, problems


def _order_name(order: str) -> str:
    return _("day first") if order == DAY_FIRST else _("month first")


def _rows(numbers: Iterable[int]) -> str:
    listed = sorted(numbers)
    shown = ", ".join(str(n) for n in listed[:20])
    return shown + (
        _(" and %(more)s more") % {"more": len(listed) - 20} if len(listed) > 20 else ""
    )


def _iso(cell: str) -> datetime:
    text = cell.replace("Z", "+00:00")
    if len(text) <= 10:
        return datetime.combine(date.fromisoformat(_pad_iso(text)), time(0))
    day, rest = text.split(" ", 1) if " " in text else text.split("T", 1)
    return datetime.fromisoformat(f"{_pad_iso(day)}T{rest}")


def _pad_iso(day: str) -> str:
    y, m, d = day.split("-")
    return f"{y}-{int(m):02d}-{int(d):02d}"


def _slashed(match: re.Match[str], order: str) -> datetime:
    first, second, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
    day, month = (first, second) if order == DAY_FIRST else (second, first)
    hour = int(match.group(4) or 0)
    minute = int(match.group(5) or 0)
    second_ = int(match.group(6) or 0)
    meridiem = (match.group(7) or "").lower()
    if meridiem:
        if not 1 <= hour <= 12:
            raise ValueError(hour)
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    return datetime(year, month, day, hour, minute, second_)


def check_rows(
    table: Table,
    mapping: Sequence[str],
    instrument: Instrument,
    *,
    date_order: str = AUTO,
) -> tuple[list[Row], list[Problem]]:
    """Every row as it will be saved, and every problem in them (answers the item's scale does
    not take, dates, empty identifiers, the same respondent twice in the file)."""
    rows: list[Row] = []
    problems: list[Problem] = []
    id_col = next(i for i, t in enumerate(mapping) if t in RESPONDENT_TARGETS)
    id_kind = mapping[id_col]
    id_name = column_name(id_col, table.headers[id_col])
    date_col = next((i for i, t in enumerate(mapping) if t == DATE), None)
    dates: dict[int, datetime] = {}
    if date_col is not None:
        name = column_name(date_col, table.headers[date_col])
        cells = [(n, r[date_col]) for n, r in zip(table.numbers, table.rows, strict=True)]
        dates, date_problems = read_dates([c for c in cells if c[1]], name, date_order)
        problems += date_problems
        problems += [
            Problem(n, name, _("The date answered is empty")) for n, cell in cells if not cell
        ]
    seen: dict[str, int] = {}
    for number, values in zip(table.numbers, table.rows, strict=True):
        identifier = values[id_col].strip()
        if not identifier:
            problems.append(Problem(number, id_name, _("The respondent is not identified")))
        elif id_kind == EMAIL and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", identifier):
            problems.append(
                Problem(
                    number,
                    id_name,
                    _("“%(value)s” is not an email address") % {"value": identifier[:60]},
                )
            )
        elif id_kind == BOOKING and not re.fullmatch(r"#?\d{1,12}", identifier):
            problems.append(
                Problem(
                    number,
                    id_name,
                    _("“%(value)s” is not a booking number (such as 1234)")
                    % {"value": identifier[:60]},
                )
            )
        elif id_kind == NUMBER and len(identifier) > MAX_NUMBER:
            problems.append(
                Problem(
                    number,
                    id_name,
                    _("The respondent number is longer than %(max)s characters")
                    % {"max": MAX_NUMBER},
                )
            )
        else:
            key = identifier.lower().lstrip("#")
            if key in seen:
                problems.append(
                    Problem(
                        number,
                        id_name,
                        _("The same respondent is already on row %(row)s: keep one of the rows")
                        % {"row": seen[key]},
                    )
                )
            seen.setdefault(key, number)
        row = Row(number=number, identifier=identifier.lstrip("#"), answered=dates.get(number))
        for i, target in enumerate(mapping):
            cell = values[i]
            if target.startswith(ITEM):
                item = instrument.item(target[len(ITEM) :])
                try:
                    value = clean_answer(item, _raw_answer(item, cell), translate=_)
                except AnswerError as exc:
                    problems.append(Problem(number, column_name(i, table.headers[i]), exc.message))
                    continue
                if value is None and item.required:
                    problems.append(
                        Problem(
                            number,
                            column_name(i, table.headers[i]),
                            _("The answer is empty, and this question must be answered"),
                        )
                    )
                elif value is not None:
                    row.answers[item.id] = value
            elif target.startswith(COVARIATE) and cell:
                if len(cell) > MAX_COVARIATE:
                    problems.append(
                        Problem(
                            number,
                            column_name(i, table.headers[i]),
                            _("Keep this to %(max)s characters or fewer") % {"max": MAX_COVARIATE},
                        )
                    )
                row.covariates[target[len(COVARIATE) :]] = cell
        rows.append(row)
    return rows, problems


def mapping_targets(instrument: Instrument, language: str) -> list[tuple[str, str]]:
    """What a column can be, as (target, words) for a choice list."""
    targets = [
        ("", _("Choose what this column is")),
        (IGNORE, _("Ignore this column")),
        (EMAIL, _("Respondent: email address")),
        (BOOKING, _("Respondent: booking number")),
        (NUMBER, _("Respondent: anonymous number (kept only in this import)")),
        (DATE, _("Date answered")),
    ]
    targets += [
        (
            ITEM + item.id,
            _("Question %(id)s: %(text)s")
            % {"id": item.id, "text": _short(item.text.in_language(language))},
        )
        for item in instrument.items
    ]
    covariate_names = {
        "sector": _("Sector"),
        "role": _("Role"),
        "years_in_role": _("Years in role"),
        "prior_training": _("Earlier trauma training"),
        "organisation": _("Organisation"),
    }
    targets += [
        (COVARIATE + key, _("Background: %(name)s") % {"name": covariate_names[key]})
        for key in COVARIATES
    ]
    return targets


def _short(text: str, length: int = 70) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


# ARTIC scores ----------------------------------------------------------------------------------
# Licensed instruments are never shipped (not one item's words): only the scores their licensed
# scorer exports are imported. The ARTIC's items are rated 1 to 7 and its total and subscale
# scores are means, so every score lies from 1 to 7.

ARTIC = "artic"
ARTIC_TOTAL = "artic:total"
ARTIC_SUBSCALE = "artic:subscale"
ARTIC_LOW, ARTIC_HIGH = 1.0, 7.0


@dataclass(frozen=True)
class ArticHeaders:
    """Which headers the scorer's file uses (data/artic_scores.yaml): recognised as the total,
    or as a subscale."""

    forms: tuple[str, ...]
    total: tuple[str, ...]
    subscales: tuple[str, ...]


def artic_headers() -> ArticHeaders:
    import yaml

    from tip.evaluation.instruments import DATA_DIR

    data = yaml.safe_load((DATA_DIR / "artic_scores.yaml").read_text(encoding="utf-8"))
    return ArticHeaders(
        forms=tuple(str(f) for f in data["forms"]),
        total=tuple(str(h).lower() for h in data["total_headers"]),
        subscales=tuple(str(h).lower() for h in data["subscale_headers"]),
    )


def suggest_artic(table: Table) -> list[Suggestion]:
    known = artic_headers()
    out: list[Suggestion] = []
    for header in table.headers:
        name = header.strip().lower()
        preset = _preset_target(table, name, _filled_column(table, "email") is not None)
        if name in known.total:
            out.append(Suggestion(ARTIC_TOTAL, _("A usual name of the total score")))
        elif name in known.subscales:
            out.append(Suggestion(ARTIC_SUBSCALE, _("A usual name of a subscale score")))
        elif preset is not None:
            out.append(Suggestion(preset, _("Usual column of this survey tool")))
        elif name in ("email", "email address", "e-mail"):
            out.append(Suggestion(EMAIL, _("Same name")))
        elif name in ("id", "participant", "participant id", "respondent", "record_id"):
            out.append(Suggestion(NUMBER, _("Same name")))
        elif name in ("date", "date completed", "completed"):
            out.append(Suggestion(DATE, _("Same name")))
        else:
            out.append(Suggestion("", ""))
    return out


def artic_targets() -> list[tuple[str, str]]:
    return [
        ("", _("Choose what this column is")),
        (IGNORE, _("Ignore this column")),
        (EMAIL, _("Respondent: email address")),
        (BOOKING, _("Respondent: booking number")),
        (NUMBER, _("Respondent: anonymous number (kept only in this import)")),
        (DATE, _("Date answered")),
        (ARTIC_TOTAL, _("ARTIC total score")),
        (ARTIC_SUBSCALE, _("ARTIC subscale score (named by the column's header)")),
    ]


def check_artic_mapping(mapping: Sequence[str], table: Table) -> list[Problem]:
    problems = check_mapping(mapping, table, None, many=(ARTIC_SUBSCALE,))
    if ARTIC_TOTAL not in mapping:
        problems.append(Problem(None, "", _("Choose the column of the ARTIC total score")))
    return problems


def _score(cell: str) -> float | None:
    try:
        value = float(cell.replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def check_artic_rows(
    table: Table, mapping: Sequence[str], *, date_order: str = AUTO
) -> tuple[list[Row], list[Problem]]:
    """Each row's scores as they will be saved ({"total": x, "subscales": {header: y}}), and
    every problem: a score that is not a number from 1 to 7, an empty total, and the checks
    every import has (identifiers, duplicates, dates)."""
    item_free = [t if t in RESPONDENT_TARGETS or t == DATE else IGNORE for t in mapping]
    rows, problems = check_rows(table, item_free, _NO_ITEMS, date_order=date_order)
    for row, values in zip(rows, table.rows, strict=True):
        subscales: dict[str, float] = {}
        total: float | None = None
        for i, target in enumerate(mapping):
            if target not in (ARTIC_TOTAL, ARTIC_SUBSCALE):
                continue
            cell = values[i]
            name = column_name(i, table.headers[i])
            if not cell:
                if target == ARTIC_TOTAL:
                    problems.append(Problem(row.number, name, _("The total score is empty")))
                continue
            value = _score(cell)
            if value is None or not ARTIC_LOW <= value <= ARTIC_HIGH:
                problems.append(
                    Problem(
                        row.number,
                        name,
                        _(
                            "“%(value)s” is not an ARTIC score: scores are means of items rated "
                            "1 to 7, so from 1 to 7"
                        )
                        % {"value": cell[:40]},
                    )
                )
                continue
            if target == ARTIC_TOTAL:
                total = value
            else:
                subscales[table.headers[i]] = value
        row.answers = {"total": total, "subscales": subscales}
    return rows, problems


_NO_ITEMS = Instrument(
    id=ARTIC,
    version=0,
    languages=("en",),
    title=Text("ARTIC", "ARTIC"),
    description=Text("", ""),
    respondent=Answerer.SELF,
    licence="",
    source=Text("", ""),
    validated=True,
    validation_note=Text("", ""),
    scales=(),
    items=(),
)
