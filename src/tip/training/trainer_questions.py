"""The questions asked about each trainer: qualifications, skills and experience, with the key
criteria marked.

Data, not code: ``data/trainer_questions.yaml``, checked against
``data/trainer_questions.schema.json`` whenever it is loaded. No Django import.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tip.training.data_files import DATA_DIR, DataFileError, entry_name, in_language, read_checked

DEFAULT_PATH = DATA_DIR / "trainer_questions.yaml"
SCHEMA_PATH = DATA_DIR / "trainer_questions.schema.json"

__all__ = ["DataFileError", "TrainerQuestion", "key_codes", "load_questions"]


@dataclass(frozen=True)
class TrainerQuestion:
    code: str
    key: bool
    title_en: str
    title_cy: str
    question_en: str
    question_cy: str
    hint_en: str = ""
    hint_cy: str = ""

    def title(self, language: str) -> str:
        return in_language({"en": self.title_en, "cy": self.title_cy}, language)

    def question(self, language: str) -> str:
        return in_language({"en": self.question_en, "cy": self.question_cy}, language)

    def hint(self, language: str) -> str:
        if not self.hint_en:
            return ""
        return in_language({"en": self.hint_en, "cy": self.hint_cy}, language)


def load_questions(path: str | os.PathLike[str] | None = None) -> list[TrainerQuestion]:
    """Every question, in file order. Without ``path``, the file shipped with TIP, read once.
    Raises ``DataFileError`` naming the faulty entry."""
    if path is None:
        return list(_load_default())
    return list(_load(Path(path)))


def key_codes() -> list[str]:
    return [q.code for q in _load_default() if q.key]


@cache
def _load_default() -> tuple[TrainerQuestion, ...]:
    return _load(DEFAULT_PATH)


def _load(path: Path) -> tuple[TrainerQuestion, ...]:
    entries = read_checked(path, SCHEMA_PATH, entries="questions", noun="question")
    questions: list[TrainerQuestion] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        if entry["code"] in seen:
            name = entry_name("question", number, entry)
            raise DataFileError(f"{path.name}: {name}: the code is used by an earlier entry.")
        seen.add(entry["code"])
        hint = entry.get("hint") or {"en": "", "cy": ""}
        questions.append(
            TrainerQuestion(
                code=entry["code"],
                key=entry["key"],
                title_en=entry["title"]["en"].strip(),
                title_cy=entry["title"]["cy"].strip(),
                question_en=entry["question"]["en"].strip(),
                question_cy=entry["question"]["cy"].strip(),
                hint_en=hint["en"].strip(),
                hint_cy=hint["cy"].strip(),
            )
        )
    if not any(q.key for q in questions):
        raise DataFileError(f"{path.name}: mark at least one question as a key criterion.")
    return tuple(questions)
