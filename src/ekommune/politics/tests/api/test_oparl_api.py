"""The OParl-modelled JSON API: every object type reachable from the system object, as documented."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import URLPattern

from ekommune.core.tests.factories import MunicipalityFactory, host_client
from ekommune.politics.api import urls as api_urls
from ekommune.politics.tests.scenario import political_year

pytestmark = pytest.mark.django_db
SCHEMA = "https://schema.oparl.org/1.1/"


def _get(client, url: str) -> dict:
    response = client.get(url.replace("http://fjordvik.test", ""))
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_the_api_walks_from_the_system_to_every_object_type() -> None:
    year = political_year(MunicipalityFactory.create(slug="fjordvik", host="fjordvik.test"))
    client = host_client("fjordvik.test")
    system = _get(client, "/api/oparl/")
    assert system["type"] == f"{SCHEMA}System"
    body = _get(client, system["body"])["data"][0]
    assert body["type"] == f"{SCHEMA}Body"
    assert body["legislativeTerm"][0]["name"] == "2011–2015"

    organizations = _get(client, body["organization"])["data"]
    assert sorted(o["shortName"] for o in organizations) == ["ADM", "FSK", "KST"]
    assert all(o["type"] == f"{SCHEMA}Organization" for o in organizations)

    people = _get(client, body["person"])["data"]
    ola = next(p for p in people if p["name"] == "Ola Ordfører")
    assert ola["email"] == ["ola.ordforer@politiker.test"]
    assert len(ola["membership"]) == 2
    membership = _get(client, ola["membership"][0])
    assert membership["role"] == "Leder"
    assert membership["votingRight"] is True

    fsk = next(o for o in organizations if o["shortName"] == "FSK")
    meetings = _get(client, fsk["meeting"])["data"]
    assert len(meetings) == 1
    meeting = meetings[0]
    assert meeting["meetingState"] == "durchgefuehrt"
    assert meeting["resultsProtocol"]["mimeType"] == "text/html"
    assert [item["number"] for item in meeting["agendaItem"]] == [
        year.strategy_items[1].number,
        year.secret_item.number,
    ]
    open_item, closed_item = meeting["agendaItem"]
    assert open_item["resolutionText"] == "Formannskapet innstiller på at IT-strategien vedtas."
    assert closed_item["public"] is False
    assert closed_item["resolutionText"] is None
    assert closed_item["auxiliaryFile"] == []

    paper = _get(client, _get(client, open_item["consultation"])["paper"])
    assert paper["reference"] == year.case_number
    assert [c["authoritative"] for c in paper["consultation"]] == [True, True, False]
    file = _get(client, paper["auxiliaryFile"][0]["id"])
    assert file["type"] == f"{SCHEMA}File"
    download = client.get(file["downloadUrl"].replace("http://fjordvik.test", ""))
    assert download.status_code == 200

    assert len(_get(client, body["paper"])["data"]) == 2
    assert len(_get(client, body["agendaItem"])["data"]) == 4
    assert len(_get(client, body["file"])["data"]) == 5  # three released presentations, two minutes
    assert _get(client, _get(client, body["meeting"])["data"][0]["id"])["type"] == f"{SCHEMA}Meeting"


def test_unknown_objects_are_404_with_a_code() -> None:
    MunicipalityFactory.create(slug="fjordvik", host="fjordvik.test")
    client = host_client("fjordvik.test")
    for url in (
        "/api/oparl/meeting/9999/",
        "/api/oparl/paper/1999-1/",
        "/api/oparl/body/other/",
        "/api/oparl/meeting/?organization=9999",
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert host_client("nowhere.test").get("/api/oparl/").status_code == 404
    assert client.post("/api/oparl/").status_code == 405


def test_the_openapi_document_describes_every_route_of_the_api() -> None:
    MunicipalityFactory.create(slug="fjordvik", host="fjordvik.test")
    document = host_client("fjordvik.test").get("/api/oparl/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    documented = set(document["paths"])
    routes = {
        "/api/oparl/"
        + re.sub(
            r"<(?:\w+:)?(\w+)>",
            lambda m: "{" + ("id" if m.group(1) in ("pk", "file_id") else m.group(1)) + "}",
            str(p.pattern),
        )
        for p in api_urls.urlpatterns
        if isinstance(p, URLPattern) and p.name != "oparl-openapi"
    }
    assert routes == documented
    text = json.dumps(document)
    for ref in re.findall(r'"#/components/schemas/(\w+)"', text):
        assert ref in document["components"]["schemas"]
