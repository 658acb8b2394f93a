"""Writes of access requests (innsynskrav): the settings and the request (the answer: ``access_answers``)."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone

from ekommune.archive import selectors as archive_selectors
from ekommune.archive import services as archive_services
from ekommune.core import services as core_services
from ekommune.core.errors import ConflictError, ValidationError
from ekommune.core.models import Municipality, User
from ekommune.core.permissions import Permission
from ekommune.core.services import Actor
from ekommune.publicjournal import selectors, tasks
from ekommune.publicjournal.deadlines import add_working_days
from ekommune.publicjournal.models import (
    AccessRequest,
    AccessRequestCase,
    AccessRequestItem,
    AccessRequestSettings,
    PublishedEntry,
)

ACCESS_REQUEST_BASIS = "Offl. § 13 jf. fvl. § 13"  # the requester's name is not published
_CASE_LOCK_NAMESPACE = 0x696E6E  # "inn": advisory lock for opening the year's access-request case


def access_request_settings_set(
    *,
    actor: Actor,
    municipality: Municipality,
    deadline_working_days: int | None = None,
    deadline_basis: str | None = None,
    appeal_information: str | None = None,
    intake_user: User | None = None,
) -> AccessRequestSettings:
    """Set the deadline (working days) and its basis, the appeal information, and who registers
    incoming requests in the archive (the records manager decides)."""
    core_services.permission_require(
        actor=actor, municipality=municipality, permission=Permission.ARCHIVE_MANAGE
    )
    if deadline_working_days is not None and not 1 <= deadline_working_days <= 20:
        raise ValidationError(
            "Fristen må være mellom 1 og 20 virkedager.",
            code="invalid_deadline",
            field="deadline_working_days",
        )
    if intake_user is not None and not core_services.permission_has(
        actor=intake_user, municipality=municipality, permission=Permission.ARCHIVE_REGISTER
    ):
        raise ValidationError(
            "Brukeren kan ikke journalføre i denne kommunen.",
            code="intake_user_cannot_register",
            field="intake_user",
        )
    with transaction.atomic():
        row, _ = AccessRequestSettings.objects.select_for_update().get_or_create(municipality=municipality)
        changes: dict[str, object] = {
            "deadline_working_days": deadline_working_days,
            "deadline_basis": deadline_basis.strip() if deadline_basis else None,
            "appeal_information": appeal_information.strip() if appeal_information else None,
            "intake_user": intake_user,
        }
        changed = {name: value for name, value in changes.items() if value is not None}
        for name, value in changed.items():
            setattr(row, name, value)
        row.save()
        core_services.audit_event_record(
            actor=actor,
            municipality=municipality,
            action="publicjournal.access_settings_set",
            object_type="innsynsinnstillinger",
            object_id=row.pk,
            detail={name: str(value) for name, value in changed.items()},
        )
    return row


ACCESS_REQUEST_CLASS = "000"  # Organisasjon og administrasjon, in the municipal arkivnøkkel


def _access_request_case(municipality: Municipality, actor: User, year: int) -> Any:
    """The archive case of this year's access requests, opened on first use (one at a time)."""
    with connection.cursor() as cursor:  # two first requests of a year must not open two cases
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_CASE_LOCK_NAMESPACE, municipality.pk])
    known = AccessRequestCase.objects.select_for_update().filter(municipality=municipality, year=year).first()
    if known is not None:
        found = archive_selectors.case_file_by_system_id(
            actor=actor, municipality=municipality, system_id=known.case_system_id
        )
        if found is not None:
            return found
    series = archive_selectors.series_current(actor=actor, municipality=municipality)
    if series is None:
        raise ConflictError(
            "Kommunen har ingen åpen arkivdel å registrere innsynskrav i.", code="no_open_series"
        )
    case_file = archive_services.case_file_create(
        actor=actor,
        municipality=municipality,
        series=series,
        title=f"Innsynskrav {year}",
        administrative_unit="Postmottak",
        case_responsible=actor.get_full_name() or actor.get_username(),
        primary_class=archive_selectors.series_class_for_new_case(
            municipality=municipality, series=series, preferred_class_id=ACCESS_REQUEST_CLASS
        ),
    )
    AccessRequestCase.objects.update_or_create(
        municipality=municipality, year=year, defaults={"case_system_id": case_file.system_id}
    )
    return case_file


def access_request_submit(
    *,
    municipality: Municipality,
    email: str,
    entry_ids: Sequence[str],
    name: str = "",
    message: str = "",
    site_root: str = "",
    citizen_id: int | None = None,
) -> AccessRequest:
    """A visitor's access request (no login needed; a logged-in citizen's ``citizen_id`` makes it
    show on their Min side): registered in the archive as an incoming entry (I)
    in the year's access-request case, with a deadline in working days; a receipt is e-mailed."""
    email = _email_checked(email)
    entries = _entries_public(municipality=municipality, entry_ids=entry_ids)
    intake, deadline_days = _intake(municipality)
    now = timezone.now()
    with transaction.atomic():
        case_file = _access_request_case(municipality, intake, timezone.localdate(now).year)
        incoming = _request_register(
            intake=intake,
            municipality=municipality,
            case_file=case_file,
            entries=entries,
            email=email,
            name=name,
            message=message,
        )
        request = AccessRequest.objects.create(
            municipality=municipality,
            token=secrets.token_urlsafe(32),
            email=email,
            name=name.strip(),
            message=message.strip(),
            received_at=now,
            deadline=add_working_days(timezone.localdate(now), deadline_days),
            case_system_id=case_file.system_id,
            incoming_system_id=incoming.system_id,
            incoming_registration_id=f"{case_file.file_id}-{incoming.entry_number}",
            citizen_id=citizen_id,
        )
        AccessRequestItem.objects.bulk_create(
            AccessRequestItem(
                municipality=municipality,
                request=request,
                entry_system_id=entry.system_id,
                registration_id=entry.registration_id,
                title=entry.title,
            )
            for entry in entries
        )
        core_services.audit_event_record(
            actor=None,
            actor_label="offentlig journal",
            municipality=municipality,
            action="publicjournal.access_request.submit",
            object_type="innsynskrav",
            object_id=request.pk,
            detail={"journalpost": request.incoming_registration_id, "antall": len(entries)},
        )
        transaction.on_commit(
            lambda: tasks.access_request_mail_send.enqueue(
                request_id=request.pk, kind="receipt", site_root=site_root
            )
        )
    return request


# ------------------------------------------------------------------ the steps of a request


def _email_checked(email: str) -> str:
    """The requester's address, required and valid (the answer goes there)."""
    email = email.strip()
    if not email:
        raise ValidationError(
            "Skriv e-postadressen din, så vi kan sende deg svaret.", code="required", field="email"
        )
    try:
        validate_email(email)
    except DjangoValidationError as error:
        raise ValidationError(
            "E-postadressen er ikke gyldig.", code="invalid_email", field="email"
        ) from error
    return email


def _entries_public(*, municipality: Municipality, entry_ids: Sequence[str]) -> list[PublishedEntry]:
    """The entries asked for, each once, as the public journal shows them; any other is refused."""
    if not entry_ids:
        raise ValidationError("Velg minst én journalpost.", code="no_entries", field="entries")
    entries = []
    for raw in dict.fromkeys(entry_ids):
        try:
            system_id = uuid.UUID(str(raw))
        except ValueError as error:
            raise ValidationError(
                f"Ukjent journalpost: {raw}.", code="unknown_entry", field="entries"
            ) from error
        entry = selectors.public_entry(municipality=municipality, system_id=system_id)
        if entry is None:
            raise ValidationError(
                "En av journalpostene finnes ikke (lenger) i den offentlige journalen.",
                code="entry_not_public",
                field="entries",
            )
        entries.append(entry)
    return entries


def _intake(municipality: Municipality) -> tuple[User, int]:
    """Who registers requests in the archive, and the deadline in working days; without an intake
    user the municipality takes no requests here (and says where to send them)."""
    settings_row = AccessRequestSettings.objects.filter(municipality=municipality).first()
    intake = settings_row.intake_user if settings_row else None
    if settings_row is None or intake is None:
        raise ConflictError(
            f"{municipality.name} tar ikke imot innsynskrav her ennå. Send kravet på e-post til "
            f"{municipality.email or 'kommunens postmottak'}.",
            code="access_requests_closed",
        )
    return intake, settings_row.deadline_working_days


def _request_register(
    *,
    intake: User,
    municipality: Municipality,
    case_file: Any,
    entries: list[PublishedEntry],
    email: str,
    name: str,
    message: str,
) -> Any:
    """The request as an incoming entry (I) in the year's case; the requester's name screened."""
    listing = "\n".join(f"- {entry.registration_id} {entry.title}" for entry in entries)
    return archive_services.registry_entry_register(
        actor=intake,
        municipality=municipality,
        case_file=case_file,
        entry_type="I",
        title="Innsynskrav i " + ", ".join(entry.registration_id for entry in entries),
        parties=[archive_services.PartyInput(party_type="EA", name=name.strip() or email, email=email)],
        documents=[
            archive_services.DocumentInput.of_text(
                "Innsynskrav", f"Innsynskrav fra {name or email}\n\n{listing}\n\n{message}"
            )
        ],
        screening=archive_services.ScreeningInput(
            access_restriction="13", legal_basis=ACCESS_REQUEST_BASIS, screened_metadata=["NA"]
        ),
    )
