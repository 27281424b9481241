"""Widgets that the {% field %} tag draws as GOV.UK components with more than one input."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

DATE_PARTS = ("day", "month", "year")


class DateParts(forms.MultiWidget):
    """A date as three text boxes, day, month and year: the GOV.UK date input pattern."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({part: forms.TextInput() for part in DATE_PARTS}, attrs)

    def decompress(self, value: Any) -> list[str]:
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        if isinstance(value, list | tuple) and len(value) == 3:
            return ["" if v is None else str(v) for v in value]
        return ["", "", ""]

    def id_for_label(self, id_: str) -> str:
        # The first box, so the error summary's link lands in the date.
        return f"{id_}_day" if id_ else id_


class LanguageRadios(forms.RadioSelect):
    """Radios whose values are language codes and whose labels are each language's own name
    ("Cymraeg"): the {% field %} tag marks each label with its `lang`, so a screen reader
    pronounces it in that language."""


class HintedRadios(forms.RadioSelect):
    """Radios with a hint under each choice (GOV.UK "radio items with hints"): `hints` maps a
    choice's value to its words; the {% field %} tag draws them."""

    def __init__(self, attrs: dict[str, Any] | None = None, hints: dict[str, Any] | None = None):
        super().__init__(attrs)
        self.hints = dict(hints or {})
