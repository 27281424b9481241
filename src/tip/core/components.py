"""Render GOV.UK Frontend components through the govuk-frontend-jinja macros.

The macros are the maintained port of GOV.UK Frontend's Nunjucks components; we never write a
component's markup by hand. One Jinja environment is shared and each macro is compiled once.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from jinja2 import Environment, PackageLoader, PrefixLoader, Template, select_autoescape
from markupsafe import Markup


@cache
def _environment() -> Environment:
    return Environment(
        loader=PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        autoescape=select_autoescape(default_for_string=True),
    )


def _macro_name(component: str) -> str:
    return "govuk" + "".join(part.capitalize() for part in component.split("-"))


@cache
def _template(component: str) -> Template:
    macro = _macro_name(component)
    source = (
        f"{{%- from 'govuk_frontend_jinja/components/{component}/macro.html' import {macro} -%}}"
        f"{{{{ {macro}(params) }}}}"
    )
    return _environment().from_string(source)


def _jinja_safe(value: Any) -> Any:
    """Carry Django's safe strings into Jinja as Markup, and drop None values."""
    if isinstance(value, SafeString):
        return Markup(str(value))  # noqa: S704 - already marked safe by Django
    if isinstance(value, dict):
        return {k: _jinja_safe(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_jinja_safe(v) for v in value]
    if hasattr(value, "_proxy____cast"):  # lazy translation
        return str(value)
    return value


def render(component: str, params: dict[str, Any]) -> SafeString:
    """Render one component, e.g. render("button", {"text": "Save"})."""
    html = _template(component).render(params=_jinja_safe(params))
    return mark_safe(html)  # noqa: S308 - the macros escape every text parameter themselves
