"""What every ``tip evaluate`` sub-command shares: reading a CSV file, checking its columns, and
the error that ends the command with exit code 2 and a message saying what to fix."""

from __future__ import annotations

import argparse
import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from tip.evaluation.analysis.results import AnalysisInputError

EXIT_BAD_INPUT = 2


class CliError(Exception):
    """Bad input: the message names the file, column or row, and says what to fix."""


@dataclass(frozen=True)
class Output:
    """A sub-command's result: ``data`` is printed as JSON with ``--json``; ``text`` otherwise."""

    data: dict[str, Any]
    text: str


class SubCommand(Protocol):
    NAME: str
    HELP: str

    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, options: dict[str, Any]) -> Output: ...


def read_csv(path: str | Path) -> pd.DataFrame:
    """The file as a table of text (cells stripped; empty cells are missing). Refuses a missing,
    empty, unreadable or ragged file with a message naming the problem."""
    file = Path(path)
    if not file.exists():
        raise CliError(f"{file}: no such file. Give the path of a CSV file.")
    if file.is_dir():
        raise CliError(f"{file} is a folder. Give the path of a CSV file.")
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CliError(
            f"{file} is not UTF-8 text (byte {error.start + 1}). Save it as CSV UTF-8 and try "
            "again."
        ) from None
    rows = list(csv.reader(text.splitlines()))
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise CliError(f"{file} is empty. It needs a header row and at least one row of data.")
    header = [cell.strip() for cell in rows[0]]
    blank = [str(i + 1) for i, name in enumerate(header) if not name]
    if blank:
        raise CliError(f"{file}: column {', '.join(blank)} of the header row has no name.")
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise CliError(f"{file}: the header row names the column “{name}” twice.")
        seen.add(name)
    if len(rows) == 1:
        raise CliError(f"{file} has a header row but no data.")
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise CliError(
                f"{file}, row {number}: {len(row)} cells where the header has {len(header)}."
            )
    frame = pd.DataFrame(
        [[cell.strip() or None for cell in row] for row in rows[1:]], columns=header, dtype=object
    )
    # Rows counted as in the file (the header is row 1), for messages.
    frame.index = pd.RangeIndex(2, len(rows) + 1)
    return frame


def require_columns(frame: pd.DataFrame, columns: Sequence[str], *, option: str = "") -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        named = ", ".join(f"“{c}”" for c in missing)
        where = f" (given with {option})" if option else ""
        raise CliError(
            f"The file has no column {named}{where}. Its columns are: {', '.join(frame.columns)}."
        )


def numbers(frame: pd.DataFrame, column: str) -> pd.Series:
    """The column as floats (missing cells are NaN); refuses the first cell that is not a number,
    naming its row."""
    values = pd.to_numeric(frame[column], errors="coerce")
    bad = values.isna() & frame[column].notna()
    if bad.any():
        row = int(bad[bad].index[0])
        raise CliError(f"Row {row}, column “{column}”: “{frame.at[row, column]}” is not a number.")
    return values.astype(float)


def split_list(text: str, *, option: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names:
        raise CliError(f"{option} needs at least one column name, separated by commas.")
    return names


def guard(run: Callable[[], Output]) -> Output:
    """Runs a sub-command, turning the analyses' input errors into CliError."""
    try:
        return run()
    except AnalysisInputError as error:
        raise CliError(str(error)) from None
