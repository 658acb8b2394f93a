"""Limits and patterns of the form engine, and file sniffing by magic bytes."""

from __future__ import annotations

import re

FIELD_TYPES = (
    "text",
    "longtext",
    "number",
    "date",
    "choice",
    "multichoice",
    "yesno",
    "email",
    "phone",
    "address",
    "nin",
    "orgnr",
    "file",
    "group",
)
PREFILL_SOURCES = ("pid", "name", "organisation_number")
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_PATTERN = re.compile(r"^\+?[0-9 ]{8,15}$")
POSTAL_CODE_PATTERN = re.compile(r"^[0-9]{4}$")
DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024
MAX_FILE_SIZE = 25 * 1024 * 1024
DEFAULT_ACCEPT = ("application/pdf", "image/jpeg", "image/png")
KNOWN_FILE_TYPES = ("application/pdf", "image/jpeg", "image/png", "image/tiff", "text/plain")
MAX_TEXT = 10_000
MAX_GROUP_ROWS = 50
ADDRESS_PARTS = ("street", "postal_code", "city")

# Magic bytes of the attachment types the engine accepts (the content decides, not the name).
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)


def sniff_content_type(head: bytes) -> str:
    """The type of a file from its first bytes: a known signature, plain UTF-8 text, or unknown."""
    for signature, mime in _SIGNATURES:
        if head.startswith(signature):
            return mime
    if head and b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            return "application/octet-stream"
        return "text/plain"
    return "application/octet-stream"
