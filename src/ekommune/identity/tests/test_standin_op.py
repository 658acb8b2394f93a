"""The stand-in provider itself keeps the rules a relying party relies on (PKCE, client auth, single use)."""

from __future__ import annotations

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from joserfc import jwt
from joserfc.jwk import KeySet

from ekommune.identity.standin_op import TEST_PERSONS
from ekommune.testing import STANDIN_CLIENT_ID, STANDIN_CLIENT_SECRET

REDIRECT = "http://rp.test/tilbake/"


def challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def authorize(issuer: str, verifier: str, **extra: str) -> requests.Response:
    params = {
        "client_id": STANDIN_CLIENT_ID,
        "redirect_uri": REDIRECT,
        "response_type": "code",
        "scope": "openid profile",
        "state": "s1",
        "nonce": "n1",
        "code_challenge": challenge(verifier),
        "code_challenge_method": "S256",
        "acr_values": "idporten-loa-high",
        **extra,
    }
    return requests.get(f"{issuer}/authorize", params=params, allow_redirects=False, timeout=10)


def code_for(issuer: str, verifier: str) -> str:
    response = authorize(issuer, verifier, pid=TEST_PERSONS[2][0])
    assert response.status_code == 302
    return parse_qs(urlsplit(response.headers["Location"]).query)["code"][0]


def exchange(issuer: str, code: str, verifier: str, secret: str = STANDIN_CLIENT_SECRET) -> requests.Response:
    return requests.post(
        f"{issuer}/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "code_verifier": verifier,
        },
        auth=(STANDIN_CLIENT_ID, secret),
        timeout=10,
    )


def test_a_code_gives_an_id_token_with_id_porten_claims_signed_with_the_published_key(op_issuer: str) -> None:
    verifier = secrets.token_urlsafe(48)
    token = exchange(op_issuer, code_for(op_issuer, verifier), verifier).json()
    keys = KeySet.import_key_set(requests.get(f"{op_issuer}/jwks", timeout=10).json())
    claims = jwt.decode(token["id_token"], keys).claims
    assert claims["pid"] == TEST_PERSONS[2][0]
    assert claims["acr"] == "idporten-loa-high"
    assert claims["iss"] == op_issuer
    assert claims["aud"] == STANDIN_CLIENT_ID
    assert claims["nonce"] == "n1"
    assert claims["amr"]
    assert claims["sid"]
    assert claims["locale"] == "nb"
    info = requests.get(
        f"{op_issuer}/userinfo", headers={"Authorization": f"Bearer {token['access_token']}"}, timeout=10
    )
    assert info.json()["pid"] == TEST_PERSONS[2][0]


def test_pkce_client_secret_and_single_use_are_enforced(op_issuer: str) -> None:
    verifier = secrets.token_urlsafe(48)
    code = code_for(op_issuer, verifier)
    assert exchange(op_issuer, code, verifier, secret="feil").status_code == 401
    code = code_for(op_issuer, verifier)
    assert exchange(op_issuer, code, "en-annen-verifier-" + verifier).json()["error"] == "invalid_grant"
    code = code_for(op_issuer, verifier)
    assert exchange(op_issuer, code, verifier).status_code == 200
    assert exchange(op_issuer, code, verifier).status_code == 400  # used once already


@pytest.mark.parametrize(
    "change",
    [
        {"code_challenge_method": "plain"},
        {"client_id": "ukjent"},
        {"response_type": "token"},
        {"scope": "profile"},
    ],
)
def test_authorization_requests_without_pkce_or_from_unknown_clients_are_refused(
    op_issuer: str, change: dict[str, str]
) -> None:
    response = authorize(op_issuer, secrets.token_urlsafe(48), **change)
    assert response.status_code == 400
