"""The rewrite preview puts the first suggestion in and marks what the writer must add."""

from __future__ import annotations

from tip.language.checker import RuleSet, check, preview


def test_preview_replaces_and_marks_slots(rules: RuleSet) -> None:
    text = 'Refused to engage. She said "I refused support". Contact with Dad.'
    result = preview(text, check(text, rules))
    assert result.text == (
        "Felt unable to accept support at this time because [say what got in the way]. "
        'She said "I refused support". Family time with Dad.'
    )
    kinds = [(s.kind, s.text) for s in result.segments]
    assert ("slot", "[say what got in the way]") in kinds
    assert result.slots == 1
    assert result.to_dict()["segments"][0] == {
        "kind": "replaced",
        "text": "Felt unable to accept support at this time because ",
        "rule": "refused-to-engage",
    }


def test_preview_of_clean_text_is_the_text(rules: RuleSet) -> None:
    assert preview("All well today.", []).text == "All well today."
    assert preview("", []).segments == ()
