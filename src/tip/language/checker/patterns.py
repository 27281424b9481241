"""Phrase patterns: how a rule's phrase is written, and the word forms each word matches.

A phrase is a list of places, separated by spaces (the syntax is in docs/language-checker.md):

- ``refuse``: the word in all its forms (refuse, refuses, refused, refusing). English forms come
  from LemmInflect's lexicon, so irregular ones are known (keep, kept; go, went, gone); Welsh forms
  are the word's soft, nasal and aspirate mutations (plentyn, blentyn).
- ``=refused``: this form only.
- ``engage|accept``: one of these words at this place.
- ``fully?``: an optional word.
- ``*`` or ``*3``: up to 2 (or 3) other words here.
- ``{reflexive}``, ``{object}``, ``{possessive}``: a pronoun (himself, herself, themselves...).

Matching ignores case and apostrophes; hyphens and line breaks count as spaces. No Django here.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass

# Apostrophes of every kind become one, then disappear from the words compared.
APOSTROPHES = "'’‘ʼ`´"
APOSTROPHE_TABLE = str.maketrans({c: "'" for c in APOSTROPHES})

SLOTS: dict[str, frozenset[str]] = {
    "reflexive": frozenset(
        [
            "himself",
            "herself",
            "themselves",
            "themself",
            "myself",
            "yourself",
            "yourselves",
            "ourselves",
            "itself",
            "oneself",
            "theirself",
        ]
    ),
    "object": frozenset(["him", "her", "them", "me", "us", "you"]),
    "possessive": frozenset(["his", "her", "their", "my", "your", "our", "its"]),
}

# Welsh: the slot words of the same kinds.
SLOTS_CY: dict[str, frozenset[str]] = {
    # "ei hun", "eu hunain": the possessive is its own place ({possessive} {reflexive}).
    "reflexive": frozenset(["hun", "hunan", "hunain"]),
    "object": frozenset(["ef", "fe", "e", "hi", "nhw", "hwy", "fi", "ni", "chi", "ti"]),
    "possessive": frozenset(["ei", "eu", "fy", "dy", "ein", "eich"]),
}

_WORD = re.compile(r"^=?[^\W_]+(?:'[^\W_]+)*$")
_GAP = re.compile(r"^\*(\d)?$")
_SLOT = re.compile(r"^\{([a-z]+)\}(\?)?$")
DEFAULT_GAP = 2
MAX_GAP = 5


class PhraseError(ValueError):
    """A phrase that cannot be read; the message says what to change."""


@dataclass(frozen=True, slots=True)
class Place:
    """One place in a phrase: word forms (maybe optional), or a gap of up to `gap` words."""

    forms: frozenset[str] = frozenset()
    optional: bool = False
    gap: int = 0


def normalise_word(word: str) -> str:
    """A word as the engine compares it: lower case, without apostrophes."""
    return word.translate(APOSTROPHE_TABLE).replace("'", "").lower()


def parse_phrase(phrase: str, language: str) -> tuple[Place, ...]:
    """Read a phrase into its places; raise PhraseError saying what is wrong."""
    parts = phrase.replace("-", " ").split()
    if not parts:
        raise PhraseError("the phrase is empty")
    places: list[Place] = []
    for part in parts:
        places.append(_parse_place(part.translate(APOSTROPHE_TABLE), language))
    if places[0].gap or places[0].optional:
        raise PhraseError("a phrase must start with a word that is always there")
    if places[-1].gap:
        raise PhraseError("a phrase cannot end with *")
    for before, after in itertools.pairwise(places):
        if before.gap and after.gap:
            raise PhraseError("two * in a row: write one, like *4")
    return tuple(places)


def _parse_place(part: str, language: str) -> Place:
    gap = _GAP.match(part)
    if gap:
        size = int(gap.group(1)) if gap.group(1) else DEFAULT_GAP
        if not 1 <= size <= MAX_GAP:
            raise PhraseError(f"'{part}': a gap is * or *1 to *{MAX_GAP}")
        return Place(gap=size)
    slot = _SLOT.match(part)
    if slot:
        table = SLOTS_CY if language == "cy" else SLOTS
        if slot.group(1) not in table:
            known = ", ".join("{" + name + "}" for name in table)
            raise PhraseError(f"'{part}' is not a known slot; use one of {known}")
        return Place(forms=table[slot.group(1)], optional=bool(slot.group(2)))
    optional = part.endswith("?")
    body = part[:-1] if optional else part
    forms: set[str] = set()
    for word in body.split("|"):
        if not _WORD.match(word):
            raise PhraseError(
                f"'{part}': write words of letters, with | between choices, ? after an "
                "optional word, * for a gap and {reflexive}, {object} or {possessive} for a pronoun"
            )
        if word.startswith("="):
            forms.add(normalise_word(word[1:]))
        else:
            forms |= word_forms(normalise_word(word), language)
    return Place(forms=frozenset(forms), optional=optional)


def word_forms(word: str, language: str) -> frozenset[str]:
    """Every form a written word matches in `language`."""
    if language == "cy":
        return welsh_mutations(word)
    return english_forms(word)


@functools.lru_cache(maxsize=4096)
def english_forms(word: str) -> frozenset[str]:
    """The word and its inflections (plural, -s, past, participle, -ing, comparative)."""
    from lemminflect import getAllInflections, getAllInflectionsOOV

    forms = {word}
    found = getAllInflections(word)
    if not found:
        # Not in the lexicon: regular forms, as a noun and as a verb.
        found = {**getAllInflectionsOOV(word, "NOUN"), **getAllInflectionsOOV(word, "VERB")}
    for inflected in found.values():
        forms.update(normalise_word(form) for form in inflected)
    return frozenset(forms)


# Initial consonant mutations of Welsh: radical -> (soft, nasal, aspirate) where they exist.
_MUTATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    # Digraphs first: "ll" and "rh" soften; "ch", "dd", "ff", "ng", "ph", "th" never change.
    ("ll", ("l",)),
    ("rh", ("r",)),
    ("ch", ()),
    ("dd", ()),
    ("ff", ()),
    ("ng", ()),
    ("ph", ()),
    ("th", ()),
    ("p", ("b", "mh", "ph")),
    ("t", ("d", "nh", "th")),
    ("c", ("g", "ngh", "ch")),
    ("b", ("f", "m")),
    ("d", ("dd", "n")),
    ("g", ("", "ng")),
    ("m", ("f",)),
)
_VOWELS = "aeiouwyâêîôûŵŷ"


@functools.lru_cache(maxsize=4096)
def welsh_mutations(word: str) -> frozenset[str]:
    """A Welsh word and its mutated forms: soft, nasal and aspirate, and h- before a vowel."""
    forms = {word}
    for radical, mutated in _MUTATIONS:
        if word.startswith(radical):
            rest = word[len(radical) :]
            forms.update(start + rest for start in mutated if start + rest)
            break
    else:
        if word[:1] in _VOWELS:
            forms.add("h" + word)
    return frozenset(forms)
