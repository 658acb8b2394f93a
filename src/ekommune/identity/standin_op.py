"""A local stand-in for ID-porten: a small OpenID provider, run as its own process.

    python -m ekommune.identity.standin_op --port 8090 --issuer http://127.0.0.1:8090 \\
        --client ekommune-demo=demo-secret [--frontchannel-logout ekommune-demo=URL]

For development, the demo (``make run`` starts it beside the web server) and tests (which start it
on a free port: ``ekommune.testing.standin_op``). It is not a production OP: test persons only,
keys generated at start and kept in memory, no consent. It speaks what a relying party needs:

- ``/.well-known/openid-configuration`` (discovery) and ``/jwks`` (RS256 keys);
- ``/authorize``: authorization code flow, PKCE S256 required, ``acr_values``, ``nonce``, ``state``.
  A page where the tester picks a test person, the level and optionally an organisation to act
  for; browser-free tests give the same as query parameters (``pid``, ``acr``, ``org``,
  ``cancel=1``, and ``email`` for a staff login) and get the redirect at once. ``fault`` makes it issue a bad ID token on purpose
  (``tampered``, ``expired``, ``wrong_nonce``, ``wrong_audience``, ``wrong_issuer``);
- ``/token`` (client_secret_basic or client_secret_post, code single-use, PKCE checked),
  ``/userinfo`` (bearer), ``/endsession`` (RP-initiated logout, with front-channel logout frames).

ID-porten-like claims: ``pid``, ``acr`` (``idporten-loa-substantial`` / ``idporten-loa-high``),
``amr``, ``locale``, ``sid``; ``name`` with the ``profile`` scope (a stand-in convenience); an
organisation to act for as Ansattporten-style ``authorization_details`` (``reportees``).

Standard library plus joserfc only: no Django, so it starts in a fraction of a second.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import html
import json
import secrets
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote_plus, urlencode, urlsplit, urlunsplit

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey

SUBSTANTIAL = "idporten-loa-substantial"
HIGH = "idporten-loa-high"
LEVELS = (SUBSTANTIAL, HIGH)

# Synthetic test persons (valid check digits; the same numbers as identity.testing.TEST_PERSON_NUMBERS).
TEST_PERSONS = (
    ("01018510002", "Kari Nordmann"),
    ("15038510190", "Ola Nordmann"),
    ("22078510033", "Siri Fjell"),
)
# Invented organisations with valid check digits, to act for.
TEST_ORGANISATIONS = (
    ("910753614", "Fjordvik Bakeri AS"),
    ("910753622", "Bjørkedal Skogsdrift AS"),
)
FAULTS = ("tampered", "expired", "wrong_nonce", "wrong_audience", "wrong_issuer")
CODE_LIFETIME = 60
TOKEN_LIFETIME = 120


@dataclass
class Grant:
    client_id: str
    redirect_uri: str
    code_challenge: str
    nonce: str
    scope: str
    pid: str
    name: str
    acr: str
    organisation: str
    fault: str
    sid: str
    email: str = ""
    issued_at: float = field(default_factory=time.time)


@dataclass
class ProviderState:
    issuer: str
    clients: dict[str, str]
    frontchannel: dict[str, str]
    key: RSAKey
    codes: dict[str, Grant] = field(default_factory=dict)
    access_tokens: dict[str, Grant] = field(default_factory=dict)
    sessions: dict[str, set[str]] = field(default_factory=dict)  # sid -> client ids logged in
    lock: threading.Lock = field(default_factory=threading.Lock)

    def prune(self) -> None:
        """Forget codes and access tokens past their lifetime (call with the lock held)."""
        now = time.time()
        for code in [c for c, grant in self.codes.items() if now - grant.issued_at > CODE_LIFETIME]:
            del self.codes[code]
        limit = CODE_LIFETIME + TOKEN_LIFETIME
        for token in [t for t, grant in self.access_tokens.items() if now - grant.issued_at > limit]:
            del self.access_tokens[token]

    def code_issue(self, grant: Grant) -> str:
        """A new authorization code for ``grant``; its session remembers the client (for logout)."""
        code = secrets.token_urlsafe(24)
        with self.lock:
            self.prune()
            self.codes[code] = grant
            self.sessions.setdefault(grant.sid, set()).add(grant.client_id)
        return code

    def code_redeem(self, code: str) -> Grant | None:
        """The grant of a code, which is forgotten: a code is used once."""
        with self.lock:
            return self.codes.pop(code, None)

    def tokens_issue(self, grant: Grant) -> dict[str, Any]:
        """The token endpoint's answer: an access token (for userinfo) and the ID token."""
        access_token = secrets.token_urlsafe(32)
        with self.lock:
            self.access_tokens[access_token] = grant
        return {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": TOKEN_LIFETIME,
            "scope": grant.scope,
            "id_token": self.id_token(grant),
        }

    def access_token_grant(self, token: str) -> Grant | None:
        with self.lock:
            self.prune()
            return self.access_tokens.get(token)

    def session_end(self, sid: str) -> list[str]:
        """End session ``sid``: the front-channel logout URLs of its other clients."""
        with self.lock:
            clients = self.sessions.pop(sid, set())
        return [
            _with_params(self.frontchannel[client], {"iss": self.issuer, "sid": sid})
            for client in sorted(clients)
            if client in self.frontchannel
        ]

    def metadata(self) -> dict[str, Any]:
        base = self.issuer.rstrip("/")
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{base}/authorize",
            "token_endpoint": f"{base}/token",
            "userinfo_endpoint": f"{base}/userinfo",
            "end_session_endpoint": f"{base}/endsession",
            "jwks_uri": f"{base}/jwks",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "acr_values_supported": list(LEVELS),
            "scopes_supported": ["openid", "profile", "email"],
            "claims_supported": ["iss", "sub", "aud", "exp", "iat", "nonce", "pid", "acr", "amr", "sid"],
            "frontchannel_logout_supported": True,
            "frontchannel_logout_session_supported": True,
            "ui_locales_supported": ["nb", "nn", "en"],
        }

    def id_token(self, grant: Grant) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": grant.client_id,
            "sub": _pairwise_sub(grant.pid, grant.client_id),
            "pid": grant.pid,
            "acr": grant.acr,
            "amr": ["TestID"],
            "locale": "nb",
            "sid": grant.sid,
            "iat": now,
            "auth_time": int(grant.issued_at),
            "exp": now + TOKEN_LIFETIME,
            "nonce": grant.nonce,
            "jti": secrets.token_urlsafe(12),
        }
        if "profile" in grant.scope.split():
            claims["name"] = grant.name
        if grant.email and "email" in grant.scope.split():
            claims["email"], claims["email_verified"] = grant.email, True
        if grant.organisation:
            claims["authorization_details"] = [
                {
                    "type": "ansattporten:altinn:service",
                    "reportees": [
                        {
                            "Authority": "iso6523-actorid-upis",
                            "ID": f"0192:{grant.organisation}",
                            "Name": dict(TEST_ORGANISATIONS).get(grant.organisation, ""),
                        }
                    ],
                }
            ]
        if grant.fault == "expired":
            claims["iat"], claims["exp"] = now - 900, now - 600
        elif grant.fault == "wrong_nonce":
            claims["nonce"] = secrets.token_urlsafe(16)
        elif grant.fault == "wrong_audience":
            claims["aud"] = "en-annen-klient"
        elif grant.fault == "wrong_issuer":
            claims["iss"] = "https://falsk-utsteder.example"
        token = jwt.encode({"alg": "RS256", "kid": self.key.kid, "typ": "JWT"}, claims, self.key)
        if grant.fault == "tampered":  # a changed claim under the old signature
            header, _, signature = token.split(".")
            claims["pid"] = TEST_PERSONS[1][0] if grant.pid != TEST_PERSONS[1][0] else TEST_PERSONS[0][0]
            payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
            token = f"{header}.{payload}.{signature}"
        return token


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _pairwise_sub(pid: str, client_id: str) -> str:
    return _b64(hashlib.sha256(f"{client_id}\n{pid}".encode()).digest())[:32]


def _with_params(url: str, params: dict[str, str]) -> str:
    parts = urlsplit(url)
    query = parts.query + ("&" if parts.query else "") + urlencode(params)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


class AuthorizeError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _check_authorization_request(params: dict[str, str], clients: dict[str, str]) -> None:
    if params.get("client_id") not in clients:
        raise AuthorizeError("Ukjent klient (client_id).")
    if urlsplit(params.get("redirect_uri", "")).scheme not in {"http", "https"}:
        raise AuthorizeError("Ugyldig redirect_uri.")
    if params.get("response_type") != "code":
        raise AuthorizeError("Bare response_type=code støttes.")
    if "openid" not in params.get("scope", "").split():
        raise AuthorizeError("scope må inneholde openid.")
    if not params.get("code_challenge") or params.get("code_challenge_method") != "S256":
        raise AuthorizeError("PKCE med S256 er påkrevd.")
    if not params.get("state"):
        raise AuthorizeError("state mangler.")


def _cancelled_url(params: dict[str, str]) -> str:
    return _with_params(
        params["redirect_uri"],
        {
            "error": "access_denied",
            "error_description": "Brukeren avbrøt innloggingen",
            "state": params["state"],
        },
    )


def _grant_for(params: dict[str, str]) -> Grant | None:
    """What the tester chose (person, level, organisation, fault), or None for an unknown person or level."""
    requested = params.get("acr_values", SUBSTANTIAL).split()
    acr = params.get("acr") or (HIGH if HIGH in requested else SUBSTANTIAL)
    pid = params.get("pid", "")
    persons = dict(TEST_PERSONS)
    if pid not in persons or acr not in LEVELS:
        return None
    return Grant(
        client_id=params["client_id"],
        redirect_uri=params["redirect_uri"],
        code_challenge=params["code_challenge"],
        nonce=params.get("nonce", ""),
        scope=params.get("scope", "openid"),
        pid=pid,
        name=persons[pid],
        acr=acr,
        organisation=params.get("org", "") if params.get("org") in dict(TEST_ORGANISATIONS) else "",
        fault=params.get("fault", "") if params.get("fault") in FAULTS else "",
        sid=secrets.token_urlsafe(16),
        email=params.get("email", "")[:200],
    )


PAGE = """<!DOCTYPE html>
<html lang="nb"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} – testinnlogging</title>
<style>body{{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}}
fieldset{{margin:1rem 0;border:1px solid #666;padding:.5rem 1rem}}button{{font-size:1rem;padding:.5rem 1rem;margin-right:.5rem}}
.note{{background:#fff3cd;padding:.5rem 1rem;border-left:4px solid #8a6d00}}</style></head>
<body><header><p class="note">Lokal stand-in for ID-porten. Bare testpersoner, aldri ekte personer.</p></header>
<main>{body}</main></body></html>"""


def _login_form(params: dict[str, str]) -> str:
    requested = params.get("acr_values", SUBSTANTIAL).split()
    wanted = HIGH if HIGH in requested else SUBSTANTIAL
    hidden = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
        for k, v in params.items()
        if k not in {"pid", "acr", "org", "cancel", "login"}
    )
    persons = "".join(
        f'<div><input type="radio" name="pid" id="pid-{pid}" value="{pid}"{" checked" if i == 0 else ""}>'
        f'<label for="pid-{pid}">{html.escape(name)} ({pid})</label></div>'
        for i, (pid, name) in enumerate(TEST_PERSONS)
    )
    labels = {SUBSTANTIAL: "Betydelig (MinID)", HIGH: "Høyt (BankID)"}
    levels = "".join(
        f'<div><input type="radio" name="acr" id="acr-{level}" value="{level}"{" checked" if level == wanted else ""}>'
        f'<label for="acr-{level}">{labels[level]}</label></div>'
        for level in LEVELS
    )
    organisations = '<option value="">Ingen – bare meg selv</option>' + "".join(
        f'<option value="{number}">{html.escape(name)} ({number})</option>'
        for number, name in TEST_ORGANISATIONS
    )
    body = (
        "<h1>Logg inn (test)</h1>"
        '<form method="post" action="authorize">'
        f"{hidden}"
        f"<fieldset><legend>Testperson</legend>{persons}</fieldset>"
        f"<fieldset><legend>Sikkerhetsnivå</legend>{levels}</fieldset>"
        '<div><label for="org">Representer en organisasjon</label> '
        f'<select id="org" name="org">{organisations}</select></div>'
        '<p><button type="submit" name="login" value="1">Logg inn</button>'
        '<button type="submit" name="cancel" value="1">Avbryt</button></p>'
        "</form>"
    )
    return PAGE.format(title="Logg inn", body=body)


class StandinHandler(BaseHTTPRequestHandler):
    """The provider's HTTP endpoints, one method each; ``state`` is set by ``make_handler``."""

    server_version = "ekommune-standin-op/1"
    state: ProviderState
    GET_ROUTES = {
        "/.well-known/openid-configuration": "discovery",
        "/jwks": "jwks",
        "/authorize": "authorize_page",
        "/userinfo": "userinfo",
        "/endsession": "endsession",
    }
    POST_ROUTES = {"/authorize": "authorize_form", "/token": "token"}

    def log_message(self, format: str, *args: Any) -> None:  # quiet: tests and demo logs stay readable
        return

    # ------------------------------------------------------------ routing
    def do_GET(self) -> None:
        self._route(self.GET_ROUTES)

    def do_POST(self) -> None:
        self._route(self.POST_ROUTES)

    def _route(self, routes: dict[str, str]) -> None:
        endpoint = routes.get(urlsplit(self.path).path)
        if endpoint is None:
            self._json(404, {"error": "not_found"})
            return
        getattr(self, endpoint)()

    # ------------------------------------------------------------ answers
    def _send(
        self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, data: Any, headers: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(data).encode(), "application/json", headers)

    def _html(self, status: int, page: str) -> None:
        self._send(status, page.encode(), "text/html; charset=utf-8")

    def _error_page(self, status: int, heading: str) -> None:
        self._html(status, PAGE.format(title="Feil", body=f"<h1>{html.escape(heading)}</h1>"))

    def _redirect(self, url: str) -> None:
        self._send(302, b"", "text/plain", {"Location": url})

    # ------------------------------------------------------------ what the request carries
    def _form(self) -> dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode() if length else ""
        return {k: v[-1] for k, v in parse_qs(raw, keep_blank_values=True).items()}

    def _query(self) -> dict[str, str]:
        return {k: v[-1] for k, v in parse_qs(urlsplit(self.path).query, keep_blank_values=True).items()}

    def _client(self, form: dict[str, str]) -> str | None:
        """The client authenticated by client_secret_basic or client_secret_post, or None."""
        header = self.headers.get("Authorization", "")
        if header.startswith("Basic "):
            try:
                client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
            except ValueError:
                return None
            client_id, secret = unquote_plus(client_id), unquote_plus(secret)
        else:
            client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        expected = self.state.clients.get(client_id)
        if expected is None or not secrets.compare_digest(expected, secret):
            return None
        return client_id

    # ------------------------------------------------------------ discovery
    def discovery(self) -> None:
        self._json(200, self.state.metadata())

    def jwks(self) -> None:
        self._json(200, {"keys": [self.state.key.as_dict(private=False)]})

    # ------------------------------------------------------------ authorization endpoint
    def authorize_page(self) -> None:
        """GET /authorize: the login page, or the redirect at once when the query picks a person."""
        self._authorize(self._query(), show_form=True)

    def authorize_form(self) -> None:
        """POST /authorize: the login page's answer."""
        self._authorize(self._form(), show_form=False)

    def _authorize(self, params: dict[str, str], *, show_form: bool) -> None:
        try:
            _check_authorization_request(params, self.state.clients)
        except AuthorizeError as error:
            body = f"<h1>Ugyldig forespørsel</h1><p>{html.escape(error.message)}</p>"
            self._html(400, PAGE.format(title="Feil", body=body))
            return
        if params.get("cancel"):
            self._redirect(_cancelled_url(params))
        elif show_form and not params.get("pid"):
            self._html(200, _login_form(params))
        else:
            grant = _grant_for(params)
            if grant is None:
                self._error_page(400, "Ukjent testperson eller nivå")
                return
            code = self.state.code_issue(grant)
            self._redirect(_with_params(grant.redirect_uri, {"code": code, "state": params["state"]}))

    # ------------------------------------------------------------ token and userinfo endpoints
    def token(self) -> None:
        form = self._form()
        client_id = self._client(form)
        if client_id is None:
            self._json(401, {"error": "invalid_client"}, {"WWW-Authenticate": "Basic"})
            return
        if form.get("grant_type") != "authorization_code":
            self._json(400, {"error": "unsupported_grant_type"})
            return
        grant = self.state.code_redeem(form.get("code", ""))  # single use
        if (
            grant is None
            or grant.client_id != client_id
            or grant.redirect_uri != form.get("redirect_uri")
            or time.time() - grant.issued_at > CODE_LIFETIME
        ):
            self._json(400, {"error": "invalid_grant"})
            return
        verifier = form.get("code_verifier", "")
        if not verifier or _b64(hashlib.sha256(verifier.encode()).digest()) != grant.code_challenge:
            self._json(400, {"error": "invalid_grant", "error_description": "PKCE verification failed"})
            return
        self._json(200, self.state.tokens_issue(grant))

    def userinfo(self) -> None:
        header = self.headers.get("Authorization", "")
        grant = self.state.access_token_grant(header[7:]) if header.startswith("Bearer ") else None
        if grant is None:
            self._json(401, {"error": "invalid_token"}, {"WWW-Authenticate": "Bearer"})
            return
        self._json(
            200, {"sub": _pairwise_sub(grant.pid, grant.client_id), "pid": grant.pid, "name": grant.name}
        )

    # ------------------------------------------------------------ logout
    def endsession(self) -> None:
        """RP-initiated logout; the other clients of the session are logged out in hidden frames."""
        params = self._query()
        sid, client_id = "", ""
        hint = params.get("id_token_hint", "")
        if hint:
            try:
                token = jwt.decode(hint, self.state.key)
            except (JoseError, ValueError):
                self._error_page(400, "Ugyldig id_token_hint")
                return
            sid, client_id = str(token.claims.get("sid", "")), str(token.claims.get("aud", ""))
        frames = "".join(
            f'<iframe title="Utlogging" hidden src="{html.escape(url)}"></iframe>'
            for url in self.state.session_end(sid)
        )
        target = params.get("post_logout_redirect_uri", "")
        if target and params.get("state"):
            target = _with_params(target, {"state": params["state"]})
        if not frames and target and client_id in self.state.clients:
            self._redirect(target)
            return
        link = f'<p><a href="{html.escape(target)}">Tilbake til tjenesten</a></p>' if target else ""
        self._html(200, PAGE.format(title="Logget ut", body=f"<h1>Du er logget ut</h1>{frames}{link}"))


def make_handler(state: ProviderState) -> type[BaseHTTPRequestHandler]:
    """The handler class of one provider (its keys, clients, codes and sessions)."""
    return type("Handler", (StandinHandler,), {"state": state})


def build_server(
    *, host: str, port: int, issuer: str, clients: dict[str, str], frontchannel: dict[str, str] | None = None
) -> ThreadingHTTPServer:
    key = RSAKey.generate_key(2048, parameters={"kid": secrets.token_hex(8), "use": "sig", "alg": "RS256"})
    state = ProviderState(issuer=issuer, clients=clients, frontchannel=frontchannel or {}, key=key)
    server = ThreadingHTTPServer((host, port), make_handler(state))
    server.daemon_threads = True
    state.issuer = issuer or f"http://{host}:{server.server_address[1]}"  # port 0: the one given
    server.issuer = state.issuer  # type: ignore[attr-defined]
    return server


def _pairs(values: list[str], what: str) -> dict[str, str]:
    result = {}
    for value in values:
        name, sep, rest = value.partition("=")
        if not sep or not name or not rest:
            raise SystemExit(f"standin_op: {what} must look like NAME=VALUE, not {value!r}")
        result[name] = rest
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Local stand-in OpenID provider (ID-porten-like).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--issuer", default="", help="default: http://HOST:PORT (PORT 0: a free port)")
    parser.add_argument("--client", action="append", default=[], help="CLIENT_ID=SECRET (repeatable)")
    parser.add_argument(
        "--frontchannel-logout", action="append", default=[], help="CLIENT_ID=URL (repeatable)"
    )
    args = parser.parse_args(argv)
    clients = _pairs(args.client, "--client") or {"ekommune-demo": "demo-secret"}
    server = build_server(
        host=args.host,
        port=args.port,
        issuer=args.issuer,
        clients=clients,
        frontchannel=_pairs(args.frontchannel_logout, "--frontchannel-logout"),
    )
    print(f"standin-op listening on {server.issuer}", flush=True)  # type: ignore[attr-defined]  # noqa: T201 (the parent process waits for this line)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
