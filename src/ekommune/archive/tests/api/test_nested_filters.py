"""``$filter`` on nested paths as the spec's examples use them, and keywords and national
identifiers as objects on files and records (issue 16 §3.5)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from ekommune.archive import services
from ekommune.archive.api.noark import MEDIA_TYPE, REL
from ekommune.archive.models import CaseFile, RegistryEntry
from ekommune.archive.tests.api.test_protocol import api, token_for
from ekommune.archive.tests.factories import Archive, case_for
from ekommune.core.models import Role
from ekommune.core.tests.factories import staff

pytestmark = pytest.mark.django_db

PERSON_NUMBER = "01018510002"  # synthetic, both check digits right
ORGANISATION_NUMBER = "974760673"


@pytest.fixture
def client(archive: Archive) -> Client:
    return api("aust.test", token_for("aust.test", archive.records_manager.username))


@pytest.fixture
def reader(archive: Archive) -> Client:
    user = staff(archive.municipality, Role.MANAGEMENT)
    return api("aust.test", token_for("aust.test", user.username))


def post(client: Client, href: str, body: dict[str, Any]) -> Any:
    return client.post(href, json.dumps(body), content_type=MEDIA_TYPE)


def titles(client: Client, path: str, text: str) -> set[str]:
    response = client.get(f"/api/noark5/{path}", {"$filter": text})
    assert response.status_code == 200, (text, response.content)
    return {item["tittel"] for item in response.json().get("results", [])}


def entry(archive: Archive, case_file: CaseFile, title: str, **party: str) -> RegistryEntry:
    parties = [services.PartyInput(party_type="EA", **party)] if party else []
    return services.registry_entry_register(
        actor=archive.case_worker,
        municipality=archive.municipality,
        case_file=case_file,
        entry_type="I",
        title=title,
        parties=parties,
    )


class TestPartsAndCorrespondents:
    @pytest.fixture
    def cases(self, archive: Archive) -> dict[str, CaseFile]:
        found = {title: case_for(archive, title=title) for title in ["Byggesak", "Barnevern", "Skjenking"]}
        for name, role in [("Ola Nordmann", "KLI"), ("Ola Nordmann", "ADV"), ("Kari Advokat", "ADV")]:
            services.case_party_add(
                actor=archive.case_worker,
                municipality=archive.municipality,
                case_file=found["Byggesak" if name.startswith("Ola") else "Barnevern"],
                party=services.CasePartyInput(name=name, role=role),
            )
        return found

    def test_part_navn_and_role_code(self, client: Client, cases: dict[str, CaseFile]) -> None:
        response = client.get("/api/noark5/sakarkiv/saksmappe/", {"$filter": "part/navn eq 'Ola Nordmann'"})
        assert response.json()["count"] == 1  # two matching parties, listed once
        assert titles(client, "sakarkiv/saksmappe/", "part/partRolle/kode eq 'ADV'") == {
            "Byggesak",
            "Barnevern",
        }
        assert titles(
            client,
            "sakarkiv/saksmappe/",
            "sakspart/any(s: s/Default.SakspartPersonType/navn eq 'Kari Advokat')",
        ) == {"Barnevern"}
        assert titles(client, "sakarkiv/saksmappe/", "not (part/navn eq 'Ola Nordmann')") == {
            "Barnevern",
            "Skjenking",
        }
        # a plain folder has no parts: on the general list it matches none
        assert titles(client, "arkivstruktur/mappe/", "part/navn eq 'Ola Nordmann'") == {"Byggesak"}

    def test_korrespondansepart_paths(self, client: Client, archive: Archive) -> None:
        case_file = case_for(archive)
        entry(archive, case_file, "Fra Ola", name="Ola Nordmann", national_identity_number=PERSON_NUMBER)
        entry(
            archive,
            case_file,
            "Fra firma",
            name="Bygg AS",
            kind="unit",
            organisation_number=ORGANISATION_NUMBER,
        )
        assert titles(client, "sakarkiv/journalpost/", "korrespondansepart/navn eq 'Bygg AS'") == {
            "Fra firma"
        }
        assert titles(
            client,
            "sakarkiv/journalpost/",
            f"korrespondansepart/organisasjonsnummer eq '{ORGANISATION_NUMBER}'",
        ) == {"Fra firma"}
        spec_form = f"korrespondansepart/any(s:s/Default.KorrespondansepartPersonType/foedselsnummer eq '{PERSON_NUMBER}')"
        assert titles(client, "sakarkiv/journalpost/", spec_form) == {"Fra Ola"}
        assert titles(client, "arkivstruktur/registrering/", "korrespondansepart/navn eq 'Ola Nordmann'") == {
            "Fra Ola"
        }

    def test_a_person_number_is_no_filter_for_staff_who_may_not_see_it(
        self, reader: Client, archive: Archive
    ) -> None:
        entry(archive, case_for(archive), "Fra Ola", name="Ola", national_identity_number=PERSON_NUMBER)
        for path, text in [
            ("sakarkiv/journalpost/", f"korrespondansepart/foedselsnummer eq '{PERSON_NUMBER}'"),
            ("sakarkiv/saksmappe/", f"part/foedselsnummer eq '{PERSON_NUMBER}'"),
            (
                "arkivstruktur/mappe/",
                f"nasjonalidentifikator/foedselsnummer/foedselsnummer eq '{PERSON_NUMBER}'",
            ),
        ]:
            response = reader.get(f"/api/noark5/{path}", {"$filter": text})
            assert response.status_code == 400, path
            assert response.json()["feil"]["feilkode"] == "invalid_filter_field"
            assert "foedselsnummer" not in response.json()["feil"]["beskrivelse"].split("mulige:")[1]
        assert (
            reader.get(
                "/api/noark5/sakarkiv/journalpost/", {"$filter": "korrespondansepart/navn eq 'Ola'"}
            ).json()["count"]
            == 1
        )


class TestExpressions:
    def test_ne_null_and_eq_null_on_texts(self, client: Client, archive: Archive) -> None:
        services.case_file_create(
            actor=archive.case_worker,
            municipality=archive.municipality,
            series=archive.series,
            title="Barnevern Ola",
            public_title="Barnevern ******",
            administrative_unit="Oppvekst",
            case_responsible="Kari",
            primary_class=archive.classes["A20"],
        )
        case_for(archive, title="Veg")
        assert titles(client, "sakarkiv/saksmappe/", "offentligTittel ne null") == {"Barnevern Ola"}
        assert titles(client, "sakarkiv/saksmappe/", "offentligTittel eq null") == {"Veg"}

    @pytest.mark.parametrize(
        "text",
        [
            "contains(tittel, 'barn') AND saksaar ge 2000 and not (tittel eq 'x')",
            "contains(tittel,'Barn') and saksaar ge 2000 AND saksstatus/kode eq 'B'",
            "contains('barn', tittel) eq true",
            "substringof('barn', tittel)",
            "startswith(tittel, 'Søknad') or endswith(tittel, 'hage')",
            "saksdato gt DateTime'2017-02-15' and contains(tittel, 'barnehage')",
            "year(saksdato) gt 2014 and contains(tittel, 'barnehage')",
            "klasse/klasseID eq 'A20'",
        ],
    )
    def test_the_spec_s_forms(self, client: Client, archive: Archive, text: str) -> None:
        case_for(archive, title="Søknad om barnehage")
        services.case_file_create(
            actor=archive.case_worker,
            municipality=archive.municipality,
            series=archive.series,
            title="Vegvedlikehold",
            administrative_unit="Teknisk",
            case_responsible="Per",
            primary_class=archive.classes["614"],
        )
        assert titles(client, "sakarkiv/saksmappe/", text) == {"Søknad om barnehage"}

    @pytest.mark.parametrize(
        "text",
        [
            "contains(tittel, saksaar)",
            "contains('a', 'b')",
            "contains(tittel, 'a') eq 5",
            "year(saksdato) gt '2014'",
            "part/all(p: p/navn eq 'x')",
            "part/any(p p/navn eq 'x')",
            "saksdato gt DateTime'2017-02-31'",
        ],
    )
    def test_malformed_forms_are_400(self, client: Client, archive: Archive, text: str) -> None:
        response = client.get("/api/noark5/sakarkiv/saksmappe/", {"$filter": text})
        assert response.status_code == 400, (text, response.content)


class TestKeywords:
    def test_keywords_are_objects_on_files_and_records(self, client: Client, archive: Archive) -> None:
        case_file = case_for(archive, title="Barnehage")
        plain = services.folder_create(
            actor=archive.case_worker, municipality=archive.municipality, series=archive.series, title="Mappe"
        )
        record = entry(archive, case_file, "Søknad")
        body = client.get(f"/api/noark5/sakarkiv/saksmappe/{case_file.system_id}/").json()
        new = body["_links"][REL + "arkivstruktur/ny-noekkelord/"]["href"]
        created = post(client, new, {"noekkelord": "barnehage"})
        assert created.status_code == 201, created.content
        assert created.json()["noekkelord"] == "barnehage"
        assert created.json()["_links"][REL + "arkivstruktur/mappe/"]["href"].endswith(
            f"{case_file.system_id}/"
        )
        for url in [
            f"/api/noark5/arkivstruktur/mappe/{plain.system_id}/ny-noekkelord/",
            f"/api/noark5/sakarkiv/journalpost/{record.system_id}/ny-noekkelord/",
        ]:
            assert post(client, url, {"noekkelord": "barnehage"}).status_code == 201
        listed = client.get(body["_links"][REL + "arkivstruktur/noekkelord/"]["href"]).json()
        assert [k["noekkelord"] for k in listed["results"]] == ["barnehage"]
        assert titles(client, "arkivstruktur/mappe/", "noekkelord/noekkelord eq 'barnehage'") == {
            "Barnehage",
            "Mappe",
        }
        assert titles(client, "sakarkiv/journalpost/", "noekkelord/noekkelord eq 'barnehage'") == {"Søknad"}
        case_file.refresh_from_db()
        assert case_file.keywords == ["barnehage"]  # the deposit export's copy

    def test_a_keyword_needs_text_within_its_limit(self, client: Client, archive: Archive) -> None:
        url = f"/api/noark5/sakarkiv/saksmappe/{case_for(archive).system_id}/ny-noekkelord/"
        assert post(client, url, {"noekkelord": " "}).json()["feil"]["feilkode"] == "required"
        assert post(client, url, {"noekkelord": "x" * 201}).json()["feil"]["feilkode"] == "too_long"


class TestNationalIdentifiers:
    BODIES: dict[str, dict[str, Any]] = {
        "ny-matrikkel": {"kommunenummer": "4601", "gaardsnummer": 12, "bruksnummer": 3},
        "ny-bygning": {"bygningsnummer": 12345678},
        "ny-plan": {"kommunenummer": "4601", "planidentifikasjon": "2020001"},
        "ny-posisjon": {"koordinatsystem": {"kode": "EU89-UTM32"}, "x": 297000.5, "y": 6700000.0},
        "ny-enhetsidentifikator": {"organisasjonsnummer": ORGANISATION_NUMBER},
        "ny-foedselsnummer": {"foedselsnummer": PERSON_NUMBER},
    }

    @pytest.fixture
    def case_file(self, client: Client, archive: Archive) -> CaseFile:
        case_file = case_for(archive, title="Byggesak Storgata 1")
        case_for(archive, title="Annen sak")
        links = client.get(f"/api/noark5/sakarkiv/saksmappe/{case_file.system_id}/").json()["_links"]
        for relation, body in self.BODIES.items():
            response = post(client, links[REL + f"arkivstruktur/{relation}/"]["href"], body)
            assert response.status_code == 201, (relation, response.content)
        return case_file

    @pytest.mark.parametrize(
        "text",
        [
            "nasjonalidentifikator/matrikkel/gaardsnummer eq 12 and nasjonalidentifikator/matrikkel/bruksnummer eq 3",
            "nasjonalidentifikator/any(i: i/Default.BygningType/byggidentifikator/bygningsNummer eq '12345678')",
            "nasjonalidentifikator/bygning/bygningsnummer eq 12345678",
            "nasjonalidentifikator/plan/planidentifikasjon eq '2020001'",
            "nasjonalidentifikator/posisjon/koordinatsystem/kode eq 'EU89-UTM32' and nasjonalidentifikator/posisjon/x gt 1",
            f"nasjonalidentifikator/enhetsidentifikator/organisasjonsnummer eq '{ORGANISATION_NUMBER}'",
            f"nasjonalidentifikator/foedselsnummer/foedselsnummer eq '{PERSON_NUMBER}'",
            "nasjonalidentifikator/matrikkel/gaardsnummer ne null",
        ],
    )
    def test_filters_reach_each_kind(self, client: Client, case_file: CaseFile, text: str) -> None:
        assert titles(client, "sakarkiv/saksmappe/", text) == {"Byggesak Storgata 1"}
        assert titles(client, "arkivstruktur/mappe/", text) == {"Byggesak Storgata 1"}

    def test_the_person_number_is_shown_only_to_those_who_may_see_it(
        self, client: Client, reader: Client, case_file: CaseFile
    ) -> None:
        path = f"/api/noark5/sakarkiv/saksmappe/{case_file.system_id}/nasjonalidentifikator/"
        for_manager = client.get(path).json()
        assert for_manager["count"] == len(self.BODIES)
        assert PERSON_NUMBER in json.dumps(for_manager)
        for_reader = reader.get(path)
        assert PERSON_NUMBER not in for_reader.content.decode()
        matrikkel = next(i for i in for_reader.json()["results"] if "gaardsnummer" in i)
        assert (matrikkel["kommunenummer"], matrikkel["gaardsnummer"], matrikkel["bruksnummer"]) == (
            "4601",
            12,
            3,
        )
        one = reader.get(matrikkel["_links"]["self"]["href"])
        assert one.status_code == 200

    @pytest.mark.parametrize(
        ("relation", "body", "code"),
        [
            ("ny-matrikkel", {"gaardsnummer": 12}, "required"),
            ("ny-matrikkel", {"gaardsnummer": "tolv", "bruksnummer": 1}, "invalid"),
            ("ny-matrikkel", {"gaardsnummer": 1, "bruksnummer": 1, "kommunenummer": "46"}, "invalid"),
            ("ny-posisjon", {"koordinatsystem": "EU89", "x": "øst", "y": 1}, "invalid"),
            ("ny-enhetsidentifikator", {"organisasjonsnummer": "123456789"}, "invalid_organisation_number"),
            ("ny-foedselsnummer", {"foedselsnummer": "12345678901"}, "invalid_pid"),
            ("ny-plan", {"planidentifikasjon": "x" * 101}, "too_long"),
        ],
    )
    def test_each_kind_is_checked(
        self, client: Client, archive: Archive, relation: str, body: dict[str, Any], code: str
    ) -> None:
        url = f"/api/noark5/sakarkiv/saksmappe/{case_for(archive).system_id}/{relation}/"
        response = post(client, url, body)
        assert (response.status_code, response.json()["feil"]["feilkode"]) == (400, code)

    def test_records_and_plain_folders_take_them_too(self, client: Client, archive: Archive) -> None:
        record = entry(archive, case_for(archive), "Brev")
        plain = services.folder_create(
            actor=archive.case_worker, municipality=archive.municipality, series=archive.series, title="Mappe"
        )
        for url in [
            f"/api/noark5/sakarkiv/journalpost/{record.system_id}/ny-bygning/",
            f"/api/noark5/arkivstruktur/mappe/{plain.system_id}/ny-bygning/",
        ]:
            assert post(client, url, {"bygningsnummer": 7}).status_code == 201
        assert titles(
            client, "sakarkiv/journalpost/", "nasjonalidentifikator/bygning/bygningsnummer eq 7"
        ) == {"Brev"}
        assert titles(
            client, "arkivstruktur/mappe/", "nasjonalidentifikator/bygning/bygningsnummer eq 7"
        ) == {"Mappe"}

    def test_a_reader_gets_no_create_links(self, reader: Client, archive: Archive) -> None:
        links = reader.get(f"/api/noark5/sakarkiv/saksmappe/{case_for(archive).system_id}/").json()["_links"]
        assert REL + "arkivstruktur/nasjonalidentifikator/" in links
        assert REL + "arkivstruktur/ny-matrikkel/" not in links
        assert REL + "arkivstruktur/ny-foedselsnummer/" not in links
