"""What every analysis returns: plain dataclasses that say how many people they rest on (``n``),
the method used and its assumptions, and notes on anything that limits them. Plain Python, no
Django; ``to_jsonable`` turns any of them into JSON (NaN and infinity become null).

The analyses never raise because the data are few or uninformative (n below 3, no variance,
everything missing): they return a result whose figures are ``None`` and whose ``notes`` say why,
so a report can show it. They raise ``AnalysisInputError`` only for input that is malformed
(a missing column, text where a number belongs), naming the column and, where there is one, the
row.

Texts (methods, assumptions, notes) are English, marked with ``gettext_noop`` so the Django
layer can translate them; a text with placeholders is kept as a template and its values, see
``Note``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any


def gettext_noop(message: str) -> str:
    """Marks wording for translation without importing Django (makemessages finds the name)."""
    return message


class AnalysisInputError(ValueError):
    """Input an analysis cannot use. The message says what to fix, naming the column (and row,
    counted as in the file: the header is row 1) where there is one."""

    def __init__(self, message: str, *, column: str | None = None, row: int | None = None):
        super().__init__(message)
        self.column = column
        self.row = row


@dataclass(frozen=True)
class Note:
    """A sentence for the reader: an English template (``%(name)s`` placeholders) and its values.
    ``str(note)`` gives the English; the Django layer translates ``template`` and fills it."""

    template: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.template % dict(self.values) if self.values else self.template

    def to_jsonable(self) -> str:
        return str(self)


@dataclass(frozen=True)
class Estimate:
    """A figure with its standard error and confidence interval (any may be None), and how the
    interval was worked out (for example "t distribution, n - 1 degrees of freedom")."""

    value: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    se: float | None = None
    level: float = 0.95
    ci_method: str = ""


def clean_number(value: Any) -> float | None:
    """A float, or None for None, NaN and infinity."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def to_jsonable(value: Any) -> Any:
    """Dataclasses, enums, notes, numpy scalars and arrays, tuples and mappings, as JSON values;
    NaN and infinity as None."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, Note):
        return value.to_jsonable()
    if isinstance(value, Enum):
        return to_jsonable(value.value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    # numpy scalars and arrays, without importing numpy here
    if hasattr(value, "tolist"):
        return to_jsonable(value.tolist())
    if hasattr(value, "item"):
        return to_jsonable(value.item())
    raise TypeError(f"Cannot turn {type(value).__name__} into JSON")
