"""The identity app's public types: levels of assurance, what a login proves, who is logged in,
and the error of a login that failed.

Other apps import these (with ``services``, ``selectors`` and ``http``); nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from ekommune.core.errors import ApplicationError

if TYPE_CHECKING:
    from ekommune.identity.models import Citizen, IdentityProvider


class Level(StrEnum):
    """Levels of assurance (sikkerhetsnivå) as ID-porten names them in ``acr`` / ``acr_values``.

    Ordered: a session at ``high`` satisfies a service that asks for ``substantial``, not the reverse.
    """

    SUBSTANTIAL = "idporten-loa-substantial"  # nivå 3 (MinID, BankID on the web)
    HIGH = "idporten-loa-high"  # nivå 4 (BankID, Buypass, Commfides)


_ORDER = {Level.SUBSTANTIAL: 1, Level.HIGH: 2}


def level_satisfies(held: str, required: str) -> bool:
    """Whether a session at level ``held`` may use a service that requires ``required``."""
    try:
        return _ORDER[Level(held)] >= _ORDER[Level(required)]
    except ValueError:
        return False


# code -> HTTP status. Nothing in a failed login is the visitor's fault except a cancelled login.
LOGIN_ERROR_STATUS = {
    "state_mismatch": 400,  # no login of ours is waiting for this answer (reload, CSRF, expired)
    "login_cancelled": 403,  # error=access_denied from the provider
    "provider_error": 400,  # any other error=... from the provider
    "token_refused": 400,  # the token endpoint refused the code (used twice, PKCE, client)
    "invalid_id_token": 401,  # signature, iss, aud, exp, iat or nonce wrong
    "insufficient_level": 403,  # acr lower than asked for
    "invalid_pid": 400,
    "no_staff_user": 403,  # staff login: no user with roles here matches
    "provider_unknown": 404,
    "provider_unavailable": 503,
}


class LoginError(ApplicationError):
    """A login through an OpenID provider that did not succeed (innlogging feilet); nobody is logged in."""

    code = "login_failed"
    http_status = 400

    def __init__(self, message: str, *, code: str, field: str | None = None) -> None:
        super().__init__(message, code=code, field=field)
        self.http_status = LOGIN_ERROR_STATUS.get(code, 400)


@dataclass(frozen=True)
class LoginResult:
    """A validated login: the provider, the ID token's claims and the raw token (for logout)."""

    provider: IdentityProvider
    claims: dict[str, Any]
    id_token: str
    level: str
    next_url: str


@dataclass(frozen=True)
class CitizenClaims:
    """What a login proves about a citizen (innbygger): identity number (``pid``), name and level (``acr``)."""

    national_identity_number: str
    level: str
    name: str = ""
    email: str = ""
    id_token: str = ""  # kept for the provider's end-session (logout) request
    provider: str = ""
    organisation_number: str = ""  # when acting on behalf of a business
    sid: str = ""  # the provider's session id (front-channel logout)


@dataclass(frozen=True)
class CitizenSession:
    """The logged-in citizen of a request (innlogget innbygger), at a level, acting for whom."""

    citizen: Citizen
    level: str
    provider: str
    organisation_number: str  # "" when acting for oneself

    def satisfies(self, required_level: str) -> bool:
        return level_satisfies(self.level, required_level)
