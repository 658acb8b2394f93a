"""Every write of the portal: catalogue, forms, drafts, submissions, inbox, mailbox, notices.

Keyword-only, typed, one transaction each. Staff actions check the actor's permission in the
municipality; citizen actions take the logged-in citizen (``identity.selectors.session_citizen``)
and touch only that citizen's rows. A submission and its archive registration are one
transaction (docs/decisions/0032-submission-atomic-archive-registration.md).
"""

from __future__ import annotations

import io
import json
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import BinaryField, F, Func, Value
from django.utils import timezone

from ekommune.archive import services as archive_services
from ekommune.core import services as core_services
from ekommune.core.errors import ApplicationError, ConflictError, NotFoundError, ValidationError
from ekommune.core.models import Municipality, Role, User
from ekommune.core.permissions import Permission
from ekommune.core.services import Actor
from ekommune.portal import engine, notices, pdf
from ekommune.portal.models import (
    Draft,
    DraftAttachment,
    FormDefinition,
    FormVersion,
    LetterTemplate,
    MailboxMessage,
    NoticePreference,
    PortalSettings,
    Service,
    Submission,
)

SERVICE_FIELDS = (
    "slug",
    "title",
    "summary",
    "description",
    "who_may_apply",
    "price",
    "processing_time",
    "legal_basis",
    "contact",
    "required_level",
    "life_event",
    "topic",
    "is_published",
    "form",
    "archive_series",
    "archive_class",
    "administrative_unit",
    "case_responsible",
)
# A submission names a person: the public journal shows neither sender nor recipient.
PERSONAL_DATA_SCREENING = archive_services.ScreeningInput(
    access_restriction="13",
    legal_basis="Offl. § 13 jf. fvl. § 13 (1) nr. 1",
    screened_metadata=("NA", "NM"),
)


@dataclass(frozen=True)
class CitizenActor:
    """The logged-in citizen a citizen-side service acts for (from ``session_citizen``)."""

    citizen: Any  # identity.Citizen
    organisation_number: str = ""

    @property
    def label(self) -> str:
        return f"innbygger:{self.citizen.system_id}"


def _full_clean(instance: Any, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude, validate_unique=False)
    except DjangoValidationError as exc:
        field, errors = next(iter(exc.error_dict.items()))
        message = " ".join(str(m) for error in errors for m in error.messages)
        raise ValidationError(
            message, code=errors[0].code or "invalid", field=None if field == "__all__" else field
        ) from exc


def _audit_citizen(
    municipality: Municipality,
    who: CitizenActor,
    action: str,
    object_type: str,
    object_id: Any,
    **detail: Any,
) -> None:
    core_services.audit_event_record(
        actor=None,
        municipality=municipality,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        detail=detail or None,
        actor_label=who.label,
    )


def _label(actor: Actor) -> str:
    if isinstance(actor, User):
        return actor.get_full_name() or actor.get_username()
    return "system"


# ------------------------------------------------------------------ set-up


def portal_system_user_ensure(*, actor: Actor, municipality: Municipality) -> User:
    """The account that registers submissions in the archive (created once, case-worker role).

    Its password is random and never shown: nobody logs in as it.
    """
    existing = PortalSettings.objects.filter(municipality=municipality).select_related("system_user").first()
    if existing is not None:
        return existing.system_user
    with transaction.atomic():
        user = core_services.staff_user_create(
            actor=actor,
            municipality=municipality,
            username=f"tjenestetorg.{municipality.slug}",
            first_name="Tjenestetorg",
            last_name="(system)",
            email="",
            password=secrets.token_urlsafe(32),
            roles=[Role.CASE_WORKER],
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        PortalSettings.objects.create(municipality=municipality, system_user=user)
    return user


def _system_user(municipality: Municipality) -> User:
    found = PortalSettings.objects.filter(municipality=municipality).select_related("system_user").first()
    if found is None:
        raise ApplicationError(
            "Tjenestetorget er ikke satt opp i denne kommunen ennå.", code="portal_not_configured"
        )
    return found.system_user


# ------------------------------------------------------------------ catalogue


def _check_service_refs(service: Service, municipality: Municipality) -> None:
    for name in ("form", "archive_series", "archive_class"):
        related = getattr(service, name)
        if related is not None and related.municipality_id != municipality.pk:
            raise ValidationError(
                "Objektet hører til en annen kommune.", code="wrong_municipality", field=name
            )
    if (
        service.archive_class is not None
        and service.archive_series is not None
        and service.archive_class.classification_system_id != service.archive_series.classification_system_id
    ):
        raise ValidationError(
            "Klassen hører ikke til arkivdelens klassifikasjonssystem.",
            code="wrong_class",
            field="archive_class",
        )


def service_create(*, actor: Actor, municipality: Municipality, values: Mapping[str, Any]) -> Service:
    """Add a service to the catalogue (staff with ``portal.manage``)."""
    core_services.permission_require(
        actor=actor, municipality=municipality, permission=Permission.PORTAL_MANAGE
    )
    unknown = set(values) - set(SERVICE_FIELDS)
    if unknown:
        raise ValidationError(f"Ukjente felt: {', '.join(sorted(unknown))}.", field=sorted(unknown)[0])
    service = Service(municipality=municipality, **values)
    _full_clean(service, exclude=["municipality"])
    _check_service_refs(service, municipality)
    with transaction.atomic():
        try:
            with transaction.atomic():
                service.save()
        except IntegrityError as exc:
            raise ConflictError("Kortnavnet er allerede i bruk.", code="conflict", field="slug") from exc
        core_services.audit_event_record(
            actor=actor,
            municipality=municipality,
            action="portal.service.create",
            object_type="tjeneste",
            object_id=service.pk,
            detail={"slug": service.slug},
        )
    return service


def service_update(
    *, actor: Actor, municipality: Municipality, service: Service, values: Mapping[str, Any]
) -> Service:
    core_services.permission_require(
        actor=actor, municipality=municipality, permission=Permission.PORTAL_MANAGE
    )
    unknown = set(values) - set(SERVICE_FIELDS)
    if unknown:
        raise ValidationError(f"Ukjente felt: {', '.join(sorted(unknown))}.", field=sorted(unknown)[0])
    with transaction.atomic():
        locked = Service.objects.select_for_update().filter(pk=service.pk, municipality=municipality).first()
        if locked is None:
            raise NotFoundError("Fant ikke tjenesten.")
        for name, value in values.items():
            setattr(locked, name, value)
        _full_clean(locked, exclude=["municipality"])
        _check_service_refs(locked, municipality)
        try:
            with transaction.atomic():
                locked.save()
        except IntegrityError as exc:
            raise ConflictError("Kortnavnet er allerede i bruk.", code="conflict", field="slug") from exc
        core_services.audit_event_record(
            actor=actor,
            municipality=municipality,
            action="portal.service.update",
            object_type="tjeneste",
            object_id=locked.pk,
            detail={"fields": sorted(values)},
        )
    return locked


# ------------------------------------------------------------------ forms


def _definition_checked(definition: Any) -> engine.Definition:
    try:
        return engine.definition_parse(definition)
    except engine.DefinitionError as error:
        raise ValidationError(str(error), code="invalid_definition", field="definition") from error


def form_definition_create(
    *, actor: Actor, municipality: Municipality, slug: str, title: str, definition: Any
) -> FormDefinition:
    """A new form with its first version (staff with ``portal.manage``)."""
    core_services.permission_require(
        actor=actor, municipality=municipality, permission=Permission.PORTAL_MANAGE
    )
    _definition_checked(definition)
    form = FormDefinition(municipality=municipality, slug=slug.strip(), title=title.strip())
    _full_clean(form, exclude=["municipality"])
    with transaction.atomic():
        try:
            with transaction.atomic():
                form.save()
        except IntegrityError as exc:
            raise ConflictError("Kortnavnet er allerede i bruk.", code="conflict", field="slug") from exc
        FormVersion.objects.create(
            municipality=municipality,
            form=form,
            number=1,
            definition=definition,
            created_by=_label(actor),
        )
        core_services.audit_event_record(
            actor=actor,
            municipality=municipality,
            action="portal.form.create",
            object_type="skjema",
            object_id=form.pk,
            detail={"slug": form.slug},
        )
    return form


def form_version_add(
    *, actor: Actor, municipality: Municipality, form: FormDefinition, definition: Any
) -> FormVersion:
    """A new version of a form. Earlier versions stay as they were (drafts and submissions keep theirs)."""
    core_services.permission_require(
        actor=actor, municipality=municipality, permission=Permission.PORTAL_MANAGE
    )
    _definition_checked(definition)
    with transaction.atomic():
        locked = (
            FormDefinition.objects.select_for_update().filter(pk=form.pk, municipality=municipality).first()
        )
        if locked is None:
            raise NotFoundError("Fant ikke skjemaet.")
        last = locked.versions.order_by("-number").first()
        if last is not None and last.definition == definition:
            return last
        version = FormVersion.objects.create(
            municipality=municipality,
            form=locked,
            number=(last.number if last else 0) + 1,
            definition=definition,
            created_by=_label(actor),
        )
        core_services.audit_event_record(
            actor=actor,
            municipality=municipality,
            action="portal.form.version_add",
            object_type="skjema",
            object_id=locked.pk,
            detail={"version": version.number},
        )
    return version


def letter_template_save(
    *, actor: Actor, municipality: Municipality, name: str, subject: str, body: str
) -> LetterTemplate:
    core_services.permission_require(
        actor=actor, municipality=municipality, permission=Permission.PORTAL_MANAGE
    )
    with transaction.atomic():
        template, _ = LetterTemplate.objects.update_or_create(
            municipality=municipality, name=name.strip(), defaults={"subject": subject.strip(), "body": body}
        )
        _full_clean(template, exclude=["municipality"])
        core_services.audit_event_record(
            actor=actor,
            municipality=municipality,
            action="portal.letter_template.save",
            object_type="brevmal",
            object_id=template.pk,
        )
    return template


# ------------------------------------------------------------------ drafts


def _published_with_form(service: Service, municipality: Municipality) -> FormVersion:
    if service.municipality_id != municipality.pk or not service.is_published:
        raise NotFoundError("Fant ikke tjenesten.")
    version = service.form.current_version() if service.form is not None else None
    if version is None:
        raise NotFoundError("Tjenesten har ikke noe skjema.", code="no_form")
    return version


def draft_start(*, municipality: Municipality, who: CitizenActor, service: Service) -> Draft:
    """The citizen's draft of this service's form: resumed if there is one, else started (prefilled)."""
    if service.municipality_id != municipality.pk or not service.is_published:
        raise NotFoundError("Fant ikke tjenesten.")
    existing = (
        Draft.objects.select_related("form_version")
        .filter(municipality=municipality, citizen=who.citizen, service=service)
        .first()
    )
    if existing is not None:
        return existing
    version = _published_with_form(service, municipality)
    definition = engine.definition_parse(version.definition)
    values = engine.prefill_values(
        definition,
        {
            "pid": who.citizen.national_identity_number,
            "name": who.citizen.name,
            "organisation_number": who.organisation_number,
        },
    )
    with transaction.atomic():
        draft, _ = Draft.objects.get_or_create(
            municipality=municipality,
            citizen=who.citizen,
            service=service,
            defaults={"form_version": version, "values": values},
        )
    return draft


@dataclass(frozen=True)
class Upload:
    """A file the citizen attached, read into memory (its size is checked before it is read whole)."""

    input_name: str
    file_name: str
    content: bytes


def _storable(value: Any) -> str:
    """Text as PostgreSQL's JSONB can hold it (no NUL characters), cut to the engine's limit."""
    return str(value).replace("\x00", "")[: engine.MAX_TEXT]


def draft_save(
    *,
    municipality: Municipality,
    who: CitizenActor,
    draft: Draft,
    values: Mapping[str, Any],
    uploads: list[Upload] = (),  # type: ignore[assignment]
    removed: list[str] = (),  # type: ignore[assignment]
) -> Draft:
    """Keep what the citizen typed (valid or not) and the files they attached."""
    if draft.municipality_id != municipality.pk or draft.citizen_id != who.citizen.pk:
        raise NotFoundError("Fant ikke utkastet.")
    clean_values: dict[str, Any] = {}
    for name, value in values.items():
        if not isinstance(name, str) or len(name) > 120 or "\x00" in name:
            continue
        if isinstance(value, list):
            clean_values[name] = [_storable(item) for item in value[:100]]
        else:
            clean_values[name] = _storable(value)
    with transaction.atomic():
        locked = Draft.objects.select_for_update().filter(pk=draft.pk).first()
        if locked is None:
            raise ConflictError("Utkastet er allerede sendt inn.", code="draft_submitted")
        locked.values = clean_values
        locked.save(update_fields=["values", "updated_at"])
        locked.attachments.filter(input_name__in=list(removed)).delete()
        for upload in uploads:
            if len(upload.content) > engine.MAX_FILE_SIZE:
                raise ValidationError("Filen er for stor.", code="file_too_large", field=upload.input_name)
            DraftAttachment.objects.update_or_create(
                municipality=municipality,
                draft=locked,
                input_name=upload.input_name[:120],
                defaults={
                    "file_name": (upload.file_name or "vedlegg")[:200],
                    "content_type": engine.sniff_content_type(upload.content[:512]),
                    "size": len(upload.content),
                    "content": upload.content,
                },
            )
    return locked


def draft_discard(*, municipality: Municipality, who: CitizenActor, draft: Draft) -> None:
    if draft.municipality_id != municipality.pk or draft.citizen_id != who.citizen.pk:
        raise NotFoundError("Fant ikke utkastet.")
    Draft.objects.filter(pk=draft.pk).delete()


def draft_files(draft: Draft) -> dict[str, engine.UploadedFile]:
    """The draft's attachments as the engine sees them (name, size, first bytes; not the content)."""
    head = Func(F("content"), Value(1), Value(512), function="substring", output_field=BinaryField())
    return {
        attachment.input_name: engine.UploadedFile(
            name=attachment.file_name,
            size=attachment.size,
            head=bytes(attachment.head),
            reference=str(attachment.pk),
        )
        for attachment in draft.attachments.defer("content").annotate(head=head)
    }


def draft_validate(*, draft: Draft) -> engine.Result:
    definition = engine.definition_parse(draft.form_version.definition)
    return engine.input_validate(definition, draft.values, draft_files(draft))


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
    existing = Submission.objects.filter(municipality=municipality, idempotency_key=idempotency_key).first()
    if existing is not None:
        if existing.citizen_id != who.citizen.pk:
            raise NotFoundError("Fant ikke innsendingen.")
        return existing
    draft = (
        Draft.objects.select_related("form_version")
        .filter(
            municipality=municipality, citizen=who.citizen, service=service, idempotency_key=idempotency_key
        )
        .first()
    )
    if draft is None:
        raise ConflictError(
            "Fant ikke utkastet til denne innsendingen. Last siden på nytt.", code="draft_missing"
        )
    if not service.accepts_submissions:
        raise ApplicationError("Tjenesten tar ikke imot innsendinger nå.", code="service_closed")
    if continue_submission is not None and (
        continue_submission.municipality_id != municipality.pk
        or continue_submission.citizen_id != who.citizen.pk
    ):
        raise NotFoundError("Fant ikke saken som skal fortsettes.", field="continue_submission")
    system_user = _system_user(municipality)
    definition = engine.definition_parse(draft.form_version.definition)
    attachments = {attachment.pk: attachment for attachment in draft.attachments.all()}
    result = engine.input_validate(definition, draft.values, draft_files(draft))
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
    form_pdf = pdf.render_pdf(
        "portal/pdf/form.html",
        {
            "municipality": municipality,
            "service": service,
            "submitted_at": timezone.localtime(submitted_at),
            "citizen_name": who.citizen.name,
            "acting_for": who.organisation_number,
            "reference": str(idempotency_key),
            "version": draft.form_version.number,
            "rows": engine.display_rows(definition, result.data),
        },
    )
    machine_readable = json.dumps(
        {
            "tjeneste": service.slug,
            "skjema": draft.form_version.form.slug,
            "skjemaversjon": draft.form_version.number,
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
    for reference in engine.file_references(definition, result.data):
        attachment = attachments[int(reference["reference"])]
        documents.append(
            archive_services.DocumentInput(
                title=f"Vedlegg: {attachment.file_name}"[:255],
                file_name=attachment.file_name,
                content=io.BytesIO(bytes(attachment.content)),
            )
        )
    with transaction.atomic():
        locked = Draft.objects.select_for_update().filter(pk=draft.pk).first()
        if locked is None:  # a concurrent submit of the same draft won: return what it stored
            return Submission.objects.get(municipality=municipality, idempotency_key=idempotency_key)
        if continue_submission is not None:
            case_file = continue_submission.case_file
        else:
            case_file = archive_services.case_file_create(
                actor=system_user,
                municipality=municipality,
                series=service.archive_series,  # type: ignore[arg-type]
                primary_class=service.archive_class,
                title=service.title,
                administrative_unit=service.administrative_unit or "Postmottak",
                case_responsible=service.case_responsible or "Postmottak",
            )
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
        receipt = entry.document_links.get(document_number=1).document.document_objects.get()
        submission = Submission.objects.create(
            municipality=municipality,
            service=service,
            form_version=draft.form_version,
            citizen=who.citizen,
            acting_for=who.organisation_number,
            idempotency_key=idempotency_key,
            data=result.data,
            contact_email=email,
            case_number=case_file.file_id,
            case_file=case_file,
            registry_entry=entry,
            receipt=receipt,
            submitted_at=submitted_at,
            status_changed_at=submitted_at,
        )
        locked.delete()
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
    letter = pdf.render_pdf(
        "portal/pdf/letter.html",
        {
            "municipality": municipality,
            "recipient": citizen.name,
            "case_number": submission.case_number,
            "date": timezone.localdate(),
            "subject": subject,
            "body": body,
            "signer": signer,
        },
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
        document = entry.document_links.get(document_number=1).document.document_objects.get()
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


# ------------------------------------------------------------------ mailbox and notices (citizens)


def mailbox_message_open(
    *, municipality: Municipality, who: CitizenActor, message: MailboxMessage
) -> MailboxMessage:
    """The citizen opens a letter: the first time records the read receipt (lesekvittering)."""
    if message.municipality_id != municipality.pk or message.citizen_id != who.citizen.pk:
        raise NotFoundError("Fant ikke brevet.")
    with transaction.atomic():
        updated = MailboxMessage.objects.filter(pk=message.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        if updated:
            _audit_citizen(municipality, who, "portal.mailbox.read", "brev", message.system_id)
    message.refresh_from_db(fields=["read_at"])
    return message


def notice_preference_set(
    *, municipality: Municipality, who: CitizenActor, email: str, notify_by_email: bool
) -> NoticePreference:
    preference = NoticePreference(
        municipality=municipality, citizen=who.citizen, email=email.strip(), notify_by_email=notify_by_email
    )
    _full_clean(preference, exclude=["municipality", "citizen"])
    with transaction.atomic():
        saved, _ = NoticePreference.objects.update_or_create(
            municipality=municipality,
            citizen=who.citizen,
            defaults={"email": preference.email, "notify_by_email": notify_by_email},
        )
        _audit_citizen(municipality, who, "portal.notice_preference.set", "varsling", saved.pk)
    return saved
