"""Bad input to the Noark 5 API is a clear 4xx with our code, never a server error (issue 16 §4)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client

from ekommune.archive.api.noark import MAX_JSON_DEPTH, MEDIA_TYPE, json_nesting
from ekommune.archive.api.odata import MAX_DEPTH, MAX_FILTER_LENGTH
from ekommune.archive.models import CaseParty, CorrespondenceParty
from ekommune.archive.tests.api.test_protocol import api, token_for
from ekommune.archive.tests.factories import Archive, case_for

pytestmark = pytest.mark.django_db

VALID_PERSON_NUMBER = "01018510002"  # synthetic, with both check digits right


@pytest.fixture
def client(archive: Archive) -> Client:
    return api("aust.test", token_for("aust.test", archive.records_manager.username))


def error_code(response: Any) -> str:
    return str(response.json()["feil"]["feilkode"])


def listing(client: Client, path: str, **params: str) -> Any:
    return client.get(f"/api/noark5/{path}?{urlencode(params)}")


class TestFilter:
    @pytest.mark.parametrize(
        "text",
        [
            "saksaar eq 'abc'",
            "opprettetDato gt 2024-13-45",
            "opprettetDato gt 2024-01-01T99:00:00",
            "opprettetDato gt 'i går'",
            "systemID eq 'ikke-en-uuid'",
            "saksdato eq 5",
            "contains(tittel, 5)",
            "saksaar eq " + "9" * 5000,
            "tittel eq 'a\x00b'",
            "(" * 400 + "tittel eq 'x'" + ")" * 400,
            "not " * 400 + "tittel eq 'x'",
            "tittel eq '" + "x" * MAX_FILTER_LENGTH + "'",
        ],
    )
    def test_a_filter_the_database_cannot_take_is_a_400(
        self, client: Client, archive: Archive, text: str
    ) -> None:
        case_for(archive)
        response = listing(client, "sakarkiv/saksmappe/", **{"$filter": text})
        assert response.status_code == 400, response.content[:300]
        assert error_code(response) == "invalid_filter"

    def test_nesting_up_to_the_limit_is_fine(self, client: Client, archive: Archive) -> None:
        case_for(archive, title="Barnehage")
        text = "(" * MAX_DEPTH + "tittel eq 'Barnehage'" + ")" * MAX_DEPTH
        response = listing(client, "sakarkiv/saksmappe/", **{"$filter": text})
        assert response.status_code == 200
        assert response.json()["count"] == 1

    def test_values_of_the_fields_own_type_still_filter(self, client: Client, archive: Archive) -> None:
        case_file = case_for(archive)
        for text, expected in [
            (f"saksaar eq {case_file.case_year}", 1),
            (f"saksaar eq '{case_file.case_year}'", 1),
            ("opprettetDato gt 2000-01-01", 1),
            ("opprettetDato lt 2000-01-01T00:00:00Z", 0),
            (f"systemID eq '{case_file.system_id}'", 1),
        ]:
            response = listing(client, "sakarkiv/saksmappe/", **{"$filter": text})
            assert response.status_code == 200, (text, response.content)
            assert response.json()["count"] == expected, text

    def test_the_change_log_checks_its_values_too(self, client: Client, archive: Archive) -> None:
        response = listing(
            client, "loggingogsporing/endringslogg/", **{"$filter": "referanseArkivenhet eq 'x'"}
        )
        assert (response.status_code, error_code(response)) == (400, "invalid_filter")

    @pytest.mark.parametrize("value", ["9" * 40, "1" + "0" * 12, "-1", "٣"])
    def test_paging_out_of_range_is_a_400(self, client: Client, archive: Archive, value: str) -> None:
        response = listing(client, "sakarkiv/saksmappe/", **{"$skip": value})
        assert (response.status_code, error_code(response)) == (400, "invalid_paging")

    def test_a_nul_in_search_is_a_400(self, client: Client, archive: Archive) -> None:
        response = listing(client, "sakarkiv/saksmappe/", **{"$search": "a\x00"})
        assert (response.status_code, error_code(response)) == (400, "invalid_search")


def post(client: Client, url: str, body: Any, content_type: str = MEDIA_TYPE) -> Any:
    payload = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(url, payload, content_type=content_type)


def new_entry_url(archive: Archive) -> str:
    return f"/api/noark5/sakarkiv/saksmappe/{case_for(archive).system_id}/ny-journalpost/"


class TestBodies:
    def test_a_title_over_its_limit_is_too_long(self, client: Client, archive: Archive) -> None:
        response = post(
            client, new_entry_url(archive), {"tittel": "x" * 1001, "journalposttype": {"kode": "I"}}
        )
        assert (response.status_code, error_code(response)) == (400, "too_long")
        assert response.json()["feil"]["felt"] == "tittel"

    def test_a_title_at_its_limit_is_stored(self, client: Client, archive: Archive) -> None:
        response = post(
            client, new_entry_url(archive), {"tittel": "x" * 1000, "journalposttype": {"kode": "I"}}
        )
        assert response.status_code == 201

    @pytest.mark.parametrize(
        ("relation", "body", "field"),
        [
            ("ny-korrespondansepartperson", {"navn": "x" * 501}, "navn"),
            ("ny-korrespondansepartperson", {"navn": "Ola", "postadresse": {"postnr": "1" * 11}}, "postnr"),
            ("ny-korrespondansepartperson", {"navn": "Ola", "postadresse": {"landkode": "NOR"}}, "landkode"),
            (
                "ny-korrespondansepartenhet",
                {"navn": "AS", "enhetsidentifikator": {"organisasjonsnummer": "1" * 10}},
                "organisasjonsnummer",
            ),
            ("ny-korrespondansepartintern", {"saksbehandler": "x" * 201}, "saksbehandler"),
            ("ny-dokumentbeskrivelse", {"tittel": "x" * 1001}, "tittel"),
            ("ny-merknad", {"merknadstekst": "x" * 100_001}, "merknadstekst"),
        ],
    )
    def test_every_text_field_has_a_limit(
        self, client: Client, archive: Archive, relation: str, body: dict[str, Any], field: str
    ) -> None:
        entry = post(client, new_entry_url(archive), {"tittel": "Brev", "journalposttype": {"kode": "I"}})
        url = entry.json()["_links"]["self"]["href"] + relation + "/"
        response = post(client, url, {"korrespondanseparttype": {"kode": "EA"}, **body})
        assert (response.status_code, error_code(response)) == (400, "too_long")
        assert response.json()["feil"]["felt"] == field

    @pytest.mark.parametrize(
        "body",
        [
            {"tittel": "Brev\x00", "journalposttype": {"kode": "I"}},
            {"tittel": "Brev", "journalposttype": {"kode": "I\x00"}},
            {"tittel": "Brev", "journalposttype": {"kode": "I"}, "x\x00": 1},
            {"tittel": "Brev", "journalposttype": {"kode": "I"}, "liste": [["\x00"]]},
        ],
    )
    def test_a_nul_byte_anywhere_is_a_400(self, client: Client, archive: Archive, body: Any) -> None:
        response = post(client, new_entry_url(archive), body)
        assert (response.status_code, error_code(response)) == (400, "invalid_character")

    def test_deeply_nested_json_is_refused_before_parsing(self, client: Client, archive: Archive) -> None:
        response = post(client, new_entry_url(archive), "[" * 100_000)
        assert (response.status_code, error_code(response)) == (400, "parse_error")

    def test_a_body_over_the_size_limit_is_a_413(self, client: Client, archive: Archive) -> None:
        response = post(client, new_entry_url(archive), json.dumps({"tittel": "x" * 2_000_000}))
        assert (response.status_code, error_code(response)) == (413, "too_large")

    def test_nesting_is_counted_outside_strings_only(self) -> None:
        assert json_nesting('{"a": "[[[[[[", "b": [[1]]}') == 3
        assert json_nesting('{"a": "\\"[[[[", "b": {}}') == 2
        assert json_nesting("[" * 100_000) == MAX_JSON_DEPTH + 1

    @pytest.mark.parametrize(
        "content_type",
        [
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "text/plain",
            "application/xml",
        ],
    )
    def test_other_media_types_to_a_create_are_415(
        self, client: Client, archive: Archive, content_type: str
    ) -> None:
        response = post(client, new_entry_url(archive), "tittel=Brev&journalposttype=I", content_type)
        assert (response.status_code, error_code(response)) == (415, "unsupported_media_type")

    def test_plain_json_is_taken_like_the_noark_type(self, client: Client, archive: Archive) -> None:
        body = {"tittel": "Brev", "journalposttype": {"kode": "I"}}
        assert (
            post(client, new_entry_url(archive), body, "application/json; charset=utf-8").status_code == 201
        )

    def test_a_form_to_ny_arkiv_is_415(self, client: Client) -> None:
        response = post(
            client, "/api/noark5/arkivstruktur/ny-arkiv/", "tittel=Arkiv", "application/x-www-form-urlencoded"
        )
        assert response.status_code == 415


class TestPersonNumber:
    def entry_url(self, client: Client, archive: Archive) -> str:
        entry = post(client, new_entry_url(archive), {"tittel": "Brev", "journalposttype": {"kode": "I"}})
        return str(entry.json()["_links"]["self"]["href"])

    @pytest.mark.parametrize(
        "identifier",
        [
            {"foedselsnummer": VALID_PERSON_NUMBER},
            {"personidentifikator": [{"foedselsnummer": VALID_PERSON_NUMBER}]},
        ],
    )
    def test_a_correspondence_party_keeps_its_number_screened(
        self, client: Client, archive: Archive, identifier: dict[str, Any]
    ) -> None:
        body = {"navn": "Ola Nordmann", "korrespondanseparttype": {"kode": "EA"}, **identifier}
        response = post(client, self.entry_url(client, archive) + "ny-korrespondansepartperson/", body)
        assert response.status_code == 201
        assert VALID_PERSON_NUMBER not in response.content.decode()
        party = CorrespondenceParty.objects.get(system_id=response.json()["systemID"])
        assert party.national_identity_number == VALID_PERSON_NUMBER

    def test_an_invalid_number_is_refused_not_dropped(self, client: Client, archive: Archive) -> None:
        body = {"navn": "Ola", "korrespondanseparttype": {"kode": "EA"}, "foedselsnummer": "12345678901"}
        response = post(client, self.entry_url(client, archive) + "ny-korrespondansepartperson/", body)
        assert (response.status_code, error_code(response)) == (400, "invalid_pid")
        assert not CorrespondenceParty.objects.exists()

    def test_two_different_numbers_are_refused(self, client: Client, archive: Archive) -> None:
        body = {
            "navn": "Ola",
            "korrespondanseparttype": {"kode": "EA"},
            "personidentifikator": [{"foedselsnummer": VALID_PERSON_NUMBER}, {"dNummer": "41018512345"}],
        }
        response = post(client, self.entry_url(client, archive) + "ny-korrespondansepartperson/", body)
        assert (response.status_code, error_code(response)) == (400, "one_identifier")

    def test_a_case_party_keeps_its_number_too(self, client: Client, archive: Archive) -> None:
        url = f"/api/noark5/sakarkiv/saksmappe/{case_for(archive).system_id}/ny-partperson/"
        body = {"navn": "Ola", "partRolle": {"kode": "KLI"}, "foedselsnummer": VALID_PERSON_NUMBER}
        response = post(client, url, body)
        assert response.status_code == 201, response.content
        assert VALID_PERSON_NUMBER not in response.content.decode()
        assert CaseParty.objects.get().national_identity_number == VALID_PERSON_NUMBER
