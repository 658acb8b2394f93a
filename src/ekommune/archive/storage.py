"""Content-addressed file storage for document objects.

Content is streamed through SHA-256 into a spool and saved once per distinct checksum under
``archive/<municipality>/<aa>/<bb>/<sha256>`` in Django's default storage (filesystem, or
S3-compatible object storage with ``EKOMMUNE_STORAGE=s3``). The spool keeps up to ``IN_MEMORY``
bytes in memory (receipts, letters, most attachments) and moves larger content to a temporary
file: nothing large is held in memory whole.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from django.core.files import File
from django.core.files.storage import default_storage

CHUNK = 1024 * 1024
IN_MEMORY = 4 * CHUNK

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"PK\x03\x04", "application/zip"),
    (b"<?xml", "application/xml"),
)


@dataclass(frozen=True)
class SpooledContent:
    sha256: str
    size: int
    mime_type: str
    spool: IO[bytes]


def sniff_mime_type(head: bytes) -> str:
    for signature, mime in _SIGNATURES:
        if head.startswith(signature):
            return mime
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "application/octet-stream"
    return "text/plain"


def spool(chunks: Iterator[bytes]) -> SpooledContent:
    """Hash and measure the content while copying it to a spool (memory, then a temporary file)."""
    digest = hashlib.sha256()
    size = 0
    head = b""
    target = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)  # noqa: SIM115 (the caller closes it)
    for chunk in chunks:
        if len(head) < 512:
            head += chunk[: 512 - len(head)]
        digest.update(chunk)
        size += len(chunk)
        target.write(chunk)
    target.seek(0)
    return SpooledContent(sha256=digest.hexdigest(), size=size, mime_type=sniff_mime_type(head), spool=target)


def iter_chunks(stream: IO[bytes]) -> Iterator[bytes]:
    while chunk := stream.read(CHUNK):
        yield chunk


def storage_name(municipality_id: int, sha256: str) -> str:
    return f"archive/{municipality_id}/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def store(name: str, content: SpooledContent) -> None:
    if not default_storage.exists(name):
        saved = default_storage.save(name, File(content.spool))
        if saved != name:  # pragma: no cover - a concurrent writer won; both wrote the same bytes
            default_storage.delete(saved)


def open_stored(name: str) -> IO[bytes]:
    return default_storage.open(name, "rb")
