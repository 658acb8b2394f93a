"""Publication needs nobody to press a button: the installation's schedule refreshes the journal."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from ekommune.archive.tests.factories import archive_for
from ekommune.core.tests.factories import MunicipalityFactory
from ekommune.publicjournal.models import PublishedEntry
from ekommune.publicjournal.tests.factories import entry_in

pytestmark = pytest.mark.django_db


def test_the_default_schedule_publishes_a_newly_registered_entry() -> None:
    archive = archive_for(MunicipalityFactory.create())
    entry = entry_in(archive, "Søknad om skjenkebevilling")
    assert not PublishedEntry.objects.exists()
    out = StringIO()
    call_command("schedule", "--once", stdout=out)  # the tests' task backend runs tasks at once
    assert "ekommune.publicjournal.tasks.publication_refresh_all" in out.getvalue()
    assert PublishedEntry.objects.get().system_id == entry.system_id
