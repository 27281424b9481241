"""Adding and removing a partnership's own instruments.

An instrument arrives as pasted text or an uploaded file (YAML or JSON, UTF-8, up to 200 KB)
and is checked exactly like TIP's own (instrument_library.check_partnership_instrument): on any
problem nothing is saved and every problem is reported with its place in the file. A version
is never changed once added; one that a plan uses or that has answers cannot be removed either:
adding the changed instrument as a new version is the way (docs/evaluation-instruments.md)."""

from __future__ import annotations

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tip.core.audit import audit_change
from tip.core.models import AuditAction, Partnership, User
from tip.evaluation.instrument_library import check_partnership_instrument
from tip.evaluation.instruments import SUFFIXES
from tip.evaluation.models import (
    InstrumentFormat,
    Observation,
    PartnershipInstrument,
    PlannedMeasure,
    Response,
)

MAX_BYTES = 200 * 1024
FIELDS = ("instrument_id", "version", "fmt", "text", "title_en")


def instrument_file_read(*, name: str, data: bytes) -> tuple[str, str]:
    """The text and format ("yaml" or "json") of an uploaded instrument file; refused for
    another kind of file, one over 200 KB, or one not in UTF-8."""
    fmt = SUFFIXES.get(PurePath(name).suffix.lower())
    if fmt is None:
        raise ValidationError(
            {
                "file": _("The file must be a .yaml, .yml or .json file: %(name)s is not")
                % {"name": name}
            }
        )
    if len(data) > MAX_BYTES:
        raise ValidationError({"file": _("The file must be smaller than 200 KB")})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            {"file": _("The file must be saved as UTF-8 text: save it again as UTF-8")}
        ) from None
    return text, fmt


@transaction.atomic
def partnership_instrument_add(
    *,
    partnership: Partnership,
    text: str,
    fmt: str = InstrumentFormat.YAML,
    by: User,
    via: str = "web",
) -> PartnershipInstrument:
    """Check the instrument and keep it. Refused, with every problem and its place in the text,
    for an instrument with any problem, an id kept for TIP's own, or an id and version the
    partnership already has."""
    if fmt not in InstrumentFormat.values:
        raise ValidationError({"fmt": _("Say whether the instrument is written in YAML or JSON")})
    if not str(text or "").strip():
        raise ValidationError({"text": _("Paste the instrument, or choose a file to upload")})
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise ValidationError({"text": _("The instrument must be smaller than 200 KB")})
    if "\x00" in text:
        raise ValidationError(
            {"text": _("Remove the hidden null character (U+0000): it cannot be saved.")}
        )
    result = check_partnership_instrument(text, fmt=fmt)
    if result.instrument is None or result.problems:
        raise ValidationError({"text": [str(p) for p in result.problems]})
    instrument = result.instrument
    # Take turns on the partnership's row, so two uploads of one version cannot both pass.
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    if PartnershipInstrument.objects.filter(
        partnership=partnership, instrument_id=instrument.id, version=instrument.version
    ).exists():
        raise ValidationError(
            {
                "text": _(
                    "version: your partnership already has version %(version)s of “%(id)s”. "
                    "A version cannot be changed once added: raise the version to add the "
                    "changed instrument"
                )
                % {"version": instrument.version, "id": instrument.id}
            }
        )
    stored = PartnershipInstrument.objects.create(
        partnership=partnership,
        instrument_id=instrument.id,
        version=instrument.version,
        fmt=fmt,
        text=text,
        title_en=instrument.title.in_language("en")[:300],
        created_by=by,
    )
    audit_change(
        actor=by,
        action=AuditAction.CREATE,
        obj=stored,
        partnership=partnership,
        changed_fields=FIELDS,
        via=via,
    )
    return stored


def partnership_instrument_uses(stored: PartnershipInstrument) -> list[str]:
    """Why the version cannot be removed, in words: the plans that use it, answers given in
    it. Empty when it is unused."""
    reasons: list[str] = []
    key = {"instrument_id": stored.instrument_id, "instrument_version": stored.version}
    scope = {"partnership_id": stored.partnership_id}
    plans = (
        PlannedMeasure.objects.filter(**scope, **key)
        .select_related("plan__programme")
        .order_by("plan__programme__name")
    )
    names = [m.plan.programme.name for m in plans]
    if names:
        reasons.append(
            _("the evaluation plans of %(programmes)s use it") % {"programmes": ", ".join(names)}
        )
    answered = (
        Response.objects.filter(
            **scope, **{f"versions__{stored.instrument_id}": stored.version}
        ).exists()
        or Observation.objects.filter(**scope, **key).exists()
    )
    if answered:
        reasons.append(_("answers have been given in it"))
    return reasons


@transaction.atomic
def partnership_instrument_delete(
    *, stored: PartnershipInstrument, by: User, via: str = "web"
) -> None:
    """Remove a version nobody has used. Refused when a plan uses it or answers were given in
    it: they are kept against the version they were given in."""
    Partnership.objects.select_for_update().filter(pk=stored.partnership_id).first()
    reasons = partnership_instrument_uses(stored)
    if reasons:
        raise ValidationError(
            _(
                "Version %(version)s of “%(id)s” cannot be removed: %(reasons)s. Add a new "
                "version instead of changing this one."
            )
            % {"version": stored.version, "id": stored.instrument_id, "reasons": "; ".join(reasons)}
        )
    audit_change(
        actor=by,
        action=AuditAction.DELETE,
        obj=stored,
        partnership=stored.partnership,
        changed_fields=[],
        via=via,
    )
    stored.delete()
