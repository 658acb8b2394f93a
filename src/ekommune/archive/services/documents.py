"""Documents (dokumentbeskrivelser) and their files (dokumentobjekter): versions, variants, finalising."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from typing import IO

from django.db import transaction
from django.utils import timezone

from ekommune.archive import codelists as cl
from ekommune.archive.models import DocumentDescription, DocumentLink, DocumentObject, RegistryEntry
from ekommune.archive.services.common import (
    _check_code,
    _log_changes,
    _non_blank,
    _require,
    _require_open_entry,
)
from ekommune.archive.services.content import _spool_and_store, _spool_checked, _stored_files_ensure
from ekommune.archive.types import ArchiveRuleError, DocumentInput
from ekommune.core.errors import ConflictError, ValidationError
from ekommune.core.models import Municipality
from ekommune.core.permissions import Permission
from ekommune.core.services import Actor, audit_event_record, tenant_row_lock


def _document_check(document: DocumentInput) -> None:
    """What a document given to ``registry_entry_register`` must be, checked before anything is written."""
    _check_code(document.document_type, cl.DOCUMENT_TYPE, "dokumenttype")
    _non_blank(document.title, "tittel")
    _check_code(document.variant_format, cl.VARIANT_FORMAT, "variant_format")
    _non_blank(document.file_name, "file_name")


def _documents_store(
    *, municipality: Municipality, documents: Sequence[DocumentInput], label: str, now: dt.datetime
) -> tuple[list[DocumentDescription], list[DocumentObject]]:
    """The documents of a new entry with their files (version 1), in a few statements, not yet linked.

    Finalised documents are stored as finalised (F) at once: their one file is written here too.
    """
    if not documents:
        return [], []
    spooled = [_spool_checked(document.content, document.expected_sha256) for document in documents]
    try:
        files = _stored_files_ensure(municipality, spooled)
    finally:
        for content in spooled:
            content.spool.close()
    descriptions = DocumentDescription.objects.bulk_create(
        DocumentDescription(
            municipality=municipality,
            title=document.title.strip(),
            document_type=document.document_type,
            status="F" if document.finalised else "B",
            created_at=now,
            created_by=label,
        )
        for document in documents
    )
    objects = DocumentObject.objects.bulk_create(
        DocumentObject(
            municipality=municipality,
            document=description,
            version_number=1,
            variant_format=document.variant_format,
            mime_type=content.mime_type,
            file_name=document.file_name.strip(),
            file=stored,
            checksum=content.sha256,
            size=content.size,
            created_at=now,
            created_by=label,
        )
        for description, document, content, stored in zip(
            descriptions, documents, spooled, files, strict=True
        )
    )
    return descriptions, objects


def _description_link_new(
    *,
    municipality: Municipality,
    entry: RegistryEntry,
    title: str,
    document_type: str,
    status: str,
    linked_as: str,
    label: str,
    now: dt.datetime,
) -> DocumentDescription:
    """Create a document and link it to ``entry`` (locked by the caller) as the next document number."""
    _check_code(document_type, cl.DOCUMENT_TYPE, "dokumenttype")
    _check_code(status, cl.DOCUMENT_STATUS, "dokumentstatus")
    description = DocumentDescription.objects.create(
        municipality=municipality,
        title=_non_blank(title, "tittel"),
        document_type=document_type,
        status=status,
        created_at=now,
        created_by=label,
    )
    last = entry.document_links.order_by("-document_number").values_list("document_number", flat=True).first()
    DocumentLink.objects.create(
        municipality=municipality,
        registry_entry=entry,
        document=description,
        linked_as=linked_as,
        document_number=(last or 0) + 1,
        linked_at=now,
        linked_by=label,
    )
    return description


def document_description_create(
    *,
    actor: Actor,
    municipality: Municipality,
    entry: RegistryEntry,
    title: str,
    document_type: str = "B",
    status: str = "B",
    linked_as: str | None = None,
) -> DocumentDescription:
    """A new document on an entry, without a file yet (add it with ``document_object_add``).

    The first document becomes the main document (H), later ones attachments (V), unless
    ``linked_as`` says otherwise.
    """
    label = _require(actor, municipality, Permission.ARCHIVE_REGISTER)
    if linked_as is not None:
        _check_code(linked_as, cl.LINKED_AS, "tilknyttetRegistreringSom")
    now = timezone.now()
    with transaction.atomic():
        locked = tenant_row_lock(RegistryEntry, pk=entry.pk, municipality=municipality)
        _require_open_entry(locked)
        has_main = locked.document_links.filter(linked_as="H").exists()
        if linked_as == "H" and has_main:
            raise ArchiveRuleError(
                "Journalposten har allerede et hoveddokument.", code="main_document_exists"
            )
        description = _description_link_new(
            municipality=municipality,
            entry=locked,
            title=title,
            document_type=document_type,
            status=status,
            linked_as=linked_as or ("V" if has_main else "H"),
            label=label,
            now=now,
        )
        audit_event_record(
            actor=actor,
            municipality=municipality,
            action="archive.document.create",
            object_type="dokumentbeskrivelse",
            object_id=str(description.system_id),
            detail={"journalpost": str(locked.system_id)},
        )
    return description


def _next_version_number(document: DocumentDescription) -> int:
    last = (
        document.document_objects.order_by("-version_number").values_list("version_number", flat=True).first()
    )
    return (last or 0) + 1


def _entries_accept_documents(document: DocumentDescription) -> None:
    if document.entries.filter(status="A").exists():
        raise ArchiveRuleError(
            "Journalposten er arkivert; dokumentene kan ikke endres.", code="entry_archived"
        )


def _version_for_new_object(locked: DocumentDescription, variant_format: str) -> int | None:
    """The version a new object of ``locked`` must have (None: the next one), or refuse it.

    A finalised document's content never changes: only an archival-format variant (A) of its
    latest version may be added (a conversion).
    """
    _entries_accept_documents(locked)
    if locked.status != "F" or not locked.document_objects.exists():
        return None
    latest = locked.document_objects.order_by("-version_number").first()
    if (
        variant_format != "A"
        or latest is None
        or locked.document_objects.filter(version_number=latest.version_number, variant_format="A").exists()
    ):
        raise ArchiveRuleError(
            "Dokumentet er ferdigstilt og kan ikke endres; bare en arkivversjon kan legges til.",
            code="document_finalised",
        )
    return latest.version_number


def _object_add(
    *,
    municipality: Municipality,
    document: DocumentDescription,
    file_name: str,
    content: IO[bytes] | Iterator[bytes],
    variant_format: str,
    expected_sha256: str,
    label: str,
    now: dt.datetime,
    version_number: int | None = None,
) -> DocumentObject:
    _check_code(variant_format, cl.VARIANT_FORMAT, "variant_format")
    stored = _spool_and_store(municipality, content, expected_sha256)
    if version_number is None:
        version_number = _next_version_number(document)
    return DocumentObject.objects.create(
        municipality=municipality,
        document=document,
        version_number=version_number,
        variant_format=variant_format,
        mime_type=stored.mime_type,
        file_name=_non_blank(file_name, "file_name"),
        file=stored.file,
        checksum=stored.sha256,
        size=stored.size,
        created_at=now,
        created_by=label,
    )


def document_object_add(
    *,
    actor: Actor,
    municipality: Municipality,
    document: DocumentDescription,
    file_name: str,
    content: IO[bytes],
    variant_format: str = "P",
    expected_sha256: str = "",
) -> DocumentObject:
    """Add a file to a document: a new version while it is being edited, or its archival variant.

    ``expected_sha256`` (from the client) is verified against what arrived.
    """
    label = _require(actor, municipality, Permission.ARCHIVE_REGISTER)
    with transaction.atomic():
        locked = tenant_row_lock(DocumentDescription, pk=document.pk, municipality=municipality)
        obj = _object_add(
            municipality=municipality,
            document=locked,
            file_name=file_name,
            content=content,
            variant_format=variant_format,
            expected_sha256=expected_sha256,
            label=label,
            now=timezone.now(),
            version_number=_version_for_new_object(locked, variant_format),
        )
        audit_event_record(
            actor=actor,
            municipality=municipality,
            action="archive.document_object.add",
            object_type="dokumentobjekt",
            object_id=str(obj.system_id),
            detail={"versjonsnummer": obj.version_number, "variantformat": variant_format},
        )
    return obj


def document_object_create(
    *,
    actor: Actor,
    municipality: Municipality,
    document: DocumentDescription,
    file_name: str,
    variant_format: str = "P",
    mime_type: str = "",
    format: str = "",
    expected_sha256: str = "",
    expected_size: int | None = None,
) -> DocumentObject:
    """A document object described before its file arrives (``document_object_upload``).

    What the client declares here (checksum, size) is verified when the file comes.
    """
    label = _require(actor, municipality, Permission.ARCHIVE_REGISTER)
    _check_code(variant_format, cl.VARIANT_FORMAT, "variantformat")
    if expected_sha256 and not re.fullmatch(r"[0-9a-fA-F]{64}", expected_sha256):
        raise ValidationError(
            "sjekksum må være en SHA-256 i heksadesimal.", code="invalid_checksum", field="sjekksum"
        )
    with transaction.atomic():
        locked = tenant_row_lock(DocumentDescription, pk=document.pk, municipality=municipality)
        version = _version_for_new_object(locked, variant_format)
        obj = DocumentObject.objects.create(
            municipality=municipality,
            document=locked,
            version_number=version or _next_version_number(locked),
            variant_format=variant_format,
            mime_type=mime_type,
            format=format,
            file_name=_non_blank(file_name, "filnavn"),
            file=None,
            checksum=expected_sha256.lower(),
            size=expected_size,
            created_at=timezone.now(),
            created_by=label,
        )
        audit_event_record(
            actor=actor,
            municipality=municipality,
            action="archive.document_object.create",
            object_type="dokumentobjekt",
            object_id=str(obj.system_id),
            detail={"versjonsnummer": obj.version_number, "variantformat": variant_format},
        )
    return obj


def document_object_upload(
    *, actor: Actor, municipality: Municipality, document_object: DocumentObject, content: IO[bytes]
) -> DocumentObject:
    """The file of a document object created without one. A stored file is never replaced."""
    _require(actor, municipality, Permission.ARCHIVE_REGISTER)
    with transaction.atomic():
        locked = tenant_row_lock(DocumentObject, pk=document_object.pk, municipality=municipality)
        if locked.file_id is not None:
            raise ConflictError(
                "En fil kan ikke overskrives: slett dokumentobjektet og last opp på nytt.",
                code="file_exists",
                field="fil",
            )
        _entries_accept_documents(locked.document)
        stored = _spool_and_store(municipality, content, locked.checksum, locked.size)
        locked.file, locked.checksum, locked.size = stored.file, stored.sha256, stored.size
        locked.mime_type = locked.mime_type or stored.mime_type
        locked.save(update_fields=["file", "checksum", "size", "mime_type"])
        audit_event_record(
            actor=actor,
            municipality=municipality,
            action="archive.document_object.upload",
            object_type="dokumentobjekt",
            object_id=str(locked.system_id),
            detail={"sjekksum": stored.sha256, "filstoerrelse": stored.size},
        )
    return locked


def document_finalise(
    *, actor: Actor, municipality: Municipality, document: DocumentDescription
) -> DocumentDescription:
    """Set dokumentstatus F: from now on the document's content cannot change or be deleted."""
    _require(actor, municipality, Permission.ARCHIVE_REGISTER)
    with transaction.atomic():
        locked = tenant_row_lock(DocumentDescription, pk=document.pk, municipality=municipality)
        if locked.status == "F":
            raise ArchiveRuleError("Dokumentet er allerede ferdigstilt.", code="document_finalised")
        objects = locked.document_objects
        if not objects.exists() or objects.filter(file__isnull=True).exists():
            raise ArchiveRuleError("Dokumentet mangler en fil.", code="document_without_file")
        locked.status = "F"
        locked.save(update_fields=["status"])
        _log_changes(
            municipality=municipality,
            actor=actor,
            object_type="dokumentbeskrivelse",
            system_id=locked.system_id,
            changes={"dokumentstatus": ("B", "F")},
        )
    return locked


def document_object_delete(
    *, actor: Actor, municipality: Municipality, document_object: DocumentObject
) -> None:
    """Delete a file of a document under editing. Finalised documents keep every file."""
    _require(actor, municipality, Permission.ARCHIVE_REGISTER)
    with transaction.atomic():
        locked = tenant_row_lock(
            DocumentDescription, pk=document_object.document_id, municipality=municipality
        )
        if locked.status == "F":
            raise ArchiveRuleError(
                "Dokumentet er ferdigstilt; filene kan ikke slettes.", code="document_finalised"
            )
        system_id = document_object.system_id
        document_object.delete()
        audit_event_record(
            actor=actor,
            municipality=municipality,
            action="archive.document_object.delete",
            object_type="dokumentobjekt",
            object_id=str(system_id),
        )
