"""Chunked uploads (the Tjenestegrensesnitt's upload above ``bulkgrense``): parts into a file, then a document object."""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction

from ekommune.archive import storage
from ekommune.archive.models import DocumentDescription, DocumentObject, UploadSession
from ekommune.archive.services.common import _require
from ekommune.archive.services.documents import (
    _entries_accept_documents,
    _version_for_new_object,
    document_object_add,
    document_object_upload,
)
from ekommune.core.errors import ConflictError, NotFoundError, ValidationError
from ekommune.core.models import Municipality, User
from ekommune.core.permissions import Permission
from ekommune.core.services import Actor, tenant_object_check, tenant_row_lock


def _upload_path(session: UploadSession) -> Path:
    return Path(settings.EKOMMUNE_UPLOAD_DIR) / f"{session.system_id}.part"


def upload_session_start(
    *,
    actor: Actor,
    municipality: Municipality,
    target: DocumentDescription | DocumentObject,
    file_name: str,
    mime_type: str,
    total_size: int,
) -> UploadSession:
    """Begin a chunked upload of ``total_size`` bytes for a document (a new object) or an object without a file."""
    _require(actor, municipality, Permission.ARCHIVE_REGISTER)
    assert isinstance(actor, User)  # _require admits logged-in users only
    if total_size <= 0:
        raise ValidationError(
            "Filstørrelsen må være over 0.", code="invalid_size", field="X-Upload-Content-Length"
        )
    tenant_object_check(target, municipality=municipality, field="fil")
    with transaction.atomic():
        if isinstance(target, DocumentObject):
            locked_object = tenant_row_lock(DocumentObject, pk=target.pk, municipality=municipality)
            if locked_object.file_id is not None:
                raise ConflictError("Dokumentobjektet har allerede en fil.", code="file_exists", field="fil")
            _entries_accept_documents(locked_object.document)
            fields: dict[str, Any] = {"document_object": locked_object}
        else:
            locked_document = tenant_row_lock(DocumentDescription, pk=target.pk, municipality=municipality)
            _version_for_new_object(locked_document, "P")
            fields = {"document": locked_document}
        session = UploadSession.objects.create(
            municipality=municipality,
            user=actor,
            file_name=file_name.strip() or "dokument",
            mime_type=mime_type,
            total_size=total_size,
            **fields,
        )
    path = _upload_path(session)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    return session


def _part_write(path: Path, offset: int, total_size: int, content: IO[bytes]) -> int:
    """Write a part at ``offset`` into the upload's file (cut after it); the bytes written."""
    with path.open("r+b") as part:
        part.seek(offset)
        written = 0
        for chunk in storage.iter_chunks(content):
            written += len(chunk)
            if offset + written > total_size:
                raise ValidationError(
                    "Delen går forbi den oppgitte filstørrelsen.",
                    code="range_mismatch",
                    field="Content-Range",
                )
            part.write(chunk)
        part.truncate()
    return written


def _upload_complete(
    *, actor: Actor, municipality: Municipality, session: UploadSession, path: Path
) -> DocumentObject:
    """The whole file of a finished upload, stored through the same services as a plain upload."""
    with path.open("rb") as complete:
        if session.document_object is not None:
            return document_object_upload(
                actor=actor,
                municipality=municipality,
                document_object=session.document_object,
                content=complete,
            )
        assert session.document is not None
        return document_object_add(
            actor=actor,
            municipality=municipality,
            document=session.document,
            file_name=session.file_name,
            content=complete,
        )


def upload_session_append(
    *,
    actor: Actor,
    municipality: Municipality,
    session: UploadSession,
    offset: int,
    total_size: int,
    content: IO[bytes],
) -> UploadSession | DocumentObject:
    """Write one chunk at ``offset``; after the last one, the file becomes a document object.

    A part may start at the bytes received so far, or earlier (a retry after a lost answer is
    written again at the same place), never later: no gaps.
    """
    _require(actor, municipality, Permission.ARCHIVE_REGISTER)
    assert isinstance(actor, User)  # _require admits logged-in users only
    with transaction.atomic():
        locked = (
            UploadSession.objects.select_for_update()
            .filter(pk=session.pk, municipality=municipality, user=actor)
            .first()
        )
        if locked is None:
            raise NotFoundError("Fant ingen opplasting med denne adressen.", code="not_found")
        if total_size != locked.total_size:
            raise ValidationError(
                "Totalstørrelsen stemmer ikke med opplastingen.", code="range_mismatch", field="Content-Range"
            )
        if offset > locked.received:
            raise ConflictError(
                f"Neste del må begynne ved byte {locked.received}.",
                code="range_out_of_order",
                field="Content-Range",
            )
        path = _upload_path(locked)
        locked.received = offset + _part_write(path, offset, locked.total_size, content)
        if locked.received < locked.total_size:
            locked.save(update_fields=["received"])
            return locked
        result = _upload_complete(actor=actor, municipality=municipality, session=locked, path=path)
        locked.delete()
    path.unlink(missing_ok=True)
    return result
