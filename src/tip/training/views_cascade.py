"""Pages for the train-the-trainer cascade: a course's cascade (who trained whom, on which
version, each trainer's standing, the sessions at risk), recording certifications and
quality-assurance observations, and a trainer's own page to see their standing and acknowledge
new versions. Thin views over selectors_cascade and services_cascade.

Trainers' certifications and observations are personal data about them: pages that show them
record who looked, and why (audit_view)."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tip.core.audit import audit_view
from tip.core.models import Membership
from tip.core.tenancy import TipRequest, requires
from tip.training import purposes_cascade as purposes
from tip.training import selectors_cascade as selectors
from tip.training import services_cascade as services
from tip.training.forms_cascade import (
    AcknowledgementRecordForm,
    CertificationForm,
    ObservationForm,
)
from tip.training.qa_criteria import load_qa_criteria
from tip.training.roles import MANAGE_TRAINING, VIEW_TRAINER_RECORDS
from tip.training.roles_cascade import SEE_OWN_CASCADE
from tip.training.selectors_courses import course_get
from tip.training.views_providers import _can, _ctx, audited_trainer, form_page, refused


def _cascade_url(course_id: int) -> str:
    return reverse("training:course-cascade", kwargs={"course_id": course_id})


def _observations_url(trainer_id: int) -> str:
    return reverse("training:trainer-observations", kwargs={"trainer_id": trainer_id})


def _membership(request: HttpRequest) -> Membership:
    membership = cast(TipRequest, request).membership
    assert membership is not None  # @requires lets in members only
    return membership


@requires(VIEW_TRAINER_RECORDS, personal_data="course cascade")
def course_cascade(request: HttpRequest, course_id: int) -> HttpResponse:
    partnership, user = _ctx(request)
    course = course_get(partnership=partnership, course_id=course_id)
    cascade = selectors.course_cascade(course=course)
    audit_view(actor=user, obj=course, partnership=partnership, purpose=purposes.COURSE_CASCADE)
    return render(
        request,
        "training/cascade.html",
        {
            "course": course,
            "cascade": cascade,
            "can_manage": _can(request, MANAGE_TRAINING),
        },
    )


@requires(MANAGE_TRAINING, personal_data="course cascade")
def certification_create(request: HttpRequest, course_id: int) -> HttpResponse:
    partnership, user = _ctx(request)
    course = course_get(partnership=partnership, course_id=course_id)
    form = CertificationForm(
        request.POST or None,
        trainers=selectors.trainer_choices(partnership=partnership),
        versions=selectors.version_choices(course=course),
        sessions=selectors.certification_session_choices(course=course),
    )
    if request.method == "GET":
        audit_view(actor=user, obj=course, partnership=partnership, purpose=purposes.COURSE_CASCADE)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        try:
            services.certification_create(by=user, **values)
        except ValidationError as exc:
            refused(form, exc)
        else:
            messages.success(
                request, _("%(name)s is recorded as certified") % {"name": values["trainer"].name}
            )
            return HttpResponseRedirect(_cascade_url(course.pk))
    return form_page(
        request,
        form,
        title=_("Record a certified trainer"),
        caption=course.name,
        back=_cascade_url(course.pk),
    )


@requires(MANAGE_TRAINING, personal_data="course cascade")
def certification_delete(request: HttpRequest, certification_id: int) -> HttpResponse:
    partnership, user = _ctx(request)
    certification = selectors.certification_get(
        partnership=partnership, certification_id=certification_id
    )
    course_id = certification.course_version.course_id
    name = certification.trainer.name
    if request.method == "POST":
        services.certification_delete(certification=certification, by=user)
        messages.success(request, _("%(name)s's certification removed") % {"name": name})
        return HttpResponseRedirect(_cascade_url(course_id))
    audit_view(
        actor=user, obj=certification, partnership=partnership, purpose=purposes.COURSE_CASCADE
    )
    return render(
        request,
        "training/provider_remove.html",
        {
            "title": _("Remove %(name)s's certification on version %(number)d?")
            % {"name": name, "number": certification.course_version.number},
            "caption": certification.course_version.course.name,
            "warning": _(
                "Remove it only if it was recorded by mistake. Trainers they certified keep "
                "their certifications. The audit log keeps a record that you removed it."
            ),
            "button": _("Remove certification"),
            "back": _cascade_url(course_id),
        },
    )


@requires(VIEW_TRAINER_RECORDS, personal_data="trainer observations")
def observation_list(request: HttpRequest, trainer_id: int) -> HttpResponse:
    trainer, _user = audited_trainer(request, trainer_id, purposes.TRAINER_OBSERVATIONS)
    partnership, _u = _ctx(request)
    return render(
        request,
        "training/observation_list.html",
        {
            "trainer": trainer,
            "entries": selectors.cascade_entries(partnership=partnership, trainer=trainer),
            "observations": selectors.observation_list(trainer=trainer),
            "criteria": load_qa_criteria().criteria,
            "can_manage": _can(request, MANAGE_TRAINING),
        },
    )


@requires(MANAGE_TRAINING, personal_data="trainer observations")
def observation_create(request: HttpRequest, trainer_id: int) -> HttpResponse:
    trainer, user = audited_trainer(request, trainer_id, purposes.TRAINER_OBSERVATIONS)
    form = ObservationForm(
        request.POST or None,
        criteria=load_qa_criteria(),
        language=get_language() or "en",
        sessions=selectors.observation_session_choices(trainer=trainer),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.observation_create(trainer=trainer, by=user, **form.values())
        except ValidationError as exc:
            refused(form, exc)
        else:
            messages.success(request, _("Observation recorded"))
            return HttpResponseRedirect(_observations_url(trainer.pk))
    return form_page(
        request,
        form,
        title=_("Record a quality-assurance observation"),
        caption=trainer.name,
        back=_observations_url(trainer.pk),
        template="training/observation_form.html",
    )


@requires(MANAGE_TRAINING, personal_data="course cascade")
def acknowledgement_record(request: HttpRequest, unlinked_acknowledgement_id: int) -> HttpResponse:
    """Record that a trainer without a TIP account was told of a new version and acknowledged
    it (a trainer with an account acknowledges on their own page)."""
    partnership, user = _ctx(request)
    acknowledgement = selectors.acknowledgement_get(
        partnership=partnership, acknowledgement_id=unlinked_acknowledgement_id
    )
    version = acknowledgement.course_version
    back = _cascade_url(version.course_id) + "#acknowledgements"
    # Bound on every POST, even an empty one: nothing chosen is an error to show.
    form = AcknowledgementRecordForm(request.POST if request.method == "POST" else None)
    if request.method == "GET":
        audit_view(
            actor=user,
            obj=acknowledgement.trainer,
            partnership=partnership,
            purpose=purposes.TRAINER_ACKNOWLEDGEMENT,
        )
    if request.method == "POST" and form.is_valid():
        try:
            services.acknowledgement_record(
                acknowledgement=acknowledgement, by=user, **form.values()
            )
        except ValidationError as exc:
            refused(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is recorded as having acknowledged version %(number)d")
                % {"name": acknowledgement.trainer.name, "number": version.number},
            )
            return HttpResponseRedirect(
                _cascade_url(version.course_id) + "#recorded-acknowledgements"
            )
    return form_page(
        request,
        form,
        title=_("Record that %(name)s acknowledged version %(number)d")
        % {"name": acknowledgement.trainer.name, "number": version.number},
        caption=version.course.name,
        back=back,
        template="training/cascade_acknowledgement_record.html",
        extra={
            "acknowledgement": acknowledgement,
            "has_account": acknowledgement.trainer.membership_id is not None,
        },
    )


# --- A trainer's own pages -----------------------------------------------------------------------


@requires(SEE_OWN_CASCADE)
def my_cascade(request: HttpRequest) -> HttpResponse:
    partnership, _user = _ctx(request)
    membership = _membership(request)
    acknowledgements = selectors.my_acknowledgements(membership=membership)
    return render(
        request,
        "training/cascade_mine.html",
        {
            "entries": selectors.cascade_entries(partnership=partnership, membership=membership),
            "pending": [a for a in acknowledgements if a.acknowledged_at is None],
            "done": [a for a in acknowledgements if a.acknowledged_at is not None],
        },
    )


@requires(SEE_OWN_CASCADE)
def acknowledge(request: HttpRequest, acknowledgement_id: int) -> HttpResponse:
    _partnership, user = _ctx(request)
    acknowledgement = selectors.my_acknowledgement_get(
        membership=_membership(request), acknowledgement_id=acknowledgement_id
    )
    if request.method == "POST":
        already = acknowledgement.acknowledged_at is not None
        services.acknowledgement_confirm(acknowledgement=acknowledgement, by=user)
        if not already:
            messages.success(
                request,
                _("Thank you: you have acknowledged version %(number)d of %(course)s")
                % {
                    "number": acknowledgement.course_version.number,
                    "course": acknowledgement.course_version.course.name,
                },
            )
        return HttpResponseRedirect(reverse("training:cascade-mine"))
    return render(
        request, "training/cascade_acknowledge.html", {"acknowledgement": acknowledgement}
    )
