"""Checking one package: schemas first, then arkivuttrekk.xml, the contents and the counts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ekommune.deposit import addml
from ekommune.deposit import package as pkg
from ekommune.deposit.checks.fixity import check_addml_files, check_documents
from ekommune.deposit.checks.journals import (
    check_journal,
    report_duplicate_journal_numbers,
    report_journal_references,
)
from ekommune.deposit.checks.keys import KeyIndex
from ekommune.deposit.checks.report import CheckReport
from ekommune.deposit.checks.structure import (
    Structure,
    check_arkivstruktur,
    check_endringslogg,
    report_dangling,
)
from ekommune.deposit.checks.xmlread import id_text
from ekommune.deposit.checks.xsd import empty_changelog, load_schemas, validate


def _check_contents(
    report: CheckReport, package_dir: Path, described: addml.Arkivuttrekk, readable: set[str], keys: KeyIndex
) -> dict[str, tuple[str, str]]:
    structure = Structure(keys=keys)
    if pkg.ARKIVSTRUKTUR in readable:
        structure = check_arkivstruktur(report, package_dir, keys)
        for key, line in keys.duplicates("systemID"):
            report.add(
                "duplicate_system_id",
                pkg.ARKIVSTRUKTUR,
                f"systemID {id_text(key)} finnes flere ganger.",
                line,
            )
        report_duplicate_journal_numbers(report, keys, pkg.ARKIVSTRUKTUR)
        report.counts[pkg.ARKIVSTRUKTUR] = {
            name: structure.counts[name] for name in addml.ARKIVSTRUKTUR_COUNTED
        }
        check_documents(report, package_dir, structure, described)
        report_dangling(report, keys)
    if pkg.ENDRINGSLOGG in readable:
        report.counts[pkg.ENDRINGSLOGG] = dict(check_endringslogg(report, package_dir, structure))
    periods = {}
    for file_name, ns in ((pkg.LOEPENDE_JOURNAL, pkg.NS_LOEPENDE), (pkg.OFFENTLIG_JOURNAL, pkg.NS_OFFENTLIG)):
        if file_name in readable:
            counts, periods[file_name] = check_journal(report, package_dir / file_name, ns, keys)
            report.counts[file_name] = dict(counts)
    report_journal_references(report, keys, readable)
    return periods


def check_package(
    *, package_dir: Path, schemas: Path | None = None, schema_files: dict[str, Path] | None = None
) -> CheckReport:
    """Check the package in ``package_dir`` and return every finding, against the official schemas
    (``schema_files``, else those of the folder ``schemas``, else those of the standards manifest)."""
    schema_files = schema_files or pkg.schema_files(schemas)
    report = CheckReport(
        package=str(package_dir), checked_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    )
    if not (package_dir / pkg.ARKIVUTTREKK).is_file():
        report.add("file_missing", pkg.ARKIVUTTREKK, "Pakken mangler arkivuttrekk.xml.")
        return report
    validators = load_schemas(schema_files)
    valid: dict[str, bool] = {}
    for file_name, validator in validators.items():
        path = package_dir / file_name
        if not path.is_file():
            # a journal is left out when it has no entry (its schema wants one); arkivuttrekk.xml
            # says which. The change log is always there, empty or not (decision 0142).
            if file_name in (pkg.ARKIVSTRUKTUR, pkg.ARKIVUTTREKK, pkg.ENDRINGSLOGG):
                report.add("file_missing", file_name, "Filen mangler i pakken.")
            valid[file_name] = False
            continue
        valid[file_name] = (file_name == pkg.ENDRINGSLOGG and empty_changelog(path)) or validate(
            report, path, validator
        )
    if not valid[pkg.ARKIVUTTREKK] and "xml_malformed" in report.codes():
        return report
    described = addml.read_arkivuttrekk(package_dir / pkg.ARKIVUTTREKK)
    check_addml_files(report, package_dir, described, schema_files)
    readable = {name for name in pkg.XML_FILES if (package_dir / name).is_file()} - {
        finding.file for finding in report.findings if finding.code == "xml_malformed"
    }
    keys = KeyIndex()
    try:
        periods = _check_contents(report, package_dir, described, readable, keys)
    finally:
        keys.close()
    if len(set(periods.values())) > 1:
        report.add("journal_period_mismatch", pkg.OFFENTLIG_JOURNAL, "Journalene dekker ulike perioder.")
    for file_name, expected in described.counts.items():
        actual = report.counts.get(file_name)
        if actual is None:
            continue
        for element_name, count in expected.items():
            if actual.get(element_name, 0) != count:
                report.add(
                    "count_mismatch",
                    pkg.ARKIVUTTREKK,
                    f"{file_name}: arkivuttrekk.xml oppgir {count} {element_name}, filen har {actual.get(element_name, 0)}.",
                )
    return report
