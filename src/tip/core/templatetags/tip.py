"""Template tags for TIP's pages: GOV.UK components and form fields rendered by the macros."""

from __future__ import annotations

import logging
from typing import Any, cast

from django import forms, template
from django.forms.boundfield import BoundField
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tip.core import components
from tip.core.extensions import TEXT_HINTS_OFF, sections, text_hints
from tip.core.middleware import (
    FREE_TEXT_FIELD,
    TEXT_HINTS_SESSION_KEY,
    current_request,
    kept_finding,
    public_view,
)
from tip.core.widgets import DATE_PARTS, DateParts, HintedRadios, LanguageRadios

register = template.Library()
logger = logging.getLogger(__name__)


@register.simple_tag
def govuk(component: str, **params: Any) -> SafeString:
    """{% govuk "button" text="Save" %}: any component with flat parameters."""
    return components.render(component, params)


def _error_message(field: BoundField) -> dict[str, Any] | None:
    if not field.errors:
        return None
    return {"text": " ".join(str(e) for e in field.errors), "visuallyHiddenText": _("Error")}


def _hint(field: BoundField) -> dict[str, Any] | None:
    return {"text": str(field.help_text)} if field.help_text else None


def _choices(field: BoundField, selected: set[str]) -> list[dict[str, Any]]:
    items = []
    for value, label in field.field.choices:  # type: ignore[attr-defined]
        value = "" if value is None else str(value)
        items.append({"value": value, "text": str(label), "checked": value in selected})
    return items


@register.simple_tag(takes_context=True, name="field")
def field_tag(context: template.Context, bound: BoundField, **options: Any) -> SafeString:
    """{% field form.name %}: the field as its GOV.UK component (see `field`)."""
    return field(bound, request=context.get("request"), **options)


def field(bound: BoundField, *, request: HttpRequest | None = None, **options: Any) -> SafeString:
    """Render a Django form field as the matching GOV.UK component.

    Options: `classes` for the control, `heading=True` to make the label the page's heading.
    A text area on a signed-in page is free text: it gets the language hints (see
    `_free_text_marks`).
    """
    widget = bound.field.widget
    label = str(bound.label)
    heading = bool(options.get("heading"))
    label_params: dict[str, Any] = {"text": label}
    if heading:
        label_params.update({"isPageHeading": True, "classes": "govuk-label--l"})
    common: dict[str, Any] = {
        "id": bound.id_for_label or bound.auto_id,
        "name": bound.html_name,
        "hint": _hint(bound),
        "errorMessage": _error_message(bound),
        "classes": options.get("classes"),
        "attributes": {k: v for k, v in widget.attrs.items() if k not in {"class", TEXT_HINTS_OFF}}
        or None,
    }
    value = bound.value()

    if isinstance(widget, DateParts):
        parts = widget.decompress(value)
        legend_params: dict[str, Any] = {"text": label, "classes": "govuk-fieldset__legend--s"}
        part_labels = {"day": _("Day"), "month": _("Month"), "year": _("Year")}
        error_class = " govuk-input--error" if bound.errors else ""
        return components.render(
            "date-input",
            {
                "id": bound.auto_id,
                "fieldset": {"legend": legend_params},
                "hint": common["hint"],
                "errorMessage": common["errorMessage"],
                "items": [
                    {
                        "id": f"{bound.auto_id}_{part}",
                        "name": f"{bound.html_name}_{part}",
                        "label": str(part_labels[part]),
                        "value": parts[i],
                        "classes": (
                            "govuk-input--width-4" if part == "year" else "govuk-input--width-2"
                        )
                        + error_class,
                    }
                    for i, part in enumerate(DATE_PARTS)
                ],
            },
        )

    if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        selected = {str(v) for v in (value or [])} if isinstance(value, list) else {str(value)}
        legend: dict[str, Any] = {"text": label}
        if heading:
            legend.update({"isPageHeading": True, "classes": "govuk-fieldset__legend--l"})
        else:
            legend["classes"] = "govuk-fieldset__legend--s"
        items = _choices(bound, selected)
        if isinstance(widget, LanguageRadios):
            for item in items:
                item["label"] = {"attributes": {"lang": item["value"]}}
        if isinstance(widget, HintedRadios):
            for item in items:
                if hint := widget.hints.get(item["value"]):
                    item["hint"] = {"text": str(hint)}
        params = {
            "idPrefix": bound.auto_id,
            "name": bound.html_name,
            "fieldset": {"legend": legend},
            "hint": common["hint"],
            "errorMessage": common["errorMessage"],
            "items": items,
        }
        kind = "checkboxes" if isinstance(widget, forms.CheckboxSelectMultiple) else "radios"
        return components.render(kind, params)

    if isinstance(widget, forms.CheckboxInput):
        return components.render(
            "checkboxes",
            {
                "idPrefix": bound.auto_id,
                "name": bound.html_name,
                "errorMessage": common["errorMessage"],
                "hint": common["hint"],
                "items": [
                    {"value": "on", "text": label, "checked": bool(value), "id": bound.auto_id}
                ],
            },
        )

    if isinstance(widget, forms.Select):
        selected = {"" if value is None else str(value)}
        items = [
            {"value": i["value"], "text": i["text"], "selected": i["checked"]}
            for i in _choices(bound, selected)
        ]
        return components.render("select", {**common, "label": label_params, "items": items})

    if isinstance(widget, forms.Textarea):
        params = {**common, "label": label_params, "value": value or "", "rows": 5}
        marks = _free_text_marks(bound, request or current_request(), label, value)
        if marks is not None:
            live_url, after = marks
            attributes = dict(params["attributes"] or {})
            if live_url:
                attributes["data-tip-language-check"] = live_url
            params["attributes"] = attributes
            params["formGroup"] = {"afterInput": {"html": after}}
        return components.render("textarea", params)

    if isinstance(widget, forms.FileInput):  # ClearableFileInput too; a file has no value to show
        return components.render("file-upload", {**common, "label": label_params})

    input_type = getattr(widget, "input_type", "text")
    params = {**common, "label": label_params, "type": input_type}
    if input_type == "password":
        params.pop("type")
        return components.render("password-input", {**params, **_password_texts()})
    if input_type != "password" and value not in (None, ""):
        params["value"] = str(value)
    if input_type == "email":
        params["spellcheck"] = False
    return components.render("input", params)


def _hint_findings(request: HttpRequest | None, text: str) -> list[dict[str, Any]]:
    """The hints for `text`, leaving out the person's own recorded words (quoted); a fault in
    checking only loses the hints."""
    hints = text_hints()
    if hints is None or not text.strip():
        return []
    try:
        return [kept_finding(f) for f in hints.check(request, text) if not f.get("quoted")]
    except Exception:  # hints never stop a page
        logger.exception("Could not check a free-text field's wording")
        return []


def _free_text_marks(
    bound: BoundField, request: HttpRequest | None, label: str, value: Any
) -> tuple[str, SafeString] | None:
    """For a text area on a signed-in page: the live-check address for hints.js, and what goes
    after the text area (the hidden input naming it as free text, and the hints region).

    Every text area drawn by this tag is where people write about people and practice, so every
    one is checked, unless its widget opts out with TEXT_HINTS_OFF (text that is not prose about
    people, such as a language rule's phrases). Public pages are not: a survey's answers are the
    respondents' own words and research data (drawn by the survey's own form, not by this tag),
    and nobody is signed in there to act on a hint."""
    hints = text_hints()
    if hints is None or request is None or TEXT_HINTS_OFF in bound.field.widget.attrs:
        return None
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or public_view(request):
        return None
    try:
        live_url = hints.live_url(request)
    except NoReverseMatch:
        live_url = ""
    text = "" if value is None else str(value)
    findings = _hint_findings(request, text) if bound.form.is_bound else []
    after = render_to_string(
        "core/includes/text_hints_field.html",
        {
            "marker_name": FREE_TEXT_FIELD,
            "name": bound.html_name,
            "label": label,
            "id": bound.id_for_label or bound.auto_id,
            "findings": findings,
        },
    )
    return live_url, mark_safe(after.strip())  # noqa: S308 - rendered by an autoescaping template


@register.simple_tag(takes_context=True)
def text_hints_banner(context: template.Context) -> SafeString:
    """On the page after a save: the hints found in the free text just saved (kept by
    TextHintsMiddleware), shown once."""
    request = context.get("request")
    session = getattr(request, "session", None)
    if request is None or session is None or TEXT_HINTS_SESSION_KEY not in session:
        return mark_safe("")
    groups = session.pop(TEXT_HINTS_SESSION_KEY) or []
    hints = text_hints()
    if not groups or hints is None:
        return mark_safe("")
    try:
        feedback_url = hints.feedback_url(request)
    except NoReverseMatch:
        feedback_url = ""
    html = render_to_string(
        "core/includes/text_hints_banner.html",
        {"groups": groups, "feedback_url": feedback_url, "next": request.get_full_path()},
        request=request,
    )
    return components.render(
        "notification-banner",
        {
            "titleText": _("Language suggestions for what you saved"),
            "titleId": "tip-text-hints-title",
            "html": mark_safe(html.strip()),  # noqa: S308 - rendered by an autoescaping template
            "classes": "tip-text-hints-banner",
        },
    )


def _password_texts() -> dict[str, str]:
    return {
        "showPasswordText": _("Show"),
        "hidePasswordText": _("Hide"),
        "showPasswordAriaLabelText": _("Show password"),
        "hidePasswordAriaLabelText": _("Hide password"),
        "passwordShownAnnouncementText": _("Your password is visible"),
        "passwordHiddenAnnouncementText": _("Your password is hidden"),
    }


@register.simple_tag
def error_summary(*forms_: forms.BaseForm) -> SafeString:
    """The GOV.UK error summary for one or more forms: every error links to its field."""
    items: list[dict[str, str]] = []
    for form in forms_:
        if form is None or not form.is_bound or not form.errors:
            continue
        for error in form.non_field_errors():
            items.append({"text": str(error), "href": "#main-content"})
        for bound in form:
            for error in bound.errors:
                anchor = bound.id_for_label or bound.auto_id
                widget = bound.field.widget
                if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                    anchor = f"{bound.auto_id}"
                items.append({"text": str(error), "href": f"#{anchor}"})
    if not items:
        return mark_safe("")
    return components.render(
        "error-summary",
        {"titleText": _("There is a problem"), "errorList": items, "disableAutoFocus": False},
    )


@register.simple_tag
def page_title(title: str, form: forms.BaseForm | None = None) -> str:
    """The document title: 'Error: ' first when the form has errors, as GOV.UK advises."""
    service = _("Trauma-informed practice platform")
    prefix = _("Error") + ": " if form is not None and form.is_bound and form.errors else ""
    return f"{prefix}{title} – {service}"


@register.simple_tag(takes_context=True)
def nav_items(context: template.Context) -> list[dict[str, Any]]:
    """Service navigation for the signed-in person, from their capabilities."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    if getattr(request, "second_factor_pending", False):
        return []
    caps: frozenset[str] = getattr(request, "capabilities", frozenset())
    items = []
    for section in sections():
        if section.in_navigation and section.capability in caps:
            href = reverse(section.url_name)
            active = request.path.startswith(href) and href != "/"
            text = str(section.title)
            items.append({"href": href, "text": text, "active": active})
    return items


@register.simple_tag
def phase_banner() -> SafeString:
    return components.render(
        "phase-banner",
        {
            "tag": {"text": _("Demo")},
            "text": _(
                "This is a demonstration with fictional people and places. "
                "Do not enter real personal data."
            ),
        },
    )


@register.simple_tag
def message_banner(message: Any) -> SafeString:
    success = "success" in str(getattr(message, "tags", ""))
    return components.render(
        "notification-banner",
        {
            "text": str(message),
            "type": "success" if success else None,
            "titleText": _("Success") if success else _("Important"),
            "role": "alert" if success else None,
        },
    )


@register.simple_tag
def site_footer() -> SafeString:
    links = [
        ("core:accessibility", _("Accessibility statement")),
        ("core:privacy", _("Privacy notice")),
        ("core:cookies", _("Cookies")),
        ("core:support", _("Get support")),
        ("api-1.0.0:openapi-json", _("API schema")),
    ]
    return components.render(
        "footer",
        {
            "meta": {
                "visuallyHiddenTitle": _("Support links"),
                "items": [{"href": reverse(name), "text": text} for name, text in links],
            },
            "contentLicence": {
                "text": _("TIP is open source. Content is written by the partnerships that use it.")
            },
            "copyright": {"text": _("© Violence Reduction Partnerships")},
        },
    )


# Block tags that collect rows for the summary list and table components. Children render
# before their parent, so each pushes its part onto a stack in the render context and the
# parent takes what was pushed. The macros then draw the markup.


def _stack(context: template.Context, key: str) -> list[Any]:
    stack = cast(list[Any], context.render_context.setdefault(key, []))
    return stack


@register.simple_block_tag(takes_context=True)
def summary_row(
    context: template.Context,
    content: str,
    key: str,
    href: str = "",
    action: str = "",
    hidden: str = "",
) -> str:
    """A row; with `href`, an action link (`action`, e.g. "Change", then `hidden` words for
    screen readers, e.g. "the phases")."""
    row: dict[str, Any] = {
        "key": {"text": str(key)},
        "value": {"html": mark_safe(content.strip())},  # noqa: S308
    }
    if href:
        row["actions"] = {
            "items": [
                {"href": href, "text": str(action or _("Change")), "visuallyHiddenText": hidden}
            ]
        }
    _stack(context, "tip_summary_rows").append(row)
    return ""


@register.simple_block_tag(takes_context=True)
def summary_list(context: template.Context, content: str, **params: Any) -> SafeString:
    rows = list(_stack(context, "tip_summary_rows"))
    context.render_context["tip_summary_rows"] = []
    return components.render("summary-list", {**params, "rows": rows})


@register.simple_tag(takes_context=True)
def table_head(context: template.Context, *labels: str, numeric: str = "") -> str:
    numeric_cols = {int(n) for n in numeric.split(",") if n}
    context.render_context["tip_table_head"] = [
        {"text": str(label), "format": "numeric" if i in numeric_cols else None}
        for i, label in enumerate(labels)
    ]
    return ""


@register.simple_block_tag(takes_context=True)
def cell(context: template.Context, content: str, numeric: bool = False) -> str:
    _stack(context, "tip_table_cells").append(
        {"html": mark_safe(content.strip()), "format": "numeric" if numeric else None}  # noqa: S308
    )
    return ""


@register.simple_block_tag(takes_context=True)
def table_row(context: template.Context, content: str) -> str:
    cells = list(_stack(context, "tip_table_cells"))
    context.render_context["tip_table_cells"] = []
    _stack(context, "tip_table_rows").append(cells)
    return ""


@register.simple_block_tag(takes_context=True)
def table(context: template.Context, content: str, caption: str = "", **params: Any) -> SafeString:
    rows = list(_stack(context, "tip_table_rows"))
    context.render_context["tip_table_rows"] = []
    head: list[Any] = cast(list[Any], context.render_context.get("tip_table_head") or [])
    html = components.render(
        "table",
        {
            **params,
            "caption": caption or None,
            "captionClasses": params.get("captionClasses") or "govuk-table__caption--m",
            "firstCellIsHeader": False,
            "head": head,
            "rows": rows,
        },
    )
    # A table wider than a narrow screen scrolls inside its own box, so the page itself never
    # scrolls sideways (WCAG 1.4.10). The box takes keyboard focus so it can be scrolled
    # without a mouse, and is named after the table for screen readers.
    return format_html(
        '<div class="tip-table-scroll" role="region" aria-label="{}" tabindex="0">{}</div>',
        caption,
        html,
    )


@register.filter
def translated(value: str) -> str:
    """Show text stored in English (audit purposes) in the reader's language."""
    return _(value) if value else value


@register.filter
def record_type(label: str) -> str:
    """'core.Membership' as the model's own name, in the reader's language."""
    from django.apps import apps

    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return label
    return str(model._meta.verbose_name).capitalize()
