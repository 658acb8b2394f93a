"""The public journal's full text read by a logged-in member of staff is logged (decision 0226);
the public's reads of the same published text are not personal reads by staff."""

from __future__ import annotations

import pytest

from ekommune.core.models import AuditEvent
from ekommune.core.tests.factories import host_client
from ekommune.publicjournal import services
from ekommune.publicjournal.models import PublishedEntry
from ekommune.publicjournal.tests.views.test_public_pages import journal  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_staff_reading_the_full_text_is_logged_and_the_public_is_not(journal) -> None:  # noqa: F811
    services.publication_policy_set(
        actor=journal.records_manager, municipality=journal.municipality, full_text_enabled=True
    )
    services.publication_refresh(municipality=journal.municipality)
    entry = PublishedEntry.objects.get(title="Melding om hull i vegen")
    url = f"/journal/{entry.system_id}/dokument/{entry.documents[0]['system_id']}/"
    reads = AuditEvent.objects.filter(chain_key=journal.municipality.pk, action="read.document_file")
    assert host_client("pj-aust.test").get(url).status_code == 200
    assert not reads.exists()
    assert host_client("pj-aust.test", journal.case_worker).get(url).status_code == 200
    [event] = reads
    assert event.actor_id == journal.case_worker.pk
    assert event.object_id == entry.documents[0]["file"]
    assert event.detail["via"] == "journal"
    assert event.detail["purpose"] == f"{entry.case_year}/{entry.case_sequence}"
