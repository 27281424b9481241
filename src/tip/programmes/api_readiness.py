"""The readiness check in the JSON API: the report, and the planning answers behind it.

Attached to the programmes router (imported from ProgrammesConfig.ready()). The same code as the
pages runs the check and saves answers, so the API gives the same findings, refuses what the
form refuses with the same messages, and writes the same audit entries.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Schema
from pydantic import Field

from tip.core.api import VIA, InputSchema, _documented
from tip.programmes.api import _programme, router
from tip.programmes.readiness import language, readiness_report, text
from tip.programmes.readiness_facts import stored_answers
from tip.programmes.roles import MANAGE_PROGRAMMES, VIEW_PROGRAMMES
from tip.programmes.services_readiness import readiness_answers_set


class EvidenceOut(Schema):
    fact: str = Field(description="Which fact this is, as named in the rules file.")
    value: bool | float | None = Field(description="The fact's value; null when not known.")
    text: str
    source: str
    deciding: bool = Field(description="Whether this fact decided the finding's status.")


class FindingOut(Schema):
    id: str
    kind: Literal["criterion", "caution"] = Field(
        description="criterion: a feature of the strongest models of training; caution: "
        "something the guidance warns against (met when the programme avoids it)."
    )
    title: str
    status: Literal["met", "not_met", "unknown"]
    summary: str
    advice: str = Field(description="What to do; empty when the finding is met.")
    seed_section: str = Field(description="The section of the guidance it comes from.")
    evidence: list[EvidenceOut]


class ReadinessOut(Schema):
    met: int
    not_met: int
    unknown: int
    findings: list[FindingOut]


class AnswerIn(InputSchema):
    answer: str | float | None = Field(
        default=None,
        description='"yes" or "no" for a yes or no question, a number for a number question, '
        "null when not decided yet.",
    )
    details: str = Field(default="", max_length=1000)


class AnswersIn(InputSchema):
    answers: dict[str, AnswerIn] = Field(
        description="Answers by question id (see GET .../readiness/answers for the questions)."
    )


class AnswerOut(Schema):
    question: str
    type: Literal["yes_no", "number"]
    label: str
    answer: str | float | None
    details: str


def _report(programme: Any) -> dict[str, Any]:
    from tip.programmes.analysis.readiness import Status

    report = readiness_report(programme)
    lang = language()
    findings = []
    for finding in report.findings:
        c = finding.criterion
        deciding = {report.facts.get(key) for key in c.facts} - {None}
        summary = {
            Status.MET: text(c.met, lang),
            Status.NOT_MET: text(c.not_met, lang),
        }.get(finding.status, "")
        findings.append(
            {
                "id": c.id,
                "kind": c.kind,
                "title": text(c.title, lang),
                "status": finding.status.value,
                "summary": summary,
                "advice": "" if finding.status is Status.MET else text(c.advice, lang),
                "seed_section": text(c.seed_section, lang),
                "evidence": [
                    {
                        "fact": f.key,
                        "value": f.value,
                        "text": f.evidence,
                        "source": f.source,
                        "deciding": f in deciding,
                    }
                    for f in finding.evidence
                ],
            }
        )
    return {
        "met": report.count(Status.MET),
        "not_met": report.count(Status.NOT_MET),
        "unknown": report.count(Status.UNKNOWN),
        "findings": findings,
    }


def _answers(programme: Any) -> list[dict[str, Any]]:
    from tip.programmes.readiness_rules import load_rules

    stored = stored_answers(programme)
    lang = language()
    result = []
    for q in load_rules().questions:
        given = stored.get(q.id) or {}
        result.append(
            {
                "question": q.id,
                "type": q.type,
                "label": q.label(lang),
                "answer": given.get("answer") if isinstance(given, dict) else None,
                "details": str(given.get("details", "")) if isinstance(given, dict) else "",
            }
        )
    return result


@router.get(
    "/{int:programme_id}/readiness",
    summary="Run the readiness check",
    description="The programme against the strongest-model criteria and the guidance's "
    "cautions, each met, not met or unknown, with its evidence, what to do and the guidance "
    "section it comes from. Run afresh on every request.",
    **_documented({200: ReadinessOut}, 401, 403, 404),
)
def readiness(request: HttpRequest, programme_id: int) -> Any:
    _m, programme = _programme(request, VIEW_PROGRAMMES, programme_id)
    return _report(programme)


@router.get(
    "/{int:programme_id}/readiness/answers",
    summary="The answers to the planning questions",
    **_documented({200: list[AnswerOut]}, 401, 403, 404),
)
def readiness_answers(request: HttpRequest, programme_id: int) -> Any:
    _m, programme = _programme(request, VIEW_PROGRAMMES, programme_id)
    return _answers(programme)


@router.patch(
    "/{int:programme_id}/readiness/answers",
    summary="Answer planning questions",
    description="Give answers by question id; questions left out keep their answers. Every "
    "answer is checked before any is saved.",
    **_documented({200: list[AnswerOut]}, 400, 401, 403, 404, 409, 422),
)
def readiness_answers_update(request: HttpRequest, programme_id: int, payload: AnswersIn) -> Any:
    m, programme = _programme(request, MANAGE_PROGRAMMES, programme_id)
    readiness_answers_set(
        programme=programme,
        answers={qid: a.model_dump() for qid, a in payload.answers.items()},
        by=m.user,
        via=VIA,
    )
    return _answers(programme)
