"""Read-only admin (``/drift/``) for the identity providers and representations.

Writes go through the services (permission check, validation, audit); the admin only shows.
The client secret and identity numbers are never shown.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ekommune.identity.models import BusinessRepresentation, IdentityProvider


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(IdentityProvider)
class IdentityProviderAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "municipality", "issuer", "client_id", "role_source", "enabled")
    list_filter = ("kind", "enabled", "municipality")
    exclude = ("client_secret",)


@admin.register(BusinessRepresentation)
class BusinessRepresentationAdmin(ReadOnlyAdmin):
    list_display = ("organisation_name", "organisation_number", "municipality")
    list_filter = ("municipality",)
    exclude = ("national_identity_number",)
