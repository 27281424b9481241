"""Taking identifying details out of quotes before they leave TIP (the quotes export): email
addresses, UK phone numbers, UK postcodes and names, each replaced by a placeholder in square
brackets ("[email]", "[phone]", "[postcode]", "[name]").

Names are of two kinds: the names of people the partnership knows (its members', passed in by
the caller, as whole names and as each part of them: "Sam Patel", "Sam", "Patel"), and a title
followed by one or two capitalised words ("Mr Jones", "Dr Amy Shah", "PC Evans", "Sgt. Wood").
A name nobody told TIP about without a title before it ("I spoke to Kerry") cannot be found by
rule, so the export still needs a person's read before it is shared; the placeholders show what
was taken out.

What is matched, in this order (an address first, as it may hold a name):

* email addresses: something@domain.tld;
* UK phone numbers: +44 or 0044 (with or without "(0)"), or a leading 0, then 9 or 10 more
  digits, with spaces, hyphens, dots or brackets between them ("07700 900123",
  "+44 7700 900 123", "020 7946 0958", "(01632) 960 123", "0121-496-0000");
* UK postcodes, all in capitals or all in small letters, with or without the space
  ("SW1A 1AA", "m1 1ae", "CF101AA"; not "the A1 2nd lane"); a district on its own ("M1") is
  not a postcode and stays;
* titles followed by a name (so "Mr Sam Patel" becomes one "[name]");
* known names (whole names before their parts; a part of one letter is ignored, and a part
  is matched only as a capitalised word: "Rose" in "Rose said", not "rose" in "it rose").

Plain Python; no Django.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

NAME = "[name]"
EMAIL = "[email]"
PHONE = "[phone]"
POSTCODE = "[postcode]"

EMAIL_RE = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b"
)

# A UK number: +44 / 0044 (optionally followed by "(0)"), or a leading 0 (optionally in a
# bracket), then 9 or 10 digits with separators between them.
_SEP = r"[ \t\-.()]*"
PHONE_RE = re.compile(
    r"(?<![\w+])"
    r"(?:(?:\+|00)44" + _SEP + r"(?:\(0\)" + _SEP + r")?|\(?0)"
    r"\d(?:" + _SEP + r"\d){8,9}"
    r"(?!\d)"
)

# The Royal Mail's postcode format: an outward code (area, district, optional sub-district)
# then an inward code (sector digit and two unit letters, which never use C, I, K, M, O or V).
POSTCODE_RE = re.compile(
    r"\b(?:GIR ?0AA|"
    r"(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|"
    r"[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])"
    r" ?[0-9][ABD-HJLNP-UW-Z]{2})\b",
    re.IGNORECASE,
)

TITLES = (
    "Mr",
    "Mrs",
    "Ms",
    "Miss",
    "Mx",
    "Master",
    "Dr",
    "Prof",
    "Professor",
    "Rev",
    "Revd",
    "Sir",
    "Dame",
    "Lady",
    "Lord",
    "Cllr",
    "Councillor",
    "PC",
    "WPC",
    "PCSO",
    "DC",
    "DS",
    "DI",
    "DCI",
    "Sgt",
    "Sergeant",
    "Insp",
    "Inspector",
    "Supt",
    "Superintendent",
    "Constable",
    "Nurse",
    "Sister",
)
_WORD = r"[A-Z][\w'’-]*"
TITLE_RE = re.compile(
    r"\b(?:" + "|".join(sorted(TITLES, key=len, reverse=True)) + r")\.?"
    r"[ \t]+(?:" + _WORD + r")(?:[ \t]+(?:" + _WORD + r"))?"
)


def _phone(match: re.Match[str]) -> str:
    # An opening bracket that is not the area code's ("(07700 900123, ...") is given back.
    found = match.group()
    return "(" + PHONE if found.startswith("(") and ")" not in found else PHONE


def _postcodes(text: str) -> tuple[str, int]:
    """Postcodes all in capitals or all in small letters: "the A1 2nd lane" is not one."""
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        found = match.group()
        if found.isupper() or found.islower():
            count += 1
            return POSTCODE
        return found

    return POSTCODE_RE.sub(replace, text), count


@dataclass(frozen=True)
class Redaction:
    """The text with identifying details replaced, and how many of each kind were."""

    text: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(self.counts.values())


def _name_patterns(names: Iterable[str]) -> list[re.Pattern[str]]:
    """Whole names (any case, spaces flexible), longest first, then their parts of two letters
    or more as capitalised words."""
    wholes: set[str] = set()
    parts: set[str] = set()
    for name in names:
        words = [w for w in re.split(r"\s+", (name or "").strip()) if w]
        if len(words) > 1:
            wholes.add(" ".join(words))
        for word in words:
            word = word.strip(".,;:()")
            if len(word) >= 2 and word not in TITLES:
                parts.add(word)
    patterns = [
        re.compile(
            r"(?<!\w)" + r"\s+".join(re.escape(w) for w in whole.split(" ")) + r"(?!\w)",
            re.IGNORECASE,
        )
        for whole in sorted(wholes, key=len, reverse=True)
    ]
    if parts:
        alternatives = "|".join(
            re.escape(p[0].upper() + p[1:]) for p in sorted(parts, key=len, reverse=True)
        )
        patterns.append(re.compile(r"(?<!\w)(?:" + alternatives + r")(?!\w)"))
    return patterns


def redact(text: str, *, names: Iterable[str] = ()) -> Redaction:
    """``text`` with email addresses, UK phone numbers, UK postcodes and names replaced (see the
    module's note). ``names``: the names of people the partnership knows. For many texts, make
    one ``Redactor`` and call it."""
    return Redactor(names)(text)


class Redactor:
    """``redact`` with the names compiled once, for many texts."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        self._names = _name_patterns(names)

    def __call__(self, text: str) -> Redaction:
        counts = {"email": 0, "phone": 0, "postcode": 0, "name": 0}
        out = text or ""
        out, counts["email"] = EMAIL_RE.subn(EMAIL, out)
        out, counts["phone"] = PHONE_RE.subn(_phone, out)
        out, counts["postcode"] = _postcodes(out)
        for pattern in (TITLE_RE, *self._names):
            out, found = pattern.subn(NAME, out)
            counts["name"] += found
        return Redaction(text=out, counts=counts)
