"""Case numbers and journal numbers: per municipality and year, unique and gapless, also under load."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from ekommune.archive import services
from ekommune.archive.models import CaseFile, RegistryEntry
from ekommune.archive.tests.factories import SENDER, archive_for, case_for, letter
from ekommune.core.errors import ValidationError
from ekommune.core.models import Municipality

pytestmark = pytest.mark.django_db


def test_case_and_entry_numbers_read_as_the_standard_shows_them(municipality_a: Municipality) -> None:
    archive = archive_for(municipality_a)
    case = case_for(archive)
    year = timezone.localdate().year
    assert case.file_id == f"{year}/1"
    first = services.registry_entry_register(
        actor=archive.case_worker,
        municipality=municipality_a,
        case_file=case,
        entry_type="I",
        title="Søknad",
        parties=[SENDER],
        documents=[letter()],
    )
    second = services.registry_entry_register(
        actor=archive.case_worker,
        municipality=municipality_a,
        case_file=case,
        entry_type="U",
        title="Svar",
        parties=[services.PartyInput(party_type="EM", name="Ola Nordmann")],
        documents=[letter("Svar")],
    )
    assert (first.registration_id, second.registration_id) == (f"{year}/1-1", f"{year}/1-2")
    assert (first.journal_number, second.journal_number) == (f"1/{year}", f"2/{year}")


def test_municipalities_number_independently(
    municipality_a: Municipality, municipality_b: Municipality
) -> None:
    a, b = archive_for(municipality_a), archive_for(municipality_b)
    assert [case_for(a).case_sequence_number, case_for(a).case_sequence_number] == [1, 2]
    assert case_for(b).case_sequence_number == 1


def test_a_failed_registration_gives_its_number_back(municipality_a: Municipality) -> None:
    archive = archive_for(municipality_a)
    case = case_for(archive)
    with pytest.raises(ValidationError):  # checksum mismatch, found after the numbers were taken
        services.registry_entry_register(
            actor=archive.case_worker,
            municipality=municipality_a,
            case_file=case,
            entry_type="I",
            title="x",
            parties=[SENDER],
            documents=[letter(), letter("Vedlegg", expected_sha256="0" * 64)],
        )
    entry = services.registry_entry_register(
        actor=archive.case_worker,
        municipality=municipality_a,
        case_file=case,
        entry_type="I",
        title="y",
        parties=[SENDER],
        documents=[letter()],
    )
    assert entry.journal_sequence_number == 1
    assert entry.entry_number == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_registration_is_gapless_and_unique(municipality_a: Municipality) -> None:
    """Eight threads register at once into two cases; numbers have no gaps and no duplicates."""
    archive = archive_for(municipality_a)
    cases = [case_for(archive, "Sak A"), case_for(archive, "Sak B")]
    errors: list[BaseException] = []
    per_thread = 12

    def work(worker: int) -> None:
        try:
            for i in range(per_thread):
                with transaction.atomic():
                    services.case_file_create(
                        actor=archive.case_worker,
                        municipality=municipality_a,
                        series=archive.series,
                        title=f"Ny sak {worker}-{i}",
                        administrative_unit="Teknisk",
                        case_responsible="Per",
                        primary_class=archive.classes["064"],
                    )
                    services.registry_entry_register(
                        actor=archive.case_worker,
                        municipality=municipality_a,
                        case_file=cases[(worker + i) % 2],
                        entry_type="X",
                        title=f"Notat {worker}-{i}",
                    )
        except BaseException as exc:  # pragma: no cover - reported by the assertion
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    journal = sorted(  # type: ignore[type-var]
        RegistryEntry.objects.filter(
            municipality=municipality_a, journal_sequence_number__isnull=False
        ).values_list("journal_sequence_number", flat=True)
    )
    assert journal == list(range(1, 8 * per_thread + 1))
    case_numbers = sorted(
        CaseFile.objects.filter(municipality=municipality_a).values_list("case_sequence_number", flat=True)
    )
    assert case_numbers == list(range(1, 8 * per_thread + 3))
    for case in cases:
        numbers = sorted(case.entries.values_list("entry_number", flat=True))
        assert numbers == list(range(1, len(numbers) + 1))


class TestBulkRegistration:
    def test_bulk_numbers_continue_the_same_sequences(self, municipality_a: Municipality) -> None:
        archive = archive_for(municipality_a)
        first_case, second_case = case_for(archive, "A"), case_for(archive, "B")
        single = services.registry_entry_register(
            actor=archive.case_worker,
            municipality=municipality_a,
            case_file=first_case,
            entry_type="X",
            title="Først",
        )
        bulk = services.registry_entries_register_bulk(
            actor=archive.case_worker,
            municipality=municipality_a,
            entries=[
                services.EntryInput(case_file=case, entry_type="I", title=f"Innspill {i}", parties=[SENDER])
                for i, case in enumerate([first_case, second_case, first_case])
            ],
        )
        assert single.journal_sequence_number == 1
        assert [e.journal_sequence_number for e in bulk] == [2, 3, 4]
        assert [e.registration_id.rsplit("-", 1)[1] for e in bulk] == ["2", "1", "3"]
        assert all(e.correspondence_parties.count() == 1 for e in bulk)
        from ekommune.core.selectors import audit_chain_verify

        assert audit_chain_verify(chain_key=municipality_a.pk).ok

    def test_one_bad_entry_refuses_the_whole_batch(self, municipality_a: Municipality) -> None:
        archive = archive_for(municipality_a)
        case = case_for(archive)
        with pytest.raises(ValidationError) as error:
            services.registry_entries_register_bulk(
                actor=archive.case_worker,
                municipality=municipality_a,
                entries=[
                    services.EntryInput(case_file=case, entry_type="X", title="God"),
                    services.EntryInput(case_file=case, entry_type="Q", title="Dårlig"),
                ],
            )
        assert error.value.field == "entries[1].entry_type"
        assert not RegistryEntry.objects.filter(municipality=municipality_a).exists()


@pytest.mark.django_db(transaction=True)
def test_bulk_and_single_registration_side_by_side_stay_gapless(municipality_a: Municipality) -> None:
    archive = archive_for(municipality_a)
    cases = [case_for(archive, f"Sak {i}") for i in range(3)]
    errors: list[BaseException] = []

    def single(worker: int) -> None:
        try:
            for i in range(10):
                services.registry_entry_register(
                    actor=archive.case_worker,
                    municipality=municipality_a,
                    case_file=cases[(worker + i) % 3],
                    entry_type="X",
                    title=f"Enkelt {worker}-{i}",
                )
        except BaseException as exc:  # pragma: no cover
            errors.append(exc)
        finally:
            connection.close()

    def bulk(worker: int) -> None:
        try:
            for i in range(5):
                services.registry_entries_register_bulk(
                    actor=archive.case_worker,
                    municipality=municipality_a,
                    entries=[
                        services.EntryInput(
                            case_file=cases[(worker + i + k) % 3], entry_type="X", title=f"Bulk {k}"
                        )
                        for k in range(7)
                    ],
                )
        except BaseException as exc:  # pragma: no cover
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=single, args=(w,)) for w in range(3)] + [
        threading.Thread(target=bulk, args=(w,)) for w in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    total = 3 * 10 + 3 * 5 * 7
    journal = sorted(  # type: ignore[type-var]
        RegistryEntry.objects.filter(
            municipality=municipality_a, journal_sequence_number__isnull=False
        ).values_list("journal_sequence_number", flat=True)
    )
    assert journal == list(range(1, total + 1))
    for case in cases:
        numbers = sorted(case.entries.values_list("entry_number", flat=True))
        assert numbers == list(range(1, len(numbers) + 1))


def test_internal_notes_are_numbered_in_the_case_but_not_in_the_journal(municipality_a: Municipality) -> None:
    archive = archive_for(municipality_a)
    case = case_for(archive)
    note = services.internal_note_register(
        actor=archive.case_worker,
        municipality=municipality_a,
        case_file=case,
        title="Notat fra møte",
        documents=[letter("Notat")],
    )
    entry = services.registry_entry_register(
        actor=archive.case_worker,
        municipality=municipality_a,
        case_file=case,
        entry_type="I",
        title="Søknad",
        parties=[SENDER],
    )
    assert (note.record_type, note.entry_type, note.journal_number) == ("arkivnotat", "", "")
    assert note.registration_id.endswith("-1")
    assert entry.registration_id.endswith("-2")
    assert entry.journal_sequence_number == 1  # the note took no journal number
