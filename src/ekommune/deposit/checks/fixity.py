"""Fixity: the document files against arkivstruktur.xml and arkivuttrekk.xml (presence, checksums,
sizes, counts), and the files arkivuttrekk.xml describes (Arkade N5.01, N5.02, N5.28–N5.33)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from ekommune.deposit import addml
from ekommune.deposit import package as pkg
from ekommune.deposit.checks.report import CheckReport
from ekommune.deposit.checks.structure import Structure


def _document_folder(package_dir: Path) -> Path | None:
    for name in pkg.DOCUMENT_FOLDERS:
        if (package_dir / name).is_dir():
            return package_dir / name
    return None


def _walk(folder: Path) -> Iterator[Path]:
    """Every file under ``folder``, streamed (a folder of a million files is not listed in memory)."""
    for root, _, files in os.walk(folder):
        for file_name in files:
            yield Path(root) / file_name


def check_documents(
    report: CheckReport, package_dir: Path, structure: Structure, described: addml.Arkivuttrekk
) -> None:
    folder = _document_folder(package_dir)
    if folder is None:
        report.add("document_folder_missing", pkg.ARKIVSTRUKTUR, "Pakken har ingen dokumenter-mappe.")
        return
    present = 0
    for path in _walk(folder):
        present += 1
        relative = path.relative_to(package_dir).as_posix()
        if relative not in structure.references:
            report.add("document_file_unreferenced", relative, "Ingen dokumentobjekt viser til filen.")
    report.document_files = present
    for relative, (checksum, size, line) in structure.references.items():
        path = package_dir / relative
        if not relative or not path.is_file():
            report.add("document_file_missing", pkg.ARKIVSTRUKTUR, f"Filen {relative} finnes ikke.", line)
            continue
        actual, actual_size = pkg.sha256_file(path)
        if actual != checksum:
            report.add("checksum_mismatch", relative, f"Sjekksummen er {actual}, ikke {checksum}.", line)
        if actual_size != size:
            report.add("size_mismatch", relative, f"Filen har {actual_size} byte, ikke {size}.", line)
        if actual_size == 0:
            report.add("empty_file", relative, "Filen er tom.", line)
        listed = described.document_files.get(relative)
        if described.document_files and (listed is None or listed.checksum != checksum):
            report.add(
                "checksum_mismatch",
                pkg.ARKIVUTTREKK,
                f"{relative} er ikke beskrevet med samme sjekksum i arkivuttrekk.xml.",
            )
    if described.number_of_document_files is not None and described.number_of_document_files != present:
        report.add(
            "document_count_mismatch",
            pkg.ARKIVUTTREKK,
            f"antallDokumentfiler er {described.number_of_document_files}, pakken har {present}.",
        )


def check_addml_files(
    report: CheckReport, package_dir: Path, described: addml.Arkivuttrekk, schema_files: dict[str, Path]
) -> None:
    for file_name in addml.STRUCTURE_FILES:
        if file_name not in described.structure_files and (
            file_name == pkg.ARKIVSTRUKTUR or (package_dir / file_name).exists()
        ):
            report.add("file_missing", pkg.ARKIVUTTREKK, f"{file_name} er ikke beskrevet i arkivuttrekk.xml.")
    for listed in [*described.structure_files.values(), *described.schemas.values()]:
        path = package_dir / listed.name
        if not path.is_file():
            report.add("file_missing", listed.name, "Filen som arkivuttrekk.xml beskriver, finnes ikke.")
            continue
        if listed.algorithm.replace("-", "").upper() != "SHA256":
            report.add(
                "checksum_algorithm", pkg.ARKIVUTTREKK, f"{listed.name}: algoritme {listed.algorithm!r}."
            )
        actual, _ = pkg.sha256_file(path)
        if actual != listed.checksum:
            report.add(
                "checksum_mismatch",
                listed.name,
                f"Sjekksummen er {actual}, arkivuttrekk.xml sier {listed.checksum or '(ingen)'}.",
            )
    for schema_name, official in schema_files.items():
        shipped = package_dir / schema_name
        if shipped.is_file() and pkg.sha256_file(shipped)[0] != pkg.sha256_file(official)[0]:
            report.add("schema_modified", schema_name, "Skjemaet i pakken er ikke det offisielle.")
