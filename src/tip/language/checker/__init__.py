"""TIP's trauma-informed language checker, as a pure package (no Django).

    from tip.language.checker import check, load_shipped, preview
    findings = check("She refused to fully engage.", load_shipped("en"))
    preview("She refused to fully engage.", findings).text

The rules are data (``../data/rules/<language>.yaml``, schema ``../data/rules.schema.json``).
"""

from tip.language.checker.engine import Finding, check, recorded_quotes, without_overlaps
from tip.language.checker.patterns import PhraseError, parse_phrase, word_forms
from tip.language.checker.rewrite import Preview, Segment, preview
from tip.language.checker.rules import (
    AUDIENCES,
    CATEGORIES,
    LANGUAGES,
    SEVERITIES,
    Rule,
    RuleFileError,
    RuleSet,
    Source,
    load_rules,
    load_shipped,
    rules_from_data,
    rules_from_document,
    rules_from_text,
)

__all__ = [
    "AUDIENCES",
    "CATEGORIES",
    "LANGUAGES",
    "SEVERITIES",
    "Finding",
    "PhraseError",
    "Preview",
    "Rule",
    "RuleFileError",
    "RuleSet",
    "Segment",
    "Source",
    "check",
    "load_rules",
    "load_shipped",
    "parse_phrase",
    "preview",
    "recorded_quotes",
    "rules_from_data",
    "rules_from_document",
    "rules_from_text",
    "without_overlaps",
    "word_forms",
]
