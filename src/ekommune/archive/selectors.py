"""Reads of the archive, always within one municipality and behind the read permission."""

from __future__ import annotations

import re
import uuid
from typing import IO, Any

from django.db.models import QuerySet

from ekommune.archive import storage
from ekommune.archive.models import (
    CaseFile,
    ChangeLogEntry,
    DocumentObject,
    RegistryEntry,
    Series,
    UploadSession,
)
from ekommune.core.errors import NotFoundError
from ekommune.core.models import Municipality
from ekommune.core.permissions import Permission
from ekommune.core.services import Actor, permission_require


def case_file_by_number(*, actor: Actor, municipality: Municipality, case_number: str) -> CaseFile:
    """The case ``saksår/sakssekvensnummer`` (e.g. ``2026/14``) of this municipality."""
    permission_require(actor=actor, municipality=municipality, permission=Permission.ARCHIVE_READ)
    year, _, sequence = case_number.partition("/")
    if not (re.fullmatch(r"[0-9]{1,4}", year) and re.fullmatch(r"[0-9]{1,9}", sequence)):
        raise NotFoundError(f"Ugyldig saksnummer: {case_number}.", field="case_number")
    case_file = CaseFile.objects.filter(
        municipality=municipality, case_year=int(year), case_sequence_number=int(sequence)
    ).first()
    if case_file is None:
        raise NotFoundError(f"Fant ingen sak {case_number}.", field="case_number")
    return case_file


def registry_entries_of_case(
    *, actor: Actor, municipality: Municipality, case_file: CaseFile
) -> QuerySet[RegistryEntry]:
    permission_require(actor=actor, municipality=municipality, permission=Permission.ARCHIVE_READ)
    return RegistryEntry.objects.filter(municipality=municipality, case_file=case_file).order_by(
        "entry_number"
    )


def change_log_of(
    *, actor: Actor, municipality: Municipality, system_id: uuid.UUID
) -> QuerySet[ChangeLogEntry]:
    permission_require(actor=actor, municipality=municipality, permission=Permission.ARCHIVE_READ)
    return ChangeLogEntry.objects.filter(municipality=municipality, object_system_id=system_id).order_by(
        "changed_at", "pk"
    )


def document_object_open(
    *, actor: Actor, municipality: Municipality, document_object: DocumentObject
) -> IO[bytes]:
    """A stream of the file's content (for downloads: read in chunks, never whole)."""
    permission_require(actor=actor, municipality=municipality, permission=Permission.ARCHIVE_READ)
    if document_object.municipality_id != municipality.pk:
        raise NotFoundError("Fant ikke filen.")
    if document_object.file is None:
        raise NotFoundError("Dokumentobjektet har ingen fil ennå.", code="file_missing")
    return storage.open_stored(document_object.file.storage_name)


def archive_objects(*, actor: Actor, municipality: Municipality, model: type[Any]) -> QuerySet[Any]:
    """Every object of one archive model in this municipality (for the API's lists and look-ups)."""
    permission_require(actor=actor, municipality=municipality, permission=Permission.ARCHIVE_READ)
    return model.objects.filter(municipality=municipality)


def registry_entry_by_system_id(
    *, actor: Actor, municipality: Municipality, system_id: uuid.UUID
) -> RegistryEntry | None:
    return (
        archive_objects(actor=actor, municipality=municipality, model=RegistryEntry)
        .filter(system_id=system_id)
        .first()
    )


def series_of_classification_system(
    *, actor: Actor, municipality: Municipality, system: Any
) -> Series | None:
    """The (first) series whose primary classification system is ``system``."""
    return (
        archive_objects(actor=actor, municipality=municipality, model=Series)
        .filter(classification_system=system)
        .order_by("pk")
        .first()
    )


def upload_session(*, actor: Actor, municipality: Municipality, system_id: uuid.UUID) -> UploadSession:
    """A chunked upload of this user in this municipality (nobody else may add to it)."""
    permission_require(actor=actor, municipality=municipality, permission=Permission.ARCHIVE_REGISTER)
    user_id = actor.pk if actor is not None and actor.pk is not None else 0
    found = UploadSession.objects.filter(
        municipality=municipality, system_id=system_id, user_id=user_id
    ).first()
    if found is None:
        raise NotFoundError("Fant ingen opplasting med denne adressen.", code="not_found")
    return found
