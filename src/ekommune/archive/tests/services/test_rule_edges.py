"""The refusals of the archive services at their edges: each one with its stable code and field.

Grouped by service.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from ekommune.archive import services
from ekommune.archive.models import (
    CaseFile,
    ClassificationSystem,
    DocumentDescription,
    DocumentObject,
    Fonds,
    NumberSequence,
    RegistryEntry,
    Series,
)
from ekommune.archive.tests.factories import PDF_BYTES, SENDER, Archive, archive_for, case_for, letter
from ekommune.archive.types import ArchiveRuleError
from ekommune.core.errors import ApplicationError, ConflictError, NotFoundError, ValidationError
from ekommune.core.models import AuditEvent, Municipality

pytestmark = pytest.mark.django_db

RECIPIENT = services.PartyInput(party_type="EM", name="Ola Nordmann")


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


def rule(code: str) -> pytest.RaisesExc[ArchiveRuleError]:
    return pytest.raises(ArchiveRuleError, check=lambda error: error.code == code)


def invalid(code: str, field: str) -> pytest.RaisesExc[ValidationError]:
    return pytest.raises(ValidationError, check=lambda error: (error.code, error.field) == (code, field))


def not_found(field: str) -> pytest.RaisesExc[NotFoundError]:
    """Another municipality's object handed to a service: not found (decision 0008)."""
    return pytest.raises(NotFoundError, check=lambda error: (error.code, error.field) == ("not_found", field))


def conflict(code: str, field: str) -> pytest.RaisesExc[ConflictError]:
    return pytest.raises(ConflictError, check=lambda error: (error.code, error.field) == (code, field))


def register(
    archive: Archive,
    entry_type: str = "X",
    *,
    case_file: CaseFile | None = None,
    status: str = "J",
    parties: Sequence[services.PartyInput] = (),
    documents: Sequence[services.DocumentInput] | None = None,
) -> RegistryEntry:
    """An entry registered by the case worker; by default an internal note with a finalised letter."""
    return services.registry_entry_register(
        actor=archive.case_worker,
        municipality=archive.municipality,
        case_file=case_file or case_for(archive),
        entry_type=entry_type,
        title="Notat",
        status=status,
        parties=parties,
        documents=[letter()] if documents is None else documents,
    )


def set_status(archive: Archive, entry: RegistryEntry, status: str) -> RegistryEntry:
    return services.registry_entry_set_status(
        actor=archive.case_worker, municipality=archive.municipality, entry=entry, status=status
    )


def concluded_case(archive: Archive) -> CaseFile:
    return services.case_file_conclude(
        actor=archive.case_worker, municipality=archive.municipality, case_file=case_for(archive)
    )


class TestFondsCreatorAdd:
    def test_a_creator_is_registered_once_per_fonds(self, archive: Archive) -> None:
        with conflict("conflict", "arkivskaperID"):
            services.fonds_creator_add(
                actor=archive.records_manager,
                municipality=archive.municipality,
                fonds=archive.fonds,
                creator_id=archive.municipality.organisation_number,
                name="Aust kommune igjen",
            )
        assert archive.fonds.creators.count() == 1

    def test_a_creator_id_that_differs_only_in_surrounding_spaces_is_a_duplicate(
        self, archive: Archive
    ) -> None:
        with conflict("conflict", "arkivskaperID"):
            services.fonds_creator_add(
                actor=archive.records_manager,
                municipality=archive.municipality,
                fonds=archive.fonds,
                creator_id=f" {archive.municipality.organisation_number}",
                name="Aust kommune igjen",
            )

    def test_a_fonds_of_another_municipality_is_refused(self, archive: Archive, other: Archive) -> None:
        with pytest.raises(NotFoundError, check=lambda error: error.code == "not_found"):
            services.fonds_creator_add(
                actor=archive.records_manager,
                municipality=archive.municipality,
                fonds=other.fonds,
                creator_id="974760673",
                name="Aust kommune",
            )


class TestClassificationSystemCreate:
    def test_a_class_id_given_twice_is_refused(self, archive: Archive) -> None:
        with invalid("duplicate_class_id", "classes"):
            services.classification_system_create(
                actor=archive.records_manager,
                municipality=archive.municipality,
                title="Ny nøkkel",
                classes=[("100", "Styring"), ("100", "Styring igjen")],
            )
        assert not ClassificationSystem.objects.filter(title="Ny nøkkel").exists()

    def test_class_ids_that_differ_only_in_surrounding_spaces_are_duplicates(self, archive: Archive) -> None:
        with invalid("duplicate_class_id", "classes"):
            services.classification_system_create(
                actor=archive.records_manager,
                municipality=archive.municipality,
                title="Ny nøkkel",
                classes=[("100", "Styring"), (" 100", "Styring igjen")],
            )


class TestSeriesCreate:
    def test_a_fonds_of_another_municipality_is_refused(self, archive: Archive, other: Archive) -> None:
        with not_found("fonds"):
            services.series_create(
                actor=archive.records_manager,
                municipality=archive.municipality,
                fonds=other.fonds,
                title="Sakarkiv",
            )

    def test_a_classification_system_of_another_municipality_is_refused(
        self, archive: Archive, other: Archive
    ) -> None:
        with pytest.raises(NotFoundError, check=lambda error: error.code == "not_found"):
            services.series_create(
                actor=archive.records_manager,
                municipality=archive.municipality,
                fonds=archive.fonds,
                title="Sakarkiv",
                classification_system=other.series.classification_system,
            )
        assert archive.fonds.series.count() == 1

    def test_a_concluded_fonds_takes_no_new_series(self, archive: Archive) -> None:
        # No service concludes a fonds yet; an archive imported from an earlier system may be concluded.
        Fonds.objects.filter(pk=archive.fonds.pk).update(
            status="A", concluded_at=timezone.now(), concluded_by="import"
        )
        archive.fonds.refresh_from_db()
        with rule("fonds_concluded"):
            services.series_create(
                actor=archive.records_manager,
                municipality=archive.municipality,
                fonds=archive.fonds,
                title="Sakarkiv 2030-",
            )
        assert archive.fonds.series.count() == 1


class TestSeriesClose:
    def test_a_closed_series_cannot_be_closed_again(self, archive: Archive) -> None:
        today = timezone.localdate()
        services.series_close(
            actor=archive.records_manager,
            municipality=archive.municipality,
            series=archive.series,
            period_end=today,
        )
        with rule("series_closed"):
            services.series_close(
                actor=archive.records_manager,
                municipality=archive.municipality,
                series=archive.series,
                period_end=today,
            )

    def test_the_period_cannot_end_before_it_starts(self, archive: Archive) -> None:
        series = services.series_create(
            actor=archive.records_manager,
            municipality=archive.municipality,
            fonds=archive.fonds,
            title="Sakarkiv 2026-",
            period_start=dt.date(2026, 1, 1),
        )
        with invalid("invalid_period", "period_end"):
            services.series_close(
                actor=archive.records_manager,
                municipality=archive.municipality,
                series=series,
                period_end=dt.date(2025, 12, 31),
            )
        series.refresh_from_db()
        assert (series.status, series.period_end, series.concluded_at) == ("A", None, None)


class TestCaseFileCreate:
    def test_a_series_of_another_municipality_is_refused(self, archive: Archive, other: Archive) -> None:
        with not_found("series"):
            services.case_file_create(
                actor=archive.case_worker,
                municipality=archive.municipality,
                series=other.series,
                title="Feil arkivdel",
                administrative_unit="Teknisk",
                case_responsible="Per",
            )

    def test_a_screened_document_is_recorded_with_the_screening(self, archive: Archive) -> None:
        case_file = services.case_file_create(
            actor=archive.case_worker,
            municipality=archive.municipality,
            series=archive.series,
            title="Barnevernssak",
            administrative_unit="Barnevern",
            case_responsible="Kari",
            primary_class=archive.classes["A20"],
            screening=services.ScreeningInput(
                access_restriction="KL",
                legal_basis="Offl. § 13 jf. fvl. § 13",
                screened_metadata=("TM1",),
                screened_document="H",
            ),
        )
        assert case_file.screening is not None
        assert (case_file.screening.screened_document, case_file.screening.screened_metadata) == (
            "H",
            ["TM1"],
        )

    def test_an_unknown_screened_document_code_is_refused(self, archive: Archive) -> None:
        with invalid("screening_value_unknown", "screened_document"):
            services.case_file_create(
                actor=archive.case_worker,
                municipality=archive.municipality,
                series=archive.series,
                title="Barnevernssak",
                administrative_unit="Barnevern",
                case_responsible="Kari",
                primary_class=archive.classes["A20"],
                screening=services.ScreeningInput(
                    access_restriction="KL", legal_basis="Offl. § 13", screened_document="Z"
                ),
            )
        assert not CaseFile.objects.filter(municipality=archive.municipality).exists()


class TestCaseFileConclude:
    def test_a_concluded_case_cannot_be_concluded_again(self, archive: Archive) -> None:
        case_file = concluded_case(archive)
        with rule("case_file_concluded"):
            services.case_file_conclude(
                actor=archive.case_worker, municipality=archive.municipality, case_file=case_file
            )


class TestRegistryEntryRegister:
    def test_a_finalised_entry_cannot_start_with_a_document_under_editing(self, archive: Archive) -> None:
        case_file = case_for(archive)
        with rule("documents_not_finalised"):
            register(archive, case_file=case_file, status="F", documents=[letter("Utkast", finalised=False)])
        assert not case_file.entries.exists()

    def test_an_incoming_entry_cannot_start_finalised_without_a_party(self, archive: Archive) -> None:
        case_file = case_for(archive)
        with rule("party_required"):
            register(archive, "I", case_file=case_file, status="F", parties=[])
        assert not case_file.entries.exists()

    def test_an_unknown_party_kind_is_refused(self, archive: Archive) -> None:
        with invalid("invalid_code", "kind"):
            register(
                archive,
                "I",
                parties=[services.PartyInput(party_type="EA", name="Ola Nordmann", kind="robot")],
            )


class TestDocumentObjectCreate:
    def test_a_declared_checksum_must_be_a_hexadecimal_sha256(self, archive: Archive) -> None:
        document = services.document_description_create(
            actor=archive.case_worker,
            municipality=archive.municipality,
            entry=register(archive, documents=[]),
            title="Notat",
        )
        with invalid("invalid_checksum", "sjekksum"):
            services.document_object_create(
                actor=archive.case_worker,
                municipality=archive.municipality,
                document=document,
                file_name="notat.pdf",
                expected_sha256="not-a-checksum",
            )
        assert not document.document_objects.exists()


class TestDocumentObjectUpload:
    def test_the_declared_size_is_verified_when_the_file_arrives(self, archive: Archive) -> None:
        document = services.document_description_create(
            actor=archive.case_worker,
            municipality=archive.municipality,
            entry=register(archive, documents=[]),
            title="Notat",
        )
        pending = services.document_object_create(
            actor=archive.case_worker,
            municipality=archive.municipality,
            document=document,
            file_name="notat.pdf",
            expected_size=len(PDF_BYTES) + 1,
        )
        with invalid("size_mismatch", "filstoerrelse"):
            services.document_object_upload(
                actor=archive.case_worker,
                municipality=archive.municipality,
                document_object=pending,
                content=io.BytesIO(PDF_BYTES),
            )
        pending.refresh_from_db()
        assert (pending.file, pending.size) == (None, len(PDF_BYTES) + 1)


class TestDocumentFinalise:
    def test_a_finalised_document_cannot_be_finalised_again(self, archive: Archive) -> None:
        document = register(archive).documents.get()
        assert document.status == "F"
        with rule("document_finalised"):
            services.document_finalise(
                actor=archive.case_worker, municipality=archive.municipality, document=document
            )


class TestDocumentObjectDelete:
    def test_a_file_of_a_document_under_editing_is_deleted(self, archive: Archive) -> None:
        entry = register(archive, status="R", documents=[letter("Utkast", finalised=False)])
        document_object = DocumentObject.objects.get(document__entries=entry)
        services.document_object_delete(
            actor=archive.case_worker, municipality=archive.municipality, document_object=document_object
        )
        assert not DocumentObject.objects.filter(pk=document_object.pk).exists()
        assert entry.documents.get().status == "B"
        assert AuditEvent.objects.filter(
            action="archive.document_object.delete", object_id=str(document_object.system_id)
        ).exists()


class TestRegistryEntrySetStatus:
    def test_an_archived_entry_cannot_be_cancelled(self, archive: Archive) -> None:
        entry = set_status(archive, register(archive), "A")
        with rule("entry_archived"):
            set_status(archive, entry, "U")

    def test_a_cancelled_entry_is_final(self, archive: Archive) -> None:
        entry = set_status(archive, register(archive), "U")
        with rule("entry_cancelled"):
            set_status(archive, entry, "F")

    def test_setting_the_status_an_entry_already_has_is_refused(self, archive: Archive) -> None:
        entry = register(archive)
        with rule("status_unchanged"):
            set_status(archive, entry, "J")


class TestCorrespondencePartyAdd:
    def test_an_unknown_party_kind_is_refused(self, archive: Archive) -> None:
        entry = register(archive, "I")
        with invalid("invalid_code", "kind"):
            services.correspondence_party_add(
                actor=archive.case_worker,
                municipality=archive.municipality,
                entry=entry,
                party=services.PartyInput(party_type="EA", name="Ola Nordmann", kind="robot"),
            )
        assert not entry.correspondence_parties.exists()

    @pytest.mark.parametrize("final_status", ["A", "U"])
    def test_an_archived_or_cancelled_entry_takes_no_new_parties(
        self, archive: Archive, final_status: str
    ) -> None:
        entry = set_status(archive, register(archive), final_status)
        with rule("entry_archived"):
            services.correspondence_party_add(
                actor=archive.case_worker, municipality=archive.municipality, entry=entry, party=SENDER
            )


class TestDocumentDescriptionCreate:
    def test_an_unknown_link_role_is_refused(self, archive: Archive) -> None:
        entry = register(archive, documents=[])
        with invalid("invalid_code", "tilknyttetRegistreringSom"):
            services.document_description_create(
                actor=archive.case_worker,
                municipality=archive.municipality,
                entry=entry,
                title="Notat",
                linked_as="X",
            )
        assert not entry.documents.exists()

    def test_a_document_may_be_linked_as_an_attachment_explicitly(self, archive: Archive) -> None:
        entry = register(archive, documents=[])
        services.document_description_create(
            actor=archive.case_worker,
            municipality=archive.municipality,
            entry=entry,
            title="Kart",
            linked_as="V",
        )
        assert list(entry.document_links.values_list("linked_as", "document_number")) == [("V", 1)]

    @pytest.mark.parametrize("final_status", ["A", "U"])
    def test_an_archived_or_cancelled_entry_takes_no_new_documents(
        self, archive: Archive, final_status: str
    ) -> None:
        entry = set_status(archive, register(archive), final_status)
        with rule("entry_archived"):
            services.document_description_create(
                actor=archive.case_worker, municipality=archive.municipality, entry=entry, title="Vedlegg"
            )
        assert entry.documents.count() == 1

    def test_an_entry_has_at_most_one_main_document(self, archive: Archive) -> None:
        entry = register(archive)
        with rule("main_document_exists"):
            services.document_description_create(
                actor=archive.case_worker,
                municipality=archive.municipality,
                entry=entry,
                title="Nytt hoveddokument",
                linked_as="H",
            )
        assert entry.documents.count() == 1


class TestClassCreate:
    def test_a_parent_from_another_classification_system_is_refused(self, archive: Archive) -> None:
        other_system = services.classification_system_create(
            actor=archive.records_manager,
            municipality=archive.municipality,
            title="Annet",
            classes=[("X1", "Annet")],
        )
        system = archive.series.classification_system
        assert system is not None
        with invalid("wrong_class", "overklasse"):
            services.class_create(
                actor=archive.records_manager,
                municipality=archive.municipality,
                system=system,
                class_id="064.1",
                title="Digitalisering",
                parent=other_system.classes.get(),
            )

    def test_a_class_id_is_unique_in_its_system(self, archive: Archive) -> None:
        system = archive.series.classification_system
        assert system is not None
        with conflict("duplicate_class_id", "klasseID"):
            services.class_create(
                actor=archive.records_manager,
                municipality=archive.municipality,
                system=system,
                class_id="064",
                title="IT igjen",
            )

    def test_a_class_id_that_differs_only_in_surrounding_spaces_is_a_duplicate(
        self, archive: Archive
    ) -> None:
        system = archive.series.classification_system
        assert system is not None
        with conflict("duplicate_class_id", "klasseID"):
            services.class_create(
                actor=archive.records_manager,
                municipality=archive.municipality,
                system=system,
                class_id="064 ",
                title="IT igjen",
            )

    def test_a_classification_system_of_another_municipality_is_refused(
        self, archive: Archive, other: Archive
    ) -> None:
        system = other.series.classification_system
        assert system is not None
        with pytest.raises(NotFoundError, check=lambda error: error.code == "not_found"):
            services.class_create(
                actor=archive.records_manager,
                municipality=archive.municipality,
                system=system,
                class_id="999",
                title="Inntrenger",
            )


class TestDepositableAtWriteTime:
    """A series never gets into a state no deposit can hold (decision 0143)."""

    def test_a_case_without_a_class_in_a_classified_series_is_refused(self, archive: Archive) -> None:
        with invalid("class_required", "primary_class"):
            services.case_file_create(
                actor=archive.case_worker,
                municipality=archive.municipality,
                series=archive.series,
                title="Uten klasse",
                administrative_unit="Teknisk",
                case_responsible="Per",
            )
        assert not CaseFile.objects.filter(municipality=archive.municipality).exists()

    def test_a_scheme_is_not_attached_to_a_series_that_has_cases(self, archive: Archive) -> None:
        series = services.series_create(
            actor=archive.records_manager,
            municipality=archive.municipality,
            fonds=archive.fonds,
            title="Uklassifisert",
        )
        services.case_file_create(
            actor=archive.case_worker,
            municipality=archive.municipality,
            series=series,
            title="Sak uten nøkkel",
            administrative_unit="Teknisk",
            case_responsible="Per",
        )
        with rule("series_has_case_files"):
            services.series_attach_classification_system(
                actor=archive.records_manager,
                municipality=archive.municipality,
                series=series,
                title="Nøkkel",
            )
        assert Series.objects.get(pk=series.pk).classification_system_id is None


class TestSeriesAttachClassificationSystem:
    def test_a_series_has_at_most_one_classification_system(self, archive: Archive) -> None:
        system_id = archive.series.classification_system_id
        with rule("series_has_classification"):
            services.series_attach_classification_system(
                actor=archive.records_manager,
                municipality=archive.municipality,
                series=archive.series,
                title="Ny nøkkel",
            )
        assert not ClassificationSystem.objects.filter(title="Ny nøkkel").exists()
        assert Series.objects.get(pk=archive.series.pk).classification_system_id == system_id


class TestRegistryEntriesRegisterBulk:
    def bulk(self, archive: Archive, entries: Sequence[services.EntryInput]) -> list[RegistryEntry]:
        return services.registry_entries_register_bulk(
            actor=archive.case_worker, municipality=archive.municipality, entries=entries
        )

    def test_no_entry_starts_as_dispatched_archived_or_cancelled(self, archive: Archive) -> None:
        case_file = case_for(archive)
        with invalid("invalid_initial_status", "entries[1].status"):
            self.bulk(
                archive,
                [
                    services.EntryInput(case_file=case_file, entry_type="X", title="Notat"),
                    services.EntryInput(case_file=case_file, entry_type="X", title="Notat", status="A"),
                ],
            )
        assert not case_file.entries.exists()

    def test_an_incoming_entry_cannot_start_finalised_without_a_party(self, archive: Archive) -> None:
        case_file = case_for(archive)
        with rule("party_required"):
            self.bulk(
                archive,
                [services.EntryInput(case_file=case_file, entry_type="I", title="Søknad", status="F")],
            )
        assert not case_file.entries.exists()

    def test_a_case_of_another_municipality_is_refused(self, archive: Archive, other: Archive) -> None:
        with not_found("entries[0].case_file"):
            self.bulk(
                archive, [services.EntryInput(case_file=case_for(other), entry_type="X", title="Notat")]
            )

    def test_an_empty_batch_registers_nothing_and_takes_no_number(self, archive: Archive) -> None:
        assert self.bulk(archive, []) == []
        assert not NumberSequence.objects.filter(
            municipality=archive.municipality, kind=NumberSequence.Kind.JOURNAL
        ).exists()

    def test_a_concluded_case_refuses_the_whole_batch(self, archive: Archive) -> None:
        open_case, closed_case = case_for(archive), concluded_case(archive)
        with rule("case_file_concluded"):
            self.bulk(
                archive,
                [
                    services.EntryInput(case_file=open_case, entry_type="X", title="Notat"),
                    services.EntryInput(case_file=closed_case, entry_type="X", title="Notat"),
                ],
            )
        assert not RegistryEntry.objects.filter(municipality=archive.municipality).exists()

    def test_an_unknown_party_kind_is_refused(self, archive: Archive) -> None:
        party = services.PartyInput(party_type="EA", name="Ola Nordmann", kind="robot")
        with invalid("invalid_code", "entries[0].kind"):
            self.bulk(
                archive,
                [
                    services.EntryInput(
                        case_file=case_for(archive), entry_type="I", title="Søknad", parties=[party]
                    )
                ],
            )


class TestCommentAdd:
    def test_an_object_of_another_municipality_is_refused(self, archive: Archive, other: Archive) -> None:
        with not_found("on"):
            services.comment_add(
                actor=archive.case_worker,
                municipality=archive.municipality,
                on=case_for(other),
                text="Sjekk dette",
            )


class TestCasePartyAdd:
    def test_a_case_party_is_a_person_or_a_unit(self, archive: Archive) -> None:
        case_file = case_for(archive)
        with invalid("invalid_code", "kind"):
            services.case_party_add(
                actor=archive.case_worker,
                municipality=archive.municipality,
                case_file=case_file,
                party=services.CasePartyInput(name="Kari Nilsen", role="KLI", kind="internal"),
            )
        assert not case_file.parties.exists()

    def test_a_concluded_case_takes_no_new_parties(self, archive: Archive) -> None:
        case_file = concluded_case(archive)
        with rule("case_file_concluded"):
            services.case_party_add(
                actor=archive.case_worker,
                municipality=archive.municipality,
                case_file=case_file,
                party=services.CasePartyInput(name="Kari Nilsen", role="KLI"),
            )


class TestCrossReferenceAdd:
    def test_a_target_in_another_municipality_is_refused(self, archive: Archive, other: Archive) -> None:
        with not_found("target"):
            services.cross_reference_add(
                actor=archive.case_worker,
                municipality=archive.municipality,
                source=case_for(archive),
                target=case_for(other),
            )


class TestRegistryEntryWriteOff:
    def test_an_entry_is_not_answered_by_itself(self, archive: Archive) -> None:
        entry = register(archive, "I", parties=[SENDER])
        with invalid("invalid_reference", "referanseAvskrivesAvJournalpost"):
            services.registry_entry_write_off(
                actor=archive.case_worker,
                municipality=archive.municipality,
                entry=entry,
                method="BU",
                answered_by=entry,
            )
        assert not entry.write_offs.exists()

    def test_an_entry_is_not_answered_by_an_entry_of_another_municipality(
        self, archive: Archive, other: Archive
    ) -> None:
        entry = register(archive, "I", parties=[SENDER])
        with invalid("invalid_reference", "referanseAvskrivesAvJournalpost"):
            services.registry_entry_write_off(
                actor=archive.case_worker,
                municipality=archive.municipality,
                entry=entry,
                method="BU",
                answered_by=register(other, "U", parties=[RECIPIENT]),
            )
        assert not entry.write_offs.exists()


class TestRegistryEntryDelete:
    def test_a_reserved_entry_with_a_finalised_document_stays(self, archive: Archive) -> None:
        entry = register(archive, status="R", documents=[letter()])
        with rule("document_finalised"):
            services.registry_entry_delete(
                actor=archive.case_worker, municipality=archive.municipality, entry=entry
            )
        assert RegistryEntry.objects.filter(pk=entry.pk).exists()

    def test_a_reserved_draft_goes_with_its_documents_and_files(self, archive: Archive) -> None:
        entry = register(
            archive,
            "U",
            status="R",
            parties=[RECIPIENT],
            documents=[
                letter("Svar", finalised=False),
                letter("Vedlegg", b"%PDF-1.7 vedlegg", finalised=False),
            ],
        )
        document_ids = list(entry.documents.values_list("pk", flat=True))
        assert len(document_ids) == 2
        services.registry_entry_delete(
            actor=archive.case_worker, municipality=archive.municipality, entry=entry
        )
        assert not RegistryEntry.objects.filter(pk=entry.pk).exists()
        assert not DocumentDescription.objects.filter(pk__in=document_ids).exists()
        assert not DocumentObject.objects.filter(document_id__in=document_ids).exists()
        assert AuditEvent.objects.filter(
            action="archive.registry_entry.delete", object_id=str(entry.system_id)
        ).exists()

    def test_a_reserved_reply_that_answers_a_write_off_is_deleted_or_refused_with_a_code(
        self, archive: Archive
    ) -> None:
        case_file = case_for(archive)
        request = register(archive, "I", case_file=case_file, parties=[SENDER])
        reply = register(
            archive, "U", case_file=case_file, status="R", documents=[letter("Svar", finalised=False)]
        )
        services.registry_entry_write_off(
            actor=archive.case_worker,
            municipality=archive.municipality,
            entry=request,
            method="BU",
            answered_by=reply,
        )
        try:
            services.registry_entry_delete(
                actor=archive.case_worker, municipality=archive.municipality, entry=reply
            )
        except ApplicationError:
            assert RegistryEntry.objects.filter(pk=reply.pk).exists()
        else:
            assert not RegistryEntry.objects.filter(pk=reply.pk).exists()


class TestObjectsOfAnotherMunicipality:
    def test_an_entry_of_another_municipality_is_not_found(self, archive: Archive, other: Archive) -> None:
        foreign = register(other, "X")
        with pytest.raises(NotFoundError):
            services.registry_entry_finalise(
                actor=archive.case_worker, municipality=archive.municipality, entry=foreign
            )
        foreign.refresh_from_db()
        assert foreign.status == "J"


def test_a_party_with_both_identifiers_is_refused(archive: Archive) -> None:
    party = services.PartyInput(
        party_type="EA",
        name="Ola Nordmann",
        organisation_number="987654325",
        national_identity_number="01019012345",
    )
    with invalid("one_identifier", "organisation_number"):
        register(archive, "I", parties=[party])


def test_a_cancelled_entry_keeps_its_title(archive: Archive) -> None:
    entry = register(archive, "X")
    entry = services.registry_entry_set_status(
        actor=archive.case_worker, municipality=archive.municipality, entry=entry, status="U"
    )
    with pytest.raises(ArchiveRuleError, check=lambda error: error.code == "entry_cancelled"):
        services.registry_entry_update_title(
            actor=archive.case_worker, municipality=archive.municipality, entry=entry, title="Ny"
        )
