"""The publication table: filled through the screening, honouring the delay, kept in step."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from ekommune.archive import services as archive_services
from ekommune.archive.tests.factories import archive_for, case_for
from ekommune.core.tests.factories import MunicipalityFactory
from ekommune.publicjournal import services, tasks
from ekommune.publicjournal.models import PublishedEntry
from ekommune.publicjournal.screening import MARKER
from ekommune.publicjournal.tests.factories import entry_in

pytestmark = pytest.mark.django_db


def test_refresh_publishes_only_the_screened_form_with_what_paragraph_6_asks() -> None:
    archive = archive_for(MunicipalityFactory.create())
    entry = entry_in(archive, "Klage fra Ola Nordmann", screened=["NA"])
    result = services.publication_refresh(municipality=archive.municipality)
    assert (result.published, result.removed, result.waiting) == (1, 0, 0)
    row = PublishedEntry.objects.get(system_id=entry.system_id)
    assert row.title == f"Klage fra {MARKER}"
    assert row.parties == [{"name": MARKER, "role": "avsender"}]
    assert row.party_names == ""
    assert row.legal_bases == ["Offl. § 13 jf. fvl. § 13"]
    assert row.is_screened
    assert row.case_number == entry.case_file.file_id
    assert row.registration_id == f"{entry.case_file.file_id}-1"
    assert row.journal_number == entry.journal_number
    assert (row.journal_sequence_number, row.journal_year) == (
        entry.journal_sequence_number,
        entry.journal_year,
    )
    assert row.documents[0]["title"] == "Brev"
    assert row.documents[0]["file"] is None  # full text is off by default
    assert row.administrative_unit == "Oppvekst"


def test_the_delay_keeps_an_entry_out_until_its_time() -> None:
    archive = archive_for(MunicipalityFactory.create())
    services.publication_policy_set(
        actor=archive.records_manager, municipality=archive.municipality, delay_hours=2
    )
    entry = entry_in(archive, "Søknad om dispensasjon")
    assert services.publication_refresh(municipality=archive.municipality).waiting == 1
    assert not PublishedEntry.objects.exists()
    later = timezone.now() + dt.timedelta(hours=2, minutes=1)
    result = services.publication_refresh(
        municipality=archive.municipality, since=later - dt.timedelta(minutes=10), now=later
    )
    assert result.published == 1
    assert PublishedEntry.objects.get().system_id == entry.system_id


def test_an_entry_screened_later_or_made_exempt_leaves_the_journal() -> None:
    archive = archive_for(MunicipalityFactory.create())
    kept = entry_in(archive, "Melding om hull i vegen")
    secret = entry_in(archive, "Rapport om sikring", restriction="SF")
    draft = archive_services.registry_entry_register(
        actor=archive.case_worker,
        municipality=archive.municipality,
        case_file=case_for(archive),
        entry_type="U",
        title="Utkast til svar",
        status="R",
    )
    services.publication_refresh(municipality=archive.municipality)
    assert set(PublishedEntry.objects.values_list("system_id", flat=True)) == {kept.system_id}
    # A row that is no longer public (here: planted as if published earlier) goes at the next refresh.
    row = PublishedEntry.objects.get()
    for system_id in (secret.system_id, draft.system_id):
        row.pk, row.system_id = None, system_id
        row.save()
    assert (
        services.publication_refresh(municipality=archive.municipality, system_ids=[secret.system_id]).removed
        == 1
    )
    assert services.publication_refresh(municipality=archive.municipality).removed == 1
    assert PublishedEntry.objects.count() == 1


def test_title_changes_reach_the_journal_at_the_next_refresh() -> None:
    archive = archive_for(MunicipalityFactory.create())
    entry = entry_in(archive, "Søknad om skjenkebevilling")
    services.publication_refresh(municipality=archive.municipality)
    archive_services.registry_entry_update_title(
        actor=archive.case_worker,
        municipality=archive.municipality,
        entry=entry,
        title="Søknad om skjenkeløyve",
    )
    services.publication_refresh(
        municipality=archive.municipality, since=timezone.now() - dt.timedelta(minutes=5)
    )
    assert PublishedEntry.objects.get().title == "Søknad om skjenkeløyve"


def test_each_municipality_gets_only_its_own_entries() -> None:
    first, second = archive_for(MunicipalityFactory.create()), archive_for(MunicipalityFactory.create())
    entry_in(first, "Første kommunes brev")
    entry_in(second, "Andre kommunes brev")
    services.publication_refresh(municipality=first.municipality)
    assert list(PublishedEntry.objects.values_list("title", flat=True)) == ["Første kommunes brev"]


def test_the_refresh_command_and_task(settings: object) -> None:
    archive = archive_for(MunicipalityFactory.create(slug="pj-kommandotest"))
    entry_in(archive, "Brev om veglys")
    out = StringIO()
    call_command("publicjournal", "refresh", "--municipality", "pj-kommandotest", stdout=out)
    assert "pj-kommandotest: 1 published, 0 removed" in out.getvalue()
    call_command("publicjournal", "refresh", "--since-minutes", "30", stdout=out)
    with pytest.raises(CommandError):
        call_command("publicjournal", "refresh", "--municipality", "finnes-ikke")
    with pytest.raises(CommandError):
        call_command("publicjournal", "refresh", "--since-minutes", "0")
    totals = tasks.publication_refresh_all.enqueue(since_minutes=30).return_value
    assert totals["published"] >= 1
    assert tasks.publication_refresh_all.enqueue().return_value["removed"] == 0
