"""Personal API tokens: create (shown once), list, revoke."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tip.core import selectors, services
from tip.core.forms import ApiTokenForm
from tip.core.models import User
from tip.core.tenancy import TipRequest, requires


@requires(None)
def api_tokens(request: HttpRequest) -> HttpResponse:
    req = cast(TipRequest, request)
    assert req.membership is not None
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _token, new_key = services.api_token_create(
            membership=req.membership, name=form.cleaned_data["name"], by=cast(User, request.user)
        )
        form = ApiTokenForm()
    return render(
        request,
        "core/api_tokens.html",
        {
            "form": form,
            "new_key": new_key,
            "tokens": selectors.api_token_list(membership=req.membership),
        },
    )


@requires(None)
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    req = cast(TipRequest, request)
    assert req.membership is not None
    token = selectors.api_token_get(membership=req.membership, token_id=token_id)
    if request.method == "POST":
        services.api_token_revoke(token=token, by=cast(User, request.user))
        messages.success(request, _("Token %(name)s revoked") % {"name": token.name})
        return redirect("core:api-tokens")
    return render(request, "core/api_token_revoke.html", {"token": token})
