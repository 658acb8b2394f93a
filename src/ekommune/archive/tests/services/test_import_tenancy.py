"""The deposit import's writes take no object of another municipality: each one is not found (decision 0008)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from ekommune.archive import services
from ekommune.archive.models import Class, CrossReference, RegistryEntry
from ekommune.archive.tests.factories import Archive, case_for
from ekommune.core.errors import NotFoundError

pytestmark = pytest.mark.django_db

THEN = dt.datetime(2019, 3, 1, 9, 30, tzinfo=dt.UTC)
PROVENANCE = services.Provenance(created_at=THEN, created_by="Gammel")


def entry_of(archive: Archive) -> RegistryEntry:
    return services.registry_entry_register(
        actor=archive.case_worker,
        municipality=archive.municipality,
        case_file=case_for(archive),
        entry_type="X",
        title="Notat",
    )


def import_class(archive: Archive, other: Archive) -> Any:
    system = archive.series.classification_system
    assert system is not None
    return services.class_import(
        actor=archive.records_manager,
        municipality=archive.municipality,
        system=system,
        class_id="999",
        title="Under en fremmed klasse",
        provenance=PROVENANCE,
        parent=other.classes["A20"],
    )


def import_series(archive: Archive, other: Archive) -> Any:
    return services.series_import(
        actor=archive.records_manager,
        municipality=archive.municipality,
        fonds=archive.fonds,
        title="2019",
        provenance=PROVENANCE,
        classification_system=other.series.classification_system,
    )


def import_case_file(archive: Archive, other: Archive) -> Any:
    return services.case_file_import(
        actor=archive.records_manager,
        municipality=archive.municipality,
        series=archive.series,
        primary_class=other.classes["A20"],
        data=services.CaseFileImport(
            case_year=2019,
            case_sequence_number=42,
            title="Gammel sak",
            case_date=THEN.date(),
            administrative_unit="Teknisk",
            case_responsible="Per",
            provenance=PROVENANCE,
        ),
    )


def import_entry(archive: Archive, other: Archive) -> Any:
    foreign_document = services.document_description_create(
        actor=other.case_worker, municipality=other.municipality, entry=entry_of(other), title="Fremmed"
    )
    return services.registry_entry_import(
        actor=archive.records_manager,
        municipality=archive.municipality,
        case_file=case_for(archive),
        data=services.EntryImport(
            record_type="arkivnotat",
            entry_number=1,
            title="Gammelt notat",
            journal_date=THEN.date(),
            provenance=PROVENANCE,
            documents=[
                services.DocumentImport(
                    title="Fremmed",
                    linked_as="H",
                    document_number=1,
                    linked_at=THEN,
                    linked_by="Gammel",
                    provenance=PROVENANCE,
                    existing=foreign_document,
                )
            ],
        ),
    )


def link_write_off(archive: Archive, other: Archive) -> Any:
    return services.archive_links_import(
        actor=archive.records_manager,
        municipality=archive.municipality,
        write_offs=[(entry_of(archive), "BU", THEN, "Gammel", entry_of(other))],
    )


def link_reference(archive: Archive, other: Archive) -> Any:
    return services.archive_links_import(
        actor=archive.records_manager,
        municipality=archive.municipality,
        references=[(case_for(archive), case_for(other))],
    )


def link_comment(archive: Archive, other: Archive) -> Any:
    return services.archive_links_import(
        actor=archive.records_manager,
        municipality=archive.municipality,
        comments=[(case_for(other), "Merknad", "", THEN, "Gammel")],
    )


@pytest.mark.parametrize(
    ("write", "field"),
    [
        (import_class, "overklasse"),
        (import_series, "klassifikasjonssystem"),
        (import_case_file, "klasse"),
        (import_entry, "dokumentbeskrivelse"),
        (link_write_off, "avskrivning"),
        (link_reference, "kryssreferanse"),
        (link_comment, "merknad"),
    ],
)
def test_an_object_of_another_municipality_is_not_found(
    archive: Archive, other: Archive, write: Callable[[Archive, Archive], Any], field: str
) -> None:
    classes, references = Class.objects.count(), CrossReference.objects.count()
    with pytest.raises(NotFoundError, check=lambda error: (error.code, error.field) == ("not_found", field)):
        write(archive, other)
    assert (Class.objects.count(), CrossReference.objects.count()) == (classes, references)
    assert not RegistryEntry.objects.filter(title="Gammelt notat").exists()
