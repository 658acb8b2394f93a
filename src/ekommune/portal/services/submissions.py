"""Submissions into the archive: the citizen's draft becomes a case file, an incoming entry and its
documents, registered in one transaction (docs/decisions/0032-submission-atomic-archive-registration.md)."""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from ekommune.archive import selectors as archive_selectors
from ekommune.archive import services as archive_services
from ekommune.core.errors import ApplicationError, ConflictError, NotFoundError, ValidationError
from ekommune.core.models import Municipality, User
from ekommune.portal import engine, pdf, selectors, tasks
from ekommune.portal.models import Draft, DraftAttachment, Service, Submission
from ekommune.portal.services.common import (
    PERSONAL_DATA_SCREENING,
    _audit_citizen,
    _system_user,
)
from ekommune.portal.services.drafts import draft_attachments
from ekommune.portal.types import CitizenActor, FormVersionInfo


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
        return _submission_repeated(municipality=municipality, who=who, idempotency_key=idempotency_key)
    if not service.accepts_submissions:
        raise _service_closed()
    continued = _submission_continued(
        municipality=municipality, who=who, submission=continue_submission or draft.continues
    )
    system_user = _system_user(municipality)
    answers = _answers_checked(draft, who)
    submitted_at = timezone.now()
    documents = _submission_documents(
        municipality=municipality,
        who=who,
        service=service,
        answers=answers,
        reference=idempotency_key,
        submitted_at=submitted_at,
    )
    case_file = _submission_case(
        system_user=system_user, municipality=municipality, service=service, continued=continued
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
            parties=[_party_for(who, answers.email)],
            documents=documents,
            received_date=submitted_at,
            document_date=timezone.localdate(submitted_at),
            screening=PERSONAL_DATA_SCREENING,
        )
        submission = _submission_store(
            municipality=municipality,
            who=who,
            service=service,
            answers=answers,
            idempotency_key=idempotency_key,
            entry=entry,
            submitted_at=submitted_at,
        )
    return submission


# ------------------------------------------------------------------ the steps of a submit


@dataclass(frozen=True)
class _Answers:
    """A draft's answers once the form has accepted them: what the archive and the row receive."""

    version: FormVersionInfo
    data: dict[str, Any]
    attachments: dict[str, DraftAttachment]  # by reference (the attachment's pk)
    email: str  # where the receipt goes: the form's e-mail field, else the login's


def _service_closed() -> ApplicationError:
    return ApplicationError("Tjenesten tar ikke imot innsendinger nå.", code="service_closed")


def _submission_repeated(
    *, municipality: Municipality, who: CitizenActor, idempotency_key: uuid.UUID
) -> Submission:
    """The submission an earlier submit with this key stored (the draft is gone with it)."""
    existing = Submission.objects.filter(municipality=municipality, idempotency_key=idempotency_key).first()
    if existing is None:
        raise ConflictError(
            "Fant ikke utkastet til denne innsendingen. Last siden på nytt.", code="draft_missing"
        )
    if existing.citizen_id != who.citizen.pk:
        raise NotFoundError("Fant ikke innsendingen.")
    return existing


def _submission_continued(
    *, municipality: Municipality, who: CitizenActor, submission: Submission | None
) -> Submission | None:
    """The earlier submission whose case this one continues: the citizen's own, in this municipality."""
    if submission is not None and (
        submission.municipality_id != municipality.pk or submission.citizen_id != who.citizen.pk
    ):
        raise NotFoundError("Fant ikke saken som skal fortsettes.", field="continue_submission")
    return submission


def _answers_checked(draft: Draft, who: CitizenActor) -> _Answers:
    """The draft's values and files through the form engine; the first error refuses the submit."""
    version = selectors.form_version_info(version_id=draft.form_version_id)
    definition = version.definition
    attachments, files = draft_attachments(draft)
    result = engine.input_validate(definition, draft.values, files)
    if not result.is_valid:
        first = next(iter(result.errors))
        raise ValidationError(result.errors[first], code="invalid_submission", field=first)
    email = next(
        (
            str(result.data[item.key])
            for item in definition.fields
            if item.type == "email" and item.key in result.data
        ),
        who.citizen.email,
    )
    return _Answers(
        version=version,
        data=result.data,
        attachments={str(attachment.pk): attachment for attachment in attachments},
        email=email,
    )


def _submission_documents(
    *,
    municipality: Municipality,
    who: CitizenActor,
    service: Service,
    answers: _Answers,
    reference: uuid.UUID,
    submitted_at: dt.datetime,
) -> list[archive_services.DocumentInput]:
    """The entry's documents: the form as PDF/A (the main document), the data as JSON, each attachment."""
    version = answers.version
    form_pdf = pdf.submission_pdf(
        municipality_name=municipality.name,
        service_title=service.title,
        submitted_at=timezone.localtime(submitted_at),
        citizen_name=who.citizen.name,
        acting_for=who.organisation_number,
        reference=str(reference),
        version=version.number,
        rows=engine.display_rows(version.definition, answers.data),
    )
    machine_readable = json.dumps(
        {
            "tjeneste": service.slug,
            "skjema": version.form_slug,
            "skjemaversjon": version.number,
            "referanse": str(reference),
            "innsendt": submitted_at.isoformat(),
            "paaVegneAv": who.organisation_number or None,
            "data": answers.data,
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
    for reference_of_file in engine.file_references(version.definition, answers.data):
        attachment = answers.attachments[reference_of_file["reference"]]
        documents.append(
            archive_services.DocumentInput(
                title=f"Vedlegg: {attachment.file_name}"[:255],
                file_name=attachment.file_name,
                content=io.BytesIO(bytes(attachment.content)),
            )
        )
    return documents


def _submission_case(
    *, system_user: User, municipality: Municipality, service: Service, continued: Submission | None
) -> Any:
    """Where the entry goes: the continued submission's case, else a new case in the service's
    series and class (read through the archive by their systemIDs)."""
    if continued is not None:
        case_file = archive_selectors.case_file_by_system_id(
            actor=system_user, municipality=municipality, system_id=continued.case_file_system_id
        )
        if case_file is None:
            raise NotFoundError("Fant ikke saken som skal fortsettes.", field="continue_submission")
        return case_file
    target = selectors.submission_archive_target(
        actor=system_user, municipality=municipality, service=service
    )
    if target is None:  # the series or class is gone from the archive: the service takes nothing
        raise _service_closed()
    series, archive_class = target
    return archive_services.NewCaseFile(
        series=series,
        primary_class=archive_class,
        title=service.title,
        administrative_unit=service.administrative_unit or "Postmottak",
        case_responsible=service.case_responsible or "Postmottak",
    )


def _party_for(who: CitizenActor, email: str) -> archive_services.PartyInput:
    """The sender (EA): the citizen, or the business they act for."""
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


def _submission_store(
    *,
    municipality: Municipality,
    who: CitizenActor,
    service: Service,
    answers: _Answers,
    idempotency_key: uuid.UUID,
    entry: Any,
    submitted_at: dt.datetime,
) -> Submission:
    """The ``Submission`` row pointing at the archive by systemID, its audit event, and the receipt
    e-mail enqueued for when the transaction commits."""
    submission = Submission.objects.create(
        municipality=municipality,
        service=service,
        form_version_id=answers.version.pk,
        citizen=who.citizen,
        acting_for=who.organisation_number,
        idempotency_key=idempotency_key,
        data=answers.data,
        contact_email=answers.email,
        case_number=entry.case_file.file_id,
        case_file_system_id=entry.case_file.system_id,
        registry_entry_system_id=entry.system_id,
        receipt_system_id=entry.registered_files[0].system_id,
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
    transaction.on_commit(lambda: tasks.submission_receipt_send.enqueue(submission_pk))
    return submission
