"""The OpenID Connect relying party (Authlib): from "log me in" to a validated ID token.

Per provider (``IdentityProvider``, configured per municipality) one Authlib client, kept for an
hour, so discovery and the JWKS are fetched once and not at every login. The flow:

1. ``authorization_start``: authorization code flow with PKCE (S256); ``state``, ``nonce`` and
   the code verifier in the session (Authlib's keys), and beside them, under ``PENDING_KEY`` and
   keyed by ``state``, which provider, level and return address the login is for.
   ``acr_values`` asks for the level (``idporten-loa-substantial`` / ``idporten-loa-high``).
2. ``authorization_finish``: the answer must carry a ``state`` we are waiting for; the code is
   exchanged (with the PKCE verifier and the client secret), and the ID token is validated:
   signature with the provider's JWKS (RS256), ``iss``, ``aud``, ``exp``, ``iat``, ``nonce``, and
   ``acr`` at least the level asked for. Anything wrong raises ``LoginError``; nothing is stored.

What the login then means (a citizen, a staff user) is for the services.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

import requests
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.django_client import DjangoIntegration, DjangoOAuth2App
from django.http import HttpRequest
from joserfc.errors import JoseError

from ekommune.core.models import Municipality
from ekommune.identity.models import IdentityProvider, ProviderKind
from ekommune.identity.types import Level, LoginError, LoginResult, level_satisfies

PENDING_KEY = "ekommune.oidc.pending"
PENDING_MAX = 5  # logins started in other tabs and never finished do not pile up
CLIENT_TTL_SECONDS = 3600  # discovery and JWKS are fetched again after this long
CLOCK_SKEW_SECONDS = 60
HTTP_TIMEOUT_SECONDS = 10

_clients: dict[int, tuple[float, float, DjangoOAuth2App]] = {}
_clients_lock = threading.Lock()


def client_secret(provider: IdentityProvider) -> str:
    """The secret from the named environment variable when one is named, else the stored one."""
    if provider.client_secret_env:
        return os.environ.get(provider.client_secret_env, "")
    return provider.client_secret


def relying_party(provider: IdentityProvider) -> DjangoOAuth2App:
    """The Authlib client for ``provider`` (cached; a changed provider gets a new one)."""
    version = provider.updated_at.timestamp() if provider.updated_at else 0.0
    now = time.monotonic()
    with _clients_lock:
        cached = _clients.get(provider.pk)
        if cached is not None and cached[0] == version and now - cached[1] < CLIENT_TTL_SECONDS:
            return cached[2]
        name = f"idp{provider.pk}"
        client = DjangoOAuth2App(
            DjangoIntegration(name),
            name=name,
            client_id=provider.client_id,
            client_secret=client_secret(provider),
            server_metadata_url=provider.metadata_url,
            client_kwargs={
                "scope": provider.scopes,
                "code_challenge_method": "S256",
                "token_endpoint_auth_method": "client_secret_basic",
                "default_timeout": HTTP_TIMEOUT_SECONDS,
            },
        )
        _clients[provider.pk] = (version, now, client)
        return client


def forget_clients() -> None:
    """Drop every cached client (tests; a provider whose keys were rotated out of band)."""
    with _clients_lock:
        _clients.clear()


def _metadata(client: DjangoOAuth2App, provider: IdentityProvider) -> dict[str, Any]:
    try:
        metadata: dict[str, Any] = client.load_server_metadata()
    except (requests.RequestException, ValueError) as error:
        raise LoginError(
            "Innloggingstjenesten svarer ikke. Prøv igjen om litt.", code="provider_unavailable"
        ) from error
    if metadata.get("issuer") != provider.issuer:  # mix-up protection: the document must be the issuer's
        raise LoginError(
            "Innloggingstjenesten er feil satt opp (utsteder stemmer ikke).", code="provider_unavailable"
        )
    return metadata


def authorization_start(
    *, request: HttpRequest, provider: IdentityProvider, level: str, next_url: str, redirect_uri: str
) -> str:
    """Remember a login in the session and return the provider's authorization URL to send the browser to."""
    client = relying_party(provider)
    _metadata(client, provider)
    extra: dict[str, str] = {"ui_locales": getattr(request, "LANGUAGE_CODE", "nb") or "nb"}
    if provider.kind == ProviderKind.IDPORTEN:  # Feide and staff providers have no ID-porten levels
        extra["acr_values"] = str(Level(level))
    try:
        result = client.create_authorization_url(redirect_uri, **extra)
    except requests.RequestException as error:
        raise LoginError("Innloggingstjenesten svarer ikke.", code="provider_unavailable") from error
    client.save_authorize_data(request, redirect_uri=redirect_uri, **result)
    pending: dict[str, dict[str, Any]] = dict(request.session.get(PENDING_KEY) or {})
    pending[result["state"]] = {
        "provider": provider.pk,
        "level": level,
        "next": next_url,
        "started": time.time(),
    }
    newest = sorted(pending.items(), key=lambda item: item[1]["started"])[-PENDING_MAX:]
    request.session[PENDING_KEY] = dict(newest)
    return str(result["url"])


def authorization_finish(*, request: HttpRequest, municipality: Municipality | None) -> LoginResult:
    """Check the provider's answer (code, state), exchange the code and validate the ID token."""
    state = request.GET.get("state", "")
    pending_all: dict[str, dict[str, Any]] = dict(request.session.get(PENDING_KEY) or {})
    pending = pending_all.pop(state, None) if state else None
    request.session[PENDING_KEY] = pending_all
    if pending is None:
        raise LoginError(
            "Innloggingen kunne ikke fullføres: svaret hører ikke til en innlogging som er startet her. "
            "Start innloggingen på nytt.",
            code="state_mismatch",
        )
    provider = (
        IdentityProvider.objects.filter(
            pk=pending["provider"], enabled=True, municipality=municipality
        ).first()
        if municipality is not None
        else None
    )
    if provider is None:
        raise LoginError("Innloggingstjenesten finnes ikke for denne kommunen.", code="provider_unknown")
    client = relying_party(provider)
    if request.GET.get("error"):
        client.framework.clear_state_data(request.session, state)
        if request.GET["error"] == "access_denied":
            raise LoginError("Innloggingen ble avbrutt. Du er ikke logget inn.", code="login_cancelled")
        raise LoginError("Innloggingstjenesten avviste innloggingen.", code="provider_error")
    _metadata(client, provider)
    claims_options = {
        "iss": {"essential": True, "value": provider.issuer},
        "aud": {"essential": True, "value": provider.client_id},
        "iat": {"essential": True},
    }
    try:
        token = client.authorize_access_token(
            request, claims_options=claims_options, leeway=CLOCK_SKEW_SECONDS
        )
    except MismatchingStateError as error:
        raise LoginError(
            "Innloggingen kunne ikke fullføres. Start på nytt.", code="state_mismatch"
        ) from error
    except OAuthError as error:
        raise LoginError("Innloggingstjenesten avviste innloggingen.", code="token_refused") from error
    except (JoseError, ValueError) as error:
        raise LoginError(
            "Innloggingsbeviset (ID-token) er ugyldig eller utløpt. Du er ikke logget inn.",
            code="invalid_id_token",
        ) from error
    except requests.RequestException as error:
        raise LoginError("Innloggingstjenesten svarer ikke.", code="provider_unavailable") from error
    claims = token.get("userinfo")
    if not claims or not token.get("id_token"):
        raise LoginError("Innloggingstjenesten sendte ikke noe ID-token.", code="invalid_id_token")
    level = pending["level"]
    if provider.kind == ProviderKind.IDPORTEN and not level_satisfies(str(claims.get("acr", "")), level):
        raise LoginError(
            "Innloggingen var ikke på sikkerhetsnivået tjenesten krever. Du er ikke logget inn.",
            code="insufficient_level",
        )
    return LoginResult(
        provider=provider,
        claims=dict(claims),
        id_token=str(token["id_token"]),
        level=str(claims.get("acr", "")) if provider.kind == ProviderKind.IDPORTEN else Level.SUBSTANTIAL,
        next_url=str(pending.get("next") or "/"),
    )


def end_session_url(
    *, request: HttpRequest, provider: IdentityProvider, id_token: str, post_logout_redirect_uri: str
) -> str | None:
    """The provider's end-session URL (RP-initiated logout), or None if it has none or is unreachable."""
    client = relying_party(provider)
    try:
        metadata = _metadata(client, provider)
    except LoginError:
        return None
    if not metadata.get("end_session_endpoint"):
        return None
    result = client.create_logout_url(
        post_logout_redirect_uri=post_logout_redirect_uri, id_token_hint=id_token or None
    )
    client.framework.set_state_data(
        request.session, result["state"], {"post_logout_redirect_uri": post_logout_redirect_uri}
    )
    return str(result["url"])


def end_session_returned(*, request: HttpRequest, provider_pk: int) -> bool:
    """Whether the provider's return from logout carries a state we sent (and forget it)."""
    state = request.GET.get("state", "")
    if not state:
        return False
    integration = DjangoIntegration(f"idp{provider_pk}")
    data = integration.get_state_data(request.session, state)
    integration.clear_state_data(request.session, state)
    return data is not None
