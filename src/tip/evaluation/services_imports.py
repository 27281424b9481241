"""Importing survey responses, and ARTIC scores, from a file (docs/evaluation-imports.md).

An import takes three steps: the file is read and staged, its columns are mapped, and the
preview lists the rows as they will be saved with every problem. Nothing is saved until the
person commits, and the commit saves every row or none: it checks everything again, inside one
transaction, and refuses while any problem remains.

Staging keeps no table: the file's rows, as read, wait as a JSON file in private storage named
by a random key under the partnership's and the person's ids, so only they can reach it; it is
deleted on commit or cancel, and anything older than a day when they stage another.

Respondents are matched within the plan (so within its partnership) only: by the email address of
the respondent, of their account or of the booking's participant, or by the booking's number.
An anonymous number is used only to find the same person twice in the file; it is not kept.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tip.core.audit import audit_change
from tip.core.models import AuditAction, Partnership, User
from tip.evaluation import imports
from tip.evaluation.analysis.instrument_model import Instrument
from tip.evaluation.imports import ARTIC, Problem, Row, Table
from tip.evaluation.models import (
    EvaluationPlan,
    Group,
    PlannedMeasure,
    Respondent,
    Response,
    ResponseSource,
    Wave,
)
from tip.evaluation.selectors_instruments import instrument_for as instrument_for_partnership

RESPONSES, SCORES = "responses", "artic"
STAGE_DIR = "evaluation-imports"
STAGE_HOURS = 24
MAX_STAGED_BYTES = 8 * 1024 * 1024
PREVIEW_ROWS = 5
RESPONSE_FIELDS = ["plan", "wave", "respondent", "group", "source", "answers", "versions"]


# Staging ---------------------------------------------------------------------------------------


@dataclass
class Staged:
    """An import between its steps."""

    key: str
    kind: str  # RESPONSES or SCORES
    plan_id: int
    wave_id: int
    instrument_id: str  # ARTIC for scores
    version: str  # the instrument's version; for ARTIC the form the person states
    group: str  # the group of anonymous respondents
    table: Table
    mapping: list[str] = field(default_factory=list)
    date_order: str = imports.AUTO

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "plan": self.plan_id,
            "wave": self.wave_id,
            "instrument": self.instrument_id,
            "version": self.version,
            "group": self.group,
            "table": self.table.as_json(),
            "mapping": self.mapping,
            "date_order": self.date_order,
        }


def _folder(partnership: Partnership, user: User) -> str:
    return f"{STAGE_DIR}/{partnership.pk}/{user.pk}"


def _path(partnership: Partnership, user: User, key: str) -> str:
    return f"{_folder(partnership, user)}/{key}.json"


def _valid_key(key: str) -> bool:
    return len(key) == 32 and all(c in "0123456789abcdef" for c in key)


def import_stage(
    *,
    partnership: Partnership,
    by: User,
    kind: str,
    wave: Wave,
    instrument_id: str,
    version: str,
    group: str,
    table: Table,
) -> Staged:
    """Keep a file's rows for the next steps; returns the staged import with its key."""
    if wave.partnership_id != partnership.pk:
        raise Http404
    _sweep(partnership, by)
    staged = Staged(
        key=secrets.token_hex(16),
        kind=kind,
        plan_id=wave.plan_id,
        wave_id=wave.pk,
        instrument_id=instrument_id,
        version=version,
        group=group,
        table=table,
    )
    _save(partnership, by, staged)
    return staged


def _save(partnership: Partnership, user: User, staged: Staged) -> None:
    data = json.dumps(staged.as_json()).encode()
    if len(data) > MAX_STAGED_BYTES:
        raise ValidationError(
            {"file": _("The file has too much in it to import at once: split it into two")}
        )
    path = _path(partnership, user, staged.key)
    if default_storage.exists(path):
        default_storage.delete(path)
    default_storage.save(path, ContentFile(data))


def import_staged(*, partnership: Partnership, user: User, key: str) -> Staged:
    """The person's staged import, or 404: another person's key, or a key gone, says nothing."""
    path = _path(partnership, user, key)
    if not _valid_key(key) or not default_storage.exists(path):
        raise Http404
    with default_storage.open(path, "rb") as handle:
        data = json.loads(handle.read())
    return Staged(
        key=key,
        kind=data["kind"],
        plan_id=int(data["plan"]),
        wave_id=int(data["wave"]),
        instrument_id=data["instrument"],
        version=str(data["version"]),
        group=data["group"],
        table=Table.from_json(data["table"]),
        mapping=list(data["mapping"]),
        date_order=data["date_order"],
    )


def import_map(
    *, partnership: Partnership, user: User, staged: Staged, mapping: list[str], date_order: str
) -> None:
    """Keep the person's column mapping (checked on the preview)."""
    staged.mapping = list(mapping)
    staged.date_order = date_order
    _save(partnership, user, staged)


def import_discard(*, partnership: Partnership, user: User, staged: Staged) -> None:
    path = _path(partnership, user, staged.key)
    if default_storage.exists(path):
        default_storage.delete(path)


def _sweep(partnership: Partnership, user: User) -> None:
    """Delete the person's staged imports older than a day (left without commit or cancel)."""
    folder = _folder(partnership, user)
    try:
        _dirs, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return
    stale = timezone.now() - timedelta(hours=STAGE_HOURS)
    for name in files:
        path = f"{folder}/{name}"
        try:
            modified = default_storage.get_modified_time(path)
        except (NotImplementedError, FileNotFoundError):
            continue
        if modified < stale:
            default_storage.delete(path)


# Checking --------------------------------------------------------------------------------------


def import_instruments(*, wave: Wave) -> list[PlannedMeasure]:
    """The plan's measures used at this wave: the instruments an import may fill."""
    return list(
        PlannedMeasure.objects.filter(
            plan_id=wave.plan_id, partnership_id=wave.partnership_id, waves=wave
        ).order_by("instrument_id")
    )


def instrument_for(staged: Staged) -> Instrument | None:
    if staged.kind == SCORES:
        return None
    partnership_id = (
        EvaluationPlan.objects.filter(pk=staged.plan_id).values_list("partnership_id", flat=True)
    ).first()
    version = int(staged.version) if str(staged.version).isdigit() else None
    return instrument_for_partnership(partnership_id, staged.instrument_id, version)


@dataclass
class Preview:
    rows: list[Row]
    problems: list[Problem]
    respondents: dict[int, Respondent | None]  # by row number

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first(self) -> list[Row]:
        return self.rows[:PREVIEW_ROWS]


def import_check(*, wave: Wave, staged: Staged) -> Preview:
    """Every row as it will be saved and every problem, in the mapping, the rows, or with
    the respondents (unknown in the plan, twice in the file, already answered at the wave)."""
    table, mapping = staged.table, staged.mapping
    instrument = instrument_for(staged)
    if len(mapping) != len(table.headers):
        mapping = [""] * len(table.headers)
    if staged.kind == SCORES:
        problems = imports.check_artic_mapping(mapping, table)
    else:
        problems = imports.check_mapping(mapping, table, instrument)
    if problems:
        return Preview([], problems, {})
    if staged.kind == SCORES:
        rows, problems = imports.check_artic_rows(table, mapping, date_order=staged.date_order)
    else:
        assert instrument is not None
        rows, problems = imports.check_rows(
            table, mapping, instrument, date_order=staged.date_order
        )
    id_col = next(i for i, t in enumerate(mapping) if t in imports.RESPONDENT_TARGETS)
    kind = mapping[id_col]
    respondents = _match(
        wave=wave,
        kind=kind,
        rows=rows,
        problems=problems,
        column=imports.column_name(id_col, table.headers[id_col]),
        answers_key=staged.instrument_id,
    )
    problems.sort(key=lambda p: (p.row or 0, p.column))
    return Preview(rows, problems, respondents)


def _match(
    *,
    wave: Wave,
    kind: str,
    rows: list[Row],
    problems: list[Problem],
    column: str,
    answers_key: str,
) -> dict[int, Respondent | None]:
    if kind == imports.NUMBER:
        return {r.number: None for r in rows}
    known = Respondent.objects.filter(
        plan_id=wave.plan_id, partnership_id=wave.partnership_id
    ).select_related("membership__user", "booking__membership__user")
    index: dict[str, set[int]] = {}
    by_pk: dict[int, Respondent] = {}
    for respondent in known:
        by_pk[respondent.pk] = respondent
        keys: list[str] = []
        if kind == imports.BOOKING:
            if respondent.booking_id is not None:
                keys.append(str(respondent.booking_id))
        else:
            keys.append(respondent.email)
            if respondent.membership is not None:
                keys.append(respondent.membership.user.email)
            if respondent.booking is not None:
                keys.append(respondent.booking.membership.user.email)
        for k in keys:
            if k:
                index.setdefault(k.strip().lower(), set()).add(respondent.pk)
    answered = set(
        Response.objects.filter(
            wave=wave, partnership_id=wave.partnership_id, answers__has_key=answers_key
        ).values_list("respondent_id", flat=True)
    )
    found: dict[int, Respondent | None] = {}
    first_row: dict[int, int] = {}
    flagged = {p.row for p in problems if p.column == column}
    for row in rows:
        if row.number in flagged or not row.identifier:
            continue
        matches = index.get(row.identifier.lower(), set())
        if not matches:
            message = (
                _("No respondent of this plan has the booking number %(value)s")
                if kind == imports.BOOKING
                else _("No respondent of this plan has the email address %(value)s")
            ) % {"value": row.identifier}
            problems.append(Problem(row.number, column, message))
            continue
        if len(matches) > 1:
            problems.append(
                Problem(
                    row.number,
                    column,
                    _("%(value)s belongs to more than one respondent: use their booking number")
                    % {"value": row.identifier},
                )
            )
            continue
        pk = next(iter(matches))
        if pk in first_row:
            problems.append(
                Problem(
                    row.number,
                    column,
                    _("The same respondent is already on row %(row)s: keep one of the rows")
                    % {"row": first_row[pk]},
                )
            )
            continue
        first_row[pk] = row.number
        if pk in answered:
            problems.append(
                Problem(
                    row.number,
                    column,
                    _("This respondent has already answered at the wave %(wave)s")
                    % {"wave": wave.name},
                )
            )
            continue
        found[row.number] = by_pk[pk]
    return found


# Committing ------------------------------------------------------------------------------------


@transaction.atomic
def import_commit(
    *, partnership: Partnership, wave: Wave, staged: Staged, by: User, via: str = "web"
) -> list[Response]:
    """Save every row as a Response (source import), or nothing: refused with every problem
    while any remains. One audit entry per response created, and one for the import with its
    counts. The staged file is deleted."""
    if wave.partnership_id != partnership.pk or wave.pk != staged.wave_id:
        raise Http404
    # Take turns on the plan: two imports of the same people cannot both pass the checks.
    EvaluationPlan.objects.select_for_update().filter(pk=wave.plan_id).first()
    preview = import_check(wave=wave, staged=staged)
    if not preview.ok:
        raise ValidationError([str(p) for p in preview.problems])
    created = [
        Response(
            partnership_id=partnership.pk,
            plan_id=wave.plan_id,
            wave=wave,
            respondent=preview.respondents.get(row.number),
            group=_group(preview.respondents.get(row.number), staged.group),
            source=ResponseSource.IMPORT,
            answers={staged.instrument_id: row.answers},
            versions={staged.instrument_id: _version(staged)},
            covariates=row.covariates,
            submitted_at=_aware(row.answered) or timezone.now(),
        )
        for row in preview.rows
    ]
    # Saved one by one, not in bulk, so every row sends its signals like any other save.
    for response in created:
        response.save()
    fields = RESPONSE_FIELDS + (["covariates"] if any(r.covariates for r in created) else [])
    fields += ["submitted_at"]
    for response in created:
        audit_change(
            actor=by,
            action=AuditAction.CREATE,
            obj=response,
            partnership=partnership,
            changed_fields=fields,
            via=via,
        )
    audit_change(
        actor=by,
        action=AuditAction.CREATE,
        obj=wave,
        object_type="evaluation.ResponseImport",
        partnership=partnership,
        changed_fields=["responses"],
        via=via,
        summary=f"{len(created)} responses imported ({staged.instrument_id} "
        f"{_version(staged)}, {staged.table.kind}, {len(staged.table.headers)} columns) "
        f"at wave {wave.pk}",
    )
    import_discard(partnership=partnership, user=by, staged=staged)
    return created


def _version(staged: Staged) -> int | str:
    return staged.version if staged.kind == SCORES else int(staged.version)


def _group(respondent: Respondent | None, anonymous: str) -> str:
    if respondent is not None:
        return respondent.group
    return anonymous if anonymous in Group.values else Group.TRAINED


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    if timezone.is_aware(moment):
        return moment
    return timezone.make_aware(moment)


__all__ = [
    "ARTIC",
    "RESPONSES",
    "SCORES",
    "Preview",
    "Staged",
    "import_check",
    "import_commit",
    "import_discard",
    "import_instruments",
    "import_map",
    "import_stage",
    "import_staged",
]
