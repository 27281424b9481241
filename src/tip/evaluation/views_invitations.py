"""The pages for survey invitations, comparison cohorts and response rates: thin views over
selectors_invitations and services_invitations."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tip.core.audit import audit_view
from tip.core.forms import show_refusal
from tip.core.models import Organisation, Partnership, User
from tip.core.roles import Role
from tip.core.tenancy import TipRequest, requires
from tip.evaluation import selectors
from tip.evaluation import selectors_invitations as reads
from tip.evaluation import services_invitations as writes
from tip.evaluation.forms_invitations import CohortForm, EmailsForm, MembersForm
from tip.evaluation.models_collection import InvitationStatus
from tip.evaluation.roles import PLAN_EVALUATIONS

# Who sees small counts exactly: the people who run the programme. Evaluators see them withheld.
EXACT_ROLES = frozenset({Role.PARTNERSHIP_ADMIN, Role.PROGRAMME_LEAD})
MEMBERS_PURPOSE = "Manage the members of an evaluation's comparison cohort"


def _ctx(request: HttpRequest) -> tuple[Partnership, User]:
    req = cast(TipRequest, request)
    assert req.partnership is not None
    return req.partnership, cast(User, request.user)


def exact_for(request: HttpRequest) -> bool:
    return bool(cast(TipRequest, request).roles & EXACT_ROLES)


def _cohorts_url(programme_id: int) -> str:
    return reverse("evaluation:cohort-list", kwargs={"programme_id": programme_id})


def _members_url(cohort_id: int) -> str:
    return reverse("evaluation:cohort-members", kwargs={"cohort_id": cohort_id})


def _status(form: object) -> int:
    bound = getattr(form, "is_bound", False) and getattr(form, "errors", None)
    return 400 if bound else 200


# --- Rates and invitations -----------------------------------------------------------------------


@requires(PLAN_EVALUATIONS)
@require_GET
def rates(request: HttpRequest, programme_id: int) -> HttpResponse:
    partnership, _user = _ctx(request)
    plan = selectors.plan_get(partnership=partnership, programme_id=programme_id)
    figures = reads.rates(plan=plan, exact=exact_for(request))
    return render(
        request,
        "evaluation/rates.html",
        {"programme": plan.programme, "plan": plan, "figures": figures},
    )


@requires(PLAN_EVALUATIONS)
def invitations(request: HttpRequest, programme_id: int) -> HttpResponse:
    """How many invitations are in each state, and a button to bring them up to date with the
    bookings, cohorts and waves now (the nightly sweep does it too)."""
    partnership, user = _ctx(request)
    plan = selectors.plan_get(partnership=partnership, programme_id=programme_id)
    if request.method == "POST":
        done = writes.sync_respondents(plan, by=user)
        messages.success(
            request,
            _(
                "Invitations brought up to date: %(respondents)s people added, %(invitations)s "
                "invitations scheduled, %(withdrawn)s withdrawn"
            )
            % done.as_dict(),
        )
        return HttpResponseRedirect(request.path)
    counts = reads.status_counts(plan=plan)
    rows = [(label, counts[value]) for value, label in InvitationStatus.choices]
    return render(
        request,
        "evaluation/invitations_status.html",
        {
            "programme": plan.programme,
            "plan": plan,
            "rows": rows,
            "waves": writes.waves_measured(plan),
        },
    )


# --- Cohorts -------------------------------------------------------------------------------------


def _organisations(partnership: Partnership) -> object:
    return Organisation.objects.filter(partnership=partnership).order_by("name")


@requires(PLAN_EVALUATIONS)
@require_GET
def cohort_list(request: HttpRequest, programme_id: int) -> HttpResponse:
    partnership, _user = _ctx(request)
    plan = selectors.plan_get(partnership=partnership, programme_id=programme_id)
    return render(
        request,
        "evaluation/cohort_list.html",
        {"programme": plan.programme, "plan": plan, "cohorts": reads.cohort_list(plan=plan)},
    )


@requires(PLAN_EVALUATIONS)
def cohort_create(request: HttpRequest, programme_id: int) -> HttpResponse:
    partnership, user = _ctx(request)
    plan = selectors.plan_get(partnership=partnership, programme_id=programme_id)
    form = CohortForm(
        request.POST if request.method == "POST" else None,
        organisations=_organisations(partnership),  # type: ignore[arg-type]
    )
    back = _cohorts_url(programme_id)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = writes.cohort_create(plan=plan, by=user, **form.values())
        except ValidationError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, _("Cohort %(name)s added") % {"name": cohort.name})
            return HttpResponseRedirect(_members_url(cohort.pk))
    return render(
        request,
        "evaluation/cohort_form.html",
        {
            "form": form,
            "programme": plan.programme,
            "back": back,
            "title": _("Add a comparison cohort"),
        },
        status=_status(form),
    )


@requires(PLAN_EVALUATIONS)
def cohort_edit(request: HttpRequest, cohort_id: int) -> HttpResponse:
    partnership, user = _ctx(request)
    cohort = reads.cohort_get(partnership=partnership, cohort_id=cohort_id)
    form = CohortForm(
        request.POST if request.method == "POST" else None,
        initial=CohortForm.initial_for(cohort),
        organisations=_organisations(partnership),  # type: ignore[arg-type]
    )
    back = _cohorts_url(cohort.plan.programme_id)
    if request.method == "POST" and form.is_valid():
        try:
            writes.cohort_update(cohort=cohort, by=user, **form.values())
        except ValidationError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, _("Cohort %(name)s saved") % {"name": cohort.name})
            return HttpResponseRedirect(back)
    return render(
        request,
        "evaluation/cohort_form.html",
        {
            "form": form,
            "programme": cohort.plan.programme,
            "back": back,
            "title": _("Change the comparison cohort"),
        },
        status=_status(form),
    )


@requires(PLAN_EVALUATIONS)
def cohort_remove(request: HttpRequest, cohort_id: int) -> HttpResponse:
    partnership, user = _ctx(request)
    cohort = reads.cohort_get(partnership=partnership, cohort_id=cohort_id)
    back = _cohorts_url(cohort.plan.programme_id)
    refusal = ""
    if request.method == "POST":
        name = cohort.name
        try:
            writes.cohort_delete(cohort=cohort, by=user)
        except ValidationError as exc:
            refusal = " ".join(exc.messages)
        else:
            messages.success(request, _("Cohort %(name)s removed") % {"name": name})
            return HttpResponseRedirect(back)
    return render(
        request,
        "evaluation/remove.html",
        {
            "programme": cohort.plan.programme,
            "back": back,
            "title": _("Remove a comparison cohort"),
            "what": _(
                "The cohort %(name)s, its members and their invitations not answered will be "
                "removed."
            )
            % {"name": cohort.name},
            "button": _("Remove the cohort"),
            "refusal": refusal,
        },
        status=400 if refusal else 200,
    )


def _organisation_id(request: HttpRequest) -> int | None:
    raw = request.GET.get("organisation", "")
    return int(raw) if raw.isdigit() else None


@requires(PLAN_EVALUATIONS, personal_data=MEMBERS_PURPOSE)
def cohort_members(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """The cohort's members, and adding partnership members, by organisation."""
    partnership, user = _ctx(request)
    cohort = reads.cohort_get(partnership=partnership, cohort_id=cohort_id)
    organisation_id = _organisation_id(request)
    choices = reads.member_choices(cohort=cohort, organisation_id=organisation_id)
    form = MembersForm(request.POST if request.method == "POST" else None, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            added = writes.members_add(
                cohort=cohort, memberships=list(form.cleaned_data["memberships"]), by=user
            )
        except ValidationError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, _("%(count)s people added") % {"count": len(added)})
            return HttpResponseRedirect(_members_url(cohort.pk))
    audit_view(actor=user, obj=cohort, partnership=partnership, purpose=MEMBERS_PURPOSE)
    members = [(m, reads.member_name(m)) for m in reads.member_list(cohort=cohort)]
    return render(
        request,
        "evaluation/cohort_members.html",
        {
            "cohort": cohort,
            "programme": cohort.plan.programme,
            "members": members,
            "form": form,
            "show_choices": organisation_id is not None,
            "organisations": _organisations(partnership),
            "organisation_id": organisation_id,
            "back": _cohorts_url(cohort.plan.programme_id),
        },
        status=_status(form),
    )


@requires(PLAN_EVALUATIONS)
def cohort_emails(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """Add staff without an account by pasting their addresses, one a line (all or nothing)."""
    partnership, user = _ctx(request)
    cohort = reads.cohort_get(partnership=partnership, cohort_id=cohort_id)
    form = EmailsForm(request.POST if request.method == "POST" else None)
    back = _members_url(cohort.pk)
    if request.method == "POST" and form.is_valid():
        try:
            added = writes.members_add_emails(
                cohort=cohort, text=form.cleaned_data["emails"], by=user
            )
        except ValidationError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, _("%(count)s people added") % {"count": len(added)})
            return HttpResponseRedirect(back)
    return render(
        request,
        "evaluation/cohort_emails.html",
        {"form": form, "cohort": cohort, "programme": cohort.plan.programme, "back": back},
        status=_status(form),
    )


@requires(PLAN_EVALUATIONS, personal_data=MEMBERS_PURPOSE)
def cohort_member_remove(request: HttpRequest, respondent_id: int) -> HttpResponse:
    partnership, user = _ctx(request)
    respondent = reads.member_get(partnership=partnership, respondent_id=respondent_id)
    cohort = respondent.cohort
    assert cohort is not None
    back = _members_url(cohort.pk)
    name = reads.member_name(respondent)
    if request.method == "POST":
        writes.member_remove(respondent=respondent, by=user)
        messages.success(request, _("%(name)s taken out of the cohort") % {"name": name})
        return HttpResponseRedirect(back)
    audit_view(actor=user, obj=respondent, partnership=partnership, purpose=MEMBERS_PURPOSE)
    return render(
        request,
        "evaluation/remove.html",
        {
            "programme": cohort.plan.programme,
            "back": back,
            "title": _("Take someone out of the cohort"),
            "what": _(
                "%(name)s will be taken out of %(cohort)s and not asked again. Answers they "
                "have given are kept."
            )
            % {"name": name, "cohort": cohort.name},
            "button": _("Take them out"),
            "refusal": "",
        },
    )
