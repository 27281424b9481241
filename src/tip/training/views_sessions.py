"""Venue and session pages: thin views over the session selectors and services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tip.core.audit import audit_view
from tip.core.forms import show_refusal
from tip.core.models import Membership, Partnership, Sector, User
from tip.core.tenancy import TipRequest, requires
from tip.programmes.models import WorkforceGroup
from tip.training import selectors_sessions as selectors
from tip.training import services_sessions as services
from tip.training.analysis.sessions import to_london
from tip.training.forms_sessions import (
    CancelForm,
    PartForm,
    SessionForm,
    TrainerAccountForm,
    TrainerAddForm,
    VenueForm,
)
from tip.training.models_sessions import Session, SessionFormat, SessionStatus, Venue
from tip.training.purposes_sessions import SESSION_TRAINERS, TRAINER_ACCOUNT
from tip.training.roles import MANAGE_TRAINING, VIEW_TRAINING
from tip.training.selectors_bookings import reconfirm_days_of

SESSIONS_PER_PAGE = 50


def _ctx(request: HttpRequest) -> tuple[Partnership, User]:
    req = cast(TipRequest, request)
    assert req.partnership is not None
    return req.partnership, cast(User, request.user)


def _can_manage(request: HttpRequest) -> bool:
    return MANAGE_TRAINING in cast(TipRequest, request).capabilities


def _session(request: HttpRequest, session_id: int) -> tuple[Session, User]:
    partnership, user = _ctx(request)
    return selectors.session_get(partnership=partnership, session_id=session_id), user


def _to_session(session: Session, anchor: str = "") -> HttpResponse:
    url = reverse("training:session-detail", kwargs={"session_id": session.pk})
    return HttpResponseRedirect(url + (f"#{anchor}" if anchor else ""))


def _session_url(session: Session) -> str:
    return reverse("training:session-detail", kwargs={"session_id": session.pk})


def _refused(form: forms.Form, exc: ValidationError) -> None:
    show_refusal(form, exc, rename={"version_number": "version"})


def _form_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    title: str,
    caption: str,
    back: str,
    button: str = "",
    intro: str = "",
) -> HttpResponse:
    return render(
        request,
        "training/session_form.html",
        {
            "form": form,
            "title": title,
            "caption": caption,
            "back": back,
            "intro": intro,
            "button": button or _("Save"),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _action_page(
    request: HttpRequest,
    *,
    title: str,
    caption: str,
    text: str,
    button: str,
    back: str,
    on_confirm: Callable[[], object],
    done: str,
    to: str,
    warning: bool = True,
) -> HttpResponse:
    errors: list[str] = []
    if request.method == "POST":
        try:
            on_confirm()
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, done)
            return HttpResponseRedirect(to)
    return render(
        request,
        "training/session_action.html",
        {
            "title": title,
            "caption": caption,
            "text": text,
            "button": button,
            "back": back,
            "errors": errors,
            "warning": warning,
        },
        status=400 if errors else 200,
    )


def _notes(request: HttpRequest, notes: list[str]) -> None:
    for note in notes:
        messages.info(request, note)


# --- Venues --------------------------------------------------------------------------------------


@require_GET
@requires(VIEW_TRAINING)
def venue_list(request: HttpRequest) -> HttpResponse:
    partnership, _user = _ctx(request)
    return render(
        request,
        "training/venue_list.html",
        {
            "venues": selectors.venue_list(partnership=partnership),
            "can_manage": _can_manage(request),
        },
    )


def _to_venues() -> HttpResponse:
    return HttpResponseRedirect(reverse("training:venue-list"))


@requires(MANAGE_TRAINING)
def venue_create(request: HttpRequest) -> HttpResponse:
    partnership, user = _ctx(request)
    form = VenueForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        try:
            venue = services.venue_create(partnership=partnership, by=user, **values)
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("%(name)s added") % {"name": venue.name})
            return _to_venues()
    return _form_page(
        request,
        form,
        title=_("Add a venue"),
        caption=_("Venues"),
        back=reverse("training:venue-list"),
        button=_("Add venue"),
    )


def _venue(request: HttpRequest, venue_id: int) -> tuple[Venue, User]:
    partnership, user = _ctx(request)
    return selectors.venue_get(partnership=partnership, venue_id=venue_id), user


@requires(MANAGE_TRAINING)
def venue_edit(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue, user = _venue(request, venue_id)
    form = VenueForm(
        request.POST or None, partnership=venue.partnership, initial=VenueForm.initial_for(venue)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.venue_update(venue=venue, by=user, **form.values())
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Changes saved"))
            return _to_venues()
    return _form_page(
        request,
        form,
        title=_("Change the venue’s details"),
        caption=venue.name,
        back=reverse("training:venue-list"),
    )


@requires(MANAGE_TRAINING)
def venue_delete(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue, user = _venue(request, venue_id)
    back = reverse("training:venue-list")
    return _action_page(
        request,
        title=_("Remove the venue “%(name)s”?") % {"name": venue.name},
        caption=_("Venues"),
        text=_("The audit log keeps a record that you removed it."),
        button=_("Remove venue"),
        back=back,
        on_confirm=lambda: services.venue_delete(venue=venue, by=user),
        done=_("Venue removed"),
        to=back,
    )


# --- Sessions ------------------------------------------------------------------------------------


def _first_start(session: Session) -> Any:
    starts = getattr(session, "first_starts", None)
    return to_london(starts) if starts else None


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _pagination(page: Page[Session], query: str) -> dict[str, Any]:
    """Previous and next links for the GOV.UK pagination component, keeping the filters."""

    def href(number: int) -> str:
        return f"?{query}&page={number}" if query else f"?page={number}"

    params: dict[str, Any] = {"landmarkLabel": _("Pages of results")}
    if page.has_previous():
        params["previous"] = {"href": href(page.previous_page_number()), "text": _("Previous")}
    if page.has_next():
        params["next"] = {"href": href(page.next_page_number()), "text": _("Next")}
    return params


@require_GET
@requires(VIEW_TRAINING)
def session_list(request: HttpRequest) -> HttpResponse:
    partnership, _user = _ctx(request)
    past = request.GET.get("when") == "past"
    course_id = _int(request.GET.get("course"))
    fmt = request.GET.get("format") or ""
    courses = list(selectors.course_choices(partnership=partnership))
    sessions = selectors.session_list(
        partnership=partnership,
        past=past,
        course_id=course_id,
        format=fmt or None,
    )
    # In pages: a partnership runs hundreds of sessions a year (see docs/benchmarks.md).
    page = Paginator(sessions, SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {
            "session": s,
            "starts": _first_start(s),
            "places_left": selectors.places_left(s),
        }
        for s in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "training/session_list.html",
        {
            "rows": rows,
            "page": page,
            "pagination": _pagination(page, query.urlencode()),
            "past": past,
            "courses": courses,
            "course_id": course_id,
            "format": fmt if fmt in SessionFormat.values else "",
            "formats": SessionFormat.choices,
            "can_manage": _can_manage(request),
        },
    )


@require_GET
@requires(VIEW_TRAINING)
def sessions_teaching(request: HttpRequest) -> HttpResponse:
    membership = cast(TipRequest, request).membership
    assert membership is not None
    sessions = selectors.sessions_taught_by(membership=membership)
    return render(
        request,
        "training/sessions_teaching.html",
        {"rows": [{"session": s, "starts": _first_start(s)} for s in sessions]},
    )


@requires(MANAGE_TRAINING)
def session_create(request: HttpRequest) -> HttpResponse:
    partnership, user = _ctx(request)
    initial: dict[str, Any] = {}
    if _int(request.GET.get("course")):
        initial["course"] = request.GET["course"]
    form = SessionForm(
        request.POST or None, partnership=partnership, with_first_part=True, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        values = form.values()
        try:
            session, notes = services.session_create(
                partnership=partnership, parts=[form.first_part()], by=user, **values
            )
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(
                request, _("Draft session added: add its trainers, then open it for booking")
            )
            _notes(request, notes)
            return _to_session(session)
    return _form_page(
        request,
        form,
        title=_("Add a session"),
        caption=_("Training sessions"),
        back=reverse("training:session-list"),
        button=_("Save as draft"),
        intro=_(
            "Times are in UK time. The session starts as a draft: people can book once you open "
            "it for booking."
        ),
    )


def _labels(codes: list[str], choices: list[tuple[str, Any]]) -> list[str]:
    names = dict(choices)
    return [str(names[c]) for c in codes if c in names]


@requires(VIEW_TRAINING, personal_data="session trainers")
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    session, user = _session(request, session_id)
    membership = cast(TipRequest, request).membership
    can_manage = _can_manage(request)
    trainers = list(session.session_trainers.all())
    upcoming = session.last_ends is None or session.last_ends > timezone.now()  # type: ignore[attr-defined]
    problems = (
        services.clearance_problems(session=session)
        if can_manage and upcoming and session.status != SessionStatus.CANCELLED
        else []
    )
    if trainers:
        audit_view(
            actor=user, obj=session, partnership=session.partnership, purpose=SESSION_TRAINERS
        )
    parts = [
        {"part": p, "when": services.when_text(p.starts_at, p.ends_at)} for p in session.parts.all()
    ]
    return render(
        request,
        "training/session_detail.html",
        {
            "session": session,
            "parts": parts,
            "trainers": trainers,
            "places_left": selectors.places_left(session),
            "show_link": selectors.can_see_online_link(session, membership),
            "problems": problems,
            "sectors": _labels(session.audience_sectors, Sector.choices),
            "groups": _labels(session.audience_groups, WorkforceGroup.choices),
            "reconfirm_days": reconfirm_days_of(session),
            "reconfirm_default": not session.reconfirm_days,
            "can_manage": can_manage,
            "editable": can_manage and session.status != SessionStatus.CANCELLED,
            "upcoming": upcoming,
            "upcoming_start": session.first_starts is None  # type: ignore[attr-defined]
            or session.first_starts > timezone.now(),  # type: ignore[attr-defined]
        },
    )


@requires(MANAGE_TRAINING)
def session_edit(request: HttpRequest, session_id: int) -> HttpResponse:
    session, user = _session(request, session_id)
    form = SessionForm(
        request.POST or None,
        partnership=session.partnership,
        session=session,
        initial=SessionForm.initial_for(session),
    )
    if request.method == "POST" and form.is_valid():
        values = form.values()
        try:
            services.session_update(session=session, by=user, **values)
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Changes saved"))
            return _to_session(session)
    return _form_page(
        request,
        form,
        title=_("Change the session’s details"),
        caption=str(session),
        back=_session_url(session),
    )


@requires(MANAGE_TRAINING)
def part_create(request: HttpRequest, session_id: int) -> HttpResponse:
    session, user = _session(request, session_id)
    form = PartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        p = form.part()
        try:
            _part, notes = services.part_add(
                session=session, day=p.day, starts=p.starts, ends=p.ends, by=user
            )
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Part added"))
            _notes(request, notes)
            return _to_session(session, "when")
    return _form_page(
        request,
        form,
        title=_("Add a part to the session"),
        caption=str(session),
        back=_session_url(session),
        button=_("Add part"),
        intro=_("A session can run over several days or half-days. Times are in UK time."),
    )


@requires(MANAGE_TRAINING)
def part_edit(request: HttpRequest, session_id: int, session_part_id: int) -> HttpResponse:
    session, user = _session(request, session_id)
    part = selectors.part_get(session=session, part_id=session_part_id)
    form = PartForm(
        request.POST or None, initial=PartForm.initial_for(part.starts_at, part.ends_at)
    )
    if request.method == "POST" and form.is_valid():
        p = form.part()
        try:
            notes = services.part_update(
                part=part, day=p.day, starts=p.starts, ends=p.ends, by=user
            )
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Changes saved"))
            _notes(request, notes)
            return _to_session(session, "when")
    return _form_page(
        request,
        form,
        title=_("Change the part’s date and times"),
        caption=str(session),
        back=_session_url(session),
        intro=_("Times are in UK time."),
    )


@requires(MANAGE_TRAINING)
def part_delete(request: HttpRequest, session_id: int, session_part_id: int) -> HttpResponse:
    session, user = _session(request, session_id)
    part = selectors.part_get(session=session, part_id=session_part_id)
    return _action_page(
        request,
        title=_("Remove the part on %(when)s?")
        % {"when": services.when_text(part.starts_at, part.ends_at)},
        caption=str(session),
        text=_("The audit log keeps a record that you removed it."),
        button=_("Remove part"),
        back=_session_url(session),
        on_confirm=lambda: services.part_delete(part=part, by=user),
        done=_("Part removed"),
        to=_session_url(session) + "#when",
    )


@requires(MANAGE_TRAINING)
def trainer_add(request: HttpRequest, session_id: int) -> HttpResponse:
    session, user = _session(request, session_id)
    form = TrainerAddForm(
        request.POST or None,
        partnership=session.partnership,
        exclude={st.trainer_id for st in session.session_trainers.all()},
    )
    if request.method == "POST" and form.is_valid():
        trainer = form.chosen_trainer()
        try:
            services.trainer_add(session=session, trainer=trainer, by=user)
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("%(name)s added") % {"name": trainer.name})
            return _to_session(session, "trainers")
    return _form_page(
        request,
        form,
        title=_("Add a trainer to the session"),
        caption=str(session),
        back=_session_url(session),
        button=_("Add trainer"),
        intro=_("A trainer cannot teach two sessions at the same time: TIP checks."),
    )


@requires(MANAGE_TRAINING)
def trainer_remove(request: HttpRequest, session_id: int, session_trainer_id: int) -> HttpResponse:
    session, user = _session(request, session_id)
    link = selectors.session_trainer_get(session=session, session_trainer_id=session_trainer_id)
    return _action_page(
        request,
        title=_("Remove %(name)s from the session?") % {"name": link.trainer.name},
        caption=str(session),
        text=_("The audit log keeps a record that you removed them."),
        button=_("Remove trainer"),
        back=_session_url(session),
        on_confirm=lambda: services.trainer_remove(link=link, by=user),
        done=_("Trainer removed"),
        to=_session_url(session) + "#trainers",
    )


@requires(MANAGE_TRAINING)
def session_publish(request: HttpRequest, session_id: int) -> HttpResponse:
    session, user = _session(request, session_id)
    return _action_page(
        request,
        title=_("Open the session for booking?"),
        caption=str(session),
        text=_(
            "People in the partnership can then book a place. Changes to its times or venue "
            "afterwards are sent to everyone booked."
        ),
        button=_("Open for booking"),
        back=_session_url(session),
        on_confirm=lambda: services.session_publish(session=session, by=user),
        done=_("The session is open for booking"),
        to=_session_url(session),
        warning=False,
    )


@requires(MANAGE_TRAINING)
def session_confirm(request: HttpRequest, session_id: int) -> HttpResponse:
    session, user = _session(request, session_id)
    return _action_page(
        request,
        title=_("Confirm the session’s trainers?"),
        caption=str(session),
        text=_(
            "TIP checks that no trainer teaches elsewhere at the same time and that each holds "
            "the clearances the venue’s setting needs on every date of the session."
        ),
        button=_("Confirm trainers"),
        back=_session_url(session),
        on_confirm=lambda: services.session_confirm(session=session, by=user),
        done=_("Trainers confirmed"),
        to=_session_url(session),
        warning=False,
    )


@requires(MANAGE_TRAINING)
def session_cancel(request: HttpRequest, session_id: int) -> HttpResponse:
    session, user = _session(request, session_id)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_cancel(session=session, reason=form.cleaned_data["reason"], by=user)
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("The session is cancelled"))
            return _to_session(session)
    return _form_page(
        request,
        form,
        title=_("Cancel the session"),
        caption=str(session),
        back=_session_url(session),
        button=_("Cancel the session"),
        intro=_("A cancelled session cannot be opened again. Everyone booked is told."),
    )


# --- Trainers' accounts --------------------------------------------------------------------------


@requires(MANAGE_TRAINING, personal_data="trainer account")
def trainer_account(request: HttpRequest, trainer_id: int) -> HttpResponse:
    partnership, user = _ctx(request)
    trainer = selectors.trainer_get(partnership=partnership, trainer_id=trainer_id)
    members: list[Membership] = list(selectors.member_choices(partnership=partnership))
    audit_view(actor=user, obj=trainer, partnership=partnership, purpose=TRAINER_ACCOUNT)
    form = TrainerAccountForm(
        request.POST or None,
        members=members,
        initial={"membership": str(trainer.membership_id or "")},
    )
    back = reverse("training:trainer-detail", kwargs={"trainer_id": trainer.pk})
    if request.method == "POST" and form.is_valid():
        try:
            services.trainer_account_set(
                trainer=trainer, membership=form.chosen_membership(), by=user
            )
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Changes saved"))
            return HttpResponseRedirect(back)
    return _form_page(
        request,
        form,
        title=_("Link %(name)s to their TIP account") % {"name": trainer.name},
        caption=trainer.provider.name,
        back=back,
        intro=_("Once linked, the trainer sees the sessions they teach under “Sessions I teach”."),
    )
