"""Objects created as an extraction package describes them (migration, municipal merger).

With their own dates, numbers, statuses and authors, and without change-log rows of their own (the
package's endringslogg is imported as it is). For the deposit app's import, which checks the
package first and runs everything in one transaction. Each object gets a new systemID (the
package's may exist on this installation).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ekommune.archive import codelists as cl
from ekommune.archive.models import (
    CaseFile,
    CaseParty,
    ChangeLogEntry,
    Class,
    ClassificationSystem,
    Comment,
    CorrespondenceParty,
    CrossReference,
    DocumentDescription,
    DocumentLink,
    DocumentObject,
    Fonds,
    FondsCreator,
    Keyword,
    NumberSequence,
    RegistryEntry,
    Series,
    WriteOff,
)
from ekommune.archive.services.common import (
    _check_code,
    _check_party,
    _non_blank,
    _require,
    _screening_create,
    _tenant_check_each,
)
from ekommune.archive.services.content import _spool_and_store
from ekommune.archive.types import CaseFileImport, DocumentImport, EntryImport, Provenance
from ekommune.core.errors import ConflictError, ValidationError
from ekommune.core.models import Municipality
from ekommune.core.permissions import Permission
from ekommune.core.services import Actor, actor_display_name, audit_event_record, tenant_object_check


def _import_audit(actor: Actor, municipality: Municipality, object_type: str, obj: Any) -> None:
    audit_event_record(
        actor=actor,
        municipality=municipality,
        action=f"archive.{object_type}.import",
        object_type=object_type,
        object_id=str(obj.system_id),
    )


def fonds_import(
    *,
    actor: Actor,
    municipality: Municipality,
    title: str,
    provenance: Provenance,
    creators: Sequence[tuple[str, str, str]] = (),
    description: str = "",
    status: str = "O",
    document_medium: str = "E",
) -> Fonds:
    """A fonds (arkiv) with its creators given as ``(arkivskaperID, arkivskaperNavn, beskrivelse)``."""
    _require(actor, municipality, Permission.ARCHIVE_MANAGE)
    _check_code(status, cl.FONDS_STATUS, "arkivstatus")
    _check_code(document_medium, cl.DOCUMENT_MEDIUM, "dokumentmedium")
    with transaction.atomic():
        fonds = Fonds.objects.create(
            municipality=municipality,
            title=_non_blank(title, "tittel"),
            description=description,
            status=status,
            document_medium=document_medium,
            created_at=provenance.created_at,
            created_by=provenance.created_by,
            concluded_at=provenance.concluded_at if status == "A" else None,
            concluded_by=provenance.concluded_by if status == "A" else "",
        )
        FondsCreator.objects.bulk_create(
            FondsCreator(
                municipality=municipality,
                fonds=fonds,
                creator_id=_non_blank(creator_id, "arkivskaperID"),
                name=_non_blank(name, "arkivskaperNavn"),
                description=creator_description,
                created_at=provenance.created_at,
                created_by=provenance.created_by,
            )
            for creator_id, name, creator_description in creators
        )
        _import_audit(actor, municipality, "arkiv", fonds)
    return fonds


def classification_system_import(
    *,
    actor: Actor,
    municipality: Municipality,
    title: str,
    provenance: Provenance,
    classification_type: str = "",
    description: str = "",
) -> ClassificationSystem:
    _require(actor, municipality, Permission.ARCHIVE_MANAGE)
    if classification_type:
        _check_code(classification_type, cl.CLASSIFICATION_TYPE, "klassifikasjonstype")
    with transaction.atomic():
        system = ClassificationSystem.objects.create(
            municipality=municipality,
            title=_non_blank(title, "tittel"),
            description=description,
            classification_type=classification_type,
            created_at=provenance.created_at,
            created_by=provenance.created_by,
        )
        _import_audit(actor, municipality, "klassifikasjonssystem", system)
    return system


def class_import(
    *,
    actor: Actor,
    municipality: Municipality,
    system: ClassificationSystem,
    class_id: str,
    title: str,
    provenance: Provenance,
    parent: Class | None = None,
    description: str = "",
) -> Class:
    _require(actor, municipality, Permission.ARCHIVE_MANAGE)
    tenant_object_check(system, municipality=municipality, field="klassifikasjonssystem")
    _tenant_check_each(municipality, "overklasse", parent)
    with transaction.atomic():
        created = Class.objects.create(
            municipality=municipality,
            classification_system=system,
            parent=parent,
            class_id=_non_blank(class_id, "klasseID"),
            title=_non_blank(title, "tittel"),
            description=description,
            created_at=provenance.created_at,
            created_by=provenance.created_by,
        )
        _import_audit(actor, municipality, "klasse", created)
    return created


def series_import(
    *,
    actor: Actor,
    municipality: Municipality,
    fonds: Fonds,
    title: str,
    provenance: Provenance,
    status: str = "A",
    classification_system: ClassificationSystem | None = None,
    description: str = "",
    document_medium: str = "E",
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
) -> Series:
    _require(actor, municipality, Permission.ARCHIVE_MANAGE)
    tenant_object_check(fonds, municipality=municipality, field="fonds")
    _tenant_check_each(municipality, "klassifikasjonssystem", classification_system)
    _check_code(status, cl.SERIES_STATUS, "arkivdelstatus")
    with transaction.atomic():
        series = Series.objects.create(
            municipality=municipality,
            fonds=fonds,
            title=_non_blank(title, "tittel"),
            description=description,
            status=status,
            document_medium=document_medium,
            classification_system=classification_system,
            period_start=period_start,
            period_end=period_end,
            created_at=provenance.created_at,
            created_by=provenance.created_by,
            concluded_at=provenance.concluded_at if status == "P" else None,
            concluded_by=provenance.concluded_by if status == "P" else "",
        )
        _import_audit(actor, municipality, "arkivdel", series)
    return series


def case_file_import(
    *,
    actor: Actor,
    municipality: Municipality,
    series: Series,
    primary_class: Class | None,
    data: CaseFileImport,
) -> CaseFile:
    """A case file with its given number, status and dates (the number must be free here)."""
    _require(actor, municipality, Permission.ARCHIVE_MANAGE)
    tenant_object_check(series, municipality=municipality, field="series")
    _tenant_check_each(municipality, "klasse", primary_class)
    if primary_class is None and series.classification_system_id is not None:
        raise ValidationError(  # no deposit can hold it (decision 0143)
            f"Saken {data.case_year}/{data.case_sequence_number} har ingen klasse i en klassifisert arkivdel.",
            code="class_required",
            field="klasse",
        )
    _check_code(data.case_status, cl.CASE_STATUS, "saksstatus")
    for party in data.parties:
        _check_code(party.role, cl.PARTY_ROLE, "partRolle")
    with transaction.atomic():
        if CaseFile.objects.filter(
            municipality=municipality,
            case_year=data.case_year,
            case_sequence_number=data.case_sequence_number,
        ).exists():
            raise ConflictError(
                f"Saksnummer {data.case_year}/{data.case_sequence_number} finnes allerede.",
                code="duplicate_case_number",
                field="mappeID",
            )
        concluded = data.case_status == "A"
        case_file = CaseFile.objects.create(
            municipality=municipality,
            series=series,
            primary_class=primary_class,
            case_year=data.case_year,
            case_sequence_number=data.case_sequence_number,
            title=_non_blank(data.title, "tittel"),
            public_title=data.public_title,
            description=data.description,
            keywords=list(data.keywords),
            document_medium=data.document_medium,
            case_date=data.case_date,
            administrative_unit=data.administrative_unit,
            case_responsible=data.case_responsible,
            records_unit=data.records_unit,
            case_status=data.case_status,
            screening=_screening_create(municipality, data.screening, level="mappe"),
            created_at=data.provenance.created_at,
            created_by=data.provenance.created_by,
            concluded_at=(data.provenance.concluded_at or data.provenance.created_at) if concluded else None,
            concluded_by=data.provenance.concluded_by if concluded else "",
        )
        CaseParty.objects.bulk_create(
            CaseParty(municipality=municipality, case_file=case_file, **party.__dict__)
            for party in data.parties
        )
        Keyword.objects.bulk_create(
            Keyword(
                municipality=municipality,
                case_file=case_file,
                text=text,
                created_at=data.provenance.created_at,
                created_by=data.provenance.created_by,
            )
            for text in data.keywords
            if text
        )
        _import_audit(actor, municipality, "saksmappe", case_file)
    return case_file


def registry_entry_import(
    *, actor: Actor, municipality: Municipality, case_file: CaseFile, data: EntryImport
) -> tuple[RegistryEntry, list[DocumentDescription]]:
    """An entry with its numbers, status, parties, documents (files verified against their
    checksums) and comments; returns the entry and its documents in the order given."""
    _require(actor, municipality, Permission.ARCHIVE_MANAGE)
    tenant_object_check(case_file, municipality=municipality, field="case_file")
    _tenant_check_each(
        municipality, "dokumentbeskrivelse", *(document.existing for document in data.documents)
    )
    _check_code(data.status, cl.REGISTRY_ENTRY_STATUS, "journalstatus")
    if data.record_type == RegistryEntry.RecordType.REGISTRY_ENTRY:
        _check_code(data.entry_type, cl.REGISTRY_ENTRY_TYPE, "journalposttype")
    for party in data.parties:
        _check_party(party)
    with transaction.atomic():
        archived = data.status == "A"
        entry = RegistryEntry.objects.create(
            municipality=municipality,
            case_file=case_file,
            record_type=data.record_type,
            entry_number=data.entry_number,
            journal_year=data.journal_year,
            journal_sequence_number=data.journal_sequence_number,
            entry_type=data.entry_type,
            status=data.status,
            title=_non_blank(data.title, "tittel"),
            public_title=data.public_title,
            description=data.description,
            document_medium=data.document_medium,
            journal_date=data.journal_date,
            document_date=data.document_date,
            received_date=data.received_date,
            sent_date=data.sent_date,
            due_date=data.due_date,
            administrative_unit=data.administrative_unit,
            case_handler=data.case_handler,
            screening=_screening_create(municipality, data.screening, level="registrering"),
            created_at=data.provenance.created_at,
            created_by=data.provenance.created_by,
            archived_at=(data.provenance.concluded_at or data.provenance.created_at) if archived else None,
            archived_by=data.provenance.concluded_by if archived else "",
        )
        CorrespondenceParty.objects.bulk_create(
            CorrespondenceParty(municipality=municipality, registry_entry=entry, **party.__dict__)
            for party in data.parties
        )
        documents = [_document_import(municipality, entry, document) for document in data.documents]
        Comment.objects.bulk_create(
            Comment(
                municipality=municipality,
                registry_entry=entry,
                text=text,
                comment_type=comment_type,
                registered_at=registered_at,
                registered_by=registered_by,
            )
            for text, comment_type, registered_at, registered_by in data.comments
        )
        _import_audit(actor, municipality, "journalpost", entry)
    return entry, documents


def _document_import(
    municipality: Municipality, entry: RegistryEntry, data: DocumentImport
) -> DocumentDescription:
    _check_code(data.linked_as, cl.LINKED_AS, "tilknyttetRegistreringSom")
    description = data.existing
    if description is None:
        _check_code(data.document_type, cl.DOCUMENT_TYPE, "dokumenttype")
        _check_code(data.status, cl.DOCUMENT_STATUS, "dokumentstatus")
        description = DocumentDescription.objects.create(
            municipality=municipality,
            title=_non_blank(data.title, "tittel"),
            description=data.description,
            document_type=data.document_type,
            status=data.status,
            author=data.author,
            document_medium=data.document_medium,
            screening=_screening_create(municipality, data.screening, level="dokumentbeskrivelse"),
            created_at=data.provenance.created_at,
            created_by=data.provenance.created_by,
        )
        for obj in data.objects:
            _check_code(obj.variant_format, cl.VARIANT_FORMAT, "variantformat")
            stored = _spool_and_store(municipality, obj.content, obj.checksum)
            DocumentObject.objects.create(
                municipality=municipality,
                document=description,
                version_number=obj.version_number,
                variant_format=obj.variant_format,
                format=obj.format,
                mime_type=stored.mime_type,
                file_name=_non_blank(obj.file_name, "filnavn"),
                file=stored.file,
                checksum=stored.sha256,
                size=stored.size,
                created_at=obj.created_at,
                created_by=obj.created_by,
            )
    DocumentLink.objects.create(
        municipality=municipality,
        registry_entry=entry,
        document=description,
        linked_as=data.linked_as,
        document_number=data.document_number,
        linked_at=data.linked_at,
        linked_by=data.linked_by,
    )
    return description


def archive_links_import(
    *,
    actor: Actor,
    municipality: Municipality,
    write_offs: Sequence[tuple[RegistryEntry, str, dt.datetime, str, RegistryEntry | None]] = (),
    references: Sequence[tuple[CaseFile | RegistryEntry, CaseFile | RegistryEntry]] = (),
    comments: Sequence[tuple[CaseFile | DocumentDescription, str, str, dt.datetime, str]] = (),
) -> None:
    """What links imported objects to each other, once all exist: write-offs ``(entry, method,
    date, by, answered_by)``, cross references ``(source, target)`` and comments on case files
    and documents ``(on, text, type, date, by)``."""
    _require(actor, municipality, Permission.ARCHIVE_MANAGE)
    _tenant_check_each(
        municipality, "avskrivning", *(item[0] for item in write_offs), *(item[4] for item in write_offs)
    )
    _tenant_check_each(
        municipality, "kryssreferanse", *(end for reference in references for end in reference)
    )
    _tenant_check_each(municipality, "merknad", *(item[0] for item in comments))
    with transaction.atomic():
        for entry, method, written_off_at, written_off_by, answered_by in write_offs:
            _check_code(method, cl.WRITE_OFF_METHOD, "avskrivningsmaate")
            WriteOff.objects.create(
                municipality=municipality,
                registry_entry=entry,
                method=method,
                written_off_at=written_off_at,
                written_off_by=written_off_by,
                answered_by=answered_by,
            )
        for source, target in references:
            CrossReference.objects.create(
                municipality=municipality,
                created_at=timezone.now(),
                created_by=actor_display_name(actor),
                **{
                    "from_case_file" if isinstance(source, CaseFile) else "from_entry": source,
                    "to_case_file" if isinstance(target, CaseFile) else "to_entry": target,
                },
            )
        for on, text, comment_type, registered_at, registered_by in comments:
            Comment.objects.create(
                municipality=municipality,
                text=text,
                comment_type=comment_type,
                registered_at=registered_at,
                registered_by=registered_by,
                **{"case_file" if isinstance(on, CaseFile) else "document": on},
            )


def change_log_import(
    *,
    actor: Actor,
    municipality: Municipality,
    changes: Sequence[tuple[uuid.UUID, str, str, str, dt.datetime, str]],
    object_types: dict[uuid.UUID, str],
) -> int:
    """Endringslogg rows ``(systemID, element, old, new, date, by)`` for imported objects."""
    _require(actor, municipality, Permission.ARCHIVE_MANAGE)
    with transaction.atomic():
        created = ChangeLogEntry.objects.bulk_create(
            ChangeLogEntry(
                municipality=municipality,
                object_type=object_types.get(system_id, ""),
                object_system_id=system_id,
                field=name,
                old_value=old,
                new_value=new,
                changed_at=changed_at,
                changed_by=changed_by,
            )
            for system_id, name, old, new, changed_at, changed_by in changes
        )
    return len(created)


def number_sequences_catch_up(*, actor: Actor, municipality: Municipality) -> None:
    """After an import: each case and journal counter at least at the highest number in use."""
    _require(actor, municipality, Permission.ARCHIVE_MANAGE)
    highest = [
        (NumberSequence.Kind.CASE, row["case_year"], row["last"])
        for row in CaseFile.objects.filter(municipality=municipality)
        .values("case_year")
        .annotate(last=Max("case_sequence_number"))
    ] + [
        (NumberSequence.Kind.JOURNAL, row["journal_year"], row["last"])
        for row in RegistryEntry.objects.filter(municipality=municipality, journal_year__isnull=False)
        .values("journal_year")
        .annotate(last=Max("journal_sequence_number"))
    ]
    with transaction.atomic():
        for kind, year, last in highest:
            sequence, _ = NumberSequence.objects.select_for_update().get_or_create(
                municipality=municipality, kind=kind, year=int(year or 0)
            )
            if sequence.last_value < last:
                sequence.last_value = last
                sequence.save(update_fields=["last_value"])
