"""Drafts: a citizen's answers kept as typed, with their attachments, until submitted."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import BinaryField, F, Func, Value
from django.utils import timezone

from ekommune.core.errors import ConflictError, NotFoundError, ValidationError
from ekommune.core.models import Municipality
from ekommune.portal import engine
from ekommune.portal.models import (
    Draft,
    DraftAttachment,
    Service,
    Submission,
)
from ekommune.portal.selectors import draft_of_citizen, form_version_info, new_draft_values
from ekommune.portal.types import CitizenActor, Upload

# ------------------------------------------------------------------ drafts


def draft_start(
    *,
    municipality: Municipality,
    who: CitizenActor,
    service: Service,
    continues: Submission | None = None,
    create: bool = True,
) -> Draft:
    """The citizen's draft of this service's form: resumed if there is one, else started (prefilled).

    ``continues``: an earlier submission of the citizen to this service whose case the new
    submission goes into (ettersending). ``create=False``: a new draft is returned unsaved, for
    ``draft_save`` to store with the citizen's first answers in one go (the form page: a GET
    never writes, so a form only looked at leaves no draft on Min side).
    """
    if service.municipality_id != municipality.pk or not service.is_published:
        raise NotFoundError("Fant ikke tjenesten.")
    if continues is not None and (
        continues.municipality_id != municipality.pk
        or continues.citizen_id != who.citizen.pk
        or continues.service_id != service.pk
    ):
        raise NotFoundError("Fant ikke saken som skal fortsettes.", field="continues")
    existing = draft_of_citizen(municipality=municipality, citizen=who.citizen, service=service)
    if existing is not None:
        if continues is not None and existing.continues_id != continues.pk:
            existing.continues = continues
            existing.save(update_fields=["continues", "updated_at"])
        return existing
    version, values = new_draft_values(
        municipality=municipality,
        service=service,
        citizen=who.citizen,
        organisation_number=who.organisation_number,
    )
    draft = Draft(
        municipality=municipality,
        citizen=who.citizen,
        service=service,
        form_version_id=version.pk,
        values=values,
        continues=continues,
    )
    if create:
        draft = _draft_insert(draft)
    return draft


def _draft_insert(draft: Draft) -> Draft:
    """Store a new draft; if the same citizen started one a moment ago (two tabs), that one."""
    try:
        with transaction.atomic():
            draft.save(force_insert=True)
    except IntegrityError:
        return Draft.objects.get(
            municipality_id=draft.municipality_id, citizen_id=draft.citizen_id, service_id=draft.service_id
        )
    return draft


def _storable(value: Any) -> str:
    """Text as PostgreSQL's JSONB can hold it (no NUL characters), cut to the engine's limit."""
    return str(value).replace("\x00", "")[: engine.MAX_TEXT]


def _file_name(name: str) -> str:
    """A file name safe to show and to archive: no path, no control characters, never blank."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(char for char in base if char.isprintable()).strip()
    return cleaned[:200] or "vedlegg"


def draft_save(
    *,
    municipality: Municipality,
    who: CitizenActor,
    draft: Draft,
    values: Mapping[str, Any],
    uploads: list[Upload] = (),  # type: ignore[assignment]
    removed: list[str] = (),  # type: ignore[assignment]
) -> Draft:
    """Keep what the citizen typed (valid or not) and the files they attached.

    ``draft`` may be a new one not yet stored (``draft_start(create=False)``): it is stored here,
    with these values, in the same transaction as the files.
    """
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
    for upload in uploads:
        if len(upload.content) > engine.MAX_FILE_SIZE:
            raise ValidationError("Filen er for stor.", code="file_too_large", field=upload.input_name)
    with transaction.atomic():
        inserted = False
        if draft.pk is None:  # a new draft: stored with these values (another tab's is updated)
            draft.values = clean_values
            stored = _draft_insert(draft)
            inserted, draft = stored is draft, stored
        # The UPDATE locks the draft (a concurrent submit waits, or has already deleted it).
        if not inserted and not Draft.objects.filter(pk=draft.pk).update(
            values=clean_values, updated_at=timezone.now()
        ):
            raise ConflictError("Utkastet er allerede sendt inn.", code="draft_submitted")
        draft.values = clean_values
        if removed:
            DraftAttachment.objects.filter(draft_id=draft.pk, input_name__in=list(removed)).delete()
        # One statement for all files; the draft row is locked, so nobody else writes them meanwhile.
        DraftAttachment.objects.bulk_create(
            [
                DraftAttachment(
                    municipality=municipality,
                    draft=draft,
                    input_name=upload.input_name[:120],
                    file_name=_file_name(upload.file_name),
                    content_type=engine.sniff_content_type(upload.content[:512]),
                    size=len(upload.content),
                    content=upload.content,
                )
                for upload in {upload.input_name[:120]: upload for upload in uploads}.values()
            ],
            update_conflicts=True,
            unique_fields=["draft", "input_name"],
            update_fields=["file_name", "content_type", "size", "content"],
        )
    return draft


def draft_discard(*, municipality: Municipality, who: CitizenActor, draft: Draft) -> None:
    if draft.municipality_id != municipality.pk or draft.citizen_id != who.citizen.pk:
        raise NotFoundError("Fant ikke utkastet.")
    Draft.objects.filter(pk=draft.pk).delete()


def _uploaded(attachment: DraftAttachment, head: bytes) -> engine.UploadedFile:
    return engine.UploadedFile(
        name=attachment.file_name, size=attachment.size, head=head, reference=str(attachment.pk)
    )


def draft_files(draft: Draft) -> dict[str, engine.UploadedFile]:
    """The draft's attachments as the engine sees them (name, size, first bytes; not the content)."""
    head = Func(F("content"), Value(1), Value(512), function="substring", output_field=BinaryField())
    return {
        attachment.input_name: _uploaded(attachment, bytes(attachment.head))
        for attachment in draft.attachments.defer("content").annotate(head=head)
    }


def draft_attachments(draft: Draft) -> tuple[list[DraftAttachment], dict[str, engine.UploadedFile]]:
    """The draft's attachments with their content, and the same as the engine sees them."""
    attachments = list(draft.attachments.all())
    return attachments, {item.input_name: _uploaded(item, bytes(item.content[:512])) for item in attachments}


def draft_validate(*, draft: Draft) -> engine.Result:
    definition = form_version_info(version_id=draft.form_version_id).definition
    return engine.input_validate(definition, draft.values, draft_files(draft))
