"""The audit service: the only writer of the audit log.

Every service that changes tenant data calls `audit_change`; every view that shows personal data
calls `audit_view` with the purpose. Explicit calls, not signals, so a reader of a service sees
what it records (see docs/adr/0003-audit.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from tip.core.models import AuditAction, AuditEntry, Partnership, User


class AnonymousChangeError(RuntimeError):
    """Raised when something tries to record a change without a signed-in person behind it."""


def _object_details(obj: models.Model | None, object_type: str | None) -> tuple[str, str, str]:
    if obj is None:
        return object_type or "", "", ""
    return (
        object_type or obj._meta.label,
        str(obj.pk or ""),
        str(obj)[:200],
    )


def _actor_or_refuse(actor: Any) -> User:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise AnonymousChangeError("An audited action needs a signed-in person.")
    assert isinstance(actor, User)
    return actor


def audit_change(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    partnership: Partnership | None,
    object_type: str | None = None,
    changed_fields: Iterable[str] = (),
    via: str = "web",
    summary: str = "",
) -> AuditEntry:
    """Record a create, update or delete. Refuses an anonymous actor. ``summary`` describes a
    change to many objects at once (an import's counts) when there is no one object; it must
    hold no personal data."""
    if action not in {AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE}:
        raise ValueError(f"{action!r} is not a change.")
    person = _actor_or_refuse(actor)
    type_, id_, repr_ = _object_details(obj, object_type)
    repr_ = summary[:200] if summary else repr_
    return AuditEntry.objects.create(
        actor=person,
        actor_email=person.email,
        partnership=partnership,
        action=action,
        object_type=type_,
        object_id=id_,
        object_repr=repr_,
        changed_fields=sorted(changed_fields),
        via=via,
    )


def audit_view(
    *,
    actor: Any,
    obj: models.Model | None,
    partnership: Partnership | None,
    purpose: str,
    object_type: str | None = None,
    action: str = AuditAction.VIEW,
    via: str = "web",
) -> AuditEntry:
    """Record that someone saw (or exported) personal data, and why."""
    if not purpose:
        raise ValueError("A view of personal data must state its purpose.")
    person = _actor_or_refuse(actor)
    type_, id_, repr_ = _object_details(obj, object_type)
    return AuditEntry.objects.create(
        actor=person,
        actor_email=person.email,
        partnership=partnership,
        action=action,
        object_type=type_,
        object_id=id_,
        object_repr=repr_,
        purpose=str(purpose)[:200],
        via=via,
    )


def audit_event(
    *,
    action: str,
    actor: User | None,
    email: str = "",
    partnership: Partnership | None = None,
    via: str = "web",
) -> AuditEntry:
    """Record a sign-in event. A failed sign-in has no actor, only the email that was tried."""
    if action not in {AuditAction.SIGN_IN, AuditAction.SIGN_IN_FAILED, AuditAction.SIGN_OUT}:
        raise ValueError(f"{action!r} is not a sign-in event.")
    return AuditEntry.objects.create(
        actor=actor,
        actor_email=(actor.email if actor else email)[:254],
        partnership=partnership,
        action=action,
        object_type="core.User",
        object_id=str(actor.pk) if actor else "",
        via=via,
    )


def audit_automatic_change(
    *,
    action: str,
    obj: models.Model | None,
    partnership: Partnership,
    object_type: str | None = None,
    changed_fields: Iterable[str] = (),
    via: str = "task",
) -> AuditEntry:
    """Record a change TIP made by itself, on a schedule the partnership set, with nobody signed
    in behind it: an offered place expiring, an unconfirmed place released, a private record
    deleted when its time is up. The entry has no actor and says it came from a task."""
    if action not in {AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE}:
        raise ValueError(f"{action!r} is not a change.")
    type_, id_, repr_ = _object_details(obj, object_type)
    return AuditEntry.objects.create(
        actor=None,
        actor_email="",
        partnership=partnership,
        action=action,
        object_type=type_,
        object_id=id_,
        object_repr=repr_,
        changed_fields=sorted(changed_fields),
        via=via,
    )
