"""Checks of the DIAS wrapping (decision 0144): ``dias-mets.xml`` in the tar and ``info.xml`` beside
it validate against the DIAS METS schema, and every file they list is there with its checksum and
size. The extraction inside is then checked as any package."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from ekommune.deposit import dias
from ekommune.deposit import package as pkg
from ekommune.deposit.checks.report import CheckReport


def _valid_mets(report: CheckReport, path: Path, schema: etree.XMLSchema) -> bool:
    try:
        document = etree.parse(str(path))
    except etree.XMLSyntaxError as error:
        report.add("xml_malformed", path.name, str(error.msg), error.lineno)
        return False
    if schema.validate(document):
        return True
    for entry in schema.error_log:
        report.add("schema_invalid", path.name, entry.message, entry.line)
    return False


def _listed_files(report: CheckReport, mets_path: Path, base: Path) -> None:
    for href, checksum, size, algorithm in dias.mets_files(mets_path):
        path = base / href
        if not href or not path.resolve().is_relative_to(base.resolve()) or not path.is_file():
            report.add(
                "file_missing", href or mets_path.name, f"{mets_path.name} viser til en fil som ikke finnes."
            )
            continue
        if algorithm.replace("-", "").upper() != "SHA256":
            report.add("checksum_algorithm", mets_path.name, f"{href}: algoritme {algorithm!r}.")
            continue
        actual, actual_size = pkg.sha256_file(path)
        if actual != checksum:
            report.add(
                "checksum_mismatch", href, f"Sjekksummen er {actual}, {mets_path.name} sier {checksum}."
            )
        if actual_size != size:
            report.add("size_mismatch", href, f"Filen har {actual_size} byte, {mets_path.name} sier {size}.")


def check_dias(report: CheckReport, root: Path, tar_path: Path) -> None:
    """The METS files of an unpacked DIAS package (``root`` holds dias-mets.xml) and of its tar."""
    schema = dias.mets_schema()
    mets_path = root / dias.DIAS_METS
    if not mets_path.is_file():
        report.add("file_missing", dias.DIAS_METS, "Tar-filen har ingen dias-mets.xml.")
    elif _valid_mets(report, mets_path, schema):
        _listed_files(report, mets_path, root)
    info = tar_path.parent / dias.INFO
    if info.is_file() and _valid_mets(report, info, schema):
        _listed_files(report, info, tar_path.parent)
