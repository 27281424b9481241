"""The quality-assurance observation form: its 1-4 rating scale and the criteria an observer
rates (fidelity to the content, accuracy, handling of distress, engagement).

Data, not code: ``data/qa_criteria.yaml``, checked against ``data/qa_criteria.schema.json``
whenever it is loaded. No Django import.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tip.training.data_files import DATA_DIR, DataFileError, entry_name, in_language, read_checked

DEFAULT_PATH = DATA_DIR / "qa_criteria.yaml"
SCHEMA_PATH = DATA_DIR / "qa_criteria.schema.json"
RATINGS = (1, 2, 3, 4)

__all__ = ["RATINGS", "DataFileError", "QaCriteria", "QaCriterion", "load_qa_criteria"]


def _texts(value: dict[str, str]) -> tuple[str, str]:
    return value["en"].strip(), value["cy"].strip()


@dataclass(frozen=True)
class QaCriterion:
    code: str
    title_texts: tuple[str, str]
    question_texts: tuple[str, str]
    # (en, cy) for ratings 1, 2, 3, 4
    descriptor_texts: tuple[tuple[str, str], ...]

    def title(self, language: str) -> str:
        return in_language(dict(zip(("en", "cy"), self.title_texts, strict=True)), language)

    def question(self, language: str) -> str:
        return in_language(dict(zip(("en", "cy"), self.question_texts, strict=True)), language)

    def descriptor(self, rating: int, language: str) -> str:
        texts = self.descriptor_texts[rating - 1]
        return in_language(dict(zip(("en", "cy"), texts, strict=True)), language)


@dataclass(frozen=True)
class QaCriteria:
    # (en, cy) labels for ratings 1, 2, 3, 4
    scale: tuple[tuple[str, str], ...]
    criteria: tuple[QaCriterion, ...]

    def label(self, rating: int, language: str) -> str:
        texts = self.scale[rating - 1]
        return in_language(dict(zip(("en", "cy"), texts, strict=True)), language)

    def codes(self) -> list[str]:
        return [c.code for c in self.criteria]

    def get(self, code: str) -> QaCriterion | None:
        return next((c for c in self.criteria if c.code == code), None)


def load_qa_criteria(path: str | os.PathLike[str] | None = None) -> QaCriteria:
    """The form. Without ``path``, the file shipped with TIP, read once. Raises ``DataFileError``
    naming the faulty entry."""
    if path is None:
        return _load_default()
    return _load(Path(path))


@cache
def _load_default() -> QaCriteria:
    return _load(DEFAULT_PATH)


def _load(path: Path) -> QaCriteria:
    # The whole file is checked on each read; the criteria are read first, so their errors name
    # the criterion (the scale's name the rating).
    entries = read_checked(path, SCHEMA_PATH, entries="criteria", noun="criterion")
    scale_entries = read_checked(path, SCHEMA_PATH, entries="scale", noun="rating")
    numbers = [entry["rating"] for entry in scale_entries]
    if numbers != list(RATINGS):
        raise DataFileError(f"{path.name}: the scale must list the ratings 1, 2, 3 and 4 in order.")
    criteria: list[QaCriterion] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        if entry["code"] in seen:
            name = entry_name("criterion", number, entry)
            raise DataFileError(f"{path.name}: {name}: the code is used by an earlier entry.")
        seen.add(entry["code"])
        criteria.append(
            QaCriterion(
                code=entry["code"],
                title_texts=_texts(entry["title"]),
                question_texts=_texts(entry["question"]),
                descriptor_texts=tuple(_texts(d) for d in entry["descriptors"]),
            )
        )
    return QaCriteria(
        scale=tuple(_texts(entry["label"]) for entry in scale_entries),
        criteria=tuple(criteria),
    )
