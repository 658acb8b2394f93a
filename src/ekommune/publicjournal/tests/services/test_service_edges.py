"""Edges of the public journal's services and selectors: batches, the yearly case, wrong input."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from ekommune.archive import selectors as archive_selectors
from ekommune.archive import services as archive_services
from ekommune.archive.tests.factories import archive_for
from ekommune.core.errors import ConflictError, NotFoundError, ValidationError
from ekommune.core.tests.factories import MunicipalityFactory, host_client
from ekommune.publicjournal import selectors, services
from ekommune.publicjournal.models import AccessRequest, PublishedEntry
from ekommune.publicjournal.tests.factories import entry_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def journal():
    archive = archive_for(MunicipalityFactory.create(host="pj-kant.test"))
    archive.entries = [entry_in(archive, f"Brev nummer {n}") for n in range(3)]
    services.publication_refresh(municipality=archive.municipality, batch_size=1)
    services.access_request_settings_set(
        actor=archive.records_manager, municipality=archive.municipality, intake_user=archive.records_manager
    )
    return archive


def test_refresh_in_small_batches_publishes_everything(journal):
    assert PublishedEntry.objects.filter(municipality=journal.municipality).count() == 3
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    assert host_client("pj-kant.test").get("/api/journal/", {"til": yesterday}).json()["count"] == 0


def test_counts_stop_at_the_limit_and_say_so(journal, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_LIMIT", 2)
    client = host_client("pj-kant.test")
    result = client.get("/api/journal/", {"antall": 1}).json()
    assert (result["count"], result["countCapped"], result["sider"]) == (2, True, 2)
    assert "av over 2 journalposter" in client.get("/journal/").content.decode()
    assert (
        client.get("/api/journal/", {"sak": journal.entries[0].case_file.file_id}).json()["countCapped"]
        is False
    )


def test_requests_of_one_year_share_one_case_and_answers_check_their_input(journal):
    first = services.access_request_submit(
        municipality=journal.municipality,
        email="a@example.org",
        entry_ids=[str(journal.entries[0].system_id)],
    )
    second = services.access_request_submit(
        municipality=journal.municipality,
        email="b@example.org",
        entry_ids=[str(journal.entries[1].system_id)],
    )
    assert first.case_system_id == second.case_system_id
    case_file = archive_selectors.case_file_by_system_id(
        actor=journal.case_worker, municipality=journal.municipality, system_id=first.case_system_id
    )
    assert case_file is not None
    assert case_file.primary_class_id is not None  # depositable (decision 0143)
    with pytest.raises(ValidationError) as error:
        services.access_request_decide(
            actor=journal.case_worker, municipality=journal.municipality, request=first, decision="kanskje"
        )
    assert error.value.field == "decision"
    stranger = archive_for(MunicipalityFactory.create())
    with pytest.raises(NotFoundError):
        services.access_request_decide(
            actor=stranger.case_worker,
            municipality=stranger.municipality,
            request=first,
            decision="innvilget",
        )
    with pytest.raises(NotFoundError):
        selectors.access_request_file(
            municipality=journal.municipality, token=first.token, object_system_id=uuid.uuid4()
        )
    assert AccessRequest.objects.filter(status="mottatt").count() == 2


def test_without_an_open_series_requests_are_refused_with_a_reason(journal):
    archive_services.series_close(
        actor=journal.records_manager,
        municipality=journal.municipality,
        series=journal.series,
        period_end=dt.date.today(),
    )
    with pytest.raises(ConflictError) as error:
        services.access_request_submit(
            municipality=journal.municipality,
            email="a@example.org",
            entry_ids=[str(journal.entries[0].system_id)],
        )
    assert error.value.code == "no_open_series"


def _next_series(journal, classification_system=None):
    """Close the journal's series and open another (unclassified, or with the given scheme)."""
    archive_services.series_close(
        actor=journal.records_manager,
        municipality=journal.municipality,
        series=journal.series,
        period_end=dt.date.today(),
    )
    return archive_services.series_create(
        actor=journal.records_manager,
        municipality=journal.municipality,
        fonds=journal.fonds,
        title="Neste arkivdel",
        classification_system=classification_system,
    )


def test_in_an_unclassified_series_the_yearly_case_has_no_class(journal):
    _next_series(journal)
    request = services.access_request_submit(
        municipality=journal.municipality,
        email="a@example.org",
        entry_ids=[str(journal.entries[0].system_id)],
    )
    case_file = archive_selectors.case_file_by_system_id(
        actor=journal.case_worker, municipality=journal.municipality, system_id=request.case_system_id
    )
    assert case_file is not None
    assert case_file.primary_class_id is None


def test_a_scheme_without_classes_refuses_the_request_and_stores_nothing(journal):
    empty = archive_services.classification_system_create(
        actor=journal.records_manager,
        municipality=journal.municipality,
        title="Tom arkivnøkkel",
        classification_type="KK",
        classes=[],
    )
    _next_series(journal, classification_system=empty)
    with pytest.raises(ValidationError, check=lambda error: error.code == "class_required"):
        services.access_request_submit(
            municipality=journal.municipality,
            email="a@example.org",
            entry_ids=[str(journal.entries[0].system_id)],
        )
    assert not AccessRequest.objects.filter(municipality=journal.municipality).exists()
