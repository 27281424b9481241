"""The anonymous linking code, hashed: what TIP keeps of it, and its questions in English and Welsh.

``tip.evaluation.analysis.linking`` defines the code's elements, reads answers and links codes.
Here each normalised answer becomes ``HMAC-SHA256(key, [scheme, context, element, value])`` as
hex, where:

* ``key`` is ``settings.TIP_LINKING_KEY``, kept out of the database so that the hashes alone
  cannot be reversed by trying every letter and number (each element has few possible values,
  so anyone holding the key and the hashes could: keep the key apart);
* ``context`` identifies the evaluation, so the same person's code in two evaluations gives
  different hashes that cannot be matched across them;
* ``element`` is the element's id, so "7" older siblings and day "7" hash differently.

Only the hashes are returned; the clear answers are never stored, logged or put in a message.
docs/evaluation-linking.md has the whole story.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings

from tip.evaluation.analysis.instrument_model import LANGUAGES, Text
from tip.evaluation.analysis.linking import (
    ELEMENT_IDS,
    ELEMENTS,
    CodeHashes,
    InvalidCode,
    NormalisedCode,
    normalise_code,
)
from tip.evaluation.instruments import read_data

# Part of every hash input: a different way of reading or hashing answers needs a new scheme, so
# that codes made the old and the new way are never compared as if alike.
SCHEME = "tip-sgic-v1"
# Derives the development key from SECRET_KEY when TIP_LINKING_KEY is not set.
_DERIVED_KEY_LABEL = b"tip.evaluation.linking-key"
QUESTIONS_PATH = Path(__file__).resolve().parent / "data" / "linking_code.yaml"
_TEXT_FIELDS = ("label", "question", "hint", "error")


def linking_key() -> bytes:
    """``settings.TIP_LINKING_KEY``, or when it is empty (development and tests) a key derived
    from ``SECRET_KEY``."""
    configured: str = getattr(settings, "TIP_LINKING_KEY", "")
    if configured:
        return configured.encode("utf-8")
    secret = str(settings.SECRET_KEY).encode("utf-8")
    return hmac.new(secret, _DERIVED_KEY_LABEL, hashlib.sha256).digest()


def hash_code(answers: Mapping[str, str | None], *, context: str) -> CodeHashes:
    """The keyed hash of each of the code's answers (element id to what the person typed or
    chose; None or ``DONT_KNOW`` for "I don't know"), in the order of ``ELEMENTS``.

    ``context`` identifies the evaluation (use a stable id, such as the evaluation plan's
    primary key, never its title). Raises ``InvalidCode`` listing every element that is missing
    or cannot be read, each by name, without repeating the answers.
    """
    return hash_normalised(normalise_code(answers), context=context)


def hash_normalised(code: NormalisedCode, *, context: str) -> CodeHashes:
    """The keyed hash of each element of an already normalised code."""
    if not isinstance(context, str) or not context.strip():
        raise ValueError("context must name the evaluation the code belongs to")
    if len(code) != len(ELEMENTS):
        raise ValueError(f"a code has {len(ELEMENTS)} elements, not {len(code)}")
    key = linking_key()
    return tuple(
        None if value is None else _hash(key, context, element.id, value)
        for element, value in zip(ELEMENTS, code, strict=True)
    )


def _hash(key: bytes, context: str, element: str, value: str) -> str:
    # JSON keeps the parts apart whatever they contain: ("a,b", "c") never hashes as ("a", "b,c").
    message = json.dumps([SCHEME, context, element, value], ensure_ascii=True)
    return hmac.new(key, message.encode("ascii"), hashlib.sha256).hexdigest()


# The questions ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ElementQuestion:
    """One element's words for the survey pages."""

    id: str
    label: Text
    question: Text
    hint: Text
    error: Text


@dataclass(frozen=True)
class CodeQuestions:
    intro: Text
    dont_know: Text
    elements: tuple[ElementQuestion, ...]

    def element(self, element_id: str) -> ElementQuestion:
        for question in self.elements:
            if question.id == element_id:
                return question
        raise KeyError(element_id)

    def problem_messages(self, error: InvalidCode, language: str) -> dict[str, str]:
        """What to tell the person about each element ``error`` names, in ``language``; an
        element the code does not have keeps the English message."""
        messages: dict[str, str] = {}
        for problem in error.problems:
            if problem.element in ELEMENT_IDS:
                messages[problem.element] = self.element(problem.element).error.in_language(
                    language
                )
            else:
                messages[problem.element] = problem.message
        return messages


class CodeQuestionsError(ValueError):
    """The questions file cannot be used; ``problems`` lists every reason."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__(f"{QUESTIONS_PATH.name}: " + "; ".join(problems))


@cache
def code_questions() -> CodeQuestions:
    """The questions of ``data/linking_code.yaml``, checked; raises ``CodeQuestionsError``."""
    return parse_code_questions(QUESTIONS_PATH.read_text(encoding="utf-8"))


def parse_code_questions(text: str) -> CodeQuestions:
    data = read_data(text, source=QUESTIONS_PATH.name, fmt="yaml")
    problems = check_code_questions(data)
    if problems:
        raise CodeQuestionsError(problems)
    return CodeQuestions(
        intro=_text(data["intro"]),
        dont_know=_text(data["dont_know"]),
        elements=tuple(
            ElementQuestion(
                id=entry["id"], **{field: _text(entry[field]) for field in _TEXT_FIELDS}
            )
            for entry in data["elements"]
        ),
    )


def check_code_questions(data: Any) -> list[str]:
    """Every problem with the parsed file: the elements of ``ELEMENTS`` in order, each with every
    text in English and Welsh, and no other key."""
    if not isinstance(data, dict):
        return ["the file must be a mapping with intro, dont_know and elements"]
    problems: list[str] = []
    for key in sorted(set(data) - {"intro", "dont_know", "elements"}):
        problems.append(f"{key}: not a key of this file")
    for key in ("intro", "dont_know"):
        problems += _check_text(data.get(key), key)
    entries = data.get("elements")
    if not isinstance(entries, list):
        return [*problems, "elements: must be a list"]
    ids = [entry.get("id") if isinstance(entry, dict) else None for entry in entries]
    if ids != list(ELEMENT_IDS):
        problems.append(f"elements: must be {', '.join(ELEMENT_IDS)} in that order, not {ids}")
    for number, entry in enumerate(entries):
        where = f"elements[{number}]"
        if not isinstance(entry, dict):
            problems.append(f"{where}: must be a mapping")
            continue
        for key in sorted(set(entry) - {"id", *_TEXT_FIELDS}):
            problems.append(f"{where}.{key}: not a key of an element")
        for field in _TEXT_FIELDS:
            problems += _check_text(entry.get(field), f"{where}.{field}")
    return problems


def _check_text(value: Any, where: str) -> list[str]:
    if not isinstance(value, dict):
        return [f"{where}: must have text in {' and '.join(LANGUAGES)}"]
    problems = [
        f"{where}.{language}: the text is missing"
        for language in LANGUAGES
        if not isinstance(value.get(language), str) or not value[language].strip()
    ]
    problems += [f"{where}.{key}: not a language of TIP" for key in value if key not in LANGUAGES]
    return problems


def _text(value: Mapping[str, str]) -> Text:
    return Text(en=value["en"].strip(), cy=value["cy"].strip())
