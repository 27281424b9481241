"""Platform operators grant and withdraw national-analyst access here (or with
`tip grant-national-analyst EMAIL`), and can see what partnerships have shared. Audited like
the rest of the admin."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tip.core.admin import AuditedAdmin
from tip.national.models import NationalAnalyst, SharedAggregate


@admin.register(NationalAnalyst)
class NationalAnalystAdmin(AuditedAdmin):
    personal_data = True
    list_display = ["user__email", "user", "active", "granted_at"]
    list_filter = ["active"]
    fields = ["user", "active", "note", "granted_at"]
    readonly_fields = ["granted_at"]
    raw_id_fields = ["user"]


@admin.register(SharedAggregate)
class SharedAggregateAdmin(AuditedAdmin):
    """Read-only: only the partnership shares and withdraws (an operator may remove one)."""

    list_display = ["partnership", "plan", "named", "shared_at"]
    list_filter = ["named"]
    fields = ["partnership", "plan", "named", "shared_at", "payload"]
    readonly_fields = ["partnership", "plan", "named", "shared_at", "payload"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
