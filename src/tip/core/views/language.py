"""The language a person reads TIP in: the preference on their account, the switcher at the top
of every page, and the cookie that carries the choice from page to page."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.i18n import set_language as django_set_language

from tip.core import services
from tip.core.forms import LanguageForm, show_refusal
from tip.core.languages import offered_languages
from tip.core.models import User
from tip.core.tenancy import TipRequest, public, requires


def set_language_cookie(response: HttpResponseBase, language: str) -> None:
    """Open the next pages in `language`: the cookie Django's set_language sets."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


@public
def set_language(request: HttpRequest) -> HttpResponse:
    """The switcher at the top of every page (Django's view, a plain form post). For someone
    signed in it also becomes their account's preference, so their emails follow it."""
    response = django_set_language(request)
    language = request.POST.get("language", "") if request.method == "POST" else ""
    if request.user.is_authenticated and language in offered_languages():
        services.user_language_set(
            user=request.user,
            language=language,
            by=request.user,
            partnership=cast(TipRequest, request).partnership,
        )
    return response


@requires(None)
def account_language(request: HttpRequest) -> HttpResponse:
    req = cast(TipRequest, request)
    user = cast(User, request.user)
    data = request.POST if request.method == "POST" else None  # choosing nothing is an error
    form = LanguageForm(data, initial={"language": user.language or None})
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["language"]
        try:
            services.user_language_set(
                user=user, language=language, by=user, partnership=req.partnership
            )
        except ValidationError as exc:
            show_refusal(form, exc)
        else:
            with translation.override(language):
                messages.success(request, _("Your language is saved"))
            response = HttpResponseRedirect(reverse("core:account-language"))
            set_language_cookie(response, language)
            return response
    return render(
        request,
        "core/account_language.html",
        {"form": form},
        status=400 if form.is_bound and form.errors else 200,
    )
