"""Instrument files: the shipped ones load, and every kind of mistake is reported, all at once,
each with the path of the place it is in."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.evaluation.helpers import base, build, text
from tip.evaluation.analysis.instrument_model import (
    FOUR_RS,
    DontKnow,
    Method,
    Respondent,
    ScaleType,
)
from tip.evaluation.instrument_library import (
    SHIPPED_DIR,
    check_partnership_instrument,
    shipped_instrument,
    shipped_instruments,
)
from tip.evaluation.instruments import (
    InstrumentError,
    InstrumentProblem,
    check_data,
    load_instrument,
    parse_instrument,
)
from tip.training.topic_library import load_topics

SHIPPED = ("tip-feedback", "tip-kac", "tip-observation", "tip-practice-change")


def problems_after(change: Callable[[dict[str, Any]], None]) -> list[str]:
    data = base()
    change(data)
    return [str(p) for p in check_data(data)]


# The shipped instruments ------------------------------------------------------------------------


def test_every_shipped_instrument_loads() -> None:
    instruments = shipped_instruments()
    assert tuple(i.id for i in instruments) == SHIPPED
    for instrument in instruments:
        assert instrument.languages == ("en", "cy")
        assert instrument.licence == "MIT"
        assert instrument.title.en and instrument.title.cy
        for item in instrument.items:
            assert item.text.cy and item.text.cy != item.text.en, item.id


def test_the_knowledge_attitudes_and_confidence_questionnaire() -> None:
    kac = shipped_instrument("tip-kac")
    assert 20 <= len(kac.items) <= 30
    assert kac.validated is False
    assert kac.validation_note.en.startswith("Not yet validated.")
    assert kac.validation_note.cy.startswith("Heb ei ddilysu eto.")
    assert kac.respondent is Respondent.SELF
    assert [s.id for s in kac.subscales] == ["knowledge", "attitudes", "confidence"]
    knowledge = [kac.item(i) for i in kac.subscale("knowledge").item_ids]
    assert all(i.is_knowledge for i in knowledge)
    # True and false statements both, so agreeing with everything does not score well.
    assert {i.answer_key for i in knowledge} == {True, False}
    assert knowledge[0].scale.dont_know is DontKnow.INCORRECT
    attitudes = [kac.item(i) for i in kac.subscale("attitudes").item_ids]
    assert 0 < sum(i.reverse for i in attitudes) < len(attitudes)
    assert kac.subscale("knowledge").method is Method.SUM
    assert kac.total is None


def test_the_questionnaire_covers_the_guidance_training_topics_and_the_4_rs() -> None:
    covered = {tag for item in shipped_instrument("tip-kac").items for tag in item.covers}
    assert {t.code for t in load_topics()} <= covered
    assert set(FOUR_RS) <= covered


def test_the_feedback_observation_and_follow_up_instruments() -> None:
    feedback = shipped_instrument("tip-feedback")
    assert [s.id for s in feedback.subscales] == ["engagement", "relevance", "intention"]
    assert feedback.total is not None
    assert feedback.item("do_differently").scale.type is ScaleType.FREE_TEXT

    observation = shipped_instrument("tip-observation")
    assert observation.respondent is Respondent.OBSERVER
    rated = [i for i in observation.items if i.scale.type is ScaleType.LIKERT]
    assert len(rated) == 9
    assert all({a.value for a in i.anchors} == {1, 2, 3, 4} for i in rated)
    assert any(i.scale.type is ScaleType.FREE_TEXT for i in observation.items)

    follow_up = shipped_instrument("tip-practice-change")
    assert follow_up.subscale("practice").method is Method.MEAN
    assert follow_up.item("what_helped").scale.type is ScaleType.MULTIPLE_CHOICE
    assert follow_up.item("p01").scale.allows_not_applicable


def test_shipped_files_are_yaml_named_after_their_instrument() -> None:
    names = sorted(p.name for p in SHIPPED_DIR.iterdir())
    assert names == [f"{i}.yaml" for i in SHIPPED]


# Each kind of mistake, named at its place ----------------------------------------------------


def test_an_unknown_key_is_named_with_the_keys_allowed() -> None:
    def change(data: dict[str, Any]) -> None:
        data["items"][3]["colour"] = "red"

    [problem] = problems_after(change)
    assert problem.startswith("items[3].colour: unknown key “colour”")
    assert "id, text, hint, scale" in problem


def test_an_unknown_key_at_the_top_and_in_text_is_named() -> None:
    def change(data: dict[str, Any]) -> None:
        data["colour"] = "red"
        data["title"]["fr"] = "Vérifier"

    found = problems_after(change)
    assert any(p.startswith("colour: unknown key “colour”") for p in found)
    assert any(p.startswith("title.fr: unknown key “fr”") for p in found)


def test_a_duplicate_item_id_is_named() -> None:
    def change(data: dict[str, Any]) -> None:
        data["items"][8]["id"] = "s1"

    assert problems_after(change) == [
        "items[8].id: the id “s1” is used by an earlier item (items[7])"
    ]


def test_reverse_scoring_free_text_is_refused() -> None:
    def change(data: dict[str, Any]) -> None:
        data["items"][6]["reverse"] = True

    [problem] = problems_after(change)
    assert problem.startswith("items[6].reverse: item “t1” cannot be reverse-scored")
    assert "“notes” is a free text scale" in problem


def test_reverse_scoring_needs_both_ends_of_a_numeric_scale() -> None:
    def change(data: dict[str, Any]) -> None:
        del data["scales"][2]["maximum"]
        data["items"][5]["reverse"] = True

    [problem] = problems_after(change)
    assert problem.startswith("items[5].reverse:")


def test_missing_welsh_is_named_wherever_there_is_text() -> None:
    def change(data: dict[str, Any]) -> None:
        del data["items"][3]["text"]["cy"]
        data["scales"][0]["points"][2]["label"]["cy"] = "  "
        data["validation_note"]["cy"] = None

    found = problems_after(change)
    assert found == [
        "validation_note.cy: Welsh text is missing",
        "scales[0].points[2].label.cy: Welsh text is missing",
        "items[3].text.cy: Welsh text is missing",
    ]


def test_missing_english_and_welsh_given_as_plain_text() -> None:
    def change(data: dict[str, Any]) -> None:
        del data["items"][0]["text"]["en"]
        data["items"][1]["text"] = "Just English"

    found = problems_after(change)
    assert "items[0].text.en: English text is missing" in found
    assert (
        "items[1].text: write this as text in English and Welsh, under the keys en and cy" in found
    )


def test_a_scale_missing_its_type_keys_is_named_once_not_on_every_item() -> None:
    def change(data: dict[str, Any]) -> None:
        del data["scales"][0]["points"]  # l2 is reverse-scored on it

    assert problems_after(change) == ["scales[0].points: this is required"]


def test_unquoted_true_in_yaml_text_gets_a_hint() -> None:
    data = base()
    data["scales"][1]["true_label"] = {"en": True, "cy": "Gwir"}
    with pytest.raises(InstrumentError) as caught:
        parse_instrument(yaml.safe_dump(data).replace("en: true", "en: True"))
    [problem] = caught.value.problems
    assert problem.path == "scales[1].true_label.en"
    assert "put it in quotes" in problem.message


def test_welsh_missing_from_the_languages_is_named() -> None:
    def change(data: dict[str, Any]) -> None:
        data["languages"] = ["en"]

    [problem] = problems_after(change)
    assert problem.startswith("languages: Welsh (cy) is missing")


def test_an_answer_key_on_a_likert_item_is_refused() -> None:
    def change(data: dict[str, Any]) -> None:
        data["items"][0]["answer_key"] = True

    [problem] = problems_after(change)
    assert problem == (
        "items[0].answer_key: only true/false/don't know items have an answer key; item “l1” "
        "is answered on “agree”, a likert scale"
    )


def test_a_true_false_item_needs_an_answer_key() -> None:
    def change(data: dict[str, Any]) -> None:
        del data["items"][4]["answer_key"]

    [problem] = problems_after(change)
    assert problem.startswith("items[4].answer_key: item “k2” is a true/false/don't know item")


def test_min_answered_above_the_number_of_items_is_refused() -> None:
    def change(data: dict[str, Any]) -> None:
        data["subscales"][0]["min_answered"] = 4
        data["total"]["min_answered"] = 9

    assert problems_after(change) == [
        "subscales[0].min_answered: 4 is more than the 3 items in the subscale",
        "total.min_answered: 9 is more than the 3 items in the total",
    ]


def test_an_unknown_subscale_item_is_named() -> None:
    def change(data: dict[str, Any]) -> None:
        data["subscales"][1]["items"].append("k9")

    assert problems_after(change) == ["subscales[1].items[2]: there is no item “k9”"]


def test_subscales_take_only_scored_items_of_one_kind_and_range() -> None:
    def change(data: dict[str, Any]) -> None:
        data["subscales"][0]["items"] += ["t1", "k1", "n1", "l1"]

    found = problems_after(change)
    assert any(p.startswith("subscales[0].items[3]: item “t1” cannot be scored") for p in found)
    assert "subscales[0].items[6]: item “l1” is listed more than once" in found
    assert any(p.startswith("subscales[0].items: the subscale mixes knowledge") for p in found)
    assert any("different ranges (0 to 10, 1 to 5)" in p for p in found)


def test_repeated_choice_values_and_likert_points_are_named() -> None:
    def change(data: dict[str, Any]) -> None:
        data["scales"][4]["options"][1]["value"] = "red"
        data["scales"][0]["points"][3]["value"] = 3

    assert problems_after(change) == [
        "scales[0].points[3].value: the value 3 is given to more than one point",
        "scales[4].options[1].value: the value “red” is given to more than one option",
    ]


def test_keys_that_do_not_belong_to_the_scale_type_are_named() -> None:
    def change(data: dict[str, Any]) -> None:
        data["scales"][3]["options"] = data["scales"][4]["options"]
        data["scales"][2]["minimum"] = 20

    found = problems_after(change)
    assert found == [
        "scales[2].maximum: the maximum (10) is below the minimum (20)",
        "scales[3].options: “options” is not used by a free_text scale (a free_text scale may "
        "have: max_length)",
    ]


def test_references_to_missing_scales_and_sections_are_named() -> None:
    def change(data: dict[str, Any]) -> None:
        data["items"][0]["scale"] = "agreement"
        data["items"][1]["section"] = "part_one"

    found = problems_after(change)
    assert any(p.startswith("items[0].scale: there is no scale “agreement”") for p in found)
    assert any(p.startswith("items[1].section: there is no section “part_one”") for p in found)


def test_anchors_must_be_points_of_the_items_likert_scale() -> None:
    def change(data: dict[str, Any]) -> None:
        data["items"][0]["anchors"] = [
            {"value": 1, "text": text("Not at all")},
            {"value": 9, "text": text("Beyond")},
        ]
        data["items"][5]["anchors"] = [{"value": 1, "text": text("One")}]

    found = problems_after(change)
    assert "items[0].anchors[1].value: 9 is not a point of the scale “agree” (1, 2, 3, 4, 5)" in (
        found
    )
    assert any(p.startswith("items[5].anchors: anchors describe the points") for p in found)


def test_covers_names_training_topics_or_the_4_rs() -> None:
    def change(data: dict[str, Any]) -> None:
        data["items"][0]["covers"] = ["realise", "vicarious_trauma_resilience", "astrology"]

    [problem] = problems_after(change)
    assert problem.startswith("items[0].covers[2]: “astrology” is neither a training topic")


def test_every_problem_is_reported_at_once_in_file_order() -> None:
    def change(data: dict[str, Any]) -> None:
        data["colour"] = "red"  # the schema
        data["items"][8]["id"] = "s1"  # duplicate id
        data["items"][6]["reverse"] = True  # reverse on free text
        del data["items"][3]["text"]["cy"]  # missing Welsh
        data["items"][0]["answer_key"] = True  # answer key on a Likert item
        data["subscales"][0]["min_answered"] = 5  # more than the items
        data["subscales"][1]["items"].append("k9")  # no such item
        data["version"] = 0  # the schema

    data = base()
    change(data)
    with pytest.raises(InstrumentError) as caught:
        parse_instrument(json.dumps(data), source="broken.json", fmt="json")
    paths = [p.path for p in caught.value.problems]
    assert paths == [
        "version",
        "items[0].answer_key",
        "items[3].text.cy",
        "items[6].reverse",
        "items[8].id",
        "subscales[0].min_answered",
        "subscales[1].items[2]",
        "colour",
    ]
    message = str(caught.value)
    assert message.startswith("broken.json: 8 problems\n  version: 0 is less than the minimum")
    assert "  items[3].text.cy: Welsh text is missing" in message


# Reading files and text ------------------------------------------------------------------------


def test_yaml_and_json_files_read_the_same(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(yaml.safe_dump(base(), allow_unicode=True), encoding="utf-8")
    (tmp_path / "a.json").write_text(json.dumps(base()), encoding="utf-8")
    assert load_instrument(tmp_path / "a.yaml") == load_instrument(tmp_path / "a.json") == build()


def test_a_key_written_twice_is_refused_not_silently_dropped() -> None:
    with pytest.raises(InstrumentError) as caught:
        parse_instrument("id: one\nversion: 1\nid: two\n", source="twice.yaml")
    [problem] = caught.value.problems
    assert problem == InstrumentProblem(
        "",
        "is not valid YAML (line 3, column 1: the key “id” is written twice in the same mapping)",
    )
    with pytest.raises(InstrumentError, match="the key “id” is written twice"):
        parse_instrument('{"id": "a", "id": "b"}', fmt="json")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "the file: is empty"),
        ("- one\n- two\n", "the file: must be a mapping of keys"),
        ("id: [unclosed\n", "the file: is not valid YAML (line 2, column 1:"),
    ],
)
def test_files_that_are_not_instruments_say_so(content: str, expected: str) -> None:
    with pytest.raises(InstrumentError) as caught:
        parse_instrument(content)
    assert str(caught.value.problems[0]).startswith(expected)


def test_files_of_other_kinds_or_missing_are_named(tmp_path: Path) -> None:
    with pytest.raises(InstrumentError, match=r"notes.txt: 1 problem\n  the file: an instrument"):
        load_instrument(tmp_path / "notes.txt")
    with pytest.raises(InstrumentError, match="cannot be read"):
        load_instrument(tmp_path / "missing.yaml")


# Instruments a partnership adds -------------------------------------------------------------


def test_a_partnership_instrument_is_checked_and_returned() -> None:
    result = check_partnership_instrument(yaml.safe_dump(base(), allow_unicode=True))
    assert result.ok and result.instrument == build()


def test_a_partnership_instrument_gets_every_problem_back() -> None:
    data = base()
    data["items"][8]["id"] = "s1"
    del data["items"][3]["text"]["cy"]
    result = check_partnership_instrument(json.dumps(data), fmt="json")
    assert result.instrument is None and not result.ok
    assert [p.path for p in result.problems] == ["items[3].text.cy", "items[8].id"]


def test_a_partnership_instrument_cannot_take_tips_own_ids() -> None:
    for taken in ("tip-kac", "tip-new"):
        data = base()
        data["id"] = taken
        result = check_partnership_instrument(json.dumps(data), fmt="json")
        [problem] = result.problems
        assert problem.path == "id" and "kept for the instruments that come with TIP" in (
            problem.message
        )


def test_the_example_in_the_documentation_is_a_valid_instrument() -> None:
    guide = Path(__file__).resolve().parents[2] / "docs" / "evaluation-instruments.md"
    example = re.search(r"```yaml\n(.*?)```", guide.read_text(encoding="utf-8"), re.DOTALL)
    assert example is not None
    result = check_partnership_instrument(example.group(1))
    assert result.ok, [str(p) for p in result.problems]
