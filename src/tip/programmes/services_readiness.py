"""Saving a programme's answers to the readiness check's planning questions."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tip.core.audit import audit_change
from tip.core.models import AuditAction, User
from tip.programmes.models import Programme
from tip.programmes.models_readiness import ReadinessAnswers
from tip.programmes.readiness import language
from tip.programmes.readiness_facts import format_number
from tip.programmes.readiness_rules import NUMBER, YES_NO, Question, load_rules

DETAILS_MAX = 1000


def _clean(question: Question, given: Mapping[str, Any]) -> dict[str, Any]:
    """One answer as it will be stored; raises ValidationError keyed by the question's id."""
    label = question.label(language())
    answer = given.get("answer")
    details = given.get("details") or ""
    if not isinstance(details, str):
        raise ValidationError(
            {question.id: _("“%(question)s”: the details must be text.") % {"question": label}}
        )
    details = details.strip()
    if len(details) > DETAILS_MAX:
        raise ValidationError(
            {
                question.id: _("“%(question)s”: the details must be %(max)d characters or fewer.")
                % {"question": label, "max": DETAILS_MAX}
            }
        )
    unknown = set(given) - {"answer", "details"}
    if unknown:
        raise ValidationError(
            {
                question.id: _("“%(question)s”: unknown field %(field)s.")
                % {"question": label, "field": ", ".join(sorted(unknown))}
            }
        )
    stored: dict[str, Any] = {}
    if answer in (None, ""):
        pass
    elif question.type == YES_NO:
        if answer not in ("yes", "no"):
            raise ValidationError(
                {
                    question.id: _(
                        "“%(question)s”: answer yes, no, or leave it empty if not decided yet."
                    )
                    % {"question": label}
                }
            )
        stored["answer"] = answer
    elif question.type == NUMBER:
        if (
            isinstance(answer, bool)
            or not isinstance(answer, int | float)
            or not math.isfinite(answer)
        ):
            raise ValidationError(
                {
                    question.id: _("“%(question)s”: the answer must be a number.")
                    % {"question": label}
                }
            )
        low, high = question.minimum, question.maximum
        if (low is not None and answer < low) or (high is not None and answer > high):
            raise ValidationError(
                {
                    question.id: _(
                        "“%(question)s”: the answer must be between %(min)s and %(max)s %(unit)s."
                    )
                    % {
                        "question": label,
                        "min": format_number(low or 0),
                        "max": format_number(high or 0),
                        "unit": question.unit(language()),
                    }
                }
            )
        if question.whole_number and answer != int(answer):
            raise ValidationError(
                {
                    question.id: _("“%(question)s”: the answer must be a whole number.")
                    % {"question": label}
                }
            )
        stored["answer"] = int(answer) if question.whole_number else float(answer)
    if details:
        stored["details"] = details
    return stored


@transaction.atomic
def readiness_answers_set(
    *,
    programme: Programme,
    answers: Mapping[str, Mapping[str, Any]],
    by: User,
    via: str = "web",
) -> ReadinessAnswers:
    """Replace the answers to the questions given; questions not given keep their answers.
    Every answer is checked before anything is saved, and every error is reported at once."""
    rules = load_rules()
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, dict[str, Any]] = {}
    for question_id, given in answers.items():
        question = rules.question(question_id)
        if question is None:
            errors.setdefault("__all__", []).append(
                _("There is no planning question “%(id)s”.") % {"id": question_id}
            )
            continue
        if not isinstance(given, Mapping):
            errors.setdefault(question_id, []).append(
                _("“%(question)s”: give the answer as an object with answer and details.")
                % {"question": question.label(language())}
            )
            continue
        try:
            cleaned[question_id] = _clean(question, given)
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)

    row: ReadinessAnswers
    row, created = ReadinessAnswers.objects.select_for_update().get_or_create(
        programme=programme,
        defaults={"partnership_id": programme.partnership_id, "updated_by": by},
    )
    row.programme = programme
    current = dict(row.answers)
    changed = [qid for qid, value in cleaned.items() if current.get(qid, {}) != value]
    for qid, value in cleaned.items():
        if value:
            current[qid] = value
        else:
            current.pop(qid, None)
    if created or changed:
        row.answers = current
        row.updated_by = by
        row.save()
        audit_change(
            actor=by,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            obj=row,
            partnership=programme.partnership,
            changed_fields=changed,
            via=via,
        )
    return row
