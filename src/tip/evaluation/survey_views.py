"""The survey pages a personal link opens (docs/evaluation-surveys.md): public, no sign-in; the
link's token finds the invitation, and every page shows only that invitation's own answers.

Plain POST, redirect, GET throughout, so every page works without JavaScript. The pages follow
the language switcher's cookie; without one, the respondent's account language when they have
an account.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tip.core.models import Organisation, Sector, User
from tip.core.tenancy import public
from tip.evaluation import links
from tip.evaluation import survey_services as services
from tip.evaluation.analysis.instrument_model import (
    DONT_KNOW,
    FALSE,
    NOT_APPLICABLE,
    TRUE,
    Item,
    ScaleType,
)
from tip.evaluation.analysis.linking import InvalidCode
from tip.evaluation.codes import code_questions
from tip.evaluation.models_collection import Invitation, Response
from tip.evaluation.models_plan import WaveKind
from tip.evaluation.survey_forms import (
    NO,
    PRIOR_TRAINING,
    YES,
    AboutYouForm,
    CodeForm,
    ConsentForm,
    ItemsForm,
)
from tip.evaluation.survey_services import ABOUT_YOU, CHECK, CODE, NOT_LISTED, LinkState

SurveyView = Callable[..., HttpResponse]

_STATE_TEMPLATES = {
    LinkState.NOT_OPEN: "evaluation/survey/not_open.html",
    LinkState.CLOSED: "evaluation/survey/closed.html",
    LinkState.WITHDRAWN: "evaluation/survey/closed.html",
    LinkState.COMPLETED: "evaluation/survey/completed.html",
}


def _language(request: HttpRequest, invitation: Invitation | None) -> str:
    """The switcher's choice; else the respondent's account language; else the browser's."""
    current = get_language() or settings.LANGUAGE_CODE
    if settings.LANGUAGE_COOKIE_NAME in request.COOKIES or invitation is None:
        return current
    membership_id = invitation.respondent.membership_id
    if membership_id is None:
        return current
    chosen = (
        User.objects.filter(memberships__pk=membership_id)
        .values_list("language", flat=True)
        .first()
    )
    return chosen or current


def _private(response: HttpResponse) -> HttpResponse:
    """A personal link's pages: never cached or indexed. The referrer stays the site's
    "same-origin" (the link never leaves TIP in one); "no-referrer" would make browsers send
    "Origin: null" with the forms, which the CSRF check rightly refuses."""
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def survey_page(view: SurveyView) -> SurveyView:
    """Find the invitation for the link, choose the language and answer an unknown link with
    the same 404 page whatever the token; the view gets the invitation."""

    @wraps(view)
    def wrapped(request: HttpRequest, token: str, **kwargs: Any) -> HttpResponse:
        invitation = links.invitation_for_token(token)
        with translation.override(_language(request, invitation)):
            if invitation is None:
                response = render(request, "evaluation/survey/unknown.html", status=404)
            else:
                response = view(request, token, invitation, **kwargs)
        return _private(response)

    return public(wrapped)


def _url(name: str, token: str, **kwargs: Any) -> str:
    return reverse(f"evaluation:survey-{name}", kwargs={"token": token, **kwargs})


def _page_url(token: str, key: str) -> str:
    if key == CHECK:
        return _url("check", token)
    return _url("page", token, page=key)


def _state_page(request: HttpRequest, invitation: Invitation, state: LinkState) -> HttpResponse:
    return render(
        request,
        _STATE_TEMPLATES[state],
        {"invitation": invitation, "state": state, "withdrawn": state == LinkState.WITHDRAWN},
    )


def _consented(invitation: Invitation) -> Response | None:
    response = services.response_of(invitation)
    return response if response is not None and response.consented_at is not None else None


# --- Start, consent ------------------------------------------------------------------------------


@survey_page
@require_GET
def survey_start(request: HttpRequest, token: str, invitation: Invitation) -> HttpResponse:
    """Where the emailed link goes: the consent page the first time, then wherever the person
    stopped."""
    state = services.link_state(invitation)
    if state != LinkState.OPEN:
        return _state_page(request, invitation, state)
    response = _consented(invitation)
    if response is None:
        return HttpResponseRedirect(_url("consent", token))
    pages = services.survey_pages(invitation)
    return HttpResponseRedirect(_page_url(token, services.resume_key(pages, response)))


def _months(days: int) -> int:
    return max(1, round(days / 30.44))


@survey_page
@require_http_methods(["GET", "POST"])
def survey_consent(request: HttpRequest, token: str, invitation: Invitation) -> HttpResponse:
    state = services.link_state(invitation)
    if state != LinkState.OPEN:
        return _state_page(request, invitation, state)
    response = _consented(invitation)
    if request.method == "POST":
        form = ConsentForm(request.POST)
        if form.is_valid():
            if form.cleaned_data["agree"] == NO:
                return HttpResponseRedirect(_url("declined", token))
            response = services.give_consent(invitation)
            pages = services.survey_pages(invitation)
            return HttpResponseRedirect(_page_url(token, services.resume_key(pages, response)))
    else:
        form = ConsentForm(initial={"agree": YES} if response is not None else None)
    plan = invitation.wave.plan
    language = get_language() or settings.LANGUAGE_CODE
    instruments = services.plan_instruments(invitation)
    return render(
        request,
        "evaluation/survey/consent.html",
        {
            "form": form,
            "invitation": invitation,
            "plan": plan,
            "programme": plan.programme,
            "titles": [i.title.in_language(language) for i in instruments],
            # Questionnaires not yet tested as measures: a short note each, with their own words.
            "untested": [
                (i.title.in_language(language), i.validation_note.in_language(language).strip())
                for i in instruments
                if not i.validated
            ],
            "baseline": invitation.wave.kind == WaveKind.BASELINE,
            "delete_on": services.retention_date(invitation),
            "months": _months(plan.retention_days),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@survey_page
@require_GET
def survey_declined(request: HttpRequest, token: str, invitation: Invitation) -> HttpResponse:
    state = services.link_state(invitation)
    if state != LinkState.OPEN:
        return _state_page(request, invitation, state)
    return render(request, "evaluation/survey/declined.html", {"start": _url("consent", token)})


# --- Question pages ----------------------------------------------------------------------------


def _progress(pages: list[services.SurveyPage], key: str) -> dict[str, int]:
    keys = [p.key for p in pages]
    return {"number": keys.index(key) + 1, "total": len(keys)}


@survey_page
@require_http_methods(["GET", "POST"])
def survey_question_page(
    request: HttpRequest, token: str, invitation: Invitation, page: str
) -> HttpResponse:
    state = services.link_state(invitation)
    if state != LinkState.OPEN:
        return _state_page(request, invitation, state)
    response = _consented(invitation)
    if response is None:
        return HttpResponseRedirect(_url("consent", token))
    pages = services.survey_pages(invitation)
    found = next((p for p in pages if p.key == page), None)
    if found is None:
        raise Http404("No such page in this survey")
    changing = request.GET.get("change") == "1" or request.POST.get("change") == "1"
    after = CHECK if changing else services.next_key(pages, found.key)
    previous = services.previous_key(pages, found.key)
    back = (
        _url("check", token)
        if changing
        else (_page_url(token, previous) if previous else _url("consent", token))
    )
    language = get_language() or settings.LANGUAGE_CODE
    data = request.POST if request.method == "POST" else None
    context: dict[str, Any] = {
        "page": found,
        "back": back,
        "changing": changing,
        "progress": _progress(pages, found.key),
    }
    if found.kind == ABOUT_YOU:
        about = AboutYouForm(invitation.partnership, data, initial=_covariate_initial(response))
        if about.is_bound and about.is_valid():
            services.save_covariates(invitation, about.cleaned_data, position=after)
            return HttpResponseRedirect(_page_url(token, after))
        context |= {"form": about, "template": "evaluation/survey/about_you.html"}
    elif found.kind == CODE:
        code = CodeForm(language, data)
        if code.is_bound and code.is_valid():
            try:
                services.save_code(invitation, code.answers(), position=after)
            except InvalidCode as exc:
                for element, message in code_questions().problem_messages(exc, language).items():
                    code.add_error(element, message)
            else:
                return HttpResponseRedirect(_page_url(token, after))
        context |= {
            "form": code,
            "template": "evaluation/survey/code.html",
            "intro": code_questions().intro.in_language(language),
            "has_code": response.code_hashes is not None,
        }
    else:
        assert found.instrument is not None
        items = ItemsForm(found.items, language, data, saved=services.page_answers(response, found))
        if items.is_bound and items.is_valid():
            services.save_page(invitation, found, items.cleaned_data, position=after)
            return HttpResponseRedirect(_page_url(token, after))
        instrument = found.instrument
        context |= {
            "form": items,
            "template": "evaluation/survey/items.html",
            "instrument_title": instrument.title.in_language(language),
            "heading": (
                found.section.title.in_language(language)
                if found.section is not None
                else instrument.title.in_language(language)
            ),
            "intro": (
                found.section.intro.in_language(language)
                if found.section is not None and found.section.intro is not None
                else ""
            ),
            "instructions": (
                instrument.instructions.in_language(language)
                if found.part == 1 and instrument.instructions is not None
                else ""
            ),
        }
    form = context["form"]
    return render(
        request,
        context["template"],
        context,
        status=400 if form.is_bound and form.errors else 200,
    )


def _covariate_initial(response: Response) -> dict[str, Any]:
    saved = dict(response.covariates or {})
    if "organisation" in saved:
        saved["organisation"] = str(saved["organisation"])
    return saved


# --- Check your answers, submit, confirmation ------------------------------------------------


def _answer_text(item: Item, value: Any, language: str) -> str:
    scale = item.scale
    if value == NOT_APPLICABLE and scale.not_applicable is not None:
        return scale.not_applicable.in_language(language)
    if scale.type == ScaleType.LIKERT:
        for point in scale.points:
            if point.value == value:
                return f"{point.label.in_language(language)} ({point.value})"
    if scale.type == ScaleType.TRUE_FALSE:
        label = {TRUE: scale.true_label, FALSE: scale.false_label, DONT_KNOW: scale.dont_know_label}
        text = label.get(str(value))
        if text is not None:
            return text.in_language(language)
    if scale.type in (ScaleType.SINGLE_CHOICE, ScaleType.MULTIPLE_CHOICE):
        chosen = value if isinstance(value, list) else [value]
        labels = {o.value: o.label.in_language(language) for o in scale.options}
        return ", ".join(labels.get(str(v), str(v)) for v in chosen)
    if scale.type == ScaleType.NUMERIC and scale.unit is not None:
        return f"{value} {scale.unit.in_language(language)}"
    return str(value)


def _covariate_rows(response: Response, invitation: Invitation) -> list[tuple[str, str]]:
    saved = response.covariates or {}
    organisation = saved.get("organisation")
    if organisation == NOT_LISTED:
        organisation_text = _("My organisation is not listed")
    elif organisation is not None:
        organisation_text = (
            Organisation.objects.filter(partnership=invitation.partnership, pk=organisation)
            .values_list("name", flat=True)
            .first()
            or ""
        )
    else:
        organisation_text = ""
    sectors = dict(Sector.choices)
    trained = dict(PRIOR_TRAINING)
    years = saved.get("years_in_role")
    return [
        (_("Sector"), str(sectors.get(saved.get("sector", ""), ""))),
        (_("Role or job"), str(saved.get("role", ""))),
        (_("Years in this role"), "" if years is None else str(years)),
        (
            _("Trauma-informed training before"),
            str(trained.get(str(saved.get("prior_training", "")), "")),
        ),
        (_("Organisation"), str(organisation_text)),
    ]


def _check_sections(
    token: str, invitation: Invitation, response: Response, pages: list[services.SurveyPage]
) -> list[dict[str, Any]]:
    language = get_language() or settings.LANGUAGE_CODE
    sections: list[dict[str, Any]] = []
    for page in pages:
        href = _page_url(token, page.key) + "?change=1"
        if page.kind == ABOUT_YOU:
            rows = _covariate_rows(response, invitation)
            title = _("About you")
        elif page.kind == CODE:
            answered = response.code_hashes is not None
            rows = [(_("Your code questions"), _("Answered") if answered else "")]
            title = _("Your anonymous code")
        else:
            assert page.instrument is not None
            saved = services.page_answers(response, page)
            rows = [
                (
                    item.text.in_language(language),
                    _answer_text(item, saved[item.id], language) if item.id in saved else "",
                )
                for item in page.items
            ]
            title = (
                page.section.title.in_language(language)
                if page.section is not None
                else page.instrument.title.in_language(language)
            )
        sections.append(
            {
                "title": title,
                "rows": [
                    {"key": key, "value": value or _("Not answered"), "href": href}
                    for key, value in rows
                ],
            }
        )
    return sections


@survey_page
@require_http_methods(["GET", "POST"])
def survey_check(request: HttpRequest, token: str, invitation: Invitation) -> HttpResponse:
    state = services.link_state(invitation)
    if state != LinkState.OPEN:
        return _state_page(request, invitation, state)
    response = _consented(invitation)
    if response is None:
        return HttpResponseRedirect(_url("consent", token))
    if request.method == "POST":
        services.submit(invitation)
        return HttpResponseRedirect(_url("done", token))
    pages = services.survey_pages(invitation)
    previous = services.previous_key(pages, CHECK)
    return render(
        request,
        "evaluation/survey/check.html",
        {
            "sections": _check_sections(token, invitation, response, pages),
            "back": _page_url(token, previous) if previous else _url("consent", token),
        },
    )


@survey_page
@require_GET
def survey_done(request: HttpRequest, token: str, invitation: Invitation) -> HttpResponse:
    if services.link_state(invitation) != LinkState.COMPLETED:
        return HttpResponseRedirect(_url("start", token))
    return render(request, "evaluation/survey/done.html", {"invitation": invitation})
