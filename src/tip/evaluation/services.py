"""Changes to a programme's evaluation plan, its waves and its planned measures.

Every value is checked before anything is saved, and a refusal names each field to fix and how
(a ``ValidationError`` with a message per field); each change is one transaction and is written
to the audit log. The pages and the API call these, so both refuse the same things with the same
words."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tip.core.models import AuditAction, User
from tip.evaluation.analysis.instrument_model import Instrument
from tip.evaluation.auditing import record_change as _audit
from tip.evaluation.models import (
    EARLIEST_OFFSET,
    LATEST_OFFSET,
    EvaluationPlan,
    PlannedMeasure,
    Response,
    Wave,
    WaveKind,
)
from tip.evaluation.selectors_instruments import (
    PartnershipRef,
    choosable_instruments,
    instrument_for,
    instrument_versions,
)
from tip.programmes.models import Element, ElementKind, Indicator, Programme

MAX_DESCRIPTION = 500
MAX_NOTES = 5000
MAX_WAVE_NAME = 100
# How surveys run and answers are linked (docs/evaluation-plan.md, "How surveys run").
MAX_LINK_MISMATCHES = 3
MIN_DAYS_OPEN, MAX_DAYS_OPEN = 3, 60
MIN_RETENTION_DAYS, MAX_RETENTION_DAYS = 90, 3650
SURVEY_FIELDS = ("anonymous", "link_mismatches", "days_open", "reminder_days", "retention_days")
PLAN_FIELDS = ("comparison_group", "comparison_description", "notes", *SURVEY_FIELDS)
WAVE_FIELDS = ("name", "kind", "offset_days")


def default_waves() -> list[tuple[str, str, int]]:
    """The waves a new plan starts with, named in the language of the person creating it: a
    baseline a week before the session, straight after it, six and twelve months after."""
    return [
        (_("Baseline"), WaveKind.BASELINE, -7),
        (_("Straight after"), WaveKind.POST, 0),
        (_("Six months after"), WaveKind.FOLLOW_UP, 182),
        (_("Twelve months after"), WaveKind.FOLLOW_UP, 365),
    ]


# The plan ---------------------------------------------------------------------------------------


def retention_months(days: int) -> int:
    """Days to keep identifiers in whole months, as the consent page says them (at least 1)."""
    return max(1, round(days / 30.44))


def _whole(value: Any) -> int | None:
    """A whole number sent as a number or as text; None for anything else (true, 2.5, "two")."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


def survey_number_messages() -> dict[str, str]:
    """What to fix when a number of how surveys run is missing, not a whole number or out of
    range: one message per field, for the service and the page's form alike."""
    return {
        "link_mismatches": _(
            "Enter the number of code elements that may differ as a whole number from 0 (exact "
            "codes only) to %(max)s"
        )
        % {"max": MAX_LINK_MISMATCHES},
        "days_open": _(
            "Enter the number of days a survey stays open as a whole number from %(min)s to %(max)s"
        )
        % {"min": MIN_DAYS_OPEN, "max": MAX_DAYS_OPEN},
        "reminder_days": _(
            "Enter the number of days before closing to send a reminder as a whole number, or 0 "
            "for no reminder"
        ),
        "retention_days": _(
            "Enter how many days to keep identifiers and free text as a whole number from "
            "%(min)s (about 3 months) to %(max)s (about 10 years)"
        )
        % {"min": MIN_RETENTION_DAYS, "max": MAX_RETENTION_DAYS},
    }


def _clean_survey_settings(
    plan: EvaluationPlan | None, sent: dict[str, Any], errors: dict[str, str]
) -> dict[str, Any]:
    """How the plan's surveys run: each value sent, or (None) the plan's own (a new plan's
    default). Refusals go in ``errors``, one per field, saying what to fix."""
    current = plan or EvaluationPlan()
    values = {name: getattr(current, name) if sent[name] is None else sent[name] for name in sent}
    answered = plan is not None and Response.objects.filter(plan=plan).exists()
    messages = survey_number_messages()

    anonymous = values["anonymous"]
    if not isinstance(anonymous, bool):
        errors["anonymous"] = _(
            "Choose how answers are linked over time: through the booking or with an anonymous code"
        )
    elif plan is not None and anonymous != plan.anonymous and answered:
        errors["anonymous"] = (
            _(
                "People have already answered with an anonymous code, which cannot be matched to "
                "a booking: their answers could not be linked to later ones. Keep linking with "
                "an anonymous code"
            )
            if plan.anonymous
            else _(
                "People have already answered through their booking, and answers given later "
                "with an anonymous code could not be linked to them. Keep linking through the "
                "booking"
            )
        )

    mismatches = _whole(values["link_mismatches"])
    if mismatches is None or not 0 <= mismatches <= MAX_LINK_MISMATCHES:
        errors["link_mismatches"] = messages["link_mismatches"]

    days_open = _whole(values["days_open"])
    if days_open is None or not MIN_DAYS_OPEN <= days_open <= MAX_DAYS_OPEN:
        errors["days_open"] = messages["days_open"]
        days_open = None

    reminder = _whole(values["reminder_days"])
    if reminder is None or reminder < 0:
        errors["reminder_days"] = messages["reminder_days"]
    elif days_open is not None and reminder >= days_open:
        errors["reminder_days"] = _(
            "The reminder has to go while the survey is open (%(days)s days): enter fewer days "
            "before closing, from 1 to %(most)s, or 0 for no reminder"
        ) % {"days": days_open, "most": days_open - 1}
    elif reminder >= MAX_DAYS_OPEN:
        errors["reminder_days"] = _(
            "Enter fewer days before closing than the survey stays open, or 0 for no reminder"
        )

    retention = _whole(values["retention_days"])
    if retention is None or not MIN_RETENTION_DAYS <= retention <= MAX_RETENTION_DAYS:
        errors["retention_days"] = messages["retention_days"]
    elif plan is not None and retention > plan.retention_days and answered:
        errors["retention_days"] = _(
            "People who have already answered were told their identifiers and free text would "
            "be kept for %(days)s days (about %(months)s months) after the last survey closes: "
            "enter %(days)s or fewer"
        ) % {"days": plan.retention_days, "months": retention_months(plan.retention_days)}

    return {
        "anonymous": anonymous,
        "link_mismatches": mismatches,
        "days_open": days_open,
        "reminder_days": reminder,
        "retention_days": retention,
    }


def _clean_plan(
    plan: EvaluationPlan | None,
    *,
    comparison_group: Any,
    comparison_description: Any,
    notes: Any,
    **survey: Any,
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    description = str(comparison_description or "").strip()
    text = str(notes or "").strip()
    if not isinstance(comparison_group, bool):
        errors["comparison_group"] = _("Say whether a comparison group is planned: yes or no")
    elif comparison_group and not description:
        errors["comparison_description"] = _(
            "Say briefly who the comparison group will be, such as staff in a neighbouring area "
            "who are not trained until later"
        )
    if len(description) > MAX_DESCRIPTION:
        errors["comparison_description"] = _(
            "Describe the comparison group in %(max)s characters or fewer"
        ) % {"max": MAX_DESCRIPTION}
    if len(text) > MAX_NOTES:
        errors["notes"] = _("Write the notes in %(max)s characters or fewer") % {"max": MAX_NOTES}
    settings = _clean_survey_settings(plan, survey, errors)
    if errors:
        raise ValidationError(errors)
    return {
        "comparison_group": comparison_group,
        "comparison_description": description,
        "notes": text,
        **settings,
    }


@transaction.atomic
def plan_create(
    *,
    programme: Programme,
    comparison_group: Any = False,
    comparison_description: Any = "",
    notes: Any = "",
    anonymous: Any = None,
    link_mismatches: Any = None,
    days_open: Any = None,
    reminder_days: Any = None,
    retention_days: Any = None,
    by: User,
    via: str = "web",
) -> EvaluationPlan:
    """The programme's plan, with the default waves. A programme has one plan only. How its
    surveys run (``anonymous`` to ``retention_days``) takes the defaults where None."""
    # Take turns on the programme's row, so two people cannot create two plans at once.
    Programme.objects.select_for_update().filter(pk=programme.pk).first()
    if EvaluationPlan.objects.filter(programme=programme).exists():
        raise ValidationError(
            _("The programme already has an evaluation plan: change that plan instead")
        )
    values = _clean_plan(
        None,
        comparison_group=comparison_group,
        comparison_description=comparison_description,
        notes=notes,
        anonymous=anonymous,
        link_mismatches=link_mismatches,
        days_open=days_open,
        reminder_days=reminder_days,
        retention_days=retention_days,
    )
    plan = EvaluationPlan.objects.create(
        partnership_id=programme.partnership_id, programme=programme, **values
    )
    _audit(AuditAction.CREATE, plan, by, ["programme", *PLAN_FIELDS], via)
    for name, kind, offset in default_waves():
        wave = Wave.objects.create(
            partnership_id=plan.partnership_id, plan=plan, name=name, kind=kind, offset_days=offset
        )
        _audit(AuditAction.CREATE, wave, by, ["plan", *WAVE_FIELDS], via)
    return plan


def _lock(plan: EvaluationPlan) -> None:
    """Take turns on the plan's row: its waves and measures are checked as a whole."""
    EvaluationPlan.objects.select_for_update().filter(pk=plan.pk).first()


@transaction.atomic
def plan_update(
    *,
    plan: EvaluationPlan,
    comparison_group: Any,
    comparison_description: Any = "",
    notes: Any = "",
    anonymous: Any = None,
    link_mismatches: Any = None,
    days_open: Any = None,
    reminder_days: Any = None,
    retention_days: Any = None,
    by: User,
    via: str = "web",
) -> EvaluationPlan:
    """Change the plan. How its surveys run (``anonymous`` to ``retention_days``) keeps its
    values where None. Refused: switching how answers are linked once anyone has answered, and
    keeping identifiers longer than those who answered were told."""
    _lock(plan)
    plan.refresh_from_db()
    values = _clean_plan(
        plan,
        comparison_group=comparison_group,
        comparison_description=comparison_description,
        notes=notes,
        anonymous=anonymous,
        link_mismatches=link_mismatches,
        days_open=days_open,
        reminder_days=reminder_days,
        retention_days=retention_days,
    )
    changed = [name for name, value in values.items() if getattr(plan, name) != value]
    if changed:
        for name, value in values.items():
            setattr(plan, name, value)
        plan.save()
        _audit(AuditAction.UPDATE, plan, by, changed, via)
    return plan


# Waves ------------------------------------------------------------------------------------------


def _clean_wave(
    plan: EvaluationPlan, *, name: Any, kind: Any, offset_days: Any, exclude: int | None
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    name = str(name or "").strip()
    kind = str(kind or "").strip()
    if not name:
        errors["name"] = _("Enter a name for the wave, such as Six months after")
    elif len(name) > MAX_WAVE_NAME:
        errors["name"] = _("Name the wave in %(max)s characters or fewer") % {"max": MAX_WAVE_NAME}
    else:
        same = Wave.objects.filter(plan=plan, name__iexact=name)
        if exclude is not None:
            same = same.exclude(pk=exclude)
        if same.exists():
            errors["name"] = _(
                "The plan already has a wave called %(name)s: choose another name"
            ) % {"name": name}
    if kind not in WaveKind.values:
        errors["kind"] = _("Choose whether the wave is a baseline, straight after or a follow-up")
    offset: int | None = None
    if isinstance(offset_days, bool):
        offset_days = None
    try:
        offset = int(str(offset_days).strip())
    except (TypeError, ValueError):
        errors["offset_days"] = _(
            "Enter the number of days from the session as a whole number, such as -7 for a week "
            "before or 182 for six months after"
        )
    if offset is not None:
        if not EARLIEST_OFFSET <= offset <= LATEST_OFFSET:
            errors["offset_days"] = _(
                "Enter a number of days from %(earliest)s (three months before the session) to "
                "%(latest)s (three years after)"
            ) % {"earliest": EARLIEST_OFFSET, "latest": LATEST_OFFSET}
        elif kind == WaveKind.BASELINE and offset > 0:
            errors["offset_days"] = _(
                "A baseline is before the session or on its day: enter 0 or a negative number "
                "of days, such as -7 for a week before"
            )
        elif kind == WaveKind.POST and offset < 0:
            errors["offset_days"] = _(
                "A wave straight after the session cannot be before it: enter 0 or more days, "
                "or make the wave a baseline"
            )
        elif kind == WaveKind.FOLLOW_UP and offset <= 0:
            errors["offset_days"] = _(
                "A follow-up is after the session: enter a number of days after it, such as 182 "
                "for six months"
            )
    if errors:
        raise ValidationError(errors)
    return {"name": name, "kind": kind, "offset_days": offset}


@transaction.atomic
def wave_create(
    *,
    plan: EvaluationPlan,
    name: Any,
    kind: Any,
    offset_days: Any,
    by: User,
    via: str = "web",
) -> Wave:
    _lock(plan)
    values = _clean_wave(plan, name=name, kind=kind, offset_days=offset_days, exclude=None)
    wave = Wave.objects.create(partnership_id=plan.partnership_id, plan=plan, **values)
    _audit(AuditAction.CREATE, wave, by, ["plan", *WAVE_FIELDS], via)
    return wave


@transaction.atomic
def wave_update(
    *,
    wave: Wave,
    name: Any,
    kind: Any,
    offset_days: Any,
    by: User,
    via: str = "web",
) -> Wave:
    _lock(wave.plan)
    values = _clean_wave(wave.plan, name=name, kind=kind, offset_days=offset_days, exclude=wave.pk)
    changed = [field for field, value in values.items() if getattr(wave, field) != value]
    if changed:
        for field, value in values.items():
            setattr(wave, field, value)
        wave.save()
        _audit(AuditAction.UPDATE, wave, by, changed, via)
    return wave


@transaction.atomic
def wave_delete(*, wave: Wave, by: User, via: str = "web") -> None:
    """Remove a wave. Refused for the plan's last wave, and for the only wave of a measure
    (choose another wave for it, or remove it, first): a measure is always used somewhere."""
    _lock(wave.plan)
    if not Wave.objects.filter(plan_id=wave.plan_id).exclude(pk=wave.pk).exists():
        raise ValidationError(
            _("A plan needs at least one wave: add another wave before removing %(name)s")
            % {"name": wave.name}
        )
    stranded = [
        m
        for m in PlannedMeasure.objects.filter(waves=wave).prefetch_related("waves")
        if len(m.waves.all()) == 1
    ]
    if stranded:
        titles = ", ".join(
            instrument_title(m.instrument_id, partnership=m.partnership_id) for m in stranded
        )
        raise ValidationError(
            _(
                "%(name)s is the only wave of %(instruments)s: choose another wave for it, or "
                "remove it from the plan, first"
            )
            % {"name": wave.name, "instruments": titles}
        )
    _audit(AuditAction.DELETE, wave, by, [], via)
    wave.delete()


# Planned measures -------------------------------------------------------------------------------


def instrument_title(
    instrument_id: str, language: str | None = None, *, partnership: PartnershipRef = None
) -> str:
    """The instrument's title in the reader's language (TIP's own, or the partnership's); its id
    when there is no such instrument."""
    try:
        instrument = instrument_for(partnership, instrument_id)
    except KeyError:
        return instrument_id
    return instrument.title.in_language(language or get_language() or "en")


def _instrument(
    partnership_id: int, instrument_id: Any, version: Any, errors: dict[str, str]
) -> Instrument | None:
    """The instrument a measure names: TIP's own or the plan's partnership's, in a version
    there is. Another partnership's instrument is unknown here."""
    code = str(instrument_id or "").strip()
    if not code:
        errors["instrument_id"] = _("Choose an instrument from the library")
        return None
    versions = instrument_versions(partnership_id, code)
    if not versions:
        ids = ", ".join(i.id for i in choosable_instruments(partnership_id))
        errors["instrument_id"] = _(
            "There is no instrument “%(id)s” in the library: choose one of %(ids)s"
        ) % {"id": code, "ids": ids}
        return None
    given = None if isinstance(version, bool) else str(version).strip()
    chosen = next((v for v in versions if str(v) == given), None)
    if chosen is None:
        latest = versions[-1]
        errors["instrument_version"] = _(
            "The library has version %(version)s of “%(id)s”, not %(given)s: use version "
            "%(version)s"
        ) % {"version": latest, "id": code, "given": version}
        return instrument_for(partnership_id, code, latest)
    return instrument_for(partnership_id, code, chosen)


def _clean_measure(
    plan: EvaluationPlan,
    *,
    instrument_id: Any,
    instrument_version: Any,
    waves: Iterable[Wave],
    outcomes: Iterable[Element],
    indicators: Iterable[Indicator],
    exclude: int | None,
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    instrument = _instrument(plan.partnership_id, instrument_id, instrument_version, errors)
    if instrument is not None:
        same = PlannedMeasure.objects.filter(plan=plan, instrument_id=instrument.id)
        if exclude is not None:
            same = same.exclude(pk=exclude)
        if same.exists():
            errors["instrument_id"] = _(
                "The plan already uses %(title)s: change that measure's waves instead of adding "
                "it again"
            ) % {"title": instrument.title.in_language(get_language() or "en")}
    wave_list = list(dict.fromkeys(waves))
    if not wave_list:
        errors["waves"] = _("Choose at least one wave at which to use the instrument")
    elif any(w.plan_id != plan.pk for w in wave_list):
        errors["waves"] = _("Choose waves of this programme's evaluation plan")
    outcome_list = list(dict.fromkeys(outcomes))
    if any(
        o.programme_id != plan.programme_id or o.kind != ElementKind.OUTCOME for o in outcome_list
    ):
        errors["outcomes"] = _("Choose outcomes of this programme's Theory of Change")
    indicator_list = list(dict.fromkeys(indicators))
    programme_outcomes = set(
        Element.objects.filter(programme_id=plan.programme_id).values_list("pk", flat=True)
    )
    if any(i.outcome_id not in programme_outcomes for i in indicator_list):
        errors["indicators"] = _(
            "Choose indicators of the outcomes in this programme's Theory of Change"
        )
    if errors:
        raise ValidationError(errors)
    assert instrument is not None
    return {
        "instrument_id": instrument.id,
        "instrument_version": instrument.version,
        "waves": wave_list,
        "outcomes": outcome_list,
        "indicators": indicator_list,
    }


@transaction.atomic
def measure_create(
    *,
    plan: EvaluationPlan,
    instrument_id: Any,
    instrument_version: Any,
    waves: Iterable[Wave],
    outcomes: Iterable[Element] = (),
    indicators: Iterable[Indicator] = (),
    by: User,
    via: str = "web",
) -> PlannedMeasure:
    _lock(plan)
    values = _clean_measure(
        plan,
        instrument_id=instrument_id,
        instrument_version=instrument_version,
        waves=waves,
        outcomes=outcomes,
        indicators=indicators,
        exclude=None,
    )
    measure = PlannedMeasure.objects.create(
        partnership_id=plan.partnership_id,
        plan=plan,
        instrument_id=values["instrument_id"],
        instrument_version=values["instrument_version"],
    )
    measure.waves.set(values["waves"])
    measure.outcomes.set(values["outcomes"])
    measure.indicators.set(values["indicators"])
    fields = ["plan", "instrument_id", "instrument_version", "waves"]
    fields += [f for f in ("outcomes", "indicators") if values[f]]
    _audit(AuditAction.CREATE, measure, by, fields, via)
    return measure


@transaction.atomic
def measure_update(
    *,
    measure: PlannedMeasure,
    instrument_id: Any,
    instrument_version: Any,
    waves: Iterable[Wave],
    outcomes: Iterable[Element] = (),
    indicators: Iterable[Indicator] = (),
    by: User,
    via: str = "web",
) -> PlannedMeasure:
    _lock(measure.plan)
    values = _clean_measure(
        measure.plan,
        instrument_id=instrument_id,
        instrument_version=instrument_version,
        waves=waves,
        outcomes=outcomes,
        indicators=indicators,
        exclude=measure.pk,
    )
    changed = [
        f for f in ("instrument_id", "instrument_version") if getattr(measure, f) != values[f]
    ]
    for related in ("waves", "outcomes", "indicators"):
        before = {o.pk for o in getattr(measure, related).all()}
        if before != {o.pk for o in values[related]}:
            changed.append(related)
            getattr(measure, related).set(values[related])
    if changed:
        measure.instrument_id = values["instrument_id"]
        measure.instrument_version = values["instrument_version"]
        measure.save()
        _audit(AuditAction.UPDATE, measure, by, changed, via)
    return measure


@transaction.atomic
def measure_delete(*, measure: PlannedMeasure, by: User, via: str = "web") -> None:
    _audit(AuditAction.DELETE, measure, by, [], via)
    measure.delete()
