"""The form engine: forms declared as data (JSON), checked, rendered and validated.

A form definition is a JSON object (docs/decisions/0030-form-definition-format.md)::

    {"fields": [
        {"key": "navn", "type": "text", "label": "Navn", "required": true, "prefill": "name"},
        {"key": "har_barn", "type": "yesno", "label": "Har du barn?"},
        {"key": "barn", "type": "group", "label": "Barn", "min": 1, "max": 4,
         "show_if": {"field": "har_barn", "equals": "yes"},
         "fields": [{"key": "fnr", "type": "nin", "label": "Fødselsnummer"}]},
        {"key": "vedlegg", "type": "file", "label": "Vedlegg", "accept": ["application/pdf"]}
    ]}

Nothing here touches the database: ``definition_check`` validates a definition (staff edit it
as text), ``input_validate`` turns posted values into clean data or errors beside each field.
Neither raises on bad input; both return what is wrong.
"""

from __future__ import annotations

from ekommune.portal.engine.constants import (
    ADDRESS_PARTS,
    DEFAULT_ACCEPT,
    DEFAULT_MAX_FILE_SIZE,
    EMAIL_PATTERN,
    FIELD_TYPES,
    KEY_PATTERN,
    KNOWN_FILE_TYPES,
    MAX_FILE_SIZE,
    MAX_GROUP_ROWS,
    MAX_TEXT,
    PHONE_PATTERN,
    POSTAL_CODE_PATTERN,
    PREFILL_SOURCES,
    sniff_content_type,
)
from ekommune.portal.engine.definition import (
    Condition,
    Definition,
    DefinitionError,
    Field,
    Option,
    definition_errors,
    definition_parse,
)
from ekommune.portal.engine.validation import (
    Result,
    UploadedFile,
    display_rows,
    file_references,
    group_row_count,
    input_validate,
    is_shown,
    prefill_values,
)

__all__ = [
    "ADDRESS_PARTS",
    "DEFAULT_ACCEPT",
    "DEFAULT_MAX_FILE_SIZE",
    "EMAIL_PATTERN",
    "FIELD_TYPES",
    "KEY_PATTERN",
    "KNOWN_FILE_TYPES",
    "MAX_FILE_SIZE",
    "MAX_GROUP_ROWS",
    "MAX_TEXT",
    "PHONE_PATTERN",
    "POSTAL_CODE_PATTERN",
    "PREFILL_SOURCES",
    "Condition",
    "Definition",
    "DefinitionError",
    "Field",
    "Option",
    "Result",
    "UploadedFile",
    "definition_errors",
    "definition_parse",
    "display_rows",
    "file_references",
    "group_row_count",
    "input_validate",
    "is_shown",
    "prefill_values",
    "sniff_content_type",
]
