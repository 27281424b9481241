"""The language checker's pages (docs/language-checker.md). Thin: the services check text and
change settings, the selectors read them, presentation marks the findings.

The text a person checks is only read: never saved, logged or put in the audit log. The pages
that take it are not cached by the browser, and Django's error reports leave it out."""

from __future__ import annotations

import json
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from tip.core import components
from tip.core.forms import show_refusal
from tip.core.models import Partnership, User
from tip.core.tenancy import TipRequest, requires
from tip.language import presentation, selectors, services
from tip.language.checker import AUDIENCES, preview
from tip.language.forms import AllowForm, CheckForm, RuleForm, SilenceForm
from tip.language.models import Language
from tip.language.roles import MANAGE_LANGUAGE_RULES, USE_LANGUAGE_CHECKER

CHECK_PAGE = "language:check"
NOT_RELEVANT = "not_relevant"


def _ctx(request: HttpRequest) -> tuple[Partnership, User]:
    req = cast(TipRequest, request)
    assert req.partnership is not None
    return req.partnership, cast(User, request.user)


def _page_language() -> str:
    return services.language_of(get_language())


def _chosen_language(request: HttpRequest) -> str:
    """The language a settings page shows: ?language=, else the page's."""
    wanted = request.POST.get("language") or request.GET.get("language")
    return services.language_of(wanted) if wanted else _page_language()


def _settings_url() -> str:
    return reverse("language:settings")


def _text_box(form: CheckForm) -> SafeString:
    """The text box, taller than the {% field %} tag draws it: a case note is long."""
    bound = form["text"]
    return components.render(
        "textarea",
        {
            "id": bound.id_for_label,
            "name": bound.html_name,
            "label": {"text": str(bound.label), "classes": "govuk-label--m"},
            "hint": {"text": str(bound.help_text)},
            "errorMessage": (
                {"text": " ".join(str(e) for e in bound.errors), "visuallyHiddenText": _("Error")}
                if bound.errors
                else None
            ),
            "value": bound.value() or "",
            "rows": 12,
            "spellcheck": True,
        },
    )


# --- Checking ----------------------------------------------------------------------------------


@requires(USE_LANGUAGE_CHECKER)
@sensitive_post_parameters("text")
@never_cache
def check_page(request: HttpRequest) -> HttpResponse:
    """Paste text, see each finding marked and explained, with what to write instead. A
    finding's "Not relevant here" button sends the text again with the rule: the rule's count
    goes up by one, and the same results are shown."""
    partnership, user = _ctx(request)
    form = CheckForm(
        request.POST if request.method == "POST" else None,
        initial={"language": _page_language(), "audience": "all"},
    )
    context: dict[str, Any] = {"form": form, "checked": False}
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        language = form.cleaned_data["language"]
        audience = form.cleaned_data["audience"]
        reported = request.POST.get(NOT_RELEVANT, "")
        if reported:
            try:
                services.feedback_record(
                    partnership=partnership,
                    by=user,
                    rule=reported,
                    where=CHECK_PAGE,
                    language=language,
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                reported = ""
        findings = services.findings_for(
            text, partnership=partnership, language=language, audience=audience
        )
        flagged = presentation.shown(f for f in findings if not f.quoted)
        result = presentation.preview_html(preview(text, findings))
        context |= {
            "checked": True,
            "language": language,
            "marked": presentation.marked_text(text, flagged),
            "findings": flagged,
            "quoted": [f for f in findings if f.quoted],
            "preview": result,
            "reported": reported,
        }
    context["text_box"] = _text_box(form)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "language/check.html", context, status=status)


def _safe_next(request: HttpRequest, fallback: str) -> str:
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return fallback


@requires(USE_LANGUAGE_CHECKER)
@require_POST
def feedback(request: HttpRequest) -> HttpResponse:
    """Count one "not relevant here" for a rule (``rule``, ``where``: the page or form's URL
    name, ``language``), then go back to ``next``. No text is sent or stored."""
    partnership, user = _ctx(request)
    back = _safe_next(request, reverse(CHECK_PAGE))
    try:
        services.feedback_record(
            partnership=partnership,
            by=user,
            rule=request.POST.get("rule"),
            where=request.POST.get("where"),
            language=request.POST.get("language") or _page_language(),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Thank you. The partnership will see that this rule was not relevant here."),
        )
    return HttpResponseRedirect(back)


@requires(USE_LANGUAGE_CHECKER)
@require_POST
@sensitive_post_parameters("text")
def check_json(request: HttpRequest) -> JsonResponse:
    """The live hints' JSON (same as the API's check): a signed-in member's session, with the
    CSRF token. Takes a JSON object or a form: ``text``, and optionally ``language`` (the
    page's if left out) and ``audience``."""
    partnership, _user = _ctx(request)
    body: Any
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            return JsonResponse({"detail": _("Send a JSON object with the text.")}, status=400)
        if not isinstance(body, dict):
            return JsonResponse({"detail": _("Send a JSON object with the text.")}, status=400)
    else:
        body = request.POST
    text = body.get("text", "")
    if not isinstance(text, str):
        return JsonResponse({"detail": _("Send the text as a string.")}, status=422)
    if len(text) > services.MAX_TEXT:
        return JsonResponse(
            {
                "detail": _("The text is too long: check %(max)s characters or fewer at a time.")
                % {"max": f"{services.MAX_TEXT:,}"}
            },
            status=422,
        )
    audience = str(body.get("audience") or "all")
    if audience not in AUDIENCES:
        audience = "all"
    if body.get("language"):
        language = services.language_of(str(body.get("language")))
        findings = services.findings_for(
            text, partnership=partnership, language=language, audience=audience
        )
    else:
        # The live hints: the text may be in Welsh or English on a Welsh page.
        language = services.language_of(_page_language())
        findings = services.findings_for_page(
            text, partnership=partnership, page_language=language, audience=audience
        )
    return JsonResponse(
        presentation.check_json(text, findings, language=language, audience=audience),
        headers={"Cache-Control": "no-store"},
    )


# --- The rules ---------------------------------------------------------------------------------


@requires(USE_LANGUAGE_CHECKER)
@require_GET
def rules(request: HttpRequest) -> HttpResponse:
    """Every rule TIP ships for a language, with why, what to write instead and the source;
    the partnership's own rules and the rules it silenced are marked."""
    partnership, _user = _ctx(request)
    language = _chosen_language(request)
    silenced = {s.rule_id: s for s in selectors.silenced_rules(partnership, language)}
    own = set(selectors.partnership_rules(partnership, language).values_list("rule_id", flat=True))
    manage = MANAGE_LANGUAGE_RULES in cast(TipRequest, request).capabilities
    rows = [
        {
            "rule": rule,
            "category": presentation.category_label(rule.category),
            "severity": presentation.severity_label(rule.severity),
            "applies_to": presentation.applies_to_label(rule.applies_to),
            "suggestions": [presentation.suggestion_html(s) for s in rule.suggestions],
            "silenced": silenced.get(rule.id),
            "replaced": rule.id in own,
        }
        for rule in selectors.shipped_rules(language)
    ]
    return render(
        request,
        "language/rules.html",
        {
            "language": language,
            "languages": Language.choices,
            "rows": rows,
            "manage": manage,
        },
    )


# --- Settings ----------------------------------------------------------------------------------


@requires(MANAGE_LANGUAGE_RULES)
@require_GET
def settings_page(request: HttpRequest) -> HttpResponse:
    partnership, _user = _ctx(request)
    silenced = list(selectors.silenced_rules(partnership))
    quiet = {(s.language, s.rule_id) for s in silenced}
    counts = []
    for c in selectors.feedback_counts(partnership):
        shipped = c.rule_id in selectors.shipped_rule_ids(c.language)
        # One of TIP's rules, still flagging: it can be silenced from here.
        counts.append(
            {
                "count": c,
                "shipped": shipped,
                "can_silence": shipped and (c.language, c.rule_id) not in quiet,
            }
        )
    return render(
        request,
        "language/settings.html",
        {
            "own_rules": [
                {
                    "rule": r,
                    "category": presentation.category_label(r.category),
                    "severity": presentation.severity_label(r.severity),
                }
                for r in selectors.partnership_rules(partnership)
            ],
            "silenced": silenced,
            "allowed": list(selectors.allowed_phrases(partnership)),
            "counts": counts,
            "recent_days": selectors.RECENT_DAYS,
        },
    )


def _rule_form_page(
    request: HttpRequest, form: RuleForm, title: str, rule: Any = None
) -> HttpResponse:
    return render(
        request,
        "language/rule_form.html",
        {"form": form, "title": title, "rule": rule},
        status=400 if form.is_bound and form.errors else 200,
    )


@requires(MANAGE_LANGUAGE_RULES)
def rule_create(request: HttpRequest) -> HttpResponse:
    partnership, user = _ctx(request)
    form = RuleForm(
        request.POST if request.method == "POST" else None,
        initial={"language": _page_language(), "applies_to": "all", "severity": "warning"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.partnership_rule_create(partnership=partnership, by=user, **form.cleaned_data)
        except ValidationError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, _("Rule added. Checks in the partnership now use it."))
            return HttpResponseRedirect(_settings_url())
    return _rule_form_page(request, form, _("Add a language rule"))


@requires(MANAGE_LANGUAGE_RULES)
def rule_edit(request: HttpRequest, partnership_rule_id: int) -> HttpResponse:
    partnership, user = _ctx(request)
    rule = selectors.partnership_rule_get(
        partnership=partnership, partnership_rule_id=partnership_rule_id
    )
    form = RuleForm(
        request.POST if request.method == "POST" else None, initial=RuleForm.initial_for(rule)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.partnership_rule_update(rule=rule, by=user, **form.cleaned_data)
        except ValidationError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, _("Rule saved."))
            return HttpResponseRedirect(_settings_url())
    return _rule_form_page(request, form, _("Change a language rule"), rule)


def _confirm_page(
    request: HttpRequest, *, title: str, what: str, button: str, refusal: str = ""
) -> HttpResponse:
    return render(
        request,
        "language/confirm.html",
        {"title": title, "what": what, "button": button, "refusal": refusal},
        status=400 if refusal else 200,
    )


@requires(MANAGE_LANGUAGE_RULES)
def rule_remove(request: HttpRequest, partnership_rule_id: int) -> HttpResponse:
    partnership, user = _ctx(request)
    rule = selectors.partnership_rule_get(
        partnership=partnership, partnership_rule_id=partnership_rule_id
    )
    if request.method == "POST":
        services.partnership_rule_delete(rule=rule, by=user)
        messages.success(request, _("Rule removed."))
        return HttpResponseRedirect(_settings_url())
    return _confirm_page(
        request,
        title=_("Remove the rule “%(id)s”?") % {"id": rule.rule_id},
        what=_("Checks in the partnership will no longer use it. Its feedback counts are kept."),
        button=_("Remove the rule"),
    )


@requires(MANAGE_LANGUAGE_RULES)
def silence(request: HttpRequest) -> HttpResponse:
    """Silence one of TIP's rules for the partnership, with a reason (``?rule=`` chooses it)."""
    partnership, user = _ctx(request)
    language = _chosen_language(request)
    silenced = set(
        selectors.silenced_rules(partnership, language).values_list("rule_id", flat=True)
    )
    form = SilenceForm(
        request.POST if request.method == "POST" else None,
        language=language,
        silenced=silenced,
        initial={"rule_id": request.GET.get("rule", "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.shipped_rule_silence(
                partnership=partnership, by=user, language=language, **form.cleaned_data
            )
        except ValidationError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, _("Rule silenced. Checks in the partnership skip it."))
            return HttpResponseRedirect(_settings_url())
    return render(
        request,
        "language/silence.html",
        {"form": form, "language": language, "languages": Language.choices},
        status=400 if form.is_bound and form.errors else 200,
    )


@requires(MANAGE_LANGUAGE_RULES)
def restore(request: HttpRequest, silenced_rule_id: int) -> HttpResponse:
    partnership, user = _ctx(request)
    silenced = selectors.silenced_rule_get(
        partnership=partnership, silenced_rule_id=silenced_rule_id
    )
    if request.method == "POST":
        services.shipped_rule_restore(silenced=silenced, by=user)
        messages.success(request, _("Rule restored."))
        return HttpResponseRedirect(_settings_url())
    return _confirm_page(
        request,
        title=_("Use the rule “%(id)s” again?") % {"id": silenced.rule_id},
        what=_("Checks in the partnership will flag its wording again."),
        button=_("Use the rule again"),
    )


@requires(MANAGE_LANGUAGE_RULES)
def allow(request: HttpRequest) -> HttpResponse:
    partnership, user = _ctx(request)
    form = AllowForm(
        request.POST if request.method == "POST" else None,
        initial={"language": _page_language()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.phrase_allow(partnership=partnership, by=user, **form.cleaned_data)
        except ValidationError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, _("Phrase allowed. Checks in the partnership never flag it."))
            return HttpResponseRedirect(_settings_url())
    return render(
        request,
        "language/allow.html",
        {"form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@requires(MANAGE_LANGUAGE_RULES)
def disallow(request: HttpRequest, allowed_phrase_id: int) -> HttpResponse:
    partnership, user = _ctx(request)
    allowed = selectors.allowed_phrase_get(
        partnership=partnership, allowed_phrase_id=allowed_phrase_id
    )
    if request.method == "POST":
        services.phrase_disallow(allowed=allowed, by=user)
        messages.success(request, _("The phrase is no longer allowed."))
        return HttpResponseRedirect(_settings_url())
    return _confirm_page(
        request,
        title=_("Stop allowing “%(phrase)s”?") % {"phrase": allowed.phrase},
        what=_("Checks in the partnership will flag these words again where a rule finds them."),
        button=_("Stop allowing it"),
    )
