"""Signing in and out, the second factor, and password reset."""

from __future__ import annotations

import base64
from io import BytesIO
from typing import Any, cast

import qrcode
import qrcode.image.svg
from django.contrib import auth
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from tip.core.audit import audit_event
from tip.core.forms import SignInForm, TipPasswordResetForm, TokenForm
from tip.core.languages import offered_languages
from tip.core.models import AuditAction, User
from tip.core.tenancy import public
from tip.core.views.language import set_language_cookie


def _safe_next(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


@public
@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:dashboard")
    form = SignInForm(request, data=request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            user = form.get_user()
            auth.login(request, user)
            audit_event(action=AuditAction.SIGN_IN, actor=user)
            response = HttpResponseRedirect(_safe_next(request, reverse("core:dashboard")))
            if user.language in offered_languages():
                # The service opens in the language they chose, whatever this browser last used.
                set_language_cookie(response, user.language)
            return response
        audit_event(
            action=AuditAction.SIGN_IN_FAILED, actor=None, email=request.POST.get("username", "")
        )
    return render(request, "core/sign_in.html", {"form": form, "next": _safe_next(request, "")})


@public
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit_event(action=AuditAction.SIGN_OUT, actor=request.user)
    auth.logout(request)
    return redirect("core:start")


def _confirmed_device(user: User) -> TOTPDevice | None:
    device: TOTPDevice | None = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device


@public
@never_cache
def two_factor(request: HttpRequest) -> HttpResponse:
    """Ask for the code from the person's authenticator app."""
    if not request.user.is_authenticated:
        return redirect("core:sign-in")
    user = request.user
    device = _confirmed_device(user)
    if device is None:
        setup = reverse("core:two-factor-setup")
        next_url = _safe_next(request, "")
        return redirect(setup + "?" + urlencode({"next": next_url}) if next_url else setup)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            return HttpResponseRedirect(_safe_next(request, reverse("core:dashboard")))
        form.add_error("token", _wrong_code())
    return render(request, "core/two_factor.html", {"form": form, "next": _safe_next(request, "")})


def _wrong_code() -> str:
    from django.utils.translation import gettext as _

    return _("The security code is not right. Wait for your app to show a new code, then enter it")


def _qr_svg(uri: str) -> str:
    img = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    buffer = BytesIO()
    img.save(buffer)
    return buffer.getvalue().decode()


@public
@never_cache
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """First sign-in for a role that needs a second factor: link an authenticator app."""
    if not request.user.is_authenticated:
        return redirect("core:sign-in")
    user = request.user
    if _confirmed_device(user) is not None:
        return redirect("core:two-factor")
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return HttpResponseRedirect(_safe_next(request, reverse("core:dashboard")))
        form.add_error("token", _wrong_code())
    secret = base64.b32encode(device.bin_key).decode()
    context: dict[str, Any] = {
        "form": form,
        "qr_svg": mark_safe(_qr_svg(device.config_url)),  # noqa: S308 - generated by qrcode
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "next": _safe_next(request, ""),
    }
    return render(request, "core/two_factor_setup.html", context)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = TipPasswordResetForm
    template_name = "core/password_reset.html"
    email_template_name = "core/email/password_reset.txt"
    subject_template_name = "core/email/password_reset_subject.txt"
    success_url = reverse_lazy("core:password-reset-done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "core/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "core/password_reset_confirm.html"
    success_url = reverse_lazy("core:password-reset-complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "core/password_reset_complete.html"


password_reset = public(cast(Any, PasswordResetView.as_view()))
password_reset_done = public(cast(Any, PasswordResetDoneView.as_view()))
password_reset_confirm = public(cast(Any, PasswordResetConfirmView.as_view()))
password_reset_complete = public(cast(Any, PasswordResetCompleteView.as_view()))
