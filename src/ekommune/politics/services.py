"""Every write of the politics app. Keyword-only, typed, one transaction each.

The political secretariat (``Permission.POLITICS_MANAGE``) manages bodies, members, meetings,
agendas, decisions and minutes; citizens only subscribe to notices. Case presentations and
minutes are registered in the archive through ``archive.services``; every change is audited.
Audit details and logs carry numbers and ids, never titles (a title may be screened).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import structlog
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import EmailMessage, mailers
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.utils import timezone

from ekommune.archive import selectors as archive_selectors
from ekommune.archive import services as archive_services
from ekommune.core import services as core_services
from ekommune.core.errors import ConflictError, NotFoundError, ValidationError
from ekommune.core.models import Municipality, User
from ekommune.core.permissions import Permission
from ekommune.core.services import Actor
from ekommune.politics import selectors
from ekommune.politics.errors import MeetingRuleError
from ekommune.politics.models import (
    Absence,
    AgendaItem,
    Amendment,
    Attendance,
    Body,
    Decision,
    Meeting,
    Membership,
    Minutes,
    Person,
    Subscription,
    Term,
    Vote,
)
from ekommune.publicjournal import selectors as publicjournal_selectors
from ekommune.publicjournal.screening import MARKER

logger = structlog.get_logger(__name__)

MINUTES_ADMINISTRATIVE_UNIT = "Politisk sekretariat"


# ------------------------------------------------------------------ helpers


def _require(actor: Actor, municipality: Municipality) -> str:
    core_services.permission_require(
        actor=actor, municipality=municipality, permission=Permission.POLITICS_MANAGE
    )
    assert isinstance(actor, User)
    return actor.get_full_name() or actor.get_username()


def _clean(instance: Any, *, exclude: list[str] | None = None) -> None:
    """Model validation as an ``ApplicationError`` naming the first failing field."""
    try:
        instance.full_clean(exclude=exclude, validate_constraints=False)
    except DjangoValidationError as exc:
        field, errors = next(iter(exc.error_dict.items()))
        message = " ".join(str(m) for error in errors for m in error.messages)
        raise ValidationError(message, code=errors[0].code or "invalid", field=field) from exc


def _save(instance: Any, conflict_message: str, field: str | None = None) -> None:
    """Save; a unique or check constraint refusing the row becomes a ``ConflictError``."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        raise ConflictError(conflict_message, code="conflict", field=field) from exc


def _same_municipality(obj: Any, municipality: Municipality, field: str) -> None:
    if obj.municipality_id != municipality.pk:
        raise NotFoundError("Fant ikke objektet i denne kommunen.", code="not_found", field=field)


def _audit(actor: Actor, municipality: Municipality, action: str, obj: Any, **detail: Any) -> None:
    core_services.audit_event_record(
        actor=actor,
        municipality=municipality,
        action=f"politics.{action}",
        object_type=type(obj)._meta.model_name or "",
        object_id=obj.pk,
        detail=detail,
    )


def _lock[M: Any](model: type[M], pk: int, municipality: Municipality) -> M:
    found = model._default_manager.select_for_update().filter(pk=pk, municipality=municipality).first()
    if found is None:
        raise NotFoundError("Fant ikke objektet i denne kommunen.", code="not_found")
    return found


# ------------------------------------------------------------------ terms, bodies, members


def term_create(
    *, actor: Actor, municipality: Municipality, name: str, starts_on: dt.date, ends_on: dt.date
) -> Term:
    """A council period (valgperiode)."""
    _require(actor, municipality)
    if ends_on <= starts_on:
        raise ValidationError(
            "Perioden må slutte etter at den starter.", code="invalid_period", field="ends_on"
        )
    term = Term(municipality=municipality, name=name.strip(), starts_on=starts_on, ends_on=ends_on)
    _clean(term, exclude=["municipality"])
    with transaction.atomic():
        _save(term, "Det finnes allerede en valgperiode med dette navnet.", "name")
        _audit(actor, municipality, "term.create", term, name=term.name)
    return term


def body_create(
    *,
    actor: Actor,
    municipality: Municipality,
    name: str,
    abbreviation: str,
    kind: str,
    series: Any,
    parent: Body | None = None,
    video_channel: str = "",
) -> Body:
    """A political body (utvalg), with a case in ``series`` (arkivdel) for its minutes (møtebøker)."""
    label = _require(actor, municipality)
    if kind not in Body.Kind.values:
        raise ValidationError(f"Ukjent type utvalg {kind!r}.", code="invalid_code", field="kind")
    if parent is not None:
        _same_municipality(parent, municipality, "parent")
    body = Body(
        municipality=municipality,
        name=name.strip(),
        abbreviation=abbreviation.strip().upper(),
        kind=kind,
        parent=parent,
        video_channel=video_channel,
        minutes_case_number="-",
    )
    _clean(body, exclude=["municipality", "parent"])
    with transaction.atomic():
        if Body.objects.filter(
            Q(name__iexact=body.name) | Q(abbreviation=body.abbreviation), municipality=municipality
        ).exists():
            raise ConflictError(
                "Det finnes allerede et utvalg med dette navnet eller forkortelsen.", field="name"
            )
        case_file = archive_services.case_file_create(
            actor=actor,
            municipality=municipality,
            series=series,
            title=f"Møtebøker – {body.name}",
            administrative_unit=MINUTES_ADMINISTRATIVE_UNIT,
            case_responsible=label,
        )
        body.minutes_case_number = case_file.file_id
        _save(body, "Det finnes allerede et utvalg med dette navnet eller forkortelsen.", "name")
        _audit(actor, municipality, "body.create", body, kind=kind, minutes_case=case_file.file_id)
    return body


def person_create(*, actor: Actor, municipality: Municipality, name: str, party: str, email: str) -> Person:
    """An elected member (folkevalgt) with party and public e-mail address."""
    _require(actor, municipality)
    person = Person(
        municipality=municipality, name=name.strip(), party=party.strip(), email=email.strip().lower()
    )
    _clean(person, exclude=["municipality"])
    with transaction.atomic():
        _save(person, "En folkevalgt med denne e-postadressen finnes allerede.", "email")
        _audit(actor, municipality, "person.create", person)
    return person


def membership_add(
    *,
    actor: Actor,
    municipality: Municipality,
    body: Body,
    person: Person,
    term: Term,
    role: str,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
) -> Membership:
    """A seat in a body for a term. One current leader and one current deputy leader per body and term."""
    _require(actor, municipality)
    for obj, field in ((body, "body"), (person, "person"), (term, "term")):
        _same_municipality(obj, municipality, field)
    if role not in Membership.Role.values:
        raise ValidationError(f"Ukjent rolle {role!r}.", code="invalid_code", field="role")
    starts = starts_on or term.starts_on
    if not term.starts_on <= starts <= term.ends_on:
        raise ValidationError(
            "Vervet må starte innenfor valgperioden.", code="outside_term", field="starts_on"
        )
    if ends_on is not None and ends_on < starts:
        raise ValidationError(
            "Vervet må slutte etter at det starter.", code="invalid_period", field="ends_on"
        )
    membership = Membership(
        municipality=municipality,
        body=body,
        person=person,
        term=term,
        role=role,
        starts_on=starts,
        ends_on=ends_on,
    )
    with transaction.atomic():
        _save(
            membership, "Utvalget har allerede en leder eller nestleder, eller vervet finnes fra før.", "role"
        )
        _audit(actor, municipality, "membership.add", membership, body=body.pk, person=person.pk, role=role)
    return membership


# ------------------------------------------------------------------ meetings and agendas


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
    _require(actor, municipality)
    _same_municipality(body, municipality, "body")
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
    _clean(meeting, exclude=["municipality", "body"])
    with transaction.atomic():
        _save(meeting, "Utvalget har allerede et møte på dette tidspunktet.", "starts_at")
        _audit(
            actor, municipality, "meeting.schedule", meeting, body=body.pk, starts_at=starts_at.isoformat()
        )
    return meeting


def agenda_item_add(
    *,
    actor: Actor,
    municipality: Municipality,
    meeting: Meeting,
    case_file: Any,
    title: str,
    recommendation: str = "",
    documents: Sequence[archive_services.DocumentInput] = (),
    public_title: str = "",
    screening: archive_services.ScreeningInput | None = None,
    is_public: bool = True,
    closed_basis: str = "",
) -> AgendaItem:
    """Put a case on the agenda (sakskart): registers the case presentation (journalpost S) in the
    archive case with its documents and screening, and numbers the item ``n/yy`` within the body."""
    _require(actor, municipality)
    _same_municipality(meeting, municipality, "meeting")
    if not is_public and not closed_basis.strip():
        raise ValidationError(
            "En lukket sak må ha hjemmel for lukking.", code="closed_basis_required", field="closed_basis"
        )
    with transaction.atomic():
        locked = _lock(Meeting, meeting.pk, municipality)
        if locked.status not in {Meeting.Status.PLANNED, Meeting.Status.SUMMONED}:
            raise MeetingRuleError("Møtet er avholdt; sakskartet kan ikke endres.", code="meeting_closed")
        body = _lock(Body, locked.body_id, municipality)  # serialises numbering within the body
        year = timezone.localtime(locked.starts_at).year
        last = AgendaItem.objects.filter(municipality=municipality, body=body, year=year).aggregate(
            last=Max("sequence")
        )["last"]
        presentation = archive_services.registry_entry_register(
            actor=actor,
            municipality=municipality,
            case_file=case_file,
            entry_type="S",
            title=title,
            public_title=public_title,
            documents=documents,
            screening=screening,
        )
        shown_title, screened = selectors.screened_title(
            municipality=municipality, system_id=presentation.system_id
        )
        item = AgendaItem.objects.create(
            municipality=municipality,
            meeting=locked,
            body=body,
            year=year,
            sequence=(last or 0) + 1,
            case_system_id=case_file.system_id,
            case_number=case_file.file_id,
            presentation_system_id=presentation.system_id,
            public_title=shown_title,
            presentation_screened=screened,
            recommendation=recommendation,
            is_public=is_public,
            closed_basis=closed_basis.strip(),
        )
        _audit(actor, municipality, "agenda_item.add", item, number=item.number, case=item.case_number)
    return item


def meeting_summon(*, actor: Actor, municipality: Municipality, meeting: Meeting) -> Meeting:
    """Send the summons (innkalling) with the agenda to the body's members and to subscribers."""
    _require(actor, municipality)
    with transaction.atomic():
        locked = _lock(Meeting, meeting.pk, municipality)
        if locked.status != Meeting.Status.PLANNED:
            raise MeetingRuleError("Møtet er allerede innkalt.", code="already_summoned")
        if not locked.items.exists():
            raise MeetingRuleError("Sakskartet er tomt.", code="empty_agenda")
        locked.status, locked.summoned_at = Meeting.Status.SUMMONED, timezone.now()
        locked.save(update_fields=["status", "summoned_at"])
        _audit(actor, municipality, "meeting.summon", locked)
        messages = _summons_messages(municipality, locked)
        transaction.on_commit(lambda: _send(messages), robust=True)
    return locked


def meeting_video_set(
    *, actor: Actor, municipality: Municipality, meeting: Meeting, video_url: str
) -> Meeting:
    """The recording (or live stream) of the meeting."""
    _require(actor, municipality)
    with transaction.atomic():
        locked = _lock(Meeting, meeting.pk, municipality)
        locked.video_url = video_url
        _clean(locked, exclude=["municipality", "body"])
        locked.save(update_fields=["video_url"])
        _audit(actor, municipality, "meeting.video_set", locked)
    return locked


@dataclass(frozen=True)
class AttendanceInput:
    """One person's attendance: ``status`` tilstede or forfall; a deputy present names the member."""

    person: Person
    status: str
    substitute_for: Person | None = None


def meeting_attendance_record(
    *, actor: Actor, municipality: Municipality, meeting: Meeting, attendance: Sequence[AttendanceInput]
) -> list[Attendance]:
    """Oppmøte at a summoned or held meeting; replaces what was recorded before. Everyone named must
    hold a seat (member or deputy) in the body on the day of the meeting."""
    _require(actor, municipality)
    _same_municipality(meeting, municipality, "meeting")
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
    with transaction.atomic():
        locked = _lock(Meeting, meeting.pk, municipality)
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
        _audit(
            actor,
            municipality,
            "meeting.attendance_record",
            locked,
            present=sum(row.status == Attendance.Status.PRESENT for row in attendance),
            absent=sum(row.status == Attendance.Status.ABSENT for row in attendance),
        )
    return rows


def agenda_item_video_set(
    *, actor: Actor, municipality: Municipality, item: AgendaItem, offset_seconds: int
) -> AgendaItem:
    """Where the item's debate starts in the meeting's recording."""
    _require(actor, municipality)
    if offset_seconds < 0:
        raise ValidationError("Tidspunktet kan ikke være negativt.", code="invalid", field="offset_seconds")
    with transaction.atomic():
        locked = _lock(AgendaItem, item.pk, municipality)
        locked.video_offset_seconds = offset_seconds
        locked.save(update_fields=["video_offset_seconds"])
        _audit(actor, municipality, "agenda_item.video_set", locked, seconds=offset_seconds)
    return locked


def meeting_hold(*, actor: Actor, municipality: Municipality, meeting: Meeting) -> Meeting:
    """Mark a summoned meeting as held (avholdt)."""
    _require(actor, municipality)
    with transaction.atomic():
        locked = _lock(Meeting, meeting.pk, municipality)
        if locked.status != Meeting.Status.SUMMONED:
            raise MeetingRuleError("Bare et innkalt møte kan avholdes.", code="not_summoned")
        locked.status = Meeting.Status.HELD
        locked.save(update_fields=["status"])
        _audit(actor, municipality, "meeting.hold", locked)
    return locked


# ------------------------------------------------------------------ decisions


@dataclass(frozen=True)
class VoteInput:
    """How a named member (``person``) or a party (``party`` with ``count`` votes) voted."""

    choice: str
    person: Person | None = None
    party: str = ""
    count: int = 1


@dataclass(frozen=True)
class AmendmentInput:
    proposed_by: str
    text: str
    adopted: bool = False
    votes_for: int | None = None
    votes_against: int | None = None


@dataclass(frozen=True)
class AbsenceInput:
    person: Person
    reason: str = Absence.Reason.ABSENT


def _check_votes(
    municipality: Municipality,
    unanimous: bool,
    votes: Sequence[VoteInput],
    absences: Sequence[AbsenceInput],
) -> None:
    if unanimous and votes:
        raise ValidationError(
            "Et enstemmig vedtak har ingen stemmetall.", code="unanimous_with_votes", field="votes"
        )
    if not unanimous and not votes:
        raise ValidationError(
            "Oppgi stemmene, eller at vedtaket var enstemmig.", code="votes_required", field="votes"
        )
    absent = {absence.person.pk for absence in absences}
    for index, vote in enumerate(votes):
        if vote.choice not in Vote.Choice.values:
            raise ValidationError(
                f"Ukjent stemme {vote.choice!r}.", code="invalid_code", field=f"votes[{index}].choice"
            )
        if (vote.person is None) == (not vote.party.strip()):
            raise ValidationError(
                "En stemme gjelder enten en folkevalgt eller et parti.",
                code="member_or_party",
                field=f"votes[{index}]",
            )
        if vote.person is not None:
            _same_municipality(vote.person, municipality, f"votes[{index}].person")
            if vote.person.pk in absent:
                raise ValidationError(
                    "Et medlem med forfall eller inhabilitet kan ikke stemme.",
                    code="absent_member_voted",
                    field=f"votes[{index}].person",
                )
        if vote.count < 1 or (vote.person is not None and vote.count != 1):
            raise ValidationError(
                "Ugyldig antall stemmer.", code="invalid_count", field=f"votes[{index}].count"
            )
    for index, absence in enumerate(absences):
        _same_municipality(absence.person, municipality, f"absences[{index}].person")
        if absence.reason not in Absence.Reason.values:
            raise ValidationError(
                f"Ukjent fraværsgrunn {absence.reason!r}.",
                code="invalid_code",
                field=f"absences[{index}].reason",
            )


def decision_record(
    *,
    actor: Actor,
    municipality: Municipality,
    item: AgendaItem,
    text: str,
    unanimous: bool = False,
    votes: Sequence[VoteInput] = (),
    amendments: Sequence[AmendmentInput] = (),
    absences: Sequence[AbsenceInput] = (),
) -> Decision:
    """Record the decision (vedtak) on an item, during or after the meeting.

    Published at once, marked provisional until the minutes are approved; until then it may be
    recorded again (the new record replaces the old one). Subscribers of the case are told.
    """
    label = _require(actor, municipality)
    if not text or not text.strip():
        raise ValidationError("Vedtaket må ha en tekst.", code="required", field="text")
    _check_votes(municipality, unanimous, votes, absences)
    for index, amendment in enumerate(amendments):
        if not amendment.text.strip() or not amendment.proposed_by.strip():
            raise ValidationError(
                "Et endringsforslag må ha forslagsstiller og tekst.",
                code="required",
                field=f"amendments[{index}]",
            )
    with transaction.atomic():
        locked = _lock(AgendaItem, item.pk, municipality)
        meeting = _lock(Meeting, locked.meeting_id, municipality)
        if meeting.status not in {Meeting.Status.SUMMONED, Meeting.Status.HELD}:
            raise MeetingRuleError(
                "Vedtak registreres i et innkalt eller avholdt møte før protokollen er godkjent.",
                code="meeting_not_open_for_decisions",
            )
        Decision.objects.filter(item=locked).delete()
        # What the search may match follows the archive's screening as it is now.
        locked.public_title, locked.presentation_screened = selectors.screened_title(
            municipality=municipality, system_id=locked.presentation_system_id
        )
        locked.save(update_fields=["public_title", "presentation_screened"])
        decision = Decision.objects.create(
            municipality=municipality,
            item=locked,
            text=text.strip(),
            unanimous=unanimous,
            recorded_at=timezone.now(),
            recorded_by=label,
        )
        Vote.objects.bulk_create(
            Vote(
                municipality=municipality,
                decision=decision,
                person=vote.person,
                party=vote.party.strip(),
                choice=vote.choice,
                count=vote.count,
            )
            for vote in votes
        )
        Amendment.objects.bulk_create(
            Amendment(
                municipality=municipality,
                decision=decision,
                proposed_by=amendment.proposed_by.strip(),
                text=amendment.text.strip(),
                adopted=amendment.adopted,
                votes_for=amendment.votes_for,
                votes_against=amendment.votes_against,
                position=index + 1,
            )
            for index, amendment in enumerate(amendments)
        )
        try:
            with transaction.atomic():
                Absence.objects.bulk_create(
                    Absence(
                        municipality=municipality,
                        decision=decision,
                        person=absence.person,
                        reason=absence.reason,
                    )
                    for absence in absences
                )
        except IntegrityError as exc:
            raise ValidationError(
                "Et medlem er oppført med fravær to ganger.", code="duplicate", field="absences"
            ) from exc
        _audit(actor, municipality, "decision.record", decision, item=locked.number, case=locked.case_number)
        messages = _decision_messages(municipality, locked)
        transaction.on_commit(lambda: _send(messages), robust=True)
    return decision


def agenda_items_refresh_screening(*, municipality: Municipality) -> int:
    """Take every item's screened title anew (what the search may match); the number changed.

    For operators and the CLI after a screening changed in the archive; the pages always screen
    as they render, so only the search snapshot can lag behind.
    """
    entries = {
        entry.system_id: entry
        for entry in publicjournal_selectors.screened_entries(
            municipality=municipality,
            system_ids=AgendaItem.objects.filter(municipality=municipality).values_list(
                "presentation_system_id", flat=True
            ),
        )
    }
    changed = 0
    with transaction.atomic():
        for item in AgendaItem.objects.select_for_update().filter(municipality=municipality):
            entry = entries.get(item.presentation_system_id)
            title, screened = (entry.title, entry.is_screened) if entry is not None else (MARKER, True)
            if (title, screened) != (item.public_title, item.presentation_screened):
                item.public_title, item.presentation_screened = title, screened
                item.save(update_fields=["public_title", "presentation_screened"])
                changed += 1
        core_services.audit_event_record(
            actor=None,
            municipality=municipality,
            action="politics.search.refresh",
            object_type="agendaitem",
            detail={"changed": changed},
        )
    return changed


# ------------------------------------------------------------------ minutes


def minutes_approve(*, actor: Actor, municipality: Municipality, meeting: Meeting) -> Minutes:
    """Approve the minutes (protokoll) of a held meeting: every item needs a decision.

    The minutes are generated as an HTML document, archived in the body's minutes case
    (journalpost X, finalised), published, and every decision of the meeting becomes final.
    """
    label = _require(actor, municipality)
    with transaction.atomic():
        locked = _lock(Meeting, meeting.pk, municipality)
        if locked.status != Meeting.Status.HELD:
            raise MeetingRuleError("Bare protokollen for et avholdt møte kan godkjennes.", code="not_held")
        undecided = [item.number for item in locked.items.filter(decision__isnull=True)]
        if undecided:
            raise MeetingRuleError(
                f"Sakene mangler vedtak: {', '.join(undecided)}.", code="items_without_decision"
            )
        now = timezone.now()
        Decision.objects.filter(item__meeting=locked).update(final_at=now)
        locked.status = Meeting.Status.MINUTES_APPROVED
        locked.save(update_fields=["status"])
        html = render_to_string(
            "politics/minutes_document.html",
            {
                "municipality": municipality,
                "meeting": locked,
                "items": selectors.public_items_of_meeting(municipality=municipality, meeting=locked),
                "attendance": selectors.meeting_attendance(municipality=municipality, meeting=locked),
                "approved_at": now,
            },
        )
        body = locked.body
        case_file = archive_selectors.case_file_by_number(
            actor=actor, municipality=municipality, case_number=body.minutes_case_number
        )
        name = f"Møteprotokoll {body.abbreviation} {timezone.localtime(locked.starts_at):%Y-%m-%d}"
        entry = archive_services.registry_entry_register(
            actor=actor,
            municipality=municipality,
            case_file=case_file,
            entry_type="X",
            title=f"{name} – {body.name}",
            status="F",
            document_date=timezone.localdate(now),
            documents=[
                archive_services.DocumentInput(
                    title=name, file_name=f"{name}.html", content=io.BytesIO(html.encode("utf-8"))
                )
            ],
        )
        file_object_id = selectors.entry_file_object_id(municipality=municipality, system_id=entry.system_id)
        minutes = Minutes.objects.create(
            municipality=municipality,
            meeting=locked,
            entry_system_id=entry.system_id,
            file_object_id=file_object_id,
            generated_at=now,
            approved_at=now,
            approved_by=label,
        )
        _audit(actor, municipality, "minutes.approve", minutes, meeting=locked.pk, entry=str(entry.system_id))
    return minutes


# ------------------------------------------------------------------ subscriptions and notices


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def subscription_create(
    *, municipality: Municipality, email: str, body: Body | None = None, case_number: str = ""
) -> Subscription:
    """A citizen asks for notices about a body or a case; an e-mail with a confirmation link goes out.

    Asking again for the same thing sends a new link (the old one stops working).
    """
    address = email.strip().lower()
    probe = Subscription(municipality=municipality, email=address, body=body, case_number=case_number.strip())
    _clean(probe, exclude=["municipality", "body", "token_hash", "case_number"])
    if (body is None) == (not probe.case_number):
        raise ValidationError("Velg enten et utvalg eller en sak.", code="body_or_case", field="body")
    if body is not None:
        _same_municipality(body, municipality, "body")
    elif not selectors.case_is_on_an_agenda(municipality=municipality, case_number=probe.case_number):
        raise NotFoundError("Fant ingen politisk sak med dette saksnummeret.", field="case_number")
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        subscription, _ = Subscription.objects.select_for_update().get_or_create(
            municipality=municipality,
            email=address,
            body=body,
            case_number=probe.case_number,
            defaults={"token_hash": _token_hash(token)},
        )
        subscription.token_hash = _token_hash(token)
        subscription.save(update_fields=["token_hash"])
        core_services.audit_event_record(
            actor=None,
            municipality=municipality,
            action="politics.subscription.create",
            object_type="subscription",
            object_id=subscription.pk,
        )
        message = _message(
            municipality,
            [address],
            "politics/email/subscription_confirm.txt",
            {"subscription": subscription, "token": token, "what": _subscription_subject(subscription)},
        )
        transaction.on_commit(lambda: _send([message]), robust=True)
    return subscription


def subscription_confirm(*, municipality: Municipality, token: str) -> Subscription:
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update()
            .filter(municipality=municipality, token_hash=_token_hash(token))
            .first()
        )
        if subscription is None:
            raise NotFoundError("Lenken er ugyldig eller brukt opp.", code="invalid_token")
        if subscription.confirmed_at is None:
            subscription.confirmed_at = timezone.now()
            subscription.save(update_fields=["confirmed_at"])
            core_services.audit_event_record(
                actor=None,
                municipality=municipality,
                action="politics.subscription.confirm",
                object_type="subscription",
                object_id=subscription.pk,
            )
    return subscription


def subscription_cancel(*, municipality: Municipality, token: str) -> None:
    """Stop notices; ``token`` is the signed link in every notice (``selectors.unsubscribe_token``)."""
    pk = selectors.subscription_from_unsubscribe_token(token=token)
    with transaction.atomic():
        subscription = Subscription.objects.filter(municipality=municipality, pk=pk).first()
        if subscription is None:
            raise NotFoundError("Abonnementet finnes ikke (lenger).", code="invalid_token")
        subscription.delete()
        core_services.audit_event_record(
            actor=None,
            municipality=municipality,
            action="politics.subscription.cancel",
            object_type="subscription",
            object_id=pk,
        )


def _subscription_subject(subscription: Subscription) -> str:
    if subscription.body is not None:
        return subscription.body.name
    return f"sak {subscription.case_number}"


def _message(
    municipality: Municipality, to: list[str], template: str, context: dict[str, Any]
) -> EmailMessage:
    text = render_to_string(
        template,
        {"municipality": municipality, "site": selectors.site_url(municipality=municipality), **context},
    )
    subject, _, body = text.strip().partition("\n")
    return EmailMessage(subject=subject.strip(), body=body.strip() + "\n", to=to)


def _summons_messages(municipality: Municipality, meeting: Meeting) -> list[EmailMessage]:
    items = selectors.public_items_of_meeting(municipality=municipality, meeting=meeting)
    context = {"meeting": meeting, "items": items}
    messages = []
    members = selectors.members_of_body(
        municipality=municipality, body=meeting.body, on=timezone.localdate(meeting.starts_at)
    )
    if members:
        messages.append(
            _message(
                municipality, sorted({m.person.email for m in members}), "politics/email/summons.txt", context
            )
        )
    body_subscribers = Subscription.objects.filter(
        municipality=municipality, body=meeting.body, confirmed_at__isnull=False
    )
    case_subscribers = Subscription.objects.filter(
        municipality=municipality,
        case_number__in=[item.case_number for item in items],
        confirmed_at__isnull=False,
    )
    for subscription in [*body_subscribers, *case_subscribers]:
        messages.append(
            _message(
                municipality,
                [subscription.email],
                "politics/email/agenda_notice.txt",
                {**context, "subscription": subscription},
            )
        )
    return messages


def _decision_messages(municipality: Municipality, item: AgendaItem) -> list[EmailMessage]:
    subscribers = list(
        Subscription.objects.filter(
            Q(case_number=item.case_number) | Q(body_id=item.body_id),
            municipality=municipality,
            confirmed_at__isnull=False,
        )
    )
    if not subscribers:
        return []
    public = selectors.public_item(municipality=municipality, pk=item.pk)
    return [
        _message(
            municipality,
            [subscription.email],
            "politics/email/decision_notice.txt",
            {"item": public, "subscription": subscription},
        )
        for subscription in subscribers
    ]


def _send(messages: list[EmailMessage]) -> None:
    """Send after the transaction committed; a mail server failure is logged, the change stays."""
    if not messages:
        return
    try:
        sent = mailers.default.send_messages(messages)
    except OSError as exc:
        logger.error("politics_notice_failed", error=type(exc).__name__, messages=len(messages))
        raise
    logger.info("politics_notices_sent", messages=sent or 0)
