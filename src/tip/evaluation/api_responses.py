"""Survey responses in the JSON API, under /api/evaluation: read a plan's submitted responses,
pseudonymised as the exports are (exports.py), and import responses from a file in one request
(dry run or commit) with the import services (services_imports.py). The operations join the
evaluation router when apps.py imports this module. Ids of another partnership's programmes
answer 404."""

from __future__ import annotations

import base64
import binascii
import datetime
import secrets
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Schema, Status
from pydantic import Field

from tip.core.api import VIA, InputSchema, _documented, _need, api
from tip.core.audit import audit_view
from tip.core.models import AuditAction, Membership
from tip.evaluation import exports, imports, selectors
from tip.evaluation import services_imports as services
from tip.evaluation.api import router
from tip.evaluation.models import EvaluationPlan, Group, Response, Wave
from tip.evaluation.roles import PLAN_EVALUATIONS

MAX_LIMIT = 500
DEFAULT_LIMIT = 100
PREVIEW_ROWS = 20


# Reading responses -----------------------------------------------------------------------------


class ResponseFilter(Schema):
    wave: int | None = Field(default=None, description="Only the responses at this wave (its id).")
    instrument: str | None = Field(
        default=None, description="Only the responses with answers to this instrument (its id)."
    )
    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    offset: int = Field(default=0, ge=0)


class ResponseOut(Schema):
    respondent: str = Field(
        description="The respondent's pseudonym (R-...), the same at every wave and in the "
        "exports of this plan; empty for answers linked by an anonymous code only."
    )
    response: str = Field(description="The response's pseudonym (A-...), as in the exports.")
    wave: int = Field(description="The wave's id.")
    wave_name: str
    group: str
    source: str
    submitted_on: datetime.date
    versions: dict[str, Any] = Field(description="Instrument id to the version answered.")
    answers: dict[str, dict[str, Any]] = Field(
        description="Instrument id to item id to answer, as stored. Free text is left out once "
        "the plan's retention date has passed."
    )
    covariates: dict[str, Any] = Field(
        description="Baseline facts for matching a comparison group; an organisation is its "
        "pseudonymous code (O-...)."
    )


class ResponsePage(Schema):
    count: int = Field(description="How many responses match, on every page.")
    limit: int
    offset: int
    responses: list[ResponseOut]


def _submitted(plan: EvaluationPlan, filters: ResponseFilter) -> QuerySet[Response]:
    qs: QuerySet[Response] = Response.objects.filter(
        plan=plan, partnership_id=plan.partnership_id, submitted_at__isnull=False
    )
    if filters.wave is not None:
        qs = qs.filter(wave_id=filters.wave)
    if filters.instrument:
        qs = qs.filter(answers__has_key=filters.instrument)
    return qs


def _pseudonymised(
    response: Response,
    names: exports.Pseudonyms,
    library: exports._Library,
    drop_text: bool,
) -> dict[str, Any]:
    """One response as the answers export shows it: pseudonyms, free text left out after
    retention, organisations as codes."""
    assert response.submitted_at is not None
    versions = response.versions if isinstance(response.versions, dict) else {}
    answers: dict[str, dict[str, Any]] = {}
    stored = response.answers if isinstance(response.answers, dict) else {}
    for instrument_id, items in stored.items():
        if not isinstance(items, dict):
            continue
        version = versions.get(instrument_id)
        version = version if isinstance(version, int) else None
        kept = {}
        for item_id, raw in items.items():
            info = library.item(instrument_id, version, item_id)
            if drop_text and exports._is_free_text(info, raw):
                continue
            kept[str(item_id)] = raw
        answers[str(instrument_id)] = kept
    covariates: dict[str, Any] = {}
    raw_covariates = response.covariates if isinstance(response.covariates, dict) else {}
    for name, raw in sorted(raw_covariates.items()):
        value = raw
        if "organisation" in name:
            value = [names.of("O", r) for r in raw] if isinstance(raw, list) else names.of("O", raw)
        covariates[name] = value
    return {
        "respondent": names.of("R", response.respondent_id),
        "response": names.of("A", response.pk),
        "wave": response.wave_id,
        "wave_name": response.wave.name,
        "group": response.group,
        "source": response.source,
        "submitted_on": timezone.localdate(response.submitted_at),
        "versions": versions,
        "answers": answers,
        "covariates": covariates,
    }


@router.get(
    "/programmes/{int:programme_id}/responses",
    summary="The submitted responses of a programme's evaluation plan, pseudonymised",
    description="Pseudonymised exactly as the answers export: respondents and responses by "
    "pseudonym (stable for the plan), never by id, name, email address or booking; "
    "organisations by code; free text left out once the plan is past its retention date. "
    f"Paged with limit (at most {MAX_LIMIT}) and offset, oldest first. Each read is recorded "
    "in the audit log as an export of personal data.",
    **_documented({200: ResponsePage}, 401, 403, 404),
)
def evaluation_response_list(
    request: HttpRequest, programme_id: int, filters: Query[ResponseFilter]
) -> Any:
    m = _need(request, PLAN_EVALUATIONS)
    plan = selectors.plan_get(partnership=m.partnership, programme_id=programme_id)
    # As the answers export does: the same purpose, written with the API as the channel.
    audit_view(
        actor=m.user,
        obj=plan,
        partnership=m.partnership,
        purpose=exports.PURPOSE_ANSWERS,
        action=AuditAction.EXPORT,
        via=VIA,
    )
    qs = _submitted(plan, filters)
    page = (
        qs.select_related("wave")
        .only(
            "pk",
            "respondent_id",
            "group",
            "source",
            "answers",
            "versions",
            "covariates",
            "submitted_at",
            "wave__name",
        )
        .order_by("pk")[filters.offset : filters.offset + filters.limit]
    )
    names = exports.Pseudonyms(plan)
    library = exports._Library.load()
    drop_text = exports.ExportOptions().drops_text(plan)
    return {
        "count": qs.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "responses": [_pseudonymised(r, names, library, drop_text) for r in page],
    }


# Importing responses ---------------------------------------------------------------------------


class ImportIn(InputSchema):
    wave: int = Field(description="The id of the plan's wave the answers are from.")
    instrument: str = Field(
        description="The id of the instrument people answered: one of the plan's instruments "
        "used at that wave."
    )
    file_name: str = Field(
        default="", max_length=255, description="The file's name, with content_base64."
    )
    content_base64: str | None = Field(
        default=None,
        description="The file (CSV in UTF-8 or UTF-16 with its byte-order mark, or an XLSX "
        "workbook), base64-encoded. Send this or csv.",
    )
    csv: str | None = Field(
        default=None, description="The file as CSV text. Send this or the file."
    )
    mapping: dict[str, str] = Field(
        description="Each column (by its header in the first row, or its letter: A, B, ...) to "
        "what it is: 'ignore', 'respondent:email', 'respondent:booking', 'respondent:number', "
        "'date', 'item:<item id>' or 'covariate:<sector|role|years_in_role|prior_training|"
        "organisation>'. Every column must be mapped ('ignore' for those to leave out)."
    )
    date_order: Literal["auto", "dmy", "mdy"] = Field(
        default="auto",
        description="How dates with slashes are written: dmy (day first), mdy (month first), or "
        "auto (tell from the file).",
    )
    group: Group = Field(
        default=Group.TRAINED,
        description="The group of respondents identified only by an anonymous number.",
    )
    dry_run: bool = Field(
        default=True, description="true: check and preview only; false: save every row or none."
    )


class ProblemOut(Schema):
    row: int | None = Field(description="The file's row (1 is the header); null: the mapping.")
    column: str = Field(description="The column, as named in the message; empty for none.")
    message: str


class RowOut(Schema):
    row: int
    identifier: str = Field(description="The respondent's identifier, as in the file.")
    answered: datetime.datetime | None
    answers: dict[str, Any]
    covariates: dict[str, str]


class ImportPreviewOut(Schema):
    ok: bool = Field(description="Whether a commit would save every row.")
    rows: int = Field(
        description="How many rows the file has (0 while the mapping has problems): a commit "
        "saves them all once there are no problems."
    )
    preview: list[RowOut] = Field(
        description=f"The first {PREVIEW_ROWS} rows as they would be saved."
    )
    problems: list[ProblemOut] = Field(description="Every problem: all must be put right.")


class ImportDoneOut(Schema):
    created: int = Field(description="How many responses were saved.")


def _import_plan(m: Membership, programme_id: int) -> EvaluationPlan:
    return selectors.plan_get(partnership=m.partnership, programme_id=programme_id)


def _wave_and_version(plan: EvaluationPlan, sent: ImportIn) -> tuple[Wave, str]:
    wave = selectors.wave_list(plan=plan).filter(pk=sent.wave).first()
    if wave is None:
        raise ValidationError({"wave": _("Choose one of the plan's waves")})
    measure = next(
        (m for m in services.import_instruments(wave=wave) if m.instrument_id == sent.instrument),
        None,
    )
    if measure is None:
        raise ValidationError(
            {
                "instrument": _(
                    "The plan does not use this instrument at %(wave)s: choose another wave or "
                    "instrument"
                )
                % {"wave": wave.name}
            }
        )
    return wave, str(measure.instrument_version)


def _table(sent: ImportIn) -> imports.Table:
    if (sent.content_base64 is None) == (sent.csv is None):
        raise ValidationError(
            {"": _("Send the file as content_base64 (with file_name) or as csv text, not both")}
        )
    field = "csv"
    if sent.content_base64 is not None:
        field = "content_base64"
        try:
            data = base64.b64decode(sent.content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError(
                {field: _("This is not valid base64: encode the file's bytes as standard base64")}
            ) from None
    else:
        data = (sent.csv or "").encode("utf-8")
    try:
        return imports.read_table(data)
    except imports.ImportFileError as exc:
        raise ValidationError({field: exc.problems}) from None


def _mapping(sent: ImportIn, table: imports.Table, staged: services.Staged) -> list[str]:
    """The mapping as the mapping page keeps it: one target per column, in order. A key that
    names no column, or a target the page does not offer, is refused."""
    instrument = services.instrument_for(staged)
    assert instrument is not None
    allowed = {t for t, _words in imports.mapping_targets(instrument, "en") if t}
    by_key: dict[str, int] = {}
    for i, header in enumerate(table.headers):
        by_key.setdefault(header, i)
        by_key.setdefault(imports.column_letter(i), i)
    mapping = [""] * len(table.headers)
    errors: dict[str, str] = {}
    for key, target in sent.mapping.items():
        where = f"mapping.{key}"
        if key not in by_key:
            errors[where] = _(
                "The file has no column with this header or letter. Its columns are: %(columns)s"
            ) % {"columns": "; ".join(table.headers)}
        elif target not in allowed:
            errors[where] = _(
                "Map the column to ignore, respondent:email, respondent:booking, "
                "respondent:number, date, item:<an item id of the instrument> or "
                "covariate:<name>"
            )
        else:
            mapping[by_key[key]] = target
    if errors:
        raise ValidationError(errors)
    return mapping


def _problem_out(problem: imports.Problem) -> dict[str, Any]:
    return {"row": problem.row, "column": problem.column, "message": problem.message}


def _row_out(row: imports.Row) -> dict[str, Any]:
    return {
        "row": row.number,
        "identifier": row.identifier,
        "answered": row.answered,
        "answers": {k: list(v) if isinstance(v, tuple) else v for k, v in row.answers.items()},
        "covariates": row.covariates,
    }


def _refused(request: HttpRequest, problems: list[imports.Problem]) -> HttpResponse:
    """422 in the shape of every API error (ErrorOut), each entry also giving its problem's
    row and column: built here, as the schema would drop the two."""
    errors = [{"field": "file", **_problem_out(p), "message": str(p)} for p in problems]
    detail = _("Nothing was saved. Put right every problem listed, then send the file again.")
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


_IMPORT_DESCRIPTION = (
    "One request does what the import pages do in four steps (upload, map, preview, commit), "
    "with the same services. A dry run (the default) answers 200 with the first rows as they "
    "would be saved and every problem in the mapping or the rows. A commit saves every row or "
    "none: 201 with the number of responses created, or 422 listing every problem with nothing "
    "saved; each entry of `errors` has `field` 'file', the whole problem as its `message`, and "
    "also its `row` and `column`. A wave or instrument not of the plan, a file that cannot be "
    "read (not base64, not UTF-8, empty, too big) or a mapping naming no column or an unknown "
    "target answers 422 naming the field, whether or not it is a dry run."
)


@router.post(
    "/programmes/{int:programme_id}/imports",
    summary="Import survey responses from a file: dry run, or commit all or nothing",
    description=_IMPORT_DESCRIPTION,
    **_documented({200: ImportPreviewOut, 201: ImportDoneOut}, 400, 401, 403, 404, 409, 422),
)
def evaluation_response_import(request: HttpRequest, programme_id: int, payload: ImportIn) -> Any:
    m = _need(request, PLAN_EVALUATIONS)
    plan = _import_plan(m, programme_id)
    wave, version = _wave_and_version(plan, payload)
    table = _table(payload)
    # Held in memory for this one request, never written to the staging storage: the services
    # take it as the pages' staged import.
    staged = services.Staged(
        key=secrets.token_hex(16),
        kind=services.RESPONSES,
        plan_id=plan.pk,
        wave_id=wave.pk,
        instrument_id=payload.instrument,
        version=version,
        group=str(payload.group),
        table=table,
        date_order=payload.date_order,
    )
    staged.mapping = _mapping(payload, table, staged)
    if payload.dry_run:
        preview = services.import_check(wave=wave, staged=staged)
        return {
            "ok": preview.ok,
            "rows": len(preview.rows),
            "preview": [_row_out(r) for r in preview.rows[:PREVIEW_ROWS]],
            "problems": [_problem_out(p) for p in preview.problems],
        }
    try:
        created = services.import_commit(
            partnership=m.partnership, wave=wave, staged=staged, by=m.user, via=VIA
        )
    except ValidationError:
        # The commit refused (and rolled back): list its problems with their places.
        return _refused(request, services.import_check(wave=wave, staged=staged).problems)
    return Status(201, {"created": len(created)})
