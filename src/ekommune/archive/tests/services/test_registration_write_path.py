"""The write path of issue 19: bulk registration through COPY, and a single registration whose
entry, journal number and audit events are one statement (decision 0190)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DataError, transaction

from ekommune.archive import services
from ekommune.archive.models import CorrespondenceParty, NumberSequence, RegistryEntry
from ekommune.archive.tests.factories import SENDER, archive_for, case_for
from ekommune.core.audit import canonical_event, canonical_event_head, normalise_detail
from ekommune.core.models import AuditEvent, Municipality
from ekommune.core.selectors import audit_chain_verify

pytestmark = pytest.mark.django_db


def _journal(municipality: Municipality) -> list[int]:
    numbers = RegistryEntry.objects.filter(municipality=municipality, journal_year__isnull=False).values_list(
        "journal_sequence_number", flat=True
    )
    return sorted(number for number in numbers if number is not None)


class TestBulkThroughCopy:
    def test_numbers_stay_gapless_parties_and_chain_are_written(self, municipality_a: Municipality) -> None:
        archive = archive_for(municipality_a)
        cases = [case_for(archive, f"Sak {i}") for i in range(3)]
        for round_ in range(3):
            created = services.registry_entries_register_bulk(
                actor=archive.case_worker,
                municipality=municipality_a,
                entries=[
                    services.EntryInput(
                        case_file=cases[k % 3],
                        entry_type="I",
                        title=f"Innspill {round_}-{k}",
                        parties=[SENDER, SENDER],
                    )
                    for k in range(40)
                ],
            )
            assert [entry.pk for entry in created] == list(
                RegistryEntry.objects.filter(pk__in=[e.pk for e in created])
                .order_by("pk")
                .values_list("pk", flat=True)
            )
        assert _journal(municipality_a) == list(range(1, 121))
        assert CorrespondenceParty.objects.filter(municipality=municipality_a).count() == 240
        for case in cases:
            numbers = sorted(case.entries.values_list("entry_number", flat=True))
            assert numbers == list(range(1, len(numbers) + 1))
        report = audit_chain_verify(chain_key=municipality_a.pk)
        assert report.ok
        assert (
            AuditEvent.objects.filter(
                chain_key=municipality_a.pk, action="archive.registry_entry.register"
            ).count()
            == 120
        )

    def test_the_objects_returned_are_the_rows_written(self, municipality_a: Municipality) -> None:
        archive = archive_for(municipality_a)
        case = case_for(archive)
        (entry,) = services.registry_entries_register_bulk(
            actor=archive.case_worker,
            municipality=municipality_a,
            entries=[services.EntryInput(case_file=case, entry_type="U", title="  Svar  ", parties=[SENDER])],
        )
        stored = RegistryEntry.objects.get(pk=entry.pk)
        assert (stored.system_id, stored.title, stored.journal_sequence_number, stored.entry_number) == (
            entry.system_id,
            "Svar",
            entry.journal_sequence_number,
            1,
        )
        assert entry.case_file == case
        assert entry.municipality == municipality_a
        entry.title = "Endret"
        entry.save(update_fields=["title"])  # an ordinary row for the ORM: an update, not an insert
        assert RegistryEntry.objects.get(pk=entry.pk).title == "Endret"

    def test_a_failure_at_commit_rolls_everything_back(self, municipality_a: Municipality) -> None:
        archive = archive_for(municipality_a)
        case = case_for(archive)
        services.registry_entries_register_bulk(
            actor=archive.case_worker,
            municipality=municipality_a,
            entries=[services.EntryInput(case_file=case, entry_type="I", title="Først", parties=[SENDER])],
        )
        events_before = AuditEvent.objects.filter(chain_key=municipality_a.pk).count()
        party = services.PartyInput(party_type="EA", name="For lang by", city="x" * 101)  # city holds 100
        with pytest.raises(DataError):  # too long for the column: COPY refuses it
            services.registry_entries_register_bulk(
                actor=archive.case_worker,
                municipality=municipality_a,
                entries=[
                    services.EntryInput(case_file=case, entry_type="I", title=f"Neste {k}", parties=[party])
                    for k in range(5)
                ],
            )
        assert _journal(municipality_a) == [1]
        assert AuditEvent.objects.filter(chain_key=municipality_a.pk).count() == events_before
        counter = NumberSequence.objects.get(municipality=municipality_a, kind=NumberSequence.Kind.JOURNAL)
        assert counter.last_value == 1  # the block of numbers was given back
        assert audit_chain_verify(chain_key=municipality_a.pk).ok


class TestSingleRegistrationInOneStatement:
    def test_the_first_entry_of_a_year_creates_the_counter(self, municipality_a: Municipality) -> None:
        archive = archive_for(municipality_a)
        case = case_for(archive)
        NumberSequence.objects.filter(municipality=municipality_a, kind=NumberSequence.Kind.JOURNAL).delete()
        entry = services.registry_entry_register(
            actor=archive.case_worker,
            municipality=municipality_a,
            case_file=case,
            entry_type="I",
            title="Først",
        )
        assert entry.journal_sequence_number == 1
        assert RegistryEntry.objects.get(pk=entry.pk).journal_sequence_number == 1
        assert audit_chain_verify(chain_key=municipality_a.pk).ok

    def test_events_hashed_by_the_database_verify_with_any_text(self, municipality_a: Municipality) -> None:
        archive = archive_for(municipality_a)
        archive.case_worker.first_name, archive.case_worker.last_name = "Bjørn Ærlig", 'Åsen \\ "sitat" \n'
        archive.case_worker.save()
        services.registry_entry_register(
            actor=archive.case_worker,
            municipality=municipality_a,
            case_file=services.NewCaseFile(
                series=archive.series,
                title="Søknad om løyve – «test»",
                administrative_unit="Plan",
                case_responsible="Ærlig",
                primary_class=next(iter(archive.classes.values())),
            ),
            entry_type="I",
            title="Ny sak med første journalpost",
            parties=[SENDER],
        )
        report = audit_chain_verify(chain_key=municipality_a.pk)
        assert report.ok, report.first_break
        actions = list(
            AuditEvent.objects.filter(chain_key=municipality_a.pk)
            .order_by("-sequence")
            .values_list("action", flat=True)[:2]
        )
        assert actions == ["archive.registry_entry.register", "archive.case_file.create"]

    def test_a_failed_insert_writes_no_event_and_takes_no_number(self, municipality_a: Municipality) -> None:
        archive = archive_for(municipality_a)
        case = case_for(archive)
        services.registry_entry_register(
            actor=archive.case_worker,
            municipality=municipality_a,
            case_file=case,
            entry_type="I",
            title="Først",
        )
        events_before = AuditEvent.objects.filter(chain_key=municipality_a.pk).count()
        with pytest.raises(DataError), transaction.atomic():
            services.registry_entry_register(
                actor=archive.case_worker,
                municipality=municipality_a,
                case_file=case,
                entry_type="I",
                title="Ugyldig dato",
                public_title="x" * 1001,  # the column holds 1,000
            )
        assert _journal(municipality_a) == [1]
        assert AuditEvent.objects.filter(chain_key=municipality_a.pk).count() == events_before


def test_the_canonical_head_is_the_canonical_form_up_to_the_sequence() -> None:
    import datetime as dt

    fields: dict[str, Any] = {
        "chain_key": 3,
        "municipality_id": 3,
        "occurred_at": dt.datetime(2026, 12, 5, 12, 0, tzinfo=dt.UTC),
        "actor_id": None,
        "actor_label": "system «ø»",
        "action": "a",
        "object_type": "t",
        "object_id": "1",
        "detail": normalise_detail({"x": "y", "n": 1, "b": True, "z": None}),
    }
    for sequence in (1, 9, 10, 123456):
        assert canonical_event_head(**fields) + f"{sequence}}}" == canonical_event(
            sequence=sequence, **fields
        )


@pytest.mark.parametrize(
    "detail",
    [{"a": "b", "n": 2, "t": False, "z": None}, {"f": 1.5}, {"l": [1, (2, 3)]}, {"d": {"k": "v"}}, {}, None],
)
def test_plain_details_normalise_as_jsonb_gives_them_back(detail: dict[str, object] | None) -> None:
    import json

    assert normalise_detail(detail) == json.loads(json.dumps(detail or {}, sort_keys=True, default=str))
