"""What the archive hands the publication step: an entry with case, parties, documents and screening."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ekommune.archive import selectors, services
from ekommune.archive.tests.factories import SENDER, archive_for, case_for, letter
from ekommune.core.errors import NotFoundError
from ekommune.core.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


def test_an_entry_comes_with_its_case_parties_documents_and_screening() -> None:
    archive = archive_for(MunicipalityFactory.create())
    case_file = case_for(archive)
    services.case_party_add(
        actor=archive.case_worker,
        municipality=archive.municipality,
        case_file=case_file,
        party=services.CasePartyInput(name="Per Hansen", role="KLI"),
    )
    entry = services.registry_entry_register(
        actor=archive.case_worker,
        municipality=archive.municipality,
        case_file=case_file,
        entry_type="I",
        title="Søknad om barnehageplass",
        parties=[SENDER],
        documents=[letter("Søknad"), letter("Vedlegg", b"%PDF-1.7 vedlegg")],
        screening=services.ScreeningInput(
            access_restriction="13", legal_basis="Offl. § 13 jf. fvl. § 13", screened_metadata=["NA"]
        ),
    )
    pending = services.document_description_create(
        actor=archive.case_worker, municipality=archive.municipality, entry=entry, title="Kommer senere"
    )
    [facts] = selectors.entries_for_publication(municipality=archive.municipality)
    assert facts.system_id == entry.system_id
    assert facts.journal_number == f"{entry.journal_sequence_number}/{entry.journal_year}"
    assert facts.registration_id == f"{case_file.case_year}/{case_file.case_sequence_number}-1"
    assert facts.case.class_id == "A20"
    assert facts.case.parties[0].name == "Per Hansen"
    assert facts.parties[0].name == SENDER.name
    assert facts.screening is not None
    assert facts.screening.screened_metadata == frozenset({"NA"})
    assert [document.title for document in facts.documents] == ["Søknad", "Vedlegg", "Kommer senere"]
    assert facts.documents[0].file_object_id is not None
    assert facts.documents[2].file_object_id is None
    assert facts.documents[2].system_id == pending.system_id


def test_entries_can_be_asked_for_by_id_or_by_change_and_share_their_case() -> None:
    archive = archive_for(MunicipalityFactory.create())
    case_file = case_for(archive)
    other_case = services.case_file_create(
        actor=archive.case_worker,
        municipality=archive.municipality,
        series=archive.series,
        title="Annen sak",
        administrative_unit="Stab",
        case_responsible="Kari",
        primary_class=archive.classes["614"],
    )
    before = timezone.now()
    first, second = (
        services.internal_note_register(
            actor=archive.case_worker, municipality=archive.municipality, case_file=case_file, title=title
        )
        for title in ("Notat 1", "Notat 2")
    )
    third = services.internal_note_register(
        actor=archive.case_worker, municipality=archive.municipality, case_file=other_case, title="Notat 3"
    )
    assert first.journal_year is None
    chosen = list(
        selectors.entries_for_publication(municipality=archive.municipality, system_ids=[second.system_id])
    )
    assert [facts.title for facts in chosen] == ["Notat 2"]
    assert chosen[0].journal_number == ""
    changed = list(
        selectors.entries_for_publication(
            municipality=archive.municipality, changed_since=before + dt.timedelta(days=1)
        )
    )
    assert changed == []
    all_entries = list(
        selectors.entries_for_publication(municipality=archive.municipality, case_cache_limit=1)
    )
    assert [facts.title for facts in all_entries] == ["Notat 1", "Notat 2", "Notat 3"]
    assert all_entries[2].case.class_id == "614"
    assert all_entries[2].case.system_id == other_case.system_id
    assert third.case_file_id == other_case.pk


def test_an_eligible_file_opens_for_publication_only_in_its_own_municipality() -> None:
    archive = archive_for(MunicipalityFactory.create())
    other = MunicipalityFactory.create()
    entry = services.registry_entry_register(
        actor=archive.case_worker,
        municipality=archive.municipality,
        case_file=case_for(archive),
        entry_type="I",
        title="Søknad",
        parties=[SENDER],
        documents=[letter("Søknad", b"%PDF-1.7 innhold")],
    )
    (facts,) = selectors.entries_for_publication(
        municipality=archive.municipality, system_ids=[entry.system_id]
    )
    object_id = facts.documents[0].file_object_id
    assert object_id is not None
    opened = selectors.document_file_for_publication(
        municipality=archive.municipality, object_system_id=object_id
    )
    with opened.content as content:
        assert content.read() == b"%PDF-1.7 innhold"
    assert opened.file_name == "Søknad.pdf"
    assert opened.size == len(b"%PDF-1.7 innhold")
    with pytest.raises(NotFoundError):
        selectors.document_file_for_publication(municipality=other, object_system_id=object_id)


def test_the_current_series_and_a_case_by_its_system_id() -> None:
    archive = archive_for(MunicipalityFactory.create())
    other = archive_for(MunicipalityFactory.create())
    assert (
        selectors.series_current(actor=archive.case_worker, municipality=archive.municipality)
        == archive.series
    )
    services.series_close(
        actor=archive.records_manager,
        municipality=archive.municipality,
        series=archive.series,
        period_end=timezone.localdate(),
    )
    assert selectors.series_current(actor=archive.case_worker, municipality=archive.municipality) is None
    case_file = case_for(other)
    found = selectors.case_file_by_system_id(
        actor=other.case_worker, municipality=other.municipality, system_id=case_file.system_id
    )
    assert found == case_file
    assert (
        selectors.case_file_by_system_id(
            actor=archive.case_worker, municipality=archive.municipality, system_id=case_file.system_id
        )
        is None
    )
