"""Changing qualitative coding (docs/evaluation-qualitative-coding.md): the codebook's codes
(added, changed, retired and restored; deleted only while nothing uses them), a coder's coding
of a text (the codes they found in it, perhaps none), and the double-coding sample.

Every value is checked before anything is saved; a refusal names each field (a
``ValidationError`` with a message per field: ``label``, ``description``, ``parent``,
``position``, ``codes``, ``share``), in words that say what to fix. Each change is one
transaction and is written to the audit log. The coder is the person signed in: nobody changes
another coder's codings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tip.core.audit import audit_change
from tip.core.models import AuditAction, User
from tip.evaluation import selectors_coding as selectors
from tip.evaluation.auditing import record_change as _audit
from tip.evaluation.models import Code, Coding, EvaluationPlan, SampledText

MAX_LABEL = 100
MAX_DESCRIPTION = 2000
MAX_POSITION = 10_000
CODE_FIELDS = ("label", "description", "parent", "position")


# --- The codebook ------------------------------------------------------------------------------


def _clean_code(
    *,
    plan: EvaluationPlan,
    label: Any,
    description: Any,
    parent: Code | None,
    position: Any,
    code: Code | None = None,
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    label_text = " ".join(str(label or "").split())
    description_text = str(description or "").strip()
    if not label_text:
        errors["label"] = _("Enter the code's label")
    elif len(label_text) > MAX_LABEL:
        errors["label"] = _("Enter a label of %(max)s characters or fewer") % {"max": MAX_LABEL}
    else:
        clash = Code.objects.filter(
            plan=plan, partnership_id=plan.partnership_id, label__iexact=label_text
        )
        if code is not None:
            clash = clash.exclude(pk=code.pk)
        if clash.exists():
            errors["label"] = _(
                "The codebook already has a code “%(label)s”: choose another label"
            ) % {"label": label_text}
    if len(description_text) > MAX_DESCRIPTION:
        errors["description"] = _("Say what it means in %(max)s characters or fewer") % {
            "max": MAX_DESCRIPTION
        }
    if parent is not None:
        if parent.partnership_id != plan.partnership_id or parent.plan_id != plan.pk:
            errors["parent"] = _("Choose a theme from this plan's codebook")
        elif code is not None and _is_under(parent, code):
            errors["parent"] = _("Choose a theme that is not this code or one of its own codes")
        elif parent.retired:
            errors["parent"] = _("Choose a theme that is not retired")
    if position in (None, ""):
        position_value = None
    else:
        try:
            position_value = int(position)
        except (TypeError, ValueError):
            position_value = -1
        if not 0 <= position_value <= MAX_POSITION:
            errors["position"] = _("Enter the position as a whole number from 0 to %(max)s") % {
                "max": MAX_POSITION
            }
    if errors:
        raise ValidationError(errors)
    return {
        "label": label_text,
        "description": description_text,
        "parent": parent,
        "position": position_value,
    }


def _is_under(candidate: Code, code: Code) -> bool:
    """Whether ``candidate`` is ``code`` or one of the codes under it."""
    current: Code | None = candidate
    for _step in range(50):
        if current is None:
            return False
        if current.pk == code.pk:
            return True
        current = current.parent
    return True


def _next_position(plan: EvaluationPlan) -> int:
    last = (
        Code.objects.filter(plan=plan, partnership_id=plan.partnership_id)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    return 0 if last is None else min(MAX_POSITION, last + 1)


@transaction.atomic
def code_create(
    *,
    plan: EvaluationPlan,
    by: User,
    label: Any,
    description: Any = "",
    parent: Code | None = None,
    position: Any = None,
    via: str = "web",
) -> Code:
    values = _clean_code(
        plan=plan, label=label, description=description, parent=parent, position=position
    )
    if values["position"] is None:
        values["position"] = _next_position(plan)
    code = Code.objects.create(partnership_id=plan.partnership_id, plan=plan, **values)
    _audit(AuditAction.CREATE, code, by, ["plan", *CODE_FIELDS], via)
    return code


@transaction.atomic
def code_update(
    *,
    code: Code,
    by: User,
    label: Any,
    description: Any = "",
    parent: Code | None = None,
    position: Any = None,
    via: str = "web",
) -> Code:
    values = _clean_code(
        plan=code.plan,
        label=label,
        description=description,
        parent=parent,
        position=position,
        code=code,
    )
    if values["position"] is None:
        values["position"] = code.position
    changed = [name for name, value in values.items() if getattr(code, name) != value]
    if changed:
        for name, value in values.items():
            setattr(code, name, value)
        code.save()
        _audit(AuditAction.UPDATE, code, by, changed, via)
    return code


@transaction.atomic
def code_retire(*, code: Code, by: User, via: str = "web") -> Code:
    """Retire a code: it stays on the codings that apply it and in the counts, but is no
    longer offered for coding. Its own codes stay (retire them too if they should go)."""
    if code.retired_at is None:
        code.retired_at = timezone.now()
        code.save(update_fields=["retired_at", "updated_at"])
        _audit(AuditAction.UPDATE, code, by, ["retired_at"], via)
    return code


@transaction.atomic
def code_restore(*, code: Code, by: User, via: str = "web") -> Code:
    if code.retired_at is not None:
        if code.parent is not None and code.parent.retired:
            raise ValidationError(
                {"parent": _("Restore its theme “%(theme)s” first") % {"theme": code.parent}}
            )
        code.retired_at = None
        code.save(update_fields=["retired_at", "updated_at"])
        _audit(AuditAction.UPDATE, code, by, ["retired_at"], via)
    return code


def code_in_use(code: Code) -> bool:
    return code.codings.exists() or code.children.exists()


@transaction.atomic
def code_delete(*, code: Code, by: User, via: str = "web") -> None:
    """Delete a code nothing uses yet (a mistake). A code in use is retired instead."""
    if code.codings.exists():
        raise ValidationError(
            _(
                "Texts have been coded with “%(code)s”: retire it instead, so their coding "
                "keeps its meaning"
            )
            % {"code": code}
        )
    if code.children.exists():
        raise ValidationError(
            _("“%(code)s” is the theme of other codes: move them to another theme first")
            % {"code": code}
        )
    _audit(AuditAction.DELETE, code, by, [], via)
    code.delete()


# --- Coding ------------------------------------------------------------------------------------


def _reference(text: selectors.Text) -> dict[str, Any]:
    return {
        "response_id": text.response_id,
        "instrument_id": text.instrument_id,
        "item_id": text.item_id,
        "observation_id": text.observation_id,
    }


@transaction.atomic
def coding_set(
    *,
    plan: EvaluationPlan,
    text: selectors.Text,
    coder: User,
    codes: Sequence[Code],
    via: str = "web",
) -> Coding:
    """The coder's codes for the text (``text_get`` found it, so it is the plan's and may still
    be coded): the codes given replace theirs. No codes says they read it and none applies.
    Retired codes the coder had applied may stay; no retired code may be added."""
    existing = selectors.coding_of(plan, text.key, coder)
    had = {c.pk for c in existing.codes.all()} if existing is not None else set()
    wanted = {c.pk: c for c in codes}
    for c in codes:
        if c.partnership_id != plan.partnership_id or c.plan_id != plan.pk:
            raise ValidationError({"codes": _("Choose codes from this plan's codebook")})
        if c.retired and c.pk not in had:
            raise ValidationError(
                {"codes": _("“%(code)s” is retired: choose one of the codes in use") % {"code": c}}
            )
    if existing is None:
        coding = Coding.objects.create(
            partnership_id=plan.partnership_id, plan=plan, coder=coder, **_reference(text)
        )
        coding.codes.set(list(wanted.values()))
        _audit(AuditAction.CREATE, coding, by=coder, fields=["text", "coder", "codes"], via=via)
        return coding
    if set(wanted) != had:
        existing.codes.set(list(wanted.values()))
        existing.save(update_fields=["updated_at"])
        _audit(AuditAction.UPDATE, existing, by=coder, fields=["codes"], via=via)
    return existing


@transaction.atomic
def coding_clear(
    *, plan: EvaluationPlan, text: selectors.Text, coder: User, via: str = "web"
) -> bool:
    """Undo the coder's coding of the text (back to not coded). Whether there was one."""
    existing = selectors.coding_of(plan, text.key, coder)
    if existing is None:
        return False
    _audit(AuditAction.DELETE, existing, by=coder, fields=[], via=via)
    existing.delete()
    return True


def tag(
    *, plan: EvaluationPlan, text: selectors.Text, coder: User, code: Code, via: str = "web"
) -> Coding:
    """Add one code to the coder's coding of the text."""
    existing = selectors.coding_of(plan, text.key, coder)
    current = list(existing.codes.all()) if existing is not None else []
    if code.pk in {c.pk for c in current}:
        assert existing is not None
        return existing
    return coding_set(plan=plan, text=text, coder=coder, codes=[*current, code], via=via)


def untag(
    *, plan: EvaluationPlan, text: selectors.Text, coder: User, code: Code, via: str = "web"
) -> Coding | None:
    """Take one code off the coder's coding of the text (the coding stays, perhaps empty)."""
    existing = selectors.coding_of(plan, text.key, coder)
    if existing is None:
        return None
    current = [c for c in existing.codes.all() if c.pk != code.pk]
    return coding_set(plan=plan, text=text, coder=coder, codes=current, via=via)


# --- The double-coding sample ------------------------------------------------------------------


def _sampled_reference(key: str) -> dict[str, Any]:
    kind, number, instrument_id, item_id = selectors.parse_key(key)
    if kind == selectors.OBSERVATION:
        return {"response_id": None, "instrument_id": "", "item_id": "", "observation_id": number}
    return {
        "response_id": number,
        "instrument_id": instrument_id,
        "item_id": item_id,
        "observation_id": None,
    }


@transaction.atomic
def sample_add(
    *, plan: EvaluationPlan, keys: Iterable[str], by: User, via: str = "web"
) -> list[SampledText]:
    """Add texts (their keys, found by ``texts``: the plan's, current) to the double-coding
    sample; those already in it are left. Audited as one change with the count."""
    already = set(selectors.sample_keys(plan))
    new = [k for k in dict.fromkeys(keys) if k not in already]
    # One by one rather than in bulk, so each row is saved as any other (and seen as saved).
    rows = [
        SampledText.objects.create(
            partnership_id=plan.partnership_id, plan=plan, added_by=by, **_sampled_reference(k)
        )
        for k in new
    ]
    if rows:
        audit_change(
            actor=by,
            action=AuditAction.CREATE,
            partnership=plan.partnership,
            object_type=SampledText._meta.label,
            changed_fields=["plan", "text"],
            via=via,
            summary=f"{len(rows)} text(s) added to the double-coding sample of plan {plan.pk}",
        )
    return rows


def sample_random(
    *,
    plan: EvaluationPlan,
    keys: Sequence[str],
    share: Any,
    by: User,
    seed: int | None = None,
    via: str = "web",
) -> list[SampledText]:
    """Draw a simple random sample of ``share`` percent (1 to 100) of the texts not yet in the
    sample (``keys``: the current texts' keys) and add it."""
    try:
        percent = float(share)
    except (TypeError, ValueError):
        percent = -1.0
    if not 1 <= percent <= 100:
        raise ValidationError({"share": _("Enter a percentage from 1 to 100, like 20")})
    already = set(selectors.sample_keys(plan))
    left = [k for k in keys if k not in already]
    if not left:
        raise ValidationError(
            {"share": _("Every text is in the sample already: there is nothing left to draw")}
        )
    return sample_add(
        plan=plan, keys=selectors.random_sample(left, percent / 100, seed=seed), by=by, via=via
    )


@transaction.atomic
def sample_remove(
    *, plan: EvaluationPlan, keys: Iterable[str] | None = None, by: User, via: str = "web"
) -> int:
    """Take texts out of the sample (all of them when ``keys`` is None). Codings stay."""
    rows = SampledText.objects.filter(plan=plan, partnership_id=plan.partnership_id)
    if keys is not None:
        wanted = set(keys)
        ids = [s.pk for s in rows if s.text_key in wanted]
        rows = rows.filter(pk__in=ids)
    count = rows.count()
    if count:
        audit_change(
            actor=by,
            action=AuditAction.DELETE,
            partnership=plan.partnership,
            object_type=SampledText._meta.label,
            via=via,
            summary=f"{count} text(s) taken out of the double-coding sample of plan {plan.pk}",
        )
        rows.delete()
    return count
