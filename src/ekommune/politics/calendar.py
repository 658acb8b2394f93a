"""A body's meetings as an iCalendar feed (RFC 5545), for calendar apps to subscribe to."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import icalendar
from django.utils import timezone

from ekommune.core.models import Municipality
from ekommune.politics import selectors
from ekommune.politics.models import Body, Meeting
from ekommune.politics.types import PublicItem

PRODUCT_ID = "-//ekommune//Politiske møter//NB"


def body_calendar(
    *,
    municipality: Municipality,
    body: Body,
    meetings: Iterable[Meeting],
    agendas: Mapping[int, Sequence[PublicItem]],
    base_url: str,
) -> bytes:
    """One VEVENT per meeting: stable UID, time, place, status, the agenda (screened titles, as on
    the pages) and the meeting page's URL."""
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
        agenda = agendas.get(meeting.pk, ())
        if agenda:
            event.add("description", "\n".join(f"Sak {item.number}: {item.title}" for item in agenda))
        cal.add_component(event)
    return cal.to_ical()
