"""Comments, case parties, cross references and write-offs (merknad, part, kryssreferanse, avskrivning)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from ekommune.archive import services
from ekommune.archive.models import CaseFile, Comment, DocumentDescription, RegistryEntry, WriteOff
from ekommune.archive.tests.factories import SENDER, Archive, archive_for, case_for, letter
from ekommune.archive.types import ArchiveRuleError
from ekommune.core.errors import ConflictError, ValidationError
from ekommune.core.models import Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(municipality_a: Municipality) -> Archive:
    return archive_for(municipality_a)


def incoming(archive: Archive, case_file: CaseFile | None = None) -> RegistryEntry:
    return services.registry_entry_register(
        actor=archive.case_worker,
        municipality=archive.municipality,
        case_file=case_file or case_for(archive),
        entry_type="I",
        title="Søknad",
        parties=[SENDER],
        documents=[letter()],
    )


def test_comments_on_each_kind_of_object(archive: Archive) -> None:
    entry = incoming(archive)
    targets: list[CaseFile | RegistryEntry | DocumentDescription] = [
        entry.case_file,
        entry,
        entry.documents.get(),
    ]
    for target in targets:
        services.comment_add(
            actor=archive.case_worker,
            municipality=archive.municipality,
            on=target,
            text="Sjekk vedlegget",
            comment_type="MS",
        )
    assert Comment.objects.filter(municipality=archive.municipality).count() == 3
    with pytest.raises(ValidationError):
        services.comment_add(actor=archive.case_worker, municipality=archive.municipality, on=entry, text=" ")
    with pytest.raises(IntegrityError), transaction.atomic():  # the database holds "exactly one target"
        Comment.objects.create(
            municipality=archive.municipality, text="x", registered_at=entry.created_at, registered_by="x"
        )


def test_case_party_with_role(archive: Archive) -> None:
    case_file = case_for(archive)
    party = services.case_party_add(
        actor=archive.case_worker,
        municipality=archive.municipality,
        case_file=case_file,
        party=services.CasePartyInput(
            name="Advokatfirmaet Lov AS", role="ADV", kind="unit", organisation_number="987654325"
        ),
    )
    assert (party.role, party.kind) == ("ADV", "unit")
    with pytest.raises(ValidationError) as error:
        services.case_party_add(
            actor=archive.case_worker,
            municipality=archive.municipality,
            case_file=case_file,
            party=services.CasePartyInput(name="X", role="KONGE"),
        )
    assert error.value.field == "partRolle"


def test_cross_references_are_one_way_and_unique(archive: Archive) -> None:
    first, second = case_for(archive, "Første"), case_for(archive, "Andre")
    reference = services.cross_reference_add(
        actor=archive.case_worker, municipality=archive.municipality, source=first, target=second
    )
    assert (reference.from_case_file, reference.to_case_file) == (first, second)
    with pytest.raises(ConflictError):
        services.cross_reference_add(
            actor=archive.case_worker, municipality=archive.municipality, source=first, target=second
        )
    with pytest.raises(ValidationError):
        services.cross_reference_add(
            actor=archive.case_worker, municipality=archive.municipality, source=first, target=first
        )


def test_incoming_letter_is_written_off_by_the_reply(archive: Archive) -> None:
    case_file = case_for(archive)
    request = incoming(archive, case_file)
    reply = services.registry_entry_register(
        actor=archive.case_worker,
        municipality=archive.municipality,
        case_file=case_file,
        entry_type="U",
        title="Svar",
        parties=[services.PartyInput(party_type="EM", name="Ola Nordmann")],
        documents=[letter("Svar")],
    )
    write_off = services.registry_entry_write_off(
        actor=archive.case_worker,
        municipality=archive.municipality,
        entry=request,
        method="BU",
        answered_by=reply,
    )
    assert (write_off.method, write_off.answered_by) == ("BU", reply)
    with pytest.raises(ArchiveRuleError) as error:
        services.registry_entry_write_off(
            actor=archive.case_worker, municipality=archive.municipality, entry=reply, method="BU"
        )
    assert error.value.code == "write_off_type"


def test_concluding_a_case_writes_off_what_is_open(archive: Archive) -> None:
    case_file = case_for(archive)
    entry = incoming(archive, case_file)
    services.registry_entry_finalise(
        actor=archive.case_worker, municipality=archive.municipality, entry=entry
    )
    services.case_file_conclude(
        actor=archive.case_worker, municipality=archive.municipality, case_file=case_file
    )
    assert WriteOff.objects.get(registry_entry=entry).method == "SA"
