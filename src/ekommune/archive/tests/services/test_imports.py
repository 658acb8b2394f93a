"""Creating archive objects as an extraction package describes them (deposit import)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ekommune.archive import services
from ekommune.archive.models import ChangeLogEntry, NumberSequence
from ekommune.archive.tests.factories import archive_for
from ekommune.core.errors import ConflictError, PermissionDeniedError, ValidationError
from ekommune.core.models import Municipality

pytestmark = pytest.mark.django_db

THEN = dt.datetime(2019, 3, 1, 9, 30, tzinfo=dt.UTC)


def test_imported_objects_keep_their_dates_numbers_and_statuses(municipality_a: Municipality) -> None:
    archive = archive_for(municipality_a)
    rm, m = archive.records_manager, municipality_a
    provenance = services.Provenance(
        created_at=THEN, created_by="Gammel", concluded_at=THEN, concluded_by="Arkivar"
    )
    fonds = services.fonds_import(
        actor=rm,
        municipality=m,
        title="Gamle arkiv",
        provenance=provenance,
        status="A",
        creators=[("1", "K", "")],
    )
    assert (fonds.concluded_at, fonds.concluded_by, fonds.creators.get().name) == (THEN, "Arkivar", "K")
    series = services.series_import(
        actor=rm, municipality=m, fonds=fonds, title="2019", provenance=provenance, status="P"
    )
    assert series.concluded_at == THEN
    case_file = services.case_file_import(
        actor=rm,
        municipality=m,
        series=series,
        primary_class=None,
        data=services.CaseFileImport(
            case_year=2019,
            case_sequence_number=42,
            title="Gammel sak",
            case_date=THEN.date(),
            administrative_unit="Teknisk",
            case_responsible="Per",
            case_status="A",
            provenance=provenance,
        ),
    )
    assert (case_file.file_id, case_file.concluded_at) == ("2019/42", THEN)
    entry, _ = services.registry_entry_import(
        actor=rm,
        municipality=m,
        case_file=case_file,
        data=services.EntryImport(
            record_type="journalpost",
            entry_number=1,
            entry_type="I",
            journal_year=2019,
            journal_sequence_number=900,
            status="A",
            title="Brev",
            journal_date=THEN.date(),
            provenance=provenance,
        ),
    )
    assert (entry.archived_at, entry.journal_number) == (THEN, "900/2019")
    services.number_sequences_catch_up(actor=rm, municipality=m)
    services.number_sequences_catch_up(actor=rm, municipality=m)  # idempotent
    assert NumberSequence.objects.get(municipality=m, kind="journal", year=2019).last_value == 900
    assert not ChangeLogEntry.objects.filter(municipality=m).exists()
    with pytest.raises(ConflictError, check=lambda error: error.code == "duplicate_case_number"):
        services.case_file_import(
            actor=rm,
            municipality=m,
            series=series,
            primary_class=None,
            data=services.CaseFileImport(
                case_year=2019,
                case_sequence_number=42,
                title="Samme nummer",
                case_date=THEN.date(),
                administrative_unit="Teknisk",
                case_responsible="Per",
                provenance=provenance,
            ),
        )


def test_only_the_records_manager_imports(municipality_a: Municipality) -> None:
    archive = archive_for(municipality_a)
    with pytest.raises(PermissionDeniedError):
        services.fonds_import(
            actor=archive.case_worker,
            municipality=municipality_a,
            title="X",
            provenance=services.Provenance(created_at=timezone.now(), created_by="x"),
        )


def test_an_imported_case_in_a_classified_series_needs_a_class(municipality_a: Municipality) -> None:
    archive = archive_for(municipality_a)  # its series has a classification system
    data = services.CaseFileImport(
        case_year=2019,
        case_sequence_number=7,
        title="Uten klasse",
        case_date=THEN.date(),
        administrative_unit="Teknisk",
        case_responsible="Per",
        provenance=services.Provenance(created_at=THEN, created_by="Gammel"),
    )
    with pytest.raises(ValidationError, check=lambda error: error.code == "class_required"):
        services.case_file_import(
            actor=archive.records_manager,
            municipality=municipality_a,
            series=archive.series,
            primary_class=None,
            data=data,
        )
    case_file = services.case_file_import(
        actor=archive.records_manager,
        municipality=municipality_a,
        series=archive.series,
        primary_class=archive.classes["064"],
        data=data,
    )
    assert case_file.file_id == "2019/7"
