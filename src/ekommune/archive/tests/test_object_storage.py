"""Document files in S3-compatible object storage (production's backend), against a real S3 stand-in.

The stand-in is moto's S3 server, started as its own process on localhost: the archive talks to
it over HTTP with boto3 exactly as it would talk to an object store.
"""

from __future__ import annotations

import hashlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ekommune.archive import selectors, services
from ekommune.archive.models import StoredFile
from ekommune.archive.tests.factories import PDF_BYTES, SENDER, archive_for, case_for, letter
from ekommune.core.models import Municipality
from ekommune.testing import free_port

BUCKET = "ekommune-test"
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "eu-north-1",
}


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def s3_storage(s3_endpoint: str, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    import boto3

    for key, value in CREDENTIALS.items():
        monkeypatch.setenv(key, value)
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="eu-north-1")
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"})
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": BUCKET, "endpoint_url": s3_endpoint, "region_name": "eu-north-1"},
        },
    }
    yield client
    objects = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    for item in objects:
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


@pytest.mark.django_db
def test_documents_are_stored_and_read_back_from_object_storage(
    municipality_a: Municipality, s3_storage: Any
) -> None:
    archive = archive_for(municipality_a)
    entry = services.registry_entry_register(
        actor=archive.case_worker,
        municipality=municipality_a,
        case_file=case_for(archive),
        entry_type="I",
        title="Søknad",
        parties=[SENDER],
        documents=[letter()],
    )
    stored = StoredFile.objects.get(municipality=municipality_a)
    keys = [item["Key"] for item in s3_storage.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [stored.storage_name]
    obj = entry.documents.get().document_objects.get()
    with selectors.document_object_open(
        actor=archive.case_worker, municipality=municipality_a, document_object=obj
    ) as stream:
        assert (
            hashlib.sha256(stream.read()).hexdigest() == obj.checksum == hashlib.sha256(PDF_BYTES).hexdigest()
        )
