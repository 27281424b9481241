"""Forms for the register and the public certificate check. They parse input; the services
decide, with messages that name the person."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tip.core import components
from tip.training.models_bookings import AttendanceMark
from tip.training.selectors_attendance import RegisterRow
from tip.training.services_attendance import NOTE_MAX, MarkInput


class RegisterForm(forms.Form):
    """One mark (radios) and an optional note for each person on the register."""

    def __init__(self, *args: Any, rows: list[RegisterRow], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.rows = rows
        for row in rows:
            pk = row.booking.pk
            self.fields[f"mark-{pk}"] = forms.ChoiceField(
                label=row.name,
                choices=AttendanceMark.choices,
                widget=forms.RadioSelect,
                initial=row.suggested,
                error_messages={
                    "required": _("Choose whether %(name)s attended") % {"name": row.name},
                    "invalid_choice": _("Choose whether %(name)s attended") % {"name": row.name},
                },
            )
            self.fields[f"note-{pk}"] = forms.CharField(
                label=_("Note about %(name)s (optional)") % {"name": row.name},
                required=False,
                max_length=NOTE_MAX,
                initial=row.note,
                error_messages={
                    "max_length": _("The note about %(name)s must be %(max)d characters or fewer")
                    % {"name": row.name, "max": NOTE_MAX}
                },
            )

    def marks(self) -> dict[int, MarkInput]:
        return {
            row.booking.pk: MarkInput(
                mark=self.cleaned_data[f"mark-{row.booking.pk}"],
                note=self.cleaned_data.get(f"note-{row.booking.pk}") or "",
            )
            for row in self.rows
        }

    def entries(self) -> list[dict[str, Any]]:
        """Each person's radios and note, drawn by GOV.UK Frontend's macros: small inline
        radios, so a register of twenty fits on a phone."""
        out = []
        for row in self.rows:
            mark, note = self[f"mark-{row.booking.pk}"], self[f"note-{row.booking.pk}"]
            out.append(
                {"row": row, "radios": _radios(mark, row), "note": _note(note), "id": mark.auto_id}
            )
        return out


def _error(bound: forms.BoundField) -> dict[str, Any] | None:
    if not bound.errors:
        return None
    return {"text": " ".join(str(e) for e in bound.errors), "visuallyHiddenText": _("Error")}


def _radios(bound: forms.BoundField, row: RegisterRow) -> SafeString:
    value = bound.value()
    selected = "" if value is None else str(value)
    hint = row.organisation
    if row.cancelled_late:
        hint = _("%(organisation)s. Cancelled late.") % {"organisation": row.organisation}
    return components.render(
        "radios",
        {
            "idPrefix": bound.auto_id,
            "name": bound.html_name,
            "classes": "govuk-radios--small govuk-radios--inline",
            "fieldset": {"legend": {"text": row.name, "classes": "govuk-fieldset__legend--s"}},
            "hint": {"text": hint} if hint else None,
            "errorMessage": _error(bound),
            "items": [
                {"value": v, "text": str(label), "checked": v == selected}
                for v, label in AttendanceMark.choices
            ],
        },
    )


def _note(bound: forms.BoundField) -> SafeString:
    value = bound.value()
    return components.render(
        "input",
        {
            "id": bound.auto_id,
            "name": bound.html_name,
            "label": {"text": str(bound.label), "classes": "govuk-label--s tip-register__note"},
            "value": value or None,
            "errorMessage": _error(bound),
            "classes": "govuk-!-width-full",
            "spellcheck": True,
        },
    )


class CertificateCheckForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Certificate code"),
        help_text=gettext_lazy(
            "It is printed at the foot of the certificate, for example Xb3kQ9_r2LmT7vYpA1sDfw."
        ),
        max_length=64,
        error_messages={
            "required": gettext_lazy("Enter the code printed on the certificate"),
            "max_length": gettext_lazy("A certificate code is 22 characters long. Check it"),
        },
    )

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"}
        )
