"""Scoring one person's answers, and checking an answer against its item's scale. Pure Python:
no database."""

from __future__ import annotations

from typing import Any

import pytest

from tests.evaluation.helpers import base, build
from tip.evaluation.analysis.instrument_model import NOT_APPLICABLE
from tip.evaluation.analysis.scoring import (
    ANSWER_TEMPLATES,
    AnswerError,
    InvalidAnswers,
    check_answers,
    clean_answer,
    clean_answers,
    item_score,
    score,
)
from tip.evaluation.instrument_library import shipped_instrument

# Scoring ------------------------------------------------------------------------------------


def test_reverse_scored_items_count_from_the_other_end() -> None:
    instrument = build()
    reverse = instrument.item("l2")
    assert [item_score(reverse, v) for v in (1, 2, 3, 4, 5)] == [5.0, 4.0, 3.0, 2.0, 1.0]
    assert item_score(instrument.item("l1"), 4) == 4.0


def test_a_reverse_scored_numeric_item_uses_the_scales_minimum_and_maximum() -> None:
    data = base()
    data["items"][5]["reverse"] = True
    assert item_score(build(data).item("n1"), 3) == 7.0  # 0 + 10 - 3


def test_mean_and_sum() -> None:
    scores = score(build(), {"l1": 5, "l2": 2, "l3": 3})
    assert scores.subscale("ratings").value == pytest.approx((5 + 4 + 3) / 3)
    assert scores.total is not None and scores.total.value == 12.0
    assert scores.values() == {"ratings": pytest.approx(4.0), "knowledge": None, "total": 12.0}


def test_a_sum_with_items_missing_is_scaled_up_to_all_the_items() -> None:
    scores = score(build(), {"l1": 5, "l3": 3})
    assert scores.total is not None
    assert scores.total.value == pytest.approx(12.0)  # mean 4 times 3 items, not 8
    assert scores.total.answered == 2 and scores.total.item_count == 3


def test_too_few_answers_give_no_score() -> None:
    scores = score(build(), {"l1": 5})
    ratings = scores.subscale("ratings")
    assert ratings.value is None
    assert (ratings.answered, ratings.item_count, ratings.min_answered) == (1, 3, 2)


@pytest.mark.parametrize("missing", [NOT_APPLICABLE, None, "", "  "])
def test_not_applicable_and_blank_answers_are_missing(missing: object) -> None:
    scores = score(build(), {"l1": 5, "l2": missing, "l3": 3})
    assert scores.subscale("ratings").value == 4.0
    assert scores.subscale("ratings").answered == 2


def test_knowledge_items_score_against_the_answer_key() -> None:
    instrument = build()  # k1's key is true, k2's false
    assert score(instrument, {"k1": "true", "k2": "false"}).subscale("knowledge").value == 2.0
    assert score(instrument, {"k1": True, "k2": True}).subscale("knowledge").value == 1.0
    assert score(instrument, {"k1": "false", "k2": True}).subscale("knowledge").value == 0.0


def test_dont_know_is_incorrect_unless_the_instrument_says_missing() -> None:
    answers = {"k1": "true", "k2": "dont_know"}
    knowledge = score(build(), answers).subscale("knowledge")
    assert (knowledge.value, knowledge.answered) == (1.0, 2)

    data = base()
    data["scales"][1]["dont_know"] = "missing"
    knowledge = score(build(data), answers).subscale("knowledge")
    # One of two answered: the sum is scaled up to both items.
    assert (knowledge.value, knowledge.answered) == (2.0, 1)


def test_the_shipped_questionnaire_scores_a_whole_set_of_answers() -> None:
    kac = shipped_instrument("tip-kac")
    answers: dict[str, Any] = {}
    for item_id in kac.subscale("knowledge").item_ids:
        key = kac.item(item_id).answer_key
        answers[item_id] = "true" if key else "false"
    answers["k14"] = "dont_know"
    for item_id in kac.subscale("attitudes").item_ids:
        answers[item_id] = 1 if kac.item(item_id).reverse else 5
    for item_id in kac.subscale("confidence").item_ids:
        answers[item_id] = 3
    scores = score(kac, answers)
    assert scores.values() == {"knowledge": 13.0, "attitudes": 5.0, "confidence": 3.0}


def test_scoring_refuses_answers_the_scales_do_not_accept() -> None:
    with pytest.raises(InvalidAnswers) as caught:
        score(build(), {"l1": 7, "k1": "maybe", "x9": 1})
    assert set(caught.value.problems) == {"l1", "k1", "x9"}


# Checking answers ---------------------------------------------------------------------------


def test_likert_answers_must_be_one_of_the_points() -> None:
    item = build().item("l1")
    assert clean_answer(item, "4") == 4 and clean_answer(item, 4.0) == 4
    with pytest.raises(AnswerError) as caught:
        clean_answer(item, 6)
    assert caught.value.message == (
        "“6” is not one of the answers to this question. The answers are: 1, 2, 3, 4, 5."
    )
    assert caught.value.code == "invalid_choice"
    for wrong in (True, 2.5, "four", [3]):
        with pytest.raises(AnswerError):
            clean_answer(item, wrong)


def test_numbers_must_be_in_range_and_whole_when_the_scale_says() -> None:
    item = build().item("n1")
    assert clean_answer(item, " 10 ") == 10
    with pytest.raises(AnswerError, match=r"^Enter a number between 0 and 10\.$") as caught:
        clean_answer(item, 11)
    assert caught.value.code == "out_of_range"
    with pytest.raises(AnswerError, match=r"^Enter a whole number\.$"):
        clean_answer(item, 2.5)
    for wrong in ("lots", "nan", "inf", False):
        with pytest.raises(AnswerError, match=r"^Enter a number\.$"):
            clean_answer(item, wrong)


def test_a_number_with_only_a_minimum_or_a_maximum_says_so() -> None:
    data = base()
    del data["scales"][2]["maximum"]
    with pytest.raises(AnswerError, match=r"^Enter a number of at least 0\.$"):
        clean_answer(build(data).item("n1"), -1)
    data = base()
    del data["scales"][2]["minimum"]
    with pytest.raises(AnswerError, match=r"^Enter a number of no more than 10\.$"):
        clean_answer(build(data).item("n1"), 11)


def test_true_false_and_dont_know() -> None:
    item = build().item("k1")
    assert [clean_answer(item, v) for v in (True, False, "TRUE", "dont_know")] == [
        "true",
        "false",
        "true",
        "dont_know",
    ]
    with pytest.raises(AnswerError, match="The answers are: true, false, dont_know"):
        clean_answer(item, "yes")


def test_choices_must_be_among_the_options() -> None:
    instrument = build()
    assert clean_answer(instrument.item("s1"), "green") == "green"
    with pytest.raises(AnswerError, match="“blue” is not one of the answers"):
        clean_answer(instrument.item("s1"), "blue")

    many = instrument.item("m1")
    assert clean_answer(many, ["c", "a"]) == ("a", "c")  # in the options' order
    assert clean_answer(many, []) is None
    with pytest.raises(AnswerError, match="“d” is not one of the answers"):
        clean_answer(many, ["a", "d"])
    with pytest.raises(AnswerError, match="“a” is chosen more than once"):
        clean_answer(many, ["a", "a"])
    with pytest.raises(AnswerError, match="Choose no more than 2 of the answers"):
        clean_answer(many, ["a", "b", "c"])


def test_free_text_is_kept_within_its_length() -> None:
    item = build().item("t1")
    assert clean_answer(item, "  short  ") == "short"
    assert clean_answer(item, NOT_APPLICABLE) == NOT_APPLICABLE  # words, not the sentinel
    with pytest.raises(AnswerError, match="The answer is 21 characters long; keep it to 20"):
        clean_answer(item, "x" * 21)
    with pytest.raises(AnswerError, match="Enter the answer as text"):
        clean_answer(item, 3)


def test_not_applicable_only_where_the_scale_offers_it() -> None:
    instrument = build()
    assert clean_answer(instrument.item("l1"), NOT_APPLICABLE) == NOT_APPLICABLE
    with pytest.raises(AnswerError, match="“Not applicable” is not one of the answers"):
        clean_answer(instrument.item("n1"), NOT_APPLICABLE)


def test_check_answers_lists_every_problem_including_unanswered_required_questions() -> None:
    instrument = build()  # n1 is required
    problems = check_answers(instrument, {"l1": 9, "nope": 1})
    assert problems == {
        "nope": "There is no question “nope” in this instrument.",
        "l1": "“9” is not one of the answers to this question. The answers are: 1, 2, 3, 4, 5.",
        "n1": "Answer this question.",
    }
    assert "n1" not in check_answers(instrument, {}, enforce_required=False)
    assert clean_answers(instrument, {"n1": "3", "l1": "", "t1": " hi "}) == {"n1": 3, "t1": "hi"}


def test_messages_go_through_the_translation_given() -> None:
    translations = {template: f"[cy] {template}" for template in ANSWER_TEMPLATES}
    with pytest.raises(AnswerError) as caught:
        clean_answer(build().item("n1"), 11, translate=translations.__getitem__)
    assert caught.value.message == "[cy] Enter a number between 0 and 10."
