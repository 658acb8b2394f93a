"""Errors of the identity app: a login that failed, with a stable code and an HTTP status."""

from __future__ import annotations

from ekommune.core.errors import ApplicationError

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
    """A login through an OpenID provider that did not succeed; nobody is logged in."""

    code = "login_failed"
    http_status = 400

    def __init__(self, message: str, *, code: str, field: str | None = None) -> None:
        super().__init__(message, code=code, field=field)
        self.http_status = LOGIN_ERROR_STATUS.get(code, 400)
