"""The politics demo, loaded by ``ekommune demo load`` after the other apps' demos; idempotent."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ekommune.archive import selectors as archive_selectors
from ekommune.core import selectors as core_selectors
from ekommune.core.demo import demo_load
from ekommune.core.models import Municipality
from ekommune.core.tests.factories import host_client
from ekommune.politics import selectors
from ekommune.politics.models import AgendaItem, Body, Meeting

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


def test_every_case_the_demo_opens_is_filed_under_a_class_so_its_series_can_be_deposited() -> None:
    demo_load()
    fjordvik = Municipality.objects.get(slug="fjordvik")
    secretary = core_selectors.user_active_by_username(username="fjordvik.politikk")
    series = archive_selectors.series_current(actor=secretary, municipality=fjordvik)
    assert series is not None
    assert series.classification_system_id is not None
    classes = {
        c.system_id: c.class_id for c in selectors.series_classes(municipality=fjordvik, series=series)
    }
    bodies = selectors.body_list(municipality=fjordvik)
    for body in bodies:
        minutes_case = archive_selectors.case_file_by_number(
            actor=secretary, municipality=fjordvik, case_number=body.minutes_case_number
        )
        assert classes[body.case_class_system_id] == "033"
        assert minutes_case.primary_class_id is not None
    case_ids = {item.case_system_id for item in AgendaItem.objects.filter(municipality=fjordvik)}
    assert (
        len(case_ids) == Meeting.objects.filter(municipality=fjordvik).count() + 1
    )  # routine cases, the strategy
    for system_id in case_ids:
        case_file = archive_selectors.case_file_by_system_id(
            actor=secretary, municipality=fjordvik, system_id=system_id
        )
        assert case_file is not None
        assert case_file.primary_class_id is not None, case_file.file_id
    # What the deposit export refuses (case_file_unclassified): a case of the series without a class.
    assert (
        archive_selectors.extraction_case_files(municipality=fjordvik, series_id=series.pk, class_id=None)
        == []
    )
