"""Pages for 'About the programme': who it is for, its phases, governance and co-design."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tip.core import purposes
from tip.core.audit import audit_view
from tip.core.tenancy import requires
from tip.programmes import selectors, services
from tip.programmes.forms import (
    BoardMemberForm,
    CoDesignForm,
    OrganisationLeadForm,
    PhasesForm,
    ProgrammeDetailsForm,
    SroForm,
)
from tip.programmes.models import Programme
from tip.programmes.roles import MANAGE_PROGRAMMES, VIEW_PROGRAMMES
from tip.programmes.views import (
    _can_manage,
    _programme,
    _refused,
    _remove_page,
    _render_form,
    _to_detail,
)

ABOUT = "about"


def _to(name: str, programme: Programme) -> HttpResponse:
    return redirect(f"programmes:{name}", programme_id=programme.pk)


@requires(VIEW_PROGRAMMES, personal_data=purposes.PROGRAMME_GOVERNANCE)
def governance(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme, user = _programme(request, programme_id)
    details = selectors.programme_details(programme=programme)
    board_members = selectors.board_member_list(programme=programme)
    leads = selectors.organisation_lead_list(programme=programme)
    if details.sro is not None or programme.sro_name or board_members or leads:
        audit_view(
            actor=user,
            obj=programme,
            partnership=programme.partnership,
            purpose=purposes.PROGRAMME_GOVERNANCE,
        )
    return render(
        request,
        "programmes/governance.html",
        {
            "programme": programme,
            "details": details,
            "board_members": board_members,
            "leads": leads,
            "can_manage": _can_manage(request),
        },
    )


@requires(VIEW_PROGRAMMES)
def codesign_list(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme, _user = _programme(request, programme_id)
    return render(
        request,
        "programmes/codesign_list.html",
        {
            "programme": programme,
            "activities": selectors.codesign_list(programme=programme),
            "can_manage": _can_manage(request),
        },
    )


@requires(MANAGE_PROGRAMMES)
def programme_details_edit(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme, user = _programme(request, programme_id)
    initial = {
        "name": programme.name,
        "aims": programme.aims,
        "target_sectors": programme.target_sectors,
        "target_groups": programme.target_groups,
    }
    form = ProgrammeDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_update(programme=programme, by=user, **form.cleaned_data)
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Changes saved"))
            return _to_detail(programme, ABOUT)
    return _render_form(request, programme, form, title=_("Change the programme's details"))


@requires(MANAGE_PROGRAMMES)
def programme_phases(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme, user = _programme(request, programme_id)
    phases = selectors.phase_list(programme=programme)
    form = PhasesForm(request.POST or None, initial=PhasesForm.initial_for(phases))
    if request.method == "POST" and form.is_valid():
        try:
            services.phases_set(programme=programme, dates=form.dates(), by=user)
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Phase dates saved"))
            return _to_detail(programme, ABOUT)
    return _render_form(request, programme, form, title=_("Phases: learn, implement and review"))


@requires(MANAGE_PROGRAMMES)
def programme_sro(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme, user = _programme(request, programme_id)
    members = selectors.member_choices(programme=programme)
    initial = {
        "sro_member": programme.sro_member_id,
        "sro_name": programme.sro_name,
        "sro_role": programme.sro_role,
    }
    form = SroForm(request.POST or None, members=members, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        member_id = data.pop("sro_member")
        try:
            services.sro_set(
                programme=programme,
                sro_member=form.members.get(member_id) if member_id else None,
                by=user,
                **data,
            )
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Senior responsible owner saved"))
            return _to("governance", programme)
    return _render_form(request, programme, form, title=_("Senior responsible owner"))


@requires(MANAGE_PROGRAMMES)
def board_member_create(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme, user = _programme(request, programme_id)
    organisations = selectors.organisation_choices(programme=programme)
    form = BoardMemberForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation_id = data.pop("organisation")
        try:
            member = services.board_member_create(
                programme=programme,
                organisation=form.organisations.get(organisation_id) if organisation_id else None,
                by=user,
                **data,
            )
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("%(name)s added to the board") % {"name": member.name})
            return _to("governance", programme)
    return _render_form(request, programme, form, title=_("Add a delivery board member"))


@requires(MANAGE_PROGRAMMES)
def board_member_delete(
    request: HttpRequest, programme_id: int, board_member_id: int
) -> HttpResponse:
    programme, user = _programme(request, programme_id)
    member = selectors.board_member_get(programme=programme, board_member_id=board_member_id)
    return _remove_page(
        request,
        programme,
        title=_("Remove %(name)s from the delivery board?") % {"name": member.name},
        warning=_("The audit log keeps a record that you removed them."),
        button=_("Remove board member"),
        on_confirm=lambda: services.board_member_delete(member=member, by=user),
        done=_("%(name)s removed from the board") % {"name": member.name},
        then=reverse("programmes:governance", kwargs={"programme_id": programme.pk}),
    )


@requires(MANAGE_PROGRAMMES)
def organisation_lead_create(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme, user = _programme(request, programme_id)
    organisations = selectors.organisation_choices(programme=programme)
    form = OrganisationLeadForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation = form.organisations.get(data.pop("organisation"))
        try:
            lead = services.organisation_lead_set(
                programme=programme, organisation=organisation, by=user, **data
            )
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is the lead for %(organisation)s")
                % {"name": lead.name, "organisation": lead.organisation.name},
            )
            return _to("governance", programme)
    return _render_form(
        request,
        programme,
        form,
        title=_("Name the lead in an organisation"),
        button=_("Save lead"),
    )


@requires(MANAGE_PROGRAMMES)
def organisation_lead_delete(request: HttpRequest, programme_id: int, lead_id: int) -> HttpResponse:
    programme, user = _programme(request, programme_id)
    lead = selectors.organisation_lead_get(programme=programme, lead_id=lead_id)
    names = {"name": lead.name, "organisation": lead.organisation.name}
    return _remove_page(
        request,
        programme,
        title=_("Remove %(name)s as the lead for %(organisation)s?") % names,
        warning=_("The audit log keeps a record that you removed them."),
        button=_("Remove lead"),
        on_confirm=lambda: services.organisation_lead_delete(lead=lead, by=user),
        done=_("Lead removed"),
        then=reverse("programmes:governance", kwargs={"programme_id": programme.pk}),
    )


@requires(MANAGE_PROGRAMMES)
def codesign_create(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme, user = _programme(request, programme_id)
    form = CoDesignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.codesign_create(programme=programme, by=user, **form.cleaned_data)
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Co-design activity added"))
            return _to("codesign-list", programme)
    return _render_form(request, programme, form, title=_("Add a co-design activity"))


@requires(MANAGE_PROGRAMMES)
def codesign_delete(request: HttpRequest, programme_id: int, activity_id: int) -> HttpResponse:
    programme, user = _programme(request, programme_id)
    activity = selectors.codesign_get(programme=programme, activity_id=activity_id)
    return _remove_page(
        request,
        programme,
        title=_("Remove this co-design activity?"),
        warning=activity.how,
        button=_("Remove activity"),
        on_confirm=lambda: services.codesign_delete(activity=activity, by=user),
        done=_("Co-design activity removed"),
        then=reverse("programmes:codesign-list", kwargs={"programme_id": programme.pk}),
    )
