"""Content checks of arkivstruktur.xml (streamed) and of the change log's references into it."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from ekommune.archive.types import codelists as cl
from ekommune.core.validators import is_ascii_digits
from ekommune.deposit import package as pkg
from ekommune.deposit.checks import screening
from ekommune.deposit.checks.keys import KeyIndex
from ekommune.deposit.checks.report import CheckReport
from ekommune.deposit.checks.xmlread import (
    child_text,
    child_texts,
    forget,
    forget_previous,
    id_key,
    id_text,
    local_name,
    parse_date,
    parse_datetime,
)

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
REFERENCES = {"referanseTilMappe", "referanseTilRegistrering", "referanseAvskrivesAvJournalpost"}


def _with_names(code_list: cl.CodeList, codes: set[str]) -> frozenset[str]:
    known = dict(code_list.values)
    return frozenset(codes) | frozenset(known[code] for code in codes)


# What the public journal holds (decision 0141, after publicjournal.screening): incoming, outgoing
# and case presentations once registered are always there unless wholly exempt; internal notes
# (N, X) as the municipality chooses; reserved, expired or wholly exempt entries never.
PUBLISHED_TYPES = _with_names(cl.REGISTRY_ENTRY_TYPE, {"I", "U", "S"})
PUBLISHED_STATUSES = _with_names(cl.REGISTRY_ENTRY_STATUS, {"J", "F", "G", "E", "A"})
WHOLLY_EXEMPT = _with_names(cl.ACCESS_RESTRICTION, {"B", "K", "H", "F", "SF", "XX"})


@dataclass
class _SeriesState:
    closed: bool = False
    start: dt.date | None = None
    end: dt.date | None = None
    contents: int = 0


@dataclass
class Structure:
    keys: KeyIndex
    references: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # path → checksum/size/line
    counts: Counter[str] = field(default_factory=Counter)


def check_arkivstruktur(report: CheckReport, package_dir: Path, keys: KeyIndex) -> Structure:
    ns = pkg.NS_ARKIVSTRUKTUR
    name = pkg.ARKIVSTRUKTUR
    found = Structure(keys=keys)
    series = _SeriesState()
    for event, element in etree.iterparse(str(package_dir / name), events=("start", "end")):
        tag = local_name(element.tag)
        if event == "start":
            found.counts[tag] += 1
            if tag == "arkivdel":
                series = _SeriesState()
            elif tag in ("mappe", "registrering"):
                series.contents += 1
            continue
        line = element.sourceline
        if len(element) == 0 and not (element.text or "").strip():
            report.add("empty_element", name, f"<{tag}> er tomt.", line)
        if tag == "systemID":
            parent = local_name(element.getparent().tag)
            keys.add("systemID", id_key(element.text), line, repeatable=parent in REPEATABLE)
        elif tag == "arkivdelstatus":
            series.closed = (element.text or "").strip() in CLOSED_PERIOD
        elif tag == "arkivperiodeStartDato":
            series.start = parse_date(element.text)
        elif tag == "arkivperiodeSluttDato":
            series.end = parse_date(element.text)
        elif tag in REFERENCES:
            keys.add("reference", id_key(element.text), line)
        elif tag == "skjerming" and not child_text(element, "skjermingshjemmel", ns):
            report.add("screening_without_legal_basis", name, "Skjerming uten skjermingshjemmel.", line)
        elif tag == "dokumentobjekt":
            reference = child_text(element, "referanseDokumentfil", ns)
            size = child_text(element, "filstoerrelse", ns)
            found.references[reference] = (
                child_text(element, "sjekksum", ns).lower(),
                int(size) if is_ascii_digits(size) else -1,
                line,
            )
            algorithm = child_text(element, "sjekksumAlgoritme", ns).replace("-", "").upper()
            if algorithm != "SHA256":
                report.add("checksum_algorithm", name, f"Sjekksumalgoritme {algorithm or '(ingen)'}.", line)
        elif tag == "registrering":
            _check_entry(report, element, series, found, line)
            forget_previous(element)
        elif tag == "mappe":
            _check_dates(report, element, "mappe", line)
            screening.record_screened(keys, element, "case", child_text(element, "mappeID", ns), line)
            if series.closed and child_text(element, "saksstatus", ns) not in CONCLUDED_CASE:
                report.add(
                    "case_not_concluded",
                    name,
                    f"Saksmappe {child_text(element, 'mappeID', ns)} i en avsluttet periode er ikke avsluttet.",
                    line,
                )
            forget_previous(element)
        elif tag == "arkivdel":
            _check_dates(report, element, "arkivdel", line)
            if series.contents == 0:
                report.add(
                    "empty_series",
                    name,
                    f"Arkivdelen {child_text(element, 'systemID', ns)} har verken mapper eller registreringer.",
                    line,
                )
            element.clear()
    return found


def _check_dates(report: CheckReport, element: Any, what: str, line: int) -> None:
    ns = pkg.NS_ARKIVSTRUKTUR
    created = parse_datetime(child_text(element, "opprettetDato", ns))
    concluded = parse_datetime(child_text(element, "avsluttetDato", ns))
    if created and concluded and created > concluded:
        report.add(
            "created_after_concluded",
            pkg.ARKIVSTRUKTUR,
            f"{what} {child_text(element, 'systemID', ns)} er opprettet etter at den ble avsluttet.",
            line,
        )


def _check_entry(
    report: CheckReport, element: Any, series: _SeriesState, found: Structure, line: int
) -> None:
    name = pkg.ARKIVSTRUKTUR
    fields = child_texts(element)  # one pass over the children, not one search per field
    year, number = fields.get("journalaar", ""), fields.get("journalsekvensnummer", "")
    label = fields.get("registreringsID") or fields.get("systemID", "")
    if year and number:
        found.keys.add(f"journal:{name}", f"{number}/{year}".encode(), line)
        _record_journal_entry(element, fields, found.keys, line)
    if "skjerming" in fields:
        screening.record_screened(found.keys, element, "entry", fields.get("systemID", ""), line)
    created = parse_datetime(fields.get("opprettetDato"))
    archived = parse_datetime(fields.get("arkivertDato"))
    if created and archived and archived < created:
        report.add("dates_out_of_order", name, f"{label} er arkivert før den ble opprettet.", line)
    journal_date = parse_date(fields.get("journaldato"))
    if journal_date and (
        (series.start and journal_date < series.start) or (series.end and journal_date > series.end)
    ):
        report.add(
            "journal_date_outside_period",
            name,
            f"Journaldato {journal_date} for {label} er utenfor arkivdelens periode.",
            line,
        )
    status = fields.get("journalstatus", "")
    if series.closed and status and status not in FINALISED_ENTRY:
        report.add(
            "entry_not_finalised",
            name,
            f"Journalpost {label} i en avsluttet periode er ikke ferdigstilt ({status}).",
            line,
        )


def _record_journal_entry(element: Any, fields: dict[str, str], keys: KeyIndex, line: int) -> None:
    """A journalpost: met in arkivstruktur, and whether the public journal must, may or must not
    hold it (decision 0141)."""
    ns = pkg.NS_ARKIVSTRUKTUR
    key = id_key(fields.get("systemID", ""))
    keys.add("journalpost", key, line)
    restriction = ""
    if "skjerming" in fields:
        restriction = element.findtext(f"{{{ns}}}skjerming/{{{ns}}}tilgangsrestriksjon") or ""
    registered = fields.get("journalstatus", "") in PUBLISHED_STATUSES
    if restriction.strip() in WHOLLY_EXEMPT or not registered:
        keys.add("not_public", key, line)
    elif fields.get("journalposttype", "") in PUBLISHED_TYPES:
        keys.add("public_required", key, line)


def check_endringslogg(report: CheckReport, package_dir: Path, structure: Structure) -> Counter[str]:
    ns = pkg.NS_ENDRINGSLOGG
    counts: Counter[str] = Counter()
    for _, element in etree.iterparse(
        str(package_dir / pkg.ENDRINGSLOGG), events=("end",), tag=f"{{{ns}}}endring"
    ):
        counts["endring"] += 1
        structure.keys.add(
            "change", id_key(child_text(element, "referanseArkivenhet", ns)), element.sourceline
        )
        forget(element)
    for key, line in structure.keys.missing("change", among="systemID"):
        report.add(
            "dangling_reference",
            pkg.ENDRINGSLOGG,
            f"Endringen gjelder {id_text(key)}, som ikke finnes i arkivstruktur.xml.",
            line,
        )
    return counts


def report_dangling(report: CheckReport, keys: KeyIndex) -> None:
    """References inside arkivstruktur.xml (kryssreferanse, avskrivning) to what is not there."""
    for key, line in keys.missing("reference", among="systemID"):
        report.add(
            "dangling_reference",
            pkg.ARKIVSTRUKTUR,
            f"Referansen {id_text(key)} peker på noe som ikke finnes i arkivstruktur.xml.",
            line,
        )
