"""The Django admin, for platform operators (staff with a second factor).

Changes made here are audited like any other; the audit log itself is read-only.
"""

from __future__ import annotations

from typing import Any

import axes.admin  # noqa: F401 - registers the sign-in logs, audited below
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
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


class AuditedViewsAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """With `personal_data`, writes a 'view' audit entry whenever an operator opens a page that
    shows the records: the list, one record, its history or the question before deleting it."""

    personal_data = False

    def _audit_opened(
        self, request: HttpRequest, response: HttpResponse, object_id: str | None, purpose: str
    ) -> None:
        if not (self.personal_data and request.method == "GET" and response.status_code == 200):
            return
        obj = None
        if object_id is not None:
            obj = self.get_object(request, object_id)
            if obj is None:
                return
        audit_view(
            actor=request.user,
            obj=obj,
            object_type=self.model._meta.label,
            partnership=_partnership_of(obj) if obj is not None else None,
            purpose=purpose,
            via="admin",
        )

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        self._audit_opened(request, response, None, "Platform administration: list")
        return response

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        self._audit_opened(request, response, object_id, "Platform administration")
        return response

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().history_view(request, object_id, extra_context)
        self._audit_opened(request, response, object_id, "Platform administration: history")
        return response

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().delete_view(request, object_id, extra_context)
        self._audit_opened(request, response, object_id, "Platform administration: removal")
        return response


class AuditedAdmin(AuditedViewsAdmin):
    """Writes an audit entry for every save and delete, and for opened pages of personal data."""

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


@admin.register(User)
class UserAdmin(AuditedAdmin):
    personal_data = True
    list_display = ["email", "full_name", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    fields = [
        "email",
        "full_name",
        "language",
        "is_active",
        "is_staff",
        "is_superuser",
        "date_joined",
    ]
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
class AuditEntryAdmin(AuditedViewsAdmin):
    # The log names the people who acted: reading it is a view of personal data too.
    personal_data = True
    list_display = ["at", "actor_email", "action", "object_type", "object_id", "partnership", "via"]
    list_filter = ["action", "via", "partnership"]
    search_fields = ["actor_email", "object_type", "object_id", "purpose"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# django-axes' sign-in logs hold the email addresses people signed in with: opening them is a
# view of personal data as well.
for _model in (AccessAttempt, AccessLog, AccessFailureLog):
    if admin.site.is_registered(_model):
        _axes_admin = type(admin.site.get_model_admin(_model))
        admin.site.unregister(_model)
        admin.site.register(
            _model,
            type(
                f"Audited{_axes_admin.__name__}",
                (AuditedViewsAdmin, _axes_admin),
                {"personal_data": True, "__module__": __name__},
            ),
        )
