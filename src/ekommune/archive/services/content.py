"""File content into the content-addressed store (SHA-256), checked against what the client said."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO, cast

from ekommune.archive import storage
from ekommune.archive.models import StoredFile
from ekommune.core.errors import ValidationError
from ekommune.core.models import Municipality


@dataclass(frozen=True)
class _Stored:
    file: StoredFile
    sha256: str
    size: int
    mime_type: str


def _spool_checked(
    content: IO[bytes] | Iterator[bytes], expected_sha256: str = "", expected_size: int | None = None
) -> storage.SpooledContent:
    """Stream the content through SHA-256 into a spool, checking what the client said it is."""
    # A file object is read in chunks of its own size; iterating over it would give its *lines*
    # (one per newline: thousands of tiny writes for a PDF, a whole image for a file without one).
    chunks = storage.iter_chunks(cast(IO[bytes], content)) if hasattr(content, "read") else content
    spooled = storage.spool(chunks)
    if expected_sha256 and expected_sha256.lower() != spooled.sha256:
        spooled.spool.close()
        raise ValidationError(
            f"Sjekksummen stemmer ikke: mottatt innhold har {spooled.sha256}.",
            code="checksum_mismatch",
            field="sjekksum",
        )
    if expected_size is not None and expected_size != spooled.size:
        spooled.spool.close()
        raise ValidationError(
            f"Filstørrelsen stemmer ikke: mottok {spooled.size} byte.",
            code="size_mismatch",
            field="filstoerrelse",
        )
    return spooled


def _stored_files_ensure(
    municipality: Municipality, spooled: Sequence[storage.SpooledContent]
) -> list[StoredFile]:
    """The stored file of each spooled content (one row and one file per distinct checksum).

    Two statements for any number of files: an insert that skips contents already stored (or
    being stored by a concurrent transaction, which it waits for), then one look-up of them all.
    """
    names = {content.sha256: storage.storage_name(municipality.pk, content.sha256) for content in spooled}
    sizes = {content.sha256: content.size for content in spooled}
    StoredFile.objects.bulk_create(
        (
            StoredFile(municipality=municipality, sha256=sha256, size=sizes[sha256], storage_name=name)
            for sha256, name in names.items()
        ),
        ignore_conflicts=True,
    )
    found = {
        file.sha256: file for file in StoredFile.objects.filter(municipality=municipality, sha256__in=names)
    }
    for content in spooled:
        storage.store(names[content.sha256], content)
    return [found[content.sha256] for content in spooled]


def _spool_and_store(
    municipality: Municipality,
    content: IO[bytes] | Iterator[bytes],
    expected_sha256: str = "",
    expected_size: int | None = None,
) -> _Stored:
    """Stream the content through SHA-256 into the content-addressed store, checking what the client said."""
    spooled = _spool_checked(content, expected_sha256, expected_size)
    try:
        (stored,) = _stored_files_ensure(municipality, [spooled])
    finally:
        spooled.spool.close()
    return _Stored(file=stored, sha256=spooled.sha256, size=spooled.size, mime_type=spooled.mime_type)
