"""Reads by systemID for other apps (decision 0036): an entry's files, a document object, the classes.

Added on branch shape-portal-pj with the selectors it covers (see the end of ``selectors.py``).
"""

from __future__ import annotations

import io
import uuid

import pytest

from ekommune.archive import selectors, services
from ekommune.archive.tests.factories import Archive, archive_for, case_for, letter
from ekommune.core.errors import NotFoundError, PermissionDeniedError
from ekommune.core.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive() -> Archive:
    return archive_for(MunicipalityFactory.create())


def test_an_entrys_files_come_in_document_then_version_order(archive: Archive) -> None:
    entry = services.registry_entry_register(
        actor=archive.case_worker,
        municipality=archive.municipality,
        case_file=case_for(archive),
        entry_type="X",
        title="Notat",
        documents=[letter("Hoveddokument", finalised=False), letter("Vedlegg", b"%PDF-1.7 vedlegg")],
    )
    main_document = entry.registered_files[0].document
    second_version = services.document_object_add(
        actor=archive.case_worker,
        municipality=archive.municipality,
        document=main_document,
        file_name="hoveddokument-v2.txt",
        content=io.BytesIO(b"versjon 2"),
    )
    files = selectors.registry_entry_files(
        actor=archive.case_worker, municipality=archive.municipality, entry_system_id=entry.system_id
    )
    assert [(f.title, f.document_number, f.version_number) for f in files] == [
        ("Hoveddokument", 1, 1),
        ("Hoveddokument", 1, 2),
        ("Vedlegg", 2, 1),
    ]
    assert files[0].system_id == entry.registered_files[0].system_id
    assert files[1].system_id == second_version.system_id
    assert (files[1].file_name, files[1].size, len(files[1].checksum)) == ("hoveddokument-v2.txt", 9, 64)
    assert files[0].mime_type == "application/pdf"


def test_an_entrys_files_are_read_within_the_municipality_behind_the_read_permission(
    archive: Archive,
) -> None:
    entry = services.registry_entry_register(
        actor=archive.case_worker,
        municipality=archive.municipality,
        case_file=case_for(archive),
        entry_type="X",
        title="Notat",
        documents=[letter()],
    )
    other = archive_for(MunicipalityFactory.create())
    with pytest.raises(NotFoundError) as elsewhere:
        selectors.registry_entry_files(
            actor=other.case_worker, municipality=other.municipality, entry_system_id=entry.system_id
        )
    assert elsewhere.value.code == "not_found"
    with pytest.raises(NotFoundError):
        selectors.registry_entry_files(
            actor=archive.case_worker, municipality=archive.municipality, entry_system_id=uuid.uuid4()
        )
    with pytest.raises(PermissionDeniedError):
        selectors.registry_entry_files(
            actor=None, municipality=archive.municipality, entry_system_id=entry.system_id
        )


def test_a_document_object_is_found_by_its_system_id_only_in_its_municipality(archive: Archive) -> None:
    entry = services.registry_entry_register(
        actor=archive.case_worker,
        municipality=archive.municipality,
        case_file=case_for(archive),
        entry_type="X",
        title="Notat",
        documents=[letter()],
    )
    stored = entry.registered_files[0]
    found = selectors.document_object_by_system_id(
        actor=archive.case_worker, municipality=archive.municipality, system_id=stored.system_id
    )
    assert found == stored
    assert found is not None
    with selectors.document_object_open(
        actor=archive.case_worker, municipality=archive.municipality, document_object=found
    ) as content:
        assert content.read().startswith(b"%PDF")
    other = archive_for(MunicipalityFactory.create())
    assert (
        selectors.document_object_by_system_id(
            actor=other.case_worker, municipality=other.municipality, system_id=stored.system_id
        )
        is None
    )


def test_the_classes_of_the_municipality_are_listed_by_class_id(archive: Archive) -> None:
    archive_for(MunicipalityFactory.create())
    listed = selectors.class_list(actor=archive.case_worker, municipality=archive.municipality)
    assert [c.class_id for c in listed] == ["064", "614", "A20"]
    with pytest.raises(PermissionDeniedError):
        selectors.class_list(actor=None, municipality=archive.municipality)
