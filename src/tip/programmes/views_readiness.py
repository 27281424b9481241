"""The readiness check report and the planning questions behind it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tip.core.tenancy import requires
from tip.programmes.analysis.readiness import Finding, Status
from tip.programmes.forms_readiness import ReadinessPlanForm
from tip.programmes.models import Programme
from tip.programmes.readiness import language, readiness_report, text
from tip.programmes.readiness_facts import stored_answers
from tip.programmes.roles import MANAGE_PROGRAMMES, VIEW_PROGRAMMES
from tip.programmes.views import _can_manage, _programme, _refused

STATUS_TAGS = {
    Status.MET: "govuk-tag--green",
    Status.NOT_MET: "govuk-tag--red",
    Status.UNKNOWN: "govuk-tag--grey",
}


def status_label(status: Status) -> str:
    return {
        Status.MET: _("Met"),
        Status.NOT_MET: _("Not met"),
        Status.UNKNOWN: _("Unknown"),
    }[status]


def report_context(programme: Programme) -> dict[str, object]:
    """The report laid out for a template (the page, and the PDF export if it wants it)."""
    report = readiness_report(programme)
    lang = language()

    def rows(findings: tuple[Finding, ...]) -> list[dict[str, object]]:
        laid_out: list[dict[str, object]] = []
        for finding in findings:
            c = finding.criterion
            status = finding.status
            laid_out.append(
                {
                    "id": c.id,
                    "title": text(c.title, lang),
                    "status": status.value,
                    "status_label": status_label(status),
                    "tag_classes": STATUS_TAGS[status],
                    "summary": text(c.met if status is Status.MET else c.not_met, lang)
                    if status is not Status.UNKNOWN
                    else _("Not enough is known yet to say."),
                    "advice": text(c.advice, lang) if status is not Status.MET else "",
                    "seed_section": text(c.seed_section, lang),
                    "evidence": finding.evidence,
                }
            )
        return laid_out

    return {
        "report": report,
        "criteria": rows(report.criteria),
        "cautions": rows(report.cautions),
        "counts": {
            "met": report.count(Status.MET),
            "not_met": report.count(Status.NOT_MET),
            "unknown": report.count(Status.UNKNOWN),
        },
    }


@require_GET
@requires(VIEW_PROGRAMMES)
def readiness(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme, _user = _programme(request, programme_id)
    return render(
        request,
        "programmes/readiness.html",
        {"programme": programme, "can_manage": _can_manage(request), **report_context(programme)},
    )


@requires(MANAGE_PROGRAMMES)
def readiness_plan(request: HttpRequest, programme_id: int) -> HttpResponse:
    from tip.programmes.services_readiness import readiness_answers_set

    programme, user = _programme(request, programme_id)
    form = ReadinessPlanForm(request.POST or None, initial_answers=stored_answers(programme))
    if request.method == "POST" and form.is_valid():
        try:
            readiness_answers_set(programme=programme, answers=form.answers(), by=user)
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Planning answers saved"))
            return redirect("programmes:readiness", programme_id=programme.pk)
    return render(request, "programmes/readiness_plan.html", {"programme": programme, "form": form})
