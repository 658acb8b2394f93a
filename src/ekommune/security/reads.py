"""The read review's view of the read log (decision 0226): a week's sample, the reads about one
person, each read flagged when it is outside the reader's own cases and unit. Below both services
(which record a review of the sample) and selectors (which show it)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ekommune.archive import selectors as archive_selectors
from ekommune.core import selectors as core_selectors
from ekommune.core.models import AuditEvent, Municipality, User
from ekommune.core.services import Actor
from ekommune.security.types import PersonReads, ReadWeek, ReviewedRead

READ_SAMPLE_SIZE = 25
PERSON_READS_LIMIT = 1000


def this_week() -> dt.date:
    """The Monday of the current week."""
    today = timezone.localdate()
    return today - dt.timedelta(days=today.weekday())


def week_bounds(week_start: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The week from Monday 00:00 to the next Monday, in the installation's time zone."""
    start = timezone.make_aware(dt.datetime.combine(week_start, dt.time.min))
    return start, start + dt.timedelta(days=7)


def read_week(
    *, actor: Actor, municipality: Municipality, week_start: dt.date, size: int = READ_SAMPLE_SIZE
) -> ReadWeek:
    """A week's random sample of reads (the same each time it is asked for), each flagged when
    it is outside the reader's own cases and unit; and how many reads the week holds."""
    since, until = week_bounds(week_start)
    sample = core_selectors.read_events_sample(
        actor=actor, municipality=municipality, since=since, until=until, size=size
    )
    total = core_selectors.read_events(
        actor=actor, municipality=municipality, since=since, until=until
    ).count()
    return ReadWeek(week_start=week_start, reads_in_week=total, sample=_reviewed(municipality, sample))


def person_reads(
    *, actor: Actor, municipality: Municipality, national_identity_number: str = "", name: str = ""
) -> PersonReads:
    """Who has read data about a person (the data subject's right of access, GDPR art. 15): the
    reads of the cases in which the person, by national identity number or name, is a
    correspondence party (a citizen's submissions are archived with the citizen as sender)."""
    cases = archive_selectors.party_cases(
        actor=actor, municipality=municipality, national_identity_number=national_identity_number, name=name
    )
    if not cases:
        return PersonReads(case_numbers=[], reads=[])
    events = core_selectors.read_events(
        actor=actor, municipality=municipality, case_files=[case.case_file for case in cases]
    )
    return PersonReads(
        case_numbers=[case.case_number for case in cases],
        reads=_reviewed(municipality, list(events[:PERSON_READS_LIMIT])),
    )


def _reviewed(municipality: Municipality, events: list[AuditEvent]) -> list[ReviewedRead]:
    """The events as review lines, flagged: a read is the reader's own when the reader is among the
    case's handlers (saksansvarlig, saksbehandler, the one a submission is assigned to) by user
    name or full name, or when the case's unit is one of the units of the cases the reader handles."""
    readers = {
        user.pk: user for user in User.objects.filter(pk__in={e.actor_id for e in events if e.actor_id})
    }
    names: dict[int, set[str]] = {
        pk: {user.get_username(), user.get_full_name()} - {""} for pk, user in readers.items()
    }
    units = {
        pk: archive_selectors.handler_units(municipality=municipality, names=user_names)
        for pk, user_names in names.items()
    }
    lines = []
    for event in events:
        detail = event.detail or {}
        own_names = names.get(event.actor_id or 0, set())
        own = bool(own_names & set(detail.get("handlers", []))) or (
            bool(detail.get("unit")) and detail.get("unit") in units.get(event.actor_id or 0, set())
        )
        reader = readers.get(event.actor_id or 0)
        lines.append(
            ReviewedRead(
                occurred_at=event.occurred_at,
                reader=(reader.get_full_name() or reader.get_username()) if reader else event.actor_label,
                reader_id=event.actor_id,
                kind=event.object_type,
                object_id=event.object_id,
                purpose=str(detail.get("purpose", "")),
                case_file=str(detail.get("case_file", "")),
                via=str(detail.get("via", "")),
                unit=str(detail.get("unit", "")),
                flagged=not own,
            )
        )
    return lines
