"""Types of security clearance (DBS checks, police vetting, a setting's own clearance), each with
a typical lead time and the lower levels it covers.

Data, not code: ``data/clearance_types.yaml``, checked against
``data/clearance_types.schema.json`` whenever it is loaded. Partnerships change a type's lead
time (``LeadTimeOverride``), not the file. No Django import.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tip.training.data_files import DATA_DIR, DataFileError, entry_name, in_language, read_checked

DEFAULT_PATH = DATA_DIR / "clearance_types.yaml"
SCHEMA_PATH = DATA_DIR / "clearance_types.schema.json"

__all__ = ["ClearanceType", "DataFileError", "clearance_types", "load_clearance_types"]


@dataclass(frozen=True)
class ClearanceType:
    code: str
    family: str
    lead_time_days: int
    name_en: str
    name_cy: str
    covers: frozenset[str]

    def name(self, language: str) -> str:
        return in_language({"en": self.name_en, "cy": self.name_cy}, language)

    def satisfies(self, required: str) -> bool:
        """Whether holding this type meets a requirement for `required`."""
        return required == self.code or required in self.covers


def load_clearance_types(path: str | os.PathLike[str] | None = None) -> list[ClearanceType]:
    """Every clearance type, in file order. Without ``path``, the file shipped with TIP, read
    once. Raises ``DataFileError`` naming the faulty entry."""
    if path is None:
        return list(_load_default())
    return list(_load(Path(path)))


def clearance_types() -> dict[str, ClearanceType]:
    """The shipped types by code, in file order."""
    return {t.code: t for t in _load_default()}


@cache
def _load_default() -> tuple[ClearanceType, ...]:
    return _load(DEFAULT_PATH)


def _load(path: Path) -> tuple[ClearanceType, ...]:
    entries = read_checked(path, SCHEMA_PATH, entries="clearance_types", noun="clearance type")
    codes = [e["code"] for e in entries]
    types: list[ClearanceType] = []
    for number, entry in enumerate(entries, start=1):
        name = entry_name("clearance type", number, entry)
        if entry["code"] in codes[: number - 1]:
            raise DataFileError(f"{path.name}: {name}: the code is used by an earlier entry.")
        for covered in entry["covers"]:
            if covered == entry["code"]:
                raise DataFileError(f"{path.name}: {name}: a type cannot cover itself.")
            if covered not in codes:
                raise DataFileError(
                    f"{path.name}: {name}: covers '{covered}', which is not a clearance type."
                )
        types.append(
            ClearanceType(
                code=entry["code"],
                family=entry["family"],
                lead_time_days=entry["lead_time_days"],
                name_en=entry["name"]["en"].strip(),
                name_cy=entry["name"]["cy"].strip(),
                covers=frozenset(entry["covers"]),
            )
        )
    return tuple(types)
