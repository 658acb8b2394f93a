"""Submissions into the archive (one transaction) and the case-worker inbox."""

from __future__ import annotations

import io
import json
import uuid
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from ekommune.archive import services as archive_services
from ekommune.core import services as core_services
from ekommune.core.errors import ApplicationError, ConflictError, NotFoundError, ValidationError
from ekommune.core.models import Municipality, User
from ekommune.core.permissions import Permission
from ekommune.core.services import Actor
from ekommune.portal import engine, notices, pdf
from ekommune.portal.models import (
    Draft,
    DraftAttachment,
    MailboxMessage,
    Service,
    Submission,
)
from ekommune.portal.selectors import form_version_info
from ekommune.portal.services.common import (
    PERSONAL_DATA_SCREENING,
    CitizenActor,
    _audit_citizen,
    _system_user,
)
from ekommune.portal.services.drafts import draft_attachments

# ------------------------------------------------------------------ submissions


def _party_for(who: CitizenActor, email: str) -> archive_services.PartyInput:
    citizen = who.citizen
    if who.organisation_number:
        return archive_services.PartyInput(
            party_type="EA",
            kind="unit",  # enhet: an organisation
            name=f"{who.organisation_number} v/ {citizen.name or 'innbygger'}",
            organisation_number=who.organisation_number,
            email=email,
        )
    return archive_services.PartyInput(
        party_type="EA",
        name=citizen.name or "Innbygger",
        national_identity_number=citizen.national_identity_number,
        email=email,
    )


def _draft_delete(draft: Draft) -> bool:
    """Delete the draft, then its attachments (foreign keys are checked at commit); False when it
    was already gone. The draft's row first: its lock orders this against a concurrent save or
    submit of the same draft (one statement; the ORM's delete would read the draft first)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM portal_draft WHERE id = %s", [draft.pk])
        if cursor.rowcount == 0:
            return False
    DraftAttachment.objects.filter(draft_id=draft.pk).delete()
    return True


def submission_submit(
    *,
    municipality: Municipality,
    who: CitizenActor,
    service: Service,
    idempotency_key: uuid.UUID,
    continue_submission: Submission | None = None,
) -> Submission:
    """Submit the citizen's draft: validate, render the PDF, register it all in the archive at once.

    One transaction holds the case file (new, or the case of ``continue_submission``), the incoming
    registry entry with the citizen as sender, its documents (the form as PDF/A, the data as
    JSON, each attachment), the ``Submission`` row and the removal of the draft. If anything
    fails nothing is kept and the draft stays. The same ``idempotency_key`` again (reload,
    double click, retry) returns the first submission.
    """
    # The draft carries the key until its submission is stored (both in one transaction): while
    # it exists there is no submission with this key, so the repeat is looked for only without it.
    draft = Draft.objects.filter(
        municipality=municipality, citizen=who.citizen, service=service, idempotency_key=idempotency_key
    ).first()
    if draft is None:
        existing = Submission.objects.filter(
            municipality=municipality, idempotency_key=idempotency_key
        ).first()
        if existing is not None:
            if existing.citizen_id != who.citizen.pk:
                raise NotFoundError("Fant ikke innsendingen.")
            return existing
        raise ConflictError(
            "Fant ikke utkastet til denne innsendingen. Last siden på nytt.", code="draft_missing"
        )
    if not service.accepts_submissions:
        raise ApplicationError("Tjenesten tar ikke imot innsendinger nå.", code="service_closed")
    continue_submission = continue_submission or draft.continues
    if continue_submission is not None and (
        continue_submission.municipality_id != municipality.pk
        or continue_submission.citizen_id != who.citizen.pk
    ):
        raise NotFoundError("Fant ikke saken som skal fortsettes.", field="continue_submission")
    system_user = _system_user(municipality)
    version = form_version_info(version_id=draft.form_version_id)
    definition = version.definition
    attachments, files = draft_attachments(draft)
    result = engine.input_validate(definition, draft.values, files)
    if not result.is_valid:
        first = next(iter(result.errors))
        raise ValidationError(result.errors[first], code="invalid_submission", field=first)
    submitted_at = timezone.now()
    email = next(
        (
            str(result.data[item.key])
            for item in definition.fields
            if item.type == "email" and item.key in result.data
        ),
        who.citizen.email,
    )
    form_pdf = pdf.submission_pdf(
        municipality_name=municipality.name,
        service_title=service.title,
        submitted_at=timezone.localtime(submitted_at),
        citizen_name=who.citizen.name,
        acting_for=who.organisation_number,
        reference=str(idempotency_key),
        version=version.number,
        rows=engine.display_rows(definition, result.data),
    )
    machine_readable = json.dumps(
        {
            "tjeneste": service.slug,
            "skjema": version.form_slug,
            "skjemaversjon": version.number,
            "referanse": str(idempotency_key),
            "innsendt": submitted_at.isoformat(),
            "paaVegneAv": who.organisation_number or None,
            "data": result.data,
        },
        ensure_ascii=False,
        indent=2,
    ).encode()
    documents = [
        archive_services.DocumentInput(
            title=f"{service.title} (skjema)", file_name="skjema.pdf", content=io.BytesIO(form_pdf)
        ),
        archive_services.DocumentInput(
            title=f"{service.title} (data)", file_name="skjema.json", content=io.BytesIO(machine_readable)
        ),
    ]
    by_reference = {str(attachment.pk): attachment for attachment in attachments}
    for reference in engine.file_references(definition, result.data):
        attachment = by_reference[reference["reference"]]
        documents.append(
            archive_services.DocumentInput(
                title=f"Vedlegg: {attachment.file_name}"[:255],
                file_name=attachment.file_name,
                content=io.BytesIO(bytes(attachment.content)),
            )
        )
    if continue_submission is not None:
        case_file: Any = continue_submission.case_file
    else:
        target = Service.objects.select_related("archive_series", "archive_class").get(pk=service.pk)
        case_file = archive_services.NewCaseFile(
            series=target.archive_series,  # type: ignore[arg-type]  # accepts_submissions: it is set
            primary_class=target.archive_class,
            title=service.title,
            administrative_unit=service.administrative_unit or "Postmottak",
            case_responsible=service.case_responsible or "Postmottak",
        )
    with transaction.atomic():
        # Deleting the draft locks it: a concurrent submit of the same draft waits here, deletes
        # nothing, and returns what the first one stored. It comes before the archive takes its
        # numbers, so nobody waits for those meanwhile.
        if not _draft_delete(draft):
            return Submission.objects.get(municipality=municipality, idempotency_key=idempotency_key)
        entry = archive_services.registry_entry_register(
            actor=system_user,
            municipality=municipality,
            case_file=case_file,
            entry_type="I",
            title=service.title,
            parties=[_party_for(who, email)],
            documents=documents,
            received_date=submitted_at,
            document_date=timezone.localdate(submitted_at),
            screening=PERSONAL_DATA_SCREENING,
        )
        submission = Submission.objects.create(
            municipality=municipality,
            service=service,
            form_version_id=version.pk,
            citizen=who.citizen,
            acting_for=who.organisation_number,
            idempotency_key=idempotency_key,
            data=result.data,
            contact_email=email,
            case_number=entry.case_file.file_id,
            case_file=entry.case_file,
            registry_entry=entry,
            receipt=entry.registered_files[0],
            submitted_at=submitted_at,
            status_changed_at=submitted_at,
        )
        _audit_citizen(
            municipality,
            who,
            "portal.submission.submit",
            "innsending",
            submission.system_id,
            service=service.slug,
            saksnummer=submission.case_number,
        )
        submission_pk = submission.pk
        transaction.on_commit(lambda: notices.submission_receipt_send.enqueue(submission_pk))
    return submission


# ------------------------------------------------------------------ inbox (case workers)


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
        entry = archive_services.registry_entry_register(
            actor=actor,
            municipality=municipality,
            case_file=locked.case_file,
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
            registry_entry=entry,
            document=document,
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
        transaction.on_commit(lambda: notices.mailbox_notice_send.enqueue(message_pk))
    return message
