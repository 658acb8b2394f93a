"""Reads through the Noark 5 API are logged (decision 0226): a document file, a screened registry
entry by systemID, in a list and expanded under its case; unscreened entries and writes are not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ekommune.archive import services
from ekommune.archive.models import RegistryEntry
from ekommune.archive.tests.api.test_protocol import api, token_for
from ekommune.archive.tests.factories import SENDER, Archive, archive_for, case_for, letter
from ekommune.core.models import AuditEvent, Municipality

pytestmark = pytest.mark.django_db

SCREENED = services.ScreeningInput(
    access_restriction="13", legal_basis="Offl. § 13 jf. fvl. § 13", screened_metadata=["NA"]
)


@pytest.fixture
def archive(municipality_a: Municipality, settings: Any, tmp_path: Path) -> Archive:
    settings.MEDIA_ROOT = tmp_path / "media"
    return archive_for(municipality_a)


def entry(archive: Archive, *, screened: bool, title: str = "Søknad om barnehageplass") -> RegistryEntry:
    return services.registry_entry_register(
        actor=archive.case_worker,
        municipality=archive.municipality,
        case_file=case_for(archive),
        entry_type="I",
        title=title,
        parties=[SENDER],
        documents=[letter("Søknad")],
        screening=SCREENED if screened else None,
    )


def reads(archive: Archive) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(chain_key=archive.municipality.pk, action__startswith="read.").order_by(
            "sequence"
        )
    )


def test_a_document_file_read_through_the_api_is_logged_with_its_case(archive: Archive) -> None:
    found = entry(archive, screened=False)
    client = api("aust.test", token_for("aust.test", archive.case_worker.username))
    [document_object] = found.registered_files
    response = client.get(f"/api/noark5/arkivstruktur/dokumentobjekt/{document_object.system_id}/fil/")
    assert response.status_code == 200
    [event] = reads(archive)
    case_file = found.case_file
    assert (event.action, event.object_id, event.actor_id) == (
        "read.document_file",
        str(document_object.system_id),
        archive.case_worker.pk,
    )
    assert event.detail == {
        "via": "api",
        "purpose": case_file.file_id,
        "case_file": str(case_file.system_id),
        "unit": "Oppvekst",
        "handlers": ["Kari Nilsen"],
    }


def test_a_screened_entry_read_by_system_id_in_a_list_or_expanded_is_logged(archive: Archive) -> None:
    screened = entry(archive, screened=True)
    entry(archive, screened=False, title="Melding om hull i vegen")
    client = api("aust.test", token_for("aust.test", archive.case_worker.username))
    assert client.get(f"/api/noark5/sakarkiv/journalpost/{screened.system_id}/").status_code == 200
    assert client.get("/api/noark5/sakarkiv/journalpost/").json()["count"] == 2
    assert client.get("/api/noark5/arkivstruktur/registrering/").status_code == 200  # a general list
    case_url = f"/api/noark5/sakarkiv/saksmappe/{screened.case_file.system_id}/"
    assert client.get(case_url, {"$expand": "registrering"}).status_code == 200
    logged = reads(archive)
    assert [event.object_id for event in logged] == [str(screened.system_id)] * 4
    assert {event.detail["via"] for event in logged} == {"api"}
    assert {event.detail["purpose"] for event in logged} == {screened.case_file.file_id}


def test_an_unscreened_entry_and_a_write_are_not_reads_of_screened_data(archive: Archive) -> None:
    found = entry(archive, screened=False)
    client = api("aust.test", token_for("aust.test", archive.case_worker.username))
    assert client.get(f"/api/noark5/sakarkiv/journalpost/{found.system_id}/").status_code == 200
    assert reads(archive) == []
