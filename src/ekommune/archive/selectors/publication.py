"""What the public journal and the political pages need of an entry, as plain values.

These reads carry no permission check: they feed the publication step, which screens every value
before anything leaves the platform (ekommune.publicjournal.screening), and nothing else.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Prefetch

from ekommune.archive import storage
from ekommune.archive.models import (
    CaseParty,
    CorrespondenceParty,
    DocumentLink,
    DocumentObject,
    RegistryEntry,
    Screening,
)
from ekommune.archive.selectors.reads import document_file_read_note
from ekommune.archive.types import (
    CaseFacts,
    DocumentFacts,
    EntryFacts,
    PartyFacts,
    PublicationFile,
    ScreeningFacts,
)
from ekommune.core.errors import NotFoundError
from ekommune.core.models import Municipality


def _screening_facts(screening: Screening | None) -> ScreeningFacts | None:
    if screening is None:
        return None
    return ScreeningFacts(
        access_restriction=screening.access_restriction,
        legal_basis=screening.legal_basis,
        screened_metadata=frozenset(screening.screened_metadata),
        screened_document=screening.screened_document,
        ends_on=screening.ends_on,
    )


def _file_object_id(link: DocumentLink) -> uuid.UUID | None:
    candidates = [obj for obj in link.document.document_objects.all() if obj.file_id is not None]
    candidates.sort(key=lambda obj: (obj.variant_format == "A", obj.version_number))
    return candidates[-1].system_id if candidates else None


def _entry_facts(entry: RegistryEntry, case_cache: dict[int, CaseFacts]) -> EntryFacts:
    case_file = entry.case_file
    case = case_cache.get(case_file.pk)
    if case is None:
        primary_class = case_file.primary_class
        case = CaseFacts(
            system_id=case_file.system_id,
            case_year=case_file.case_year,
            case_sequence_number=case_file.case_sequence_number,
            title=case_file.title,
            public_title=case_file.public_title,
            administrative_unit=case_file.administrative_unit,
            class_id=primary_class.class_id if primary_class else "",
            class_title=primary_class.title if primary_class else "",
            screening=_screening_facts(case_file.screening),
            parties=tuple(
                PartyFacts(name=party.name, kind=party.kind, party_type=party.role)
                for party in case_file.parties.all()
            ),
        )
        case_cache[case_file.pk] = case
    return EntryFacts(
        system_id=entry.system_id,
        municipality_id=entry.municipality_id,
        record_type=entry.record_type,
        entry_type=entry.entry_type,
        status=entry.status,
        title=entry.title,
        public_title=entry.public_title,
        entry_number=entry.entry_number,
        journal_year=entry.journal_year,
        journal_sequence_number=entry.journal_sequence_number,
        journal_date=entry.journal_date,
        document_date=entry.document_date,
        administrative_unit=entry.administrative_unit,
        registered_at=entry.created_at,
        changed_at=entry.updated_at or entry.created_at,
        screening=_screening_facts(entry.screening),
        parties=tuple(
            PartyFacts(name=party.name, kind=party.kind, party_type=party.party_type)
            for party in entry.correspondence_parties.all()
        ),
        documents=tuple(
            DocumentFacts(
                system_id=link.document.system_id,
                title=link.document.title,
                linked_as=link.linked_as,
                document_number=link.document_number,
                status=link.document.status,
                screening=_screening_facts(link.document.screening),
                file_object_id=_file_object_id(link),
            )
            for link in sorted(entry.document_links.all(), key=lambda link: link.document_number)
        ),
        case=case,
    )


def entries_for_publication(
    *,
    municipality: Municipality,
    system_ids: Iterable[uuid.UUID] | None = None,
    changed_since: dt.datetime | None = None,
    chunk_size: int = 500,
    case_cache_limit: int = 10_000,
) -> Iterator[EntryFacts]:
    """Entries of a municipality (all, the given ones, or those changed since a moment), in chunks."""
    entries = RegistryEntry.objects.filter(municipality=municipality)
    if system_ids is not None:
        entries = entries.filter(system_id__in=list(system_ids))
    if changed_since is not None:
        entries = entries.filter(created_at__gte=changed_since) | entries.filter(
            updated_at__gte=changed_since
        )
    entries = (
        entries.select_related("case_file__primary_class", "case_file__screening", "screening")
        .prefetch_related(
            Prefetch("correspondence_parties", queryset=CorrespondenceParty.objects.order_by("pk")),
            Prefetch("case_file__parties", queryset=CaseParty.objects.order_by("pk")),
            Prefetch(
                "document_links",
                queryset=DocumentLink.objects.select_related("document__screening").prefetch_related(
                    "document__document_objects"
                ),
            ),
        )
        .order_by("pk")
    )
    case_cache: dict[int, CaseFacts] = {}
    for entry in entries.iterator(chunk_size=chunk_size):
        if len(case_cache) >= case_cache_limit:  # bounded memory over a whole archive
            case_cache.clear()
        yield _entry_facts(entry, case_cache)


def document_file_for_publication(
    *, municipality: Municipality, object_system_id: uuid.UUID, reader: Any = None
) -> PublicationFile:
    """Open the file of a document object that the publication step found eligible.

    No permission check, as ``entries_for_publication``: only ``publicjournal`` and ``politics``
    call it, with an object id that ``screen_entry`` let through, that a case worker granted access
    to, or of political minutes generated from public values only. ``reader``: the logged-in
    staff user who opens it (the public journal's full text read by staff is logged, decision
    0226); the public's reads are not.
    """
    found = (
        DocumentObject.objects.filter(municipality=municipality, system_id=object_system_id)
        .select_related("file")
        .first()
    )
    if found is None or found.file is None:
        raise NotFoundError("Fant ikke filen.", code="file_missing")
    content = storage.open_stored(found.file.storage_name)
    if reader is not None:
        document_file_read_note(
            actor=reader,
            municipality=municipality,
            document_id=found.document_id,
            object_system_id=found.system_id,
        )
    return PublicationFile(
        content=content,
        file_name=found.file_name,
        mime_type=found.mime_type or "application/octet-stream",
        size=found.file.size,
    )


def entries_holding_document_object(
    *, municipality: Municipality, object_system_id: uuid.UUID
) -> list[uuid.UUID]:
    """The registry entries (systemID) whose documents hold the document object: how a public
    page finds what a file belongs to, before the screening of those entries says whether the
    file is released. No permission check, as ``entries_for_publication``."""
    return list(
        RegistryEntry.objects.filter(
            municipality=municipality, document_links__document__document_objects__system_id=object_system_id
        )
        .values_list("system_id", flat=True)
        .distinct()
    )
