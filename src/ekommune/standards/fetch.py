"""Downloading the official files into a standards folder, each checked against the manifest's
SHA-256 before it takes its place (written to a temporary file beside it, renamed when right)."""

from __future__ import annotations

import hashlib
import os
import tempfile
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ekommune.standards.lookup import StandardFile, manifest

MAX_BYTES = 64 * 1024 * 1024  # no official file the project uses comes near this
TIMEOUT_SECONDS = 60
CHUNK = 64 * 1024


class FetchError(Exception):
    """One file could not be fetched; nothing of it was written."""


@dataclass
class FetchReport:
    fetched: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)  # already there with the right checksum
    failed: dict[str, str] = field(default_factory=dict)  # key → why

    @property
    def ok(self) -> bool:
        return not self.failed


def source_url(file: StandardFile, mirror: str | None = None) -> str:
    """The publisher's URL, or ``<mirror>/<key>`` when a mirror replaces the publisher."""
    return f"{mirror.rstrip('/')}/{file.key}" if mirror else file.url


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _download(url: str, target: Path, expected: str) -> None:
    if urlsplit(url).scheme not in {"http", "https"}:
        raise FetchError(f"only http and https addresses are fetched, not {url}")
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        digest, size = hashlib.sha256(), 0
        with os.fdopen(handle, "wb") as out, urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310 (scheme checked above)
            while chunk := answer.read(CHUNK):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise FetchError(f"{url} is larger than {MAX_BYTES} bytes")
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != expected:
            raise FetchError(
                f"the checksum of {url} is {digest.hexdigest()}, the manifest says {expected}: refused, nothing written"
            )
        os.replace(temporary, target)
    except OSError as error:  # urllib's URLError and HTTPError are OSErrors
        raise FetchError(f"{url}: {error}") from error
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def fetch(
    *,
    target: Path,
    group: str | None = None,
    mirror: str | None = None,
    progress: Callable[[str, str], None] | None = None,
) -> FetchReport:
    """Fetch the files of ``group`` (all groups when None) into ``target``; a file already there
    with the right checksum is kept. ``progress(key, what)`` is told about each file."""
    report = FetchReport()
    files = [file for file in manifest() if group is None or file.group == group]
    if not files:
        report.failed[group or ""] = f"the manifest has no group {group!r}"
    for file in files:
        destination = target / file.key
        if destination.is_file() and sha256_of(destination) == file.sha256:
            report.present.append(file.key)
            what = "already there"
        else:
            try:
                _download(source_url(file, mirror), destination, file.sha256)
            except FetchError as error:
                report.failed[file.key] = str(error)
                what = f"REFUSED: {error}"
            else:
                report.fetched.append(file.key)
                what = "fetched"
        if progress is not None:
            progress(file.key, what)
    return report
