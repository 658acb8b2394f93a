"""A body's page and its iCalendar feed show a year back and all ahead, whatever ten years of
meetings lie behind (issue 29, decision 0182); older meetings stay in the list by year."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ekommune.core.tests.factories import MunicipalityFactory, host_client
from ekommune.politics.tests.factories import meeting_for
from ekommune.politics.tests.scenario import political_year

pytestmark = pytest.mark.django_db


def test_old_meetings_leave_the_body_page_and_calendar_but_not_the_year_list() -> None:
    year = political_year(MunicipalityFactory.create(slug="fjordvik", host="fjordvik.test"))
    fsk = year.politics.bodies["FSK"]
    old = meeting_for(year.politics, fsk, timezone.now() - dt.timedelta(days=800))
    client = host_client("fjordvik.test")
    old_link = f"/politikk/moter/{old.pk}/"
    recent_link = f"/politikk/moter/{year.meetings[1].pk}/"

    page = client.get(f"/politikk/utvalg/{fsk.pk}/").content.decode()
    assert recent_link in page
    assert old_link not in page
    calendar = client.get(f"/politikk/utvalg/{fsk.pk}/moter.ics").content.decode()
    assert recent_link in calendar.replace("\r\n ", "")
    assert old_link not in calendar.replace("\r\n ", "")
    listed = client.get(f"/politikk/moter/?aar={timezone.localtime(old.starts_at).year}").content.decode()
    assert old_link in listed
