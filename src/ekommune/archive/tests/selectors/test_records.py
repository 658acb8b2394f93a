"""Reads of the archive: always within one municipality, behind the read permission."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from ekommune.archive import selectors, services
from ekommune.archive.models import CaseFile, DocumentObject, RegistryEntry, Series
from ekommune.archive.tests.factories import PDF_BYTES, Archive, archive_for, case_for, letter
from ekommune.core.errors import NotFoundError, PermissionDeniedError
from ekommune.core.models import Municipality, Role
from ekommune.core.tests.factories import staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def archive(municipality_a: Municipality) -> Archive:
    return archive_for(municipality_a)


@pytest.fixture
def other(municipality_b: Municipality) -> Archive:
    return archive_for(municipality_b)


def not_found(code: str = "not_found", field: str | None = None) -> pytest.RaisesExc[NotFoundError]:
    return pytest.raises(NotFoundError, check=lambda error: (error.code, error.field) == (code, field))


def note(archive: Archive, case_file: CaseFile, title: str = "Notat") -> RegistryEntry:
    return services.registry_entry_register(
        actor=archive.case_worker,
        municipality=archive.municipality,
        case_file=case_file,
        entry_type="X",
        title=title,
        documents=[letter(title)],
    )


class TestCaseFileByNumber:
    def test_a_case_is_found_by_its_number(self, archive: Archive) -> None:
        case_for(archive, "Første")
        second = case_for(archive, "Andre")
        found = selectors.case_file_by_number(
            actor=archive.case_worker, municipality=archive.municipality, case_number=second.file_id
        )
        assert found == second

    def test_each_municipality_finds_its_own_case_under_the_same_number(
        self, archive: Archive, other: Archive
    ) -> None:
        own, foreign = case_for(archive, "Aust"), case_for(other, "Vest")
        assert own.file_id == foreign.file_id
        found = selectors.case_file_by_number(
            actor=archive.case_worker, municipality=archive.municipality, case_number=own.file_id
        )
        assert found == own

    def test_a_case_of_another_municipality_is_not_found(self, archive: Archive, other: Archive) -> None:
        foreign = case_for(other)
        with not_found(field="case_number"):
            selectors.case_file_by_number(
                actor=archive.case_worker, municipality=archive.municipality, case_number=foreign.file_id
            )

    @pytest.mark.parametrize(
        "case_number", ["", "2026", "2026/", "/14", "abc/14", "2026/-1", "2026/14/2", " 2026/14", "2026/1.5"]
    )
    def test_a_malformed_number_is_not_found(self, archive: Archive, case_number: str) -> None:
        case_for(archive)
        with not_found(field="case_number"):
            selectors.case_file_by_number(
                actor=archive.case_worker, municipality=archive.municipality, case_number=case_number
            )

    @pytest.mark.parametrize("case_number", ["2026/9999", "1999/1", "2026/99999999999999999999"])
    def test_a_number_no_case_has_is_not_found(self, archive: Archive, case_number: str) -> None:
        case_for(archive)
        with not_found(field="case_number"):
            selectors.case_file_by_number(
                actor=archive.case_worker, municipality=archive.municipality, case_number=case_number
            )

    def test_a_number_with_a_superscript_digit_is_not_found(self, archive: Archive) -> None:
        with not_found(field="case_number"):
            selectors.case_file_by_number(
                actor=archive.case_worker, municipality=archive.municipality, case_number="2026/¹"
            )

    def test_staff_of_another_municipality_may_not_look_up(self, archive: Archive, other: Archive) -> None:
        case_file = case_for(archive)
        with pytest.raises(PermissionDeniedError):
            selectors.case_file_by_number(
                actor=other.case_worker, municipality=archive.municipality, case_number=case_file.file_id
            )

    def test_every_staff_role_may_look_up(self, archive: Archive) -> None:
        case_file = case_for(archive)
        reader = staff(archive.municipality, Role.MANAGEMENT)
        found = selectors.case_file_by_number(
            actor=reader, municipality=archive.municipality, case_number=case_file.file_id
        )
        assert found == case_file


class TestRegistryEntriesOfCase:
    def test_the_entries_of_the_case_in_entry_number_order(self, archive: Archive) -> None:
        case_file, elsewhere = case_for(archive, "Denne"), case_for(archive, "En annen")
        for title in ("Første", "Andre", "Tredje"):
            note(archive, case_file, title)
        note(archive, elsewhere, "Annen sak")
        entries = selectors.registry_entries_of_case(
            actor=archive.case_worker, municipality=archive.municipality, case_file=case_file
        )
        assert [(entry.entry_number, entry.title) for entry in entries] == [
            (1, "Første"),
            (2, "Andre"),
            (3, "Tredje"),
        ]

    def test_a_case_of_another_municipality_shows_nothing(self, archive: Archive, other: Archive) -> None:
        foreign = case_for(other)
        note(other, foreign)
        entries = selectors.registry_entries_of_case(
            actor=archive.case_worker, municipality=archive.municipality, case_file=foreign
        )
        assert not entries.exists()

    def test_anonymous_visitors_may_not_read(self, archive: Archive) -> None:
        with pytest.raises(PermissionDeniedError):
            selectors.registry_entries_of_case(
                actor=AnonymousUser(), municipality=archive.municipality, case_file=case_for(archive)
            )


class TestChangeLogOf:
    def test_the_changes_of_an_object_in_the_order_they_were_made(self, archive: Archive) -> None:
        case_file = case_for(archive)
        entry, untouched = note(archive, case_file), note(archive, case_file)
        for status in ("F", "A"):
            services.registry_entry_set_status(
                actor=archive.case_worker, municipality=archive.municipality, entry=entry, status=status
            )
        changes = selectors.change_log_of(
            actor=archive.case_worker, municipality=archive.municipality, system_id=entry.system_id
        )
        assert [(c.field, c.old_value, c.new_value) for c in changes] == [
            ("journalstatus", "J", "F"),
            ("journalstatus", "F", "A"),
        ]
        assert not selectors.change_log_of(
            actor=archive.case_worker, municipality=archive.municipality, system_id=untouched.system_id
        ).exists()

    def test_another_municipality_sees_no_changes(self, archive: Archive, other: Archive) -> None:
        entry = note(archive, case_for(archive))
        services.registry_entry_finalise(
            actor=archive.case_worker, municipality=archive.municipality, entry=entry
        )
        changes = selectors.change_log_of(
            actor=other.case_worker, municipality=other.municipality, system_id=entry.system_id
        )
        assert not changes.exists()

    def test_staff_of_another_municipality_may_not_read(self, archive: Archive, other: Archive) -> None:
        entry = note(archive, case_for(archive))
        with pytest.raises(PermissionDeniedError):
            selectors.change_log_of(
                actor=other.case_worker, municipality=archive.municipality, system_id=entry.system_id
            )


class TestDocumentObjectOpen:
    def test_the_stored_content_is_read_back(self, archive: Archive) -> None:
        entry = note(archive, case_for(archive))
        document_object = DocumentObject.objects.get(document__entries=entry)
        with selectors.document_object_open(
            actor=archive.case_worker, municipality=archive.municipality, document_object=document_object
        ) as stream:
            assert stream.read() == PDF_BYTES

    def test_a_file_of_another_municipality_is_not_found(self, archive: Archive, other: Archive) -> None:
        foreign = DocumentObject.objects.get(document__entries=note(other, case_for(other)))
        with not_found():
            selectors.document_object_open(
                actor=archive.case_worker, municipality=archive.municipality, document_object=foreign
            )

    def test_an_object_waiting_for_its_file_has_nothing_to_open(self, archive: Archive) -> None:
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
        pending = services.document_object_create(
            actor=archive.case_worker,
            municipality=archive.municipality,
            document=document,
            file_name="notat.pdf",
        )
        with not_found(code="file_missing"):
            selectors.document_object_open(
                actor=archive.case_worker, municipality=archive.municipality, document_object=pending
            )


class TestLookUps:
    def test_archive_objects_are_those_of_the_municipality(self, archive: Archive, other: Archive) -> None:
        objects = selectors.archive_objects(
            actor=archive.case_worker, municipality=archive.municipality, model=Series
        )
        assert list(objects) == [archive.series]

    def test_an_entry_is_found_by_its_system_id_in_its_own_municipality_only(
        self, archive: Archive, other: Archive
    ) -> None:
        entry = note(archive, case_for(archive))
        assert (
            selectors.registry_entry_by_system_id(
                actor=archive.case_worker, municipality=archive.municipality, system_id=entry.system_id
            )
            == entry
        )
        assert (
            selectors.registry_entry_by_system_id(
                actor=other.case_worker, municipality=other.municipality, system_id=entry.system_id
            )
            is None
        )

    def test_the_series_of_a_classification_system(self, archive: Archive) -> None:
        system = archive.series.classification_system
        assert (
            selectors.series_of_classification_system(
                actor=archive.case_worker, municipality=archive.municipality, system=system
            )
            == archive.series
        )
        unused = services.classification_system_create(
            actor=archive.records_manager, municipality=archive.municipality, title="Ubrukt"
        )
        assert (
            selectors.series_of_classification_system(
                actor=archive.case_worker, municipality=archive.municipality, system=unused
            )
            is None
        )
