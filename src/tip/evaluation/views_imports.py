"""Importing responses, and ARTIC scores, from a file: upload, map the columns, preview and
commit (docs/evaluation-imports.md). Thin views over services_imports."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tip.core.models import Partnership, User
from tip.core.tenancy import TipRequest, requires
from tip.evaluation import imports, selectors
from tip.evaluation import services_imports as services
from tip.evaluation.forms_imports import ArticImportForm, ColumnsForm, ResponseImportForm
from tip.evaluation.imports import ImportFileError
from tip.evaluation.models import EvaluationPlan, Wave
from tip.evaluation.roles import PLAN_EVALUATIONS
from tip.evaluation.services import instrument_title


def _ctx(request: HttpRequest) -> tuple[Partnership, User]:
    req = cast(TipRequest, request)
    assert req.partnership is not None
    return req.partnership, cast(User, request.user)


def _plan_url(plan: EvaluationPlan) -> str:
    return reverse("evaluation:plan", kwargs={"programme_id": plan.programme_id})


def _read(form: ResponseImportForm | ArticImportForm) -> imports.Table | None:
    upload = form.cleaned_data["file"]
    try:
        return imports.read_table(upload.read(imports.MAX_BYTES + 1))
    except ImportFileError as exc:
        for problem in exc.problems:
            form.add_error("file", problem)
    return None


def _start(request: HttpRequest, programme_id: int, kind: str) -> HttpResponse:
    partnership, user = _ctx(request)
    plan = selectors.plan_get(partnership=partnership, programme_id=programme_id)
    waves = list(selectors.wave_list(plan=plan))
    posted = request.method == "POST"
    data, files = (request.POST, request.FILES) if posted else (None, None)
    form: ResponseImportForm | ArticImportForm
    if kind == services.SCORES:
        form = ArticImportForm(data, files, waves=waves)
    else:
        measures = list(selectors.measure_list(plan=plan))
        form = ResponseImportForm(data, files, waves=waves, measures=measures)
    if posted and form.is_valid():
        table = _read(form)
        if table is not None:
            measure = form.cleaned_data.get("measure")
            try:
                staged = services.import_stage(
                    partnership=partnership,
                    by=user,
                    kind=kind,
                    wave=form.cleaned_data["wave"],
                    instrument_id=measure.instrument_id if measure else imports.ARTIC,
                    version=(
                        str(measure.instrument_version) if measure else form.cleaned_data["version"]
                    ),
                    group=form.cleaned_data["group"],
                    table=table,
                )
            except ValidationError as exc:
                form.add_error("file", exc.messages)
            else:
                return HttpResponseRedirect(
                    reverse("evaluation:import-columns", kwargs={"import_key": staged.key})
                )
    title = (
        _("Import ARTIC scores") if kind == services.SCORES else _("Import responses from a file")
    )
    return render(
        request,
        "evaluation/import_start.html",
        {
            "form": form,
            "programme": plan.programme,
            "back": _plan_url(plan),
            "title": title,
            "artic": kind == services.SCORES,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@requires(PLAN_EVALUATIONS)
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest, programme_id: int) -> HttpResponse:
    return _start(request, programme_id, services.RESPONSES)


@requires(PLAN_EVALUATIONS)
@require_http_methods(["GET", "POST"])
def artic_start(request: HttpRequest, programme_id: int) -> HttpResponse:
    return _start(request, programme_id, services.SCORES)


def _staged(request: HttpRequest, key: str) -> tuple[services.Staged, Wave]:
    partnership, user = _ctx(request)
    staged = services.import_staged(partnership=partnership, user=user, key=key)
    wave = selectors.wave_get(partnership=partnership, wave_id=staged.wave_id)
    return staged, wave


def _what(staged: services.Staged, wave: Wave) -> str:
    if staged.kind == services.SCORES:
        return _("%(form)s scores at %(wave)s") % {"form": staged.version, "wave": wave.name}
    return _("%(title)s at %(wave)s") % {
        "title": instrument_title(staged.instrument_id),
        "wave": wave.name,
    }


@requires(PLAN_EVALUATIONS)
@require_http_methods(["GET", "POST"])
def import_columns(request: HttpRequest, import_key: str) -> HttpResponse:
    key = import_key
    partnership, user = _ctx(request)
    staged, wave = _staged(request, key)
    instrument = services.instrument_for(staged)
    if instrument is None:
        targets = imports.artic_targets()
        suggestions = imports.suggest_artic(staged.table)
    else:
        targets = imports.mapping_targets(instrument, get_language() or "en")
        suggestions = imports.suggest(staged.table, instrument)
    posted = request.method == "POST"
    form = ColumnsForm(
        request.POST if posted else None,
        table=staged.table,
        targets=targets,
        suggestions=suggestions,
        mapping=staged.mapping,
        initial={"date_order": staged.date_order},
    )
    if posted and form.is_valid():
        mapping = form.mapping()
        problems = (
            imports.check_artic_mapping(mapping, staged.table)
            if instrument is None
            else imports.check_mapping(mapping, staged.table, instrument)
        )
        for problem in problems:
            form.add_error(None, str(problem))
        if not problems:
            services.import_map(
                partnership=partnership,
                user=user,
                staged=staged,
                mapping=mapping,
                date_order=form.cleaned_data["date_order"],
            )
            return HttpResponseRedirect(
                reverse("evaluation:import-preview", kwargs={"import_key": key})
            )
    return render(
        request,
        "evaluation/import_columns.html",
        {
            "form": form,
            "programme": wave.plan.programme,
            "what": _what(staged, wave),
            "preset": staged.table.preset,
            "back": reverse("evaluation:import-cancel", kwargs={"import_key": key}),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@requires(PLAN_EVALUATIONS)
@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest, import_key: str) -> HttpResponse:
    key = import_key
    """The rows as they will be saved and every problem; POST commits, all or nothing."""
    partnership, user = _ctx(request)
    staged, wave = _staged(request, key)
    refusal: list[str] = []
    if request.method == "POST":
        try:
            created = services.import_commit(
                partnership=partnership, wave=wave, staged=staged, by=user
            )
        except ValidationError as exc:
            refusal = exc.messages
        else:
            messages.success(
                request,
                _("%(count)s responses imported: %(what)s")
                % {"count": len(created), "what": _what(staged, wave)},
            )
            return HttpResponseRedirect(_plan_url(wave.plan))
    preview = services.import_check(wave=wave, staged=staged)
    headers = _preview_headers(staged)
    return render(
        request,
        "evaluation/import_preview.html",
        {
            "programme": wave.plan.programme,
            "what": _what(staged, wave),
            "preview": preview,
            "problems": [str(p) for p in preview.problems] or refusal,
            "rows": [_shown(row, headers, staged) for row in preview.first],
            "key": key,
            "back": reverse("evaluation:import-columns", kwargs={"import_key": key}),
        },
        status=400 if refusal else 200,
    )


def _preview_headers(staged: services.Staged) -> dict[str, str]:
    return {
        target.split(":", 1)[1]: header
        for target, header in zip(staged.mapping, staged.table.headers, strict=False)
        if target.startswith(imports.ITEM)
    }


def _shown(row: imports.Row, headers: dict[str, str], staged: services.Staged) -> dict[str, object]:
    answers: list[tuple[str, str]]
    if staged.kind == services.SCORES:
        answers = [(_("Total"), str(row.answers.get("total")))]
        answers += [(name, str(v)) for name, v in row.answers.get("subscales", {}).items()]
    else:
        answers = [
            (f"{item_id} ({headers.get(item_id, '')})", _answer_text(value))
            for item_id, value in row.answers.items()
        ]
    return {
        "number": row.number,
        "identifier": row.identifier,
        "answered": row.answered,
        "answers": answers,
        "covariates": list(row.covariates.items()),
    }


def _answer_text(value: object) -> str:
    if isinstance(value, tuple):
        return "; ".join(str(v) for v in value)
    return str(value)


@requires(PLAN_EVALUATIONS)
@require_http_methods(["GET", "POST"])
def import_cancel(request: HttpRequest, import_key: str) -> HttpResponse:
    key = import_key
    partnership, user = _ctx(request)
    staged, wave = _staged(request, key)
    back = _plan_url(wave.plan)
    if request.method == "POST":
        services.import_discard(partnership=partnership, user=user, staged=staged)
        messages.success(request, _("Import cancelled: nothing was saved"))
        return HttpResponseRedirect(back)
    return render(
        request,
        "evaluation/remove.html",
        {
            "programme": wave.plan.programme,
            "back": reverse("evaluation:import-columns", kwargs={"import_key": key}),
            "title": _("Cancel the import"),
            "what": _("The uploaded file will be forgotten and nothing will be saved."),
            "button": _("Cancel the import"),
            "refusal": "",
        },
    )


__all__ = ["artic_start", "import_cancel", "import_columns", "import_preview", "import_start"]
