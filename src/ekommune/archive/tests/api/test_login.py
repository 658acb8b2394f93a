"""Login discovery as the specification asks: login/oidc/ → OpenID configuration → token endpoint;
refresh and logout (kapittel 4, «Autentisering og autorisering»)."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client

from ekommune.archive.api.noark import MEDIA_TYPE, REL
from ekommune.archive.tests.factories import Archive
from ekommune.core.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"


def discover(client: Client) -> dict[str, Any]:
    links = client.get("/api/noark5/", HTTP_ACCEPT=MEDIA_TYPE).json()["_links"]
    for relation in ("login/oidc/", "login/rfc6749/", "logout/rfc6749/"):
        assert REL + relation in links
    response = client.get(links[REL + "login/oidc/"]["href"])
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    assert links[REL + "login/oidc/"]["href"].endswith("/api/noark5/.well-known/openid-configuration")
    return document


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def post(client: Client, url: str, form: dict[str, str], **headers: str) -> Any:
    return client.post(url, urlencode(form), content_type=FORM, headers=headers)


def test_password_grant_through_the_discovery_document_with_basic_client_credentials(
    archive: Archive,
) -> None:
    client = Client(HTTP_HOST="aust.test")
    document = discover(client)
    assert "password" in document["grant_types_supported"]
    assert "refresh_token" in document["grant_types_supported"]
    assert document["issuer"].startswith("http://aust.test/api/noark5")
    response = post(
        client,
        document["token_endpoint"],
        {"grant_type": "password", "username": archive.case_worker.username, "password": PASSWORD},
        Authorization=basic("en-klient", "hemmelig"),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    for field in ("access_token", "token_type", "expires_in", "refresh_token", "refresh_expires_in"):
        assert body[field], field
    assert body["token_type"] == "Bearer"
    assert response["Cache-Control"] == "no-store"
    listing = client.get(
        "/api/noark5/arkivstruktur/arkiv/",
        headers={"Authorization": f"Bearer {body['access_token']}", "Accept": MEDIA_TYPE},
    )
    assert listing.status_code == 200


def test_client_credentials_as_form_fields(archive: Archive) -> None:
    client = Client(HTTP_HOST="aust.test")
    form = {
        "grant_type": "password",
        "username": archive.case_worker.username,
        "password": PASSWORD,
        "client_id": "en-klient",
        "client_secret": "hemmelig",
    }
    response = post(client, discover(client)["token_endpoint"], form)
    assert response.status_code == 200
    assert response.json()["refresh_token"]


def test_refresh_gives_a_new_pair_and_spends_the_old_one(archive: Archive) -> None:
    client = Client(HTTP_HOST="aust.test")
    endpoint = discover(client)["token_endpoint"]
    first = post(
        client,
        endpoint,
        {"grant_type": "password", "username": archive.case_worker.username, "password": PASSWORD},
    ).json()
    refreshed = post(
        client, endpoint, {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}
    )
    assert refreshed.status_code == 200, refreshed.content
    second = refreshed.json()
    assert second["access_token"] != first["access_token"]
    assert second["refresh_expires_in"] > 0

    def status_with(token: str) -> int:
        return client.get(
            "/api/noark5/arkivstruktur/", headers={"Authorization": f"Bearer {token}"}
        ).status_code

    assert status_with(second["access_token"]) == 200
    assert status_with(first["access_token"]) == 401
    again = post(client, endpoint, {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]})
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"


def test_logout_revokes_the_token(archive: Archive) -> None:
    client = Client(HTTP_HOST="aust.test")
    document = discover(client)
    tokens = post(
        client,
        document["token_endpoint"],
        {"grant_type": "password", "username": archive.case_worker.username, "password": PASSWORD},
    ).json()
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert client.get("/api/noark5/arkivstruktur/", headers=bearer).status_code == 200
    logout = client.post(document["revocation_endpoint"], headers=bearer)
    assert logout.status_code == 200
    assert client.get("/api/noark5/arkivstruktur/", headers=bearer).status_code == 401
    refresh = post(
        client,
        document["token_endpoint"],
        {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
    )
    assert refresh.status_code == 400
    # Revoking by the refresh token in the body (RFC 7009), or an unknown token, is answered 200 too.
    assert (
        post(client, document["revocation_endpoint"], {"token": tokens["refresh_token"]}).status_code == 200
    )
    assert post(client, document["revocation_endpoint"], {}).status_code == 400


@pytest.mark.parametrize(
    ("form", "headers", "status", "error"),
    [
        ({"grant_type": "authorization_code"}, {}, 400, "unsupported_grant_type"),
        ({"grant_type": "client_credentials"}, {}, 401, "invalid_client"),
        ({"grant_type": "refresh_token", "refresh_token": "oppdiktet"}, {}, 400, "invalid_grant"),
        (
            {"grant_type": "password", "username": "x", "password": "y"},
            {"Authorization": "Basic ???"},
            401,
            "invalid_client",
        ),
        (
            {"grant_type": "password", "username": "x", "password": "y"},
            {"Authorization": "Basic " + base64.b64encode(b"uten-kolon").decode()},
            401,
            "invalid_client",
        ),
    ],
)
def test_refusals_are_oauth_errors(
    archive: Archive, form: dict[str, str], headers: dict[str, str], status: int, error: str
) -> None:
    response = post(Client(HTTP_HOST="aust.test"), "/api/noark5/login/rfc6749/token/", form, **headers)
    assert response.status_code == status
    assert response.json()["error"] == error
