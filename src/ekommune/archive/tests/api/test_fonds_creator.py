"""M006 arkivskaperID identifies the creator (decision 0153): the same creator posted again to a fonds
is the one already there."""

from __future__ import annotations

import json

import pytest

from ekommune.archive.api.noark import MEDIA_TYPE
from ekommune.archive.tests.api.test_protocol import api, token_for
from ekommune.archive.tests.factories import Archive

pytestmark = pytest.mark.django_db

CREATOR = {"arkivskaperID": "910000001", "arkivskaperNavn": "Aust kommune, barnevernstjenesten"}


def test_the_same_creator_twice_is_the_one_registered(archive: Archive) -> None:
    client = api("aust.test", token_for("aust.test", archive.records_manager.username))
    url = f"/api/noark5/arkivstruktur/arkiv/{archive.fonds.system_id}/ny-arkivskaper/"
    first = client.post(url, json.dumps(CREATOR), content_type=MEDIA_TYPE)
    assert first.status_code == 201, first.content
    again = client.post(url, json.dumps(CREATOR), content_type=MEDIA_TYPE)
    assert again.status_code == 200, again.content
    assert again.json()["systemID"] == first.json()["systemID"]
    assert again["Location"] == first["Location"]
    creators = client.get(f"/api/noark5/arkivstruktur/arkiv/{archive.fonds.system_id}/arkivskaper/").json()
    assert [c["arkivskaperID"] for c in creators["results"]].count("910000001") == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [({"arkivskaperNavn": "Et annet navn"}, "arkivskaperNavn"), ({"beskrivelse": "Annen"}, "beskrivelse")],
)
def test_other_data_for_the_same_creator_is_a_conflict(
    archive: Archive, change: dict[str, str], field: str
) -> None:
    client = api("aust.test", token_for("aust.test", archive.records_manager.username))
    url = f"/api/noark5/arkivstruktur/arkiv/{archive.fonds.system_id}/ny-arkivskaper/"
    assert client.post(url, json.dumps(CREATOR), content_type=MEDIA_TYPE).status_code == 201
    response = client.post(url, json.dumps({**CREATOR, **change}), content_type=MEDIA_TYPE)
    assert response.status_code == 409
    assert response.json()["feil"]["feilkode"] == "creator_conflict"
    assert response.json()["feil"]["felt"] == field
