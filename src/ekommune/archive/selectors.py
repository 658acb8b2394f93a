"""Reads of the archive, always within one municipality and behind the read permission."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.db.models import Count, F, Max, Min, Prefetch, Q, QuerySet
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
    Screening,
    Series,
    StoredFile,
    UploadSession,
    WriteOff,
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


# ------------------------------------------------------------------ for publication
# What the public journal and the political pages need of an entry, as plain values. These
# reads carry no permission check: they feed the publication step, which screens every value
# before anything leaves the platform (ekommune.publicjournal.screening), and nothing else.


@dataclass(frozen=True)
class ScreeningFacts:
    """skjerming as values: access restriction (M500), legal basis (M501), what is screened (M502/M503)."""

    access_restriction: str
    legal_basis: str
    screened_metadata: frozenset[str]
    screened_document: str
    ends_on: dt.date | None


@dataclass(frozen=True)
class PartyFacts:
    name: str
    kind: str  # person, unit, internal
    party_type: str  # korrespondanseparttype (EA sender, EM recipient, ...) or partRolle for case parties


@dataclass(frozen=True)
class DocumentFacts:
    system_id: uuid.UUID
    title: str
    linked_as: str  # H main document, V attachment
    document_number: int
    status: str
    screening: ScreeningFacts | None
    file_object_id: uuid.UUID | None  # the newest archival (A) or else production (P) object with a file


@dataclass(frozen=True)
class CaseFacts:
    system_id: uuid.UUID
    case_year: int
    case_sequence_number: int
    title: str
    public_title: str
    administrative_unit: str
    class_id: str
    class_title: str
    screening: ScreeningFacts | None
    parties: tuple[PartyFacts, ...]

    @property
    def case_number(self) -> str:
        return f"{self.case_year}/{self.case_sequence_number}"


@dataclass(frozen=True)
class EntryFacts:
    """A registry entry with its case, parties and documents, for the publication step."""

    system_id: uuid.UUID
    municipality_id: int
    record_type: str
    entry_type: str
    status: str
    title: str
    public_title: str
    entry_number: int
    journal_year: int | None
    journal_sequence_number: int | None
    journal_date: dt.date
    document_date: dt.date | None
    administrative_unit: str
    registered_at: dt.datetime
    changed_at: dt.datetime
    screening: ScreeningFacts | None
    parties: tuple[PartyFacts, ...]
    documents: tuple[DocumentFacts, ...]
    case: CaseFacts

    @property
    def journal_number(self) -> str:
        """løpenummer ``57/2026`` (empty for internal notes without one)."""
        if self.journal_year is None:
            return ""
        return f"{self.journal_sequence_number}/{self.journal_year}"

    @property
    def registration_id(self) -> str:
        """registreringsID ``2026/14-3``."""
        return f"{self.case.case_number}-{self.entry_number}"


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


@dataclass(frozen=True)
class PublicationFile:
    """An archived file opened for the public journal (full text or a granted access request)."""

    content: IO[bytes]
    file_name: str
    mime_type: str
    size: int


def document_file_for_publication(
    *, municipality: Municipality, object_system_id: uuid.UUID
) -> PublicationFile:
    """Open the file of a document object that the publication step found eligible.

    No permission check, as ``entries_for_publication``: only ``publicjournal`` and ``politics``
    call it, with an object id that ``screen_entry`` let through, that a case worker granted access
    to, or of political minutes generated from public values only.
    """
    found = (
        DocumentObject.objects.filter(municipality=municipality, system_id=object_system_id)
        .select_related("file")
        .first()
    )
    if found is None or found.file is None:
        raise NotFoundError("Fant ikke filen.", code="file_missing")
    return PublicationFile(
        content=storage.open_stored(found.file.storage_name),
        file_name=found.file_name,
        mime_type=found.mime_type or "application/octet-stream",
        size=found.file.size,
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


def case_file_by_system_id(
    *, actor: Actor, municipality: Municipality, system_id: uuid.UUID
) -> CaseFile | None:
    return (
        archive_objects(actor=actor, municipality=municipality, model=CaseFile)
        .filter(system_id=system_id)
        .first()
    )


# ------------------------------------------------------------------ for the extraction package
# Reads for the deposit app's arkivuttrekk: plain rows (``values()``), in keyset pages or chunked
# iterators, so that an export of any size holds only one page in memory. The records manager's
# permission (ARCHIVE_MANAGE) is checked where an export starts (``extraction_series``).


def _any(ids: Iterable[int]) -> RawSQL:
    """``IN (SELECT unnest(array))`` with one parameter: cheap for thousands of ids."""
    return RawSQL("SELECT unnest(%s::bigint[])", (list(ids),))


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


def extraction_fonds_creators(*, municipality: Municipality, fonds_id: int) -> list[FondsCreator]:
    return list(FondsCreator.objects.filter(municipality=municipality, fonds_id=fonds_id).order_by("pk"))


def extraction_classes(*, municipality: Municipality, classification_system_id: int) -> list[Class]:
    """Every class of a classification system (a scheme is small), ordered by klasseID."""
    return list(
        Class.objects.filter(
            municipality=municipality, classification_system_id=classification_system_id
        ).order_by("class_id", "pk")
    )


_SCREENING_VALUES = (
    "screening__access_restriction",
    "screening__legal_basis",
    "screening__screened_metadata",
    "screening__screened_document",
    "screening__duration_years",
    "screening__ends_on",
)


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


def extraction_publication_facts(*, municipality: Municipality, entry_ids: Sequence[int]) -> list[EntryFacts]:
    """The same ``EntryFacts`` as ``entries_for_publication`` for a batch of entries (by pk), read as
    plain rows in a few queries: the extraction screens every journal entry of an archive."""
    case_prefix = "case_file__"
    entries = list(
        RegistryEntry.objects.filter(municipality=municipality, pk__in=_any(entry_ids))
        .order_by("pk")
        .values(
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
                f"{case_prefix}{name}"
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
    )
    parties: dict[int, list[PartyFacts]] = {}
    for party in extraction_entry_parties(municipality=municipality, entry_ids=entry_ids):
        parties.setdefault(party["registry_entry_id"], []).append(
            PartyFacts(name=party["name"], kind=party["kind"], party_type=party["party_type"])
        )
    case_parties: dict[int, list[PartyFacts]] = {}
    for party in (
        CaseParty.objects.filter(
            municipality=municipality, case_file_id__in=_any({row["case_file_id"] for row in entries})
        )
        .order_by("pk")
        .values("case_file_id", "name", "kind", "role")
    ):
        case_parties.setdefault(party["case_file_id"], []).append(
            PartyFacts(name=party["name"], kind=party["kind"], party_type=party["role"])
        )
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
    file_objects: dict[int, tuple[bool, int, uuid.UUID]] = {}
    for obj in DocumentObject.objects.filter(
        municipality=municipality,
        document_id__in=_any({link["document_id"] for link in links}),
        file__isnull=False,
    ).values("document_id", "variant_format", "version_number", "system_id"):
        key = (obj["variant_format"] == "A", obj["version_number"], obj["system_id"])
        if obj["document_id"] not in file_objects or key[:2] > file_objects[obj["document_id"]][:2]:
            file_objects[obj["document_id"]] = key
    documents: dict[int, list[DocumentFacts]] = {}
    for link in links:
        best = file_objects.get(link["document_id"])
        documents.setdefault(link["registry_entry_id"], []).append(
            DocumentFacts(
                system_id=link["document__system_id"],
                title=link["document__title"],
                linked_as=link["linked_as"],
                document_number=link["document_number"],
                status=link["document__status"],
                screening=_screening_of(link, "document__"),
                file_object_id=best[2] if best is not None else None,
            )
        )
    facts = []
    for row in entries:
        case = CaseFacts(
            system_id=row["case_file__system_id"],
            case_year=row["case_file__case_year"],
            case_sequence_number=row["case_file__case_sequence_number"],
            title=row["case_file__title"],
            public_title=row["case_file__public_title"],
            administrative_unit=row["case_file__administrative_unit"],
            class_id=row["case_file__primary_class__class_id"] or "",
            class_title=row["case_file__primary_class__title"] or "",
            screening=_screening_of(row, case_prefix),
            parties=tuple(case_parties.get(row["case_file_id"], ())),
        )
        facts.append(
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
                case=case,
            )
        )
    return facts


def series_list(*, actor: Actor, municipality: Municipality) -> QuerySet[Series]:
    """The municipality's series (arkivdeler) with their fonds, open ones first, newest first."""
    permission_require(actor=actor, municipality=municipality, permission=Permission.ARCHIVE_READ)
    return (
        Series.objects.filter(municipality=municipality)
        .select_related("fonds")
        .order_by(F("concluded_at").asc(nulls_first=True), "-pk")
    )


# ------------------------------------------------------------------ for fixity checks


def stored_files_after(*, municipality: Municipality, after_pk: int = 0, limit: int = 500) -> list[Any]:
    """A keyset page of the municipality's stored file contents: pk, sha256, size, storage name."""
    return list(
        StoredFile.objects.filter(municipality=municipality, pk__gt=after_pk)
        .order_by("pk")
        .values("pk", "sha256", "size", "storage_name")[:limit]
    )


def extraction_entry_count(*, municipality: Municipality, series_ids: Sequence[uuid.UUID]) -> int:
    """How many registry entries the series hold (the size of their extraction)."""
    return RegistryEntry.objects.filter(
        municipality=municipality, case_file__series__system_id__in=list(series_ids)
    ).count()


# ------------------------------------------------------------------ by systemID, for other apps
# Added on branch shape-portal-pj (issue 18, decision 0036): what the portal reads of the archive
# now that it holds systemIDs instead of foreign keys. ``registry_entry_files`` and ``EntryFile``
# are also being added by the archive's own reshaping; at merge one copy of each stays.


@dataclass(frozen=True)
class EntryFile:
    """A file of a registry entry: a document object (dokumentobjekt) with its document's title."""

    system_id: uuid.UUID  # the document object's systemID
    title: str  # the document's (dokumentbeskrivelse) tittel
    file_name: str
    mime_type: str
    size: int | None
    checksum: str
    document_number: int
    version_number: int


def registry_entry_files(
    *, actor: Actor, municipality: Municipality, entry_system_id: uuid.UUID
) -> list[EntryFile]:
    """Every file of the entry, in document order and then version order (not found: ``not_found``)."""
    permission_require(actor=actor, municipality=municipality, permission=Permission.ARCHIVE_READ)
    entry_id = (
        RegistryEntry.objects.filter(municipality=municipality, system_id=entry_system_id)
        .values_list("pk", flat=True)
        .first()
    )
    if entry_id is None:
        raise NotFoundError("Fant ikke journalposten.", code="not_found")
    links = (
        DocumentLink.objects.filter(municipality=municipality, registry_entry_id=entry_id)
        .select_related("document")
        .prefetch_related(
            Prefetch("document__document_objects", queryset=DocumentObject.objects.order_by("version_number"))
        )
        .order_by("document_number")
    )
    return [
        EntryFile(
            system_id=obj.system_id,
            title=link.document.title,
            file_name=obj.file_name,
            mime_type=obj.mime_type,
            size=obj.size,
            checksum=obj.checksum,
            document_number=link.document_number,
            version_number=obj.version_number,
        )
        for link in links
        for obj in link.document.document_objects.all()
    ]


def document_object_by_system_id(
    *, actor: Actor, municipality: Municipality, system_id: uuid.UUID
) -> DocumentObject | None:
    """A document object of the municipality (for ``document_object_open``), or None."""
    return (
        archive_objects(actor=actor, municipality=municipality, model=DocumentObject)
        .filter(system_id=system_id)
        .select_related("file")
        .first()
    )


def class_list(*, actor: Actor, municipality: Municipality) -> QuerySet[Class]:
    """The municipality's classes (klasser) of every classification system, by klasseID."""
    return archive_objects(actor=actor, municipality=municipality, model=Class).order_by("class_id", "pk")
