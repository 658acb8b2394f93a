"""The files of a registry entry by systemID, for apps that refer to archive objects (decision 0036)."""

from __future__ import annotations

import hashlib
import io
import uuid
from pathlib import Path
from typing import Any

import pytest

from ekommune.archive import selectors, services
from ekommune.archive.models import DocumentObject, RegistryEntry
from ekommune.archive.tests.factories import PDF_BYTES, Archive, case_for, letter
from ekommune.archive.types import EntryFile
from ekommune.core.errors import NotFoundError, PermissionDeniedError

pytestmark = pytest.mark.django_db

ATTACHMENT = b"%PDF-1.7 vedlegg\n"
SECOND_VERSION = b"%PDF-1.7 andre versjon\n"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def not_found() -> pytest.RaisesExc[NotFoundError]:
    return pytest.raises(NotFoundError, check=lambda error: error.code == "not_found")


def application(archive: Archive) -> RegistryEntry:
    """An incoming entry: an application in two versions, then an attachment."""
    entry = services.registry_entry_register(
        actor=archive.case_worker,
        municipality=archive.municipality,
        case_file=case_for(archive),
        entry_type="X",
        title="Søknad med vedlegg",
        status="R",
        documents=[letter("Søknad", finalised=False), letter("Vedlegg", ATTACHMENT, finalised=False)],
    )
    services.document_object_add(
        actor=archive.case_worker,
        municipality=archive.municipality,
        document=entry.documents.get(title="Søknad"),
        file_name="Søknad v2.pdf",
        content=io.BytesIO(SECOND_VERSION),
    )
    return entry


def files_of(archive: Archive, entry_system_id: uuid.UUID) -> list[EntryFile]:
    return selectors.registry_entry_files(
        actor=archive.case_worker, municipality=archive.municipality, entry_system_id=entry_system_id
    )


class TestRegistryEntryFiles:
    def test_the_files_come_in_document_order_then_by_version(self, archive: Archive) -> None:
        entry = application(archive)
        files = files_of(archive, entry.system_id)
        assert [(f.title, f.document_number, f.version_number, f.file_name) for f in files] == [
            ("Søknad", 1, 1, "Søknad.pdf"),
            ("Søknad", 1, 2, "Søknad v2.pdf"),
            ("Vedlegg", 2, 1, "Vedlegg.pdf"),
        ]
        second = files[1]
        stored = DocumentObject.objects.get(system_id=second.system_id)
        assert (second.mime_type, second.size, second.checksum) == (
            stored.mime_type,
            len(SECOND_VERSION),
            hashlib.sha256(SECOND_VERSION).hexdigest(),
        )

    def test_a_document_without_a_file_yet_lists_nothing(self, archive: Archive) -> None:
        entry = services.registry_entry_register(
            actor=archive.case_worker,
            municipality=archive.municipality,
            case_file=case_for(archive),
            entry_type="X",
            title="Notat",
        )
        services.document_description_create(
            actor=archive.case_worker, municipality=archive.municipality, entry=entry, title="Tomt"
        )
        assert files_of(archive, entry.system_id) == []

    def test_an_entry_of_another_municipality_is_not_found(self, archive: Archive, other: Archive) -> None:
        foreign = application(other)
        with not_found():
            files_of(archive, foreign.system_id)

    def test_an_unknown_entry_is_not_found(self, archive: Archive) -> None:
        with not_found():
            files_of(archive, uuid.uuid4())

    def test_staff_of_another_municipality_may_not_read(self, archive: Archive, other: Archive) -> None:
        entry = application(archive)
        with pytest.raises(PermissionDeniedError):
            selectors.registry_entry_files(
                actor=other.case_worker, municipality=archive.municipality, entry_system_id=entry.system_id
            )


class TestRegistryEntryFileOpen:
    def test_a_file_of_the_entry_is_opened_with_its_description(self, archive: Archive) -> None:
        entry = application(archive)
        attachment = files_of(archive, entry.system_id)[-1]
        found, content = selectors.registry_entry_file_open(
            actor=archive.case_worker,
            municipality=archive.municipality,
            entry_system_id=entry.system_id,
            object_system_id=attachment.system_id,
        )
        with content:
            assert content.read() == ATTACHMENT
        assert found == attachment

    def test_a_file_of_another_entry_is_not_found(self, archive: Archive) -> None:
        entry, elsewhere = application(archive), application(archive)
        with not_found():
            selectors.registry_entry_file_open(
                actor=archive.case_worker,
                municipality=archive.municipality,
                entry_system_id=entry.system_id,
                object_system_id=files_of(archive, elsewhere.system_id)[0].system_id,
            )


class TestDocumentObjectOpenBySystemId:
    def test_the_stored_content_is_read_back(self, archive: Archive) -> None:
        first = files_of(archive, application(archive).system_id)[0]
        with selectors.document_object_open_by_system_id(
            actor=archive.case_worker, municipality=archive.municipality, system_id=first.system_id
        ) as content:
            assert content.read() == PDF_BYTES

    def test_an_object_of_another_municipality_is_not_found(self, archive: Archive, other: Archive) -> None:
        foreign = files_of(other, application(other).system_id)[0]
        with not_found():
            selectors.document_object_open_by_system_id(
                actor=archive.case_worker, municipality=archive.municipality, system_id=foreign.system_id
            )
