"""The demo's week of reads: logged through the archive, sampled and flagged on the review page."""

from __future__ import annotations

import pytest

from ekommune.core.demo import demo_load
from ekommune.core.models import Municipality, User
from ekommune.core.tests.factories import host_client
from ekommune.security import selectors

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_demo_has_reads_to_sample_and_one_reader_outside_own_cases(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    created = demo_load()
    assert any(line.startswith("read log of Fjordvik kommune") for line in created)
    fjordvik = Municipality.objects.get(slug="fjordvik")
    admin = User.objects.get(username="fjordvik.admin")
    week = selectors.read_week(actor=admin, municipality=fjordvik, week_start=selectors.this_week())
    assert week.reads_in_week >= 10
    flagged = {read.reader for read in week.sample if read.flagged}
    assert "Per Johansen" in flagged  # the political secretary reads cases of others
    page = host_client("fjordvik.localhost", admin).get("/ansatt/sikkerhet/lesing/")
    assert page.status_code == 200
    assert not any(line.startswith("read log") for line in demo_load())  # idempotent
