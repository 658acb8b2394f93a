"""What a Noark 5 extraction package (arkivuttrekk, Noark 5 v5.0) is made of: file names,
namespaces, the official schemas and how values are written.

The schemas are never copied into the code base: they are looked up through the project's
standards manifest (``ekommune.standards``; ``ekommune standards fetch`` downloads them), or read
from a folder given for one run (``--schemas``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.utils import timezone

from ekommune.standards import standard_path

ARKIVSTRUKTUR = "arkivstruktur.xml"
ENDRINGSLOGG = "endringslogg.xml"
LOEPENDE_JOURNAL = "loependeJournal.xml"
OFFENTLIG_JOURNAL = "offentligJournal.xml"
ARKIVUTTREKK = "arkivuttrekk.xml"
DOCUMENT_FOLDER = "dokumenter"
DOCUMENT_FOLDERS = ("dokumenter", "DOKUMENTER", "dokument", "DOKUMENT")  # what Arkade accepts

NS_ARKIVSTRUKTUR = "http://www.arkivverket.no/standarder/noark5/arkivstruktur"
NS_ENDRINGSLOGG = "http://www.arkivverket.no/standarder/noark5/endringslogg"
NS_LOEPENDE = "http://www.arkivverket.no/standarder/noark5/loependeJournal"
NS_OFFENTLIG = "http://www.arkivverket.no/standarder/noark5/offentligJournal"
NS_ADDML = "http://www.arkivverket.no/standarder/addml"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"

# Each XML file of the package, its namespace and the official schema files it needs (the first
# validates it; the others are imported by it and shipped beside it).
XML_FILES: dict[str, tuple[str, tuple[str, ...]]] = {
    ARKIVSTRUKTUR: (NS_ARKIVSTRUKTUR, ("arkivstruktur.xsd", "metadatakatalog.xsd")),
    ENDRINGSLOGG: (NS_ENDRINGSLOGG, ("endringslogg.xsd", "metadatakatalog.xsd")),
    LOEPENDE_JOURNAL: (NS_LOEPENDE, ("loependeJournal.xsd", "metadatakatalog.xsd")),
    OFFENTLIG_JOURNAL: (NS_OFFENTLIG, ("offentligJournal.xsd", "metadatakatalog.xsd")),
    ARKIVUTTREKK: (NS_ADDML, ("addml.xsd",)),
}
SCHEMA_PATHS = {  # file name in the package → path inside the schema folder
    "arkivstruktur.xsd": "arkivstruktur.xsd",
    "metadatakatalog.xsd": "metadatakatalog.xsd",
    "endringslogg.xsd": "endringslogg.xsd",
    "loependeJournal.xsd": "loependeJournal.xsd",
    "offentligJournal.xsd": "offentligJournal.xsd",
    "addml.xsd": "addml/addml.xsd",
}
CHECKSUM_ALGORITHM = "SHA-256"
NOARK_VERSION = "5.0"
SYSTEM_NAME = "ekommune"
CHUNK = 1024 * 1024


def schema_files(folder: Path | None = None) -> dict[str, Path]:
    """Each schema of the package (its file name there) → the official file.

    From the standards manifest (``StandardMissingError`` names a missing file and the command that
    fetches it), or from ``folder`` laid out as ``SCHEMA_PATHS`` when one is given."""
    if folder is not None:
        return {name: Path(folder) / relative for name, relative in SCHEMA_PATHS.items()}
    return {name: standard_path(f"noark5/{relative}") for name, relative in SCHEMA_PATHS.items()}


def sha256_of(stream: IO[bytes]) -> tuple[str, int]:
    """SHA-256 (hex) and size of a stream, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def sha256_file(path: Path) -> tuple[str, int]:
    with path.open("rb") as stream:
        return sha256_of(stream)


def date_text(value: dt.date | dt.datetime | None) -> str:
    """xs:date text (a datetime is taken at its date)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    return value.isoformat()


def datetime_text(value: dt.datetime | None) -> str:
    """xs:dateTime text with its offset (UTC from the database)."""
    return "" if value is None else value.isoformat()


@dataclass
class ExportResult:
    out_dir: Path
    counts: Counter[str] = field(default_factory=Counter)
    journal_entries: int = 0
    public_entries: int = 0
    changes: int = 0
    document_files: int = 0
    extracted_at: dt.datetime = field(default_factory=timezone.now)
    dias_tar: Path | None = None  # the DIAS tar in out_dir, when the export was packed as one
