"""Instruments a partnership adds itself: the text as it was uploaded (YAML or JSON), checked
exactly like TIP's own files when it arrived (instrument_library.check_partnership_instrument).

A version stays as it was added: once a plan uses it, or answers were given in it, it cannot be
changed or removed; a changed instrument is added as a new version (services_instruments.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tip.core.models import TenantModel

__all__ = ["InstrumentFormat", "PartnershipInstrument"]


class InstrumentFormat(models.TextChoices):
    YAML = "yaml", "YAML"
    JSON = "json", "JSON"


class PartnershipInstrument(TenantModel):
    """One version of an instrument a partnership wrote. Only ever visible to its partnership."""

    instrument_id = models.CharField(_("instrument id"), max_length=100)
    version = models.PositiveIntegerField(_("version"))
    fmt = models.CharField(
        _("format"), max_length=4, choices=InstrumentFormat.choices, default=InstrumentFormat.YAML
    )
    text = models.TextField(_("the instrument as uploaded"))
    # Kept for lists, so they need not read every instrument's text.
    title_en = models.CharField(_("title"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["instrument_id", "version"]
        verbose_name = _("partnership's instrument")
        verbose_name_plural = _("partnership's instruments")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "instrument_id", "version"],
                name="partnership_instrument_version_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id} v{self.version}"
