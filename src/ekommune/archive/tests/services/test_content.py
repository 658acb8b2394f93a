"""Files are stored once per content (SHA-256), with size and type recorded, and read back as stored."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import pytest

from ekommune.archive import selectors, services
from ekommune.archive.models import StoredFile
from ekommune.archive.tests.factories import PDF_BYTES, SENDER, archive_for, case_for, letter
from ekommune.core.errors import NotFoundError, PermissionDeniedError
from ekommune.core.models import Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_content_is_addressed_by_its_checksum_and_stored_once(
    municipality_a: Municipality, media: Path
) -> None:
    archive = archive_for(municipality_a)
    for title in ["Første", "Andre"]:
        services.registry_entry_register(
            actor=archive.case_worker,
            municipality=municipality_a,
            case_file=case_for(archive),
            entry_type="I",
            title=title,
            parties=[SENDER],
            documents=[letter(title)],
        )
    digest = hashlib.sha256(PDF_BYTES).hexdigest()
    stored = StoredFile.objects.get(municipality=municipality_a)
    assert (stored.sha256, stored.size) == (digest, len(PDF_BYTES))
    assert stored.storage_name == f"archive/{municipality_a.pk}/{digest[:2]}/{digest[2:4]}/{digest}"
    assert (media / stored.storage_name).read_bytes() == PDF_BYTES
    assert stored.document_objects.count() == 2


def test_download_streams_the_stored_bytes(municipality_a: Municipality) -> None:
    archive = archive_for(municipality_a)
    content = b"%PDF-1.7\n" + bytes(range(256)) * 8000  # ~2 MB, more than one chunk
    entry = services.registry_entry_register(
        actor=archive.case_worker,
        municipality=municipality_a,
        case_file=case_for(archive),
        entry_type="I",
        title="Stor fil",
        parties=[SENDER],
        documents=[letter("Stor", content, expected_sha256=hashlib.sha256(content).hexdigest())],
    )
    obj = entry.documents.get().document_objects.get()
    with selectors.document_object_open(
        actor=archive.case_worker, municipality=municipality_a, document_object=obj
    ) as stream:
        digest = hashlib.sha256()
        while chunk := stream.read(65536):
            digest.update(chunk)
    assert digest.hexdigest() == obj.checksum
    assert obj.size == len(content)


def test_files_of_another_municipality_cannot_be_opened(
    municipality_a: Municipality, municipality_b: Municipality
) -> None:
    a, b = archive_for(municipality_a), archive_for(municipality_b)
    entry = services.registry_entry_register(
        actor=a.case_worker,
        municipality=municipality_a,
        case_file=case_for(a),
        entry_type="I",
        title="Hemmelig",
        parties=[SENDER],
        documents=[letter()],
    )
    obj = entry.documents.get().document_objects.get()
    with pytest.raises(NotFoundError):
        selectors.document_object_open(actor=b.case_worker, municipality=municipality_b, document_object=obj)
    with pytest.raises(PermissionDeniedError):
        selectors.document_object_open(actor=b.case_worker, municipality=municipality_a, document_object=obj)


@pytest.mark.parametrize(
    ("content", "mime"),
    [
        (b"%PDF-1.4", "application/pdf"),
        (b"\x89PNG\r\n\x1a\nxx", "image/png"),
        (b"<?xml version='1.0'?><a/>", "application/xml"),
        ("Søknad om plass".encode(), "text/plain"),
        (b"\x00\x81\xfe\xff", "application/octet-stream"),
    ],
)
def test_the_type_is_sniffed_from_the_content(
    municipality_a: Municipality, content: bytes, mime: str
) -> None:
    archive = archive_for(municipality_a)
    entry = services.registry_entry_register(
        actor=archive.case_worker,
        municipality=municipality_a,
        case_file=case_for(archive),
        entry_type="X",
        title="Notat",
        documents=[services.DocumentInput(title="Fil", file_name="fil.pdf", content=io.BytesIO(content))],
    )
    assert entry.documents.get().document_objects.get().mime_type == mime


class _ReadOnlyStream(io.BytesIO):
    """A file object that may only be read with read(): iterating over it would give its lines."""

    def __iter__(self) -> Any:
        raise AssertionError("a file object must be read in chunks, not iterated by lines")


def test_a_file_is_read_in_chunks_not_by_lines(municipality_a: Municipality, media: Path) -> None:
    archive = archive_for(municipality_a)
    content = b"%PDF-1.7\n" + b"a line\n" * 10_000
    entry = services.registry_entry_register(
        actor=archive.case_worker,
        municipality=municipality_a,
        case_file=case_for(archive),
        entry_type="I",
        title="Mange linjer",
        parties=[SENDER],
        documents=[
            services.DocumentInput(title="Brev", file_name="brev.pdf", content=_ReadOnlyStream(content))
        ],
    )
    (stored,) = entry.registered_files
    assert stored.checksum == hashlib.sha256(content).hexdigest()
    assert stored.file is not None
    assert (media / stored.file.storage_name).read_bytes() == content
