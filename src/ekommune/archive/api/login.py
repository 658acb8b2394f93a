"""Login to the Noark 5 API (Tjenestegrensesnitt kapittel 4, «Autentisering og autorisering»).

- ``.well-known/openid-configuration`` relative to the entry point: the OpenID Provider
  configuration document that ``login/oidc/`` points to (mandatory in the specification).
- ``login/rfc6749/``: the OAuth 2.0 token endpoint, password and refresh grants.
- ``logout/rfc6749/``: token revocation (RFC 7009).

API clients are public clients (decision 0150): the user's password is the credential; a
``client_id``/``client_secret`` sent as HTTP Basic or as form fields is accepted and not checked.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import unquote_plus

from django.urls import reverse
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from ekommune.archive.api.base import NoarkView
from ekommune.archive.api.noark import NoarkParser, api_base
from ekommune.core.errors import PermissionDeniedError, ValidationError
from ekommune.core.services import (
    IssuedToken,
    api_token_issue,
    api_token_refresh,
    api_token_revoke,
    service_client_token_issue,
)

GRANT_TYPES = ["password", "refresh_token", "client_credentials"]
CLIENT_AUTH_METHODS = ["none", "client_secret_basic", "client_secret_post"]
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


class LoginView(NoarkView):
    """The views of logging in and out: no login needed, form or JSON bodies."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    parser_classes = [FormParser, MultiPartParser, JSONParser, NoarkParser]

    def form(self, request: Request) -> dict[str, str]:
        data = request.data if hasattr(request.data, "get") else {}
        return {
            key: str(data.get(key, ""))
            for key in (
                "grant_type",
                "username",
                "password",
                "refresh_token",
                "token",
                "otp",
                "client_id",
                "client_secret",
            )
        }


class OpenIdConfigurationView(LoginView):
    """The OpenID Provider configuration document (OpenID Connect Discovery 1.0 §3)."""

    def get(self, request: Request) -> Response:
        django_request = request._request
        base = api_base(django_request)
        return Response(
            {
                "issuer": base.rstrip("/"),
                "token_endpoint": django_request.build_absolute_uri(reverse("noark:token")),
                "revocation_endpoint": django_request.build_absolute_uri(reverse("noark:revoke")),
                "grant_types_supported": GRANT_TYPES,
                "token_endpoint_auth_methods_supported": CLIENT_AUTH_METHODS,
                "revocation_endpoint_auth_methods_supported": CLIENT_AUTH_METHODS,
                "service_documentation": base,
            }
        )


class TokenView(LoginView):
    """OAuth 2.0 token endpoint (RFC 6749): resource owner password grant (§4.3) and refresh (§6)."""

    def post(self, request: Request) -> Response:
        form = self.form(request)
        client_error = _client_error(request)
        if client_error:
            return _oauth_error("invalid_client", client_error, status.HTTP_401_UNAUTHORIZED)
        municipality = getattr(request._request, "municipality", None)
        try:
            if form["grant_type"] == "password":
                issued = api_token_issue(
                    request=request._request,
                    username=form["username"],
                    password=form["password"],
                    municipality=municipality,
                    otp=form["otp"],
                )
            elif form["grant_type"] == "refresh_token":
                issued = api_token_refresh(refresh_token=form["refresh_token"], municipality=municipality)
            elif form["grant_type"] == "client_credentials":
                client_id, client_secret = _client_credentials(request, form)
                try:
                    issued = service_client_token_issue(
                        client_id=client_id, client_secret=client_secret, municipality=municipality
                    )
                except PermissionDeniedError as error:
                    return _oauth_error("invalid_client", error.message, status.HTTP_401_UNAUTHORIZED)
            else:
                return _oauth_error(
                    "unsupported_grant_type", "Støttet: password, refresh_token, client_credentials."
                )
        except (PermissionDeniedError, ValidationError) as error:
            return _oauth_error("invalid_grant", error.message, reason=error.code)
        return Response(token_answer(issued), headers=NO_STORE)


class RevokeView(LoginView):
    """Log out (RFC 7009): the token in the body (``token``), or else the bearer token of the request."""

    def post(self, request: Request) -> Response:
        token = self.form(request)["token"]
        scheme, _, bearer = request.headers.get("Authorization", "").partition(" ")
        if not token and scheme.lower() == "bearer":
            token = bearer.strip()
        if not token:
            return _oauth_error("invalid_request", "Oppgi token som skal trekkes tilbake.")
        api_token_revoke(token=token)
        return Response(status=status.HTTP_200_OK, headers=NO_STORE)


def token_answer(issued: IssuedToken) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "access_token": issued.access_token,
        "token_type": "Bearer",
        "expires_in": issued.expires_in,
        "municipality": issued.municipality.slug,
    }
    if issued.refresh_token:
        answer |= {"refresh_token": issued.refresh_token, "refresh_expires_in": issued.refresh_expires_in}
    if issued.scopes:
        answer["scope"] = " ".join(issued.scopes)
    return answer


def _client_credentials(request: Request, form: dict[str, str]) -> tuple[str, str]:
    """The client's id and secret: HTTP Basic (RFC 6749 §2.3.1), or the form fields."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "basic":
        client_id, _, secret = base64.b64decode(value.strip()).decode().partition(":")
        return unquote_plus(client_id), unquote_plus(secret)
    return form["client_id"], form["client_secret"]


def _client_error(request: Request) -> str:
    """Client credentials as HTTP Basic (RFC 6749 §2.3.1): well-formed, or an error message."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return ""
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return "Authorization: Basic er ikke gyldig base64."
    return "" if ":" in decoded else "Authorization: Basic må være client_id:client_secret."


def _oauth_error(
    code: str, description: str, status_code: int = status.HTTP_400_BAD_REQUEST, *, reason: str = ""
) -> Response:
    """An OAuth 2.0 error (RFC 6749 §5.2); ``reason`` is the platform's own code of it (e.g.
    ``otp_required``), so that a client can ask its user for the one-time code."""
    headers = dict(NO_STORE)
    if status_code == status.HTTP_401_UNAUTHORIZED:
        headers["WWW-Authenticate"] = 'Basic realm="ekommune"'
    body = {"error": code, "error_description": description}
    if reason and reason != code:
        body["reason"] = reason
    return Response(body, status=status_code, headers=headers)
