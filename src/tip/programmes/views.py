"""Programme pages: thin views over the selectors and services."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from tip.core import components, purposes
from tip.core.audit import audit_view
from tip.core.forms import show_refusal
from tip.core.models import Partnership, User
from tip.core.tenancy import TipRequest, requires
from tip.programmes import analysis, selectors, services
from tip.programmes.forms import (
    ElementForm,
    IndicatorForm,
    LibraryOutcomesForm,
    LinkForm,
    NoteForm,
    ProgrammeForm,
    QuestionForm,
)
from tip.programmes.models import ElementKind, EvidenceRating, Horizon, Level, Programme
from tip.programmes.outcome_library import load_outcomes
from tip.programmes.outcome_measures import outcome_measures
from tip.programmes.roles import MANAGE_PROGRAMMES, VIEW_PROGRAMMES


def _ctx(request: HttpRequest) -> tuple[Partnership, User]:
    req = cast(TipRequest, request)
    assert req.partnership is not None
    return req.partnership, cast(User, request.user)


def _can_manage(request: HttpRequest) -> bool:
    return MANAGE_PROGRAMMES in cast(TipRequest, request).capabilities


@requires(VIEW_PROGRAMMES)
def programme_list(request: HttpRequest) -> HttpResponse:
    partnership, _user = _ctx(request)
    return render(
        request,
        "programmes/programme_list.html",
        {
            "programmes": selectors.programme_list(partnership=partnership),
            "can_manage": _can_manage(request),
        },
    )


@requires(MANAGE_PROGRAMMES)
def programme_create(request: HttpRequest) -> HttpResponse:
    partnership, user = _ctx(request)
    form = ProgrammeForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        programme = services.programme_create(partnership=partnership, by=user, **form.cleaned_data)
        messages.success(request, _("%(name)s created") % {"name": programme.name})
        return redirect("programmes:programme-detail", programme_id=programme.pk)
    return render(request, "programmes/programme_form.html", {"form": form})


@requires(VIEW_PROGRAMMES, personal_data=purposes.PROGRAMME_OWNER)
def programme_detail(request: HttpRequest, programme_id: int) -> HttpResponse:
    partnership, user = _ctx(request)
    programme = selectors.programme_get(partnership=partnership, programme_id=programme_id)
    toc = selectors.theory_of_change(programme=programme)
    measures = outcome_measures(programme)
    for element in toc.elements:
        element.measured_by = measures.get(element.pk, [])  # type: ignore[attr-defined]
    details = selectors.programme_details(programme=programme)
    if details.sro is not None or programme.sro_name:
        audit_view(
            actor=user,
            obj=programme,
            partnership=partnership,
            purpose=purposes.PROGRAMME_OWNER,
        )
    return render(
        request,
        "programmes/programme_detail.html",
        {
            "programme": programme,
            "can_manage": _can_manage(request),
            "toc": toc,
            "details": details,
            "chain": toc.chain(),
            "levels": dict(Level.choices),
            # Drawn by the analysis package, which escapes every title it writes.
            "diagram": mark_safe(  # noqa: S308
                analysis.render_svg(selectors.graph_of(toc), labels=diagram_labels())
            ),
        },
    )


def diagram_labels() -> dict[str, str]:
    """The words the diagram shows, in the reader's language (its keys are the diagram's)."""
    return {
        "title": _("Theory of Change"),
        "summary": _(
            "Activities: %(activities)s. Outputs: %(outputs)s. Outcomes: %(outcomes)s. "
            "Links: %(links)s."
        ),
        "link": _("“%(source)s” leads to “%(target)s” (evidence: %(rating)s)."),
        "activities": _("Activities"),
        "outputs": _("Outputs"),
        "short": _("Short-term outcomes"),
        "medium": _("Medium-term outcomes"),
        "long": _("Long-term outcomes"),
        "delivery": _("Activities and outputs"),
        **{value: str(label) for value, label in Level.choices},
        "unplaced": _("Outcomes without a level"),
        "legend": _("Evidence for each link"),
        **{value: str(label) for value, label in EvidenceRating.choices},
    }


# --- The Theory of Change ------------------------------------------------------------------------


def _programme(request: HttpRequest, programme_id: int) -> tuple[Programme, User]:
    partnership, user = _ctx(request)
    return selectors.programme_get(partnership=partnership, programme_id=programme_id), user


def _to_detail(programme: Programme, anchor: str = "") -> HttpResponse:
    url = reverse("programmes:programme-detail", kwargs={"programme_id": programme.pk})
    return HttpResponseRedirect(url + (f"#{anchor}" if anchor else ""))


_refused = show_refusal


def _render_form(
    request: HttpRequest,
    programme: Programme,
    form: forms.Form,
    *,
    title: str,
    caption: str = "",
    fields: list[str] | None = None,
    button: str = "",
) -> HttpResponse:
    return render(
        request,
        "programmes/toc_form.html",
        {
            "programme": programme,
            "form": form,
            "title": title,
            "caption": caption or programme.name,
            "fields": [form[name] for name in (fields or list(form.fields))],
            "button": button or _("Save"),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _remove_page(
    request: HttpRequest,
    programme: Programme,
    *,
    title: str,
    warning: str,
    button: str,
    on_confirm: Any,
    done: str,
    then: str = "",
) -> HttpResponse:
    """Confirm and remove; afterwards go to `then` (a URL), or the programme page."""
    error = None
    if request.method == "POST":
        try:
            on_confirm()
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, done)
            return HttpResponseRedirect(then) if then else _to_detail(programme)
    return render(
        request,
        "programmes/toc_remove.html",
        {
            "programme": programme,
            "title": title,
            "warning": warning,
            "button": button,
            "error": error,
        },
        status=400 if error else 200,
    )


@requires(MANAGE_PROGRAMMES)
def element_create(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme, user = _programme(request, programme_id)
    form = ElementForm(request.POST or None, initial={"kind": request.GET.get("kind")})
    if request.method == "POST" and form.is_valid():
        try:
            element = services.element_create(programme=programme, by=user, **form.cleaned_data)
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("%(title)s added") % {"title": element.title})
            return _to_detail(programme, "elements")
    return _render_form(request, programme, form, title=_("Add an element"))


def _library_choices(
    lang: str, used: set[str]
) -> tuple[list[tuple[str, str]], list[dict[str, Any]]]:
    """The outcomes library as form choices and as checkbox items, in the reader's language,
    leaving out the ones the programme already has. Outcomes the Early Intervention
    Foundation's standards rate as plausible carry a tag."""
    levels = dict(Level.choices)
    horizons = dict(Horizon.choices)
    choices, items = [], []
    for outcome in load_outcomes():
        if outcome.code in used:
            continue
        title = outcome.title(lang)
        choices.append((outcome.code, title))
        text = format_html("{}", title)
        if outcome.eif_plausible:
            tag = components.render(
                "tag", {"text": _("EIF: plausible"), "classes": "govuk-tag--green"}
            )
            text = format_html("{} {}", title, tag)
        items.append(
            {
                "value": outcome.code,
                "html": text,
                "hint": {
                    "text": _("%(level)s, %(horizon)s")
                    % {
                        "level": levels.get(outcome.level, outcome.level),
                        "horizon": str(horizons.get(outcome.horizon, outcome.horizon)).lower(),
                    }
                },
            }
        )
    return choices, items


@requires(MANAGE_PROGRAMMES)
def outcome_library(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme, user = _programme(request, programme_id)
    lang = get_language() or "en"
    used = selectors.outcome_codes_used(programme=programme)
    choices, items = _library_choices(lang, used)
    form = LibraryOutcomesForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["outcomes"])
        with transaction.atomic():
            added = [
                services.element_create(
                    programme=programme,
                    kind=ElementKind.OUTCOME,
                    title=o.title(lang),
                    level=o.level,
                    horizon=o.horizon,
                    outcome_code=o.code,
                    by=user,
                )
                for o in load_outcomes()
                if o.code in chosen
            ]
        messages.success(
            request,
            ngettext("%(count)s outcome added", "%(count)s outcomes added", len(added))
            % {"count": len(added)},
        )
        return _to_detail(programme, "outcomes")
    selected = set(form["outcomes"].value() or []) if form.is_bound else set()
    for item in items:
        item["checked"] = item["value"] in selected
    errors = form.errors.get("outcomes")
    return render(
        request,
        "programmes/outcome_library.html",
        {
            "programme": programme,
            "form": form,
            "items": items,
            "used": len(used),
            "fieldset": {
                "legend": {
                    "text": _("Choose the outcomes to add"),
                    "classes": "govuk-fieldset__legend--m",
                }
            },
            "hint": {"text": _("Select all that apply.")},
            "error_message": (
                {"text": " ".join(str(e) for e in errors), "visuallyHiddenText": _("Error")}
                if errors
                else None
            ),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@requires(MANAGE_PROGRAMMES)
def element_edit(request: HttpRequest, programme_id: int, element_id: int) -> HttpResponse:
    programme, user = _programme(request, programme_id)
    element = selectors.element_get(programme=programme, element_id=element_id)
    initial = {
        "title": element.title,
        "description": element.description,
        "level": element.level,
        "horizon": element.horizon,
    }
    form = ElementForm(request.POST or None, element=element, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.element_update(element=element, by=user, **form.cleaned_data)
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Changes saved"))
            return _to_detail(programme, "elements")
    return _render_form(
        request,
        programme,
        form,
        title=_("Change %(kind)s") % {"kind": element.get_kind_display().lower()},
        caption=element.title,
    )


@requires(MANAGE_PROGRAMMES)
def element_delete(request: HttpRequest, programme_id: int, element_id: int) -> HttpResponse:
    programme, user = _programme(request, programme_id)
    element = selectors.element_get(programme=programme, element_id=element_id)
    return _remove_page(
        request,
        programme,
        title=_("Remove '%(title)s'?") % {"title": element.title},
        warning=_(
            "Its links, notes and indicators will be removed with it. The audit log keeps a "
            "record that you removed it."
        ),
        button=_("Remove element"),
        on_confirm=lambda: services.element_delete(element=element, by=user),
        done=_("%(title)s removed") % {"title": element.title},
    )


@requires(MANAGE_PROGRAMMES)
def link_create(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme, user = _programme(request, programme_id)
    elements = selectors.in_chain_order(list(selectors.element_list(programme=programme)))
    form = LinkForm(request.POST or None, elements=elements)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.link_create(
                programme=programme,
                source=form.elements.get(data.pop("source")),
                target=form.elements.get(data.pop("target")),
                by=user,
                **data,
            )
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Link added"))
            return _to_detail(programme, "links")
    return _render_form(request, programme, form, title=_("Add a link"))


@requires(MANAGE_PROGRAMMES)
def link_delete(request: HttpRequest, programme_id: int, link_id: int) -> HttpResponse:
    programme, user = _programme(request, programme_id)
    link = selectors.link_get(programme=programme, link_id=link_id)
    names = {"source": link.source.title, "target": link.target.title}
    return _remove_page(
        request,
        programme,
        title=_("Remove the link from '%(source)s' to '%(target)s'?") % names,
        warning=_("Its notes will be removed with it. The audit log keeps a record."),
        button=_("Remove link"),
        on_confirm=lambda: services.link_delete(link=link, by=user),
        done=_("Link removed"),
    )


def _note_page(
    request: HttpRequest, programme: Programme, user: User, **about: Any
) -> HttpResponse:
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.note_create(programme=programme, by=user, **about, **form.cleaned_data)
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Note added"))
            return _to_detail(programme, "notes")
    subject = about.get("element") or about.get("link")
    return _render_form(
        request,
        programme,
        form,
        title=_("Add an assumption, barrier or enabler"),
        caption=str(subject),
    )


@requires(MANAGE_PROGRAMMES)
def element_note_create(request: HttpRequest, programme_id: int, element_id: int) -> HttpResponse:
    programme, user = _programme(request, programme_id)
    element = selectors.element_get(programme=programme, element_id=element_id)
    return _note_page(request, programme, user, element=element)


@requires(MANAGE_PROGRAMMES)
def link_note_create(request: HttpRequest, programme_id: int, link_id: int) -> HttpResponse:
    programme, user = _programme(request, programme_id)
    link = selectors.link_get(programme=programme, link_id=link_id)
    return _note_page(request, programme, user, link=link)


@requires(MANAGE_PROGRAMMES)
def note_delete(request: HttpRequest, programme_id: int, note_id: int) -> HttpResponse:
    programme, user = _programme(request, programme_id)
    note = selectors.note_get(programme=programme, note_id=note_id)
    return _remove_page(
        request,
        programme,
        title=_("Remove this %(kind)s?") % {"kind": note.get_kind_display().lower()},
        warning=note.text,
        button=_("Remove note"),
        on_confirm=lambda: services.note_delete(note=note, by=user),
        done=_("Note removed"),
    )


@requires(MANAGE_PROGRAMMES)
def indicator_create(request: HttpRequest, programme_id: int, element_id: int) -> HttpResponse:
    programme, user = _programme(request, programme_id)
    outcome = selectors.element_get(programme=programme, element_id=element_id)
    if outcome.kind != ElementKind.OUTCOME:
        raise Http404("Only outcomes have indicators.")
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_create(outcome=outcome, by=user, **form.cleaned_data)
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Indicator added"))
            return _to_detail(programme, "indicators")
    return _render_form(
        request, programme, form, title=_("Add an indicator"), caption=outcome.title
    )


@requires(MANAGE_PROGRAMMES)
def indicator_delete(request: HttpRequest, programme_id: int, indicator_id: int) -> HttpResponse:
    programme, user = _programme(request, programme_id)
    indicator = selectors.indicator_get(programme=programme, indicator_id=indicator_id)
    return _remove_page(
        request,
        programme,
        title=_("Remove the indicator '%(what)s'?") % {"what": indicator.what},
        warning=_("The audit log keeps a record that you removed it."),
        button=_("Remove indicator"),
        on_confirm=lambda: services.indicator_delete(indicator=indicator, by=user),
        done=_("Indicator removed"),
    )


# --- Evaluation questions ------------------------------------------------------------------------


def _proposal(programme: Programme, key: str) -> analysis.Proposal:
    for proposal in selectors.open_proposals(programme=programme, gettext=_):
        if proposal.key == key:
            return proposal
    raise Http404("No open proposal with this key.")


@requires(VIEW_PROGRAMMES)
def question_list(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme, _user = _programme(request, programme_id)
    graph = selectors.toc_graph(programme=programme)
    return render(
        request,
        "programmes/question_list.html",
        {
            "programme": programme,
            "proposals": selectors.open_proposals(programme=programme, gettext=_, graph=graph),
            "warnings": analysis.warnings(graph, gettext=_),
            "questions": selectors.question_list(programme=programme),
            "can_manage": _can_manage(request),
        },
    )


@requires(MANAGE_PROGRAMMES)
def question_decide(request: HttpRequest, programme_id: int, proposal_key: str) -> HttpResponse:
    """A proposed question: edit and accept it (GET shows the form), or accept or dismiss it."""
    programme, user = _programme(request, programme_id)
    proposal = _proposal(programme, proposal_key)
    proposed = proposal.text
    data = request.POST.copy() if request.method == "POST" else None
    if data is not None and "text" not in data:
        data["text"] = proposed  # "Accept" on the list: the question as proposed
    form = QuestionForm(data, initial={"text": proposed})
    if request.method == "POST":
        decision = request.POST.get("decision", "accept")
        try:
            if decision == "dismiss":
                services.question_dismiss(
                    programme=programme, proposal_key=proposal.key, text=proposed, by=user
                )
                messages.success(request, _("Question dismissed. It will not be proposed again."))
                return redirect("programmes:question-list", programme_id=programme.pk)
            if form.is_valid():
                services.question_accept(
                    programme=programme,
                    proposal_key=proposal.key,
                    text=form.cleaned_data["text"],
                    by=user,
                )
                messages.success(request, _("Question accepted"))
                return redirect("programmes:question-list", programme_id=programme.pk)
        except ValidationError as exc:
            _refused(form, exc)
    return render(
        request,
        "programmes/question_form.html",
        {"programme": programme, "form": form, "reason": proposal.reason},
        status=400 if form.is_bound and form.errors else 200,
    )
