"""A released document's file for a public download, found by its document object's systemID."""

from __future__ import annotations

import uuid

import pytest

from ekommune.archive import selectors, services
from ekommune.archive.tests.factories import PDF_BYTES, archive_for, case_for, letter
from ekommune.core.errors import PermissionDeniedError
from ekommune.core.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


def test_the_file_is_found_in_its_own_municipality_only_and_opens() -> None:
    archive = archive_for(MunicipalityFactory.create())
    entry = services.registry_entry_register(
        actor=archive.case_worker,
        municipality=archive.municipality,
        case_file=case_for(archive),
        entry_type="S",
        title="Saksframlegg",
        documents=[letter("Saksframlegg")],
    )
    facts = next(
        selectors.entries_for_publication(municipality=archive.municipality, system_ids=[entry.system_id])
    )
    object_id = facts.documents[0].file_object_id
    assert object_id is not None

    found = selectors.file_for_publication(municipality=archive.municipality, system_id=object_id)
    assert found is not None
    assert (found.file_name, found.mime_type, found.size) == (
        "Saksframlegg.pdf",
        "application/pdf",
        len(PDF_BYTES),
    )
    with found.open() as stream:
        assert stream.read() == PDF_BYTES

    other = MunicipalityFactory.create()
    assert selectors.file_for_publication(municipality=other, system_id=object_id) is None
    assert selectors.file_for_publication(municipality=archive.municipality, system_id=uuid.uuid4()) is None


def test_series_are_listed_within_the_municipality_behind_the_read_permission() -> None:
    archive = archive_for(MunicipalityFactory.create())
    archive_for(MunicipalityFactory.create())
    assert list(selectors.series_list(actor=archive.case_worker, municipality=archive.municipality)) == [
        archive.series
    ]
    with pytest.raises(PermissionDeniedError):
        selectors.series_list(actor=None, municipality=archive.municipality)
