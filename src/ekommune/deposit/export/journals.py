"""loependeJournal.xml and offentligJournal.xml: the running journal, and the public journal as the
one screening (publicjournal) shows it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lxml import etree

from ekommune.archive import selectors as archive_selectors
from ekommune.archive.types import codelists as cl
from ekommune.deposit import package as pkg
from ekommune.deposit.export.common import (
    ENTRY_BATCH,
    PUBLIC_BATCH,
    Context,
    Writer,
    batches,
    code_name,
    group,
    or_none,
    sub,
)
from ekommune.publicjournal import selectors as publicjournal_selectors
from ekommune.publicjournal.types import PublicEntry

COUNT_PLACEHOLDER = "0" + " " * 19  # xs:integer collapses white space: patched after writing


def _journal_head(w: Writer, ctx: Context, summary: dict[str, Any], creators: list[Any]) -> None:
    with w.element("journalhode"):
        w.leaf("journalStartDato", pkg.date_text(summary["first"]))
        w.leaf("journalSluttDato", pkg.date_text(summary["last"]))
        w.leaf("antallJournalposter", COUNT_PLACEHOLDER)
        for creator in or_none(creators):
            with w.element("arkivskaper"):
                if creator is None:
                    w.leaf("arkivskaperID", ctx.municipality.organisation_number or ctx.municipality.slug)
                    w.leaf("arkivskaperNavn", ctx.municipality.name)
                else:
                    w.leaf("arkivskaperID", creator.creator_id)
                    w.leaf("arkivskaperNavn", creator.name)


def _patch_count(path: Path, count: int) -> None:
    """Replace the placeholder of ``antallJournalposter`` (within the first 64 KiB) in place."""
    with path.open("r+b") as stream:
        head = stream.read(65536)
        at = head.index(f"<antallJournalposter>{COUNT_PLACEHOLDER}".encode())
        stream.seek(at + len("<antallJournalposter>"))
        stream.write(str(count).ljust(len(COUNT_PLACEHOLDER)).encode())


_PARTY_TYPE_NAMES = {"avsender": "Avsender", "mottaker": "Mottaker"}


def write_loepende_journal(ctx: Context, series_ids: list[int], creators: list[Any]) -> None:
    summary = archive_selectors.extraction_journal_summary(
        municipality=ctx.municipality, series_ids=series_ids
    )
    path = ctx.out_dir / pkg.LOEPENDE_JOURNAL
    count = 0
    with etree.xmlfile(str(path), encoding="utf-8") as xf:
        xf.write_declaration()
        w = Writer(xf, pkg.NS_LOEPENDE)
        with xf.element(f"{{{pkg.NS_LOEPENDE}}}loependeJournal", nsmap={None: pkg.NS_LOEPENDE}):
            _journal_head(w, ctx, summary, creators)
            rows = archive_selectors.extraction_journal(municipality=ctx.municipality, series_ids=series_ids)
            for batch in batches(rows, ENTRY_BATCH):
                parties = group(
                    archive_selectors.extraction_entry_parties(
                        municipality=ctx.municipality, entry_ids=[row["id"] for row in batch]
                    ),
                    "registry_entry_id",
                )
                for row in batch:
                    count += 1
                    w.tree(_running_entry(row, parties.get(row["id"], [])))
    _patch_count(path, count)
    ctx.result.journal_entries = count


def _running_entry(row: dict[str, Any], parties: list[dict[str, Any]]) -> Any:
    ns = pkg.NS_LOEPENDE
    element = etree.Element(f"{{{ns}}}journalregistrering", nsmap={None: ns})
    if row["case_file__primary_class__class_id"]:
        klasse = etree.SubElement(element, f"{{{ns}}}klasse")
        sub(klasse, f"{{{ns}}}klasseID", row["case_file__primary_class__class_id"])
        sub(klasse, f"{{{ns}}}tittel", row["case_file__primary_class__title"])
    case = etree.SubElement(element, f"{{{ns}}}saksmappe")
    case_id = f"{row['case_file__case_year']}/{row['case_file__case_sequence_number']}"
    sub(case, f"{{{ns}}}mappeID", case_id)
    sub(case, f"{{{ns}}}saksaar", row["case_file__case_year"])
    sub(case, f"{{{ns}}}sakssekvensnummer", row["case_file__case_sequence_number"])
    sub(case, f"{{{ns}}}tittel", row["case_file__title"])
    sub(case, f"{{{ns}}}offentligTittel", row["case_file__public_title"])
    case_codes = row["case_file__screening__screened_metadata"] or []
    if case_codes:
        sub(case, f"{{{ns}}}skjermingMetadata", code_name(cl.SCREENING_METADATA, case_codes[0]))
    sub(case, f"{{{ns}}}administrativEnhet", row["case_file__administrative_unit"])
    sub(case, f"{{{ns}}}saksansvarlig", row["case_file__case_responsible"])
    sub(case, f"{{{ns}}}referanseArkivdel", row["case_file__series__system_id"])
    entry = etree.SubElement(element, f"{{{ns}}}journalpost")
    sub(entry, f"{{{ns}}}systemID", row["system_id"])
    sub(entry, f"{{{ns}}}registreringsID", f"{case_id}-{row['entry_number']}")
    sub(entry, f"{{{ns}}}journalaar", row["journal_year"])
    sub(entry, f"{{{ns}}}journalsekvensnummer", row["journal_sequence_number"])
    sub(entry, f"{{{ns}}}journalpostnummer", row["entry_number"])
    sub(entry, f"{{{ns}}}tittel", row["title"])
    sub(entry, f"{{{ns}}}offentligTittel", row["public_title"])
    codes = row["screening__screened_metadata"] or []
    if codes:
        sub(entry, f"{{{ns}}}skjermingMetadata", code_name(cl.SCREENING_METADATA, codes[0]))
    sub(entry, f"{{{ns}}}journaldato", pkg.date_text(row["journal_date"]))
    sub(entry, f"{{{ns}}}dokumentetsDato", pkg.date_text(row["document_date"]))
    sub(entry, f"{{{ns}}}administrativEnhet", row["administrative_unit"])
    sub(entry, f"{{{ns}}}saksbehandler", row["case_handler"])
    if row["screening__access_restriction"]:
        sub(
            entry,
            f"{{{ns}}}tilgangsrestriksjon",
            code_name(cl.ACCESS_RESTRICTION, row["screening__access_restriction"]),
        )
        sub(entry, f"{{{ns}}}skjermingshjemmel", row["screening__legal_basis"])
    for party in or_none(parties):
        child = etree.SubElement(entry, f"{{{ns}}}korrespondansepart")
        if party is None:  # internal notes without a party: the unit that wrote it
            sub(child, f"{{{ns}}}korrespondanseparttype", code_name(cl.CORRESPONDENCE_PARTY_TYPE, "IA"))
            sub(child, f"{{{ns}}}korrespondansepartNavn", row["administrative_unit"] or "-")
        else:
            sub(
                child,
                f"{{{ns}}}korrespondanseparttype",
                code_name(cl.CORRESPONDENCE_PARTY_TYPE, party["party_type"]),
            )
            sub(child, f"{{{ns}}}korrespondansepartNavn", party["name"])
    return element


def write_offentlig_journal(ctx: Context, series_ids: list[int], creators: list[Any]) -> None:
    """The public journal: only what the one screening (publicjournal) lets out, as it shows it."""
    summary = archive_selectors.extraction_journal_summary(
        municipality=ctx.municipality, series_ids=series_ids
    )
    path = ctx.out_dir / pkg.OFFENTLIG_JOURNAL
    count = 0
    with etree.xmlfile(str(path), encoding="utf-8") as xf:
        xf.write_declaration()
        w = Writer(xf, pkg.NS_OFFENTLIG)
        with xf.element(f"{{{pkg.NS_OFFENTLIG}}}offentligJournal", nsmap={None: pkg.NS_OFFENTLIG}):
            _journal_head(w, ctx, summary, creators)
            policy = publicjournal_selectors.publication_policy(municipality=ctx.municipality)
            rows = archive_selectors.extraction_journal(municipality=ctx.municipality, series_ids=series_ids)
            for batch in batches(rows, PUBLIC_BATCH):
                facts = archive_selectors.extraction_publication_facts(
                    municipality=ctx.municipality, entry_ids=[row["id"] for row in batch]
                )
                public = {
                    entry.system_id: entry
                    for entry in publicjournal_selectors.entries_screened(facts=facts, policy=policy)
                }
                for row in batch:  # journal order
                    if row["system_id"] in public:
                        count += 1
                        w.tree(_public_entry(row, public[row["system_id"]]))
    _patch_count(path, count)
    ctx.result.public_entries = count


def _public_entry(row: dict[str, Any], entry: PublicEntry) -> Any:
    ns = pkg.NS_OFFENTLIG
    element = etree.Element(f"{{{ns}}}journalregistrering", nsmap={None: ns})
    if entry.class_id:
        klasse = etree.SubElement(element, f"{{{ns}}}klasse")
        sub(klasse, f"{{{ns}}}klasseID", entry.class_id)
        # the class title is shown only with its ID (skjerming KID/TKL removes both)
        sub(klasse, f"{{{ns}}}tittel", row["case_file__primary_class__title"])
    case = etree.SubElement(element, f"{{{ns}}}saksmappe")
    sub(case, f"{{{ns}}}mappeID", entry.case_number)
    sub(case, f"{{{ns}}}saksaar", row["case_file__case_year"])
    sub(case, f"{{{ns}}}sakssekvensnummer", row["case_file__case_sequence_number"])
    sub(case, f"{{{ns}}}offentligTittel", entry.case_title)
    sub(case, f"{{{ns}}}administrativEnhet", entry.administrative_unit)
    item = etree.SubElement(element, f"{{{ns}}}journalpost")
    sub(item, f"{{{ns}}}systemID", entry.system_id)
    sub(item, f"{{{ns}}}registreringsID", entry.registration_id)
    sub(item, f"{{{ns}}}journalaar", row["journal_year"])
    sub(item, f"{{{ns}}}journalsekvensnummer", row["journal_sequence_number"])
    sub(item, f"{{{ns}}}journalpostnummer", row["entry_number"])
    sub(item, f"{{{ns}}}offentligTittel", entry.title)
    sub(item, f"{{{ns}}}journaldato", pkg.date_text(entry.journal_date))
    sub(item, f"{{{ns}}}dokumentetsDato", pkg.date_text(entry.document_date))
    sub(item, f"{{{ns}}}administrativEnhet", entry.administrative_unit)
    if entry.legal_bases:
        sub(item, f"{{{ns}}}skjermingshjemmel", "; ".join(entry.legal_bases))
    parties = [party for party in entry.parties if party.role in _PARTY_TYPE_NAMES]
    for party in or_none(parties):
        child = etree.SubElement(item, f"{{{ns}}}korrespondansepart")
        if party is None:
            sub(child, f"{{{ns}}}korrespondanseparttype", code_name(cl.CORRESPONDENCE_PARTY_TYPE, "IA"))
            sub(child, f"{{{ns}}}korrespondansepartNavn", entry.administrative_unit or "-")
        else:
            sub(child, f"{{{ns}}}korrespondanseparttype", _PARTY_TYPE_NAMES[party.role])
            sub(child, f"{{{ns}}}korrespondansepartNavn", party.name)
    return element
