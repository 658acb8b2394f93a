"""Log hygiene: no national identity number ever reaches a log line.

The processor runs on every structlog event and on every standard-library record routed through
the structured formatter. It replaces any 11-digit run that is a valid fødselsnummer or
D-number (checked with python-stdnum) with a marker; other numbers (case numbers, phone
numbers, org numbers with 9 digits) pass through.
"""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from typing import Any

from stdnum.no import fodselsnummer

ELEVEN_DIGITS = re.compile(r"(?<!\d)(\d{6})[ ]?(\d{5})(?!\d)")
MARKER = "[fødselsnummer fjernet]"


def redact_text(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        candidate = match.group(1) + match.group(2)
        return MARKER if fodselsnummer.is_valid(candidate) else match.group(0)

    return ELEVEN_DIGITS.sub(replace, text)


def _redact(value: Any) -> Any:
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict):
        return {key: _redact(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_redact(item) for item in value)
    return value


def redact_identity_numbers(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    for key, value in list(event_dict.items()):
        event_dict[key] = _redact(value)
    return event_dict
