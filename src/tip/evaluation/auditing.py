"""One way for evaluation's services to write a person's change to the audit log."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tip.core.audit import audit_change
from tip.core.models import User


def record_change(action: str, obj: Any, by: User, fields: Iterable[str], via: str) -> None:
    """`by` changed `obj` (one of its partnership's records): which fields, and through what
    (web, api)."""
    audit_change(
        actor=by,
        action=action,
        obj=obj,
        partnership=obj.partnership,
        changed_fields=fields,
        via=via,
    )
