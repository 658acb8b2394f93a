"""Checks of the two journals: counts, journal numbers, screening with a legal basis."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from lxml import etree

from ekommune.core.validators import is_ascii_digits
from ekommune.deposit.checks.keys import KeyIndex
from ekommune.deposit.checks.report import CheckReport
from ekommune.deposit.checks.xmlread import child_text, forget, local_name


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
    for _, element in etree.iterparse(str(path), events=("end",)):
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
            if entry is not None:
                year, number = (
                    child_text(entry, "journalaar", ns),
                    child_text(entry, "journalsekvensnummer", ns),
                )
                keys.add(f"journal:{path.name}", f"{number}/{year}".encode(), element.sourceline)
                if child_text(entry, "tilgangsrestriksjon", ns) and not child_text(
                    entry, "skjermingshjemmel", ns
                ):
                    report.add(
                        "screening_without_legal_basis",
                        path.name,
                        "Journalpost med tilgangsrestriksjon uten skjermingshjemmel.",
                        element.sourceline,
                    )
            forget(element)
    report_duplicate_journal_numbers(report, keys, path.name)
    if declared is not None and declared != counts["journalregistrering"]:
        report.add(
            "count_mismatch",
            path.name,
            f"antallJournalposter er {declared}, filen har {counts['journalregistrering']}.",
        )
    return counts, period
