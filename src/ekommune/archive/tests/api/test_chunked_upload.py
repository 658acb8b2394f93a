"""Uploads above ``bulkgrense``: start a session on the fil link, then PUT the parts in order."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from ekommune.archive import services
from ekommune.archive.models import DocumentDescription, UploadSession
from ekommune.archive.tests.api.test_protocol import api, token_for
from ekommune.archive.tests.factories import Archive, archive_for, case_for
from ekommune.archive.types import ArchiveRuleError
from ekommune.core.errors import ConflictError, NotFoundError, ValidationError
from ekommune.core.models import Municipality, Role
from ekommune.core.tests.factories import staff

pytestmark = pytest.mark.django_db

CONTENT = b"%PDF-1.7\n" + bytes(range(256)) * 40  # 10,249 bytes


@pytest.fixture
def archive(municipality_a: Municipality, settings: Any, tmp_path: Path) -> Archive:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EKOMMUNE_UPLOAD_DIR = tmp_path / "uploads"
    return archive_for(municipality_a)


def draft_document(archive: Archive) -> DocumentDescription:
    entry = services.registry_entry_register(
        actor=archive.case_worker,
        municipality=archive.municipality,
        case_file=case_for(archive),
        entry_type="X",
        title="Notat",
    )
    return services.document_description_create(
        actor=archive.case_worker, municipality=archive.municipality, entry=entry, title="Stort vedlegg"
    )


def start(client: Client, document: DocumentDescription, size: int = len(CONTENT)) -> str:
    response = client.post(
        f"/api/noark5/arkivstruktur/dokumentbeskrivelse/{document.system_id}/fil/",
        data=b"",
        content_type="application/pdf",
        headers={
            "X-Upload-Content-Type": "application/pdf",
            "X-Upload-Content-Length": str(size),
            "X-Filename": "stor.pdf",
        },
    )
    assert response.status_code == 200, response.content
    return str(response["Location"])


def put(client: Client, location: str, first: int, last: int, total: int = len(CONTENT)) -> Any:
    return client.put(
        location,
        data=CONTENT[first : last + 1],
        content_type="application/octet-stream",
        headers={"Content-Range": f"bytes {first}-{last}/{total}"},
    )


def test_parts_in_order_become_one_document_object(archive: Archive, settings: Any) -> None:
    document = draft_document(archive)
    client = api("aust.test", token_for("aust.test", archive.case_worker.username))
    location = start(client, document)
    first = put(client, location, 0, 4095)
    assert (first.status_code, first["Range"]) == (200, "0-4095")
    assert put(client, location, 0, 4095).status_code == 200  # a retried part is written again, harmlessly
    assert put(client, location, 4096, 8191)["Range"] == "0-8191"
    done = put(client, location, 8192, len(CONTENT) - 1)
    assert done.status_code == 201, done.content
    body = done.json()
    assert body["sjekksum"] == hashlib.sha256(CONTENT).hexdigest()
    assert (body["filstoerrelse"], body["filnavn"]) == (len(CONTENT), "stor.pdf")
    assert not UploadSession.objects.exists()
    assert list(Path(settings.EKOMMUNE_UPLOAD_DIR).glob("*.part")) == []


def test_parts_out_of_order_or_wrong_size_are_refused(archive: Archive) -> None:
    document = draft_document(archive)
    client = api("aust.test", token_for("aust.test", archive.case_worker.username))
    location = start(client, document)
    skipped = put(client, location, 4096, 8191)
    assert skipped.status_code == 409
    assert skipped.json()["feil"]["feilkode"] == "range_out_of_order"
    wrong_total = put(client, location, 0, 99, total=999)
    assert (wrong_total.status_code, wrong_total.json()["feil"]["feilkode"]) == (400, "range_mismatch")
    garbled = client.put(
        location,
        data=b"abc",
        content_type="application/octet-stream",
        headers={"Content-Range": "bytes 0-9/10"},
    )
    assert garbled.status_code == 400
    no_range = client.put(location, data=b"abc", content_type="application/octet-stream")
    assert no_range.status_code == 400


def test_another_user_cannot_add_to_a_session(archive: Archive, municipality_a: Municipality) -> None:
    document = draft_document(archive)
    location = start(api("aust.test", token_for("aust.test", archive.case_worker.username)), document)
    staff(municipality_a, Role.CASE_WORKER, username="kollega")
    assert put(api("aust.test", token_for("aust.test", "kollega")), location, 0, 99).status_code == 404


def test_a_declared_size_must_be_a_number(archive: Archive) -> None:
    document = draft_document(archive)
    client = api("aust.test", token_for("aust.test", archive.case_worker.username))
    response = client.post(
        f"/api/noark5/arkivstruktur/dokumentbeskrivelse/{document.system_id}/fil/",
        data=b"",
        content_type="application/pdf",
        headers={"X-Upload-Content-Length": "mye"},
    )
    assert response.status_code == 400
    assert response.json()["feil"]["felt"] == "X-Upload-Content-Length"


class TestServices:
    def test_a_session_needs_a_size(self, archive: Archive) -> None:
        with pytest.raises(ValidationError, check=lambda e: e.code == "invalid_size"):
            services.upload_session_start(
                actor=archive.case_worker,
                municipality=archive.municipality,
                target=draft_document(archive),
                file_name="x.pdf",
                mime_type="application/pdf",
                total_size=0,
            )

    def test_an_object_that_has_its_file_takes_no_session(self, archive: Archive) -> None:
        document = draft_document(archive)
        obj = services.document_object_add(
            actor=archive.case_worker,
            municipality=archive.municipality,
            document=document,
            file_name="a.pdf",
            content=io.BytesIO(b"%PDF-1.7 a"),
        )
        with pytest.raises(ConflictError, check=lambda e: e.code == "file_exists"):
            services.upload_session_start(
                actor=archive.case_worker,
                municipality=archive.municipality,
                target=obj,
                file_name="b.pdf",
                mime_type="application/pdf",
                total_size=10,
            )

    def test_a_finalised_document_takes_no_new_version(self, archive: Archive) -> None:
        document = draft_document(archive)
        services.document_object_add(
            actor=archive.case_worker,
            municipality=archive.municipality,
            document=document,
            file_name="a.pdf",
            content=io.BytesIO(b"%PDF-1.7 a"),
        )
        services.document_finalise(
            actor=archive.case_worker, municipality=archive.municipality, document=document
        )
        with pytest.raises(ArchiveRuleError, check=lambda e: e.code == "document_finalised"):
            services.upload_session_start(
                actor=archive.case_worker,
                municipality=archive.municipality,
                target=document,
                file_name="b.pdf",
                mime_type="application/pdf",
                total_size=10,
            )

    def test_a_described_object_is_filled_by_its_session(self, archive: Archive) -> None:
        document = draft_document(archive)
        obj = services.document_object_create(
            actor=archive.case_worker,
            municipality=archive.municipality,
            document=document,
            file_name="d.pdf",
            expected_sha256=hashlib.sha256(CONTENT).hexdigest(),
        )
        session = services.upload_session_start(
            actor=archive.case_worker,
            municipality=archive.municipality,
            target=obj,
            file_name="d.pdf",
            mime_type="application/pdf",
            total_size=len(CONTENT),
        )
        result = services.upload_session_append(
            actor=archive.case_worker,
            municipality=archive.municipality,
            session=session,
            offset=0,
            total_size=len(CONTENT),
            content=io.BytesIO(CONTENT),
        )
        assert result == obj
        obj.refresh_from_db()
        assert obj.size == len(CONTENT)

    def test_a_part_past_the_declared_size_is_refused(self, archive: Archive) -> None:
        session = services.upload_session_start(
            actor=archive.case_worker,
            municipality=archive.municipality,
            target=draft_document(archive),
            file_name="x.pdf",
            mime_type="application/pdf",
            total_size=5,
        )
        with pytest.raises(ValidationError, check=lambda e: e.code == "range_mismatch"):
            services.upload_session_append(
                actor=archive.case_worker,
                municipality=archive.municipality,
                session=session,
                offset=0,
                total_size=5,
                content=io.BytesIO(b"0123456789"),
            )

    def test_a_session_of_another_user_is_not_found(
        self, archive: Archive, municipality_a: Municipality
    ) -> None:
        session = services.upload_session_start(
            actor=archive.case_worker,
            municipality=archive.municipality,
            target=draft_document(archive),
            file_name="x.pdf",
            mime_type="application/pdf",
            total_size=5,
        )
        with pytest.raises(NotFoundError):
            services.upload_session_append(
                actor=staff(municipality_a, Role.CASE_WORKER),
                municipality=archive.municipality,
                session=session,
                offset=0,
                total_size=5,
                content=io.BytesIO(b"01234"),
            )
