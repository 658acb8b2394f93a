"""Structural checks: each XML file against its official schema (Arkade N5.03)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lxml import etree

from ekommune.deposit import package as pkg
from ekommune.deposit.checks.report import CheckReport
from ekommune.deposit.checks.xmlread import forget

FULL_VALIDATION_LIMIT = 20 * 1024 * 1024


def load_schemas(schema_files: dict[str, Path]) -> dict[str, Any]:
    loaded = {}
    for file_name, (_, schemas) in pkg.XML_FILES.items():
        loaded[file_name] = etree.XMLSchema(etree.parse(str(schema_files[schemas[0]])))
    return loaded


UNITS = ("{*}registrering", "{*}mappe", "{*}klasse", "{*}journalregistrering", "{*}endring")


def validate(report: CheckReport, path: Path, schema: Any) -> bool:
    """Validate one XML file; every error with its line (streamed, first error, for big files)."""
    name = path.name
    if path.stat().st_size <= FULL_VALIDATION_LIMIT:
        try:
            document = etree.parse(str(path))
        except etree.XMLSyntaxError as error:
            report.add("xml_malformed", name, str(error.msg), error.lineno)
            return False
        if schema.validate(document):
            return True
        for entry in schema.error_log:
            report.add("schema_invalid", name, entry.message, entry.line)
        return False
    last_line = 0
    try:
        # the schema sees every element as it is parsed; we drop the finished units (and what came
        # before them), not each element one by one
        for _, element in etree.iterparse(str(path), events=("end",), schema=schema, tag=UNITS):
            last_line = element.sourceline or last_line
            forget(element)
    except etree.XMLSyntaxError as error:
        entries = list(error.error_log)
        schema_entries = [entry for entry in entries if entry.domain_name == "SCHEMASV"]
        code = "schema_invalid" if schema_entries else "xml_malformed"
        entry = (schema_entries or entries or [None])[0]
        message = entry.message if entry is not None else str(error)
        line = (entry.line if entry is not None else 0) or error.lineno or last_line
        report.add(code, name, f"{message} (ved linje {line}; videre feil i filen er ikke listet)", line)
        return False
    return True


def empty_changelog(path: Path) -> bool:
    """An endringslogg.xml with its root and nothing else: a change log without changes. The 5.0
    schema wants one endring or more, the extraction always carries the file (decision 0142)."""
    try:
        for number, (_, element) in enumerate(etree.iterparse(str(path), events=("start",))):
            if number == 0 and element.tag != f"{{{pkg.NS_ENDRINGSLOGG}}}endringslogg":
                return False
            if number > 0:
                return False
    except etree.XMLSyntaxError:
        return False
    return True
