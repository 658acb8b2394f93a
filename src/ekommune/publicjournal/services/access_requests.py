"""Writes of access requests (innsynskrav): settings, the request, the answer."""

from __future__ import annotations

import io
import secrets
import uuid
from collections.abc import Sequence
from typing import IO, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone

from ekommune.archive import selectors as archive_selectors
from ekommune.archive import services as archive_services
from ekommune.core import services as core_services
from ekommune.core.errors import ConflictError, NotFoundError, ValidationError
from ekommune.core.models import Municipality, User
from ekommune.core.permissions import Permission
from ekommune.core.services import Actor
from ekommune.publicjournal import selectors, tasks
from ekommune.publicjournal.deadlines import add_working_days
from ekommune.publicjournal.models import (
    AccessRequest,
    AccessRequestCase,
    AccessRequestFile,
    AccessRequestItem,
    AccessRequestSettings,
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
    )
    AccessRequestCase.objects.update_or_create(
        municipality=municipality, year=year, defaults={"case_system_id": case_file.system_id}
    )
    return case_file


def _text_document(title: str, text: str) -> archive_services.DocumentInput:
    return archive_services.DocumentInput(
        title=title, file_name=f"{title}.txt", content=io.BytesIO(text.encode()), finalised=True
    )


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
    settings_row = AccessRequestSettings.objects.filter(municipality=municipality).first()
    intake = settings_row.intake_user if settings_row else None
    if intake is None:
        raise ConflictError(
            f"{municipality.name} tar ikke imot innsynskrav her ennå. Send kravet på e-post til "
            f"{municipality.email or 'kommunens postmottak'}.",
            code="access_requests_closed",
        )
    deadline_days = settings_row.deadline_working_days if settings_row else 3
    now = timezone.now()
    listing = "\n".join(f"- {entry.registration_id} {entry.title}" for entry in entries)
    with transaction.atomic():
        case_file = _access_request_case(municipality, intake, timezone.localdate(now).year)
        incoming = archive_services.registry_entry_register(
            actor=intake,
            municipality=municipality,
            case_file=case_file,
            entry_type="I",
            title="Innsynskrav i " + ", ".join(entry.registration_id for entry in entries),
            parties=[archive_services.PartyInput(party_type="EA", name=name.strip() or email, email=email)],
            documents=[
                _text_document("Innsynskrav", f"Innsynskrav fra {name or email}\n\n{listing}\n\n{message}")
            ],
            screening=archive_services.ScreeningInput(
                access_restriction="13", legal_basis=ACCESS_REQUEST_BASIS, screened_metadata=["NA"]
            ),
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


DECISIONS = (AccessRequest.Status.GRANTED, AccessRequest.Status.PARTLY_GRANTED, AccessRequest.Status.REFUSED)


def access_request_decide(
    *,
    actor: Actor,
    municipality: Municipality,
    request: AccessRequest,
    decision: str,
    legal_basis: str = "",
    explanation: str = "",
    redacted_file: IO[bytes] | None = None,
    redacted_file_name: str = "",
    site_root: str = "",
) -> AccessRequest:
    """Answer an access request: grant (the documents as download links), grant partly (a redacted
    version uploaded), or refuse (legal basis and appeal information). The answer is registered as
    an outgoing entry (U) in the request's case, the incoming entry is written off, and the
    requester gets the answer by e-mail."""
    core_services.permission_require(
        actor=actor, municipality=municipality, permission=Permission.ACCESS_REQUEST_HANDLE
    )
    legal_basis = _decision_checked(decision=decision, legal_basis=legal_basis, redacted_file=redacted_file)
    explanation = explanation.strip()
    now = timezone.now()
    with transaction.atomic():
        locked = _request_open_locked(request=request, municipality=municipality)
        case_file, incoming = _request_in_archive(actor=actor, municipality=municipality, request=locked)
        items = list(locked.items.order_by("pk"))
        answer = _answer_register(
            actor=actor,
            municipality=municipality,
            request=locked,
            items=items,
            case_file=case_file,
            decision=decision,
            legal_basis=legal_basis,
            explanation=explanation,
            redacted_file=redacted_file,
            redacted_file_name=redacted_file_name,
        )
        archive_services.registry_entry_write_off(
            actor=actor, municipality=municipality, entry=incoming, method="BE", answered_by=answer
        )
        AccessRequestFile.objects.bulk_create(
            AccessRequestFile(
                municipality=municipality, request=locked, object_system_id=object_id, title=title
            )
            for object_id, title in _answer_files(
                municipality=municipality, decision=decision, items=items, answer=answer
            )
        )
        locked.status = decision
        locked.legal_basis = legal_basis
        locked.explanation = explanation
        locked.decided_at = now
        locked.decided_by = core_services.actor_display_name(actor)
        locked.answer_system_id = answer.system_id
        locked.answer_registration_id = f"{case_file.file_id}-{answer.entry_number}"
        locked.save()
        core_services.audit_event_record(
            actor=actor,
            municipality=municipality,
            action="publicjournal.access_request.decide",
            object_type="innsynskrav",
            object_id=locked.pk,
            detail={"utfall": decision, "svar": locked.answer_registration_id},
        )
        transaction.on_commit(
            lambda: tasks.access_request_mail_send.enqueue(
                request_id=locked.pk, kind="answer", site_root=site_root
            )
        )
    return locked


# ------------------------------------------------------------------ the steps of an answer


def _decision_checked(*, decision: str, legal_basis: str, redacted_file: IO[bytes] | None) -> str:
    """The outcome is known, and has what it needs: a legal basis for what is kept back, the
    redacted version for a partial grant. Gives the legal basis, trimmed."""
    if decision not in DECISIONS:
        raise ValidationError("Velg et utfall.", code="invalid_decision", field="decision")
    legal_basis = legal_basis.strip()
    if decision != AccessRequest.Status.GRANTED and not legal_basis:
        raise ValidationError(
            "Oppgi hjemmelen for det som unntas.", code="legal_basis_required", field="legal_basis"
        )
    if decision == AccessRequest.Status.PARTLY_GRANTED and redacted_file is None:
        raise ValidationError(
            "Last opp den sladdede versjonen.", code="redacted_file_required", field="redacted_file"
        )
    return legal_basis


def _request_open_locked(*, request: AccessRequest, municipality: Municipality) -> AccessRequest:
    """The request, locked, of this municipality and not answered yet."""
    locked = (
        AccessRequest.objects.select_for_update().filter(pk=request.pk, municipality=municipality).first()
    )
    if locked is None:
        raise NotFoundError("Fant ikke innsynskravet.", code="not_found")
    if locked.status != AccessRequest.Status.RECEIVED:
        raise ConflictError("Innsynskravet er allerede besvart.", code="already_decided")
    return locked


def _request_in_archive(
    *, actor: Actor, municipality: Municipality, request: AccessRequest
) -> tuple[Any, Any]:
    """The request's case file and its incoming entry, read through the archive by systemID."""
    case_file = archive_selectors.case_file_by_system_id(
        actor=actor, municipality=municipality, system_id=request.case_system_id
    )
    incoming = archive_selectors.registry_entry_by_system_id(
        actor=actor, municipality=municipality, system_id=request.incoming_system_id
    )
    if case_file is None or incoming is None:  # pragma: no cover - the archive protects both (PROTECT)
        raise NotFoundError("Fant ikke innsynskravet i arkivet.", code="not_found")
    return case_file, incoming


def _answer_register(
    *,
    actor: Actor,
    municipality: Municipality,
    request: AccessRequest,
    items: list[AccessRequestItem],
    case_file: Any,
    decision: str,
    legal_basis: str,
    explanation: str,
    redacted_file: IO[bytes] | None,
    redacted_file_name: str,
) -> Any:
    """The answer as an outgoing entry (U) in the request's case: the letter, and the redacted
    version when there is one; the requester as recipient, their name screened."""
    outcome = AccessRequest.Status(decision).label
    letter = (
        f"Svar på innsynskrav {request.incoming_registration_id}: {outcome}.\n\n"
        + "\n".join(f"- {item.registration_id} {item.title}" for item in items)
        + (f"\n\nHjemmel: {legal_basis}" if legal_basis else "")
        + (f"\n\n{explanation}" if explanation else "")
    )
    documents = [_text_document("Svar på innsynskrav", letter)]
    if redacted_file is not None:
        documents.append(
            archive_services.DocumentInput(
                title="Sladdet versjon",
                file_name=redacted_file_name or "sladdet.pdf",
                content=redacted_file,
                finalised=True,
            )
        )
    return archive_services.registry_entry_register(
        actor=actor,
        municipality=municipality,
        case_file=case_file,
        entry_type="U",
        title=f"Svar på innsynskrav {request.incoming_registration_id} – {outcome.lower()}",
        parties=[
            archive_services.PartyInput(
                party_type="EM", name=request.name or request.email, email=request.email
            )
        ],
        documents=documents,
        screening=archive_services.ScreeningInput(
            access_restriction="13", legal_basis=ACCESS_REQUEST_BASIS, screened_metadata=["NM"]
        ),
    )


def _answer_files(
    *, municipality: Municipality, decision: str, items: list[AccessRequestItem], answer: Any
) -> list[tuple[uuid.UUID, str]]:
    """What the requester may download (object systemID, title): every file the public journal
    would show of the granted entries, or the redacted version of a partial grant; nothing for a
    refusal."""
    files: list[tuple[uuid.UUID, str]] = []
    if decision == AccessRequest.Status.GRANTED:
        granted = archive_selectors.entries_for_publication(
            municipality=municipality, system_ids=[item.entry_system_id for item in items]
        )
        titles = {item.entry_system_id: item.registration_id for item in items}
        for facts in granted:
            files += [
                (document.file_object_id, f"{titles[facts.system_id]} dokument {document.document_number}")
                for document in facts.documents
                if document.file_object_id is not None
            ]
    elif decision == AccessRequest.Status.PARTLY_GRANTED:
        (answer_facts,) = archive_selectors.entries_for_publication(
            municipality=municipality, system_ids=[answer.system_id]
        )
        files += [
            (document.file_object_id, "Sladdet versjon")
            for document in answer_facts.documents
            if document.title == "Sladdet versjon" and document.file_object_id is not None
        ]
    return files
