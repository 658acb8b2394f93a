"""The answer to an access request (innsynskrav): grant, grant partly or refuse, archived and e-mailed."""

from __future__ import annotations

import uuid
from typing import IO, Any

from django.db import transaction
from django.utils import timezone

from ekommune.archive import selectors as archive_selectors
from ekommune.archive import services as archive_services
from ekommune.core import services as core_services
from ekommune.core.errors import ConflictError, NotFoundError, ValidationError
from ekommune.core.models import Municipality
from ekommune.core.permissions import Permission
from ekommune.core.services import Actor
from ekommune.publicjournal import tasks
from ekommune.publicjournal.models import (
    AccessRequest,
    AccessRequestFile,
    AccessRequestItem,
)
from ekommune.publicjournal.services.access_requests import ACCESS_REQUEST_BASIS

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
    documents = [archive_services.DocumentInput.of_text("Svar på innsynskrav", letter)]
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
