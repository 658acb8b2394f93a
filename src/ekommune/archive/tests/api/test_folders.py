"""Plain files (mappe, with undermappe) beside case files, and the general lists
``arkivstruktur/mappe/`` and ``arkivstruktur/registrering/`` (issue 16 §3.4)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from ekommune.archive import services
from ekommune.archive.api.lists import MAX_WINDOW
from ekommune.archive.api.noark import MEDIA_TYPE, REL
from ekommune.archive.models import Folder
from ekommune.archive.tests.api.test_protocol import api, token_for
from ekommune.archive.tests.factories import Archive, archive_for, case_for
from ekommune.core.errors import NotFoundError, PermissionDeniedError, ValidationError
from ekommune.core.models import Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(archive: Archive) -> Client:
    return api("aust.test", token_for("aust.test", archive.records_manager.username))


def post(client: Client, href: str, body: dict[str, Any]) -> Any:
    response = client.post(href, json.dumps(body), content_type=MEDIA_TYPE)
    assert response.status_code == 201, response.content
    return response.json()


def folder(archive: Archive, title: str, parent: Folder | None = None) -> Folder:
    return services.folder_create(
        actor=archive.case_worker,
        municipality=archive.municipality,
        series=archive.series,
        title=title,
        parent=parent,
    )


class TestPlainFolders:
    def test_a_series_offers_ny_mappe_and_a_folder_takes_undermapper(
        self, client: Client, archive: Archive
    ) -> None:
        series = client.get(f"/api/noark5/arkivstruktur/arkivdel/{archive.series.system_id}/").json()
        top = post(
            client, series["_links"][REL + "arkivstruktur/ny-mappe/"]["href"], {"tittel": "Byggeprosjekter"}
        )
        assert top["mappeID"].startswith("M")
        assert REL + "arkivstruktur/undermappe/" in top["_links"]
        sub = post(client, top["_links"][REL + "arkivstruktur/ny-mappe/"]["href"], {"tittel": "Skole 2027"})
        assert sub["_links"][REL + "arkivstruktur/overmappe/"]["href"] == top["_links"]["self"]["href"]
        assert sub["mappeID"] != top["mappeID"]
        listed = client.get(top["_links"][REL + "arkivstruktur/undermappe/"]["href"]).json()
        assert [f["tittel"] for f in listed["results"]] == ["Skole 2027"]

    def test_the_v4_name_ny_undermappe_is_taken_too(self, client: Client, archive: Archive) -> None:
        top = folder(archive, "Prosjekter")
        post(client, f"/api/noark5/arkivstruktur/mappe/{top.system_id}/ny-undermappe/", {"tittel": "Del 1"})
        assert top.subfolders.count() == 1

    def test_ny_mappe_under_a_class(self, client: Client, archive: Archive) -> None:
        klass = archive.classes["064"]
        created = post(
            client, f"/api/noark5/arkivstruktur/klasse/{klass.system_id}/ny-mappe/", {"tittel": "IT"}
        )
        assert created["_links"][REL + "arkivstruktur/klasse/"]["href"].endswith(f"{klass.system_id}/")
        listed = client.get(f"/api/noark5/arkivstruktur/klasse/{klass.system_id}/mappe/").json()
        assert [f["tittel"] for f in listed["results"]] == ["IT"]

    def test_the_template_and_the_title_limit(self, client: Client, archive: Archive) -> None:
        url = f"/api/noark5/arkivstruktur/arkivdel/{archive.series.system_id}/ny-mappe/"
        assert client.get(url).json()["dokumentmedium"]["kode"] == "E"
        response = client.post(url, json.dumps({"tittel": "x" * 1001}), content_type=MEDIA_TYPE)
        assert (response.status_code, response.json()["feil"]["feilkode"]) == (400, "too_long")


class TestGeneralLists:
    def test_mappe_lists_every_kind_of_file_each_as_its_own_type(
        self, client: Client, archive: Archive
    ) -> None:
        case_file = case_for(archive, title="Barnehagesøknad")
        plain = folder(archive, "Prosjektmappe")
        folder(archive, "Undermappe", parent=plain)
        body = client.get("/api/noark5/arkivstruktur/mappe/").json()
        assert body["count"] == 3
        by_title = {f["tittel"]: f for f in body["results"]}
        assert by_title["Barnehagesøknad"]["saksaar"] == case_file.case_year
        assert REL + "sakarkiv/saksmappe/" in by_title["Barnehagesøknad"]["_links"]
        assert "saksaar" not in by_title["Prosjektmappe"]
        # the arkivdel's mappe/ relation holds the top-level files of both kinds
        below = client.get(f"/api/noark5/arkivstruktur/arkivdel/{archive.series.system_id}/mappe/").json()
        assert {f["tittel"] for f in below["results"]} == {"Barnehagesøknad", "Prosjektmappe"}

    def test_a_case_file_is_found_under_mappe_by_its_system_id(
        self, client: Client, archive: Archive
    ) -> None:
        case_file = case_for(archive)
        body = client.get(f"/api/noark5/arkivstruktur/mappe/{case_file.system_id}/").json()
        assert body["mappeID"] == case_file.file_id
        assert REL + "sakarkiv/ny-journalpost/" in body["_links"]
        entries = client.get(f"/api/noark5/arkivstruktur/mappe/{case_file.system_id}/registrering/")
        assert entries.status_code == 200

    def test_filter_order_and_paging_over_both_kinds(self, client: Client, archive: Archive) -> None:
        for title in ["A sak", "C sak"]:
            case_for(archive, title=title)
        for title in ["B mappe", "D mappe"]:
            folder(archive, title)
        ordered = client.get(
            "/api/noark5/arkivstruktur/mappe/", {"$orderby": "tittel desc", "$top": "3"}
        ).json()
        assert [f["tittel"] for f in ordered["results"]] == ["D mappe", "C sak", "B mappe"]
        rest = client.get(ordered["_links"]["next"]["href"]).json()
        assert [f["tittel"] for f in rest["results"]] == ["A sak"]
        found = client.get(
            "/api/noark5/arkivstruktur/mappe/", {"$filter": "contains(tittel, 'mappe')"}
        ).json()
        assert found["count"] == 2
        # a name only saksmappe has: no plain folder matches it, the case files do
        cases = client.get("/api/noark5/arkivstruktur/mappe/", {"$filter": "saksaar ge 2000"}).json()
        assert {f["tittel"] for f in cases["results"]} == {"A sak", "C sak"}
        not_cases = client.get(
            "/api/noark5/arkivstruktur/mappe/", {"$filter": "not (saksaar ge 2000)"}
        ).json()
        assert {f["tittel"] for f in not_cases["results"]} == {"B mappe", "D mappe"}
        too_far = client.get("/api/noark5/arkivstruktur/mappe/", {"$skip": str(MAX_WINDOW)})
        assert (too_far.status_code, too_far.json()["feil"]["feilkode"]) == (400, "invalid_paging")

    def test_registrering_lists_registry_entries_and_notes(self, client: Client, archive: Archive) -> None:
        case_file = case_for(archive)
        services.registry_entry_register(
            actor=archive.case_worker,
            municipality=archive.municipality,
            case_file=case_file,
            entry_type="I",
            title="Søknad",
        )
        note = services.internal_note_register(
            actor=archive.case_worker, municipality=archive.municipality, case_file=case_file, title="Notat"
        )
        body = client.get("/api/noark5/arkivstruktur/registrering/").json()
        assert body["count"] == 2
        kinds = {r["tittel"]: r["_links"] for r in body["results"]}
        assert REL + "sakarkiv/journalpost/" in kinds["Søknad"]
        assert REL + "sakarkiv/arkivnotat/" in kinds["Notat"]
        detail = client.get(f"/api/noark5/arkivstruktur/registrering/{note.system_id}/").json()
        assert "journalposttype" not in detail


class TestFolderService:
    def test_a_folder_of_another_municipality_is_refused(
        self, archive: Archive, municipality_b: Municipality
    ) -> None:
        other = archive_for(municipality_b)
        with pytest.raises(NotFoundError):
            services.folder_create(
                actor=archive.case_worker, municipality=archive.municipality, series=other.series, title="X"
            )
        assert not Folder.objects.exists()

    def test_an_undermappe_stays_in_its_parents_series(self, archive: Archive) -> None:
        parent = folder(archive, "Overmappe")
        other_series = services.series_create(
            actor=archive.records_manager,
            municipality=archive.municipality,
            fonds=archive.fonds,
            title="Annen",
        )
        with pytest.raises(ValidationError) as refused:
            services.folder_create(
                actor=archive.case_worker,
                municipality=archive.municipality,
                series=other_series,
                parent=parent,
                title="X",
            )
        assert refused.value.code == "wrong_series"

    def test_a_reader_cannot_open_a_folder(self, archive: Archive) -> None:
        from ekommune.core.models import Role
        from ekommune.core.tests.factories import staff

        reader = staff(archive.municipality, Role.MANAGEMENT)
        with pytest.raises(PermissionDeniedError):
            services.folder_create(
                actor=reader, municipality=archive.municipality, series=archive.series, title="X"
            )

    def test_folder_numbers_run_per_year(self, archive: Archive) -> None:
        first, second = folder(archive, "En"), folder(archive, "To")
        year = first.created_at.year
        assert (first.folder_id, second.folder_id) == (f"M{year}/1", f"M{year}/2")
        assert str(first) == f"M{year}/1 En"
