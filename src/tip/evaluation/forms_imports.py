"""The forms of the import pages. They only parse what was sent; the services check the rows."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tip.evaluation import imports
from tip.evaluation.imports import Suggestion, Table, column_letter
from tip.evaluation.models import Group, PlannedMeasure, Wave
from tip.evaluation.services import instrument_title

SAMPLES = 3


def _file_field() -> forms.FileField:
    return forms.FileField(
        label=_("Upload the file"),
        help_text=_(
            "A CSV file (saved as CSV UTF-8) or an Excel workbook (.xlsx), smaller than 5 MB, "
            "with at most 5,000 rows. The first row names the columns."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
        error_messages={
            "required": _("Select a CSV or XLSX file"),
            "empty": _("The selected file is empty"),
            "invalid": _("The selected file could not be read. Try uploading it again"),
        },
    )


def _group_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("If the file identifies people only by an anonymous number, which group are they?"),
        help_text=_("People found by their email address or booking keep their own group."),
        choices=Group.choices,
        initial=Group.TRAINED,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the group"), "invalid_choice": _("Choose the group")},
    )


def _wave_field(waves: list[Wave]) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Which wave are the answers from?"),
        choices=[(str(w.pk), w.name) for w in waves],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the wave the answers are from"),
            "invalid_choice": _("Choose one of the plan's waves"),
        },
    )


class ResponseImportForm(forms.Form):
    def __init__(
        self, *args: Any, waves: list[Wave], measures: list[PlannedMeasure], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.waves = {str(w.pk): w for w in waves}
        self.measures = {m.instrument_id: m for m in measures}
        self.fields["wave"] = _wave_field(waves)
        self.fields["instrument"] = forms.ChoiceField(
            label=_("Which instrument did people answer?"),
            help_text=_("One of the plan's instruments used at that wave."),
            choices=[(m.instrument_id, instrument_title(m.instrument_id)) for m in measures],
            widget=forms.RadioSelect,
            error_messages={
                "required": _("Choose the instrument"),
                "invalid_choice": _("Choose one of the plan's instruments"),
            },
        )
        self.fields["group"] = _group_field()
        self.fields["file"] = _file_field()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        wave = self.waves.get(cleaned.get("wave", ""))
        measure = self.measures.get(cleaned.get("instrument", ""))
        if (
            wave is not None
            and measure is not None
            and wave.pk not in {w.pk for w in measure.waves.all()}
        ):
            self.add_error(
                "instrument",
                _("The plan does not use %(title)s at %(wave)s: choose another wave or instrument")
                % {"title": instrument_title(measure.instrument_id), "wave": wave.name},
            )
        cleaned["wave"] = wave
        cleaned["measure"] = measure
        return cleaned


class ArticImportForm(forms.Form):
    def __init__(self, *args: Any, waves: list[Wave], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.waves = {str(w.pk): w for w in waves}
        self.fields["wave"] = _wave_field(waves)
        self.fields["version"] = forms.ChoiceField(
            label=_("Which form of the ARTIC did people answer?"),
            help_text=_("As your licence and the scorer name it."),
            choices=[(f, f) for f in imports.artic_headers().forms],
            widget=forms.RadioSelect,
            error_messages={
                "required": _("Choose the form of the ARTIC"),
                "invalid_choice": _("Choose the form of the ARTIC"),
            },
        )
        self.fields["group"] = _group_field()
        self.fields["file"] = _file_field()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["wave"] = self.waves.get(cleaned.get("wave", ""))
        return cleaned


class ColumnsForm(forms.Form):
    """What each column is: one choice per column, suggested where TIP can tell."""

    date_order = forms.ChoiceField(
        label=_("How are dates with slashes written?"),
        help_text=_("Only needed when every date could be either, such as 03/04/2024."),
        choices=[
            (imports.AUTO, _("Tell from the file")),
            (imports.DAY_FIRST, _("Day first (31/01/2024)")),
            (imports.MONTH_FIRST, _("Month first (01/31/2024)")),
        ],
        initial=imports.AUTO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how dates are written")},
    )

    def __init__(
        self,
        *args: Any,
        table: Table,
        targets: list[tuple[str, str]],
        suggestions: list[Suggestion],
        mapping: list[str],
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        self.table = table
        for i, header in enumerate(table.headers):
            samples = [r[i] for r in table.rows if r[i]][:SAMPLES]
            hint = _("For example: %(values)s") % {"values": "; ".join(v[:40] for v in samples)}
            if not samples:
                hint = str(_("The column is empty"))
            reason = suggestions[i].reason if i < len(suggestions) else ""
            if reason:
                hint = f"{hint}. {_('Suggested')}: {reason}"
            self.fields[f"col_{i}"] = forms.ChoiceField(
                label=_("Column %(letter)s: %(header)s")
                % {"letter": column_letter(i), "header": header},
                help_text=hint,
                choices=targets,
                required=False,
                initial=mapping[i] if i < len(mapping) and mapping[i] else suggestions[i].target,
            )
        self.order_fields([f"col_{i}" for i in range(len(table.headers))] + ["date_order"])

    def mapping(self) -> list[str]:
        return [self.cleaned_data.get(f"col_{i}") or "" for i in range(len(self.table.headers))]
