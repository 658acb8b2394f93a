"""The Noark 5 archive: fonds → series → classification → case file → registry entry → document.

Names in English, the Noark term in each docstring; ``db_column`` is left to Django, and the API
and extraction layers map fields to the standard's names (docs/domain/noark5-mapping.md).
Every row belongs to one municipality (``TenantOwnedModel``) and carries a ``system_id`` UUID
(M001 systemID) that never changes.

A package by concept (``structure``, ``records``, ``documents``, ``change_log``); every model is
imported from here.
"""

from __future__ import annotations

from ekommune.archive.models.change_log import ChangeLogEntry
from ekommune.archive.models.code_lists import CodeListExtension
from ekommune.archive.models.common import ArchiveEntity
from ekommune.archive.models.documents import (
    DocumentDescription,
    DocumentLink,
    DocumentObject,
    StoredFile,
    UploadSession,
)
from ekommune.archive.models.folders import Folder
from ekommune.archive.models.identifiers import Keyword, NationalIdentifier
from ekommune.archive.models.records import (
    CaseFile,
    CaseParty,
    Comment,
    CorrespondenceParty,
    CrossReference,
    NumberSequence,
    RegistryEntry,
    WriteOff,
)
from ekommune.archive.models.structure import (
    Class,
    ClassificationSystem,
    Fonds,
    FondsCreator,
    Screening,
    Series,
)

__all__ = [
    "ArchiveEntity",
    "CaseFile",
    "CaseParty",
    "ChangeLogEntry",
    "Class",
    "ClassificationSystem",
    "CodeListExtension",
    "Comment",
    "CorrespondenceParty",
    "CrossReference",
    "DocumentDescription",
    "DocumentLink",
    "DocumentObject",
    "Folder",
    "Fonds",
    "FondsCreator",
    "Keyword",
    "NationalIdentifier",
    "NumberSequence",
    "RegistryEntry",
    "Screening",
    "Series",
    "StoredFile",
    "UploadSession",
    "WriteOff",
]
