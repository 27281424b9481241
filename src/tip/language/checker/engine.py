"""The checker: find each rule's phrases in a text, in their real word forms.

One pass splits the text into words (and the stops . ! ? ; that a phrase never crosses); a set
lookup finds the words that can start a phrase; only there are the rule's places tried, with
their gaps and optional words. Quotations are found once; a finding inside a quotation that
records a person's own words is reported as quoted, not as wording to change.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from tip.language.checker.patterns import APOSTROPHE_TABLE, Place
from tip.language.checker.rules import AUDIENCES, SEVERITIES, Pattern, Rule, RuleSet, Source

# A word (letters and digits, with apostrophes inside: don't, child's) or a stop.
_TOKENS = re.compile(r"([^\W_]+(?:'[^\W_]+)*|[.!?;])")
STOPS = frozenset(".!?;")


@dataclass(frozen=True, slots=True)
class Finding:
    start: int
    end: int
    text: str
    rule: str
    category: str
    severity: str
    explanation: str
    suggestions: tuple[str, ...]
    sources: tuple[Source, ...]
    applies_to: str
    quoted: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
            "explanation": self.explanation,
            "suggestions": list(self.suggestions),
            "sources": [source.to_dict() for source in self.sources],
            "applies_to": self.applies_to,
            "quoted": self.quoted,
        }


class Tokens:
    """A text's words, lower case without apostrophes, with their character offsets.

    Offsets are worked out only for the words a finding needs, walking forward from the last one
    asked for (findings are asked for in order), so a clean text costs no offsets at all.
    """

    __slots__ = ("_char", "_part", "_parts", "words")

    def __init__(self, text: str) -> None:
        lower = text.lower()
        if len(lower) != len(text):
            # A few characters grow when lowered (İ): lower them one by one to keep offsets.
            lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        # [gap, word, gap, word, ..., gap]: the words are the odd parts.
        self._parts = _TOKENS.split(lower.translate(APOSTROPHE_TABLE))
        self.words: list[str] = [w.replace("'", "") if "'" in w else w for w in self._parts[1::2]]
        self._part = 0
        self._char = 0

    def __len__(self) -> int:
        return len(self.words)

    def _offset(self, part: int) -> int:
        """Where part number `part` starts in the text."""
        if part < self._part:
            self._part, self._char = 0, 0
        self._char += sum(map(len, self._parts[self._part : part]))
        self._part = part
        return self._char

    def start(self, index: int) -> int:
        return self._offset(2 * index + 1)

    def end(self, index: int) -> int:
        return self._offset(2 * index + 2)


def _match(pattern: Pattern, place: int, words: list[str], at: int) -> int:
    """The index after the words `pattern[place:]` matches from `at`, or -1."""
    if place == len(pattern):
        return at
    here: Place = pattern[place]
    if here.gap:
        for skip in range(here.gap + 1):
            if skip and (at + skip > len(words) or words[at + skip - 1] in STOPS):
                break
            found = _match(pattern, place + 1, words, at + skip)
            if found >= 0:
                return found
        return -1
    if at < len(words) and words[at] in here.forms:
        found = _match(pattern, place + 1, words, at + 1)
        if found >= 0:
            return found
    if here.optional:
        return _match(pattern, place + 1, words, at)
    return -1


def _covered(patterns: Sequence[Pattern], words: list[str], start: int, end: int) -> bool:
    """Whether one of `patterns` matches words overlapping [start, end)."""
    for pattern in patterns:
        reach = sum(p.gap or 1 for p in pattern)
        for at in range(max(0, start - reach + 1), end):
            if words[at] in pattern[0].forms:
                after = _match(pattern, 1, words, at + 1)
                if after > start:
                    return True
    return False


_QUOTES = re.compile(
    r"“[^”]{1,2000}”"
    r"|\"(?:[^\"\n]|\n(?![ \t]*\n)){1,2000}\""
    r"|‘(?:[^’]|’(?=[^\W_])){1,2000}’(?![^\W_])"
    r"|(?<![^\W_])'(?=[^\s'])(?:[^'\n]|'(?=[^\W_])){1,2000}(?<=\S)'(?![^\W_])"
)
_REPORTING = (
    r"said|says|say|saying|told|tells|tell|telling|asked|asks|explained|explains|explaining|"
    r"described|describes|describing|wrote|writes|written|texted|texts|messaged|messages|"
    r"disclosed|discloses|disclosing|shouted|shouts|shouting|screamed|yelled|replied|replies|"
    r"stated|states|reported|reports|added|adds|answered|answers|recalled|recalls|insisted|"
    r"insists|called|calls|calling|cried|whispered|admitted|repeated|mentioned|commented|"
    r"words|quote|quoted|quoting|phrase|put it|in (?:his|her|their|my|your|our) (?:own )?words"
)
_CUE_BEFORE = re.compile(rf"(?:\b(?:{_REPORTING})\b[^.!?\n]{{0,40}}|:\s*)$", re.IGNORECASE)
_CUE_AFTER = re.compile(rf"^\s*[,.!?]?\s*(?:[^\W\d_]+\s+){{0,3}}?(?:{_REPORTING})\b", re.IGNORECASE)


def recorded_quotes(text: str) -> list[tuple[int, int]]:
    """Character spans of quotations that record someone's own words.

    A quotation counts when a reporting word is near it ("she said", "in his words", a colon
    just before) or it is longer than four words; short scare quotes with no such cue (she is
    "attention seeking") are the writer's words, and stay flagged.
    """
    spans: list[tuple[int, int]] = []
    for quote in _QUOTES.finditer(text):
        start, end = quote.span()
        inner = quote.group()[1:-1]
        before = text[max(0, start - 80) : start]
        after = text[end : end + 40]
        if len(inner.split()) > 4 or _CUE_BEFORE.search(before) or _CUE_AFTER.search(after):
            spans.append((start, end))
    return spans


def check(text: str, rules: RuleSet, *, audience: str = "all") -> list[Finding]:
    """Every place in `text` where a rule's phrase appears, sorted by where it starts.

    Where two findings overlap, the longer (then the more severe) is kept. `audience` ("all",
    "children" or "adults") leaves out rules written for the other group.
    """
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}")
    if not text or not rules.index:
        return []
    tokens = Tokens(text)
    words = tokens.words
    index = rules.index
    candidates: list[tuple[int, int, int, Rule]] = []
    for at in [i for i, word in enumerate(words) if word in index]:
        for rule, pattern in index[words[at]]:
            if audience != "all" and rule.applies_to not in ("all", audience):
                continue
            after = _match(pattern, 1, words, at + 1)
            if after < 0:
                continue
            if rule.except_patterns and _covered(rule.except_patterns, words, at, after):
                continue
            if rules.allowed_patterns and _covered(rules.allowed_patterns, words, at, after):
                continue
            candidates.append((at, after, rule.rank, rule))
    if not candidates:
        return []
    quotes = recorded_quotes(text) if _has_quote(text) else []
    quote_starts = [start for start, _ in quotes]
    findings: list[Finding] = []
    for at, after, _rank, rule in sorted(candidates, key=lambda c: (c[0], c[1])):
        start, end = tokens.start(at), tokens.end(after - 1)
        findings.append(
            Finding(
                start=start,
                end=end,
                text=text[start:end],
                rule=rule.id,
                category=rule.category,
                severity=rule.severity,
                explanation=rule.explanation,
                suggestions=rule.suggestions,
                sources=rule.sources,
                applies_to=rule.applies_to,
                quoted=_inside(quotes, quote_starts, start, end),
            )
        )
    return without_overlaps(findings)


def without_overlaps(findings: Iterable[Finding]) -> list[Finding]:
    """Findings sorted by start, none overlapping: at each start the longest, then the most
    severe, is kept, and anything overlapping a kept finding is dropped."""
    kept: list[Finding] = []
    order = sorted(
        findings, key=lambda f: (f.start, f.start - f.end, -SEVERITIES.index(f.severity))
    )
    for finding in order:
        if not kept or finding.start >= kept[-1].end:
            kept.append(finding)
    return kept


_ANY_QUOTE = re.compile("[\"“”‘']")


def _has_quote(text: str) -> bool:
    return _ANY_QUOTE.search(text) is not None


def _inside(quotes: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    at = bisect.bisect_right(starts, start) - 1
    return at >= 0 and quotes[at][0] <= start and end <= quotes[at][1]
