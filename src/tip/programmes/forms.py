"""Forms for programmes: they parse and validate; services do the work."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tip.core.models import Partnership
from tip.programmes.models import Programme


class ProgrammeForm(forms.Form):
    name = forms.CharField(
        label=_("Programme name"),
        max_length=200,
        error_messages={
            "required": _("Enter the programme's name"),
            "max_length": _("The name must be 200 characters or fewer"),
        },
    )
    aims = forms.CharField(
        label=_("Aims (optional)"),
        help_text=_("What the programme sets out to change, and for whom"),
        required=False,
        widget=forms.Textarea,
    )

    def __init__(self, *args: Any, partnership: Partnership, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.partnership = partnership

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if Programme.objects.for_partnership(self.partnership).filter(name__iexact=name).exists():
            raise forms.ValidationError(_("A programme with this name already exists"))
        return name
