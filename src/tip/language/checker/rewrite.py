"""The rewrite preview: each finding replaced by its first suggestion, with the slots marked.

A suggestion's "[...]" parts are slots: what only the writer knows (the reason, who holds
power). The preview keeps them as segments of their own so a page can mark them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from tip.language.checker.engine import Finding

SLOT = re.compile(r"\[[^\[\]]+\]")
SegmentKind = Literal["text", "replaced", "slot"]


@dataclass(frozen=True, slots=True)
class Segment:
    kind: SegmentKind
    text: str
    rule: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "rule": self.rule}


@dataclass(frozen=True, slots=True)
class Preview:
    segments: tuple[Segment, ...]

    @property
    def text(self) -> str:
        return "".join(segment.text for segment in self.segments)

    @property
    def slots(self) -> int:
        return sum(1 for segment in self.segments if segment.kind == "slot")

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "segments": [s.to_dict() for s in self.segments]}


def preview(text: str, findings: Iterable[Finding]) -> Preview:
    """`text` with every finding not in quotation marks replaced by its first suggestion."""
    segments: list[Segment] = []
    at = 0
    for finding in sorted(findings, key=lambda f: f.start):
        if finding.quoted or not finding.suggestions or finding.start < at:
            continue
        if finding.start > at:
            segments.append(Segment("text", text[at : finding.start]))
        segments.extend(_suggestion_segments(finding))
        at = finding.end
    if at < len(text):
        segments.append(Segment("text", text[at:]))
    return Preview(tuple(segments))


def _suggestion_segments(finding: Finding) -> list[Segment]:
    suggestion = finding.suggestions[0]
    if finding.text[:1].isupper() and suggestion[:1].islower():
        suggestion = suggestion[0].upper() + suggestion[1:]
    parts: list[Segment] = []
    at = 0
    for slot in SLOT.finditer(suggestion):
        if slot.start() > at:
            parts.append(Segment("replaced", suggestion[at : slot.start()], finding.rule))
        parts.append(Segment("slot", slot.group(), finding.rule))
        at = slot.end()
    if at < len(suggestion):
        parts.append(Segment("replaced", suggestion[at:], finding.rule))
    return parts
