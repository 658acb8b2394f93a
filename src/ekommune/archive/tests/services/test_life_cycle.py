"""Noark 5 life-cycle rules: violations get a clear error with a stable code, never a silent change."""

from __future__ import annotations

import io

import pytest

from ekommune.archive import services
from ekommune.archive.models import CaseFile, ChangeLogEntry, DocumentObject, RegistryEntry
from ekommune.archive.tests.factories import PDF_BYTES, SENDER, Archive, archive_for, case_for, letter
from ekommune.archive.types import ArchiveRuleError
from ekommune.core.errors import NotFoundError, PermissionDeniedError, ValidationError
from ekommune.core.models import AuditEvent, Municipality, Role
from ekommune.core.tests.factories import staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(municipality_a: Municipality) -> Archive:
    return archive_for(municipality_a)


def register(archive: Archive, entry_type: str = "I", **kwargs: object) -> RegistryEntry:
    defaults: dict[str, object] = {"title": "Søknad", "parties": [SENDER], "documents": [letter()]}
    if entry_type == "U":
        defaults["parties"] = [services.PartyInput(party_type="EM", name="Ola Nordmann")]
    defaults.update(kwargs)
    case_file = defaults.pop("case_file", None) or case_for(archive)
    assert isinstance(case_file, CaseFile)
    return services.registry_entry_register(
        actor=archive.case_worker,
        municipality=archive.municipality,
        case_file=case_file,
        entry_type=entry_type,
        **defaults,  # type: ignore[arg-type]
    )


def rule(code: str) -> pytest.RaisesExc[ArchiveRuleError]:
    return pytest.raises(ArchiveRuleError, check=lambda error: error.code == code)


class TestRegistration:
    def test_incoming_entry_with_party_and_document(self, archive: Archive) -> None:
        entry = register(archive)
        assert entry.status == "J"
        assert entry.received_date is not None
        party = entry.correspondence_parties.get()
        assert (party.party_type, party.name) == ("EA", "Ola Nordmann")
        link = entry.document_links.get()
        assert (link.linked_as, link.document_number) == ("H", 1)
        obj = DocumentObject.objects.get(document=link.document)
        assert (obj.version_number, obj.variant_format, obj.mime_type, obj.size) == (
            1,
            "P",
            "application/pdf",
            len(PDF_BYTES),
        )
        assert AuditEvent.objects.filter(
            action="archive.registry_entry.register", object_id=str(entry.system_id)
        ).exists()

    def test_attachments_follow_the_main_document(self, archive: Archive) -> None:
        entry = register(
            archive,
            documents=[
                letter("Søknad"),
                letter("Vedlegg 1", b"%PDF-1.7 other"),
                letter("Vedlegg 2", b"plain text"),
            ],
        )
        links = list(
            entry.document_links.order_by("document_number").values_list("linked_as", "document_number")
        )
        assert links == [("H", 1), ("V", 2), ("V", 3)]
        # The caller gets each document's file back, in document-number order, without asking.
        by_number = {
            link.document_number: DocumentObject.objects.get(document=link.document)
            for link in entry.document_links.all()
        }
        assert [obj.pk for obj in entry.registered_files] == [by_number[n].pk for n in (1, 2, 3)]
        assert entry.registered_files[2].mime_type == "text/plain"

    def test_an_entry_may_open_its_case(self, archive: Archive) -> None:
        before = case_for(archive, "Forrige sak")
        entry = services.registry_entry_register(
            actor=archive.case_worker,
            municipality=archive.municipality,
            case_file=services.NewCaseFile(
                series=archive.series,
                title="Søknad om skoleskyss",
                administrative_unit="Oppvekst",
                case_responsible="Kari Nilsen",
                primary_class=archive.classes["A20"],
            ),
            entry_type="I",
            title="Søknad om skoleskyss",
            parties=[SENDER],
            documents=[letter()],
        )
        case_file = CaseFile.objects.get(pk=entry.case_file_id)
        assert case_file.case_sequence_number == before.case_sequence_number + 1
        assert (case_file.title, case_file.primary_class_id, entry.entry_number) == (
            "Søknad om skoleskyss",
            archive.classes["A20"].pk,
            1,
        )
        events = list(
            AuditEvent.objects.filter(municipality=archive.municipality)
            .order_by("sequence")
            .values_list("action", "object_id")
        )[-2:]
        assert events == [
            ("archive.case_file.create", str(case_file.system_id)),
            ("archive.registry_entry.register", str(entry.system_id)),
        ]

    @pytest.mark.parametrize(
        ("change", "error", "code"),
        [
            ({"title": " "}, ValidationError, "required"),
            ({"case_responsible": ""}, ValidationError, "required"),
            ({"primary_class": "other scheme"}, ValidationError, "wrong_class"),
            ({"series": "other municipality"}, NotFoundError, "not_found"),
            ({"documents": [letter(" ")]}, ValidationError, "required"),
            ({"documents": [letter(expected_sha256="0" * 64)]}, ValidationError, "checksum_mismatch"),
            ({"series": "closed"}, ArchiveRuleError, "series_closed"),
        ],
    )
    def test_a_refused_registration_takes_no_number(
        self,
        archive: Archive,
        municipality_b: Municipality,
        change: dict[str, object],
        error: type[Exception],
        code: str,
    ) -> None:
        before = case_for(archive, "Forrige sak")
        new_case: dict[str, object] = {
            "series": archive.series,
            "title": "Ny sak",
            "administrative_unit": "Oppvekst",
            "case_responsible": "Kari Nilsen",
            "primary_class": archive.classes["A20"],
        }
        documents = change.pop("documents", [letter()])
        if change.get("primary_class") == "other scheme":
            change["primary_class"] = services.classification_system_create(
                actor=archive.records_manager,
                municipality=archive.municipality,
                title="Annet",
                classes=[("X1", "Annet")],
            ).classes.get()
        if change.get("series") == "other municipality":
            change["series"] = archive_for(municipality_b).series
        if change.get("series") == "closed":
            change["series"] = services.series_close(
                actor=archive.records_manager,
                municipality=archive.municipality,
                series=archive.series,
                period_end=archive.series.created_at.date(),
            )
        new_case.update(change)
        with pytest.raises(error, check=lambda raised: raised.code == code):  # type: ignore[attr-defined]
            services.registry_entry_register(
                actor=archive.case_worker,
                municipality=archive.municipality,
                case_file=services.NewCaseFile(**new_case),  # type: ignore[arg-type]
                entry_type="I",
                title="Ny sak",
                parties=[SENDER],
                documents=documents,  # type: ignore[arg-type]
            )
        assert CaseFile.objects.filter(municipality=archive.municipality).count() == 1
        if code != "series_closed":
            assert case_for(archive).case_sequence_number == before.case_sequence_number + 1  # no gap

    @pytest.mark.parametrize(
        ("entry_type", "kwargs", "code", "field"),
        [
            ("Q", {}, "invalid_code", "entry_type"),
            ("I", {"status": "A"}, "invalid_initial_status", "status"),
            ("I", {"title": "  "}, "required", "title"),
            (
                "I",
                {"parties": [services.PartyInput(party_type="ZZ", name="x")]},
                "invalid_code",
                "party_type",
            ),
        ],
    )
    def test_bad_input_is_refused_with_the_field(
        self, archive: Archive, entry_type: str, kwargs: dict[str, object], code: str, field: str
    ) -> None:
        case_file = case_for(archive)
        with pytest.raises(ValidationError) as error:
            register(archive, entry_type, case_file=case_file, **kwargs)
        assert (error.value.code, error.value.field) == (code, field)
        assert not RegistryEntry.objects.filter(case_file=case_file).exists()

    def test_reserved_outgoing_draft_may_have_an_unfinished_document(self, archive: Archive) -> None:
        entry = register(archive, "U", status="R", documents=[letter("Utkast", finalised=False)])
        assert entry.status == "R"
        assert entry.documents.get().status == "B"

    def test_only_registering_roles_may_register(
        self, archive: Archive, municipality_a: Municipality
    ) -> None:
        case_file = case_for(archive)
        with pytest.raises(PermissionDeniedError):
            services.registry_entry_register(
                actor=staff(municipality_a, Role.MANAGEMENT),
                municipality=municipality_a,
                case_file=case_file,
                entry_type="X",
                title="Notat",
            )

    def test_a_case_of_another_municipality_is_refused(
        self, archive: Archive, municipality_b: Municipality
    ) -> None:
        other = archive_for(municipality_b)
        with pytest.raises(NotFoundError) as error:
            services.registry_entry_register(
                actor=archive.case_worker,
                municipality=archive.municipality,
                case_file=case_for(other),
                entry_type="X",
                title="Notat",
            )
        assert error.value.code == "not_found"


class TestDocuments:
    def test_finalised_document_cannot_change(self, archive: Archive) -> None:
        entry = register(archive)
        document = entry.documents.get()
        with rule("document_finalised"):
            services.document_object_add(
                actor=archive.case_worker,
                municipality=archive.municipality,
                document=document,
                file_name="ny.pdf",
                content=io.BytesIO(b"%PDF-1.7 changed"),
            )
        with rule("document_finalised"):
            services.document_object_delete(
                actor=archive.case_worker,
                municipality=archive.municipality,
                document_object=document.document_objects.get(),
            )
        assert document.document_objects.count() == 1

    def test_finalised_document_accepts_its_archival_variant_once(self, archive: Archive) -> None:
        document = register(archive).documents.get()
        obj = services.document_object_add(
            actor=archive.case_worker,
            municipality=archive.municipality,
            document=document,
            file_name="søknad-arkiv.pdf",
            content=io.BytesIO(b"%PDF-1.7 PDF/A"),
            variant_format="A",
        )
        assert (obj.version_number, obj.variant_format) == (1, "A")
        with rule("document_finalised"):
            services.document_object_add(
                actor=archive.case_worker,
                municipality=archive.municipality,
                document=document,
                file_name="igjen.pdf",
                content=io.BytesIO(b"%PDF-1.7 again"),
                variant_format="A",
            )

    def test_new_versions_while_editing_then_finalise(self, archive: Archive) -> None:
        entry = register(archive, "U", status="R", documents=[letter("Svar", finalised=False)])
        document = entry.documents.get()
        second = services.document_object_add(
            actor=archive.case_worker,
            municipality=archive.municipality,
            document=document,
            file_name="svar-v2.pdf",
            content=io.BytesIO(b"%PDF-1.7 v2"),
        )
        assert second.version_number == 2
        services.document_finalise(
            actor=archive.case_worker, municipality=archive.municipality, document=document
        )
        assert ChangeLogEntry.objects.filter(
            object_system_id=document.system_id, field="dokumentstatus", new_value="F"
        ).exists()

    def test_checksum_sent_by_the_client_is_verified(self, archive: Archive) -> None:
        entry = register(archive, "U", status="R", documents=[letter("Svar", finalised=False)])
        document = entry.documents.get()
        with pytest.raises(ValidationError) as error:
            services.document_object_add(
                actor=archive.case_worker,
                municipality=archive.municipality,
                document=document,
                file_name="x.pdf",
                content=io.BytesIO(b"%PDF-1.7 x"),
                expected_sha256="0" * 64,
            )
        assert error.value.code == "checksum_mismatch"
        assert document.document_objects.count() == 1


class TestEntryStatus:
    def test_outgoing_entry_runs_its_course_and_is_frozen_when_archived(self, archive: Archive) -> None:
        entry = register(archive, "U")
        municipality, worker = archive.municipality, archive.case_worker
        entry = services.registry_entry_finalise(actor=worker, municipality=municipality, entry=entry)
        entry = services.registry_entry_dispatch(actor=worker, municipality=municipality, entry=entry)
        assert entry.sent_date is not None
        entry = services.registry_entry_archive(actor=worker, municipality=municipality, entry=entry)
        assert entry.archived_at is not None
        statuses = list(
            ChangeLogEntry.objects.filter(object_system_id=entry.system_id)
            .order_by("pk")
            .values_list("old_value", "new_value")
        )
        assert statuses == [("J", "F"), ("F", "E"), ("E", "A")]
        with rule("entry_archived"):
            services.registry_entry_update_title(
                actor=worker, municipality=municipality, entry=entry, title="Endret"
            )
        with rule("entry_archived"):
            services.document_object_add(
                actor=worker,
                municipality=municipality,
                document=entry.documents.get(),
                file_name="a.pdf",
                content=io.BytesIO(b"%PDF a"),
                variant_format="A",
            )

    def test_status_never_goes_backwards(self, archive: Archive) -> None:
        entry = services.registry_entry_finalise(
            actor=archive.case_worker, municipality=archive.municipality, entry=register(archive)
        )
        with rule("status_backwards"):
            services.registry_entry_set_status(
                actor=archive.case_worker, municipality=archive.municipality, entry=entry, status="J"
            )

    def test_only_outgoing_entries_are_dispatched(self, archive: Archive) -> None:
        with rule("dispatch_outgoing_only"):
            services.registry_entry_dispatch(
                actor=archive.case_worker, municipality=archive.municipality, entry=register(archive, "I")
            )

    def test_finalising_needs_finalised_documents(self, archive: Archive) -> None:
        entry = register(archive, "U", status="R", documents=[letter("Utkast", finalised=False)])
        with rule("documents_not_finalised"):
            services.registry_entry_finalise(
                actor=archive.case_worker, municipality=archive.municipality, entry=entry
            )

    def test_finalising_an_incoming_entry_needs_a_party(self, archive: Archive) -> None:
        entry = register(archive, "I", parties=[])
        assert entry.status == "J"
        with rule("party_required"):
            services.registry_entry_finalise(
                actor=archive.case_worker, municipality=archive.municipality, entry=entry
            )
        services.correspondence_party_add(
            actor=archive.case_worker, municipality=archive.municipality, entry=entry, party=SENDER
        )
        assert (
            services.registry_entry_finalise(
                actor=archive.case_worker, municipality=archive.municipality, entry=entry
            ).status
            == "F"
        )

    def test_documents_are_added_one_by_one_as_an_api_client_does(self, archive: Archive) -> None:
        entry = register(archive, "X", documents=[])
        main = services.document_description_create(
            actor=archive.case_worker,
            municipality=archive.municipality,
            entry=entry,
            title="Notat",
            status="F",
        )
        attachment = services.document_description_create(
            actor=archive.case_worker, municipality=archive.municipality, entry=entry, title="Vedlegg"
        )
        links = list(
            entry.document_links.order_by("document_number").values_list("linked_as", "document_number")
        )
        assert links == [("H", 1), ("V", 2)]
        first = services.document_object_add(
            actor=archive.case_worker,
            municipality=archive.municipality,
            document=main,
            file_name="notat.pdf",
            content=io.BytesIO(PDF_BYTES),
        )
        assert (first.version_number, first.variant_format) == (
            1,
            "P",
        )  # a finalised document takes its first file
        with rule("document_finalised"):
            services.document_object_add(
                actor=archive.case_worker,
                municipality=archive.municipality,
                document=main,
                file_name="notat2.pdf",
                content=io.BytesIO(b"%PDF-1.7 v2"),
            )
        assert attachment.status == "B"

    def test_title_changes_are_logged(self, archive: Archive) -> None:
        entry = register(archive)
        services.registry_entry_update_title(
            actor=archive.case_worker, municipality=archive.municipality, entry=entry, title="Søknad om plass"
        )
        change = ChangeLogEntry.objects.get(object_system_id=entry.system_id, field="tittel")
        assert (change.old_value, change.new_value, change.changed_by_user) == (
            "Søknad",
            "Søknad om plass",
            archive.case_worker,
        )


class TestCaseFile:
    def test_case_concludes_only_when_every_entry_is_finalised(self, archive: Archive) -> None:
        case_file = case_for(archive)
        entry = register(archive, case_file=case_file)
        with rule("entries_not_finalised"):
            services.case_file_conclude(
                actor=archive.case_worker, municipality=archive.municipality, case_file=case_file
            )
        services.registry_entry_finalise(
            actor=archive.case_worker, municipality=archive.municipality, entry=entry
        )
        concluded = services.case_file_conclude(
            actor=archive.case_worker, municipality=archive.municipality, case_file=case_file
        )
        assert concluded.case_status == "A"
        assert concluded.concluded_at is not None
        with rule("case_file_concluded"):
            register(archive, case_file=concluded)

    def test_unclassified_case_cannot_conclude(self, archive: Archive) -> None:
        case_file = case_for(archive, "Uten klasse")  # as data from before decision 0143 may be
        CaseFile.objects.filter(pk=case_file.pk).update(primary_class=None)
        case_file.refresh_from_db()
        with rule("case_file_unclassified"):
            services.case_file_conclude(
                actor=archive.case_worker, municipality=archive.municipality, case_file=case_file
            )

    def test_closed_series_accepts_nothing_new(self, archive: Archive) -> None:
        case_file = case_for(archive)
        services.series_close(
            actor=archive.records_manager,
            municipality=archive.municipality,
            series=archive.series,
            period_end=archive.series.created_at.date(),
        )
        with rule("series_closed"):
            case_for(archive)
        with rule("series_closed"):
            register(archive, case_file=case_file)

    def test_case_workers_cannot_close_series(self, archive: Archive) -> None:
        with pytest.raises(PermissionDeniedError):
            services.series_close(
                actor=archive.case_worker,
                municipality=archive.municipality,
                series=archive.series,
                period_end=archive.series.created_at.date(),
            )

    def test_class_must_belong_to_the_series_scheme(
        self, archive: Archive, municipality_a: Municipality
    ) -> None:
        other_system = services.classification_system_create(
            actor=archive.records_manager,
            municipality=municipality_a,
            title="Annet",
            classes=[("X1", "Annet")],
        )
        with pytest.raises(ValidationError) as error:
            services.case_file_create(
                actor=archive.case_worker,
                municipality=municipality_a,
                series=archive.series,
                title="Feil klasse",
                administrative_unit="Teknisk",
                case_responsible="Per",
                primary_class=other_system.classes.get(),
            )
        assert error.value.code == "wrong_class"


def test_a_document_waiting_for_its_file_cannot_be_finalised(archive: Archive) -> None:
    entry = register(archive, "X", documents=[])
    document = services.document_description_create(
        actor=archive.case_worker, municipality=archive.municipality, entry=entry, title="Notat"
    )
    services.document_object_create(
        actor=archive.case_worker, municipality=archive.municipality, document=document, file_name="notat.pdf"
    )
    with rule("document_without_file"):
        services.document_finalise(
            actor=archive.case_worker, municipality=archive.municipality, document=document
        )
