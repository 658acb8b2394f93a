"""Checks of the two journals: counts, journal numbers, screening with a legal basis."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from lxml import etree

from ekommune.core.validators import is_ascii_digits
from ekommune.deposit import package as pkg
from ekommune.deposit.checks import screening
from ekommune.deposit.checks.keys import KeyIndex
from ekommune.deposit.checks.report import CheckReport
from ekommune.deposit.checks.xmlread import child_text, child_texts, forget, id_key, id_text, local_name


def report_duplicate_journal_numbers(report: CheckReport, keys: KeyIndex, file_name: str) -> None:
    for key, line in keys.duplicates(f"journal:{file_name}"):
        report.add(
            "duplicate_journal_number", file_name, f"Journalnummer {key.decode()} finnes flere ganger.", line
        )


def check_journal(
    report: CheckReport, path: Path, ns: str, keys: KeyIndex
) -> tuple[Counter[str], tuple[str, str]]:
    counts: Counter[str] = Counter()
    period = ("", "")
    declared: int | None = None
    tags = (f"{{{ns}}}journalhode", f"{{{ns}}}journalregistrering")
    for _, element in etree.iterparse(str(path), events=("end",), tag=tags):
        tag = local_name(element.tag)
        if tag == "journalhode":
            period = (
                child_text(element, "journalStartDato", ns),
                child_text(element, "journalSluttDato", ns),
            )
            value = child_text(element, "antallJournalposter", ns)
            declared = int(value) if is_ascii_digits(value) else None
        elif tag == "journalregistrering":
            counts["journalregistrering"] += 1
            entry = element.find(f"{{{ns}}}journalpost")
            fields = child_texts(entry) if entry is not None else {}
            if entry is not None:
                year, number = fields.get("journalaar", ""), fields.get("journalsekvensnummer", "")
                keys.add(f"journal:{path.name}", f"{number}/{year}".encode(), element.sourceline)
                keys.add(f"in:{path.name}", id_key(fields.get("systemID", "")), element.sourceline)
                if fields.get("tilgangsrestriksjon") and not fields.get("skjermingshjemmel"):
                    report.add(
                        "screening_without_legal_basis",
                        path.name,
                        "Journalpost med tilgangsrestriksjon uten skjermingshjemmel.",
                        element.sourceline,
                    )
            if ns == pkg.NS_OFFENTLIG:
                screening.record_public(report, keys, element, fields, element.sourceline)
            forget(element)
    report_duplicate_journal_numbers(report, keys, path.name)
    if declared is not None and declared != counts["journalregistrering"]:
        report.add(
            "count_mismatch",
            path.name,
            f"antallJournalposter er {declared}, filen har {counts['journalregistrering']}.",
        )
    return counts, period


def _missing(
    report: CheckReport, keys: KeyIndex, kind: str, among: str, code: str, file_name: str, text: str
) -> None:
    for key, line in keys.missing(kind, among=among):
        report.add(code, file_name, text.format(id_text(key)), line)


def report_journal_references(report: CheckReport, keys: KeyIndex, readable: set[str]) -> None:
    """The journals against arkivstruktur.xml and each other (Arkade N5.59-style), and the public
    journal against what it must and must not hold (decision 0141)."""
    running, public = f"in:{pkg.LOEPENDE_JOURNAL}", f"in:{pkg.OFFENTLIG_JOURNAL}"
    for file_name in (pkg.LOEPENDE_JOURNAL, pkg.OFFENTLIG_JOURNAL):
        if file_name in readable and pkg.ARKIVSTRUKTUR in readable:
            _missing(
                report,
                keys,
                f"in:{file_name}",
                "journalpost",
                "journal_entry_not_in_structure",
                file_name,
                "Journalposten {} finnes ikke i arkivstruktur.xml.",
            )
    if pkg.ARKIVSTRUKTUR not in readable:
        return
    _missing(
        report,
        keys,
        "journalpost",
        running,
        "journal_entry_missing",
        pkg.ARKIVSTRUKTUR,
        "Journalposten {} mangler i loependeJournal.xml.",
    )
    _missing(
        report,
        keys,
        "public_required",
        public,
        "public_entry_missing",
        pkg.ARKIVSTRUKTUR,
        "Journalposten {} skal stå i offentligJournal.xml, men mangler.",
    )
    for key, line in keys.common("not_public", public):
        report.add(
            "public_entry_not_publishable",
            pkg.OFFENTLIG_JOURNAL,
            f"Journalposten {id_text(key)} er ikke offentlig (status eller gradering), men står i journalen.",
            line,
        )
    if pkg.OFFENTLIG_JOURNAL in readable and pkg.LOEPENDE_JOURNAL in readable:
        _missing(
            report,
            keys,
            public,
            running,
            "public_entry_not_in_running",
            pkg.OFFENTLIG_JOURNAL,
            "Journalposten {} står i offentligJournal.xml, men ikke i loependeJournal.xml.",
        )
    screening.report_screening(report, keys)
