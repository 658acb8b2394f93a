"""The public journal's public types: what its selectors and services give other apps and its pages.

``PublicEntry`` and its parts are an entry as the public may see it, made only by ``screening``
(the one place where screening happens); ``MARKER`` is what stands where screened text was.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from ekommune.publicjournal.models import PublishedEntry

MARKER = "*****"


@dataclass(frozen=True)
class Policy:
    """A municipality's publication choices (``models.PublicationPolicy`` as values)."""

    publish_internal_notes: bool = False
    sensitive_class_prefixes: tuple[str, ...] = ("F", "G", "H", "4")
    full_text_enabled: bool = False
    delay_hours: int = 0  # how long after registration an entry appears in the public journal


@dataclass(frozen=True)
class PublicParty:
    name: str  # the name, or MARKER
    role: str  # "avsender", "mottaker", "part"


@dataclass(frozen=True)
class PublicDocument:
    system_id: uuid.UUID
    title: str
    linked_as: str
    document_number: int
    file_object_id: uuid.UUID | None  # set only when the full text may be published


@dataclass(frozen=True)
class PublicEntry:
    """A registry entry as the public may see it: every text already screened."""

    system_id: uuid.UUID
    case_system_id: uuid.UUID
    entry_type: str
    journal_number: str
    registration_id: str
    case_number: str
    case_title: str
    title: str
    journal_date: dt.date
    document_date: dt.date | None
    administrative_unit: str
    class_id: str
    parties: tuple[PublicParty, ...]
    documents: tuple[PublicDocument, ...]
    legal_bases: tuple[str, ...]  # e.g. ("Offl. § 13 jf. fvl. § 13",) when anything is screened
    registered_at: dt.datetime
    is_screened: bool = field(default=False)

    def texts(self) -> Iterable[str]:
        """Every text of the entry: what search indexes and leak checks look at."""
        yield from (self.case_title, self.title, self.administrative_unit, self.class_id)
        yield from (party.name for party in self.parties)
        yield from (document.title for document in self.documents)


@dataclass(frozen=True)
class JournalQuery:
    """A search of the public journal: free text and filters, as a visitor or API client gives them."""

    text: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    entry_type: str = ""
    case_number: str = ""
    administrative_unit: str = ""
    sort: str = "nyeste"

    def params(self) -> dict[str, str]:
        """The query as URL parameters (for the saved search's feed, paging links, the API)."""
        values = {
            "q": self.text,
            "fra": self.date_from.isoformat() if self.date_from else "",
            "til": self.date_to.isoformat() if self.date_to else "",
            "type": self.entry_type,
            "sak": self.case_number,
            "enhet": self.administrative_unit,
            "sortering": "" if self.sort == "nyeste" else self.sort,
        }
        return {name: value for name, value in values.items() if value}


@dataclass(frozen=True)
class JournalPage:
    entries: list[PublishedEntry]
    total: int  # exact, or COUNT_LIMIT when ``capped``
    page: int
    page_size: int
    capped: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.page_size + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        return min(self.total, self.page * self.page_size)


@dataclass(frozen=True)
class RefreshResult:
    published: int  # rows written (new or changed)
    removed: int  # rows taken out (no longer public, or gone from the archive)
    waiting: int  # public entries still inside the municipality's publication delay
