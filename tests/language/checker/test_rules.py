"""A broken rule file is refused whole, every problem named by rule and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from tip.language.checker import (
    RuleFileError,
    RuleSet,
    check,
    load_rules,
    rules_from_data,
    rules_from_text,
)

GOOD_RULE = """
  - id: no-show
    category: service-centred
    applies_to: all
    severity: warning
    phrases: ["no show"]
    explanation: "It blames the person for a barrier the service has not understood."
    suggestions: ["was unable to make the appointment because [reason]"]
    sources: [US]
"""
HEAD = 'language: en\nsources:\n  US: {title: "Trauma-informed language toolkit"}\nrules:\n'


def errors_of(text: str) -> list[str]:
    with pytest.raises(RuleFileError) as raised:
        rules_from_text(text, origin="bad.yaml")
    assert str(raised.value).startswith("bad.yaml: ")
    return raised.value.errors


def test_a_good_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(HEAD + GOOD_RULE, encoding="utf-8")
    rules = load_rules(path)
    assert [rule.id for rule in rules] == ["no-show"]
    assert check("Another no-show today.", rules)[0].text == "no-show"


def test_every_problem_is_named_by_rule_and_field() -> None:
    broken = GOOD_RULE.replace("severity: warning", "severity: urgent").replace(
        "category: service-centred", "category: rude"
    )
    problems = errors_of(HEAD + broken)
    assert "rule no-show: severity: 'urgent' is not one of suggestion, warning, error" in problems
    assert any(p.startswith("rule no-show: category: 'rude' is not one of") for p in problems)


def test_missing_and_unknown_fields() -> None:
    problems = errors_of(HEAD + GOOD_RULE.replace('    explanation: "It', '    explain: "It'))
    assert "rule no-show: explanation: is required" in problems
    assert any(p.startswith("rule no-show: unknown field(s):") and "explain" in p for p in problems)


def test_duplicate_ids_unknown_sources_and_bad_phrases() -> None:
    second = GOOD_RULE.replace('phrases: ["no show"]', 'phrases: ["* show", "no {friend}"]')
    third = GOOD_RULE.replace("id: no-show", "id: other").replace("[US]", "[NSPCC]")
    problems = errors_of(HEAD + GOOD_RULE + second + third)
    assert "rule no-show: id: used by an earlier rule; ids must be unique" in problems
    assert "rule other: sources: 'NSPCC' is not in the file's sources" in problems
    third_phrase = GOOD_RULE.replace("id: no-show", "id: x").replace(
        '["no show"]', '["no show *", "a|b?c"]'
    )
    problems = errors_of(HEAD + third_phrase)
    assert "rule x: phrases 1 ('no show *'): a phrase cannot end with *" in problems
    assert any(p.startswith("rule x: phrases 2 ('a|b?c'):") for p in problems)


def test_a_rule_without_an_id_is_named_by_its_place() -> None:
    problems = errors_of(HEAD + "  - {category: care-jargon}\n")
    assert "rule 1: id: is required" in problems


def test_not_yaml_and_not_a_file(tmp_path: Path) -> None:
    assert errors_of("language: [en\n")[0].startswith("is not valid YAML")
    with pytest.raises(RuleFileError, match="cannot be read"):
        load_rules(tmp_path / "missing.yaml")
    assert errors_of("- just a list\n") == ["file: ['just a list'] is not of type 'object'"]


def test_partnership_rules_are_checked_the_same_way() -> None:
    rule = {
        "id": "frequent-attender",
        "category": "deficit-label",
        "applies_to": "adults",
        "severity": "suggestion",
        "phrases": ["frequent attender"],
        "explanation": "Our board agreed to describe the need behind repeated visits.",
        "suggestions": ["has come to us [how often] because [need]"],
    }
    (built,) = rules_from_data([rule])
    assert built.origin == "partnership" and built.sources[0].key == "partnership"
    extended = RuleSet("en", []).extended([built])
    assert check("A frequent attender at A&E.", extended)[0].rule == "frequent-attender"
    with pytest.raises(RuleFileError) as raised:
        rules_from_data([{**rule, "severity": "loud", "phrases": ["* x"]}])
    assert any("rule frequent-attender: severity" in e for e in raised.value.errors)


def test_a_partnership_rule_replaces_a_shipped_rule_of_the_same_id() -> None:
    shipped = rules_from_text(HEAD + GOOD_RULE)
    (own,) = rules_from_data(
        [
            {
                "id": "no-show",
                "category": "service-centred",
                "applies_to": "all",
                "severity": "error",
                "phrases": ["no show"],
                "explanation": "We treat this as serious in our partnership.",
                "suggestions": ["missed the appointment"],
            }
        ]
    )
    merged = shipped.extended([own])
    assert len(merged) == 1 and merged.by_id["no-show"].severity == "error"
