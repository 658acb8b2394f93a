"""Every write to the archive. Other apps register their documents through these functions.

Each function is keyword-only, runs in one transaction, checks the actor's permission in the
municipality, enforces the Noark 5 life-cycle rules (``ArchiveRuleError`` with a stable code),
and writes the Noark change log (endringslogg) and the audit log in the same transaction.
An object of another municipality is not found (``core.services.tenant_row_lock`` and
``tenant_object_check``: code ``not_found``, decision 0008).

A package by concept; callers import ``ekommune.archive.services`` and find every public name
here: the structure (``structure``), case files (``case_files``), registering entries
(``entries``) and what happens to them afterwards (``entry_changes``), documents and their files
(``documents``, ``content``), chunked uploads (``uploads``), comments and cross references
(``references``), the deposit import's writes (``imports``), a screening decided afterwards
(``screenings``). Screening values are read by the one
mapping (``ekommune.archive.screening``), re-exported here for the callers that check before writing. The input types live in
``ekommune.archive.types`` and are re-exported here.
"""

from __future__ import annotations

from ekommune.archive.screening import (
    LEVELS,
    ScreeningValueError,
    access_restriction_code,
    screened_document_code,
    screened_metadata_all,
    screened_metadata_codes,
    screening_normalise,
)
from ekommune.archive.services.case_files import case_file_conclude, case_file_create, case_party_add
from ekommune.archive.services.code_lists import code_list_extend
from ekommune.archive.services.common import (
    ENTRY_STATUS_ORDER,
    FINALISED_ENTRY_STATUSES,
    NEEDS_FINALISED_DOCUMENTS,
    number_next,
)
from ekommune.archive.services.descriptions import archive_description_update
from ekommune.archive.services.documents import (
    document_description_create,
    document_finalise,
    document_object_add,
    document_object_create,
    document_object_delete,
    document_object_upload,
)
from ekommune.archive.services.entries import (
    internal_note_register,
    registry_entries_register_bulk,
    registry_entry_register,
)
from ekommune.archive.services.entry_changes import (
    correspondence_party_add,
    registry_entry_archive,
    registry_entry_delete,
    registry_entry_dispatch,
    registry_entry_finalise,
    registry_entry_set_status,
    registry_entry_update_title,
    registry_entry_write_off,
)
from ekommune.archive.services.folders import folder_create
from ekommune.archive.services.identifiers import keyword_add, national_identifier_add
from ekommune.archive.services.imports import (
    archive_links_import,
    case_file_import,
    change_log_import,
    class_import,
    classification_system_import,
    fonds_import,
    number_sequences_catch_up,
    registry_entry_import,
    series_import,
)
from ekommune.archive.services.references import comment_add, cross_reference_add
from ekommune.archive.services.screenings import screening_set
from ekommune.archive.services.structure import (
    class_create,
    classification_system_create,
    fonds_create,
    fonds_creator_add,
    fonds_creator_ensure,
    series_attach_classification_system,
    series_close,
    series_create,
)
from ekommune.archive.services.uploads import upload_session_append, upload_session_start
from ekommune.archive.types import (
    ArchiveRuleError,
    CaseFileImport,
    CasePartyInput,
    DocumentImport,
    DocumentInput,
    DocumentObjectImport,
    EntryImport,
    EntryInput,
    NationalIdentifierInput,
    NewCaseFile,
    PartyInput,
    Provenance,
    ScreeningInput,
)

__all__ = [
    "ENTRY_STATUS_ORDER",
    "FINALISED_ENTRY_STATUSES",
    "LEVELS",
    "NEEDS_FINALISED_DOCUMENTS",
    "ArchiveRuleError",
    "CaseFileImport",
    "CasePartyInput",
    "DocumentImport",
    "DocumentInput",
    "DocumentObjectImport",
    "EntryImport",
    "EntryInput",
    "NationalIdentifierInput",
    "NewCaseFile",
    "PartyInput",
    "Provenance",
    "ScreeningInput",
    "ScreeningValueError",
    "access_restriction_code",
    "archive_description_update",
    "archive_links_import",
    "case_file_conclude",
    "case_file_create",
    "case_file_import",
    "case_party_add",
    "change_log_import",
    "class_create",
    "class_import",
    "classification_system_create",
    "classification_system_import",
    "code_list_extend",
    "comment_add",
    "correspondence_party_add",
    "cross_reference_add",
    "document_description_create",
    "document_finalise",
    "document_object_add",
    "document_object_create",
    "document_object_delete",
    "document_object_upload",
    "folder_create",
    "fonds_create",
    "fonds_creator_add",
    "fonds_creator_ensure",
    "fonds_import",
    "internal_note_register",
    "keyword_add",
    "national_identifier_add",
    "number_next",
    "number_sequences_catch_up",
    "registry_entries_register_bulk",
    "registry_entry_archive",
    "registry_entry_delete",
    "registry_entry_dispatch",
    "registry_entry_finalise",
    "registry_entry_import",
    "registry_entry_register",
    "registry_entry_set_status",
    "registry_entry_update_title",
    "registry_entry_write_off",
    "screened_document_code",
    "screened_metadata_all",
    "screened_metadata_codes",
    "screening_normalise",
    "screening_set",
    "series_attach_classification_system",
    "series_close",
    "series_create",
    "series_import",
    "upload_session_append",
    "upload_session_start",
]
