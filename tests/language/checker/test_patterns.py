"""Phrases are read once into places; word forms come from a lexicon, not from lists."""

from __future__ import annotations

import pytest

from tip.language.checker import PhraseError, parse_phrase, word_forms


def test_english_forms_include_irregular_ones() -> None:
    assert {"refuse", "refuses", "refused", "refusing"} <= word_forms("refuse", "en")
    assert {"keep", "keeps", "kept", "keeping"} <= word_forms("keep", "en")
    assert {"child", "children"} <= word_forms("child", "en")
    assert "united" not in word_forms("unit", "en")


def test_unknown_words_get_regular_forms() -> None:
    assert {"plug", "plugs", "plugged", "plugging"} <= word_forms("plug", "en")


@pytest.mark.parametrize(
    ("radical", "mutated"),
    [
        ("plentyn", {"blentyn", "mhlentyn", "phlentyn"}),
        ("teulu", {"deulu", "nheulu", "theulu"}),
        ("cyswllt", {"gyswllt", "nghyswllt", "chyswllt"}),
        ("gwrthod", {"wrthod", "ngwrthod"}),
        ("lleoliad", {"leoliad"}),
        ("rhieni", {"rieni"}),
        ("mam", {"fam"}),
        ("ymddygiad", {"hymddygiad"}),
    ],
)
def test_welsh_words_match_their_mutations(radical: str, mutated: set[str]) -> None:
    assert mutated | {radical} <= word_forms(radical, "cy")


def test_welsh_digraphs_do_not_mutate() -> None:
    assert word_forms("chwaer", "cy") == {"chwaer"}


def test_places() -> None:
    places = parse_phrase("refuse to fully? * engage|accept", "en")
    assert [p.gap for p in places] == [0, 0, 0, 2, 0]
    assert places[2].optional and "refused" in places[0].forms
    assert {"engaged", "accepting"} <= places[4].forms
    assert parse_phrase("=contact", "en")[0].forms == {"contact"}
    assert "themselves" in parse_phrase("put {reflexive}", "en")[1].forms
    assert parse_phrase("Child’s", "en")[0].forms >= {"childs"}


@pytest.mark.parametrize(
    ("phrase", "message"),
    [
        ("", "empty"),
        ("* engage", "start with a word"),
        ("fully? engage", "start with a word"),
        ("engage *", "cannot end"),
        ("a * * b", "two \\* in a row"),
        ("a *9 b", "a gap is"),
        ("a {friend}", "not a known slot"),
        ("a b!c", "write words of letters"),
    ],
)
def test_phrases_that_cannot_be_read(phrase: str, message: str) -> None:
    with pytest.raises(PhraseError, match=message):
        parse_phrase(phrase, "en")
