"""The JSON API under /api/, with its OpenAPI schema at /api/openapi.json.

Each request carries a personal token (`Authorization: Bearer tip_...`) bound to one
membership, so the API sees exactly what that person sees in that partnership, and writes the
same audit entries as the pages.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI, Router, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer
from pydantic import Field

from tip.core import selectors, services
from tip.core.audit import audit_view
from tip.core.models import ApiToken, Membership, Sector
from tip.core.roles import Capability, capabilities_of

VIA = "api"


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


class ErrorOut(Schema):
    detail: str
    errors: list[dict[str, Any]] = []


def _error(
    request: HttpRequest, status: int, detail: str, errors: list[Any] | None = None
) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 404, "Not found. Check the id: it may belong to another partnership.")


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 403, "Your roles do not allow this.")


@api.exception_handler(AuthenticationError)
def _unauthorised(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 401, "Send a valid, unrevoked token: 'Authorization: Bearer <token>'.")


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = (
        [{"field": f, "message": m} for f, ms in exc.message_dict.items() for m in ms]
        if hasattr(exc, "error_dict")
        else [{"message": m} for m in exc.messages]
    )
    return _error(request, 422, "The data was not valid: " + "; ".join(exc.messages), errors)


@api.exception_handler(NinjaValidationError)
def _schema_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {"field": ".".join(str(p) for p in e.get("loc", [])[1:]), "message": e.get("msg", "")}
        for e in exc.errors
    ]
    where = ", ".join(e["field"] or "body" for e in errors)
    return _error(request, 422, f"Check these fields: {where}.", errors)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, str(exc))


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


@api.get("/me", response=MeOut, tags=["account"], summary="Who the token belongs to")
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


class OrganisationIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    sector: Sector


class OrganisationPatch(Schema):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    sector: Sector | None = None


@organisations.get("", response=list[OrganisationOut], summary="List the partner organisations")
def organisation_list(request: HttpRequest) -> Any:
    m = _need(request, Capability.VIEW_ORGANISATIONS)
    return list(selectors.organisation_list(partnership=m.partnership))


@organisations.post("", response={201: OrganisationOut}, summary="Add an organisation")
def organisation_create(request: HttpRequest, payload: OrganisationIn) -> Any:
    m = _need(request, Capability.MANAGE_ORGANISATIONS)
    _refuse_duplicate_name(m, payload.name)
    org = services.organisation_create(
        partnership=m.partnership, name=payload.name, sector=payload.sector, by=m.user, via=VIA
    )
    return 201, org


def _refuse_duplicate_name(m: Membership, name: str, exclude: int | None = None) -> None:
    qs = selectors.organisation_list(partnership=m.partnership).filter(name__iexact=name.strip())
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    if qs.exists():
        raise HttpError(409, f"An organisation called {name.strip()!r} is already listed.")


@organisations.get("/{int:organisation_id}", response=OrganisationOut, summary="One organisation")
def organisation_detail(request: HttpRequest, organisation_id: int) -> Any:
    m = _need(request, Capability.VIEW_ORGANISATIONS)
    return selectors.organisation_get(partnership=m.partnership, organisation_id=organisation_id)


@organisations.put(
    "/{int:organisation_id}", response=OrganisationOut, summary="Replace an organisation"
)
def organisation_put(request: HttpRequest, organisation_id: int, payload: OrganisationIn) -> Any:
    m = _need(request, Capability.MANAGE_ORGANISATIONS)
    org = selectors.organisation_get(partnership=m.partnership, organisation_id=organisation_id)
    _refuse_duplicate_name(m, payload.name, exclude=org.pk)
    return services.organisation_update(
        organisation=org, by=m.user, via=VIA, name=payload.name, sector=payload.sector
    )


@organisations.patch(
    "/{int:organisation_id}", response=OrganisationOut, summary="Change an organisation"
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
    "/{int:organisation_id}", response={204: None}, summary="Remove an organisation"
)
def organisation_delete(request: HttpRequest, organisation_id: int) -> Any:
    m = _need(request, Capability.MANAGE_ORGANISATIONS)
    org = selectors.organisation_get(partnership=m.partnership, organisation_id=organisation_id)
    services.organisation_delete(organisation=org, by=m.user, via=VIA)
    return 204, None


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


@people.get("", response=list[PersonOut], summary="List the people in the partnership (audited)")
def person_list(request: HttpRequest) -> Any:
    m = _need(request, Capability.VIEW_PEOPLE)
    members = list(selectors.membership_list(partnership=m.partnership))
    audit_view(
        actor=m.user,
        obj=None,
        object_type="core.Membership",
        partnership=m.partnership,
        purpose="Partnership directory: list of people",
        via=VIA,
    )
    return [_person(x) for x in members]


@people.get("/{int:membership_id}", response=PersonOut, summary="One person (audited)")
def person_detail(request: HttpRequest, membership_id: int) -> Any:
    m = _need(request, Capability.VIEW_PEOPLE)
    person = selectors.membership_get(partnership=m.partnership, membership_id=membership_id)
    audit_view(
        actor=m.user,
        obj=person,
        partnership=m.partnership,
        purpose="Partnership directory: a person's details",
        via=VIA,
    )
    return _person(person)


api.add_router("/organisations", organisations)
api.add_router("/people", people)
