"""Template tags for the cascade pages: a trainer's status as a GOV.UK tag, the observation
form's rating questions with what each rating looks like, and the cascade section of a trainer's
page (``{% trainer_cascade trainer %}``)."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tip.core import components
from tip.training.analysis.cascade import CERTIFIED, LAPSED, OBSERVATION_DUE
from tip.training.qa_criteria import RATINGS, QaCriterion, load_qa_criteria

register = template.Library()

_TAG_CLASSES = {
    CERTIFIED: "govuk-tag--green",
    OBSERVATION_DUE: "govuk-tag--yellow",
    LAPSED: "govuk-tag--red",
}


def status_text(status: str) -> str:
    return {
        CERTIFIED: _("Certified"),
        OBSERVATION_DUE: _("Observation due"),
        LAPSED: _("Lapsed"),
    }.get(status, status)


@register.simple_tag
def cascade_status(entry: Any) -> SafeString:
    """The entry's status as a tag, and a second tag when they are out of date."""
    html: str = components.render(
        "tag",
        {
            "text": status_text(entry.standing.status),
            "classes": _TAG_CLASSES.get(entry.standing.status, ""),
        },
    )
    if entry.out_of_date:
        html += " " + components.render(
            "tag", {"text": _("Out of date"), "classes": "govuk-tag--orange"}
        )
    return SafeString(html)


@register.simple_tag
def rating_radios(bound: BoundField, criterion: QaCriterion) -> SafeString:
    """A criterion's 1-4 ratings as radios, each with what it looks like as its hint."""
    language = get_language() or "en"
    criteria = load_qa_criteria()
    value = str(bound.value() or "")
    error = (
        {"text": " ".join(str(e) for e in bound.errors), "visuallyHiddenText": _("Error")}
        if bound.errors
        else None
    )
    return components.render(
        "radios",
        {
            "idPrefix": bound.auto_id,
            "name": bound.html_name,
            "fieldset": {
                "legend": {
                    "text": criterion.title(language),
                    "classes": "govuk-fieldset__legend--m",
                }
            },
            "hint": {"text": criterion.question(language)},
            "errorMessage": error,
            "items": [
                {
                    "value": str(r),
                    "text": f"{r}: {criteria.label(r, language)}",
                    "hint": {"text": criterion.descriptor(r, language)},
                    "checked": value == str(r),
                }
                for r in RATINGS
            ],
        },
    )


@register.filter
def rating_label(rating: Any) -> str:
    try:
        number = int(rating)
    except (TypeError, ValueError):
        return "–"
    if number not in RATINGS:
        return "–"
    return f"{number}: {load_qa_criteria().label(number, get_language() or 'en')}"


@register.filter
def criterion_title(criterion: QaCriterion) -> str:
    return criterion.title(get_language() or "en")


@register.inclusion_tag("training/cascade_trainer_section.html", takes_context=True)
def trainer_cascade(context: template.Context, trainer: Any) -> dict[str, Any]:
    """The trainer's certifications and standing on each course (one query), for their page."""
    from tip.training.selectors_cascade import cascade_entries

    request = context.get("request")
    capabilities: frozenset[str] = getattr(request, "capabilities", frozenset())
    partnership = getattr(request, "partnership", None) or trainer.partnership
    entries = cascade_entries(partnership=partnership, trainer=trainer)
    return {
        "trainer": trainer,
        "entries": entries,
        "can_manage": "manage_training" in capabilities,
    }


@register.filter
def get_rating(ratings: Any, code: str) -> Any:
    """An observation's rating for one criterion: ``{{ observation.ratings|get_rating:code }}``."""
    return ratings.get(code) if isinstance(ratings, dict) else None
