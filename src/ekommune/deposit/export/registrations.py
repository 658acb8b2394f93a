"""One registrering (journalpost or arkivnotat) of arkivstruktur.xml as an element tree, with its
documents, document objects (files copied into ``dokumenter/``), parties, comments and references."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from ekommune.archive import selectors as archive_selectors
from ekommune.archive.types import codelists as cl
from ekommune.core import readlog
from ekommune.core.models import Municipality
from ekommune.deposit import package as pkg
from ekommune.deposit.export.common import (
    UNFINISHED_BY,
    Context,
    add_child,
    code_name,
    group,
    sub,
)


def add_screening(parent: Any, prefix: str, row: dict[str, Any]) -> None:
    """skjerming from a row's ``<prefix>screening__*`` values (nothing when unscreened)."""
    restriction = row.get(f"{prefix}screening__access_restriction")
    if not restriction:
        return
    element = add_child(parent, "skjerming")
    sub(element, "tilgangsrestriksjon", code_name(cl.ACCESS_RESTRICTION, restriction))
    sub(element, "skjermingshjemmel", row[f"{prefix}screening__legal_basis"])
    codes = row[f"{prefix}screening__screened_metadata"] or []
    for code in codes:
        sub(element, "skjermingMetadata", code_name(cl.SCREENING_METADATA, code))
    if not codes:  # the schema wants one: the document alone is screened
        sub(element, "skjermingMetadata", "Ingen")
    if row[f"{prefix}screening__screened_document"]:
        sub(
            element,
            "skjermingDokument",
            code_name(cl.SCREENING_DOCUMENT, row[f"{prefix}screening__screened_document"]),
        )
    sub(element, "skjermingsvarighet", row[f"{prefix}screening__duration_years"])
    sub(element, "skjermingOpphoererDato", pkg.date_text(row[f"{prefix}screening__ends_on"]))


def add_comment(parent: Any, row: dict[str, Any]) -> None:
    element = add_child(parent, "merknad")
    sub(element, "merknadstekst", row["text"])
    sub(
        element,
        "merknadstype",
        code_name(cl.COMMENT_TYPE, row["comment_type"]) if row["comment_type"] else "",
    )
    sub(element, "merknadsdato", pkg.datetime_text(row["registered_at"]))
    sub(element, "merknadRegistrertAv", row["registered_by"])


def add_reference(parent: Any, row: dict[str, Any]) -> None:
    element = add_child(parent, "kryssreferanse")
    sub(element, "referanseTilMappe", row["to_case_file__system_id"])
    sub(element, "referanseTilRegistrering", row["to_entry__system_id"])


def _file_path(ctx: Context, obj: dict[str, Any], filed_in: tuple[dict[str, Any], dict[str, Any]]) -> str:
    """Copy the object's file into ``dokumenter/`` once and return its package path; the read is
    logged (decision 0226: ``services.package_export`` appends the reads before it hands out the
    package), its purpose the case (``filed_in``: the entry and the case) it is filed in."""
    suffix = Path(obj["file_name"]).suffix.lower() or ".bin"
    relative = f"{pkg.DOCUMENT_FOLDER}/{obj['system_id']}{suffix}"
    if relative not in ctx.written_files:
        target = ctx.out_dir / relative
        with (
            archive_selectors.extraction_file_open(
                municipality=ctx.municipality, storage_name=obj["file__storage_name"]
            ) as source,
            target.open("wb") as sink,
        ):
            shutil.copyfileobj(source, sink, pkg.CHUNK)
        ctx.written_files.add(relative)
        entry, case = filed_in
        readlog.read_note(
            actor=ctx.actor,
            municipality=ctx.municipality,
            kind=readlog.DOCUMENT_FILE,
            object_id=obj["system_id"],
            case_file=case["system_id"],
            purpose=f"{case['case_year']}/{case['case_sequence_number']}",
            unit=case.get("administrative_unit", ""),
            handlers=(case.get("case_responsible", ""), entry.get("case_handler", "")),
        )
        ctx.file_list.write(f"{relative}\t{obj['checksum']}\t{obj['size']}\n")
        ctx.result.document_files += 1
    return relative


def _format_of(obj: dict[str, Any]) -> str:
    """M701 format: the stored format, else the file type by extension (what Arkade compares)."""
    if obj["format"]:
        return str(obj["format"])
    suffix = Path(obj["file_name"]).suffix.lstrip(".").upper()
    return suffix or obj["mime_type"] or "ukjent"


def _document(
    ctx: Context,
    parent: Any,
    filed_in: tuple[dict[str, Any], dict[str, Any]],
    link: dict[str, Any],
    objects: list[dict[str, Any]],
    comments: list[Any],
) -> None:
    counts = ctx.result.counts
    element = add_child(parent, "dokumentbeskrivelse")
    counts["dokumentbeskrivelse"] += 1
    sub(element, "systemID", link["document__system_id"])
    sub(element, "dokumenttype", code_name(cl.DOCUMENT_TYPE, link["document__document_type"]))
    sub(element, "dokumentstatus", code_name(cl.DOCUMENT_STATUS, link["document__status"]))
    sub(element, "tittel", link["document__title"])
    sub(element, "beskrivelse", link["document__description"])
    sub(element, "forfatter", link["document__author"])
    sub(element, "opprettetDato", pkg.datetime_text(link["document__created_at"]))
    sub(element, "opprettetAv", link["document__created_by"])
    sub(element, "dokumentmedium", code_name(cl.DOCUMENT_MEDIUM, link["document__document_medium"]))
    sub(element, "tilknyttetRegistreringSom", code_name(cl.LINKED_AS, link["linked_as"]))
    sub(element, "dokumentnummer", link["document_number"])
    sub(element, "tilknyttetDato", pkg.datetime_text(link["linked_at"]))
    sub(element, "tilknyttetAv", link["linked_by"])
    for comment in comments:
        counts["merknad"] += 1
        add_comment(element, comment)
    if link["document__screening__access_restriction"]:
        counts["skjerming"] += 1
    add_screening(element, "document__", link)
    for obj in objects:
        if obj["file_id"] is None:  # described, never uploaded: nothing to deliver
            continue
        counts["dokumentobjekt"] += 1
        child = add_child(element, "dokumentobjekt")
        sub(child, "systemID", obj["system_id"])
        sub(child, "versjonsnummer", obj["version_number"])
        sub(child, "variantformat", code_name(cl.VARIANT_FORMAT, obj["variant_format"]))
        sub(child, "format", _format_of(obj))
        sub(child, "opprettetDato", pkg.datetime_text(obj["created_at"]))
        sub(child, "opprettetAv", obj["created_by"])
        sub(child, "referanseDokumentfil", _file_path(ctx, obj, filed_in))
        sub(child, "sjekksum", obj["checksum"])
        sub(child, "sjekksumAlgoritme", pkg.CHECKSUM_ALGORITHM)
        sub(child, "filstoerrelse", obj["size"])


def _party(parent: Any, row: dict[str, Any]) -> None:
    element = add_child(parent, "korrespondansepart")
    sub(element, "korrespondanseparttype", code_name(cl.CORRESPONDENCE_PARTY_TYPE, row["party_type"]))
    sub(element, "korrespondansepartNavn", row["name"])
    sub(element, "postadresse", row["postal_address"])
    sub(element, "postnummer", row["postal_code"])
    sub(element, "poststed", row["city"])
    sub(element, "land", row["country"])
    sub(element, "epostadresse", row["email"])
    sub(element, "telefonnummer", row["phone"])
    sub(element, "kontaktperson", row["contact_person"])
    sub(element, "administrativEnhet", row["administrative_unit"])
    sub(element, "saksbehandler", row["case_handler"])


def entry_tree(ctx: Context, entry: dict[str, Any], case: dict[str, Any], children: EntryChildren) -> Any:
    """One registrering (journalpost or arkivnotat) as an element tree, in XSD order."""
    counts = ctx.result.counts
    is_note = entry["record_type"] == "arkivnotat"
    element = etree.Element(
        f"{{{pkg.NS_ARKIVSTRUKTUR}}}registrering",
        {f"{{{pkg.NS_XSI}}}type": entry["record_type"]},
        nsmap={None: pkg.NS_ARKIVSTRUKTUR, "xsi": pkg.NS_XSI},
    )
    counts["registrering"] += 1
    counts[entry["record_type"]] += 1
    sub(element, "systemID", entry["system_id"])
    sub(element, "opprettetDato", pkg.datetime_text(entry["created_at"]))
    sub(element, "opprettetAv", entry["created_by"])
    sub(element, "arkivertDato", pkg.datetime_text(entry["archived_at"] or ctx.extracted_at))
    sub(element, "arkivertAv", entry["archived_by"] or UNFINISHED_BY)
    if entry["screening__access_restriction"]:
        counts["skjerming"] += 1
    add_screening(element, "", entry)
    for link in children.links.get(entry["id"], ()):
        _document(
            ctx,
            element,
            (entry, case),
            link,
            children.objects.get(link["document_id"], []),
            children.document_comments.get(link["document_id"], []),
        )
    sub(
        element,
        "registreringsID",
        f"{case['case_year']}/{case['case_sequence_number']}-{entry['entry_number']}",
    )
    sub(element, "tittel", entry["title"])
    sub(element, "offentligTittel", entry["public_title"])
    sub(element, "beskrivelse", entry["description"])
    sub(element, "dokumentmedium", code_name(cl.DOCUMENT_MEDIUM, entry["document_medium"]))
    for comment in children.comments.get(entry["id"], ()):
        counts["merknad"] += 1
        add_comment(element, comment)
    for reference in children.references.get(entry["id"], ()):
        counts["kryssreferanse"] += 1
        add_reference(element, reference)
    for party in children.parties.get(entry["id"], ()):
        counts["korrespondansepart"] += 1
        _party(element, party)
    if not is_note:
        sub(element, "journalaar", entry["journal_year"])
        sub(element, "journalsekvensnummer", entry["journal_sequence_number"])
        sub(element, "journalpostnummer", entry["entry_number"])
        sub(element, "journalposttype", code_name(cl.REGISTRY_ENTRY_TYPE, entry["entry_type"]))
        sub(element, "journalstatus", code_name(cl.REGISTRY_ENTRY_STATUS, entry["status"]))
        sub(element, "journaldato", pkg.date_text(entry["journal_date"]))
    sub(element, "dokumentetsDato", pkg.date_text(entry["document_date"]))
    sub(element, "mottattDato", pkg.datetime_text(entry["received_date"]))
    sub(element, "sendtDato", pkg.datetime_text(entry["sent_date"]))
    sub(element, "forfallsdato", pkg.date_text(entry["due_date"]))
    if not is_note:
        documents = len(children.links.get(entry["id"], ()))
        sub(element, "antallVedlegg", max(documents - 1, 0) if documents else None)
        for write_off in children.write_offs.get(entry["id"], ()):
            counts["avskrivning"] += 1
            child = add_child(element, "avskrivning")
            sub(child, "avskrivningsdato", pkg.date_text(write_off["written_off_at"]))
            sub(child, "avskrevetAv", write_off["written_off_by"])
            sub(child, "avskrivningsmaate", code_name(cl.WRITE_OFF_METHOD, write_off["method"]))
            sub(child, "referanseAvskrivesAvJournalpost", write_off["answered_by__system_id"])
    return element


@dataclass
class EntryChildren:
    parties: dict[int, list[dict[str, Any]]]
    links: dict[int, list[dict[str, Any]]]
    objects: dict[int, list[dict[str, Any]]]
    write_offs: dict[int, list[dict[str, Any]]]
    comments: dict[int, list[dict[str, Any]]]
    document_comments: dict[int, list[dict[str, Any]]]
    references: dict[int, list[dict[str, Any]]]


def entry_children(municipality: Municipality, entry_ids: list[int]) -> EntryChildren:
    rows = archive_selectors.extraction_entry_children(municipality=municipality, entry_ids=entry_ids)
    return EntryChildren(
        parties=group(rows["parties"], "registry_entry_id"),
        links=group(rows["links"], "registry_entry_id"),
        objects=group(rows["objects"], "document_id"),
        write_offs=group(rows["write_offs"], "registry_entry_id"),
        comments=group(rows["comments"], "registry_entry_id"),
        document_comments=group(rows["comments"], "document_id"),
        references=group(rows["references"], "from_entry_id"),
    )
