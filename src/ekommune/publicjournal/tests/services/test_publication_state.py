"""The publication state the refresh keeps for the pages: units and sitemap pages (decision 0180)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ekommune.archive.tests.factories import archive_for, case_for
from ekommune.core.tests.factories import MunicipalityFactory
from ekommune.publicjournal import selectors, services
from ekommune.publicjournal.models import PublicationState, PublishedEntry
from ekommune.publicjournal.services import publication
from ekommune.publicjournal.tests.factories import entry_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(monkeypatch):
    monkeypatch.setattr(publication, "SITEMAP_ENTRIES_PER_PAGE", 2)
    return archive_for(MunicipalityFactory.create())


def state_of(archive) -> PublicationState:
    return PublicationState.objects.get(municipality=archive.municipality)


def sitemap_starts_counted(archive) -> list[int]:
    ids = list(
        PublishedEntry.objects.filter(municipality=archive.municipality)
        .order_by("id")
        .values_list("id", flat=True)
    )
    return ids[::2]


def test_no_state_before_the_first_publication(archive):
    assert selectors.publication_state(municipality=archive.municipality) is None
    assert selectors.public_entries_for_sitemap(municipality=archive.municipality, state=None, page=1) == []
    assert selectors.public_entries_for_sitemap(municipality=archive.municipality, state=None, page=2) is None


def test_a_full_refresh_writes_units_and_sitemap_pages(archive):
    for n in range(5):
        entry_in(archive, f"Brev {n}")
    services.publication_refresh(municipality=archive.municipality)
    state = state_of(archive)
    assert state.sitemap_starts == sitemap_starts_counted(archive)
    assert len(state.sitemap_starts) == 3
    assert state.administrative_units == sorted(
        set(
            PublishedEntry.objects.exclude(administrative_unit="").values_list(
                "administrative_unit", flat=True
            )
        )
    )
    pages = [
        selectors.public_entries_for_sitemap(municipality=archive.municipality, state=state, page=page)
        for page in (1, 2, 3)
    ]
    assert [len(rows or []) for rows in pages] == [2, 2, 1]
    assert (
        selectors.public_entries_for_sitemap(municipality=archive.municipality, state=state, page=4) is None
    )


def test_an_incremental_refresh_reads_only_the_tail_and_ends_where_a_full_one_would(archive):
    entry_in(archive, "Første brev")
    services.publication_refresh(municipality=archive.municipality)
    began = timezone.now()
    other_unit = case_for(archive, "Ny sak", administrative_unit="Kultur")
    for n in range(4):
        entry_in(archive, f"Senere brev {n}", case_file=other_unit if n == 0 else None)
    services.publication_refresh(municipality=archive.municipality, since=began)
    incremental = state_of(archive)
    assert incremental.sitemap_starts == sitemap_starts_counted(archive)
    units = list(incremental.administrative_units)
    assert "Kultur" in units
    services.publication_refresh(municipality=archive.municipality)
    assert state_of(archive).sitemap_starts == incremental.sitemap_starts
    assert state_of(archive).administrative_units == units


def test_a_refresh_that_changes_nothing_keeps_the_moment_of_the_last_change(archive):
    entry_in(archive, "Brev")
    services.publication_refresh(municipality=archive.municipality)
    changed = state_of(archive).changed_at
    services.publication_refresh(
        municipality=archive.municipality, since=timezone.now() + dt.timedelta(hours=1)
    )
    assert state_of(archive).changed_at == changed


def test_removing_entries_counts_the_pages_and_units_anew(archive):
    services.publication_policy_set(
        actor=archive.records_manager, municipality=archive.municipality, publish_internal_notes=True
    )
    notes = case_for(archive, "Internt", administrative_unit="Kultur")
    for n in range(2):
        entry_in(archive, f"Notat {n}", entry_type="X", case_file=notes)
    for n in range(3):
        entry_in(archive, f"Brev {n}")
    services.publication_refresh(municipality=archive.municipality)
    assert len(state_of(archive).sitemap_starts) == 3
    assert "Kultur" in state_of(archive).administrative_units
    services.publication_policy_set(
        actor=archive.records_manager, municipality=archive.municipality, publish_internal_notes=False
    )
    services.publication_refresh(municipality=archive.municipality)
    assert state_of(archive).sitemap_starts == sitemap_starts_counted(archive)
    assert len(state_of(archive).sitemap_starts) == 2
    assert "Kultur" not in state_of(archive).administrative_units
