"""API authentication: OAuth 2.0 bearer tokens (issued by the token endpoint) and sessions.

A bearer token is valid in one municipality. When the request's address names no municipality
(e.g. ``http://localhost:8000/api/noark5/``), the token's municipality becomes the request's.
"""

from __future__ import annotations

from typing import Any

from rest_framework import authentication, exceptions, permissions
from rest_framework.request import Request

from ekommune.core import selectors


class BearerTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            return None
        found = selectors.api_token_lookup(token=token.strip())
        if found is None:
            raise exceptions.AuthenticationFailed("Ugyldig eller utløpt token.")
        user, municipality = found
        django_request = request._request
        current = getattr(django_request, "municipality", None)
        if current is None:
            django_request.municipality = municipality  # type: ignore[attr-defined]
        elif current.pk != municipality.pk:
            raise exceptions.AuthenticationFailed("Tokenet gjelder en annen kommune.")
        return user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="ekommune"'


class TokenScopePermission(permissions.BasePermission):
    """A service client's token (decision 0229) reads with scope ``read`` and writes with scope
    ``write``; a person's token and a session are bounded by the roles only."""

    message = "Klienten har ikke tilgang til dette (scope)."

    def has_permission(self, request: Request, view: Any) -> bool:
        scopes = getattr(request.user, "api_scopes", ())
        if not scopes:
            return True
        return ("read" if request.method in permissions.SAFE_METHODS else "write") in scopes
