"""Checking an extraction package, whoever produced it, in the spirit of Arkivverket's Arkade 5.

Every finding is collected (never only the first), each with a stable code, the file and, where
there is one, the line. The XML files are read as streams (``iterparse``, elements cleared when
done), so a package of any size is checked in flat memory; the schema validation reports every
error with its line for files up to ``FULL_VALIDATION_LIMIT`` bytes and, above that, validates
while streaming and reports the first error (docs/decisions/0011).

The codes, with the Arkade test they follow:

================================  ==========  ===========================================================
code                              Arkade      meaning
================================  ==========  ===========================================================
file_missing                      N5.01       a file named in arkivuttrekk.xml (or the package) is absent
checksum_mismatch                 N5.02/N5.30 a file's SHA-256 differs from the one recorded
checksum_algorithm                N5.02       the algorithm is not SHA-256
schema_invalid                    N5.03       an XML file does not validate against its official schema
xml_malformed                     N5.03       an XML file cannot be parsed at all
schema_modified                   (6.4.18)    a schema in the package differs from the official one
count_mismatch                    N5.04–59    an ADDML count differs from the number in the file
document_count_mismatch           N5.28       antallDokumentfiler differs from the files present
document_folder_missing           N5.28       no dokumenter/ folder
document_file_missing             N5.32       a referenced document file does not exist
document_file_unreferenced        N5.33       a document file no dokumentobjekt references
size_mismatch                     (6.4.41)    filstoerrelse differs from the file's size
empty_file                        N5.64       a referenced document file has no content
duplicate_system_id               N5.47       a systemID occurs twice
duplicate_journal_number          (6.4.30)    journalaar + journalsekvensnummer occurs twice
dangling_reference                N5.62       an endringslogg entry names a systemID not in the package
created_after_concluded           (dates)     opprettetDato after avsluttetDato
journal_date_outside_period       (6.4.29)    journaldato outside the series' arkivperiode
case_not_concluded                (6.4.12)    a case file in a closed period is not concluded
entry_not_finalised               (6.4.12)    a journal entry in a closed period is not finalised
screening_without_legal_basis     (5.2)       a screening carries no skjermingshjemmel
journal_period_mismatch           N5.60       the two journals cover different periods
empty_element                     N5.63       an element without content
================================  ==========  ===========================================================
"""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection
from django.template.loader import render_to_string
from lxml import etree

from ekommune.core.validators import is_ascii_digits
from ekommune.deposit import addml
from ekommune.deposit import package as pkg

FULL_VALIDATION_LIMIT = 20 * 1024 * 1024

CLOSED_PERIOD = {"Avsluttet periode", "P"}
CONCLUDED_CASE = {"Avsluttet", "A", "Utgår", "U"}
FINALISED_ENTRY = {
    "Ferdigstilt fra saksbehandler",
    "Godkjent av leder",
    "Ekspedert",
    "Arkivert",
    "Utgår",
    "F",
    "G",
    "E",
    "A",
    "U",
}
REPEATABLE = {"dokumentbeskrivelse", "dokumentobjekt"}  # a document linked to several entries


@dataclass(frozen=True)
class Finding:
    code: str
    file: str
    message: str
    line: int | None = None


@dataclass
class CheckReport:
    package: str
    checked_at: str
    findings: list[Finding] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    document_files: int = 0

    @property
    def ok(self) -> bool:
        return not self.findings

    def add(self, code: str, file: str, message: str, line: int | None = None) -> None:
        self.findings.append(Finding(code=code, file=file, message=message, line=line))

    def codes(self) -> set[str]:
        return {finding.code for finding in self.findings}

    def as_dict(self) -> dict[str, Any]:
        return {
            "package": self.package,
            "checked_at": self.checked_at,
            "ok": self.ok,
            "findings": [asdict(finding) for finding in self.findings],
            "counts": self.counts,
            "document_files": self.document_files,
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2)

    def to_html(self) -> str:
        return render_to_string("deposit/check_report.html", {"report": self})

    def to_text(self) -> str:
        lines = [f"Kontroll av {self.package} ({self.checked_at})"]
        for file_name, counts in sorted(self.counts.items()):
            listed = ", ".join(f"{name} {count}" for name, count in sorted(counts.items()))
            lines.append(f"  {file_name}: {listed}")
        lines.append(f"  dokumentfiler: {self.document_files}")
        if self.ok:
            lines.append("Ingen avvik funnet.")
        else:
            lines.append(f"{len(self.findings)} avvik:")
            for finding in self.findings:
                where = f"{finding.file}:{finding.line}" if finding.line else finding.file
                lines.append(f"  [{finding.code}] {where}: {finding.message}")
        return "\n".join(lines)


def _local(tag: object) -> str:
    return tag.split("}", 1)[1] if isinstance(tag, str) and "}" in tag else str(tag)


def _parse_date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def _parse_datetime(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


# ------------------------------------------------------------------ schema validation


def _forget_previous(element: Any) -> None:
    """Clear a handled element and drop the handled siblings of the same kind before it."""
    element.clear(keep_tail=True)
    previous = element.getprevious()
    while previous is not None and previous.tag == element.tag:
        earlier = previous.getprevious()
        element.getparent().remove(previous)
        previous = earlier


def _forget(element: Any) -> None:
    """Drop a handled element and the siblings before it: streamed reading keeps memory flat."""
    element.clear(keep_tail=True)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _schemas(schema_files: dict[str, Path]) -> dict[str, Any]:
    loaded = {}
    for file_name, (_, schemas) in pkg.XML_FILES.items():
        loaded[file_name] = etree.XMLSchema(etree.parse(str(schema_files[schemas[0]])))
    return loaded


def _validate(report: CheckReport, path: Path, schema: Any) -> bool:
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
        for _, element in etree.iterparse(str(path), events=("end",), schema=schema):
            last_line = element.sourceline or last_line
            _forget(element)
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


# ------------------------------------------------------------------ arkivstruktur, streamed


@dataclass
class _SeriesState:
    closed: bool = False
    start: dt.date | None = None
    end: dt.date | None = None


class _KeyIndex:
    """Keys met while streaming (systemIDs, journal numbers, references), kept in a temporary
    PostgreSQL table rather than in memory: a package of millions of objects is checked in flat
    memory (decisions/0011). The table lives only as long as the check's database session."""

    def __init__(self) -> None:
        self.table = f"deposit_check_keys_{uuid.uuid4().hex[:16]}"  # a name we made: safe in SQL
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.table} (kind text, key bytea, line integer, repeatable boolean)"
            )
        self.pending: list[tuple[str, bytes, int, bool]] = []
        self.indexed = False

    def add(self, kind: str, key: bytes, line: int, repeatable: bool = False) -> None:
        self.pending.append((kind, key, line, repeatable))
        if len(self.pending) >= 20_000:
            self._flush()

    def _flush(self) -> None:
        if not self.pending:
            return
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {self.table} (kind, key, line, repeatable) FROM STDIN") as copy,
        ):
            for row in self.pending:
                copy.write_row(row)
        self.pending.clear()

    def _ready(self) -> None:
        self._flush()
        if not self.indexed:
            with connection.cursor() as cursor:
                cursor.execute(f"CREATE INDEX ON {self.table} (kind, key)")
                cursor.execute(f"ANALYZE {self.table}")
            self.indexed = True

    def _rows(self, sql: str, params: tuple[str, ...]) -> list[tuple[bytes, int]]:
        self._ready()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [(bytes(key), int(line)) for key, line in cursor.fetchall()]

    def duplicates(self, kind: str) -> list[tuple[bytes, int]]:
        """Keys met more than once (unless every time as repeatable), with the last line."""
        return self._rows(
            f"SELECT key, max(line) FROM {self.table} WHERE kind = %s GROUP BY key "  # noqa: S608 (our own name)
            "HAVING count(*) > 1 AND NOT bool_and(repeatable)",
            (kind,),
        )

    def missing(self, kind: str, among: str) -> list[tuple[bytes, int]]:
        """Keys of ``kind`` that were never met as ``among``."""
        return self._rows(
            f"SELECT r.key, r.line FROM {self.table} r WHERE r.kind = %s AND NOT EXISTS "  # noqa: S608 (our own name)
            f"(SELECT 1 FROM {self.table} s WHERE s.kind = %s AND s.key = r.key) ORDER BY r.line",
            (kind, among),
        )

    def close(self) -> None:
        self.pending.clear()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")


def _id_key(text: str | None) -> bytes:
    value = (text or "").strip()
    try:
        return uuid.UUID(value).bytes
    except ValueError:
        return value.encode()


def _id_text(key: bytes) -> str:
    return str(uuid.UUID(bytes=key)) if len(key) == 16 else key.decode(errors="replace")


@dataclass
class _Structure:
    keys: _KeyIndex
    references: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # path → checksum/size/line
    counts: Counter[str] = field(default_factory=Counter)


def _text(element: Any, name: str, ns: str) -> str:
    return (element.findtext(f"{{{ns}}}{name}") or "").strip()


def _check_arkivstruktur(report: CheckReport, package_dir: Path, keys: _KeyIndex) -> _Structure:
    ns = pkg.NS_ARKIVSTRUKTUR
    name = pkg.ARKIVSTRUKTUR
    found = _Structure(keys=keys)
    series = _SeriesState()
    for event, element in etree.iterparse(str(package_dir / name), events=("start", "end")):
        tag = _local(element.tag)
        if event == "start":
            found.counts[tag] += 1
            if tag == "arkivdel":
                series = _SeriesState()
            continue
        line = element.sourceline
        if len(element) == 0 and not (element.text or "").strip():
            report.add("empty_element", name, f"<{tag}> er tomt.", line)
        if tag == "systemID":
            parent = _local(element.getparent().tag)
            keys.add("systemID", _id_key(element.text), line, repeatable=parent in REPEATABLE)
        elif tag == "arkivdelstatus":
            series.closed = (element.text or "").strip() in CLOSED_PERIOD
        elif tag == "arkivperiodeStartDato":
            series.start = _parse_date(element.text)
        elif tag == "arkivperiodeSluttDato":
            series.end = _parse_date(element.text)
        elif tag == "skjerming" and not _text(element, "skjermingshjemmel", ns):
            report.add("screening_without_legal_basis", name, "Skjerming uten skjermingshjemmel.", line)
        elif tag == "dokumentobjekt":
            reference = _text(element, "referanseDokumentfil", ns)
            size = _text(element, "filstoerrelse", ns)
            found.references[reference] = (
                _text(element, "sjekksum", ns).lower(),
                int(size) if is_ascii_digits(size) else -1,
                line,
            )
            algorithm = _text(element, "sjekksumAlgoritme", ns).replace("-", "").upper()
            if algorithm != "SHA256":
                report.add("checksum_algorithm", name, f"Sjekksumalgoritme {algorithm or '(ingen)'}.", line)
        elif tag == "registrering":
            _check_entry(report, element, series, found, line)
            _forget_previous(element)
        elif tag == "mappe":
            _check_dates(report, element, "mappe", line)
            if series.closed and _text(element, "saksstatus", ns) not in CONCLUDED_CASE:
                report.add(
                    "case_not_concluded",
                    name,
                    f"Saksmappe {_text(element, 'mappeID', ns)} i en avsluttet periode er ikke avsluttet.",
                    line,
                )
            _forget_previous(element)
        elif tag == "arkivdel":
            _check_dates(report, element, "arkivdel", line)
            element.clear()
    return found


def _check_dates(report: CheckReport, element: Any, what: str, line: int) -> None:
    ns = pkg.NS_ARKIVSTRUKTUR
    created = _parse_datetime(_text(element, "opprettetDato", ns))
    concluded = _parse_datetime(_text(element, "avsluttetDato", ns))
    if created and concluded and created > concluded:
        report.add(
            "created_after_concluded",
            pkg.ARKIVSTRUKTUR,
            f"{what} {_text(element, 'systemID', ns)} er opprettet etter at den ble avsluttet.",
            line,
        )


def _check_entry(
    report: CheckReport, element: Any, series: _SeriesState, found: _Structure, line: int
) -> None:
    ns = pkg.NS_ARKIVSTRUKTUR
    name = pkg.ARKIVSTRUKTUR
    year, number = _text(element, "journalaar", ns), _text(element, "journalsekvensnummer", ns)
    label = _text(element, "registreringsID", ns) or _text(element, "systemID", ns)
    if year and number:
        found.keys.add(f"journal:{name}", f"{number}/{year}".encode(), line)
    journal_date = _parse_date(_text(element, "journaldato", ns))
    if journal_date and (
        (series.start and journal_date < series.start) or (series.end and journal_date > series.end)
    ):
        report.add(
            "journal_date_outside_period",
            name,
            f"Journaldato {journal_date} for {label} er utenfor arkivdelens periode.",
            line,
        )
    status = _text(element, "journalstatus", ns)
    if series.closed and status and status not in FINALISED_ENTRY:
        report.add(
            "entry_not_finalised",
            name,
            f"Journalpost {label} i en avsluttet periode er ikke ferdigstilt ({status}).",
            line,
        )


# ------------------------------------------------------------------ the other files


def _check_endringslogg(report: CheckReport, package_dir: Path, structure: _Structure) -> Counter[str]:
    ns = pkg.NS_ENDRINGSLOGG
    counts: Counter[str] = Counter()
    for _, element in etree.iterparse(
        str(package_dir / pkg.ENDRINGSLOGG), events=("end",), tag=f"{{{ns}}}endring"
    ):
        counts["endring"] += 1
        structure.keys.add("change", _id_key(_text(element, "referanseArkivenhet", ns)), element.sourceline)
        _forget(element)
    for key, line in structure.keys.missing("change", among="systemID"):
        report.add(
            "dangling_reference",
            pkg.ENDRINGSLOGG,
            f"Endringen gjelder {_id_text(key)}, som ikke finnes i arkivstruktur.xml.",
            line,
        )
    return counts


def _report_duplicate_journal_numbers(report: CheckReport, keys: _KeyIndex, file_name: str) -> None:
    for key, line in keys.duplicates(f"journal:{file_name}"):
        report.add(
            "duplicate_journal_number", file_name, f"Journalnummer {key.decode()} finnes flere ganger.", line
        )


def _journal(
    report: CheckReport, path: Path, ns: str, keys: _KeyIndex
) -> tuple[Counter[str], tuple[str, str]]:
    counts: Counter[str] = Counter()
    period = ("", "")
    declared: int | None = None
    for _, element in etree.iterparse(str(path), events=("end",)):
        tag = _local(element.tag)
        if tag == "journalhode":
            period = (_text(element, "journalStartDato", ns), _text(element, "journalSluttDato", ns))
            value = _text(element, "antallJournalposter", ns)
            declared = int(value) if is_ascii_digits(value) else None
        elif tag == "journalregistrering":
            counts["journalregistrering"] += 1
            entry = element.find(f"{{{ns}}}journalpost")
            if entry is not None:
                year, number = _text(entry, "journalaar", ns), _text(entry, "journalsekvensnummer", ns)
                keys.add(f"journal:{path.name}", f"{number}/{year}".encode(), element.sourceline)
                if _text(entry, "tilgangsrestriksjon", ns) and not _text(entry, "skjermingshjemmel", ns):
                    report.add(
                        "screening_without_legal_basis",
                        path.name,
                        "Journalpost med tilgangsrestriksjon uten skjermingshjemmel.",
                        element.sourceline,
                    )
            _forget(element)
    _report_duplicate_journal_numbers(report, keys, path.name)
    if declared is not None and declared != counts["journalregistrering"]:
        report.add(
            "count_mismatch",
            path.name,
            f"antallJournalposter er {declared}, filen har {counts['journalregistrering']}.",
        )
    return counts, period


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


def _check_documents(
    report: CheckReport, package_dir: Path, structure: _Structure, described: addml.Arkivuttrekk
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


def _check_addml_files(
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


def _check_contents(
    report: CheckReport, package_dir: Path, described: addml.Arkivuttrekk, readable: set[str], keys: _KeyIndex
) -> dict[str, tuple[str, str]]:
    structure = _Structure(keys=keys)
    if pkg.ARKIVSTRUKTUR in readable:
        structure = _check_arkivstruktur(report, package_dir, keys)
        for key, line in keys.duplicates("systemID"):
            report.add(
                "duplicate_system_id",
                pkg.ARKIVSTRUKTUR,
                f"systemID {_id_text(key)} finnes flere ganger.",
                line,
            )
        _report_duplicate_journal_numbers(report, keys, pkg.ARKIVSTRUKTUR)
        report.counts[pkg.ARKIVSTRUKTUR] = {
            name: structure.counts[name] for name in addml.ARKIVSTRUKTUR_COUNTED
        }
        _check_documents(report, package_dir, structure, described)
    if pkg.ENDRINGSLOGG in readable:
        report.counts[pkg.ENDRINGSLOGG] = dict(_check_endringslogg(report, package_dir, structure))
    periods = {}
    for file_name, ns in ((pkg.LOEPENDE_JOURNAL, pkg.NS_LOEPENDE), (pkg.OFFENTLIG_JOURNAL, pkg.NS_OFFENTLIG)):
        if file_name in readable:
            counts, periods[file_name] = _journal(report, package_dir / file_name, ns, keys)
            report.counts[file_name] = dict(counts)
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
    validators = _schemas(schema_files)
    valid: dict[str, bool] = {}
    for file_name, validator in validators.items():
        path = package_dir / file_name
        if not path.is_file():
            # the change log and the journals are left out when empty; arkivuttrekk.xml says which
            if file_name in (pkg.ARKIVSTRUKTUR, pkg.ARKIVUTTREKK):
                report.add("file_missing", file_name, "Filen mangler i pakken.")
            valid[file_name] = False
            continue
        valid[file_name] = _validate(report, path, validator)
    if not valid[pkg.ARKIVUTTREKK] and "xml_malformed" in report.codes():
        return report
    described = addml.read_arkivuttrekk(package_dir / pkg.ARKIVUTTREKK)
    _check_addml_files(report, package_dir, described, schema_files)
    readable = {name for name in pkg.XML_FILES if (package_dir / name).is_file()} - {
        finding.file for finding in report.findings if finding.code == "xml_malformed"
    }
    keys = _KeyIndex()
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
