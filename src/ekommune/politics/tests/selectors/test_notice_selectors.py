"""Reads for the notice tasks and the search snapshot: only confirmed subscriptions of the
municipality, and an entry the public journal does not publish counts as screened."""

from __future__ import annotations

import uuid

import pytest
from django.utils import timezone

from ekommune.archive.tests.factories import case_for
from ekommune.core.tests.factories import MunicipalityFactory
from ekommune.politics import selectors, services
from ekommune.politics.tests.factories import body_for, item_for, meeting_for, politics_for
from ekommune.publicjournal.screening import MARKER

pytestmark = pytest.mark.django_db


def _subscribe(politics, email: str, *, confirmed: bool = True, **what):
    subscription = services.subscription_create(municipality=politics.municipality, email=email, **what)
    if confirmed:
        subscription.confirmed_at = timezone.now()
        subscription.save()
    return subscription


def test_notices_go_to_confirmed_subscribers_of_the_case_or_body_in_the_municipality() -> None:
    politics = politics_for(MunicipalityFactory.create())
    fsk = body_for(politics, "Formannskapet", "FSK", "formannskap")
    kst = body_for(politics, "Kommunestyret", "KST", "kommunestyre")
    meeting = meeting_for(politics, fsk)
    item = item_for(politics, meeting, case_for(politics.archive, "IT-strategi 2013-2016"))
    by_body = _subscribe(politics, "utvalg@example.org", body=fsk)
    by_case = _subscribe(politics, "sak@example.org", case_number=item.case_number)
    _subscribe(politics, "ubekreftet@example.org", body=fsk, confirmed=False)
    _subscribe(politics, "annet-utvalg@example.org", body=kst)
    other = politics_for(MunicipalityFactory.create())
    _subscribe(other, "nabo@example.org", body=body_for(other, "Formannskapet", "FSK", "formannskap"))

    assert selectors.item_subscribers(municipality=politics.municipality, item=item) == [by_body, by_case]
    assert selectors.meeting_subscribers(
        municipality=politics.municipality, meeting=meeting, case_numbers=[item.case_number]
    ) == [by_body, by_case]
    assert selectors.meeting_for_notice(meeting_id=meeting.pk) == meeting
    assert selectors.item_for_notice(item_id=item.pk) == item


def test_an_entry_the_public_journal_does_not_publish_is_screened_in_the_search_snapshot() -> None:
    politics = politics_for(MunicipalityFactory.create())
    meeting = meeting_for(politics, body_for(politics, "Formannskapet", "FSK", "formannskap"))
    item = item_for(politics, meeting, case_for(politics.archive, "IT-strategi 2013-2016"))
    unknown = uuid.uuid4()
    titles = selectors.screened_titles(
        municipality=politics.municipality, system_ids=[item.presentation_system_id, unknown]
    )
    assert titles[item.presentation_system_id] == ("IT-strategi 2013-2016", False)
    assert titles[unknown] == (MARKER, True)
