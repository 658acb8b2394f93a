"""A body's meetings as an iCalendar feed (RFC 5545), for calendar apps to subscribe to."""

from __future__ import annotations

from collections.abc import Iterable

import icalendar
from django.utils import timezone

from ekommune.core.models import Municipality
from ekommune.politics import selectors
from ekommune.politics.models import Body, Meeting

PRODUCT_ID = "-//ekommune//Politiske møter//NB"


def body_calendar(
    *, municipality: Municipality, body: Body, meetings: Iterable[Meeting], base_url: str
) -> bytes:
    """One VEVENT per meeting: stable UID, time in UTC, place, status, and the meeting page's URL."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODUCT_ID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{body.name} – {municipality.name}")
    stamp = timezone.now()
    root = base_url.rstrip("/")
    for meeting in meetings:
        event = icalendar.Event()
        event.add("uid", f"meeting-{meeting.pk}@{municipality.slug}.ekommune")
        event.add("dtstamp", stamp)
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.ends_at)
        event.add("summary", f"Møte i {body.name}")
        event.add("location", meeting.place)
        event.add("status", "CONFIRMED" if meeting.status != Meeting.Status.PLANNED else "TENTATIVE")
        event.add("url", f"{root}{selectors.path('meeting', meeting.pk)}")
        cal.add_component(event)
    return cal.to_ical()
