"""CORS: browsers send a preflight (OPTIONS, no credentials) before a Noark call from another origin."""

from __future__ import annotations

import pytest
from django.test import Client

from ekommune.archive.tests.factories import Archive, case_for

pytestmark = pytest.mark.django_db

PREFLIGHT = {
    "Origin": "https://klient.example",
    "Access-Control-Request-Method": "PUT",
    "Access-Control-Request-Headers": "authorization, content-type, if-match",
}


def urls(archive: Archive) -> list[str]:
    case_file = case_for(archive)
    return [
        "/api/noark5/",
        "/api/noark5/login/rfc6749/token/",
        "/api/noark5/admin/system/",
        "/api/noark5/arkivstruktur/",
        "/api/noark5/metadata/",
        "/api/noark5/metadata/journalposttype/",
        "/api/noark5/sakarkiv/saksmappe/",
        f"/api/noark5/sakarkiv/saksmappe/{case_file.system_id}/",
        f"/api/noark5/sakarkiv/saksmappe/{case_file.system_id}/ny-journalpost/",
        f"/api/noark5/arkivstruktur/dokumentbeskrivelse/{case_file.system_id}/fil/",
        f"/api/noark5/arkivstruktur/opplasting/{case_file.system_id}/",
        "/api/noark5/arkivstruktur/ny-arkiv/",
        "/api/noark5/loggingogsporing/endringslogg/",
    ]


def test_every_address_answers_a_preflight_without_login(archive: Archive) -> None:
    client = Client(HTTP_HOST="aust.test", headers=PREFLIGHT)
    for url in urls(archive):
        response = client.options(url)
        assert 200 <= response.status_code < 300, (url, response.status_code, response.content)
        assert response["Access-Control-Allow-Origin"] == "*", url
        allowed_headers = response["Access-Control-Allow-Headers"].lower()
        for header in ("authorization", "content-type", "if-match"):
            assert header in allowed_headers, (url, header)
        assert "PUT" in response["Access-Control-Allow-Methods"]
        assert "ETag" in response["Access-Control-Expose-Headers"]


def test_answers_after_the_preflight_carry_the_cors_headers_too(archive: Archive) -> None:
    response = Client(HTTP_HOST="aust.test").get("/api/noark5/arkivstruktur/")
    assert response.status_code == 401
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Location" in response["Access-Control-Expose-Headers"]


def test_the_site_root_answers_a_preflight_too(archive: Archive) -> None:
    response = Client(HTTP_HOST="aust.test", headers={**PREFLIGHT, "Accept": "*/*"}).options("/")
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
