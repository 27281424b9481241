"""The form for adding a partnership's instrument: pasted text or an uploaded file. It only
reads what was sent; services_instruments checks the instrument."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tip.evaluation.models import InstrumentFormat


class InstrumentAddForm(forms.Form):
    file = forms.FileField(
        label=_("Upload the instrument file"),
        help_text=_("A .yaml, .yml or .json file saved as UTF-8, smaller than 200 KB."),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml,.json"}),
        error_messages={
            "empty": _("The selected file is empty"),
            "invalid": _("The selected file could not be read. Try uploading it again"),
        },
    )
    text = forms.CharField(
        label=_("Or paste the instrument"),
        help_text=_("In YAML or JSON, in the format TIP's own instruments are written in."),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("file") and not str(data.get("text") or "").strip():
            self.add_error("file", _("Choose a file to upload, or paste the instrument"))
        return data

    def pasted(self) -> tuple[str, str]:
        """The pasted text and its format: JSON when it begins with a brace."""
        text = str(self.cleaned_data.get("text") or "")
        fmt = InstrumentFormat.JSON if text.lstrip().startswith("{") else InstrumentFormat.YAML
        return text, fmt
