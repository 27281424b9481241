"""Qualitative coding pages (docs/evaluation-qualitative-coding.md): a plan's codebook (add,
change, retire and restore codes), the texts to code with filters, coding one text with
checkboxes, the double-coding sample, agreement between two coders, theme counts by wave and
group, and the quotes export.

For people with the code_qualitative capability. Texts are people's own words, personal data:
every page showing them (or who coded them) records a 'view' in the audit log with its purpose,
and the quotes export records an export. The coder is the person signed in; the pages never
show one coder another's codes for a text, so double-coding stays independent.
"""

from __future__ import annotations

import math
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tip.core.audit import audit_view
from tip.core.forms import show_refusal
from tip.core.models import AuditAction, Partnership, User
from tip.core.tenancy import TipRequest, requires
from tip.evaluation import exports, selectors
from tip.evaluation import selectors_coding as coding
from tip.evaluation import services_coding as services
from tip.evaluation.analysis.results import Note
from tip.evaluation.forms_coding import (
    CODED,
    UNCODED,
    AgreementForm,
    CodeForm,
    CodingForm,
    SampleForm,
    TextFilterForm,
    ThemeFilterForm,
)
from tip.evaluation.models import Code, EvaluationPlan, Group
from tip.evaluation.roles import CODE_QUALITATIVE

TEXTS_PURPOSE = "Code free-text answers and observation notes of an evaluation"
SAMPLE_PURPOSE = "Choose the texts of an evaluation's double-coding sample"
AGREEMENT_PURPOSE = "Compare two coders' coding of an evaluation's texts"
THEMES_PURPOSE = "Count the codes applied to an evaluation's texts, by wave and group"
QUOTES_PURPOSE = "Export coded quotes of an evaluation, with identifying details removed"
PER_PAGE = 50
OBSERVATIONS = "observations"


def _ctx(request: HttpRequest) -> tuple[Partnership, User]:
    req = cast(TipRequest, request)
    assert req.partnership is not None
    return req.partnership, cast(User, request.user)


def _plan(request: HttpRequest, programme_id: int) -> EvaluationPlan:
    partnership, _user = _ctx(request)
    return selectors.plan_get(partnership=partnership, programme_id=programme_id)


def _seen(request: HttpRequest, plan: EvaluationPlan, purpose: str) -> None:
    partnership, user = _ctx(request)
    audit_view(actor=user, obj=plan, partnership=partnership, purpose=purpose)


def _language() -> str:
    return get_language() or "en"


def _codebook_url(programme_id: int) -> str:
    return reverse("evaluation:coding-codebook", kwargs={"programme_id": programme_id})


def _texts_url(programme_id: int) -> str:
    return reverse("evaluation:coding-texts", kwargs={"programme_id": programme_id})


def _person(user: User) -> str:
    return user.full_name or user.email


def _note(note: str | Note) -> str:
    """A note of the pure analysis, in the reader's language."""
    if isinstance(note, Note):
        return _(note.template) % {
            k: _(v) if isinstance(v, str) else v for k, v in note.values.items()
        }
    return _(note)


# --- The codebook ------------------------------------------------------------------------------


@requires(CODE_QUALITATIVE)
@require_GET
def codebook(request: HttpRequest, programme_id: int) -> HttpResponse:
    plan = _plan(request, programme_id)
    codes = coding.codebook(plan)
    # In use: applied to a text, or the theme of other codes (retired, not removed).
    in_use = coding.codes_in_use(plan) | {c.parent_id for c in codes if c.parent_id}
    return render(
        request,
        "evaluation/coding_codebook.html",
        {
            "programme": plan.programme,
            "plan": plan,
            "rows": [
                (c, depth, c.pk in in_use, "– " * depth) for c, depth in coding.codebook_tree(codes)
            ],
        },
    )


def _themes(plan: EvaluationPlan, code: Code | None = None) -> QuerySet[Code]:
    qs = Code.objects.filter(
        plan=plan, partnership_id=plan.partnership_id, retired_at__isnull=True
    ).order_by("position", "label", "pk")
    if code is not None:
        qs = qs.exclude(pk=code.pk)
    return qs


def _code_form_page(
    request: HttpRequest, form: CodeForm, plan: EvaluationPlan, title: str, code: Code | None
) -> HttpResponse:
    return render(
        request,
        "evaluation/coding_code_form.html",
        {
            "form": form,
            "programme": plan.programme,
            "title": title,
            "code": code,
            "back": _codebook_url(plan.programme_id),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@requires(CODE_QUALITATIVE)
def code_create(request: HttpRequest, programme_id: int) -> HttpResponse:
    _partnership, user = _ctx(request)
    plan = _plan(request, programme_id)
    form = CodeForm(request.POST if request.method == "POST" else None, themes=_themes(plan))
    if request.method == "POST" and form.is_valid():
        try:
            services.code_create(plan=plan, by=user, **form.cleaned_data)
        except ValidationError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, _("Code added"))
            return HttpResponseRedirect(_codebook_url(programme_id))
    return _code_form_page(request, form, plan, _("Add a code"), None)


@requires(CODE_QUALITATIVE)
def code_edit(request: HttpRequest, code_id: int) -> HttpResponse:
    partnership, user = _ctx(request)
    code = coding.code_get(partnership=partnership, code_id=code_id)
    plan = code.plan
    form = CodeForm(
        request.POST if request.method == "POST" else None,
        themes=_themes(plan, code),
        initial=CodeForm.initial_for(code),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.code_update(code=code, by=user, **form.cleaned_data)
        except ValidationError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, _("Code saved"))
            return HttpResponseRedirect(_codebook_url(plan.programme_id))
    return _code_form_page(request, form, plan, _("Change a code"), code)


@requires(CODE_QUALITATIVE)
def code_retire(request: HttpRequest, code_id: int) -> HttpResponse:
    """Retire a code (or restore a retired one); a code nothing uses yet is deleted instead."""
    partnership, user = _ctx(request)
    code = coding.code_get(partnership=partnership, code_id=code_id)
    plan = code.plan
    back = _codebook_url(plan.programme_id)
    in_use = services.code_in_use(code)
    refusal = ""
    if request.method == "POST":
        try:
            if code.retired:
                services.code_restore(code=code, by=user)
                messages.success(request, _("Code restored"))
            elif in_use:
                services.code_retire(code=code, by=user)
                messages.success(request, _("Code retired"))
            else:
                services.code_delete(code=code, by=user)
                messages.success(request, _("Code removed"))
        except ValidationError as exc:
            refusal = " ".join(exc.messages)
        else:
            return HttpResponseRedirect(back)
    if code.retired:
        title, button = _("Restore a code"), _("Restore the code")
        what = _("“%(code)s” will be offered for coding again.") % {"code": code}
    elif in_use:
        title, button = _("Retire a code"), _("Retire the code")
        what = _(
            "“%(code)s” is in use, so it is retired rather than removed: the texts coded with "
            "it keep it, and it stays in the counts, but it is no longer offered for coding."
        ) % {"code": code}
    else:
        title, button = _("Remove a code"), _("Remove the code")
        what = _("No text has been coded with “%(code)s” yet, so it will be removed.") % {
            "code": code
        }
    return render(
        request,
        "evaluation/remove.html",
        {
            "programme": plan.programme,
            "back": back,
            "title": title,
            "what": what,
            "button": button,
            "refusal": refusal,
        },
        status=400 if refusal else 200,
    )


# --- The texts ---------------------------------------------------------------------------------


def _group_choices(found: list[coding.Text]) -> list[tuple[str, str]]:
    labels = dict(Group.choices)
    present = {t.group for t in found}
    choices: list[tuple[str, str]] = [
        (str(g), str(labels[g])) for g in (Group.TRAINED, Group.COMPARISON) if g in present
    ]
    if "" in present:
        choices.append((OBSERVATIONS, _("Observations")))
    return choices


def _filter_form(query: QueryDict, found: list[coding.Text]) -> TextFilterForm:
    # The waves that have texts (in wave order), rather than another query for every wave.
    waves = list(dict.fromkeys((t.wave_id, t.wave) for t in found if t.wave_id is not None))
    questions = [(q.key, q.label) for q in coding.questions_of(found)]
    data = query if any(k in query for k in TextFilterForm.base_fields) else None
    return TextFilterForm(data, waves=waves, groups=_group_choices(found), questions=questions)


def _filtered(
    found: list[coding.Text], form: TextFilterForm, mine: set[str], sample: set[str]
) -> list[coding.Text]:
    if not form.is_bound or not form.is_valid():
        return found
    wanted = form.cleaned_data
    out = found
    if wanted.get("wave") is not None:
        out = [t for t in out if t.wave_id == wanted["wave"]]
    if wanted.get("group"):
        group = "" if wanted["group"] == OBSERVATIONS else wanted["group"]
        out = [t for t in out if t.group == group]
    if wanted.get("status") == CODED:
        out = [t for t in out if t.key in mine]
    elif wanted.get("status") == UNCODED:
        out = [t for t in out if t.key not in mine]
    if wanted.get("question"):
        out = [t for t in out if t.question.key == wanted["question"]]
    if wanted.get("sample"):
        out = [t for t in out if t.key in sample]
    return out


def _query(form: TextFilterForm) -> str:
    if not form.is_bound or not form.is_valid():
        return ""
    values = {k: v for k, v in form.data.items() if k in form.fields and v and k != "page"}
    return urlencode(values)


@requires(CODE_QUALITATIVE, personal_data=TEXTS_PURPOSE)
@require_GET
def texts(request: HttpRequest, programme_id: int) -> HttpResponse:
    _partnership, user = _ctx(request)
    plan = _plan(request, programme_id)
    found = coding.texts(plan, language=_language())
    codings = coding.codings(plan)
    mine = coding_keys = set(codings.of(user.pk))
    sample = set(coding.sample_keys(plan))
    form = _filter_form(request.GET, found)
    shown = _filtered(found, form, mine, sample)
    page = Paginator(shown, PER_PAGE).get_page(request.GET.get("page") or 1)
    query = _query(form)
    extra = f"&{query}" if query else ""
    pagination: dict[str, Any] = {"landmarkLabel": _("Pages of texts")}
    if page.has_previous():
        pagination["previous"] = {
            "href": f"?page={page.previous_page_number()}{extra}",
            "text": _("Previous"),
        }
    if page.has_next():
        pagination["next"] = {"href": f"?page={page.next_page_number()}{extra}", "text": _("Next")}
    _seen(request, plan, TEXTS_PURPOSE)
    group_labels = dict(Group.choices)
    return render(
        request,
        "evaluation/coding_texts.html",
        {
            "programme": plan.programme,
            "plan": plan,
            "form": form,
            "page": page,
            "rows": [
                (
                    t,
                    str(group_labels.get(t.group, "")) if t.group else _("Observation"),
                    t.key in coding_keys,
                    t.key in sample,
                )
                for t in page.object_list
            ],
            "pagination": pagination,
            "total": len(found),
            "shown": len(shown),
            "coded_by_me": len(mine & {t.key for t in found}),
            "query": query,
            "has_codes": bool(coding.codebook(plan)),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@requires(CODE_QUALITATIVE, personal_data=TEXTS_PURPOSE)
def text_code(request: HttpRequest, programme_id: int, text_key: str) -> HttpResponse:
    _partnership, user = _ctx(request)
    plan = _plan(request, programme_id)
    text = coding.text_get(plan, text_key, language=_language())
    existing = coding.coding_of(plan, text.key, user)
    had = [c.pk for c in existing.codes.all()] if existing is not None else []
    offered = Code.objects.filter(plan=plan, partnership_id=plan.partnership_id).select_related(
        "parent"
    )
    offered = offered.filter(retired_at__isnull=True) | offered.filter(pk__in=had)
    offered = offered.order_by("position", "label", "pk")
    back = request.GET.get("back") or ""
    back_url = _texts_url(programme_id) + (f"?{back}" if back and "://" not in back else "")
    form = CodingForm(
        request.POST if request.method == "POST" else None,
        codes=offered,
        initial={"codes": had},
    )
    in_sample = text.key in set(coding.sample_keys(plan))
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if action in {"sample-add", "sample-remove"}:
            if action == "sample-add":
                services.sample_add(plan=plan, keys=[text.key], by=user)
                messages.success(request, _("Text added to the double-coding sample"))
            else:
                services.sample_remove(plan=plan, keys=[text.key], by=user)
                messages.success(request, _("Text taken out of the double-coding sample"))
            return HttpResponseRedirect(request.get_full_path())
        if action == "clear":
            services.coding_clear(plan=plan, text=text, coder=user)
            messages.success(request, _("Your coding of the text was removed"))
            return HttpResponseRedirect(back_url)
        if form.is_valid():
            try:
                services.coding_set(
                    plan=plan, text=text, coder=user, codes=list(form.cleaned_data["codes"])
                )
            except ValidationError as exc:
                show_refusal(form, exc)
            else:
                messages.success(request, _("Coding saved"))
                following = _next_text(plan, user, text.key, back)
                if following is None:
                    return HttpResponseRedirect(back_url)
                url = reverse(
                    "evaluation:coding-text",
                    kwargs={"programme_id": programme_id, "text_key": following},
                )
                return HttpResponseRedirect(url + (f"?{urlencode({'back': back})}" if back else ""))
    _seen(request, plan, TEXTS_PURPOSE)
    group_labels = dict(Group.choices)
    return render(
        request,
        "evaluation/coding_text.html",
        {
            "programme": plan.programme,
            "plan": plan,
            "text": text,
            "group": str(group_labels.get(text.group, "")) if text.group else _("Observation"),
            "form": form,
            "coded": existing is not None,
            "in_sample": in_sample,
            "back": back_url,
            "has_codes": offered.exists(),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _next_text(plan: EvaluationPlan, user: User, current: str, back: str) -> str | None:
    """The next text the coder has not coded, among those the list's filters (``back``) show,
    after the one just coded (then from the top); None when they have coded them all."""
    found = coding.texts(plan, language=_language())
    mine = set(coding.codings(plan).of(user.pk))
    form = _filter_form(QueryDict(back), found)
    keys = [t.key for t in _filtered(found, form, mine, set(coding.sample_keys(plan)))]
    start = keys.index(current) + 1 if current in keys else 0
    for key in keys[start:] + keys[:start]:
        if key != current and key not in mine:
            return key
    return None


# --- Double-coding and agreement ---------------------------------------------------------------


@requires(CODE_QUALITATIVE, personal_data=SAMPLE_PURPOSE)
def sample(request: HttpRequest, programme_id: int) -> HttpResponse:
    _partnership, user = _ctx(request)
    plan = _plan(request, programme_id)
    found = coding.texts(plan, language=_language())
    keys = [t.key for t in found]
    form = SampleForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if request.POST.get("action") == "clear":
            count = services.sample_remove(plan=plan, by=user)
            messages.success(
                request, _("%(count)s texts taken out of the sample") % {"count": count}
            )
            return HttpResponseRedirect(request.path)
        if form.is_valid():
            try:
                added = services.sample_random(
                    plan=plan, keys=keys, share=form.cleaned_data["share"], by=user
                )
            except ValidationError as exc:
                show_refusal(form, exc)
            else:
                messages.success(
                    request, _("%(count)s texts added to the sample") % {"count": len(added)}
                )
                return HttpResponseRedirect(request.path)
    in_sample = coding.sample_keys(plan)
    current = {t.key: t for t in found}
    codings = coding.codings(plan)
    group_labels = dict(Group.choices)
    rows = []
    for key in in_sample:
        t = current.get(key)
        if t is None:
            continue
        coders = codings.by_text.get(key, {})
        group = str(group_labels.get(t.group, "")) if t.group else _("Observation")
        rows.append((t, group, len(coders)))
    _seen(request, plan, SAMPLE_PURPOSE)
    coded_twice = sum(1 for _t, _g, n in rows if n >= 2)
    return render(
        request,
        "evaluation/coding_sample.html",
        {
            "programme": plan.programme,
            "plan": plan,
            "form": form,
            "rows": rows,
            "total": len(found),
            "share": (100 * len(rows) / len(found)) if found else 0,
            "coded_twice": coded_twice,
            "gone": len(in_sample) - len(rows),
            "sample_query": urlencode({"sample": "on"}),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _fmt(value: float | None, places: int = 2) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    return f"{value:.{places}f}"


def _pct(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{100 * value:.1f}%"


def _kappa_row(label: str, k: Any, counts: tuple[int, int, int, int] | None) -> dict[str, Any]:
    return {
        "label": label,
        "n": k.n,
        "counts": counts,
        "agreement": _pct(k.agreement),
        "kappa": _fmt(k.kappa),
        "ci": (
            f"{_fmt(k.ci_low)} to {_fmt(k.ci_high)}"
            if k.ci_low is not None and k.ci_high is not None
            else "–"
        ),
        "notes": [_note(n) for n in k.notes],
    }


@requires(CODE_QUALITATIVE, personal_data=AGREEMENT_PURPOSE)
@require_GET
def agreement(request: HttpRequest, programme_id: int) -> HttpResponse:
    plan = _plan(request, programme_id)
    found = coding.texts(plan, language=_language())
    codings = coding.codings(plan)
    in_sample = coding.sample_keys(plan)
    coders = coding.sample_coders(plan, codings, in_sample)
    choices = [(u.pk, _person(u)) for u in coders]
    bound = "first" in request.GET or "second" in request.GET
    initial = {}
    if len(coders) >= 2:
        initial = {"first": coders[0].pk, "second": coders[1].pk}
    form = AgreementForm(request.GET if bound else None, coders=choices, initial=initial)
    result = None
    chosen: dict[str, Any] = {}
    if bound and form.is_valid():
        chosen = form.cleaned_data
    elif not bound and len(coders) >= 2:
        chosen = initial
    if chosen:
        by_id = {u.pk: u for u in coders}
        codes = coding.codebook(plan)
        view = coding.agreement(
            plan,
            first=by_id[chosen["first"]],
            second=by_id[chosen["second"]],
            found=codings,
            sample=in_sample,
            current={t.key for t in found},
            codes=codes,
        )
        r = view.result
        result = {
            "first": _person(view.first),
            "second": _person(view.second),
            "n": r.n,
            "rows": [
                _kappa_row(
                    view.codes[c.code].label,  # type: ignore[index]
                    c.kappa,
                    (c.both, c.first_only, c.second_only, c.neither),
                )
                for c in r.codes
            ],
            "overall": _kappa_row(_("All codes together"), r.overall, None),
            "method": _(r.method),
            "overall_method": _(r.overall.method),
            "assumptions": [_(a) for a in r.overall.assumptions],
            "notes": [_note(n) for n in r.notes],
        }
    _seen(request, plan, AGREEMENT_PURPOSE)
    return render(
        request,
        "evaluation/coding_agreement.html",
        {
            "programme": plan.programme,
            "plan": plan,
            "form": form,
            "result": result,
            "enough_coders": len(coders) >= 2,
            "sample_size": len(in_sample),
        },
        status=400 if bound and form.errors else 200,
    )


# --- Theme counts and quotes -------------------------------------------------------------------


def _coder_choices(codings: coding.Codings) -> list[tuple[int, str]]:
    return sorted(((pk, _person(u)) for pk, u in codings.coders.items()), key=lambda c: c[1])


@requires(CODE_QUALITATIVE, personal_data=THEMES_PURPOSE)
@require_GET
def themes(request: HttpRequest, programme_id: int) -> HttpResponse:
    plan = _plan(request, programme_id)
    found = coding.texts(plan, language=_language())
    codings = coding.codings(plan)
    form = ThemeFilterForm(
        request.GET if "coder" in request.GET else None, coders=_coder_choices(codings)
    )
    coder_id = form.cleaned_data.get("coder") if form.is_bound and form.is_valid() else None
    counts = coding.theme_counts(found, codings, coding.codebook(plan), coder_id=coder_id)
    _seen(request, plan, THEMES_PURPOSE)
    return render(
        request,
        "evaluation/coding_themes.html",
        {
            "programme": plan.programme,
            "plan": plan,
            "form": form,
            "counts": counts,
            "coded": [(coding.shown(c.texts), coding.shown(c.people)) for c in counts.coded],
            "coded_total": (
                coding.shown(counts.coded_total.texts),
                coding.shown(counts.coded_total.people),
            ),
            "rows": [
                (
                    r,
                    [(coding.shown(c.texts), coding.shown(c.people)) for c in r.cells],
                    (coding.shown(r.total.texts), coding.shown(r.total.people)),
                )
                for r in counts.rows
            ],
            "small": coding.SMALL,
            "coder_query": urlencode({"coder": coder_id}) if coder_id else "",
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@requires(CODE_QUALITATIVE, personal_data=QUOTES_PURPOSE)
@require_GET
def quotes(request: HttpRequest, programme_id: int) -> StreamingHttpResponse:
    partnership, user = _ctx(request)
    plan = _plan(request, programme_id)
    found = coding.texts(plan, language=_language())
    codings = coding.codings(plan)
    coder = request.GET.get("coder") or ""
    coder_id = int(coder) if coder.isdigit() and int(coder) in codings.coder_ids else None
    rows = coding.quote_rows(
        found,
        codings,
        coding.codebook(plan),
        names=coding.known_names(plan.partnership_id),
        coder_id=coder_id,
    )
    audit_view(
        actor=user,
        obj=plan,
        partnership=partnership,
        purpose=QUOTES_PURPOSE,
        action=AuditAction.EXPORT,
    )
    response = StreamingHttpResponse(
        exports.stream_csv(iter(list(rows))), content_type="text/csv; charset=utf-8"
    )
    name = f"tip-evaluation-{plan.pk}-quotes-{timezone.now():%Y%m%d-%H%M}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
