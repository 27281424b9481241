"""The retention schedule (docs/evaluation-observations-exports.md): survey identifiers and free
text are deleted or de-identified person by person, by the date each person was promised.

A respondent's date (``retention_date``) is the day their own last survey closes (their anchor
date plus the offset of the plan's latest wave with an instrument plus ``days_open``: the day
their last invitation closes) plus the plan's ``retention_days``. The consent page shows each
person this date (``survey_services.retention_date`` calls this function), and the sweep
retires a respondent from the start of that day, London time, so nobody is kept longer than
promised. ``retire_respondents``:

* replaces each of their invitations' link digest with one no link can match (the links stop
  working);
* clears their email address and unlinks their booking and membership: the respondent row
  stays, so the waves it linked stay linked by its id, but it no longer says who;
* clears their responses' code hashes (the anonymous linking code);
* removes free-text answers (items whose scale is ``free_text``) from their responses.

What belongs to no person keeps the plan-level rule: once ``retention_days`` have passed since
the plan's last wave (its latest invitation's closing; for a plan with no invitations its last
response's ``submitted_at``; with neither its latest observation's date), ``retire_plan``
clears observations' notes and the code hashes and free text of responses without a respondent
(imported anonymously, say). Exports leave free text out once the plan is due (``is_due``).

Each change is written to the audit log as TIP's own (``audit_automatic_change``). Running it
again changes nothing (every step looks only for what is still there). ``retention_sweep`` does
everything that is due: the ``evaluation_retention_sweep`` task, queued by the invitation
services for each respondent's date (tasks_retention.py), and `tip evaluation-retention` (daily,
from a timer, as the safety net) run it; ``--dry-run`` only counts.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass, fields
from functools import cache
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Max, QuerySet
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
# Dates are London days: a respondent is retired from the start of their date there.
LONDON = ZoneInfo("Europe/London")
# Respondents retired per set of queries.
BATCH = 500


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
    """When the plan-level rule falls due: its last wave plus ``retention_days``."""
    last = last_wave_at(plan)
    return None if last is None else last + datetime.timedelta(days=plan.retention_days)


def is_due(plan: EvaluationPlan, *, now: datetime.datetime | None = None) -> bool:
    """Whether the plan as a whole is past its time (so exports leave free text out even before
    the sweep has run, and what belongs to no person is cleared)."""
    due = retention_due_at(plan)
    return due is not None and due < (now or timezone.now())


# --- Each person's date ----------------------------------------------------------------------


def last_wave_offset(plan: EvaluationPlan) -> int:
    """The offset in days of the plan's last survey: its latest wave with an instrument, the
    last one anyone is invited to (without such a wave, its latest wave; 0 without waves). One
    query, two in the rare case without instruments."""
    measured = plan.waves.filter(measures__isnull=False).aggregate(last=Max("offset_days"))
    if measured["last"] is not None:
        return int(measured["last"])
    return plan.waves.aggregate(last=Max("offset_days"))["last"] or 0


def retention_date(
    respondent: Respondent,
    *,
    plan: EvaluationPlan | None = None,
    last_offset: int | None = None,
) -> datetime.date:
    """The date by which the respondent's identifiers and free text are deleted: the day their
    own last survey closes (their anchor date plus ``last_wave_offset`` plus ``days_open``, the
    day their last invitation closes) plus the plan's ``retention_days``. The consent page
    promises this date and the sweep deletes by it: the one source of both. Pass ``plan`` and
    ``last_offset`` (``last_wave_offset``) to save queries when asking for many people."""
    plan = plan if plan is not None else respondent.plan
    offset = last_wave_offset(plan) if last_offset is None else last_offset
    days = offset + max(1, plan.days_open) + plan.retention_days
    return respondent.anchor_date + datetime.timedelta(days=days)


def retention_moment(day: datetime.date) -> datetime.datetime:
    """The start of ``day`` in London: when a respondent whose date it is is retired."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=LONDON)


def today(now: datetime.datetime | None = None) -> datetime.date:
    return timezone.localtime(now or timezone.now(), LONDON).date()


def due_respondents(plan: EvaluationPlan, *, now: datetime.datetime | None = None) -> list[int]:
    """The ids of the plan's respondents whose date has come (``retention_date`` on or before
    today in London), retired already or not."""
    day = today(now)
    offset = last_wave_offset(plan)
    people = Respondent.objects.filter(plan=plan, partnership_id=plan.partnership_id)
    return [
        r.pk
        for r in people.only("pk", "anchor_date").iterator()
        if retention_date(r, plan=plan, last_offset=offset) <= day
    ]


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


class _Retirer:
    """Clears what is still there, counting it; with ``dry_run`` only counts. Each change is
    audited as TIP's own."""

    def __init__(self, plan: EvaluationPlan, *, dry_run: bool) -> None:
        self.plan = plan
        self.dry_run = dry_run
        self.counts = RetentionCounts(plans=1)
        self.scope = {"partnership_id": plan.partnership_id}

    def audit(self, obj: object, changed: list[str]) -> None:
        if not self.dry_run:
            audit_automatic_change(
                action=AuditAction.UPDATE,
                obj=obj,  # type: ignore[arg-type]
                partnership=self.plan.partnership,
                changed_fields=changed,
                via=VIA,
            )

    def invitations(self, respondent_ids: list[int]) -> None:
        invitations = Invitation.objects.filter(
            respondent_id__in=respondent_ids, **self.scope
        ).exclude(link_digest__startswith=RETIRED_PREFIX)
        for invitation in invitations.iterator():
            self.counts.invitations += 1
            if not self.dry_run:
                invitation.link_digest = retired_digest()
                invitation.save(update_fields=["link_digest"])
            self.audit(invitation, ["link_digest"])

    def respondents(self, respondent_ids: list[int]) -> None:
        respondents = Respondent.objects.filter(pk__in=respondent_ids, **self.scope).exclude(
            email="", booking__isnull=True, membership__isnull=True
        )
        for respondent in respondents.iterator():
            self.counts.respondents += 1
            changed = [
                name
                for name, empty in (("email", ""), ("booking_id", None), ("membership_id", None))
                if getattr(respondent, name) != empty
            ]
            if not self.dry_run:
                respondent.email = ""
                respondent.booking_id = None
                respondent.membership_id = None
                respondent.save(update_fields=["email", "booking", "membership"])
            self.audit(respondent, [c.removesuffix("_id") for c in changed])

    def responses(self, responses: QuerySet[Response]) -> None:
        for response in responses.iterator():
            changed = []
            if response.code_hashes is not None:
                self.counts.code_hashes += 1
                changed.append("code_hashes")
                response.code_hashes = None
            answers, removed = strip_free_text(response)
            if removed:
                self.counts.free_text_answers += removed
                changed.append("answers")
                response.answers = answers
            if changed:
                if not self.dry_run:
                    response.save(update_fields=[*changed, "updated_at"])
                self.audit(response, changed)

    def observations(self) -> None:
        for observation in Observation.objects.filter(plan=self.plan, **self.scope).exclude(
            notes=""
        ):
            self.counts.observation_notes += 1
            if not self.dry_run:
                observation.notes = ""
                observation.save(update_fields=["notes", "updated_at"])
            self.audit(observation, ["notes"])


def _retire_people(retirer: _Retirer, respondent_ids: list[int]) -> None:
    plan = retirer.plan
    for start in range(0, len(respondent_ids), BATCH):
        batch = respondent_ids[start : start + BATCH]
        retirer.invitations(batch)
        retirer.respondents(batch)
        retirer.responses(
            Response.objects.filter(plan=plan, respondent_id__in=batch, **retirer.scope)
        )


@transaction.atomic
def retire_respondents(
    plan: EvaluationPlan, respondent_ids: list[int], *, dry_run: bool = False
) -> RetentionCounts:
    """Delete or de-identify the identifiers and free text of these respondents of the plan
    (whether or not they are due: the caller decides). Returns what was (or, with ``dry_run``,
    would be) changed."""
    retirer = _Retirer(plan, dry_run=dry_run)
    _retire_people(retirer, respondent_ids)
    return retirer.counts


@transaction.atomic
def retire_plan(
    plan: EvaluationPlan, *, dry_run: bool = False, people: bool = True
) -> RetentionCounts:
    """Delete or de-identify the plan's identifiers and free text (whether or not it is due:
    the caller decides): observations' notes and responses without a respondent, and, unless
    ``people`` is false, every respondent's as ``retire_respondents`` does."""
    retirer = _Retirer(plan, dry_run=dry_run)
    if people:
        ids = list(
            Respondent.objects.filter(plan=plan, **retirer.scope).values_list("pk", flat=True)
        )
        _retire_people(retirer, ids)
    retirer.responses(Response.objects.filter(plan=plan, respondent__isnull=True, **retirer.scope))
    retirer.observations()
    return retirer.counts


def retention_sweep(
    *, dry_run: bool = False, now: datetime.datetime | None = None
) -> RetentionCounts:
    """Retire every respondent whose date has come, and what belongs to no person of every plan
    past its own date. Idempotent."""
    totals = RetentionCounts()
    moment = now or timezone.now()
    for plan in EvaluationPlan.objects.select_related("partnership").order_by("pk"):
        with transaction.atomic():
            counts = retire_respondents(plan, due_respondents(plan, now=moment), dry_run=dry_run)
            if is_due(plan, now=moment):
                counts.add(retire_plan(plan, dry_run=dry_run, people=False))
                counts.plans = 1
        if counts.changed:
            totals.add(counts)
    return totals
