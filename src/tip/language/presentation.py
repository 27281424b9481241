"""Findings as people read them: the checked text with each finding marked (not by colour
alone: a number in brackets and, for screen readers, the kind of wording), each suggestion with
its slots, the rewrite preview, and the JSON the API and the live hints return."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tip.language.checker import Finding, Preview, Source, preview
from tip.language.models import AppliesTo, Category, Severity

SLOT = re.compile(r"\[([^\[\]]+)\]")


def category_label(category: str) -> str:
    return str(Category(category).label) if category in Category.values else category


def severity_label(severity: str) -> str:
    return str(Severity(severity).label) if severity in Severity.values else severity


def applies_to_label(applies_to: str) -> str:
    return str(AppliesTo(applies_to).label) if applies_to in AppliesTo.values else applies_to


def _lines(text: str) -> SafeString:
    """Escaped text whose line breaks show as line breaks."""
    return mark_safe("<br>".join(escape(line) for line in text.split("\n")))  # noqa: S308


def slot_html(slot: str) -> SafeString:
    """A slot the writer must fill: "[ ... ]" on the screen, "you need to add" read out."""
    inner = slot[1:-1] if slot.startswith("[") and slot.endswith("]") else slot
    return format_html(
        '<strong class="tip-slot"><span class="govuk-visually-hidden">{} </span>[{}]</strong>',
        _("you need to add:"),
        inner.strip(),
    )


def suggestion_html(suggestion: str) -> SafeString:
    """A suggestion with each "[...]" slot marked."""
    parts: list[str] = []
    at = 0
    for slot in SLOT.finditer(suggestion):
        parts.append(escape(suggestion[at : slot.start()]))
        parts.append(slot_html(slot.group()))
        at = slot.end()
    parts.append(escape(suggestion[at:]))
    return mark_safe("".join(parts))  # noqa: S308


@dataclass(frozen=True)
class Shown:
    """A finding as the page lists it: its number and its parts ready to show."""

    number: int
    finding: Finding
    category: str
    severity: str
    suggestions: tuple[SafeString, ...]
    sources: tuple[Source, ...]

    @property
    def rule(self) -> str:
        return self.finding.rule


def shown(findings: Iterable[Finding]) -> list[Shown]:
    return [
        Shown(
            number=n,
            finding=f,
            category=category_label(f.category),
            severity=severity_label(f.severity),
            suggestions=tuple(suggestion_html(s) for s in f.suggestions),
            sources=f.sources,
        )
        for n, f in enumerate(findings, start=1)
    ]


def marked_text(text: str, findings: Sequence[Shown]) -> SafeString:
    """The text with each finding in <mark>, followed by its number in brackets (a link to its
    explanation) and, for screen readers, its kind. Overlapping findings are marked once."""
    parts: list[str] = []
    at = 0
    for item in sorted(findings, key=lambda s: s.finding.start):
        f = item.finding
        if f.start < at:
            continue
        parts.append(_lines(text[at : f.start]))
        parts.append(
            format_html(
                '<mark class="tip-finding" id="found-{n}">{words}'
                '<span class="govuk-visually-hidden"> ({kind})</span></mark>'
                ' <a class="govuk-link tip-finding-number" href="#finding-{n}">[{n}]</a>',
                n=item.number,
                words=_lines(text[f.start : f.end]),
                kind=_("finding %(number)s: %(kind)s")
                % {"number": item.number, "kind": item.category},
            )
        )
        at = f.end
    parts.append(_lines(text[at:]))
    return mark_safe("".join(parts))  # noqa: S308


def preview_html(result: Preview) -> SafeString:
    """The rewrite preview: suggested words in bold, each slot marked."""
    parts: list[str] = []
    for segment in result.segments:
        if segment.kind == "slot":
            parts.append(slot_html(segment.text))
        elif segment.kind == "replaced":
            parts.append(format_html('<strong class="tip-replaced">{}</strong>', segment.text))
        else:
            parts.append(_lines(segment.text))
    return mark_safe("".join(parts))  # noqa: S308


def finding_json(finding: Finding) -> dict[str, Any]:
    return finding.to_dict() | {
        "category_label": category_label(finding.category),
        "severity_label": severity_label(finding.severity),
    }


def check_json(
    text: str, findings: Sequence[Finding], *, language: str, audience: str
) -> dict[str, Any]:
    """The answer of the API and of the live hints: findings to act on, quoted ones apart, and
    the rewrite preview."""
    result = preview(text, findings)
    return {
        "language": language,
        "audience": audience,
        "findings": [finding_json(f) for f in findings if not f.quoted],
        "quoted": [finding_json(f) for f in findings if f.quoted],
        "preview": result.to_dict(),
    }
