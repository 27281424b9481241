"""Follow-up invitations: a course's list for the people who manage training (by due date, with
counts), recording one's outcome, and the person's own on My training (an include the bookings
page shows). Thin views over the follow-up selectors and services."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tip.core.audit import audit_view
from tip.core.models import Membership, Partnership, User
from tip.core.tenancy import TipRequest, requires
from tip.training import purposes_followups as purposes
from tip.training import selectors_bookings
from tip.training import selectors_followups as selectors
from tip.training import services_followups as services
from tip.training.analysis import followups as rules
from tip.training.forms_followups import OutcomeForm
from tip.training.models_followups import FollowUpStatus
from tip.training.roles import MANAGE_TRAINING
from tip.training.selectors_courses import course_get


def _ctx(request: HttpRequest) -> tuple[Partnership, User, Membership]:
    req = cast(TipRequest, request)
    assert req.partnership is not None and req.membership is not None
    return req.partnership, cast(User, request.user), req.membership


def _pagination(page: Any, status: str) -> dict[str, Any]:
    extra = f"&status={status}" if status else ""
    params: dict[str, Any] = {"landmarkLabel": _("Pages of follow-up invitations")}
    if page.has_previous():
        params["previous"] = {
            "href": f"?page={page.previous_page_number()}{extra}",
            "text": _("Previous"),
        }
    if page.has_next():
        params["next"] = {"href": f"?page={page.next_page_number()}{extra}", "text": _("Next")}
    return params


@requires(MANAGE_TRAINING, personal_data=purposes.COURSE_INVITATIONS)
@require_GET
def course_invitations(request: HttpRequest, course_id: int) -> HttpResponse:
    partnership, user, _membership = _ctx(request)
    course = course_get(partnership=partnership, course_id=course_id)
    status = request.GET.get("status", "")
    status = status if status in rules.STATUSES else ""
    page = selectors.course_invitations(
        course=course, status=status, page=request.GET.get("page") or 1
    )
    audit_view(actor=user, obj=course, partnership=partnership, purpose=purposes.COURSE_INVITATIONS)
    labels = dict(FollowUpStatus.choices)
    return render(
        request,
        "training/followup_course.html",
        {
            "course": course,
            "page": page,
            "pagination": _pagination(page, status),
            "counts": selectors.course_counts(course=course),
            "activities": selectors.activity_counts(course=course),
            "status": status,
            "status_label": labels.get(status, ""),
            "filters": [(s, labels[s]) for s in rules.STATUSES],
            "overdue_days": selectors.OVERDUE_AFTER_DAYS,
            "today": selectors.today(),
        },
    )


@requires(MANAGE_TRAINING, personal_data=purposes.INVITATION)
def invitation(request: HttpRequest, invitation_id: int) -> HttpResponse:
    partnership, user, _membership = _ctx(request)
    found = selectors.invitation_get(partnership=partnership, invitation_id=invitation_id)
    course = found.follow_up.course
    initial: dict[str, Any] = {}
    if found.status in rules.OUTCOMES:
        initial["status"] = found.status
    if found.completed_on:
        d = found.completed_on
        initial["completed_on"] = [d.day, d.month, d.year]
    form = OutcomeForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_mark(
                invitation=found,
                status=form.cleaned_data["status"],
                completed_on=form.cleaned_data["completed_on"],
                by=user,
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("Recorded for %(name)s: %(activity)s")
                % {
                    "name": found.booking.membership.user.full_name,
                    "activity": found.follow_up.name,
                },
            )
            return HttpResponseRedirect(
                reverse("training:course-follow-up-invitations", kwargs={"course_id": course.pk})
            )
    if request.method == "GET":
        audit_view(actor=user, obj=found, partnership=partnership, purpose=purposes.INVITATION)
    return render(
        request,
        "training/followup_invitation.html",
        {
            "invitation": found,
            "course": course,
            "form": form,
            "attended_on": selectors_bookings.last_day(found.booking.session),
        },
        status=400 if form.is_bound and form.errors else 200,
    )
