"""Filters that show the training data files' text (questions, clearance types) in the
reader's language: `{{ question|title_in:language }}`."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def title_in(item: Any, language: str) -> str:
    return str(item.title(language))


@register.filter
def question_in(item: Any, language: str) -> str:
    return str(item.question(language))


@register.filter
def name_in(item: Any, language: str) -> str:
    return str(item.name(language))
