"""Reading import files and checking their rows (tip.evaluation.imports): encodings, XLSX,
survey tools' presets, mapping suggestions and every bad-input message with its place."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from tip.evaluation import imports
from tip.evaluation.imports import ImportFileError, read_table
from tip.evaluation.instrument_library import shipped_instrument

KAC = shipped_instrument("tip-kac")
CSV = "email,date,a01,c01\nann@example.org,2024-01-31,4,5\nbob@example.org,2024-02-01,2,3\n"


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        CSV.encode("utf-8"),
        b"\xef\xbb\xbf" + CSV.encode("utf-8"),
        CSV.encode("utf-16"),  # with its byte-order mark, as Excel writes it
        CSV.replace(",", ";").encode("utf-8"),
        CSV.replace(",", "\t").encode("utf-16"),
    ],
    ids=["utf8", "utf8-bom", "utf16", "semicolons", "utf16-tabs"],
)
def test_csv_in_utf8_with_or_without_bom_and_utf16_is_read(data: bytes) -> None:
    table = read_table(data)
    assert table.headers == ["email", "date", "a01", "c01"]
    assert table.rows[0] == ["ann@example.org", "2024-01-31", "4", "5"]
    assert table.numbers == [2, 3]
    assert table.kind == "csv"


def test_cp1252_is_refused_with_how_to_save_it() -> None:
    data = "email,notes\nann@example.org,café naïve\n".encode("cp1252")
    with pytest.raises(ImportFileError) as caught:
        read_table(data)
    assert "not UTF-8" in caught.value.problems[0]
    assert "CSV UTF-8" in caught.value.problems[0]
    assert "line 2" in caught.value.problems[0]


def test_xlsx_is_read_by_content_with_dates_in_iso_form() -> None:
    from datetime import datetime

    data = xlsx([["email", "date", "a01"], ["ann@example.org", datetime(2024, 1, 31, 10, 5), 4]])
    table = read_table(data)
    assert table.kind == "xlsx"
    assert table.rows == [["ann@example.org", "2024-01-31 10:05:00", "4"]]


def test_other_files_are_refused() -> None:
    for data, words in [
        (b"", "empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "old Excel"),
        (b"PK\x03\x04not a zip", "not a CSV or XLSX"),
        (b"%PDF-1.4\x00\x01", "not a CSV or XLSX"),
        (b"x" * (imports.MAX_BYTES + 1), "smaller than 5 MB"),
    ]:
        with pytest.raises(ImportFileError) as caught:
            read_table(data)
        assert words in caught.value.problems[0]


def test_too_many_rows_and_unnamed_or_repeated_columns_are_refused() -> None:
    many = "n,a01\n" + "".join(f"{i},3\n" for i in range(imports.MAX_ROWS + 1))
    with pytest.raises(ImportFileError, match="more than 5000 rows"):
        read_table(many.encode())
    with pytest.raises(ImportFileError) as caught:
        read_table(b"n,,a01,A01\n1,2,3,4\n")
    assert "Column B has no name" in caught.value.problems[0]
    assert "Columns C and D have the same name" in caught.value.problems[1]


def test_qualtrics_extra_header_rows_are_skipped_and_its_question_text_suggests_items() -> None:
    text = KAC.item("a01").text.en
    data = (
        "StartDate,ResponseId,RecordedDate,Q1\n"
        f'Start Date,Response ID,Recorded Date,"{text}"\n'
        '"{""ImportId"":""startDate""}","{""ImportId"":""_recordId""}",'
        '"{""ImportId"":""recordedDate""}","{""ImportId"":""QID1""}"\n'
        "2024-01-30 10:00:00,R_abc,2024-01-30 10:05:00,4\n"
    ).encode()
    table = read_table(data)
    assert table.preset == imports.QUALTRICS
    assert table.numbers == [4]
    suggestions = imports.suggest(table, KAC)
    assert [s.target for s in suggestions] == [
        imports.IGNORE,
        imports.NUMBER,
        imports.DATE,
        "item:a01",
    ]
    assert "alike" in suggestions[3].reason


def test_microsoft_forms_columns_and_answers_written_as_words() -> None:
    words = KAC.item("a01").scale.points[3].label.en
    data = (
        "ID,Start time,Completion time,Email,Name,a01\n"
        f"1,1/31/24 10:00:00,01/31/2024 10:05,ann@example.org,Ann,{words}\n"
    ).encode()
    table = read_table(data)
    assert table.preset == imports.MICROSOFT_FORMS
    mapping = [s.target for s in imports.suggest(table, KAC)]
    assert mapping == [
        imports.IGNORE,
        imports.IGNORE,
        imports.DATE,
        imports.EMAIL,
        imports.IGNORE,
        "item:a01",
    ]
    rows, problems = imports.check_rows(table, mapping, KAC)
    assert problems == []
    assert rows[0].answers == {"a01": 4}
    assert rows[0].answered is not None and rows[0].answered.month == 1


def test_anonymous_microsoft_forms_use_the_id() -> None:
    table = read_table(b"ID,Start time,Completion time,Email,Name,a01\n7,x,x,anonymous,,4\n")
    assert imports.suggest(table, KAC)[0].target == imports.NUMBER
    assert imports.suggest(table, KAC)[3].target == imports.IGNORE


def test_redcap_columns() -> None:
    table = read_table(b"record_id,redcap_event_name,kac_timestamp,a01,kac_complete\n1,b,,4,2\n")
    assert table.preset == imports.REDCAP
    assert [s.target for s in imports.suggest(table, KAC)] == [
        imports.NUMBER,
        imports.IGNORE,
        imports.DATE,
        "item:a01",
        imports.IGNORE,
    ]


def test_unknown_columns_must_be_chosen_and_are_listed() -> None:
    table = read_table(b"email,mystery,other,a01\nann@example.org,1,2,4\n")
    mapping = [s.target for s in imports.suggest(table, KAC)]
    assert mapping == ["", "", "", "item:a01"]
    messages = [str(p) for p in imports.check_mapping(mapping, table, KAC)]
    assert "column A (“email”); column B (“mystery”); column C (“other”)" in messages[0]
    assert "identifies each respondent" in messages[1]


def _check(csv: str, mapping: list[str], order: str = imports.AUTO) -> list[str]:
    table = read_table(csv.encode())
    assert imports.check_mapping(mapping, table, KAC) == []
    return [str(p) for p in imports.check_rows(table, mapping, KAC, date_order=order)[1]]


MAP = [imports.EMAIL, imports.DATE, "item:a01", "item:k01"]


def test_every_bad_value_is_named_by_row_and_column() -> None:
    problems = _check(
        "email,date,a01,k01\n"
        "ann@example.org,2024-01-31,9,true\n"
        ",2024-01-31,3,maybe\n"
        "not-an-email,,3,false\n"
        "ann@example.org,2024-01-31,2,true\n",
        MAP,
    )
    assert sorted(problems) == sorted(
        [
            "Row 2, column C (“a01”): “9” is not one of the answers to this question. The answers "
            "are: 1, 2, 3, 4, 5.",
            "Row 3, column A (“email”): The respondent is not identified",
            "Row 3, column D (“k01”): “maybe” is not one of the answers to this question. "
            "The answers are: true, false, dont_know.",
            "Row 4, column A (“email”): “not-an-email” is not an email address",
            "Row 5, column A (“email”): The same respondent is already on row 2: "
            "keep one of the rows",
            "Row 4, column B (“date”): The date answered is empty",
        ]
    )


def test_mixed_date_formats_are_refused_naming_the_rows() -> None:
    base = "email,date,a01,k01\n"
    day_and_month = base + "a@x.org,31/01/2024,3,true\nb@x.org,01/31/2024,3,true\n"
    [problem] = _check(day_and_month, MAP)
    assert "mixes day-first dates (rows 2) and month-first dates (rows 3)" in problem
    iso_and_slash = base + "a@x.org,2024-01-31,3,true\nb@x.org,2024-02-01,3,true\n"
    iso_and_slash += "c@x.org,03/02/2024,3,true\n"
    [problem] = _check(iso_and_slash, MAP)
    assert "more than one format: rows 4 differ" in problem
    ambiguous = base + "a@x.org,03/02/2024,3,true\n"
    [problem] = _check(ambiguous, MAP)
    assert "could be day-first or month-first" in problem
    assert _check(ambiguous, MAP, imports.DAY_FIRST) == []
    [problem] = _check(base + "a@x.org,31/02/2024,3,true\n", MAP)
    assert problem.startswith("Row 2, column B (“date”): “31/02/2024” is not a real date")


def test_dates_day_first_are_told_from_the_column() -> None:
    table = read_table(b"email,date,a01\na@x.org,03/02/2024,3\nb@x.org,25/02/2024 14:30,3\n")
    rows, problems = imports.check_rows(table, [imports.EMAIL, imports.DATE, "item:a01"], KAC)
    assert problems == []
    assert rows[0].answered is not None and (rows[0].answered.month, rows[0].answered.day) == (
        2,
        3,
    )


def test_artic_scores_are_checked_from_1_to_7() -> None:
    table = read_table(
        b"ID,ARTIC total,Underlying causes,Self-efficacy at work\n1,5.2,4.8,6\n2,7.5,3,0\n3,,3,3\n"
    )
    mapping = [s.target for s in imports.suggest_artic(table)]
    assert mapping == [
        imports.NUMBER,
        imports.ARTIC_TOTAL,
        imports.ARTIC_SUBSCALE,
        imports.ARTIC_SUBSCALE,
    ]
    assert imports.check_artic_mapping(mapping, table) == []
    rows, problems = imports.check_artic_rows(table, mapping)
    assert rows[0].answers == {
        "total": 5.2,
        "subscales": {"Underlying causes": 4.8, "Self-efficacy at work": 6.0},
    }
    messages = [str(p) for p in problems]
    assert messages[0].startswith("Row 3, column B (“ARTIC total”): “7.5” is not an ARTIC score")
    assert messages[1].startswith("Row 3, column D (“Self-efficacy at work”): “0” is not")
    assert messages[2] == "Row 4, column B (“ARTIC total”): The total score is empty"


def test_artic_needs_its_total() -> None:
    table = read_table(b"ID,Sub\n1,3\n")
    problems = imports.check_artic_mapping([imports.NUMBER, imports.ARTIC_SUBSCALE], table)
    assert [str(p) for p in problems] == ["Choose the column of the ARTIC total score"]
