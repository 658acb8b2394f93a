"""metadata/: every code list of the catalogue, and the records manager's own codes in the open ones."""

from __future__ import annotations

import json

import pytest

from ekommune.archive.api.noark import MEDIA_TYPE, REL
from ekommune.archive.tests.api.test_protocol import api, token_for
from ekommune.archive.tests.factories import Archive
from ekommune.core.models import Municipality

pytestmark = pytest.mark.django_db

CATALOGUE = [
    "arkivdelstatus", "arkivstatus", "avskrivningsmaate", "dokumentmedium", "dokumentstatus", "dokumenttype",
    "elektronisksignatursikkerhetsnivaa", "elektronisksignaturverifisert", "flytstatus", "format",
    "graderingskode", "hendelsetype", "journalposttype", "journalstatus", "kassasjonsvedtak",
    "klassifikasjonstype", "koordinatsystem", "korrespondanseparttype", "land", "mappetype", "merknadstype",
    "partrolle", "postnummer", "presedensstatus", "saksstatus", "skjermingdokument", "skjermingmetadata",
    "slettingstype", "tilgangskategori", "tilgangsrestriksjon", "tilknyttetregistreringsom", "variantformat",
    "virksomhetsspesifikkeMetadata",
]  # fmt: skip


def test_every_code_list_of_the_catalogue_is_listed_and_answers(archive: Archive) -> None:
    client = api("aust.test", token_for("aust.test", archive.case_worker.username))
    links = client.get("/api/noark5/metadata/").json()["_links"]
    for name in CATALOGUE:
        assert REL + f"metadata/{name}/" in links, name
        response = client.get(links[REL + f"metadata/{name}/"]["href"])
        assert response.status_code == 200, name
        assert response.json()["count"] == len(response.json().get("results", [])), name
    assert not any("/ny-" in key for key in links), "a case worker may not extend code lists"
    signature = client.get("/api/noark5/metadata/elektronisksignatursikkerhetsnivaa/").json()
    assert {"kode": "SK", "kodenavn": "Symmetrisk kryptert"} in [
        {k: r[k] for k in ("kode", "kodenavn")} for r in signature["results"]
    ]


def test_the_records_manager_extends_an_open_list(archive: Archive, municipality_b: Municipality) -> None:
    client = api("aust.test", token_for("aust.test", archive.records_manager.username))
    links = client.get("/api/noark5/metadata/").json()["_links"]
    new_href = links[REL + "metadata/ny-mappetype/"]["href"]
    template = client.get(new_href).json()
    assert set(template) >= {"kode", "kodenavn", "_links"}
    assert REL + "metadata/mappetype/" in template["_links"]
    body = {"kode": "BYGG", "kodenavn": "Byggesak"}
    created = client.post(new_href, json.dumps(body), content_type=MEDIA_TYPE)
    assert created.status_code == 201, created.content
    assert created.json()["kode"] == "BYGG"
    listing = client.get(created["Location"]).json()
    assert [(r["kode"], r["kodenavn"]) for r in listing["results"]] == [("BYGG", "Byggesak")]
    again = client.post(new_href, json.dumps(body), content_type=MEDIA_TYPE)
    assert again.status_code == 409
    assert again.json()["feil"]["feilkode"] == "code_exists"
    standard = client.post(
        "/api/noark5/metadata/ny-land/", json.dumps({"kode": "NO", "kodenavn": "x"}), content_type=MEDIA_TYPE
    )
    assert standard.status_code == 409


def test_extensions_belong_to_the_municipality(archive: Archive, other: Archive) -> None:
    client = api("aust.test", token_for("aust.test", archive.records_manager.username))
    body = json.dumps({"kode": "GL", "kodenavn": "Grønland"})
    assert client.post("/api/noark5/metadata/ny-land/", body, content_type=MEDIA_TYPE).status_code == 201
    vest = api("vest.test", token_for("vest.test", other.records_manager.username))
    codes = [r["kode"] for r in vest.get("/api/noark5/metadata/land/").json()["results"]]
    assert "GL" not in codes


@pytest.mark.parametrize(
    ("user", "url", "body", "status", "code"),
    [
        (
            "records_manager",
            "/api/noark5/metadata/ny-journalstatus/",
            {"kode": "Z", "kodenavn": "Z"},
            409,
            "code_list_closed",
        ),
        (
            "records_manager",
            "/api/noark5/metadata/ny-tilgangsrestriksjon/",
            {"kode": "Q", "kodenavn": "Q"},
            409,
            "code_list_closed",
        ),
        ("records_manager", "/api/noark5/metadata/ny-land/", {"kodenavn": "uten kode"}, 400, "required"),
        (
            "records_manager",
            "/api/noark5/metadata/ny-land/",
            {"kode": "X" * 61, "kodenavn": "lang"},
            400,
            "too_long",
        ),
        (
            "records_manager",
            "/api/noark5/metadata/ny-finnesikke/",
            {"kode": "A", "kodenavn": "A"},
            404,
            "not_found",
        ),
        ("records_manager", "/api/noark5/metadata/land/", {"kode": "A", "kodenavn": "A"}, 404, "not_found"),
        (
            "case_worker",
            "/api/noark5/metadata/ny-land/",
            {"kode": "A", "kodenavn": "A"},
            403,
            "permission_denied",
        ),
    ],
)
def test_refusals(
    archive: Archive, user: str, url: str, body: dict[str, str], status: int, code: str
) -> None:
    client = api("aust.test", token_for("aust.test", getattr(archive, user).username))
    response = client.post(url, json.dumps(body), content_type=MEDIA_TYPE)
    assert response.status_code == status, response.content
    assert response.json()["feil"]["feilkode"] == code
