"""Reads for the deposit app's arkivuttrekk and fixity checks.

Plain rows (``values()``), in keyset pages or chunked iterators, so that an export of any size
holds only one page in memory. The records manager's permission (ARCHIVE_MANAGE) is checked where
an export starts (``extraction_series``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from django.db.models import Count, Max, Min, Q
from django.db.models.expressions import RawSQL

from ekommune.archive import storage
from ekommune.archive.models import (
    CaseFile,
    CaseParty,
    ChangeLogEntry,
    Class,
    Comment,
    CorrespondenceParty,
    CrossReference,
    DocumentDescription,
    DocumentLink,
    DocumentObject,
    FondsCreator,
    RegistryEntry,
    Series,
    StoredFile,
    WriteOff,
)
from ekommune.archive.types import CaseFacts, DocumentFacts, EntryFacts, PartyFacts, ScreeningFacts
from ekommune.core.errors import NotFoundError
from ekommune.core.models import Municipality
from ekommune.core.permissions import Permission
from ekommune.core.services import Actor, permission_require


def _any(ids: Iterable[int]) -> RawSQL:
    """``IN (SELECT unnest(array))`` with one parameter: cheap for thousands of ids."""
    return RawSQL("SELECT unnest(%s::bigint[])", (list(ids),))


_SCREENING_VALUES = (
    "screening__access_restriction",
    "screening__legal_basis",
    "screening__screened_metadata",
    "screening__screened_document",
    "screening__duration_years",
    "screening__ends_on",
)


def extraction_series(
    *, actor: Actor, municipality: Municipality, system_ids: Sequence[uuid.UUID]
) -> list[Series]:
    """The series (arkivdeler) to extract, in the order given, with their fonds and classification."""
    permission_require(actor=actor, municipality=municipality, permission=Permission.ARCHIVE_MANAGE)
    found = {
        series.system_id: series
        for series in Series.objects.filter(municipality=municipality, system_id__in=list(system_ids))
        .select_related("fonds", "classification_system")
        .order_by("pk")
    }
    missing = [str(system_id) for system_id in system_ids if system_id not in found]
    if missing:
        raise NotFoundError(f"Fant ikke arkivdel {', '.join(missing)}.", field="series")
    return [found[system_id] for system_id in system_ids]


def extraction_entry_count(*, municipality: Municipality, series_ids: Sequence[uuid.UUID]) -> int:
    """How many registry entries the series hold (the size of their extraction)."""
    return RegistryEntry.objects.filter(
        municipality=municipality, case_file__series__system_id__in=list(series_ids)
    ).count()


def extraction_fonds_creators(*, municipality: Municipality, fonds_id: int) -> list[FondsCreator]:
    return list(FondsCreator.objects.filter(municipality=municipality, fonds_id=fonds_id).order_by("pk"))


def extraction_classes(*, municipality: Municipality, classification_system_id: int) -> list[Class]:
    """Every class of a classification system (a scheme is small), ordered by klasseID."""
    return list(
        Class.objects.filter(
            municipality=municipality, classification_system_id=classification_system_id
        ).order_by("class_id", "pk")
    )


def series_class_for_new_case(
    *, municipality: Municipality, series: Series, preferred_class_id: str
) -> Class | None:
    """The class a case a service opens by itself takes in ``series`` (a case without one could
    never be deposited, decision 0143): the class ``preferred_class_id`` if the scheme has it
    without subclasses, else its first such class by klasseID; None in an unclassified series,
    or when the scheme has no classes (the archive then refuses the case: ``class_required``)."""
    if series.classification_system_id is None:
        return None
    classes = extraction_classes(
        municipality=municipality, classification_system_id=series.classification_system_id
    )
    parents = {klass.parent_id for klass in classes}
    leaves = [klass for klass in classes if klass.pk not in parents]
    preferred = [klass for klass in leaves if klass.class_id == preferred_class_id]
    chosen = preferred or leaves
    return chosen[0] if chosen else None


def extraction_case_files(
    *,
    municipality: Municipality,
    series_id: int,
    class_id: int | None,
    after_pk: int = 0,
    limit: int = 500,
) -> list[dict[str, Any]]:
    """One keyset page of a series' case files in one class (None: without a class), by pk."""
    case_files = CaseFile.objects.filter(municipality=municipality, series_id=series_id, pk__gt=after_pk)
    case_files = (
        case_files.filter(primary_class__isnull=True)
        if class_id is None
        else case_files.filter(primary_class_id=class_id)
    )
    return list(case_files.order_by("pk").values("pk", *_CASE_FILE_FIELDS, *_SCREENING_VALUES)[:limit])


_CASE_FILE_FIELDS = tuple(
    name
    for name in (field.name for field in CaseFile._meta.concrete_fields)
    if name not in {"id", "municipality", "series", "screening", "primary_class"}
)


def extraction_case_children(
    *, municipality: Municipality, case_file_ids: Sequence[int]
) -> dict[str, list[Any]]:
    """Case parties (part), comments (merknad) and cross references of a page of case files."""
    return {
        "parties": list(
            CaseParty.objects.filter(municipality=municipality, case_file_id__in=_any(case_file_ids))
            .order_by("pk")
            .values()
        ),
        "comments": list(
            Comment.objects.filter(municipality=municipality, case_file_id__in=_any(case_file_ids))
            .order_by("pk")
            .values()
        ),
        "references": list(
            CrossReference.objects.filter(
                municipality=municipality, from_case_file_id__in=_any(case_file_ids)
            )
            .order_by("pk")
            .values("from_case_file_id", "to_case_file__system_id", "to_entry__system_id")
        ),
    }


def extraction_entries(
    *, municipality: Municipality, case_file_ids: Sequence[int], chunk_size: int = 1000
) -> Iterator[dict[str, Any]]:
    """The registry entries of a page of case files, by case and entry number, streamed."""
    return (
        RegistryEntry.objects.filter(municipality=municipality, case_file_id__in=_any(case_file_ids))
        .order_by("case_file_id", "entry_number")
        .values(
            *(field.attname for field in RegistryEntry._meta.concrete_fields if field.name != "screening"),
            *_SCREENING_VALUES,
        )
        .iterator(chunk_size=chunk_size)
    )


def extraction_entry_children(
    *, municipality: Municipality, entry_ids: Sequence[int]
) -> dict[str, list[dict[str, Any]]]:
    """Correspondence parties, documents with their objects, write-offs, comments and cross
    references of a batch of registry entries, as rows."""
    links = list(
        DocumentLink.objects.filter(municipality=municipality, registry_entry_id__in=_any(entry_ids))
        .order_by("registry_entry_id", "document_number")
        .values(
            "registry_entry_id",
            "document_id",
            "linked_as",
            "document_number",
            "linked_at",
            "linked_by",
            *(f"document__{field.attname}" for field in DocumentDescription._meta.concrete_fields),
            *(f"document__{name}" for name in _SCREENING_VALUES),
        )
    )
    document_ids = {link["document_id"] for link in links}
    return {
        "parties": list(
            CorrespondenceParty.objects.filter(
                municipality=municipality, registry_entry_id__in=_any(entry_ids)
            )
            .order_by("pk")
            .values()
        ),
        "links": links,
        "objects": list(
            DocumentObject.objects.filter(municipality=municipality, document_id__in=_any(document_ids))
            .order_by("document_id", "version_number", "variant_format")
            .values(*(field.attname for field in DocumentObject._meta.concrete_fields), "file__storage_name")
        ),
        "write_offs": list(
            WriteOff.objects.filter(municipality=municipality, registry_entry_id__in=_any(entry_ids))
            .order_by("pk")
            .values(
                "registry_entry_id", "written_off_at", "written_off_by", "method", "answered_by__system_id"
            )
        ),
        "comments": list(
            Comment.objects.filter(
                Q(registry_entry_id__in=_any(entry_ids)) | Q(document_id__in=_any(document_ids)),
                municipality=municipality,
            )
            .order_by("pk")
            .values()
        ),
        "references": list(
            CrossReference.objects.filter(municipality=municipality, from_entry_id__in=_any(entry_ids))
            .order_by("pk")
            .values("from_entry_id", "to_case_file__system_id", "to_entry__system_id")
        ),
    }


def extraction_journal(
    *, municipality: Municipality, series_ids: Sequence[int], chunk_size: int = 1000
) -> Iterator[dict[str, Any]]:
    """The journalised entries (journalposter) of the series, by journal year and number, streamed,
    with their case file's and class's values (for loependeJournal.xml)."""
    return (
        RegistryEntry.objects.filter(
            municipality=municipality,
            case_file__series_id__in=series_ids,
            record_type=RegistryEntry.RecordType.REGISTRY_ENTRY,
        )
        .order_by("journal_year", "journal_sequence_number")
        .values(
            *(field.attname for field in RegistryEntry._meta.concrete_fields if field.name != "screening"),
            *_SCREENING_VALUES,
            "case_file__case_year",
            "case_file__case_sequence_number",
            "case_file__title",
            "case_file__public_title",
            "case_file__administrative_unit",
            "case_file__case_responsible",
            "case_file__records_unit",
            "case_file__series__system_id",
            "case_file__screening__screened_metadata",
            "case_file__primary_class__class_id",
            "case_file__primary_class__title",
        )
        .iterator(chunk_size=chunk_size)
    )


def extraction_journal_summary(*, municipality: Municipality, series_ids: Sequence[int]) -> dict[str, Any]:
    """Count and first/last journal date of the journalised entries of the series."""
    return RegistryEntry.objects.filter(
        municipality=municipality,
        case_file__series_id__in=series_ids,
        record_type=RegistryEntry.RecordType.REGISTRY_ENTRY,
    ).aggregate(count=Count("pk"), first=Min("journal_date"), last=Max("journal_date"))


def extraction_change_log(
    *, municipality: Municipality, series_ids: Sequence[int], chunk_size: int = 2000
) -> Iterator[Any]:
    """The change log (endringslogg) of the series and everything in them, in time order, streamed."""
    case_files = CaseFile.objects.filter(municipality=municipality, series_id__in=series_ids)
    entries = RegistryEntry.objects.filter(municipality=municipality, case_file__series_id__in=series_ids)
    documents = DocumentLink.objects.filter(
        municipality=municipality, registry_entry__case_file__series_id__in=series_ids
    )
    in_package = (
        Q(object_system_id__in=Series.objects.filter(pk__in=series_ids).values("system_id"))
        | Q(object_system_id__in=case_files.values("system_id"))
        | Q(object_system_id__in=entries.values("system_id"))
        | Q(object_system_id__in=documents.values("document__system_id"))
    )
    return (
        ChangeLogEntry.objects.filter(in_package, municipality=municipality)
        .order_by("changed_at", "pk")
        .values("object_system_id", "field", "old_value", "new_value", "changed_at", "changed_by")
        .iterator(chunk_size=chunk_size)
    )


def extraction_file_open(*, municipality: Municipality, storage_name: str) -> IO[bytes]:
    """The stored content of a document object of this municipality (``file__storage_name``)."""
    if not storage_name.startswith(f"archive/{municipality.pk}/"):
        raise NotFoundError("Fant ikke filen.", code="file_missing")
    return storage.open_stored(storage_name)


def extraction_entry_parties(*, municipality: Municipality, entry_ids: Sequence[int]) -> list[Any]:
    """The correspondence parties (type and name) of a batch of entries, for the journals."""
    return list(
        CorrespondenceParty.objects.filter(municipality=municipality, registry_entry_id__in=_any(entry_ids))
        .order_by("pk")
        .values("registry_entry_id", "party_type", "name", "kind")
    )


def _screening_of(row: dict[str, Any], prefix: str) -> ScreeningFacts | None:
    if not row[f"{prefix}screening__access_restriction"]:
        return None
    return ScreeningFacts(
        access_restriction=row[f"{prefix}screening__access_restriction"],
        legal_basis=row[f"{prefix}screening__legal_basis"],
        screened_metadata=frozenset(row[f"{prefix}screening__screened_metadata"]),
        screened_document=row[f"{prefix}screening__screened_document"],
        ends_on=row[f"{prefix}screening__ends_on"],
    )


_CASE_PREFIX = "case_file__"
_FACT_FIELDS = (
    "pk",
    "system_id",
    "municipality_id",
    "record_type",
    "entry_type",
    "status",
    "title",
    "public_title",
    "entry_number",
    "journal_year",
    "journal_sequence_number",
    "journal_date",
    "document_date",
    "administrative_unit",
    "created_at",
    "updated_at",
    "case_file_id",
    *_SCREENING_VALUES,
    *(
        f"{_CASE_PREFIX}{name}"
        for name in (
            "system_id",
            "case_year",
            "case_sequence_number",
            "title",
            "public_title",
            "administrative_unit",
            "primary_class__class_id",
            "primary_class__title",
            *_SCREENING_VALUES,
        )
    ),
)


def _case_party_facts(
    municipality: Municipality, case_file_ids: Iterable[int]
) -> dict[int, list[PartyFacts]]:
    """The case parties (part) of each case file, by its pk."""
    case_parties: dict[int, list[PartyFacts]] = {}
    for party in (
        CaseParty.objects.filter(municipality=municipality, case_file_id__in=_any(case_file_ids))
        .order_by("pk")
        .values("case_file_id", "name", "kind", "role")
    ):
        case_parties.setdefault(party["case_file_id"], []).append(
            PartyFacts(name=party["name"], kind=party["kind"], party_type=party["role"])
        )
    return case_parties


def _entry_party_facts(municipality: Municipality, entry_ids: Sequence[int]) -> dict[int, list[PartyFacts]]:
    """The correspondence parties of each entry, by its pk."""
    parties: dict[int, list[PartyFacts]] = {}
    for party in extraction_entry_parties(municipality=municipality, entry_ids=entry_ids):
        parties.setdefault(party["registry_entry_id"], []).append(
            PartyFacts(name=party["name"], kind=party["kind"], party_type=party["party_type"])
        )
    return parties


def _best_file_objects(municipality: Municipality, document_ids: Iterable[int]) -> dict[int, uuid.UUID]:
    """The object to publish of each document: its newest archival (A), else production version with a file."""
    best: dict[int, tuple[bool, int, uuid.UUID]] = {}
    for obj in DocumentObject.objects.filter(
        municipality=municipality, document_id__in=_any(document_ids), file__isnull=False
    ).values("document_id", "variant_format", "version_number", "system_id"):
        key = (obj["variant_format"] == "A", obj["version_number"], obj["system_id"])
        if obj["document_id"] not in best or key[:2] > best[obj["document_id"]][:2]:
            best[obj["document_id"]] = key
    return {document_id: key[2] for document_id, key in best.items()}


def _document_facts(municipality: Municipality, entry_ids: Sequence[int]) -> dict[int, list[DocumentFacts]]:
    """The documents of each entry, by its pk, in document-number order."""
    links = list(
        DocumentLink.objects.filter(municipality=municipality, registry_entry_id__in=_any(entry_ids))
        .order_by("document_number")
        .values(
            "registry_entry_id",
            "document_id",
            "linked_as",
            "document_number",
            "document__system_id",
            "document__title",
            "document__status",
            *(f"document__{name}" for name in _SCREENING_VALUES),
        )
    )
    file_objects = _best_file_objects(municipality, {link["document_id"] for link in links})
    documents: dict[int, list[DocumentFacts]] = {}
    for link in links:
        documents.setdefault(link["registry_entry_id"], []).append(
            DocumentFacts(
                system_id=link["document__system_id"],
                title=link["document__title"],
                linked_as=link["linked_as"],
                document_number=link["document_number"],
                status=link["document__status"],
                screening=_screening_of(link, "document__"),
                file_object_id=file_objects.get(link["document_id"]),
            )
        )
    return documents


def _case_facts_of_row(row: dict[str, Any], parties: Sequence[PartyFacts]) -> CaseFacts:
    return CaseFacts(
        system_id=row["case_file__system_id"],
        case_year=row["case_file__case_year"],
        case_sequence_number=row["case_file__case_sequence_number"],
        title=row["case_file__title"],
        public_title=row["case_file__public_title"],
        administrative_unit=row["case_file__administrative_unit"],
        class_id=row["case_file__primary_class__class_id"] or "",
        class_title=row["case_file__primary_class__title"] or "",
        screening=_screening_of(row, _CASE_PREFIX),
        parties=tuple(parties),
    )


def extraction_publication_facts(*, municipality: Municipality, entry_ids: Sequence[int]) -> list[EntryFacts]:
    """The same ``EntryFacts`` as ``entries_for_publication`` for a batch of entries (by pk), read as
    plain rows in a few queries: the extraction screens every journal entry of an archive."""
    entries = list(
        RegistryEntry.objects.filter(municipality=municipality, pk__in=_any(entry_ids))
        .order_by("pk")
        .values(*_FACT_FIELDS)
    )
    parties = _entry_party_facts(municipality, entry_ids)
    case_parties = _case_party_facts(municipality, {row["case_file_id"] for row in entries})
    documents = _document_facts(municipality, entry_ids)
    return [
        EntryFacts(
            system_id=row["system_id"],
            municipality_id=row["municipality_id"],
            record_type=row["record_type"],
            entry_type=row["entry_type"],
            status=row["status"],
            title=row["title"],
            public_title=row["public_title"],
            entry_number=row["entry_number"],
            journal_year=row["journal_year"],
            journal_sequence_number=row["journal_sequence_number"],
            journal_date=row["journal_date"],
            document_date=row["document_date"],
            administrative_unit=row["administrative_unit"],
            registered_at=row["created_at"],
            changed_at=row["updated_at"] or row["created_at"],
            screening=_screening_of(row, ""),
            parties=tuple(parties.get(row["pk"], ())),
            documents=tuple(documents.get(row["pk"], ())),
            case=_case_facts_of_row(row, case_parties.get(row["case_file_id"], ())),
        )
        for row in entries
    ]


def stored_files_after(*, municipality: Municipality, after_pk: int = 0, limit: int = 500) -> list[Any]:
    """A keyset page of the municipality's stored file contents: pk, sha256, size, storage name."""
    return list(
        StoredFile.objects.filter(municipality=municipality, pk__gt=after_pk)
        .order_by("pk")
        .values("pk", "sha256", "size", "storage_name")[:limit]
    )
