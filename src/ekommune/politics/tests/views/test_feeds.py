"""The iCalendar feed per body and the Atom feed of decisions parse with their standard libraries."""

from __future__ import annotations

import feedparser
import icalendar
import pytest

from ekommune.core.tests.factories import MunicipalityFactory, host_client
from ekommune.politics.tests.scenario import political_year

pytestmark = pytest.mark.django_db


def test_each_body_has_an_icalendar_feed_of_its_meetings() -> None:
    year = political_year(MunicipalityFactory.create(slug="fjordvik", host="fjordvik.test"))
    fsk = year.politics.bodies["FSK"]
    response = host_client("fjordvik.test").get(f"/politikk/utvalg/{fsk.pk}/moter.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    meeting = year.meetings[1]
    assert event.decoded("dtstart") == meeting.starts_at
    assert event.decoded("dtend") == meeting.ends_at
    assert str(event["summary"]) == "Møte i Formannskapet"
    assert str(event["location"]) == "Kommunestyresalen"
    assert str(event["url"]) == f"http://fjordvik.test/politikk/moter/{meeting.pk}/"
    assert str(event["uid"]) == f"meeting-{meeting.pk}@fjordvik.ekommune"
    number = year.strategy_items[1].number
    assert str(event["description"]).splitlines() == [
        f"Sak {number}: IT-strategi 2013-2016",
        f"Sak {year.secret_item.number}: Tilskudd til ***** etter sykdom",
    ]


def test_the_calendar_links_keep_the_path_prefix_of_a_municipality_without_its_own_host() -> None:
    year = political_year(MunicipalityFactory.create(slug="fjordvik", host="fjordvik.test"))
    adm = year.politics.bodies["ADM"]
    response = host_client("localhost").get(f"/k/fjordvik/politikk/utvalg/{adm.pk}/moter.ics")
    event = next(iter(icalendar.Calendar.from_ical(response.content).walk("VEVENT")))
    assert str(event["url"]) == f"http://localhost/k/fjordvik/politikk/moter/{year.meetings[0].pk}/"


def test_the_atom_feed_lists_new_decisions_provisional_ones_marked() -> None:
    year = political_year(MunicipalityFactory.create(slug="fjordvik", host="fjordvik.test"))
    response = host_client("fjordvik.test").get("/politikk/vedtak.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    titles = [entry.title for entry in feed.entries]
    assert (
        titles[0]
        == "Kommunestyret 1/"
        + f"{year.meetings[2].starts_at.year % 100:02d}: IT-strategi 2013-2016 (foreløpig)"
    )
    assert len(titles) == 4
    closed = next(entry for entry in feed.entries if "*****" in entry.title)
    assert closed.summary == "Vedtaket er unntatt offentlighet."
    first = next(entry for entry in feed.entries if entry.title.startswith("Administrasjonsutvalget"))
    assert first.summary == "Administrasjonsutvalget slutter seg til strategien."
    assert first.title.endswith("(endelig)")
    assert (
        first.link
        == f"http://fjordvik.test/politikk/saker/{year.case_number}/#sak-{year.strategy_items[0].pk}"
    )
