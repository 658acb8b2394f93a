"""The staff's reads of the archive: within one municipality and behind the read permission."""

from __future__ import annotations

import re
import uuid
from typing import IO, Any

from django.db.models import F, QuerySet

from ekommune.archive import storage
from ekommune.archive.models import (
    CaseFile,
    ChangeLogEntry,
    Class,
    DocumentLink,
    DocumentObject,
    RegistryEntry,
    Series,
    UploadSession,
)
from ekommune.archive.selectors.reads import document_file_read_note
from ekommune.archive.types import EntryFile
from ekommune.core.errors import NotFoundError
from ekommune.core.models import Municipality
from ekommune.core.permissions import Permission
from ekommune.core.services import Actor, permission_require, tenant_object_check


def archive_objects(*, actor: Actor, municipality: Municipality, model: type[Any]) -> QuerySet[Any]:
    """Every object of one archive model in this municipality (for the API's lists and look-ups)."""
    permission_require(actor=actor, municipality=municipality, permission=Permission.ARCHIVE_READ)
    return model.objects.filter(municipality=municipality)


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


def case_file_by_system_id(
    *, actor: Actor, municipality: Municipality, system_id: uuid.UUID
) -> CaseFile | None:
    return (
        archive_objects(actor=actor, municipality=municipality, model=CaseFile)
        .filter(system_id=system_id)
        .first()
    )


def registry_entry_by_system_id(
    *, actor: Actor, municipality: Municipality, system_id: uuid.UUID
) -> RegistryEntry | None:
    return (
        archive_objects(actor=actor, municipality=municipality, model=RegistryEntry)
        .filter(system_id=system_id)
        .first()
    )


def registry_entries_of_case(
    *, actor: Actor, municipality: Municipality, case_file: CaseFile
) -> QuerySet[RegistryEntry]:
    permission_require(actor=actor, municipality=municipality, permission=Permission.ARCHIVE_READ)
    return RegistryEntry.objects.filter(municipality=municipality, case_file=case_file).order_by(
        "entry_number"
    )


def series_current(*, actor: Actor, municipality: Municipality) -> Series | None:
    """The newest series of the municipality that is still open (where new cases go)."""
    permission_require(actor=actor, municipality=municipality, permission=Permission.ARCHIVE_READ)
    return (
        Series.objects.filter(municipality=municipality, concluded_at__isnull=True)
        .exclude(status="P")
        .order_by("-pk")
        .first()
    )


def series_list(*, actor: Actor, municipality: Municipality) -> QuerySet[Series]:
    """The municipality's series (arkivdeler) with their fonds, open ones first, newest first."""
    permission_require(actor=actor, municipality=municipality, permission=Permission.ARCHIVE_READ)
    return (
        Series.objects.filter(municipality=municipality)
        .select_related("fonds")
        .order_by(F("concluded_at").asc(nulls_first=True), "-pk")
    )


def class_list(*, actor: Actor, municipality: Municipality) -> QuerySet[Class]:
    """The municipality's classes (klasser) of every classification system, by klasseID."""
    return archive_objects(actor=actor, municipality=municipality, model=Class).order_by("class_id", "pk")


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
    tenant_object_check(document_object, municipality=municipality)
    if document_object.file is None:
        raise NotFoundError("Dokumentobjektet har ingen fil ennå.", code="file_missing")
    stream = storage.open_stored(document_object.file.storage_name)
    document_file_read_note(
        actor=actor,
        municipality=municipality,
        document_id=document_object.document_id,
        object_system_id=document_object.system_id,
    )
    return stream


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


def document_object_open_by_system_id(
    *, actor: Actor, municipality: Municipality, system_id: uuid.UUID
) -> IO[bytes]:
    """``document_object_open`` for a document object known by its systemID (decision 0036)."""
    permission_require(actor=actor, municipality=municipality, permission=Permission.ARCHIVE_READ)
    found = (
        DocumentObject.objects.filter(municipality=municipality, system_id=system_id)
        .select_related("file")
        .first()
    )
    if found is None:
        raise NotFoundError("Fant ikke filen.", code="not_found")
    return document_object_open(actor=actor, municipality=municipality, document_object=found)


def registry_entry_files(
    *, actor: Actor, municipality: Municipality, entry_system_id: uuid.UUID
) -> list[EntryFile]:
    """The files (dokumentobjekter) of a registry entry: every version and variant of each of its
    documents, in document-number order, then by version. An entry of another municipality, or
    none, is not found; an entry without documents has no files."""
    permission_require(actor=actor, municipality=municipality, permission=Permission.ARCHIVE_READ)
    entry_id = (
        RegistryEntry.objects.filter(municipality=municipality, system_id=entry_system_id)
        .values_list("pk", flat=True)
        .first()
    )
    if entry_id is None:
        raise NotFoundError("Fant ikke journalposten.", code="not_found")
    objects = "document__document_objects__"
    rows = (
        DocumentLink.objects.filter(municipality=municipality, registry_entry_id=entry_id)
        .order_by("document_number", f"{objects}version_number", f"{objects}pk")
        .values_list(
            f"{objects}system_id",
            "document__title",
            f"{objects}file_name",
            f"{objects}mime_type",
            f"{objects}size",
            f"{objects}checksum",
            "document_number",
            f"{objects}version_number",
        )
    )
    return [EntryFile(*row) for row in rows if row[0] is not None]  # a document without a file yet


def registry_entry_file_open(
    *, actor: Actor, municipality: Municipality, entry_system_id: uuid.UUID, object_system_id: uuid.UUID
) -> tuple[EntryFile, IO[bytes]]:
    """One file of a registry entry (``registry_entry_files``), opened for reading in chunks.

    A document object that is not a file of this entry is not found, even in the same municipality.
    """
    files = registry_entry_files(actor=actor, municipality=municipality, entry_system_id=entry_system_id)
    found = next((file for file in files if file.system_id == object_system_id), None)
    if found is None:
        raise NotFoundError("Fant ikke filen.", code="not_found")
    return found, document_object_open_by_system_id(
        actor=actor, municipality=municipality, system_id=object_system_id
    )
