"""Reads of the archive, always within one municipality.

A package by concept; callers import ``ekommune.archive.selectors`` and find every public name
here: the staff's reads behind the read permission (``records``), the plain values the
publication step screens (``publication``), and the deposit app's extraction and fixity reads
(``extraction``). The output types live in ``ekommune.archive.types`` and are re-exported here.
"""

from __future__ import annotations

from ekommune.archive.selectors.extraction import (
    extraction_case_children,
    extraction_case_files,
    extraction_change_log,
    extraction_classes,
    extraction_entries,
    extraction_entry_children,
    extraction_entry_count,
    extraction_entry_parties,
    extraction_file_open,
    extraction_fonds_creators,
    extraction_journal,
    extraction_journal_summary,
    extraction_publication_facts,
    extraction_series,
    series_class_for_new_case,
    stored_files_after,
)
from ekommune.archive.selectors.publication import (
    document_file_for_publication,
    entries_for_publication,
    entries_holding_document_object,
)
from ekommune.archive.selectors.reads import (
    document_file_read_note,
    document_files_latest,
    handler_units,
    party_cases,
    screened_entries_read_note,
)
from ekommune.archive.selectors.records import (
    archive_objects,
    case_file_by_number,
    case_file_by_system_id,
    change_log_of,
    class_list,
    document_object_open,
    document_object_open_by_system_id,
    registry_entries_of_case,
    registry_entry_by_system_id,
    registry_entry_file_open,
    registry_entry_files,
    series_current,
    series_list,
    series_of_classification_system,
    upload_session,
)
from ekommune.archive.types import (
    CaseFacts,
    DocumentFacts,
    EntryFacts,
    EntryFile,
    PartyCase,
    PartyFacts,
    PublicationFile,
    ScreeningFacts,
)

__all__ = [
    "CaseFacts",
    "DocumentFacts",
    "EntryFacts",
    "EntryFile",
    "PartyCase",
    "PartyFacts",
    "PublicationFile",
    "ScreeningFacts",
    "archive_objects",
    "case_file_by_number",
    "case_file_by_system_id",
    "change_log_of",
    "class_list",
    "document_file_for_publication",
    "document_file_read_note",
    "document_files_latest",
    "document_object_open",
    "document_object_open_by_system_id",
    "entries_for_publication",
    "entries_holding_document_object",
    "extraction_case_children",
    "extraction_case_files",
    "extraction_change_log",
    "extraction_classes",
    "extraction_entries",
    "extraction_entry_children",
    "extraction_entry_count",
    "extraction_entry_parties",
    "extraction_file_open",
    "extraction_fonds_creators",
    "extraction_journal",
    "extraction_journal_summary",
    "extraction_publication_facts",
    "extraction_series",
    "handler_units",
    "party_cases",
    "registry_entries_of_case",
    "registry_entry_by_system_id",
    "registry_entry_file_open",
    "registry_entry_files",
    "screened_entries_read_note",
    "series_class_for_new_case",
    "series_current",
    "series_list",
    "series_of_classification_system",
    "stored_files_after",
    "upload_session",
]
