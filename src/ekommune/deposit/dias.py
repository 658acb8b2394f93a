"""The extraction as Arkivverket's DIAS package: ``<uuid>.tar`` with ``info.xml`` beside it.

Inside the tar (the layout Arkade 5 writes)::

    <uuid>/dias-mets.xml                       METS (DIAS profile): every other file of the package
                                               with its SHA-256, size, MIME type and date
    <uuid>/administrative_metadata/arkivuttrekk.xml
    <uuid>/content/                            arkivstruktur.xml, the journals, endringslogg.xml,
                                               the schemas, dokumenter/

``info.xml`` (METS, DIAS profile) describes the tar itself with its SHA-256 and size. Both METS
files validate against ``DIAS_METS.xsd`` of the standards manifest. Reading a tar back
(``unpack``) rebuilds the extraction folder the checks and the import read. Decision 0144.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tarfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ekommune.deposit import package as pkg
from ekommune.standards import standard_path

NS_METS = "http://arkivverket.no/standarder/METS"  # the DIAS profile's own namespace
NS_XLINK = "http://www.w3.org/1999/xlink"
M = f"{{{NS_METS}}}"
DIAS_METS = "dias-mets.xml"
INFO = "info.xml"
CONTENT = "content"
ADMINISTRATIVE = "administrative_metadata"
PROFILE = "http://xml.ra.se/METS/RA_METS_eARD.xml"
# The DIAS profile lists the MIME types it allows (Riksarkivet's archival formats and the package's
# own XML); a file of another format is listed as text/plain (decision 0144).
MIME_TYPES = {
    ".xml": "application/xml",
    ".xsd": "application/xml",
    ".pdf": "image/pdf",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".jpg": "image/jpg",
    ".jpeg": "image/jpg",
    ".txt": "text/plain",
    ".mp3": "audio/mp3",
    ".mpg": "video/mpg",
    ".mpeg": "video/mpg",
    ".tar": "application/x-tar",
}
FALLBACK_MIME_TYPE = "text/plain"


@dataclass(frozen=True)
class DiasAgents:
    """Who the METS header names: the archive creator (the municipality) and the system."""

    creator: str
    system: str = pkg.SYSTEM_NAME


@dataclass(frozen=True)
class DiasResult:
    tar_path: Path
    info_path: Path
    package_id: uuid.UUID
    files: int


def _files(root: Path) -> Iterator[Path]:
    for folder, _, names in os.walk(root):
        for name in sorted(names):
            yield Path(folder) / name


def _header(parent: etree._Element, agents: DiasAgents, now: str) -> None:
    header = etree.SubElement(parent, M + "metsHdr", {"CREATEDATE": now})
    roles = (
        ("ARCHIVIST", "ORGANIZATION", None, agents.creator),
        ("CREATOR", "ORGANIZATION", None, agents.creator),
        ("OTHER", "OTHER", "SOFTWARE", agents.system),
        ("OTHER", "OTHER", "SOFTWARE", f"Noark {pkg.NOARK_VERSION}"),
        ("PRESERVATION", "ORGANIZATION", None, agents.creator),
        ("IPOWNER", "ORGANIZATION", None, agents.creator),
    )
    for role, kind, other, name in roles:
        attributes = {"ROLE": role, "TYPE": kind}
        if other:
            attributes["OTHERTYPE"] = other
        agent = etree.SubElement(header, M + "agent", attributes)
        etree.SubElement(agent, M + "name").text = name
    etree.SubElement(header, M + "metsDocumentID").text = DIAS_METS


def _file(group: etree._Element, number: int, path: Path, href: str) -> None:
    checksum, size = pkg.sha256_file(path)
    created = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC).isoformat(timespec="seconds")
    element = etree.SubElement(
        group,
        M + "file",
        {
            "ID": f"fil{number}",
            "MIMETYPE": MIME_TYPES.get(path.suffix.lower(), FALLBACK_MIME_TYPE),
            "SIZE": str(size),
            "CREATED": created,
            "CHECKSUM": checksum,
            "CHECKSUMTYPE": "SHA-256",
        },
    )
    etree.SubElement(element, M + "FLocat", {"LOCTYPE": "URL", f"{{{NS_XLINK}}}href": f"file:{href}"})


def _mets(package_id: uuid.UUID, label: str, agents: DiasAgents, files: list[tuple[Path, str]]) -> bytes:
    """A METS document of the DIAS profile listing ``files`` (path on disk, href in the package)."""
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    root = etree.Element(
        M + "mets",
        {"OBJID": f"UUID:{package_id}", "TYPE": "SIP", "PROFILE": PROFILE, "LABEL": label},
        nsmap={"mets": NS_METS, "xlink": NS_XLINK},
    )
    _header(root, agents, now)
    group = etree.SubElement(etree.SubElement(root, M + "fileSec"), M + "fileGrp")
    division = etree.SubElement(etree.SubElement(root, M + "structMap"), M + "div")
    for number, (path, href) in enumerate(files, start=1):
        _file(group, number, path, href)
        etree.SubElement(division, M + "fptr", {"FILEID": f"fil{number}"})
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def write_dias(*, extraction: Path, out_dir: Path, agents: DiasAgents, label: str) -> DiasResult:
    """Pack the extraction folder into ``out_dir/<uuid>.tar`` and write ``out_dir/info.xml``.

    The extraction folder is rearranged in place into the DIAS layout (it is the caller's
    temporary folder) and then packed, file by file, so memory does not grow with the archive."""
    package_id = uuid.uuid4()
    staging = extraction.parent / f".{package_id}"
    try:
        (staging / ADMINISTRATIVE).mkdir(parents=True)
        (extraction / pkg.ARKIVUTTREKK).rename(staging / ADMINISTRATIVE / pkg.ARKIVUTTREKK)
        extraction.rename(staging / CONTENT)
        listed = [(path, path.relative_to(staging).as_posix()) for path in _files(staging)]
        (staging / DIAS_METS).write_bytes(_mets(package_id, label, agents, listed))
        out_dir.mkdir(parents=True, exist_ok=True)
        tar_path = out_dir / f"{package_id}.tar"
        with tarfile.open(tar_path, "w", format=tarfile.PAX_FORMAT) as tar:
            tar.add(staging, arcname=str(package_id))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(extraction, ignore_errors=True)
    info_path = out_dir / INFO
    info_path.write_bytes(_mets(package_id, label, agents, [(tar_path, tar_path.name)]))
    return DiasResult(tar_path=tar_path, info_path=info_path, package_id=package_id, files=len(listed))


def mets_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(standard_path("noark5/mets/DIAS_METS.xsd"))))


def unpack(tar_path: Path, into: Path) -> Path:
    """Extract a DIAS tar into ``into`` (no path leaves it: tarfile's ``data`` filter) and return
    the package root (the folder holding ``dias-mets.xml``); the extraction folder is
    ``<root>/content`` with ``arkivuttrekk.xml`` put back beside the other files."""
    with tarfile.open(tar_path) as tar:
        tar.extractall(into, filter="data")
    roots = [path.parent for path in into.glob(f"*/{DIAS_METS}")] or [into]
    root = roots[0]
    content = root / CONTENT
    described = root / ADMINISTRATIVE / pkg.ARKIVUTTREKK
    if content.is_dir() and described.is_file() and not (content / pkg.ARKIVUTTREKK).exists():
        shutil.copyfile(described, content / pkg.ARKIVUTTREKK)
    return root


def mets_files(mets_path: Path) -> Iterator[tuple[str, str, int, str]]:
    """Each file a METS document lists: href (without ``file:``), checksum, size, algorithm."""
    for _, element in etree.iterparse(str(mets_path), events=("end",), tag=M + "file"):
        location = element.find(M + "FLocat")
        href = location.get(f"{{{NS_XLINK}}}href", "") if location is not None else ""
        size = element.get("SIZE", "")
        yield (
            href.removeprefix("file:"),
            (element.get("CHECKSUM") or "").lower(),
            int(size) if size.isdigit() else -1,
            element.get("CHECKSUMTYPE", ""),
        )
        element.clear()
