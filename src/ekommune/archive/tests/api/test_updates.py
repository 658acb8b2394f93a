"""PUT replaces the whole object, If-Match guards PUT, PATCH and DELETE, $expand is honoured or refused."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from ekommune.archive import services
from ekommune.archive.api.noark import MEDIA_TYPE
from ekommune.archive.models import RegistryEntry
from ekommune.archive.tests.api.test_protocol import api, token_for
from ekommune.archive.tests.factories import SENDER, Archive, case_for, letter

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(archive: Archive, settings: Any, tmp_path: Any) -> RegistryEntry:
    settings.MEDIA_ROOT = tmp_path
    return services.registry_entry_register(
        actor=archive.case_worker,
        municipality=archive.municipality,
        case_file=case_for(archive),
        entry_type="I",
        title="Søknad om skjenkebevilling",
        public_title="Søknad om skjenkebevilling",
        parties=[SENDER],
        documents=[letter()],
    )


@pytest.fixture
def client(archive: Archive) -> Client:
    return api("aust.test", token_for("aust.test", archive.case_worker.username))


def url_of(entry: RegistryEntry) -> str:
    return f"/api/noark5/sakarkiv/journalpost/{entry.system_id}/"


def put(client: Client, url: str, body: dict[str, Any], etag: str | None) -> Any:
    headers = {"If-Match": etag} if etag else {}
    return client.put(url, json.dumps(body), content_type=MEDIA_TYPE, headers=headers)


class TestPut:
    def test_the_object_as_fetched_with_a_new_title_replaces_it(
        self, client: Client, entry: RegistryEntry
    ) -> None:
        fetched = client.get(url_of(entry))
        body = {key: value for key, value in fetched.json().items() if key != "_links"}
        body["tittel"] = "Søknad om skjenkebevilling, Storgata 1"
        response = put(client, url_of(entry), body, fetched["ETag"])
        assert response.status_code == 200, response.content
        assert response.json()["tittel"] == "Søknad om skjenkebevilling, Storgata 1"
        assert response["ETag"] != fetched["ETag"]
        assert put(client, url_of(entry), body, fetched["ETag"]).status_code == 409  # now stale

    def test_the_fields_the_archive_sets_may_be_left_out(self, client: Client, entry: RegistryEntry) -> None:
        fetched = client.get(url_of(entry))
        body = {
            key: value
            for key, value in fetched.json().items()
            if key
            not in {"_links", "systemID", "opprettetDato", "opprettetAv", "journalpostnummer", "journaldato"}
        }
        assert put(client, url_of(entry), body, fetched["ETag"]).status_code == 200

    def test_an_obligatory_field_left_out_is_refused(self, client: Client, entry: RegistryEntry) -> None:
        fetched = client.get(url_of(entry))
        body = {key: value for key, value in fetched.json().items() if key not in {"_links", "tittel"}}
        response = put(client, url_of(entry), body, fetched["ETag"])
        assert response.status_code == 400
        assert response.json()["feil"] | {"beskrivelse": None} == {
            "kode": 400, "beskrivelse": None, "feilkode": "required", "felt": "tittel"
        }  # fmt: skip

    def test_a_field_left_out_is_emptied_and_that_is_refused_where_it_cannot_change(
        self, client: Client, entry: RegistryEntry
    ) -> None:
        fetched = client.get(url_of(entry))
        body = {
            key: value for key, value in fetched.json().items() if key not in {"_links", "offentligTittel"}
        }
        response = put(client, url_of(entry), body, fetched["ETag"])
        assert response.status_code == 400
        assert response.json()["feil"]["feilkode"] == "field_not_changeable"
        assert response.json()["feil"]["felt"] == "offentligTittel"
        assert client.get(url_of(entry)).json()["offentligTittel"] == "Søknad om skjenkebevilling"

    def test_a_merge_of_one_field_is_no_put(self, client: Client, entry: RegistryEntry) -> None:
        fetched = client.get(url_of(entry))
        response = put(client, url_of(entry), {"tittel": "Bare tittel"}, fetched["ETag"])
        assert response.status_code == 400
        assert response.json()["feil"]["feilkode"] in {"required", "field_not_changeable"}


class TestIfMatch:
    @pytest.mark.parametrize("method", ["put", "patch", "delete"])
    def test_without_if_match_the_change_is_refused_with_428(
        self, client: Client, entry: RegistryEntry, method: str
    ) -> None:
        response = getattr(client, method)(
            url_of(entry), json.dumps({"tittel": "x"}), content_type=MEDIA_TYPE
        )
        assert response.status_code == 428
        assert response.json()["feil"]["feilkode"] == "precondition_required"
        assert client.get(url_of(entry)).json()["tittel"] == "Søknad om skjenkebevilling"

    @pytest.mark.parametrize("method", ["put", "patch", "delete"])
    def test_a_stale_or_weak_etag_is_a_conflict(
        self, client: Client, entry: RegistryEntry, method: str
    ) -> None:
        etag = client.get(url_of(entry))["ETag"]
        for stale in ['"0123"', f"W/{etag}"]:
            response = getattr(client, method)(
                url_of(entry),
                json.dumps({"tittel": "x"}),
                content_type=MEDIA_TYPE,
                headers={"If-Match": stale},
            )
            assert response.status_code == 409, (stale, response.content)
            assert response.json()["feil"]["feilkode"] == "etag_mismatch"

    def test_any_of_several_etags_or_a_star_matches(self, client: Client, entry: RegistryEntry) -> None:
        etag = client.get(url_of(entry))["ETag"]
        for header, title in [(f'"0123", {etag}', "Første"), ("*", "Andre")]:
            response = client.patch(
                url_of(entry),
                json.dumps({"tittel": title}),
                content_type="application/merge-patch+json",
                headers={"If-Match": header},
            )
            assert response.status_code == 200, response.content
            assert response.json()["tittel"] == title


class TestExpand:
    def test_children_are_inlined_one_level_and_the_etag_is_the_objects(
        self, client: Client, entry: RegistryEntry
    ) -> None:
        plain = client.get(url_of(entry))
        assert "dokumentbeskrivelse" not in plain.json()
        expanded = client.get(url_of(entry), {"$expand": "dokumentbeskrivelse,korrespondansepart"})
        assert expanded.status_code == 200
        body = expanded.json()
        assert [d["tittel"] for d in body["dokumentbeskrivelse"]] == ["Søknad"]
        assert len(body["korrespondansepart"]) == 1
        assert expanded["ETag"] == plain["ETag"]
        listing = client.get("/api/noark5/sakarkiv/saksmappe/", {"$expand": "registrering"}).json()
        assert [e["tittel"] for e in listing["results"][0]["registrering"]] == ["Søknad om skjenkebevilling"]

    @pytest.mark.parametrize("value", ["tittel", "dokumentbeskrivelse/dokumentobjekt", "finnesikke"])
    def test_what_cannot_be_expanded_is_refused(
        self, client: Client, entry: RegistryEntry, value: str
    ) -> None:
        response = client.get(url_of(entry), {"$expand": value})
        assert response.status_code == 400
        assert response.json()["feil"]["feilkode"] == "invalid_expand"


class TestPutChangesWhatTheApiMayChange:
    def test_fonds_title_and_description_are_replaced(self, archive: Archive) -> None:
        client = api("aust.test", token_for("aust.test", archive.records_manager.username))
        url = f"/api/noark5/arkivstruktur/arkiv/{archive.fonds.system_id}/"
        fetched = client.get(url)
        body = {key: value for key, value in fetched.json().items() if key != "_links"}
        body |= {"tittel": "Aust kommunes arkiv", "beskrivelse": "Arkivet fra 2026"}
        response = put(client, url, body, fetched["ETag"])
        assert response.status_code == 200, response.content
        answer = response.json()
        assert (answer["tittel"], answer["beskrivelse"]) == (body["tittel"], body["beskrivelse"])
        # A field left out of the next PUT is emptied: beskrivelse is gone.
        del body["beskrivelse"]
        emptied = put(client, url, body, response["ETag"])
        assert emptied.status_code == 200, emptied.content
        assert "beskrivelse" not in emptied.json()
        log = client.get(
            "/api/noark5/loggingogsporing/endringslogg/",
            {"$filter": f"referanseArkivenhet eq '{archive.fonds.system_id}'"},
        ).json()
        assert [row["referanseMetadata"] for row in log["results"]].count("beskrivelse") == 2

    def test_an_entry_description_is_merged_by_patch(self, client: Client, entry: RegistryEntry) -> None:
        response = client.patch(
            url_of(entry),
            json.dumps({"beskrivelse": "Gjelder Storgata 1"}),
            content_type="application/merge-patch+json",
            headers={"If-Match": client.get(url_of(entry))["ETag"]},
        )
        assert response.status_code == 200, response.content
        assert response.json()["beskrivelse"] == "Gjelder Storgata 1"
        refused = client.patch(
            url_of(entry),
            json.dumps({"beskrivelse": 17}),
            content_type="application/merge-patch+json",
            headers={"If-Match": "*"},
        )
        assert refused.status_code == 400
        assert refused.json()["feil"]["felt"] == "beskrivelse"
