"""The JSON API under /api/, with its OpenAPI schema at /api/openapi.json.

Each request carries a personal token (`Authorization: Bearer tip_...`) bound to one
membership, so the API sees exactly what that person sees in that partnership, and writes the
same audit entries as the pages.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any, cast

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.signals import got_request_exception
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer
from pydantic import ConfigDict, Field, field_validator

from tip.core import purposes, selectors, services
from tip.core.audit import audit_view
from tip.core.models import ApiToken, Membership, Sector
from tip.core.roles import Capability, capabilities_of

VIA = "api"

logger = logging.getLogger(__name__)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Membership | None:
        found = (
            ApiToken.objects.filter(key_hash=ApiToken.hash_key(token), revoked_at__isnull=True)
            .select_related("membership__user", "membership__partnership")
            .prefetch_related("membership__roles")
            .first()
        )
        if found is None or not found.membership.user.is_active:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        membership = found.membership
        req = cast(Any, request)
        req.user = membership.user
        req.membership = membership
        req.partnership = membership.partnership
        req.capabilities = capabilities_of(membership.role_codes)
        return cast(Membership, membership)


api = NinjaAPI(
    title="TIP API",
    version="1.0.0",
    description=(
        "The trauma-informed practice platform's JSON API. Authenticate with a personal token "
        "from the 'API tokens' page: `Authorization: Bearer <token>`. Every response is scoped "
        "to the token's partnership; other partnerships' records answer 404."
    ),
    auth=TokenAuth(),
    docs_url=None,
    openapi_url="/openapi.json",
    urls_namespace="api-1.0.0",
)


class ErrorItem(Schema):
    field: str = Field(description="The field to fix; empty when the whole request is at fault.")
    message: str


class ErrorOut(Schema):
    """The body of every error response."""

    detail: str = Field(description="What went wrong and how to put it right.")
    errors: list[ErrorItem] = Field(default=[], description="One entry for each field to fix.")


# What each error status means, written into the OpenAPI schema of the routes that can answer it.
_ERROR_DESCRIPTIONS = {
    400: "The request body is not valid JSON.",
    401: "No token was sent, or the token is not valid or has been revoked.",
    403: "The roles of the token's owner do not allow this.",
    404: "No record with this id in the token's partnership.",
    409: "The change conflicts with the records already there, such as a name already in use.",
    422: (
        "A field is missing, has the wrong type or value, is too long, or is not a field of "
        "this record. `errors` names each field to fix."
    ),
}


def _documented(ok: dict[int, Any], *errors: int) -> dict[str, Any]:
    """Decorator arguments that declare a route's success response and the errors it can give."""
    return {
        "response": {**ok, **{code: ErrorOut for code in errors}},
        "openapi_extra": {
            "responses": {code: {"description": _ERROR_DESCRIPTIONS[code]} for code in errors}
        },
    }


def _error(
    request: HttpRequest, status: int, detail: str, errors: list[dict[str, str]] | None = None
) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 404, _("Not found. Check the id: it may belong to another partnership."))


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 403, _("Your roles do not allow this."))


@api.exception_handler(AuthenticationError)
def _unauthorised(request: HttpRequest, exc: Exception) -> HttpResponse:
    if not request.headers.get("Authorization"):
        detail = _(
            "Send your API token in the Authorization header: 'Authorization: Bearer <token>'. "
            "You can create a token on the 'API tokens' page."
        )
    else:
        detail = _(
            "This token is not valid. It may have been revoked or copied incompletely. Send it "
            "as 'Authorization: Bearer <token>', or create a new one on the 'API tokens' page."
        )
    response = _error(request, 401, detail)
    response["WWW-Authenticate"] = 'Bearer realm="TIP"'
    return response


def _invalid_response(request: HttpRequest, errors: list[dict[str, str]]) -> HttpResponse:
    where = " ".join(
        f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors
    )
    return _error(request, 422, _("Check these fields. %s") % where, errors)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    # Raised by the services' model validation, after the schema has let the request through.
    errors = (
        [
            {"field": "" if f == NON_FIELD_ERRORS else f, "message": m}
            for f, ms in exc.message_dict.items()
            for m in ms
        ]
        if hasattr(exc, "error_dict")
        else [{"field": "", "message": m} for m in exc.messages]
    )
    return _invalid_response(request, errors)


def _field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    """`("body", "payload", "name")` -> `"name"`: the field as the client sent it."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path"}:
        parts = parts[1:]
    if parts and parts[0] == "payload":
        parts = parts[1:]
    return ".".join(parts)


def _field_message(error: dict[str, Any], field: str) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if not field and kind in {"missing", "model_type", "model_attributes_type", "dict_type"}:
        return _("Send a JSON object in the request body.")
    if kind == "missing":
        return _("This field is required.")
    if kind == "extra_forbidden":
        return _("This is not a field of this record. Check the spelling, or leave it out.")
    if kind == "string_type":
        return _("Send text here.")
    if kind == "string_too_short":
        return _("This cannot be empty.")
    if kind == "string_too_long":
        return _("Use %(max)s characters or fewer.") % {"max": ctx.get("max_length", "")}
    if kind == "enum":
        return _("Use one of: %(values)s.") % {"values": ctx.get("expected", "")}
    if kind == "value_error" and ctx.get("error"):
        return str(ctx["error"])  # raised by our own validators, already in plain words
    return str(error.get("msg", ""))


@api.exception_handler(NinjaValidationError)
def _schema_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = []
    for error in exc.errors:
        field = _field_name(error.get("loc", ()))
        errors.append({"field": field, "message": _field_message(error, field)})
    return _invalid_response(request, errors)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    cause = exc.__cause__
    if exc.status_code == 400 and isinstance(cause, json.JSONDecodeError):
        # Raised by the JSON parser: say where the body stops being JSON.
        detail = _(
            "The request body is not valid JSON: the error is at line %(line)s, column "
            "%(column)s. Send a JSON object, with the header 'Content-Type: application/json'."
        ) % {"line": cause.lineno, "column": cause.colno}
        return _error(request, 400, detail)
    if exc.status_code == 400 and isinstance(cause, ValueError):
        detail = _(
            "The request body is not valid JSON. Send a JSON object in UTF-8, with the header "
            "'Content-Type: application/json'."
        )
        return _error(request, 400, detail)
    return _error(request, exc.status_code, str(exc))


@api.exception_handler(IntegrityError)
def _conflict(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    # A concurrent request won the race past the checks: report it like the checks would.
    return _error(request, 409, _("This conflicts with a record that already exists."))


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API request failed: %s %s", request.method, request.path)
    # As Django does for pages: error reporting, and the test client, hear of it.
    got_request_exception.send(sender=None, request=request)
    return _error(request, 500, _("Something went wrong on our side. Try again later."))


def route_not_found(request: HttpRequest) -> HttpResponse:
    """The answer to a path under /api/ that no route serves: JSON, like the routes."""
    return JsonResponse(
        {
            "detail": _("There is no such API route. The routes are listed at /api/openapi.json."),
            "errors": [],
        },
        status=404,
    )


def _membership(request: HttpRequest) -> Membership:
    return cast(Membership, cast(Any, request).auth)


def _need(request: HttpRequest, capability: str) -> Membership:
    membership = _membership(request)
    if capability not in cast(Any, request).capabilities:
        raise PermissionDenied
    return membership


class MeOut(Schema):
    email: str
    full_name: str
    partnership: str
    organisation: str
    roles: list[str]
    capabilities: list[str]


@api.get(
    "/me", tags=["account"], summary="Who the token belongs to", **_documented({200: MeOut}, 401)
)
def me(request: HttpRequest) -> dict[str, Any]:
    m = _membership(request)
    return {
        "email": m.user.email,
        "full_name": m.user.full_name,
        "partnership": m.partnership.name,
        "organisation": m.organisation.name,
        "roles": sorted(m.role_codes),
        "capabilities": sorted(cast(Any, request).capabilities),
    }


organisations = Router(tags=["organisations"])


class OrganisationOut(Schema):
    id: int
    name: str
    sector: str
    created_at: datetime
    updated_at: datetime


class InputSchema(Schema):
    """A request body. Unknown fields are refused, so a misspelt field is reported, not ignored."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*")
    @classmethod
    def _no_nul_characters(cls, value: Any) -> Any:
        # PostgreSQL cannot store U+0000 in text; refuse it here rather than fail on saving.
        if isinstance(value, str) and "\x00" in value:
            raise ValueError(_("Remove the hidden null character (U+0000): it cannot be saved."))
        return value


class OrganisationIn(InputSchema):
    name: str = Field(min_length=1, max_length=200)
    sector: Sector


class OrganisationPatch(InputSchema):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    sector: Sector | None = None

    @field_validator("name", "sector")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        # Leaving a field out keeps it; null would silently do the same, so say so instead.
        if value is None:
            raise ValueError(_("Leave the field out to keep its value; it cannot be null."))
        return value


@organisations.get(
    "",
    summary="List the partner organisations",
    **_documented({200: list[OrganisationOut]}, 401, 403),
)
def organisation_list(request: HttpRequest) -> Any:
    m = _need(request, Capability.VIEW_ORGANISATIONS)
    return list(selectors.organisation_list(partnership=m.partnership))


@organisations.post(
    "",
    summary="Add an organisation",
    **_documented({201: OrganisationOut}, 400, 401, 403, 409, 422),
)
def organisation_create(request: HttpRequest, payload: OrganisationIn) -> Any:
    m = _need(request, Capability.MANAGE_ORGANISATIONS)
    _refuse_duplicate_name(m, payload.name)
    org = services.organisation_create(
        partnership=m.partnership, name=payload.name, sector=payload.sector, by=m.user, via=VIA
    )
    return Status(201, org)


def _refuse_duplicate_name(m: Membership, name: str, exclude: int | None = None) -> None:
    qs = selectors.organisation_list(partnership=m.partnership).filter(name__iexact=name.strip())
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    if qs.exists():
        raise HttpError(
            409,
            _("An organisation called '%(name)s' is already listed. Choose another name.")
            % {"name": name.strip()},
        )


@organisations.get(
    "/{int:organisation_id}",
    summary="One organisation",
    **_documented({200: OrganisationOut}, 401, 403, 404),
)
def organisation_detail(request: HttpRequest, organisation_id: int) -> Any:
    m = _need(request, Capability.VIEW_ORGANISATIONS)
    return selectors.organisation_get(partnership=m.partnership, organisation_id=organisation_id)


@organisations.put(
    "/{int:organisation_id}",
    summary="Replace an organisation",
    **_documented({200: OrganisationOut}, 400, 401, 403, 404, 409, 422),
)
def organisation_put(request: HttpRequest, organisation_id: int, payload: OrganisationIn) -> Any:
    m = _need(request, Capability.MANAGE_ORGANISATIONS)
    org = selectors.organisation_get(partnership=m.partnership, organisation_id=organisation_id)
    _refuse_duplicate_name(m, payload.name, exclude=org.pk)
    return services.organisation_update(
        organisation=org, by=m.user, via=VIA, name=payload.name, sector=payload.sector
    )


@organisations.patch(
    "/{int:organisation_id}",
    summary="Change an organisation",
    **_documented({200: OrganisationOut}, 400, 401, 403, 404, 409, 422),
)
def organisation_patch(
    request: HttpRequest, organisation_id: int, payload: OrganisationPatch
) -> Any:
    m = _need(request, Capability.MANAGE_ORGANISATIONS)
    org = selectors.organisation_get(partnership=m.partnership, organisation_id=organisation_id)
    values = payload.dict(exclude_unset=True, exclude_none=True)
    if "name" in values:
        _refuse_duplicate_name(m, values["name"], exclude=org.pk)
    return services.organisation_update(organisation=org, by=m.user, via=VIA, **values)


@organisations.delete(
    "/{int:organisation_id}",
    summary="Remove an organisation",
    description="Refused with 409 while people in the partnership belong to the organisation.",
    **_documented({204: None}, 401, 403, 404, 409),
)
def organisation_delete(request: HttpRequest, organisation_id: int) -> Any:
    m = _need(request, Capability.MANAGE_ORGANISATIONS)
    org = selectors.organisation_get(partnership=m.partnership, organisation_id=organisation_id)
    try:
        services.organisation_delete(organisation=org, by=m.user, via=VIA)
    except ValidationError as exc:
        raise HttpError(409, " ".join(exc.messages)) from exc
    return Status(204, None)


people = Router(tags=["people"])


class PersonOut(Schema):
    id: int
    full_name: str
    email: str
    organisation_id: int
    job_title: str
    roles: list[str]


def _person(m: Membership) -> dict[str, Any]:
    return {
        "id": m.pk,
        "full_name": m.user.full_name,
        "email": m.user.email,
        "organisation_id": m.organisation_id,
        "job_title": m.job_title,
        "roles": sorted(r.role for r in m.roles.all()),
    }


@people.get(
    "",
    summary="List the people in the partnership (audited)",
    **_documented({200: list[PersonOut]}, 401, 403),
)
def person_list(request: HttpRequest) -> Any:
    m = _need(request, Capability.VIEW_PEOPLE)
    members = list(selectors.membership_list(partnership=m.partnership))
    audit_view(
        actor=m.user,
        obj=None,
        object_type="core.Membership",
        partnership=m.partnership,
        purpose=purposes.DIRECTORY_LIST,
        via=VIA,
    )
    return [_person(x) for x in members]


@people.get(
    "/{int:membership_id}",
    summary="One person (audited)",
    **_documented({200: PersonOut}, 401, 403, 404),
)
def person_detail(request: HttpRequest, membership_id: int) -> Any:
    m = _need(request, Capability.VIEW_PEOPLE)
    person = selectors.membership_get(partnership=m.partnership, membership_id=membership_id)
    audit_view(
        actor=m.user,
        obj=person,
        partnership=m.partnership,
        purpose=purposes.DIRECTORY_PROFILE,
        via=VIA,
    )
    return _person(person)


api.add_router("/organisations", organisations)
api.add_router("/people", people)


def register_router(prefix: str, router: Router) -> None:
    """Extension point: a later app adds its routes from its AppConfig.ready(), so core never
    imports it. Called before the URLs are first read, as ready() runs at start-up."""
    api.add_router(prefix, router)
