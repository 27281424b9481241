"""Changes to providers, trainers and trainers' answers. Each is validated and audited.

The guidance's questions come from ``trainer_questions.py``; an answer to a question that is not
there is refused.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tip.core.audit import audit_change
from tip.core.models import AuditAction, Partnership, User
from tip.training.models_providers import Answer, Provider, ProviderKind, Trainer, TrainerAnswer
from tip.training.trainer_questions import load_questions

PROVIDER_FIELDS = ("name", "kind", "description")
TRAINER_FIELDS = ("name", "role")


def _check_provider(partnership: Partnership, name: str, kind: str, exclude: int | None) -> None:
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Enter the provider's name")
    elif (
        Provider.objects.for_partnership(partnership)
        .filter(name__iexact=name)
        .exclude(pk=exclude)
        .exists()
    ):
        errors["name"] = _(
            "A provider called '%(name)s' is already listed. Choose another name."
        ) % {"name": name}
    if kind not in ProviderKind.values:
        errors["kind"] = _("Choose the kind of provider")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def provider_create(
    *,
    partnership: Partnership,
    name: str,
    kind: str,
    description: str = "",
    by: User,
    via: str = "web",
) -> Provider:
    name = name.strip()
    _check_provider(partnership, name, kind, None)
    provider = Provider(
        partnership=partnership, name=name, kind=kind, description=description.strip()
    )
    provider.full_clean()
    provider.save()
    audit_change(
        actor=by,
        action=AuditAction.CREATE,
        obj=provider,
        partnership=partnership,
        changed_fields=PROVIDER_FIELDS,
        via=via,
    )
    return provider


@transaction.atomic
def provider_update(*, provider: Provider, by: User, via: str = "web", **values: Any) -> Provider:
    unknown = set(values) - set(PROVIDER_FIELDS)
    if unknown:
        raise ValueError(f"Not provider fields: {sorted(unknown)}")
    values = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    name = values.get("name", provider.name)
    kind = values.get("kind", provider.kind)
    _check_provider(provider.partnership, name, kind, provider.pk)
    changed = [k for k, v in values.items() if getattr(provider, k) != v]
    for k, v in values.items():
        setattr(provider, k, v)
    provider.full_clean()
    provider.save()
    if changed:
        audit_change(
            actor=by,
            action=AuditAction.UPDATE,
            obj=provider,
            partnership=provider.partnership,
            changed_fields=changed,
            via=via,
        )
    return provider


@transaction.atomic
def provider_delete(*, provider: Provider, by: User, via: str = "web") -> None:
    """Remove a provider with its trainers, their answers and clearances."""
    audit_change(
        actor=by,
        action=AuditAction.DELETE,
        obj=provider,
        partnership=provider.partnership,
        via=via,
    )
    provider.delete()


def _check_trainer(name: str) -> None:
    if not name:
        raise ValidationError({"name": _("Enter the trainer's name")})


@transaction.atomic
def trainer_create(
    *, provider: Provider, name: str, role: str = "", by: User, via: str = "web"
) -> Trainer:
    name = name.strip()
    _check_trainer(name)
    trainer = Trainer(
        partnership_id=provider.partnership_id, provider=provider, name=name, role=role.strip()
    )
    trainer.full_clean()
    trainer.save()
    audit_change(
        actor=by,
        action=AuditAction.CREATE,
        obj=trainer,
        partnership=provider.partnership,
        changed_fields=TRAINER_FIELDS,
        via=via,
    )
    return trainer


@transaction.atomic
def trainer_update(*, trainer: Trainer, by: User, via: str = "web", **values: Any) -> Trainer:
    unknown = set(values) - set(TRAINER_FIELDS)
    if unknown:
        raise ValueError(f"Not trainer fields: {sorted(unknown)}")
    values = {k: v.strip() for k, v in values.items()}
    _check_trainer(values.get("name", trainer.name))
    changed = [k for k, v in values.items() if getattr(trainer, k) != v]
    for k, v in values.items():
        setattr(trainer, k, v)
    trainer.full_clean()
    trainer.save()
    if changed:
        audit_change(
            actor=by,
            action=AuditAction.UPDATE,
            obj=trainer,
            partnership=trainer.partnership,
            changed_fields=changed,
            via=via,
        )
    return trainer


@transaction.atomic
def trainer_delete(*, trainer: Trainer, by: User, via: str = "web") -> None:
    """Remove a trainer with their answers and clearances."""
    audit_change(
        actor=by, action=AuditAction.DELETE, obj=trainer, partnership=trainer.partnership, via=via
    )
    trainer.delete()


@transaction.atomic
def trainer_answers_set(
    *,
    trainer: Trainer,
    answers: dict[str, tuple[str, str]],
    by: User,
    via: str = "web",
) -> list[TrainerAnswer]:
    """Record the trainer's answers: question code -> (answer, evidence). Questions left out
    keep their answers. One audit entry names the questions whose answers changed."""
    codes = {q.code for q in load_questions()}
    unknown = sorted(set(answers) - codes)
    if unknown:
        raise ValidationError(
            _("These are not questions about trainers: %(codes)s") % {"codes": ", ".join(unknown)}
        )
    errors = {
        code: _("Choose an answer")
        for code, (answer, _evidence) in answers.items()
        if answer not in Answer.values
    }
    if errors:
        raise ValidationError(errors)
    existing = {a.question_code: a for a in TrainerAnswer.objects.filter(trainer=trainer)}
    changed: list[str] = []
    saved: list[TrainerAnswer] = []
    for code, (answer, evidence) in answers.items():
        row = existing.get(code)
        evidence = evidence.strip()
        if row is None:
            row = TrainerAnswer(
                partnership_id=trainer.partnership_id,
                trainer=trainer,
                question_code=code,
            )
        elif row.answer == answer and row.evidence == evidence:
            saved.append(row)
            continue
        row.answer, row.evidence, row.updated_by = answer, evidence, by
        row.full_clean()
        row.save()
        changed.append(code)
        saved.append(row)
    if changed:
        audit_change(
            actor=by,
            action=AuditAction.UPDATE,
            obj=trainer,
            partnership=trainer.partnership,
            changed_fields=[f"answer:{code}" for code in changed],
            via=via,
        )
    return saved
