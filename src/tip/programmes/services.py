"""Writes to programmes. Each runs in one transaction and records itself in the audit log."""

from __future__ import annotations

from django.db import transaction

from tip.core.audit import audit_change
from tip.core.models import AuditAction, Partnership, User
from tip.programmes.models import Programme


@transaction.atomic
def programme_create(
    *, partnership: Partnership, name: str, aims: str, by: User, via: str = "web"
) -> Programme:
    programme = Programme(
        partnership=partnership, name=name.strip(), aims=aims.strip(), created_by=by
    )
    programme.full_clean()
    programme.save()
    audit_change(
        actor=by,
        action=AuditAction.CREATE,
        obj=programme,
        partnership=partnership,
        changed_fields=["name", "aims"],
        via=via,
    )
    return programme
