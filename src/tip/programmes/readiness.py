"""The readiness check: how ready a programme is, against the strongest-model criteria and the
guidance's cautions (rules in data/readiness.yaml, logic in analysis/readiness.py).

Extension point. Facts about a programme come from *fact providers*: functions that take a
programme and return ``Fact`` values. This app registers providers for what it knows (planning
answers, who the programme is for, the co-design record, the Theory of Change). A later app
(training, evaluation) registers its own from its ``AppConfig.ready()``::

    from tip.programmes.readiness import Fact, RECORDED, register_fact_provider

    def course_facts(programme):
        shortest = ...  # from the training app's own tables
        yield Fact("course_hours", shortest, _("The shortest course is 3 hours."),
                   source=_("Training courses"), weight=RECORDED)

    register_fact_provider(course_facts)

so ``programmes`` never imports them. A provider may only give facts the rules know (a planning
question's id or one listed under ``facts`` in the data file); anything else is a programming
error and raises. Facts recorded in TIP (``RECORDED``) outrank planning answers (``PLANNED``).
A provider should run a bounded number of queries, whatever the programme's size: the report
page's query count is asserted in the tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.utils.translation import get_language

from tip.programmes.analysis.readiness import (
    PLANNED,
    RECORDED,
    Fact,
    Finding,
    Report,
    Status,
    evaluate,
)
from tip.programmes.models import Programme
from tip.programmes.readiness_rules import Rules, load_rules, text

__all__ = [
    "PLANNED",
    "RECORDED",
    "Fact",
    "FactProvider",
    "Finding",
    "Report",
    "Status",
    "fact_providers",
    "language",
    "readiness_report",
    "register_fact_provider",
    "text",
]

FactProvider = Callable[[Programme], Iterable[Fact]]

_PROVIDERS: list[FactProvider] = []


def register_fact_provider(provider: FactProvider) -> None:
    """Add a source of facts to every readiness check (idempotent)."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def fact_providers() -> list[FactProvider]:
    return list(_PROVIDERS)


def readiness_report(programme: Programme, *, rules: Rules | None = None) -> Report:
    """Run the check now, from everything every provider knows about ``programme``."""
    rules = rules or load_rules()
    known = rules.fact_ids
    facts: list[Fact] = []
    for provider in _PROVIDERS:
        for fact in provider(programme):
            if fact.key not in known:
                raise ValueError(
                    f"{provider.__module__}.{getattr(provider, '__name__', provider)} gave the "
                    f"fact {fact.key!r}, which data/readiness.yaml does not declare."
                )
            facts.append(fact)
    return evaluate(rules.criteria, facts)


def language() -> str:
    return get_language() or "en"
