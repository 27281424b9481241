"""The partnership's delivery settings page: a thin view over the delivery settings selector and
service, for the people who manage training."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from tip.core.forms import show_refusal
from tip.core.tenancy import requires
from tip.training import services_delivery as services
from tip.training.forms_delivery import DeliverySettingsForm
from tip.training.roles import MANAGE_TRAINING
from tip.training.selectors_bookings import delivery_settings
from tip.training.views_providers import _ctx


@requires(MANAGE_TRAINING)
def delivery_settings_edit(request: HttpRequest) -> HttpResponse:
    partnership, user = _ctx(request)
    current = delivery_settings(partnership=partnership)
    form = DeliverySettingsForm(
        request.POST if request.method == "POST" else None,
        initial=DeliverySettingsForm.initial_for(current),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.delivery_settings_set(partnership=partnership, by=user, **form.cleaned_data)
        except ValidationError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, _("Delivery settings saved"))
            return HttpResponseRedirect(reverse("training:delivery-settings"))
    return render(
        request,
        "training/delivery_settings.html",
        {"form": form, "saved": current.pk is not None, "updated_at": current.updated_at},
        status=400 if form.is_bound and form.errors else 200,
    )
