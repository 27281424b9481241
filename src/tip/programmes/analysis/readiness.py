"""The readiness check's logic, in plain Python: weigh the facts known about a programme against
criteria and cautions, and say of each whether it is met, not met or unknown, and why.

Facts come from several places (the programme's planning answers, its records in TIP, and later
apps such as training and evaluation); several may speak to the same question. The fact with the
highest ``weight`` that has a value decides; every fact about the question is kept as evidence, so
a reader sees what the decision rests on.

A criterion is met when every one of its tests passes, not met when a known fact fails a test,
and unknown when nothing fails but something is not known yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

MET = "met"
NOT_MET = "not_met"
UNKNOWN = "unknown"


class Status(StrEnum):
    MET = MET
    NOT_MET = NOT_MET
    UNKNOWN = UNKNOWN


# How much a fact counts when facts disagree: what people plan is outranked by what TIP records.
PLANNED = 10
RECORDED = 20


FactValue = bool | float | None


@dataclass(frozen=True)
class Fact:
    """Something known (or explicitly not known: ``value`` None) about a programme.

    ``evidence`` is a sentence for the reader, already in their language; ``source`` names where
    it comes from ("Planning answers", "Co-design record", "Training courses"...); ``link`` is an
    optional address where the reader can see or change it.
    """

    key: str
    value: FactValue
    evidence: str
    source: str
    weight: int = PLANNED
    link: str = ""


@dataclass(frozen=True)
class FactTest:
    """What a fact must be: ``is_`` (True/False) or ``at_least`` (a number)."""

    fact: str
    is_: bool | None = None
    at_least: float | None = None

    def passes(self, value: FactValue) -> bool | None:
        """True or False; None when the value is not known."""
        if value is None:
            return None
        if self.is_ is not None:
            return bool(value) is self.is_
        if self.at_least is not None:
            if isinstance(value, bool):
                return None
            return float(value) >= self.at_least
        raise ValueError(f"test on {self.fact} has neither is nor at_least")


@dataclass(frozen=True)
class Criterion:
    """One thing the programme is checked against. Text is per language (``{"en": ..}``)."""

    id: str
    kind: str  # "criterion" | "caution"
    title: Mapping[str, str]
    met: Mapping[str, str]
    not_met: Mapping[str, str]
    advice: Mapping[str, str]
    seed_section: Mapping[str, str]
    tests: tuple[FactTest, ...]

    @property
    def facts(self) -> tuple[str, ...]:
        return tuple(t.fact for t in self.tests)


@dataclass(frozen=True)
class Finding:
    criterion: Criterion
    status: Status
    # Every fact about the criterion's tests, the deciding ones first.
    evidence: tuple[Fact, ...]
    # The tests' facts that no one knows yet, and the ones that failed.
    unknown_facts: tuple[str, ...] = ()
    failed_facts: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return self.criterion.id


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...]
    facts: Mapping[str, Fact | None] = field(default_factory=dict)

    def count(self, status: Status) -> int:
        return sum(1 for f in self.findings if f.status is status)

    @property
    def criteria(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.criterion.kind == "criterion")

    @property
    def cautions(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.criterion.kind == "caution")


def decide(facts: Iterable[Fact]) -> dict[str, Fact | None]:
    """For each fact key, the fact that decides it: the heaviest one with a value (the first
    given wins a tie), or None when no fact about it has a value."""
    deciding: dict[str, Fact | None] = {}
    for fact in facts:
        current = deciding.get(fact.key)
        if fact.value is None:
            deciding.setdefault(fact.key, None)
            continue
        if current is None or fact.weight > current.weight:
            deciding[fact.key] = fact
    return deciding


def evaluate(criteria: Sequence[Criterion], facts: Iterable[Fact]) -> Report:
    """Check every criterion against the facts; findings come in the criteria's order."""
    all_facts = list(facts)
    deciding = decide(all_facts)
    by_key: dict[str, list[Fact]] = {}
    for fact in all_facts:
        by_key.setdefault(fact.key, []).append(fact)

    findings: list[Finding] = []
    for criterion in criteria:
        unknown: list[str] = []
        failed: list[str] = []
        evidence: list[Fact] = []
        for test in criterion.tests:
            decider = deciding.get(test.fact)
            outcome = test.passes(decider.value if decider else None)
            if outcome is None:
                unknown.append(test.fact)
            elif not outcome:
                failed.append(test.fact)
            others = [f for f in by_key.get(test.fact, []) if f is not decider]
            others.sort(key=lambda f: -f.weight)
            evidence.extend(([decider] if decider else []) + others)
        if failed:
            status = Status.NOT_MET
        elif unknown:
            status = Status.UNKNOWN
        else:
            status = Status.MET
        findings.append(
            Finding(
                criterion=criterion,
                status=status,
                evidence=tuple(dict.fromkeys(evidence)),
                unknown_facts=tuple(unknown),
                failed_facts=tuple(failed),
            )
        )
    return Report(findings=tuple(findings), facts=deciding)
