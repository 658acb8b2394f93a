"""Meetings (møter): schedule, summon (innkalling), attendance (oppmøte), video, held (avholdt)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from ekommune.core.errors import ValidationError
from ekommune.core.models import Municipality
from ekommune.core.services import Actor, tenant_object_check, tenant_row_lock
from ekommune.politics import selectors, tasks
from ekommune.politics.models import Attendance, Body, Meeting
from ekommune.politics.services.common import audit, clean, save, secretariat_require, touch
from ekommune.politics.types import AttendanceInput, MeetingRuleError


def meeting_schedule(
    *,
    actor: Actor,
    municipality: Municipality,
    body: Body,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    place: str,
    video_url: str = "",
) -> Meeting:
    """Put a meeting in the body's calendar (status planned)."""
    secretariat_require(actor, municipality)
    tenant_object_check(body, municipality=municipality, field="body")
    if ends_at <= starts_at:
        raise ValidationError("Møtet må slutte etter at det starter.", code="invalid_period", field="ends_at")
    meeting = Meeting(
        municipality=municipality,
        body=body,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        video_url=video_url,
    )
    clean(meeting, exclude=["municipality", "body"])
    with transaction.atomic():
        save(meeting, "Utvalget har allerede et møte på dette tidspunktet.", "starts_at")
        audit(actor, municipality, "meeting.schedule", meeting, body=body.pk, starts_at=starts_at.isoformat())
    return meeting


def meeting_summon(*, actor: Actor, municipality: Municipality, meeting: Meeting) -> Meeting:
    """Send the summons (innkalling) with the agenda to the body's members and to subscribers
    (``tasks.meeting_summons_send``, once the transaction has committed)."""
    secretariat_require(actor, municipality)
    with transaction.atomic():
        locked = tenant_row_lock(Meeting, pk=meeting.pk, municipality=municipality)
        if locked.status != Meeting.Status.PLANNED:
            raise MeetingRuleError("Møtet er allerede innkalt.", code="already_summoned")
        if not locked.items.exists():
            raise MeetingRuleError("Sakskartet er tomt.", code="empty_agenda")
        locked.status, locked.summoned_at = Meeting.Status.SUMMONED, timezone.now()
        locked.save(update_fields=["status", "summoned_at"])
        touch(municipality=municipality, meeting_ids=[locked.pk])
        audit(actor, municipality, "meeting.summon", locked)
        meeting_pk = locked.pk
        transaction.on_commit(lambda: tasks.meeting_summons_send.enqueue(meeting_id=meeting_pk), robust=True)
    return locked


def meeting_video_set(
    *, actor: Actor, municipality: Municipality, meeting: Meeting, video_url: str
) -> Meeting:
    """The recording (or live stream) of the meeting."""
    secretariat_require(actor, municipality)
    with transaction.atomic():
        locked = tenant_row_lock(Meeting, pk=meeting.pk, municipality=municipality)
        locked.video_url = video_url
        clean(locked, exclude=["municipality", "body"])
        locked.save(update_fields=["video_url"])
        touch(municipality=municipality, meeting_ids=[locked.pk])
        audit(actor, municipality, "meeting.video_set", locked)
    return locked


def _attendance_check(
    municipality: Municipality, meeting: Meeting, attendance: Sequence[AttendanceInput]
) -> None:
    """Known statuses; everyone named holds a seat in the body on the day; each once; only a deputy
    who met may meet for another member."""
    day = timezone.localdate(meeting.starts_at)
    seated = {
        seat.person.pk
        for seat in selectors.members_of_body(municipality=municipality, body=meeting.body, on=day)
    }
    seen: set[int] = set()
    for row in attendance:
        if row.status not in Attendance.Status.values:
            raise ValidationError(
                f"Ukjent oppmøtestatus {row.status!r}.", code="invalid_code", field="attendance"
            )
        for person in (row.person, row.substitute_for):
            if person is not None and (person.municipality_id != municipality.pk or person.pk not in seated):
                raise ValidationError(
                    f"{person.name} har ikke sete i {meeting.body.name} på møtedagen.",
                    code="not_a_member",
                    field="attendance",
                )
        if row.person.pk in seen:
            raise ValidationError(
                f"{row.person.name} er ført opp to ganger.", code="duplicate", field="attendance"
            )
        seen.add(row.person.pk)
        if row.substitute_for is not None and (
            row.status != Attendance.Status.PRESENT or row.substitute_for.pk == row.person.pk
        ):
            raise ValidationError(
                "Bare en vararepresentant som møtte, kan møte for et annet medlem.",
                code="invalid_substitute",
                field="attendance",
            )


def meeting_attendance_record(
    *, actor: Actor, municipality: Municipality, meeting: Meeting, attendance: Sequence[AttendanceInput]
) -> list[Attendance]:
    """Oppmøte at a summoned or held meeting; replaces what was recorded before. Everyone named must
    hold a seat (member or deputy) in the body on the day of the meeting."""
    secretariat_require(actor, municipality)
    tenant_object_check(meeting, municipality=municipality, field="meeting")
    _attendance_check(municipality, meeting, attendance)
    with transaction.atomic():
        locked = tenant_row_lock(Meeting, pk=meeting.pk, municipality=municipality)
        if locked.status not in {Meeting.Status.SUMMONED, Meeting.Status.HELD}:
            raise MeetingRuleError(
                "Oppmøte føres for innkalte og avholdte møter.", code="attendance_not_open"
            )
        Attendance.objects.filter(municipality=municipality, meeting=locked).delete()
        rows = Attendance.objects.bulk_create(
            Attendance(
                municipality=municipality,
                meeting=locked,
                person=row.person,
                status=row.status,
                substitute_for=row.substitute_for,
            )
            for row in attendance
        )
        audit(
            actor,
            municipality,
            "meeting.attendance_record",
            locked,
            present=sum(row.status == Attendance.Status.PRESENT for row in attendance),
            absent=sum(row.status == Attendance.Status.ABSENT for row in attendance),
        )
    return rows


def meeting_hold(*, actor: Actor, municipality: Municipality, meeting: Meeting) -> Meeting:
    """Mark a summoned meeting as held (avholdt)."""
    secretariat_require(actor, municipality)
    with transaction.atomic():
        locked = tenant_row_lock(Meeting, pk=meeting.pk, municipality=municipality)
        if locked.status != Meeting.Status.SUMMONED:
            raise MeetingRuleError("Bare et innkalt møte kan avholdes.", code="not_summoned")
        locked.status = Meeting.Status.HELD
        locked.save(update_fields=["status"])
        touch(municipality=municipality, meeting_ids=[locked.pk])
        audit(actor, municipality, "meeting.hold", locked)
    return locked
