"""A programme's delivery dashboard in the JSON API: the page's numbers, as codes and counts
(never names of people), from the same selectors. Counts withheld on the page for a viewer
who does not manage training are null here for them too."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django.http import HttpRequest
from ninja import Schema
from pydantic import Field

from tip.core.api import _documented, _need
from tip.programmes.selectors import programme_get
from tip.training import selectors_dashboard as selectors
from tip.training.analysis import attendance as rates
from tip.training.analysis import dashboard as analysis
from tip.training.api import router
from tip.training.roles import MANAGE_TRAINING
from tip.training.roles_dashboard import VIEW_DELIVERY_DASHBOARD


class TargetProgressOut(Schema):
    target: int = Field(description="The target's id.")
    sector: str = Field(description="A sector code, or empty for any sector.")
    organisation: int | None = Field(description="An organisation's id, or null for any.")
    staff_group: str = Field(description="A group of staff code, or empty for any group.")
    people: int = Field(description="How many people to train.")
    trained: int | None = Field(description="People trained it counts; null when withheld.")
    percent: int | None = Field(description="Trained as a whole percentage of the target.")


class CountOut(Schema):
    key: str = Field(description="The sector code, organisation id or group of staff code.")
    label: str = Field(description="The organisation's name; empty for codes.")
    trained: int | None = Field(description="People trained; null when withheld (1 to 4).")


class RateOut(Schema):
    format: str = Field(description="virtual, in_person or hybrid; empty for all formats.")
    bookings_made: int
    dropped_out: int
    booked_at_session: int
    no_show: int
    drop_out_rate: float | None = Field(description="A percentage to one decimal place.")
    no_show_rate: float | None = Field(description="A percentage to one decimal place.")


class SessionRiskOut(Schema):
    session: int
    starts_at: datetime


class ClearanceRiskOut(SessionRiskOut):
    clearances: dict[str, int] = Field(
        description="Each clearance type missing (by code) and how many trainers lack it."
    )


class LowBookingOut(SessionRiskOut):
    taken: int
    capacity: int


class CascadeRiskOut(SessionRiskOut):
    lapsed: int
    out_of_date: int


class CourseQaOut(Schema):
    course: int
    certified: int
    never_observed: int
    observation_due: int
    lapsed: int
    out_of_date: int


class DashboardOut(Schema):
    programme: int
    computed_at: datetime = Field(
        description="When the figures were worked out: they are kept for up to a minute "
        "(TIP_DASHBOARD_CACHE_SECONDS); targets are always current."
    )
    trained: int = Field(description="People trained (attended), each counted once.")
    withheld: bool = Field(description="Whether any small count is withheld.")
    targets: list[TargetProgressOut]
    by_sector: list[CountOut]
    by_organisation: list[CountOut]
    by_staff_group: list[CountOut] = Field(
        description="Every group of staff, and an empty key for people who did not give one."
    )
    by_format: list[RateOut]
    overall: RateOut
    clearance_risks: list[ClearanceRiskOut]
    low_bookings: list[LowBookingOut] = Field(
        description="Sessions open for booking starting within 14 days with fewer places taken "
        "than half the places."
    )
    cascade_risks: list[CascadeRiskOut]
    quality_assurance: list[CourseQaOut]


def _rate(row: rates.RateRow) -> dict[str, Any]:
    def pct(value: Any) -> float | None:
        found = rates.percent(value)
        return None if found is None else float(found)

    return {
        "format": row.group,
        "bookings_made": row.made,
        "dropped_out": row.dropped_out,
        "booked_at_session": row.booked_at_session,
        "no_show": row.count("no_show"),
        "drop_out_rate": pct(row.drop_out_rate),
        "no_show_rate": pct(row.no_show_rate),
    }


def _counts(rows: list[analysis.Count], labels: dict[Any, str] | None = None) -> list[Any]:
    return [
        {"key": str(r.key), "label": (labels or {}).get(r.key, ""), "trained": r.shown}
        for r in rows
    ]


@router.get(
    "/programmes/{int:programme_id}/dashboard",
    summary="A programme's delivery dashboard",
    description="People trained by the programme's courses against its targets, by sector, "
    "organisation and group of staff; risks to sessions still to come; drop-out and no-show by "
    "format. Counts only. For people who do not manage training, counts of 1 to 4 people at one "
    "organisation are null.",
    **_documented({200: DashboardOut}, 401, 403, 404),
)
def delivery_dashboard(request: HttpRequest, programme_id: int) -> Any:
    m = _need(request, VIEW_DELIVERY_DASHBOARD)
    programme = programme_get(partnership=m.partnership, programme_id=programme_id)
    exact = MANAGE_TRAINING in cast(Any, request).capabilities
    d = selectors.dashboard(programme=programme)
    f = selectors.figures(d, exact=exact)
    return {
        "programme": programme.pk,
        "computed_at": d.computed_at,
        "trained": f.total,
        "withheld": f.withheld,
        "targets": [
            {
                "target": p.target.pk,
                "sector": p.target.sector,
                "organisation": p.target.organisation_id,
                "staff_group": p.target.staff_group,
                "people": p.target.people,
                "trained": p.trained,
                "percent": p.percent,
            }
            for p in f.progress
        ],
        "by_sector": _counts(f.by_sector),
        "by_organisation": _counts(f.by_organisation, d.organisations),
        "by_staff_group": _counts(f.by_staff_group),
        "by_format": [_rate(r) for r in f.by_format],
        "overall": _rate(f.overall),
        "clearance_risks": [
            {"session": r.session.pk, "starts_at": r.first_start, "clearances": r.clearances}
            for r in d.clearance_risks
        ],
        "low_bookings": [
            {
                "session": r.session.pk,
                "starts_at": r.first_start,
                "taken": r.taken,
                "capacity": r.capacity,
            }
            for r in d.low_bookings
        ],
        "cascade_risks": [
            {
                "session": r.session.pk,
                "starts_at": r.first_start,
                "lapsed": r.lapsed,
                "out_of_date": r.out_of_date,
            }
            for r in d.cascade_risks
        ],
        "quality_assurance": [
            {
                "course": q.course.pk,
                "certified": q.certified,
                "never_observed": q.never_observed,
                "observation_due": q.observation_due,
                "lapsed": q.lapsed,
                "out_of_date": q.out_of_date,
            }
            for q in d.qa
        ],
    }
