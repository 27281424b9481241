"""The anonymous linking code, hashed with TIP's key: what is kept, and the questions' words."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest
import yaml

from tip.evaluation.analysis.instrument_model import LANGUAGES
from tip.evaluation.analysis.linking import (
    DONT_KNOW,
    ELEMENT_IDS,
    ELEMENTS,
    InvalidCode,
    Link,
    link,
)
from tip.evaluation.codes import (
    QUESTIONS_PATH,
    CodeQuestionsError,
    check_code_questions,
    code_questions,
    hash_code,
    hash_normalised,
    linking_key,
    parse_code_questions,
)

# Distinctive answers: none of their letters is a hex digit, so none can hide in a hash.
ANSWERS: dict[str, str | None] = {
    "parent_initial": "Z",
    "older_siblings": "2",
    "birth_day": "07",
    "birth_month": "March",
    "birthplace_initial": "Q",
    "first_name_last_letter": "Y",
}
HEX = re.compile(r"^[0-9a-f]{64}$")


def answers(**changes: str | None) -> dict[str, str | None]:
    return {**ANSWERS, **changes}


def test_each_element_is_kept_as_a_keyed_hash_only() -> None:
    hashes = hash_code(ANSWERS, context="plan-1")
    assert len(hashes) == len(ELEMENTS)
    assert all(h is not None and HEX.match(h) for h in hashes)
    assert len(set(hashes)) == len(hashes)
    joined = " ".join(h for h in hashes if h)
    for clear in ("Z", "z", "Q", "q", "Y", "y", "March", "march"):
        assert clear not in joined
    # Not a plain, unkeyed hash of the answer, which anyone could recompute.
    assert hashlib.sha256(b"z").hexdigest() not in hashes


def test_equal_answers_once_read_hash_equally() -> None:
    first = hash_code(ANSWERS, context="plan-1")
    again = hash_code(
        answers(
            parent_initial=" z ",
            birth_day="7",
            birth_month="3",
            birthplace_initial="q.",
            first_name_last_letter="ÿ",
        ),
        context="plan-1",
    )
    assert again == first


def test_i_dont_know_is_kept_as_a_blank() -> None:
    hashes = hash_code(answers(birth_day=DONT_KNOW, parent_initial=None), context="plan-1")
    assert hashes[0] is None and hashes[2] is None
    assert all(h is not None for h in hashes[1:2] + hashes[3:])


def test_hashes_differ_between_evaluations() -> None:
    first = hash_code(ANSWERS, context="plan-1")
    second = hash_code(ANSWERS, context="plan-2")
    assert not set(first) & set(second)
    result = link({"a": first}, {"b": second}, max_mismatches=len(ELEMENTS) - 1)
    assert result.unlinked == {"b"}


def test_hashes_differ_by_key(settings: Any) -> None:
    settings.TIP_LINKING_KEY = "one key for the tests"
    first = hash_code(ANSWERS, context="plan-1")
    assert linking_key() == b"one key for the tests"
    settings.TIP_LINKING_KEY = "another key for the tests"
    second = hash_code(ANSWERS, context="plan-1")
    assert not set(first) & set(second)


def test_without_a_linking_key_one_is_derived_from_the_secret_key(
    settings: Any,
) -> None:
    settings.TIP_LINKING_KEY = ""
    derived = linking_key()
    assert derived != settings.SECRET_KEY.encode()
    assert len(derived) == 32
    first = hash_code(ANSWERS, context="plan-1")
    settings.SECRET_KEY = "a different secret key " + "y" * 40
    assert linking_key() != derived
    assert hash_code(ANSWERS, context="plan-1") != first


def test_elements_hash_apart_so_equal_values_do_not_collide() -> None:
    # Two older siblings and a birth on the 2nd: the same "2" in two elements.
    hashes = hash_code(answers(older_siblings="2", birth_day="2"), context="plan-1")
    assert hashes[1] != hashes[2]


def test_a_context_is_required() -> None:
    with pytest.raises(ValueError, match="context"):
        hash_code(ANSWERS, context=" ")
    with pytest.raises(ValueError, match="6 elements"):
        hash_normalised(("z", "2"), context="plan-1")


def test_every_invalid_answer_is_named_and_none_is_repeated() -> None:
    with pytest.raises(InvalidCode) as caught:
        hash_code(
            {
                "parent_initial": "Zebedee",
                "older_siblings": "many",
                "birth_day": "45",
                "birth_month": "March",
                "birthplace_initial": "",
            },
            context="plan-1",
        )
    assert caught.value.elements == (
        "parent_initial",
        "older_siblings",
        "birth_day",
        "birthplace_initial",
        "first_name_last_letter",
    )
    message = str(caught.value)
    assert "First letter of your mother's first name: enter one letter." in message
    assert "Number of older brothers and sisters: enter a whole number from 0 to 20." in message
    assert "Day of the month you were born: enter a number from 1 to 31." in message
    assert "Last letter of your first name: answer it, or choose “I don't know”." in message
    for typed in ("Zebedee", "many", "45"):
        assert typed not in message


# The test: a code with one mistyped element links, an ambiguous one does not -----------


def test_a_hashed_code_with_one_mistyped_element_still_links() -> None:
    baseline = {"before": hash_code(ANSWERS, context="plan-1")}
    follow_up = {"after": hash_code(answers(birthplace_initial="R"), context="plan-1")}
    result = link(baseline, follow_up, max_mismatches=1)
    assert result.links == {"after": Link("before", 1)}
    assert result.report.link_rate == 1.0


def test_a_hashed_code_as_close_to_two_people_does_not_link() -> None:
    baseline = {
        "one": hash_code(answers(parent_initial="W"), context="plan-1"),
        "two": hash_code(answers(birth_day="8"), context="plan-1"),
    }
    follow_up = {"after": hash_code(ANSWERS, context="plan-1")}
    result = link(baseline, follow_up, max_mismatches=1)
    assert result.links == {}
    assert result.ambiguous == {"after"}
    assert (result.report.linked, result.report.ambiguous, result.report.link_rate) == (0, 1, 0)


# The questions ----------------------------------------------------------------------------------


def test_every_element_has_its_question_in_english_and_welsh() -> None:
    questions = code_questions()
    assert tuple(q.id for q in questions.elements) == ELEMENT_IDS
    for question in questions.elements:
        for field in ("label", "question", "hint", "error"):
            text = getattr(question, field)
            for language in LANGUAGES:
                assert getattr(text, language).strip(), f"{question.id}.{field}.{language}"
            assert text.cy != text.en, f"{question.id}.{field} is not translated"
    assert questions.intro.cy and questions.dont_know.cy == "Dydw i ddim yn gwybod"


def test_the_errors_are_given_in_the_persons_language() -> None:
    with pytest.raises(InvalidCode) as caught:
        hash_code(answers(birth_day="45", first_name_last_letter="ab"), context="plan-1")
    welsh = code_questions().problem_messages(caught.value, "cy")
    assert welsh == {
        "birth_day": "Rhowch rif cyfan o 1 i 31, neu dewiswch “Dydw i ddim yn gwybod”.",
        "first_name_last_letter": "Rhowch un llythyren, neu dewiswch “Dydw i ddim yn gwybod”.",
    }
    english = code_questions().problem_messages(caught.value, "en")
    assert english["birth_day"].startswith("Enter a whole number from 1 to 31")


def shipped() -> dict[str, Any]:
    data = yaml.safe_load(QUESTIONS_PATH.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_the_questions_file_check_reports_every_problem() -> None:
    assert check_code_questions(shipped()) == []
    data = shipped()
    del data["elements"][2]["hint"]["cy"]
    data["elements"][0]["question"]["cy"] = "  "
    data["elements"][1]["colour"] = "red"
    data["elements"][3], data["elements"][4] = data["elements"][4], data["elements"][3]
    problems = check_code_questions(data)
    assert "elements[2].hint.cy: the text is missing" in problems
    assert "elements[0].question.cy: the text is missing" in problems
    assert "elements[1].colour: not a key of an element" in problems
    assert any(p.startswith("elements: must be parent_initial, older_siblings") for p in problems)
    with pytest.raises(CodeQuestionsError):
        parse_code_questions(yaml.safe_dump(data, allow_unicode=True))
