"""The Django admin, for platform operators (staff with a second factor).

Changes made here are audited like any other; the audit log itself is read-only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse

from tip.core.audit import audit_change, audit_view
from tip.core.models import (
    ApiToken,
    AuditAction,
    AuditEntry,
    Membership,
    MembershipRole,
    Organisation,
    Partnership,
    User,
)


def _partnership_of(obj: Model) -> Partnership | None:
    if isinstance(obj, Partnership):
        return obj
    value = getattr(obj, "partnership", None)
    return value if isinstance(value, Partnership) else None


class AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Writes an audit entry for every save, delete and opened change form."""

    personal_data = False

    def save_model(
        self, request: HttpRequest, obj: Any, form: ModelForm[Any], change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        audit_change(
            actor=request.user,
            action=AuditAction.UPDATE if change else AuditAction.CREATE,
            obj=obj,
            partnership=_partnership_of(obj),
            changed_fields=form.changed_data,
            via="admin",
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit_change(
            actor=request.user,
            action=AuditAction.DELETE,
            obj=obj,
            partnership=_partnership_of(obj),
            via="admin",
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        if self.personal_data and request.method == "GET" and response.status_code == 200:
            audit_view(
                actor=request.user,
                obj=None,
                object_type=self.model._meta.label,
                partnership=None,
                purpose="Platform administration: list",
                via="admin",
            )
        return response

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if self.personal_data and request.method == "GET" and response.status_code == 200:
            obj = self.get_object(request, object_id)
            if obj is not None:
                audit_view(
                    actor=request.user,
                    obj=obj,
                    partnership=_partnership_of(obj),
                    purpose="Platform administration",
                    via="admin",
                )
        return response


@admin.register(User)
class UserAdmin(AuditedAdmin):
    personal_data = True
    list_display = ["email", "full_name", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    fields = ["email", "full_name", "is_active", "is_staff", "is_superuser", "date_joined"]
    readonly_fields = ["date_joined"]


@admin.register(Partnership)
class PartnershipAdmin(AuditedAdmin):
    list_display = ["name", "area", "nation"]


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "sector", "partnership"]
    list_filter = ["partnership", "sector"]


class MembershipRoleInline(admin.TabularInline):  # type: ignore[type-arg]
    model = MembershipRole
    extra = 0


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    personal_data = True
    list_display = ["user", "partnership", "organisation"]
    list_filter = ["partnership"]
    inlines = [MembershipRoleInline]


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    list_display = ["name", "prefix", "membership", "created_at", "revoked_at"]
    fields = ["name", "prefix", "membership", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["name", "prefix", "membership", "created_at", "last_used_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["at", "actor_email", "action", "object_type", "object_id", "partnership", "via"]
    list_filter = ["action", "via", "partnership"]
    search_fields = ["actor_email", "object_type", "object_id", "purpose"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
