"""The case-worker inbox: assign a submission, move its status forward, answer with a letter."""

from __future__ import annotations

import io

from django.db import transaction
from django.utils import timezone

from ekommune.archive import selectors as archive_selectors
from ekommune.archive import services as archive_services
from ekommune.core import services as core_services
from ekommune.core.errors import ConflictError, NotFoundError, ValidationError
from ekommune.core.models import Municipality, User
from ekommune.core.permissions import Permission
from ekommune.core.services import Actor
from ekommune.portal import pdf, tasks
from ekommune.portal.models import MailboxMessage, Submission
from ekommune.portal.services.common import PERSONAL_DATA_SCREENING


def _locked_submission(submission: Submission, municipality: Municipality) -> Submission:
    locked = (
        Submission.objects.select_for_update().filter(pk=submission.pk, municipality=municipality).first()
    )
    if locked is None:
        raise NotFoundError("Fant ikke innsendingen.")
    return locked


STATUS_ORDER = [Submission.Status.RECEIVED, Submission.Status.UNDER_TREATMENT, Submission.Status.DECIDED]


def submission_assign(
    *, actor: Actor, municipality: Municipality, submission: Submission, assignee: User | None
) -> Submission:
    """Give the submission to a case worker (or to nobody). The assignee must handle submissions here."""
    core_services.permission_require(
        actor=actor, municipality=municipality, permission=Permission.PORTAL_HANDLE
    )
    if assignee is not None and not core_services.permission_has(
        actor=assignee, municipality=municipality, permission=Permission.PORTAL_HANDLE
    ):
        raise ValidationError(
            "Personen behandler ikke innsendinger i denne kommunen.",
            code="not_a_case_worker",
            field="assignee",
        )
    with transaction.atomic():
        locked = _locked_submission(submission, municipality)
        locked.assigned_to = assignee
        locked.save(update_fields=["assigned_to"])
        core_services.audit_event_record(
            actor=actor,
            municipality=municipality,
            action="portal.submission.assign",
            object_type="innsending",
            object_id=str(locked.system_id),
            detail={"assignee": assignee.get_username() if assignee else ""},
        )
    return locked


def submission_set_status(
    *, actor: Actor, municipality: Municipality, submission: Submission, status: str
) -> Submission:
    """Move a submission forward: received → under treatment → decided (never back)."""
    core_services.permission_require(
        actor=actor, municipality=municipality, permission=Permission.PORTAL_HANDLE
    )
    if status not in Submission.Status.values:
        raise ValidationError(f"Ukjent status {status!r}.", code="invalid_status", field="status")
    with transaction.atomic():
        locked = _locked_submission(submission, municipality)
        if STATUS_ORDER.index(Submission.Status(status)) < STATUS_ORDER.index(
            Submission.Status(locked.status)
        ):
            raise ConflictError("Status kan ikke gå tilbake.", code="status_backwards", field="status")
        if status != locked.status:
            old = locked.status
            locked.status, locked.status_changed_at = status, timezone.now()
            locked.save(update_fields=["status", "status_changed_at"])
            core_services.audit_event_record(
                actor=actor,
                municipality=municipality,
                action="portal.submission.status",
                object_type="innsending",
                object_id=str(locked.system_id),
                detail={"from": old, "to": status},
            )
    return locked


def submission_reply(
    *,
    actor: Actor,
    municipality: Municipality,
    submission: Submission,
    subject: str,
    body: str,
    decided: bool = False,
) -> MailboxMessage:
    """Answer with a letter: rendered as PDF/A, registered as an outgoing entry (U) in the same case,
    delivered to the citizen's digital mailbox, and the citizen told by e-mail after commit."""
    core_services.permission_require(
        actor=actor, municipality=municipality, permission=Permission.PORTAL_HANDLE
    )
    subject, body = subject.strip(), body.strip()
    if not subject:
        raise ValidationError("Skriv et emne.", code="required", field="subject")
    if not body:
        raise ValidationError("Skriv brevteksten.", code="required", field="body")
    if submission.municipality_id != municipality.pk:
        raise NotFoundError("Fant ikke innsendingen.")
    citizen = submission.citizen
    signer = actor.get_full_name() or actor.get_username() if isinstance(actor, User) else "Saksbehandler"
    now = timezone.now()
    letter = pdf.letter_pdf(
        municipality_name=municipality.name,
        recipient=citizen.name,
        case_number=submission.case_number,
        date=timezone.localdate(now),
        subject=subject,
        body=body,
        signer=signer,
        created_at=timezone.localtime(now),
    )
    with transaction.atomic():
        locked = _locked_submission(submission, municipality)
        case_file = archive_selectors.case_file_by_system_id(
            actor=actor, municipality=municipality, system_id=locked.case_file_system_id
        )
        if case_file is None:
            raise NotFoundError("Fant ikke saken i arkivet.", field="submission")
        entry = archive_services.registry_entry_register(
            actor=actor,
            municipality=municipality,
            case_file=case_file,
            entry_type="U",
            title=subject,
            parties=[
                archive_services.PartyInput(
                    party_type="EM",
                    name=citizen.name or "Innbygger",
                    national_identity_number=citizen.national_identity_number,
                )
            ],
            documents=[
                archive_services.DocumentInput(
                    title=subject, file_name="brev.pdf", content=io.BytesIO(letter)
                )
            ],
            document_date=timezone.localdate(),
            screening=PERSONAL_DATA_SCREENING,
        )
        document = entry.registered_files[0]
        message = MailboxMessage.objects.create(
            municipality=municipality,
            citizen=citizen,
            submission=locked,
            subject=subject,
            registry_entry_system_id=entry.system_id,
            document_system_id=document.system_id,
            sent_at=timezone.now(),
        )
        core_services.audit_event_record(
            actor=actor,
            municipality=municipality,
            action="portal.submission.reply",
            object_type="innsending",
            object_id=str(locked.system_id),
            detail={"message": str(message.system_id)},
        )
        target = Submission.Status.DECIDED if decided else Submission.Status.UNDER_TREATMENT
        if STATUS_ORDER.index(target) > STATUS_ORDER.index(Submission.Status(locked.status)):
            submission_set_status(actor=actor, municipality=municipality, submission=locked, status=target)
        message_pk = message.pk
        transaction.on_commit(lambda: tasks.mailbox_notice_send.enqueue(message_pk))
    return message
