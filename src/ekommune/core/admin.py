"""Read-only admin for the installation's operators (``/drift/``).

Writes go through the services (with permission checks and audit); the admin only shows.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ekommune.core.models import AuditEvent, Municipality, MunicipalityDomain, StaffMembership, User


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Municipality)
class MunicipalityAdmin(ReadOnlyAdmin):
    list_display = ("name", "number", "organisation_number", "slug", "is_active")
    search_fields = ("name", "number", "organisation_number")


@admin.register(MunicipalityDomain)
class MunicipalityDomainAdmin(ReadOnlyAdmin):
    list_display = ("host_name", "municipality", "is_primary")


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ("username", "first_name", "last_name", "email", "is_active", "is_superuser")
    search_fields = ("username", "first_name", "last_name", "email")
    exclude = ("password",)


@admin.register(StaffMembership)
class StaffMembershipAdmin(ReadOnlyAdmin):
    list_display = ("user", "municipality", "role")
    list_filter = ("role", "municipality")


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = (
        "chain_key",
        "sequence",
        "occurred_at",
        "actor_label",
        "action",
        "object_type",
        "object_id",
    )
    list_filter = ("municipality", "action")
