"""The politics demo, loaded by ``ekommune demo load`` after the other apps' demos; idempotent."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ekommune.core.demo import demo_load
from ekommune.core.models import Municipality
from ekommune.core.tests.factories import host_client
from ekommune.politics import selectors
from ekommune.politics.models import Body, Meeting

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_demo_has_a_term_three_bodies_a_year_of_meetings_and_the_it_strategy_path() -> None:
    created = demo_load()
    assert any(line.startswith("politics of Fjordvik kommune") for line in created)
    fjordvik = Municipality.objects.get(slug="fjordvik")
    assert Body.objects.filter(municipality=fjordvik).count() == 3
    meetings = Meeting.objects.filter(municipality=fjordvik)
    assert meetings.filter(starts_at__lt=timezone.now()).exists()
    assert meetings.filter(starts_at__gt=timezone.now(), status=Meeting.Status.PLANNED).exists()
    assert meetings.filter(status=Meeting.Status.MINUTES_APPROVED).count() >= 5
    case_number = next(
        item.case_number
        for item in selectors.item_list(municipality=fjordvik)
        if item.title == "IT-strategi 2013-2016"
    )
    history = selectors.case_history(municipality=fjordvik, case_number=case_number)
    assert [step.body_abbreviation for step in history] == ["ADM", "FSK", "KST"]
    assert [step.decision is not None and step.decision.provisional for step in history] == [
        False,
        False,
        True,
    ]
    assert history[2].decision is not None
    assert history[2].decision.tally() == {
        "for": 16,
        "mot": 4,
        "avstod": 1,
    }
    assert all(step.documents and step.documents[0].file_object_id for step in history)
    page = host_client("fjordvik.localhost").get(f"/politikk/saker/{case_number}/")
    assert page.status_code == 200

    assert not any(line.startswith("politics") for line in demo_load())  # idempotent
    assert Body.objects.filter(municipality=fjordvik).count() == 3
