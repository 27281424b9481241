"""The retention schedule: survey identifiers and free text are deleted or de-identified once a
plan's ``retention_days`` have passed since its last wave (docs/evaluation-observations-exports.md).

A plan's last wave is when its latest invitation closes; for a plan with no invitations (answers
imported, say), its last response's ``submitted_at``; with neither, its latest observation's
date. Once that is more than ``retention_days`` ago, ``retire_plan``:

* replaces every invitation's link digest with one no link can match (the links stop working);
* clears each respondent's email address and unlinks their booking and membership: the
  respondent row stays, so the waves it linked stay linked by its id, but it no longer says who;
* clears responses' code hashes (the anonymous linking code);
* removes free-text answers (items whose scale is ``free_text``) from responses;
* clears observations' notes.

Each change is written to the audit log as TIP's own (``audit_automatic_change``). Running it
again changes nothing (every step looks only for what is still there). ``retention_sweep`` does
every plan that is due: `tip evaluation-retention` (daily, from a timer) and the
``evaluation_retention_sweep`` task run it; ``--dry-run`` only counts.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass, fields
from functools import cache

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from tip.core.audit import audit_automatic_change
from tip.core.models import AuditAction
from tip.evaluation.analysis.instrument_model import Instrument, ScaleType
from tip.evaluation.instrument_library import shipped_instruments
from tip.evaluation.models import EvaluationPlan, Invitation, Observation, Respondent, Response
from tip.evaluation.selectors_instruments import PartnershipRef, all_instruments

# A retired link digest: not hexadecimal, so no token's SHA-256 can ever equal it.
RETIRED_PREFIX = "retired-"
VIA = "retention"


@dataclass
class RetentionCounts:
    plans: int = 0
    invitations: int = 0
    respondents: int = 0
    code_hashes: int = 0
    free_text_answers: int = 0
    observation_notes: int = 0

    def add(self, other: RetentionCounts) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @property
    def changed(self) -> bool:
        return any(v for k, v in self.as_dict().items() if k != "plans")


def retired_digest() -> str:
    return RETIRED_PREFIX + secrets.token_hex(28)


def last_wave_at(plan: EvaluationPlan) -> datetime.datetime | None:
    """When the plan's last wave closed (see the module's note), or None when it has none."""
    closes = Invitation.objects.filter(
        respondent__plan=plan, partnership_id=plan.partnership_id
    ).aggregate(last=Max("closes_at"))["last"]
    if closes is not None:
        return closes  # type: ignore[no-any-return]
    submitted = Response.objects.filter(plan=plan, partnership_id=plan.partnership_id).aggregate(
        last=Max("submitted_at")
    )["last"]
    if submitted is not None:
        return submitted  # type: ignore[no-any-return]
    observed = Observation.objects.filter(plan=plan, partnership_id=plan.partnership_id).aggregate(
        last=Max("observed_on")
    )["last"]
    if observed is not None:
        return datetime.datetime.combine(
            observed, datetime.time.max, tzinfo=timezone.get_current_timezone()
        )
    return None


def retention_due_at(plan: EvaluationPlan) -> datetime.datetime | None:
    last = last_wave_at(plan)
    return None if last is None else last + datetime.timedelta(days=plan.retention_days)


def is_due(plan: EvaluationPlan, *, now: datetime.datetime | None = None) -> bool:
    """Whether the plan's identifiers and free text are past their time (so exports leave free
    text out even before the sweep has run)."""
    due = retention_due_at(plan)
    return due is not None and due < (now or timezone.now())


@cache
def _free_text_items() -> dict[tuple[str, int], frozenset[str]]:
    return {(i.id, i.version): free_text_of(i) for i in shipped_instruments()}


def free_text_of(instrument: Instrument) -> frozenset[str]:
    return frozenset(i.id for i in instrument.items if i.scale.type == ScaleType.FREE_TEXT)


def free_text_items(
    instrument_id: str, version: int | None, partnership: PartnershipRef = None
) -> frozenset[str]:
    """The free-text item ids of an instrument version, TIP's or the partnership's own (empty
    when it is not in the library)."""
    known = _free_text_items()
    if partnership is not None and not any(i == instrument_id for i, _v in known):
        known = {
            (i.id, i.version): free_text_of(i)
            for i in all_instruments(partnership)
            if i.id == instrument_id
        }
    if version is None:
        found = [ids for (i, _v), ids in known.items() if i == instrument_id]
        return frozenset().union(*found) if found else frozenset()
    return known.get((instrument_id, version), frozenset())


def strip_free_text(response: Response) -> tuple[dict[str, object], int]:
    """The response's answers without free text, and how many answers were removed."""
    answers = response.answers if isinstance(response.answers, dict) else {}
    versions = response.versions if isinstance(response.versions, dict) else {}
    removed = 0
    kept: dict[str, object] = {}
    for instrument_id, items in answers.items():
        if not isinstance(items, dict):
            kept[instrument_id] = items
            continue
        version = versions.get(instrument_id)
        text_items = free_text_items(
            instrument_id,
            version if isinstance(version, int) else None,
            response.partnership_id,
        )
        remaining = {k: v for k, v in items.items() if k not in text_items}
        removed += len(items) - len(remaining)
        kept[instrument_id] = remaining
    return kept, removed


@transaction.atomic
def retire_plan(plan: EvaluationPlan, *, dry_run: bool = False) -> RetentionCounts:
    """Delete or de-identify the plan's identifiers and free text (whether or not it is due:
    the caller decides). Returns what was (or, with ``dry_run``, would be) changed."""
    counts = RetentionCounts(plans=1)
    scope = {"partnership_id": plan.partnership_id}

    def audit(obj: object, changed: list[str]) -> None:
        if not dry_run:
            audit_automatic_change(
                action=AuditAction.UPDATE,
                obj=obj,  # type: ignore[arg-type]
                partnership=plan.partnership,
                changed_fields=changed,
                via=VIA,
            )

    invitations = Invitation.objects.filter(respondent__plan=plan, **scope).exclude(
        link_digest__startswith=RETIRED_PREFIX
    )
    for invitation in invitations.iterator():
        counts.invitations += 1
        if not dry_run:
            invitation.link_digest = retired_digest()
            invitation.save(update_fields=["link_digest"])
        audit(invitation, ["link_digest"])

    respondents = Respondent.objects.filter(plan=plan, **scope).exclude(
        email="", booking__isnull=True, membership__isnull=True
    )
    for respondent in respondents.iterator():
        counts.respondents += 1
        changed = [
            name
            for name, empty in (("email", ""), ("booking_id", None), ("membership_id", None))
            if getattr(respondent, name) != empty
        ]
        if not dry_run:
            respondent.email = ""
            respondent.booking_id = None
            respondent.membership_id = None
            respondent.save(update_fields=["email", "booking", "membership"])
        audit(respondent, [c.removesuffix("_id") for c in changed])

    for response in Response.objects.filter(plan=plan, **scope).iterator():
        changed = []
        if response.code_hashes is not None:
            counts.code_hashes += 1
            changed.append("code_hashes")
            response.code_hashes = None
        answers, removed = strip_free_text(response)
        if removed:
            counts.free_text_answers += removed
            changed.append("answers")
            response.answers = answers
        if changed:
            if not dry_run:
                response.save(update_fields=[*changed, "updated_at"])
            audit(response, changed)

    for observation in Observation.objects.filter(plan=plan, **scope).exclude(notes=""):
        counts.observation_notes += 1
        if not dry_run:
            observation.notes = ""
            observation.save(update_fields=["notes", "updated_at"])
        audit(observation, ["notes"])
    return counts


def retention_sweep(
    *, dry_run: bool = False, now: datetime.datetime | None = None
) -> RetentionCounts:
    """Retire every plan past its retention date. Idempotent."""
    totals = RetentionCounts()
    moment = now or timezone.now()
    for plan in EvaluationPlan.objects.select_related("partnership").order_by("pk"):
        if is_due(plan, now=moment):
            totals.add(retire_plan(plan, dry_run=dry_run))
    return totals
