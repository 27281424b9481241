"""Organisational self-assessment pages: the partnership heatmap and progress chart, recording
an assessment, an organisation's history, and the CSV export."""

from __future__ import annotations

import csv
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tip.core import components as govuk
from tip.core.models import Partnership, User
from tip.core.tenancy import TipRequest, requires
from tip.programmes import selectors_assessment as selectors
from tip.programmes import services_assessment as services
from tip.programmes.assessment_chart import Bar, render_svg
from tip.programmes.components import Component, load_components
from tip.programmes.forms_assessment import SelfAssessmentForm
from tip.programmes.models_assessment import AssessmentLevel
from tip.programmes.roles import ASSESS_ORGANISATIONS, VIEW_PROGRAMMES

TAG_CLASSES = {
    AssessmentLevel.NOT_STARTED: "govuk-tag--grey",
    AssessmentLevel.PLANNING: "govuk-tag--yellow",
    AssessmentLevel.DEVELOPING: "govuk-tag--blue",
    AssessmentLevel.EMBEDDED: "govuk-tag--green",
}


def group_names() -> dict[str, str]:
    return {
        "workforce": _("Workforce development"),
        "services": _("Trauma-specific services"),
        "environment": _("Organisational environments and practices"),
        "yef": _("YEF elements of trauma-informed practice"),
    }


def _ctx(request: HttpRequest) -> tuple[Partnership, User]:
    req = cast(TipRequest, request)
    assert req.partnership is not None
    return req.partnership, cast(User, request.user)


def _can_assess(request: HttpRequest) -> bool:
    return ASSESS_ORGANISATIONS in cast(TipRequest, request).capabilities


def level_tag(level: str | None) -> SafeString:
    """The level in words, in a tag whose colour repeats (never replaces) the words."""
    if not level:
        return format_html('<span class="tip-level tip-level--none">{}</span>', _("Not assessed"))
    label = str(AssessmentLevel(level).label)
    return govuk.render(
        "tag",
        {"text": label, "classes": f"{TAG_CLASSES[AssessmentLevel(level)]} tip-level--{level}"},
    )


def _date(value: Any) -> str:
    return str(formats.date_format(value, "j F Y"))


def _component_head(component: Component, language: str, groups: dict[str, str]) -> dict[str, Any]:
    return {
        "html": format_html(
            '<span class="govuk-caption-s">{}</span>{}',
            groups[component.group],
            component.title(language),
        )
    }


@requires(VIEW_PROGRAMMES)
def assessment_overview(request: HttpRequest) -> HttpResponse:
    partnership, _user = _ctx(request)
    language = get_language() or "en"
    groups = group_names()
    comps = load_components()
    orgs = list(selectors.organisations(partnership=partnership))
    all_rounds = selectors.rounds(partnership=partnership)
    latest = selectors.latest_by_organisation(all_rounds)

    head = [{"text": _("Organisation")}] + [_component_head(c, language, groups) for c in comps]
    rows = []
    for org in orgs:
        current = latest.get(org.pk)
        history = reverse("programmes:assessment-history", kwargs={"organisation_id": org.pk})
        first = format_html('<a class="govuk-link" href="{}">{}</a>', history, org.name)
        if current:
            first = format_html(
                '{}<br><span class="govuk-body-s">{}</span>',
                first,
                _("Assessed %(date)s") % {"date": _date(current.assessment.assessed_on)},
            )
        row: list[dict[str, Any]] = [{"html": first}]
        for c in comps:
            rating = current.ratings.get(c.code) if current else None
            row.append({"html": level_tag(rating.level if rating else None)})
        rows.append(row)

    levels = dict(AssessmentLevel.choices)
    bars = [
        Bar(
            label=f"{r.assessment.organisation.name}, {_date(r.assessment.assessed_on)}",
            counts=r.counts,
        )
        for r in sorted(
            all_rounds, key=lambda r: (r.assessment.organisation.name, r.assessment.assessed_on)
        )
    ]
    chart = render_svg(
        bars,
        levels={k: str(v) for k, v in levels.items()},
        title=_("Components at each level, assessment by assessment"),
        description=_(
            "One bar for each assessment, grouped by organisation and oldest first. Each bar "
            "counts the components at each level. The table beside the chart has the same figures."
        ),
        empty=_("No organisation has assessed itself yet."),
    )
    chart_rows = [
        [
            {"text": r.assessment.organisation.name},
            {"text": _date(r.assessment.assessed_on)},
            *[{"text": str(r.counts[level]), "format": "numeric"} for level in levels],
        ]
        for r in sorted(
            all_rounds, key=lambda r: (r.assessment.organisation.name, r.assessment.assessed_on)
        )
    ]
    chart_head = [
        {"text": _("Organisation")},
        {"text": _("Date")},
        *[{"text": str(label), "format": "numeric"} for label in levels.values()],
    ]
    return render(
        request,
        "programmes/assessment_overview.html",
        {
            "heatmap_head": head,
            "heatmap_rows": rows,
            "organisations": orgs,
            # Drawn by assessment_chart, which escapes every label it writes.
            "chart": mark_safe(chart),  # noqa: S308
            "chart_head": chart_head,
            "chart_rows": chart_rows,
            "has_rounds": bool(all_rounds),
            "can_assess": _can_assess(request),
        },
    )


@requires(ASSESS_ORGANISATIONS)
def assessment_record(request: HttpRequest, organisation_id: int) -> HttpResponse:
    partnership, user = _ctx(request)
    organisation = selectors.organisation_get(
        partnership=partnership, organisation_id=organisation_id
    )
    form = SelfAssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_record(
                partnership=partnership,
                organisation=organisation,
                assessed_on=form.cleaned_data["assessed_on"],
                ratings=form.ratings(),
                by=user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Assessment saved for %(name)s") % {"name": organisation.name}
            )
            return redirect("programmes:assessment-history", organisation_id=organisation.pk)
    language = get_language() or "en"
    groups = group_names()
    blocks = []
    for component, level, evidence, owner in form.blocks():
        blocks.append(
            {
                "group": groups[component.group],
                "legend": {
                    "text": component.title(language),
                    "classes": "govuk-fieldset__legend--m",
                },
                "html": mark_safe(  # noqa: S308 - rendered by Django's autoescaping templates
                    render_to_string(
                        "programmes/assessment_component.html",
                        {
                            "caution": component.caution(language),
                            "level": level,
                            "evidence": evidence,
                            "owner": owner,
                        },
                        request=request,
                    )
                ),
            }
        )
    return render(
        request,
        "programmes/assessment_form.html",
        {
            "form": form,
            "organisation": organisation,
            "blocks": blocks,
            "today": timezone.localdate().strftime("%d/%m/%Y"),
        },
    )


@requires(VIEW_PROGRAMMES)
def assessment_history(request: HttpRequest, organisation_id: int) -> HttpResponse:
    partnership, _user = _ctx(request)
    organisation = selectors.organisation_get(
        partnership=partnership, organisation_id=organisation_id
    )
    language = get_language() or "en"
    groups = group_names()
    all_rounds = selectors.rounds(partnership=partnership, organisation=organisation)
    head = [{"text": _("Component")}] + [
        {"text": _date(r.assessment.assessed_on)} for r in all_rounds
    ]
    rows = []
    for c in load_components():
        row: list[dict[str, Any]] = [_component_head(c, language, groups)]
        for r in all_rounds:
            rating = r.ratings.get(c.code)
            row.append({"html": level_tag(rating.level if rating else None)})
        rows.append(row)
    latest = all_rounds[-1] if all_rounds else None
    detail_rows = []
    if latest:
        for c in load_components():
            rating = latest.ratings.get(c.code)
            detail_rows.append(
                [
                    {"text": c.title(language)},
                    {"html": level_tag(rating.level if rating else None)},
                    {"text": (rating.evidence if rating else "") or "–"},
                    {"text": (rating.owner if rating else "") or "–"},
                ]
            )
    return render(
        request,
        "programmes/assessment_history.html",
        {
            "organisation": organisation,
            "rounds": all_rounds,
            "history_head": head,
            "history_rows": rows,
            "latest": latest,
            "latest_date": _date(latest.assessment.assessed_on) if latest else "",
            "detail_head": [
                {"text": _("Component")},
                {"text": _("Level")},
                {"text": _("Evidence")},
                {"text": _("Owner")},
            ],
            "detail_rows": detail_rows,
            "can_assess": _can_assess(request),
        },
    )


def csv_safe(value: str) -> str:
    """Stop a spreadsheet from running a cell as a formula (CSV injection)."""
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


@requires(VIEW_PROGRAMMES)
def assessment_export(request: HttpRequest) -> HttpResponse:
    partnership, _user = _ctx(request)
    titles = {c.code: c for c in load_components()}
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tip-self-assessment-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "organisation",
            "assessed_on",
            "group",
            "component_code",
            "component",
            "level",
            "evidence",
            "owner",
        ]
    )
    for rating in selectors.ratings_for_export(partnership=partnership):
        component = titles.get(rating.component_code)
        writer.writerow(
            [
                csv_safe(rating.assessment.organisation.name),
                rating.assessment.assessed_on.isoformat(),
                component.group if component else "",
                rating.component_code,
                csv_safe(component.title_en if component else ""),
                rating.level,
                csv_safe(rating.evidence),
                csv_safe(rating.owner),
            ]
        )
    return response
