"""Protocol rules of the Noark 5 API: login, tenancy, errors, lists with OData, code lists, ETag, CORS."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client

from ekommune.archive import services
from ekommune.archive.api.noark import MEDIA_TYPE, REL
from ekommune.archive.tests.factories import Archive, archive_for, case_for
from ekommune.core.models import Municipality, Role
from ekommune.core.tests.factories import PASSWORD, staff

pytestmark = pytest.mark.django_db


def token_for(host: str, username: str) -> str:
    response = Client(HTTP_HOST=host).post(
        "/api/noark5/login/rfc6749/token/",
        urlencode({"grant_type": "password", "username": username, "password": PASSWORD}),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200, response.content
    return str(response.json()["access_token"])


def api(host: str, token: str | None = None) -> Client:
    headers = {"Accept": MEDIA_TYPE}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return Client(HTTP_HOST=host, headers=headers)


@pytest.fixture
def archive(municipality_a: Municipality) -> Archive:
    return archive_for(municipality_a)


class TestEntryPoint:
    def test_entry_point_needs_no_login_and_lists_the_packages(self, municipality_a: Municipality) -> None:
        response = api("aust.test").get("/api/noark5/")
        assert response.status_code == 200
        assert response["Content-Type"].startswith(MEDIA_TYPE)
        links = response.json()["_links"]
        for relation in ["arkivstruktur/", "sakarkiv/", "metadata/", "admin/system/", "login/rfc6749/"]:
            assert REL + relation in links
        assert list(links) == sorted(links)

    def test_site_root_answers_api_clients_with_the_entry_point(self, municipality_a: Municipality) -> None:
        assert REL + "arkivstruktur/" in api("localhost").get("/").json()["_links"]
        assert "<html" in Client(HTTP_HOST="localhost").get("/").text

    def test_system_information(self, municipality_a: Municipality) -> None:
        body = api("aust.test").get("/api/noark5/admin/system/").json()
        assert body["protokollversjon"] == "1.1"
        assert body["bulkgrense"] > 0

    def test_everything_else_needs_login(self, municipality_a: Municipality) -> None:
        response = api("aust.test").get("/api/noark5/arkivstruktur/")
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert response.json()["feil"]["kode"] == 401

    def test_wrong_password_is_an_invalid_grant(self, archive: Archive) -> None:
        response = Client(HTTP_HOST="aust.test").post(
            "/api/noark5/login/rfc6749/token/",
            urlencode(
                {"grant_type": "password", "username": archive.case_worker.username, "password": "feil"}
            ),
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 400
        assert response.json()["error"] == "invalid_grant"

    def test_cors_headers(self, municipality_a: Municipality) -> None:
        response = api("aust.test").options("/api/noark5/")
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "PATCH" in response["Access-Control-Allow-Methods"]


class TestTenancy:
    def test_a_token_gives_its_municipality_on_a_neutral_address(self, archive: Archive) -> None:
        token = token_for("localhost", archive.case_worker.username)
        body = api("localhost", token).get("/api/noark5/arkivstruktur/arkiv/").json()
        assert body["count"] == 1
        assert body["results"][0]["tittel"] == "Aust kommune arkiv"

    def test_a_token_of_a_is_refused_at_b(self, archive: Archive, municipality_b: Municipality) -> None:
        token = token_for("aust.test", archive.case_worker.username)
        assert api("vest.test", token).get("/api/noark5/arkivstruktur/arkiv/").status_code == 401

    def test_objects_of_a_are_not_found_from_b(self, archive: Archive, municipality_b: Municipality) -> None:
        other = archive_for(municipality_b)
        case_file = case_for(archive)
        token = token_for("vest.test", other.case_worker.username)
        response = api("vest.test", token).get(f"/api/noark5/sakarkiv/saksmappe/{case_file.system_id}/")
        assert response.status_code == 404
        listing = (
            api("vest.test", token)
            .get("/api/noark5/sakarkiv/saksmappe/", {"$filter": f"tittel eq '{case_file.title}'"})
            .json()
        )
        assert listing["count"] == 0
        assert "results" not in listing


class TestLists:
    def test_filter_orderby_and_paging(self, archive: Archive) -> None:
        for title in [
            "Søknad om skjenkebevilling",
            "Søknad om barnehageplass",
            "Klage på vedtak",
            "Søknad om skoleskyss",
        ]:
            case_for(archive, title)
        client = api("aust.test", token_for("aust.test", archive.case_worker.username))
        body = client.get(
            "/api/noark5/sakarkiv/saksmappe/",
            {"$filter": "startswith(tittel,'Søknad')", "$orderby": "tittel desc", "$top": "2"},
        ).json()
        assert body["count"] == 3
        assert [r["tittel"] for r in body["results"]] == [
            "Søknad om skoleskyss",
            "Søknad om skjenkebevilling",
        ]
        rest = client.get(body["_links"]["next"]["href"]).json()
        assert [r["tittel"] for r in rest["results"]] == ["Søknad om barnehageplass"]
        assert "next" not in rest["_links"]
        both = client.get(
            "/api/noark5/sakarkiv/saksmappe/",
            {"$filter": "contains(tittel,'klage') or sakssekvensnummer eq 1"},
        ).json()
        assert sorted(r["tittel"] for r in both["results"]) == [
            "Klage på vedtak",
            "Søknad om skjenkebevilling",
        ]
        coded = client.get(
            "/api/noark5/sakarkiv/saksmappe/", {"$filter": "saksstatus/kode eq 'B' and not (saksaar lt 2000)"}
        ).json()
        assert coded["count"] == 4

    @pytest.mark.parametrize(
        ("params", "code"),
        [
            ({"$filter": "hemmelig eq 'x'"}, "invalid_filter_field"),
            ({"$filter": "tittel eq"}, "invalid_filter"),
            ({"$filter": "tittel zz 'x'"}, "invalid_filter"),
            ({"$top": "-1"}, "invalid_paging"),
            ({"$top": "²"}, "invalid_paging"),  # a digit to str.isdigit, not to int()
            ({"$orderby": "passord"}, "invalid_orderby"),
        ],
    )
    def test_bad_queries_are_400_with_a_reason(
        self, archive: Archive, params: dict[str, str], code: str
    ) -> None:
        response = api("aust.test", token_for("aust.test", archive.case_worker.username)).get(
            "/api/noark5/sakarkiv/saksmappe/", params
        )
        assert response.status_code == 400
        assert response.json()["feil"]["feilkode"] == code

    def test_code_lists_are_served(self, archive: Archive) -> None:
        client = api("aust.test", token_for("aust.test", archive.case_worker.username))
        metadata = client.get("/api/noark5/metadata/").json()["_links"]
        body = client.get(metadata[REL + "metadata/journalposttype/"]["href"]).json()
        assert {"kode": "I", "kodenavn": "Inngående dokument"} in [
            {k: r[k] for k in ("kode", "kodenavn")} for r in body["results"]
        ]


class TestWrites:
    def test_read_only_roles_see_no_create_links_and_cannot_create(
        self, archive: Archive, municipality_a: Municipality
    ) -> None:
        staff(municipality_a, Role.MANAGEMENT, username="leder")
        client = api("aust.test", token_for("aust.test", "leder"))
        series = client.get("/api/noark5/arkivstruktur/arkivdel/").json()["results"][0]
        assert not any("/ny-" in key for key in series["_links"])
        response = client.post(
            series["_links"]["self"]["href"] + "ny-saksmappe/",
            json.dumps({"tittel": "x"}),
            content_type=MEDIA_TYPE,
        )
        assert response.status_code == 403
        assert response.json()["feil"]["feilkode"] == "permission_denied"

    def test_missing_field_is_400_naming_it(self, archive: Archive) -> None:
        client = api("aust.test", token_for("aust.test", archive.case_worker.username))
        url = f"/api/noark5/arkivstruktur/arkivdel/{archive.series.system_id}/ny-saksmappe/"
        response = client.post(url, json.dumps({"offentligTittel": "uten tittel"}), content_type=MEDIA_TYPE)
        assert response.status_code == 400
        assert response.json()["feil"]["felt"] == "tittel"

    def test_stale_etag_is_a_conflict(self, archive: Archive) -> None:
        case_file = case_for(archive)
        entry = services.registry_entry_register(
            actor=archive.case_worker,
            municipality=archive.municipality,
            case_file=case_file,
            entry_type="X",
            title="Notat",
        )
        client = api("aust.test", token_for("aust.test", archive.case_worker.username))
        url = f"/api/noark5/sakarkiv/journalpost/{entry.system_id}/"
        etag = client.get(url)["ETag"]
        assert (
            client.patch(
                url,
                json.dumps({"tittel": "Notat om budsjett"}),
                content_type="application/merge-patch+json",
                HTTP_IF_MATCH=etag,
            ).status_code
            == 200
        )
        stale = client.patch(
            url,
            json.dumps({"tittel": "Igjen"}),
            content_type="application/merge-patch+json",
            HTTP_IF_MATCH=etag,
        )
        assert stale.status_code == 409
        assert stale.json()["feil"]["feilkode"] == "etag_mismatch"

    def test_fields_the_archive_sets_cannot_be_patched(self, archive: Archive) -> None:
        case_file = case_for(archive)
        client = api("aust.test", token_for("aust.test", archive.case_worker.username))
        url = f"/api/noark5/sakarkiv/saksmappe/{case_file.system_id}/"
        response = client.patch(
            url,
            json.dumps({"sakssekvensnummer": 99}),
            content_type="application/merge-patch+json",
            HTTP_IF_MATCH=client.get(url)["ETag"],
        )
        assert response.status_code == 400
        assert response.json()["feil"]["felt"] == "sakssekvensnummer"

    def test_download_in_another_type_is_not_acceptable(
        self, archive: Archive, settings: Any, tmp_path: Any
    ) -> None:
        settings.MEDIA_ROOT = tmp_path
        from ekommune.archive.tests.factories import SENDER, letter

        entry = services.registry_entry_register(
            actor=archive.case_worker,
            municipality=archive.municipality,
            case_file=case_for(archive),
            entry_type="I",
            title="Søknad",
            parties=[SENDER],
            documents=[letter()],
        )
        obj = entry.documents.get().document_objects.get()
        client = api("aust.test", token_for("aust.test", archive.case_worker.username))
        response = client.get(
            f"/api/noark5/arkivstruktur/dokumentobjekt/{obj.system_id}/fil/", HTTP_ACCEPT="image/png"
        )
        assert response.status_code == 406


class TestRelatedObjects:
    def test_comment_party_and_write_off_through_links(self, archive: Archive) -> None:
        case_file = case_for(archive)
        incoming = services.registry_entry_register(
            actor=archive.case_worker,
            municipality=archive.municipality,
            case_file=case_file,
            entry_type="I",
            title="Søknad",
        )
        reply = services.registry_entry_register(
            actor=archive.case_worker,
            municipality=archive.municipality,
            case_file=case_file,
            entry_type="U",
            title="Svar",
        )
        client = api("aust.test", token_for("aust.test", archive.case_worker.username))
        case_json = client.get(f"/api/noark5/sakarkiv/saksmappe/{case_file.system_id}/").json()
        links = case_json["_links"]
        comment = client.post(
            links[REL + "arkivstruktur/ny-merknad/"]["href"],
            json.dumps({"merknadstekst": "Mangler vedlegg", "merknadstype": {"kode": "MS"}}),
            content_type=MEDIA_TYPE,
        )
        assert comment.status_code == 201, comment.content
        party = client.post(
            links[REL + "arkivstruktur/ny-partperson/"]["href"],
            json.dumps({"navn": "Kari Klient", "partRolle": {"kode": "KLI"}}),
            content_type=MEDIA_TYPE,
        )
        assert party.status_code == 201, party.content
        assert (
            client.get(links[REL + "arkivstruktur/part/"]["href"]).json()["results"][0]["partRolle"]["kode"]
            == "KLI"
        )
        entry_links = client.get(f"/api/noark5/sakarkiv/journalpost/{incoming.system_id}/").json()["_links"]
        write_off = client.post(
            entry_links[REL + "sakarkiv/ny-avskrivning/"]["href"],
            json.dumps(
                {"avskrivningsmaate": {"kode": "BU"}, "referanseAvskrivesAvJournalpost": str(reply.system_id)}
            ),
            content_type=MEDIA_TYPE,
        )
        assert write_off.status_code == 201, write_off.content
        assert write_off.json()["referanseAvskrivesAvJournalpost"] == str(reply.system_id)
        assert client.get(entry_links[REL + "sakarkiv/avskrivning/"]["href"]).json()["count"] == 1
        wrong = client.post(
            entry_links[REL + "sakarkiv/ny-avskrivning/"]["href"],
            json.dumps({"avskrivningsmaate": {"kode": "ZZ"}}),
            content_type=MEDIA_TYPE,
        )
        assert wrong.status_code == 400
        assert wrong.json()["feil"]["felt"] == "avskrivningsmaate"


def test_internal_note_through_the_api(archive: Archive) -> None:
    case_file = case_for(archive)
    client = api("aust.test", token_for("aust.test", archive.case_worker.username))
    links = client.get(f"/api/noark5/sakarkiv/saksmappe/{case_file.system_id}/").json()["_links"]
    note = client.post(
        links[REL + "sakarkiv/ny-arkivnotat/"]["href"],
        json.dumps({"tittel": "Referat"}),
        content_type=MEDIA_TYPE,
    )
    assert note.status_code == 201, note.content
    body = note.json()
    assert REL + "sakarkiv/arkivnotat/" in body["_links"]
    assert "journalsekvensnummer" not in body
    assert client.get("/api/noark5/sakarkiv/journalpost/").json()["count"] == 0
    assert client.get("/api/noark5/sakarkiv/arkivnotat/").json()["count"] == 1
    assert client.get(f"/api/noark5/sakarkiv/journalpost/{body['systemID']}/").status_code == 404


class TestDeleteScreeningAndChangeLog:
    def test_only_reserved_entries_can_be_deleted(self, archive: Archive) -> None:
        case_file = case_for(archive)
        reserved = services.registry_entry_register(
            actor=archive.case_worker,
            municipality=archive.municipality,
            case_file=case_file,
            entry_type="U",
            title="Utkast",
            status="R",
        )
        registered = services.registry_entry_register(
            actor=archive.case_worker,
            municipality=archive.municipality,
            case_file=case_file,
            entry_type="X",
            title="Notat",
        )
        client = api("aust.test", token_for("aust.test", archive.case_worker.username))
        reserved_url = f"/api/noark5/sakarkiv/journalpost/{reserved.system_id}/"
        assert client.delete(reserved_url, HTTP_IF_MATCH=client.get(reserved_url)["ETag"]).status_code == 204
        refused = client.delete(
            f"/api/noark5/sakarkiv/journalpost/{registered.system_id}/", HTTP_IF_MATCH="*"
        )
        assert refused.status_code == 409
        assert refused.json()["feil"]["feilkode"] == "entry_not_deletable"
        assert client.get(f"/api/noark5/sakarkiv/journalpost/{registered.system_id}/").status_code == 200

    def test_screening_is_set_on_creation_and_shown(self, archive: Archive) -> None:
        client = api("aust.test", token_for("aust.test", archive.case_worker.username))
        url = f"/api/noark5/arkivstruktur/klasse/{archive.classes['A20'].system_id}/ny-saksmappe/"
        body = {
            "tittel": "Barnevernssak Kari Hansen",
            "offentligTittel": "Barnevernssak",
            "skjerming": {
                "tilgangsrestriksjon": {"kode": "KL"},
                "skjermingshjemmel": "Offl. § 13 jf. bvl. § 13-1",
                "skjermingMetadata": [{"kode": "TM1"}, {"kode": "NPS"}],
            },
        }
        created = client.post(url, json.dumps(body), content_type=MEDIA_TYPE)
        assert created.status_code == 201, created.content
        screening = created.json()["skjerming"]
        assert screening["skjermingshjemmel"] == "Offl. § 13 jf. bvl. § 13-1"
        assert [m["kode"] for m in screening["skjermingMetadata"]] == ["TM1", "NPS"]
        missing = client.post(
            url,
            json.dumps({**body, "skjerming": {"tilgangsrestriksjon": {"kode": "KL"}}}),
            content_type=MEDIA_TYPE,
        )
        assert missing.status_code == 400
        assert missing.json()["feil"]["felt"] == "skjermingshjemmel"

    def test_change_log_of_an_object(self, archive: Archive) -> None:
        entry = services.registry_entry_register(
            actor=archive.case_worker,
            municipality=archive.municipality,
            case_file=case_for(archive),
            entry_type="X",
            title="Notat",
        )
        services.registry_entry_update_title(
            actor=archive.case_worker, municipality=archive.municipality, entry=entry, title="Notat om vei"
        )
        client = api("aust.test", token_for("aust.test", archive.case_worker.username))
        links = client.get(f"/api/noark5/sakarkiv/journalpost/{entry.system_id}/").json()["_links"]
        log = client.get(links[REL + "loggingogsporing/endringslogg/"]["href"]).json()
        assert log["count"] == 1
        change = log["results"][0]
        assert (change["referanseMetadata"], change["tidligereVerdi"], change["nyVerdi"]) == (
            "tittel",
            "Notat",
            "Notat om vei",
        )


def test_document_object_described_first_then_its_file(
    archive: Archive, settings: Any, tmp_path: Any
) -> None:
    """The other upload path of the spec: ny-dokumentobjekt with its metadata, then POST to its fil link."""
    import hashlib

    settings.MEDIA_ROOT = tmp_path
    entry = services.registry_entry_register(
        actor=archive.case_worker,
        municipality=archive.municipality,
        case_file=case_for(archive),
        entry_type="X",
        title="Notat",
    )
    document = services.document_description_create(
        actor=archive.case_worker, municipality=archive.municipality, entry=entry, title="Notat"
    )
    client = api("aust.test", token_for("aust.test", archive.case_worker.username))
    links = client.get(f"/api/noark5/arkivstruktur/dokumentbeskrivelse/{document.system_id}/").json()[
        "_links"
    ]
    content = b"%PDF-1.7 notat"
    described = client.post(
        links[REL + "arkivstruktur/ny-dokumentobjekt/"]["href"],
        json.dumps(
            {
                "filnavn": "notat.pdf",
                "mimeType": "application/pdf",
                "sjekksum": hashlib.sha256(content).hexdigest(),
                "filstoerrelse": len(content),
            }
        ),
        content_type=MEDIA_TYPE,
    )
    assert described.status_code == 201, described.content
    file_link = described.json()["_links"][REL + "arkivstruktur/fil/"]["href"]
    assert client.get(file_link, HTTP_ACCEPT="*/*").status_code == 404  # no file yet
    wrong = client.post(file_link, data=b"%PDF-1.7 something else", content_type="application/pdf")
    assert wrong.status_code == 400
    assert wrong.json()["feil"]["feilkode"] == "checksum_mismatch"
    uploaded = client.post(file_link, data=content, content_type="application/pdf")
    assert uploaded.status_code == 201, uploaded.content
    assert uploaded.json()["filstoerrelse"] == len(content)
    again = client.post(file_link, data=content, content_type="application/pdf")
    assert again.status_code == 409
    assert again.json()["feil"]["feilkode"] == "file_exists"


def test_free_text_search(archive: Archive) -> None:
    for title in ["Søknad om skjenkebevilling", "Klage på byggesak"]:
        case_for(archive, title)
    client = api("aust.test", token_for("aust.test", archive.case_worker.username))
    found = client.get("/api/noark5/sakarkiv/saksmappe/", {"$search": "skjenke"}).json()
    assert [r["tittel"] for r in found["results"]] == ["Søknad om skjenkebevilling"]


def test_children_by_relation_name_or_by_type(archive: Archive) -> None:
    case_file = case_for(archive)
    services.registry_entry_register(
        actor=archive.case_worker,
        municipality=archive.municipality,
        case_file=case_file,
        entry_type="X",
        title="Notat",
    )
    client = api("aust.test", token_for("aust.test", archive.case_worker.username))
    base = f"/api/noark5/sakarkiv/saksmappe/{case_file.system_id}/"
    assert client.get(base + "registrering/").json()["count"] == 1
    assert client.get(base + "journalpost/").json()["count"] == 1
    assert client.get(base + "dokumentobjekt/").status_code == 404
