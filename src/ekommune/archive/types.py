"""The archive's public types: what other apps hand to its services and get back from its selectors.

Inputs and outputs are frozen dataclasses; ``ArchiveRuleError`` is the archive's one error of its
own (a Noark 5 life-cycle rule, HTTP 409). Models appear here only as type annotations. The Noark 5
code lists (``types.codelists``) are values too, and other apps name them from here.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from ekommune.archive import codelists  # noqa: F401  (public: the Noark 5 code lists other apps name)
from ekommune.core.errors import ConflictError

if TYPE_CHECKING:
    from ekommune.archive.models import CaseFile, Class, DocumentDescription, Series


class ArchiveRuleError(ConflictError):
    """A Noark 5 life-cycle rule refused the change (HTTP 409)."""

    code = "archive_rule"


# ------------------------------------------------------------------ inputs of the services


@dataclass(frozen=True)
class ScreeningInput:
    """skjerming for a case file, entry or document: tilgangsrestriksjon, skjermingshjemmel, what is screened."""

    access_restriction: str
    legal_basis: str
    screened_metadata: Sequence[str] = field(default_factory=tuple)
    screened_document: str = ""
    ends_on: dt.date | None = None
    duration_years: int | None = None  # M504 skjermingsvarighet

    def __post_init__(self) -> None:
        if isinstance(self.screened_metadata, str):  # one value, not its letters
            object.__setattr__(self, "screened_metadata", (self.screened_metadata,))


@dataclass(frozen=True)
class PartyInput:
    """A correspondence party for ``registry_entry_register``."""

    party_type: str
    name: str
    kind: str = "person"
    postal_address: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = ""
    email: str = ""
    phone: str = ""
    contact_person: str = ""
    organisation_number: str = ""
    national_identity_number: str = ""
    administrative_unit: str = ""
    case_handler: str = ""


@dataclass(frozen=True)
class DocumentInput:
    """A document with its file for ``registry_entry_register`` (the first is the main document)."""

    title: str
    file_name: str
    content: IO[bytes]
    variant_format: str = "P"
    finalised: bool = True
    document_type: str = "B"
    expected_sha256: str = ""

    @classmethod
    def of_text(cls, title: str, text: str) -> DocumentInput:
        """A finalised plain-text document (a request or a report as the citizen wrote it)."""
        return cls(title=title, file_name=f"{title}.txt", content=io.BytesIO(text.encode()), finalised=True)


@dataclass(frozen=True)
class NewCaseFile:
    """A case file (saksmappe) to open for a first entry: ``registry_entry_register(case_file=NewCaseFile(...))``
    numbers and creates both in one transaction (an incoming letter that starts a case)."""

    series: Series
    title: str
    administrative_unit: str
    case_responsible: str
    primary_class: Class | None = None
    public_title: str = ""
    case_date: dt.date | None = None
    screening: ScreeningInput | None = None


@dataclass(frozen=True)
class EntryInput:
    """One entry for ``registry_entries_register_bulk``."""

    case_file: CaseFile
    entry_type: str
    title: str
    parties: Sequence[PartyInput] = ()
    status: str = "J"
    public_title: str = ""
    document_date: dt.date | None = None


@dataclass(frozen=True)
class CasePartyInput:
    """A party to a case (sakspart) for ``case_party_add``: ``role`` is a partRolle code."""

    name: str
    role: str
    kind: str = "person"
    postal_address: str = ""
    postal_code: str = ""
    city: str = ""
    email: str = ""
    phone: str = ""
    organisation_number: str = ""
    national_identity_number: str = ""


@dataclass(frozen=True)
class NationalIdentifierInput:
    """A nasjonalidentifikator for ``national_identifier_add``: ``kind`` (matrikkel, bygning, plan,
    posisjon, enhetsidentifikator, foedselsnummer, dnummer) and its model field values."""

    kind: str
    values: dict[str, Any]


@dataclass(frozen=True)
class Provenance:
    """opprettetDato/-Av and avsluttetDato/-Av as the package gives them."""

    created_at: dt.datetime
    created_by: str
    concluded_at: dt.datetime | None = None
    concluded_by: str = ""


@dataclass(frozen=True)
class CaseFileImport:
    """A saksmappe as an extraction package describes it."""

    case_year: int
    case_sequence_number: int
    title: str
    case_date: dt.date
    administrative_unit: str
    case_responsible: str
    provenance: Provenance
    case_status: str = "B"
    public_title: str = ""
    description: str = ""
    keywords: Sequence[str] = ()
    records_unit: str = ""
    document_medium: str = "E"
    screening: ScreeningInput | None = None
    parties: Sequence[CasePartyInput] = ()


@dataclass(frozen=True)
class DocumentObjectImport:
    """A dokumentobjekt as an extraction package describes it, with its file's content."""

    version_number: int
    variant_format: str
    format: str
    file_name: str
    content: IO[bytes]
    checksum: str
    created_at: dt.datetime
    created_by: str


@dataclass(frozen=True)
class DocumentImport:
    """A dokumentbeskrivelse and how it is linked to the entry; ``existing`` links one already imported."""

    title: str
    linked_as: str
    document_number: int
    linked_at: dt.datetime
    linked_by: str
    provenance: Provenance
    document_type: str = "B"
    status: str = "B"
    description: str = ""
    author: str = ""
    document_medium: str = "E"
    screening: ScreeningInput | None = None
    objects: Sequence[DocumentObjectImport] = ()
    existing: DocumentDescription | None = None


@dataclass(frozen=True)
class EntryImport:
    """A registrering (journalpost or arkivnotat) as an extraction package describes it."""

    record_type: str
    entry_number: int
    title: str
    journal_date: dt.date
    provenance: Provenance  # concluded_*: arkivertDato/-Av
    status: str = "J"
    entry_type: str = ""
    journal_year: int | None = None
    journal_sequence_number: int | None = None
    public_title: str = ""
    description: str = ""
    document_medium: str = "E"
    document_date: dt.date | None = None
    received_date: dt.datetime | None = None
    sent_date: dt.datetime | None = None
    due_date: dt.date | None = None
    administrative_unit: str = ""
    case_handler: str = ""
    screening: ScreeningInput | None = None
    parties: Sequence[PartyInput] = ()
    documents: Sequence[DocumentImport] = ()
    comments: Sequence[tuple[str, str, dt.datetime, str]] = ()  # text, type, date, by


# ------------------------------------------------------------------ outputs of the selectors


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


@dataclass(frozen=True)
class PublicationFile:
    """An archived file opened for the public journal (full text or a granted access request)."""

    content: IO[bytes]
    file_name: str
    mime_type: str
    size: int


@dataclass(frozen=True)
class PartyCase:
    """A case in which a person is a correspondence party (``selectors.party_cases``)."""

    case_file: str  # systemID
    case_number: str  # saksår/sakssekvensnummer


@dataclass(frozen=True)
class EntryFile:
    """One file (dokumentobjekt) of a registry entry, as ``selectors.registry_entry_files`` lists it."""

    system_id: uuid.UUID  # of the document object: open it with ``selectors.registry_entry_file_open``
    title: str  # of its document (dokumentbeskrivelse)
    file_name: str
    mime_type: str
    size: int | None  # None while an object announced through the API waits for its upload
    checksum: str  # SHA-256, hexadecimal
    document_number: int
    version_number: int
