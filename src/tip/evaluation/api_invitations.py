"""Survey invitations, response rates and comparison cohorts in the JSON API, under
/api/evaluation (registered from EvaluationConfig.ready()).

The same services and selectors as the pages: the same refusals (422, naming the field), the
same audit entries (marked as from the API), 404 for another partnership's ids. Invitations are
counts and statuses only: no personal link, token or digest is ever returned, nor anyone's name
or address."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field, field_validator

from tip.core.api import VIA, InputSchema, _documented, _need
from tip.core.models import Membership, Organisation
from tip.evaluation import selectors
from tip.evaluation import selectors_invitations as reads
from tip.evaluation import services_invitations as writes
from tip.evaluation.models_collection import ComparisonCohort, InvitationStatus
from tip.evaluation.roles import PLAN_EVALUATIONS
from tip.evaluation.views_invitations import EXACT_ROLES

router = Router(tags=["evaluation"])

_STATUSES = ", ".join(InvitationStatus.values)


class InvitationOut(Schema):
    id: int
    wave: int = Field(validation_alias="wave_id")
    group: str = Field(description="trained or comparison.")
    cohort: int | None = Field(description="The comparison cohort's id, if any.")
    status: str = Field(description=f"One of {_STATUSES}.")
    opens_at: datetime
    closes_at: datetime
    sent_at: datetime | None
    reminded_at: datetime | None
    started_at: datetime | None
    completed_at: datetime | None

    @staticmethod
    def resolve_group(obj: Any) -> str:
        return str(obj.respondent.group)

    @staticmethod
    def resolve_cohort(obj: Any) -> int | None:
        return obj.respondent.cohort_id  # type: ignore[no-any-return]


class InvitationsOut(Schema):
    counts: dict[str, int] = Field(description="Invitations by status.")
    invitations: list[InvitationOut]


class SyncOut(Schema):
    respondents: int = Field(description="Trained participants added as respondents.")
    invitations: int = Field(description="Invitations scheduled.")
    withdrawn: int = Field(description="Invitations withdrawn (bookings cancelled).")
    rescheduled: int = Field(description="Invitations moved with their session's date.")


class FigureOut(Schema):
    count: int | None = Field(description="Null when withheld (1 to 4, for evaluators).")
    withheld: bool


def _fig(f: reads.Figure | None) -> dict[str, Any] | None:
    return None if f is None else {"count": f.shown, "withheld": f.withheld}


class RateOut(Schema):
    wave: int
    wave_name: str
    group: str
    sent: FigureOut
    started: FigureOut
    completed: FigureOut
    closed: FigureOut
    scheduled: FigureOut
    withdrawn: FigureOut
    response_rate: int | None = Field(description="Completed of sent, in per cent.")


class LinkOut(Schema):
    earlier_wave: int
    later_wave: int
    group: str
    answered: FigureOut = Field(
        description="Anonymous: answers at the later wave. Identified: completed the earlier."
    )
    linked: FigureOut
    ambiguous: FigureOut | None = Field(description="Anonymous plans only.")
    unlinked: FigureOut
    link_rate: int | None = Field(description="Per cent.")


class RatesOut(Schema):
    anonymous: bool
    exact: bool = Field(description="False: counts from 1 to 4 are withheld.")
    waves: list[RateOut]
    links: list[LinkOut]


class CohortOut(Schema):
    id: int
    name: str
    description: str
    reference_date: date
    organisations: list[int]
    members: int

    @staticmethod
    def resolve_organisations(obj: ComparisonCohort) -> list[int]:
        return sorted(o.pk for o in obj.organisations.all())

    @staticmethod
    def resolve_members(obj: ComparisonCohort) -> int:
        return int(getattr(obj, "members", None) or obj.respondents.count())


class CohortIn(InputSchema):
    name: str = Field(description="Unique in the plan.")
    description: str = Field(default="", description="Who they are.")
    reference_date: date = Field(description="The date the cohort's waves count from.")
    organisations: list[int] = Field(default=[], description="Ids of partner organisations.")


class CohortPatch(InputSchema):
    name: str | None = None
    description: str | None = None
    reference_date: date | None = None
    organisations: list[int] | None = None

    @field_validator("*")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError(_("Leave the field out to keep its value; it cannot be null."))
        return value


class MembersIn(InputSchema):
    emails: str = Field(default="", description="Email addresses, one a line (all or nothing).")
    memberships: list[int] = Field(default=[], description="Ids of the partnership's members.")


class AddedOut(Schema):
    added: int


def _organisations(m: Membership, ids: list[int]) -> list[Organisation]:
    wanted = list(dict.fromkeys(ids))
    found = {o.pk: o for o in Organisation.objects.filter(partnership=m.partnership, pk__in=wanted)}
    if len(found) != len(wanted):
        raise ValidationError({"organisations": _("Choose organisations of this partnership")})
    return [found[i] for i in wanted]


def _cohort(m: Membership, cohort_id: int) -> ComparisonCohort:
    return reads.cohort_get(partnership=m.partnership, cohort_id=cohort_id)


@router.get(
    "/programmes/{int:programme_id}/invitations",
    summary="A plan's survey invitations: counts by status and each invitation's dates",
    description="No links, tokens, names or addresses are ever returned.",
    **_documented({200: InvitationsOut}, 401, 403, 404),
)
def evaluation_invitation_list(request: HttpRequest, programme_id: int) -> Any:
    m = _need(request, PLAN_EVALUATIONS)
    plan = selectors.plan_get(partnership=m.partnership, programme_id=programme_id)
    return {
        "counts": reads.status_counts(plan=plan),
        "invitations": list(reads.invitation_list(plan=plan)),
    }


@router.post(
    "/programmes/{int:programme_id}/invitations/sync",
    summary="Bring a plan's respondents and invitations up to date now",
    description="What the nightly sweep does for this plan, without sending: adds the "
    "participants booked since, schedules their invitations and withdraws those of cancelled "
    "bookings. Idempotent.",
    **_documented({200: SyncOut}, 401, 403, 404),
)
def evaluation_invitation_sync(request: HttpRequest, programme_id: int) -> Any:
    m = _need(request, PLAN_EVALUATIONS)
    plan = selectors.plan_get(partnership=m.partnership, programme_id=programme_id)
    return writes.sync_respondents(plan, by=m.user, via=VIA).as_dict()


@router.get(
    "/programmes/{int:programme_id}/rates",
    summary="Response and link rates per wave and group",
    description="Counts only. For evaluators, counts from 1 to 4 are withheld (null); programme "
    "leads and admins see them exactly.",
    **_documented({200: RatesOut}, 401, 403, 404),
)
def evaluation_rates(request: HttpRequest, programme_id: int) -> Any:
    m = _need(request, PLAN_EVALUATIONS)
    plan = selectors.plan_get(partnership=m.partnership, programme_id=programme_id)
    exact = bool(frozenset(m.role_codes) & EXACT_ROLES)
    found = reads.rates(plan=plan, exact=exact)
    return {
        "anonymous": plan.anonymous,
        "exact": exact,
        "waves": [
            {
                "wave": r.wave.pk,
                "wave_name": r.wave.name,
                "group": r.group,
                "sent": _fig(r.invited),
                "started": _fig(r.started),
                "completed": _fig(r.completed),
                "closed": _fig(r.closed),
                "scheduled": _fig(r.scheduled),
                "withdrawn": _fig(r.withdrawn),
                "response_rate": r.rate,
            }
            for r in found.rows
        ],
        "links": [
            {
                "earlier_wave": r.earlier.pk,
                "later_wave": r.later.pk,
                "group": r.group,
                "answered": _fig(r.answered),
                "linked": _fig(r.linked),
                "ambiguous": _fig(r.ambiguous),
                "unlinked": _fig(r.unlinked),
                "link_rate": r.rate,
            }
            for r in found.links
        ],
    }


_COHORT_REFUSALS = (
    "Refused with 422, naming the field, for a name missing or already used in the plan, text "
    "too long, or organisations not of this partnership. Nothing is saved."
)


@router.get(
    "/programmes/{int:programme_id}/cohorts",
    summary="A plan's comparison cohorts",
    **_documented({200: list[CohortOut]}, 401, 403, 404),
)
def evaluation_cohort_list(request: HttpRequest, programme_id: int) -> Any:
    m = _need(request, PLAN_EVALUATIONS)
    plan = selectors.plan_get(partnership=m.partnership, programme_id=programme_id)
    return list(reads.cohort_list(plan=plan))


@router.post(
    "/programmes/{int:programme_id}/cohorts",
    summary="Add a comparison cohort",
    description=_COHORT_REFUSALS,
    **_documented({201: CohortOut}, 400, 401, 403, 404, 409, 422),
)
def evaluation_cohort_create(request: HttpRequest, programme_id: int, payload: CohortIn) -> Any:
    m = _need(request, PLAN_EVALUATIONS)
    plan = selectors.plan_get(partnership=m.partnership, programme_id=programme_id)
    values = payload.dict()
    values["organisations"] = _organisations(m, values["organisations"])
    cohort = writes.cohort_create(plan=plan, by=m.user, via=VIA, **values)
    return Status(201, _cohort(m, cohort.pk))


@router.get(
    "/cohorts/{int:cohort_id}",
    summary="A comparison cohort",
    **_documented({200: CohortOut}, 401, 403, 404),
)
def evaluation_cohort_get(request: HttpRequest, cohort_id: int) -> Any:
    m = _need(request, PLAN_EVALUATIONS)
    return _cohort(m, cohort_id)


@router.patch(
    "/cohorts/{int:cohort_id}",
    summary="Change a comparison cohort",
    description="Fields left out keep their values. A new reference date moves the members' "
    "invitations not sent yet. " + _COHORT_REFUSALS,
    **_documented({200: CohortOut}, 400, 401, 403, 404, 409, 422),
)
def evaluation_cohort_patch(request: HttpRequest, cohort_id: int, payload: CohortPatch) -> Any:
    m = _need(request, PLAN_EVALUATIONS)
    cohort = _cohort(m, cohort_id)
    sent = payload.dict(exclude_unset=True)
    values: dict[str, Any] = {
        "name": sent.get("name", cohort.name),
        "description": sent.get("description", cohort.description),
        "reference_date": sent.get("reference_date", cohort.reference_date),
        "organisations": (
            _organisations(m, sent["organisations"])
            if "organisations" in sent
            else list(cohort.organisations.all())
        ),
    }
    writes.cohort_update(cohort=cohort, by=m.user, via=VIA, **values)
    return _cohort(m, cohort_id)


@router.delete(
    "/cohorts/{int:cohort_id}",
    summary="Remove a comparison cohort",
    description="Refused with 422 once anyone in it has answered.",
    **_documented({204: None}, 401, 403, 404, 422),
)
def evaluation_cohort_delete(request: HttpRequest, cohort_id: int) -> Any:
    m = _need(request, PLAN_EVALUATIONS)
    writes.cohort_delete(cohort=_cohort(m, cohort_id), by=m.user, via=VIA)
    return Status(204, None)


@router.post(
    "/cohorts/{int:cohort_id}/members",
    summary="Add people to a comparison cohort",
    description="Partnership members by id, or email addresses one a line, or both. Refused "
    "with 422 (each problem with its line number) for an address that is not one, is given "
    "twice or is already in the cohort: nothing is added.",
    **_documented({201: AddedOut}, 400, 401, 403, 404, 409, 422),
)
def evaluation_cohort_members_add(request: HttpRequest, cohort_id: int, payload: MembersIn) -> Any:
    m = _need(request, PLAN_EVALUATIONS)
    cohort = _cohort(m, cohort_id)
    added = 0
    from django.db import transaction

    with transaction.atomic():
        if payload.memberships:
            wanted = list(dict.fromkeys(payload.memberships))
            people = list(
                Membership.objects.filter(partnership=m.partnership, pk__in=wanted).select_related(
                    "user"
                )
            )
            if len(people) != len(wanted):
                raise ValidationError({"memberships": _("Choose people of this partnership")})
            added += len(writes.members_add(cohort=cohort, memberships=people, by=m.user, via=VIA))
        if payload.emails.strip() or not payload.memberships:
            added += len(
                writes.members_add_emails(cohort=cohort, text=payload.emails, by=m.user, via=VIA)
            )
    return Status(201, {"added": added})
