"""The engine finds rules in their real word forms, and only where they mean harm."""

from __future__ import annotations

import pytest

from tip.language.checker import RuleSet, check, recorded_quotes


def flagged(text: str, rules: RuleSet, **kwargs: str) -> list[tuple[str, str]]:
    return [(f.rule, f.text) for f in check(text, rules, **kwargs) if not f.quoted]


@pytest.mark.parametrize(
    "text",
    [
        "He refuse to engage.",
        "He refuses to engage.",
        "He refused to engage.",
        "He is refusing to engage.",
        "She refused to fully engage with the plan.",
        "She refused to really fully engage.",
        "She REFUSED TO ENGAGE.",
        "She refused to\nengage with school.",
        "She refused   to  engage.",
        "They refused support.",
    ],
)
def test_word_forms_gaps_case_and_line_breaks(text: str, rules: RuleSet) -> None:
    assert [rule for rule, _ in flagged(text, rules)] == ["refused-to-engage"]


def test_a_gap_has_a_limit(rules: RuleSet) -> None:
    assert flagged("She refused to go to school and did not engage.", rules) == []


def test_a_phrase_never_crosses_a_sentence_end(rules: RuleSet) -> None:
    assert flagged("She refused to. Engage was the name of the project.", rules) == []


@pytest.mark.parametrize("pronoun", ["himself", "herself", "themselves", "themself"])
@pytest.mark.parametrize("verb", ["putting", "puts", "put", "placed", "placing"])
def test_pronoun_slots(verb: str, pronoun: str, rules: RuleSet) -> None:
    text = f"Sam is {verb} {pronoun} at risk."
    assert flagged(text, rules) == [("putting-self-at-risk", f"{verb} {pronoun} at risk")]


def test_irregular_forms_come_from_the_lexicon(rules: RuleSet) -> None:
    assert flagged("She kept going missing.", rules) == [
        ("keeps-going-missing", "kept going missing")
    ]
    assert flagged("He keeps going missing.", rules)[0][0] == "keeps-going-missing"


def test_hyphens_and_apostrophes(rules: RuleSet) -> None:
    assert flagged("Her attention-seeking was noted.", rules) == [
        ("attention-seeking", "attention-seeking")
    ]
    assert flagged("He’s refused to engage.", rules)[0][1] == "refused to engage"


def test_harmless_look_alikes_are_not_flagged(rules: RuleSet) -> None:
    assert flagged("He refused bail.", rules) == []
    assert flagged("We updated her contact details and contact number.", rules) == []
    assert flagged("The point of contact is Sam.", rules) == []
    supervised = flagged("Supervised contact with Mum went well.", rules)
    assert supervised == [("family-contact", "contact")]
    # An exact word (=contact) does not match its other forms.
    assert flagged("I contacted the school.", rules) == []


def test_offsets_point_at_the_words(rules: RuleSet) -> None:
    text = "Note.\r\nKayleigh (14) refused to fully\r\nengage — again."
    (finding,) = check(text, rules)
    assert text[finding.start : finding.end] == finding.text == "refused to fully\r\nengage"


def test_findings_carry_what_a_reader_needs(rules: RuleSet) -> None:
    (finding,) = check("She refused support.", rules)
    data = finding.to_dict()
    assert {"start", "end", "text", "rule", "category", "suggestions", "severity"} <= set(data)
    assert data["category"] == "service-centred"
    assert data["suggestions"][0].startswith("felt unable to accept support")
    assert data["sources"] == [
        {"key": "seed", "title": "Trauma-informed practice: learning from experience", "url": None}
    ]
    assert data["explanation"]


def test_audience_leaves_out_the_other_groups_rules(rules: RuleSet) -> None:
    text = "He keeps putting himself at risk and refused support."
    assert len(flagged(text, rules)) == 2
    assert [r for r, _ in flagged(text, rules, audience="adults")] == ["refused-to-engage"]
    assert len(flagged(text, rules, audience="children")) == 2
    with pytest.raises(ValueError, match="audience"):
        check(text, rules, audience="teenagers")


@pytest.mark.parametrize(
    "text",
    [
        'She said, "I refused to engage because nobody listened."',
        "He told me: “I just refused to engage.”",
        '"I refused to engage," she said.',
        "In her words, 'I refused to engage with them'.",
        'Mum described it as "the week I refused support and stayed in bed all day".',
    ],
)
def test_recorded_words_are_reported_as_quoted(text: str, rules: RuleSet) -> None:
    (finding,) = check(text, rules)
    assert finding.quoted and finding.rule == "refused-to-engage"


def test_scare_quotes_are_the_writers_words_and_are_flagged(rules: RuleSet) -> None:
    (finding,) = check('Staff feel she is "attention seeking" at night.', rules)
    assert not finding.quoted


def test_apostrophes_do_not_open_quotations() -> None:
    assert recorded_quotes("Sam's mum didn't come; the children's plan changed.") == []


def test_overlapping_findings_keep_the_longest(rules: RuleSet) -> None:
    extra = rules.extended(
        rules_from_text_rule("refuse-word", ["refuse"], severity="suggestion").rules
    )
    assert flagged("She refused to engage.", extra) == [("refused-to-engage", "refused to engage")]
    assert flagged("She refused lunch.", extra) == [("refuse-word", "refused")]


def test_allow_list_and_silenced_rules(rules: RuleSet) -> None:
    quiet = rules.without(rule_ids={"family-contact"}, allowed_phrases=["refuse support"])
    assert flagged("Contact with Mum. He refused support. He refused to engage.", quiet) == [
        ("refused-to-engage", "refused to engage")
    ]
    assert len(rules) == 5 and len(quiet) == 4


def test_empty_text_and_no_rules(rules: RuleSet) -> None:
    assert check("", rules) == []
    assert check("   \n\n ", rules) == []
    assert check("refused to engage", RuleSet("en", [])) == []


def test_very_long_lines_and_odd_characters(rules: RuleSet) -> None:
    text = ("word " * 200_000) + "refused to engage " + "İstanbul " * 3 + "ﬁne"
    (finding,) = check(text, rules)
    assert text[finding.start : finding.end] == "refused to engage"
    odd = "İİİ refused to engage \x00\ufffd emoji 😀 refused support"
    found = check(odd, rules)
    assert [odd[f.start : f.end] for f in found] == ["refused to engage", "refused support"]


def rules_from_text_rule(rule_id: str, phrases: list[str], severity: str) -> RuleSet:
    from tip.language.checker import rules_from_document

    return rules_from_document(
        {
            "language": "en",
            "sources": {"t": {"title": "Test"}},
            "rules": [
                {
                    "id": rule_id,
                    "category": "deficit-label",
                    "applies_to": "all",
                    "severity": severity,
                    "phrases": phrases,
                    "explanation": "A test rule for overlaps.",
                    "suggestions": ["x"],
                    "sources": ["t"],
                }
            ],
        }
    )
