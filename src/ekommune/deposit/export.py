"""Writing a Noark 5 extraction package (arkivuttrekk) for one or more series, streamed.

The database is read in keyset pages (case files) and chunked iterators (entries, journal, change
log); each registry entry is built as a small element tree and written at once with lxml's
incremental writer (``etree.xmlfile``), so memory does not grow with the archive. Element order
follows the official XSDs (reference/noark5.md §4.3); elements without a value are left out (no
empty elements, Arkade N5.63). Codes are written as their kodenavn. Decisions: docs/decisions/0010.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import shutil
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connections
from django.utils import timezone
from lxml import etree

from ekommune.archive import selectors as archive_selectors
from ekommune.archive.types import codelists as cl
from ekommune.core.errors import ValidationError
from ekommune.core.models import Municipality
from ekommune.core.services import Actor
from ekommune.deposit import addml
from ekommune.deposit import package as pkg
from ekommune.publicjournal import selectors as publicjournal_selectors
from ekommune.publicjournal.types import PublicEntry

CASE_PAGE = 500
ENTRY_BATCH = 2000
PUBLIC_BATCH = 2000
UNFINISHED_BY = "arkivuttrekk"  # avsluttetAv/arkivertAv of what was still open when extracted

Progress = Callable[[int], None]


_NAMES: dict[str, dict[str, str]] = {}


def _name(code_list: cl.CodeList, code: str) -> str:
    """The kodenavn of a code (an unknown code is written as it is)."""
    names = _NAMES.get(code_list.element)
    if names is None:
        names = _NAMES[code_list.element] = dict(code_list.values)
    return names.get(code, code)


def _or_none(items: Sequence[Any]) -> list[Any]:
    """The items, or a single None standing for the placeholder the schema needs."""
    return list(items) or [None]


AS = f"{{{pkg.NS_ARKIVSTRUKTUR}}}"


def _child(parent: Any, name: str) -> Any:
    """A child element; a bare name is taken in the arkivstruktur namespace."""
    return etree.SubElement(parent, name if name[0] == "{" else AS + name)


def _sub(parent: Any, name: str, value: object, _sub_element: Any = etree.SubElement) -> None:
    """Append ``<name>value</name>`` unless the value is empty (no empty elements)."""
    if value is None or value == "":
        return
    _sub_element(parent, name if name[0] == "{" else AS + name).text = (
        value if type(value) is str else str(value)
    )


@dataclass
class _Context:
    municipality: Municipality
    out_dir: Path
    extracted_at: dt.datetime
    result: pkg.ExportResult
    file_list: Any  # the open text file listing document files (path, checksum, size)
    progress: Progress | None
    entries_done: int = 0
    written_files: set[str] = field(default_factory=set)


class _Writer:
    """An lxml incremental writer in the default namespace of one package file."""

    def __init__(self, xf: Any, namespace: str) -> None:
        self.xf = xf
        self.ns = namespace

    def element(self, name: str, attrib: dict[str, str] | None = None) -> AbstractContextManager[Any]:
        return self.xf.element(f"{{{self.ns}}}{name}", attrib or {})

    def leaf(self, name: str, value: object) -> None:
        if value is None or value == "":
            return
        with self.element(name):
            self.xf.write(value if isinstance(value, str) else str(value))

    def tree(self, element: Any) -> None:
        """Write an element tree (built with qualified names, ``_child``/``_sub``)."""
        self.xf.write(element)


def _screening(parent: Any, prefix: str, row: dict[str, Any]) -> None:
    """skjerming from a row's ``<prefix>screening__*`` values (nothing when unscreened)."""
    restriction = row.get(f"{prefix}screening__access_restriction")
    if not restriction:
        return
    element = _child(parent, "skjerming")
    _sub(element, "tilgangsrestriksjon", _name(cl.ACCESS_RESTRICTION, restriction))
    _sub(element, "skjermingshjemmel", row[f"{prefix}screening__legal_basis"])
    codes = row[f"{prefix}screening__screened_metadata"] or []
    for code in codes:
        _sub(element, "skjermingMetadata", _name(cl.SCREENING_METADATA, code))
    if not codes:  # the schema wants one: the document alone is screened
        _sub(element, "skjermingMetadata", "Ingen")
    if row[f"{prefix}screening__screened_document"]:
        _sub(
            element,
            "skjermingDokument",
            _name(cl.SCREENING_DOCUMENT, row[f"{prefix}screening__screened_document"]),
        )
    _sub(element, "skjermingsvarighet", row[f"{prefix}screening__duration_years"])
    _sub(element, "skjermingOpphoererDato", pkg.date_text(row[f"{prefix}screening__ends_on"]))


def _comment(parent: Any, row: dict[str, Any]) -> None:
    element = _child(parent, "merknad")
    _sub(element, "merknadstekst", row["text"])
    _sub(element, "merknadstype", _name(cl.COMMENT_TYPE, row["comment_type"]) if row["comment_type"] else "")
    _sub(element, "merknadsdato", pkg.datetime_text(row["registered_at"]))
    _sub(element, "merknadRegistrertAv", row["registered_by"])


def _reference(parent: Any, row: dict[str, Any]) -> None:
    element = _child(parent, "kryssreferanse")
    _sub(element, "referanseTilMappe", row["to_case_file__system_id"])
    _sub(element, "referanseTilRegistrering", row["to_entry__system_id"])


def _file_path(ctx: _Context, obj: dict[str, Any]) -> str:
    """Copy the object's file into ``dokumenter/`` once and return its package path."""
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
    ctx: _Context, parent: Any, link: dict[str, Any], objects: list[dict[str, Any]], comments: list[Any]
) -> None:
    counts = ctx.result.counts
    element = _child(parent, "dokumentbeskrivelse")
    counts["dokumentbeskrivelse"] += 1
    _sub(element, "systemID", link["document__system_id"])
    _sub(element, "dokumenttype", _name(cl.DOCUMENT_TYPE, link["document__document_type"]))
    _sub(element, "dokumentstatus", _name(cl.DOCUMENT_STATUS, link["document__status"]))
    _sub(element, "tittel", link["document__title"])
    _sub(element, "beskrivelse", link["document__description"])
    _sub(element, "forfatter", link["document__author"])
    _sub(element, "opprettetDato", pkg.datetime_text(link["document__created_at"]))
    _sub(element, "opprettetAv", link["document__created_by"])
    _sub(element, "dokumentmedium", _name(cl.DOCUMENT_MEDIUM, link["document__document_medium"]))
    _sub(element, "tilknyttetRegistreringSom", _name(cl.LINKED_AS, link["linked_as"]))
    _sub(element, "dokumentnummer", link["document_number"])
    _sub(element, "tilknyttetDato", pkg.datetime_text(link["linked_at"]))
    _sub(element, "tilknyttetAv", link["linked_by"])
    for comment in comments:
        counts["merknad"] += 1
        _comment(element, comment)
    if link["document__screening__access_restriction"]:
        counts["skjerming"] += 1
    _screening(element, "document__", link)
    for obj in objects:
        if obj["file_id"] is None:  # described, never uploaded: nothing to deliver
            continue
        counts["dokumentobjekt"] += 1
        child = _child(element, "dokumentobjekt")
        _sub(child, "systemID", obj["system_id"])
        _sub(child, "versjonsnummer", obj["version_number"])
        _sub(child, "variantformat", _name(cl.VARIANT_FORMAT, obj["variant_format"]))
        _sub(child, "format", _format_of(obj))
        _sub(child, "opprettetDato", pkg.datetime_text(obj["created_at"]))
        _sub(child, "opprettetAv", obj["created_by"])
        _sub(child, "referanseDokumentfil", _file_path(ctx, obj))
        _sub(child, "sjekksum", obj["checksum"])
        _sub(child, "sjekksumAlgoritme", pkg.CHECKSUM_ALGORITHM)
        _sub(child, "filstoerrelse", obj["size"])


def _party(parent: Any, row: dict[str, Any]) -> None:
    element = _child(parent, "korrespondansepart")
    _sub(element, "korrespondanseparttype", _name(cl.CORRESPONDENCE_PARTY_TYPE, row["party_type"]))
    _sub(element, "korrespondansepartNavn", row["name"])
    _sub(element, "postadresse", row["postal_address"])
    _sub(element, "postnummer", row["postal_code"])
    _sub(element, "poststed", row["city"])
    _sub(element, "land", row["country"])
    _sub(element, "epostadresse", row["email"])
    _sub(element, "telefonnummer", row["phone"])
    _sub(element, "kontaktperson", row["contact_person"])
    _sub(element, "administrativEnhet", row["administrative_unit"])
    _sub(element, "saksbehandler", row["case_handler"])


def _entry(ctx: _Context, entry: dict[str, Any], case: dict[str, Any], children: _EntryChildren) -> Any:
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
    _sub(element, "systemID", entry["system_id"])
    _sub(element, "opprettetDato", pkg.datetime_text(entry["created_at"]))
    _sub(element, "opprettetAv", entry["created_by"])
    _sub(element, "arkivertDato", pkg.datetime_text(entry["archived_at"] or ctx.extracted_at))
    _sub(element, "arkivertAv", entry["archived_by"] or UNFINISHED_BY)
    if entry["screening__access_restriction"]:
        counts["skjerming"] += 1
    _screening(element, "", entry)
    for link in children.links.get(entry["id"], ()):
        _document(
            ctx,
            element,
            link,
            children.objects.get(link["document_id"], []),
            children.document_comments.get(link["document_id"], []),
        )
    _sub(
        element,
        "registreringsID",
        f"{case['case_year']}/{case['case_sequence_number']}-{entry['entry_number']}",
    )
    _sub(element, "tittel", entry["title"])
    _sub(element, "offentligTittel", entry["public_title"])
    _sub(element, "beskrivelse", entry["description"])
    _sub(element, "dokumentmedium", _name(cl.DOCUMENT_MEDIUM, entry["document_medium"]))
    for comment in children.comments.get(entry["id"], ()):
        counts["merknad"] += 1
        _comment(element, comment)
    for reference in children.references.get(entry["id"], ()):
        counts["kryssreferanse"] += 1
        _reference(element, reference)
    for party in children.parties.get(entry["id"], ()):
        counts["korrespondansepart"] += 1
        _party(element, party)
    if not is_note:
        _sub(element, "journalaar", entry["journal_year"])
        _sub(element, "journalsekvensnummer", entry["journal_sequence_number"])
        _sub(element, "journalpostnummer", entry["entry_number"])
        _sub(element, "journalposttype", _name(cl.REGISTRY_ENTRY_TYPE, entry["entry_type"]))
        _sub(element, "journalstatus", _name(cl.REGISTRY_ENTRY_STATUS, entry["status"]))
        _sub(element, "journaldato", pkg.date_text(entry["journal_date"]))
    _sub(element, "dokumentetsDato", pkg.date_text(entry["document_date"]))
    _sub(element, "mottattDato", pkg.datetime_text(entry["received_date"]))
    _sub(element, "sendtDato", pkg.datetime_text(entry["sent_date"]))
    _sub(element, "forfallsdato", pkg.date_text(entry["due_date"]))
    if not is_note:
        documents = len(children.links.get(entry["id"], ()))
        _sub(element, "antallVedlegg", max(documents - 1, 0) if documents else None)
        for write_off in children.write_offs.get(entry["id"], ()):
            counts["avskrivning"] += 1
            child = _child(element, "avskrivning")
            _sub(child, "avskrivningsdato", pkg.date_text(write_off["written_off_at"]))
            _sub(child, "avskrevetAv", write_off["written_off_by"])
            _sub(child, "avskrivningsmaate", _name(cl.WRITE_OFF_METHOD, write_off["method"]))
            _sub(child, "referanseAvskrivesAvJournalpost", write_off["answered_by__system_id"])
    return element


@dataclass
class _EntryChildren:
    parties: dict[int, list[dict[str, Any]]]
    links: dict[int, list[dict[str, Any]]]
    objects: dict[int, list[dict[str, Any]]]
    write_offs: dict[int, list[dict[str, Any]]]
    comments: dict[int, list[dict[str, Any]]]
    document_comments: dict[int, list[dict[str, Any]]]
    references: dict[int, list[dict[str, Any]]]


def _group(rows: list[dict[str, Any]], key: str) -> dict[int, list[dict[str, Any]]]:
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row[key] is not None:
            grouped[row[key]].append(row)
    return grouped


def _entry_children(municipality: Municipality, entry_ids: list[int]) -> _EntryChildren:
    rows = archive_selectors.extraction_entry_children(municipality=municipality, entry_ids=entry_ids)
    return _EntryChildren(
        parties=_group(rows["parties"], "registry_entry_id"),
        links=_group(rows["links"], "registry_entry_id"),
        objects=_group(rows["objects"], "document_id"),
        write_offs=_group(rows["write_offs"], "registry_entry_id"),
        comments=_group(rows["comments"], "registry_entry_id"),
        document_comments=_group(rows["comments"], "document_id"),
        references=_group(rows["references"], "from_entry_id"),
    )


def _batches(rows: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class _CasePage:
    """Writes one page of case files: each one opened before its first entry, closed after its last."""

    def __init__(self, ctx: _Context, w: _Writer, page: list[dict[str, Any]]) -> None:
        self.ctx, self.w = ctx, w
        self.cases = {case["pk"]: case for case in page}
        children = archive_selectors.extraction_case_children(
            municipality=ctx.municipality, case_file_ids=list(self.cases)
        )
        self.parties = _group(children["parties"], "case_file_id")
        self.comments = _group(children["comments"], "case_file_id")
        self.references = _group(children["references"], "from_case_file_id")
        self.open: Any = None
        self.current: int | None = None
        self.pending = sorted(self.cases)  # case files not yet written, in pk order

    def write(self) -> None:
        entries = archive_selectors.extraction_entries(
            municipality=self.ctx.municipality, case_file_ids=list(self.cases)
        )
        for batch in _batches(entries, ENTRY_BATCH):
            children = _entry_children(self.ctx.municipality, [entry["id"] for entry in batch])
            for entry in batch:
                if entry["case_file_id"] != self.current:
                    self._open_up_to(entry["case_file_id"])
                self.w.tree(_entry(self.ctx, entry, self.cases[entry["case_file_id"]], children))
                self.ctx.entries_done += 1
                if self.ctx.progress is not None:
                    self.ctx.progress(self.ctx.entries_done)
        self._open_up_to(None)
        self._close()

    def _open_up_to(self, case_pk: int | None) -> None:
        """Write the case files without entries that come before ``case_pk``, then open it."""
        while self.pending and (case_pk is None or self.pending[0] <= case_pk):
            self._close()
            pk = self.pending.pop(0)
            case = self.cases[pk]
            self.open = self.w.element("mappe", {f"{{{pkg.NS_XSI}}}type": "saksmappe"})
            self.open.__enter__()
            self.current = pk
            _case_head(
                self.ctx,
                self.w,
                case,
                self.parties.get(pk, []),
                self.comments.get(pk, []),
                self.references.get(pk, []),
            )
            if pk == case_pk:
                return

    def _close(self) -> None:
        if self.open is not None and self.current is not None:
            _case_tail(self.w, self.cases[self.current])
            self.open.__exit__(None, None, None)
        self.open, self.current = None, None


def _case_files(ctx: _Context, w: _Writer, series: Any, class_pk: int | None) -> None:
    """Every case file of ``series`` in one class, with its entries, page by page."""
    after = 0
    while page := archive_selectors.extraction_case_files(
        municipality=ctx.municipality, series_id=series.pk, class_id=class_pk, after_pk=after, limit=CASE_PAGE
    ):
        after = page[-1]["pk"]
        _CasePage(ctx, w, page).write()
        ctx.result.counts["mappe"] += len(page)
        ctx.result.counts["saksmappe"] += len(page)


def _case_head(
    ctx: _Context,
    w: _Writer,
    case: dict[str, Any],
    parties: list[dict[str, Any]],
    comments: list[dict[str, Any]],
    references: list[dict[str, Any]],
) -> None:
    counts = ctx.result.counts
    w.leaf("systemID", str(case["system_id"]))
    w.leaf("mappeID", f"{case['case_year']}/{case['case_sequence_number']}")
    w.leaf("tittel", case["title"])
    w.leaf("offentligTittel", case["public_title"])
    w.leaf("beskrivelse", case["description"])
    for keyword in case["keywords"] or []:
        w.leaf("noekkelord", keyword)
    w.leaf("dokumentmedium", _name(cl.DOCUMENT_MEDIUM, case["document_medium"]))
    w.leaf("opprettetDato", pkg.datetime_text(case["created_at"]))
    w.leaf("opprettetAv", case["created_by"])
    w.leaf("avsluttetDato", pkg.datetime_text(case["concluded_at"] or ctx.extracted_at))
    w.leaf("avsluttetAv", case["concluded_by"] or UNFINISHED_BY)
    holder = etree.Element(AS + "holder")
    for party in parties:
        counts["part"] += 1
        element = _child(holder, "part")
        _sub(element, "partNavn", party["name"])
        _sub(element, "partRolle", _name(cl.PARTY_ROLE, party["role"]))
        _sub(element, "postadresse", party["postal_address"])
        _sub(element, "postnummer", party["postal_code"])
        _sub(element, "poststed", party["city"])
        _sub(element, "epostadresse", party["email"])
        _sub(element, "telefonnummer", party["phone"])
    for reference in references:
        counts["kryssreferanse"] += 1
        _reference(holder, reference)
    for comment in comments:
        counts["merknad"] += 1
        _comment(holder, comment)
    if case["screening__access_restriction"]:
        counts["skjerming"] += 1
    _screening(holder, "", case)
    for child in holder:
        w.tree(_detached(child))


def _case_tail(w: _Writer, case: dict[str, Any]) -> None:
    """The saksmappe extension, after the registrations (XSD: extension follows the base)."""
    w.leaf("saksaar", case["case_year"])
    w.leaf("sakssekvensnummer", case["case_sequence_number"])
    w.leaf("saksdato", pkg.date_text(case["case_date"]))
    w.leaf("administrativEnhet", case["administrative_unit"])
    w.leaf("saksansvarlig", case["case_responsible"])
    w.leaf("journalenhet", case["records_unit"])
    w.leaf("saksstatus", _name(cl.CASE_STATUS, case["case_status"]))


def _detached(element: Any) -> Any:
    """A copy of a child as the root of its own tree, declaring the package namespace."""
    copy = etree.Element(element.tag, nsmap={None: pkg.NS_ARKIVSTRUKTUR})
    copy.text = element.text
    copy.extend(list(element))
    return copy


def _classes(ctx: _Context, w: _Writer, series: Any, classes: list[Any], parent_pk: int | None) -> None:
    for klass in (c for c in classes if c.parent_id == parent_pk):
        ctx.result.counts["klasse"] += 1
        with w.element("klasse"):
            w.leaf("systemID", str(klass.system_id))
            w.leaf("klasseID", klass.class_id)
            w.leaf("tittel", klass.title)
            w.leaf("beskrivelse", klass.description)
            w.leaf("opprettetDato", pkg.datetime_text(klass.created_at))
            w.leaf("opprettetAv", klass.created_by)
            if any(c.parent_id == klass.pk for c in classes):
                _classes(ctx, w, series, classes, klass.pk)
            else:
                _case_files(ctx, w, series, klass.pk)


def _series(ctx: _Context, w: _Writer, series: Any) -> None:
    counts = ctx.result.counts
    counts["arkivdel"] += 1
    with w.element("arkivdel"):
        w.leaf("systemID", str(series.system_id))
        w.leaf("tittel", series.title)
        w.leaf("beskrivelse", series.description)
        w.leaf("arkivdelstatus", _name(cl.SERIES_STATUS, series.status))
        w.leaf("dokumentmedium", _name(cl.DOCUMENT_MEDIUM, series.document_medium))
        w.leaf("opprettetDato", pkg.datetime_text(series.created_at))
        w.leaf("opprettetAv", series.created_by)
        w.leaf("avsluttetDato", pkg.datetime_text(series.concluded_at or ctx.extracted_at))
        w.leaf("avsluttetAv", series.concluded_by or UNFINISHED_BY)
        w.leaf("arkivperiodeStartDato", pkg.date_text(series.period_start))
        w.leaf("arkivperiodeSluttDato", pkg.date_text(series.period_end))
        system = series.classification_system
        if system is None:
            _case_files(ctx, w, series, None)
            return
        classes = archive_selectors.extraction_classes(
            municipality=ctx.municipality, classification_system_id=system.pk
        )
        counts["klassifikasjonssystem"] += 1
        with w.element("klassifikasjonssystem"):
            w.leaf("systemID", str(system.system_id))
            w.leaf("klassifikasjonstype", _name(cl.CLASSIFICATION_TYPE, system.classification_type))
            w.leaf("tittel", system.title)
            w.leaf("beskrivelse", system.description)
            w.leaf("opprettetDato", pkg.datetime_text(system.created_at))
            w.leaf("opprettetAv", system.created_by)
            _classes(ctx, w, series, classes, None)


def _unclassified(ctx: _Context, series_list: Sequence[Any]) -> list[str]:
    """Case files of a classified series that have no class: the schema has no place for them."""
    found = []
    for series in series_list:
        if series.classification_system_id is not None:
            page = archive_selectors.extraction_case_files(
                municipality=ctx.municipality, series_id=series.pk, class_id=None, limit=5
            )
            found += [f"{case['case_year']}/{case['case_sequence_number']}" for case in page]
    return found


def write_arkivstruktur(ctx: _Context, series_list: Sequence[Any]) -> None:
    fonds = series_list[0].fonds
    creators = archive_selectors.extraction_fonds_creators(municipality=ctx.municipality, fonds_id=fonds.pk)
    counts = ctx.result.counts
    with etree.xmlfile(str(ctx.out_dir / pkg.ARKIVSTRUKTUR), encoding="utf-8") as xf:
        xf.write_declaration()
        w = _Writer(xf, pkg.NS_ARKIVSTRUKTUR)
        with xf.element(
            f"{{{pkg.NS_ARKIVSTRUKTUR}}}arkiv", nsmap={None: pkg.NS_ARKIVSTRUKTUR, "xsi": pkg.NS_XSI}
        ):
            counts["arkiv"] += 1
            w.leaf("systemID", str(fonds.system_id))
            w.leaf("tittel", fonds.title)
            w.leaf("beskrivelse", fonds.description)
            w.leaf("arkivstatus", _name(cl.FONDS_STATUS, fonds.status))
            w.leaf("dokumentmedium", _name(cl.DOCUMENT_MEDIUM, fonds.document_medium))
            w.leaf("opprettetDato", pkg.datetime_text(fonds.created_at))
            w.leaf("opprettetAv", fonds.created_by)
            w.leaf("avsluttetDato", pkg.datetime_text(fonds.concluded_at or ctx.extracted_at))
            w.leaf("avsluttetAv", fonds.concluded_by or UNFINISHED_BY)
            for creator in _or_none(creators):
                counts["arkivskaper"] += 1
                with w.element("arkivskaper"):
                    if creator is None:  # the schema wants one: the municipality itself
                        w.leaf("arkivskaperID", ctx.municipality.organisation_number or ctx.municipality.slug)
                        w.leaf("arkivskaperNavn", ctx.municipality.name)
                    else:
                        w.leaf("arkivskaperID", creator.creator_id)
                        w.leaf("arkivskaperNavn", creator.name)
                        w.leaf("beskrivelse", creator.description)
            for series in series_list:
                _series(ctx, w, series)


def write_endringslogg(ctx: _Context, series_ids: list[int]) -> None:
    rows = archive_selectors.extraction_change_log(municipality=ctx.municipality, series_ids=series_ids)
    with etree.xmlfile(str(ctx.out_dir / pkg.ENDRINGSLOGG), encoding="utf-8") as xf:
        xf.write_declaration()
        w = _Writer(xf, pkg.NS_ENDRINGSLOGG)
        with xf.element(f"{{{pkg.NS_ENDRINGSLOGG}}}endringslogg", nsmap={None: pkg.NS_ENDRINGSLOGG}):
            for row in rows:
                ctx.result.changes += 1
                with w.element("endring"):
                    w.leaf("referanseArkivenhet", str(row["object_system_id"]))
                    w.leaf("referanseMetadata", row["field"])
                    w.leaf("endretDato", pkg.datetime_text(row["changed_at"]))
                    w.leaf("endretAv", row["changed_by"])
                    # both values are required; a value that was or became empty is written as "-"
                    w.leaf("tidligereVerdi", row["old_value"] or "-")
                    w.leaf("nyVerdi", row["new_value"] or "-")


COUNT_PLACEHOLDER = "0" + " " * 19  # xs:integer collapses white space: patched after writing


def _journal_head(w: _Writer, ctx: _Context, summary: dict[str, Any], creators: list[Any]) -> None:
    with w.element("journalhode"):
        w.leaf("journalStartDato", pkg.date_text(summary["first"]))
        w.leaf("journalSluttDato", pkg.date_text(summary["last"]))
        w.leaf("antallJournalposter", COUNT_PLACEHOLDER)
        for creator in _or_none(creators):
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


def write_loepende_journal(ctx: _Context, series_ids: list[int], creators: list[Any]) -> None:
    summary = archive_selectors.extraction_journal_summary(
        municipality=ctx.municipality, series_ids=series_ids
    )
    path = ctx.out_dir / pkg.LOEPENDE_JOURNAL
    count = 0
    with etree.xmlfile(str(path), encoding="utf-8") as xf:
        xf.write_declaration()
        w = _Writer(xf, pkg.NS_LOEPENDE)
        with xf.element(f"{{{pkg.NS_LOEPENDE}}}loependeJournal", nsmap={None: pkg.NS_LOEPENDE}):
            _journal_head(w, ctx, summary, creators)
            rows = archive_selectors.extraction_journal(municipality=ctx.municipality, series_ids=series_ids)
            for batch in _batches(rows, ENTRY_BATCH):
                parties = _group(
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
        _sub(klasse, f"{{{ns}}}klasseID", row["case_file__primary_class__class_id"])
        _sub(klasse, f"{{{ns}}}tittel", row["case_file__primary_class__title"])
    case = etree.SubElement(element, f"{{{ns}}}saksmappe")
    case_id = f"{row['case_file__case_year']}/{row['case_file__case_sequence_number']}"
    _sub(case, f"{{{ns}}}mappeID", case_id)
    _sub(case, f"{{{ns}}}saksaar", row["case_file__case_year"])
    _sub(case, f"{{{ns}}}sakssekvensnummer", row["case_file__case_sequence_number"])
    _sub(case, f"{{{ns}}}tittel", row["case_file__title"])
    _sub(case, f"{{{ns}}}offentligTittel", row["case_file__public_title"])
    case_codes = row["case_file__screening__screened_metadata"] or []
    if case_codes:
        _sub(case, f"{{{ns}}}skjermingMetadata", _name(cl.SCREENING_METADATA, case_codes[0]))
    _sub(case, f"{{{ns}}}administrativEnhet", row["case_file__administrative_unit"])
    _sub(case, f"{{{ns}}}saksansvarlig", row["case_file__case_responsible"])
    _sub(case, f"{{{ns}}}referanseArkivdel", row["case_file__series__system_id"])
    entry = etree.SubElement(element, f"{{{ns}}}journalpost")
    _sub(entry, f"{{{ns}}}systemID", row["system_id"])
    _sub(entry, f"{{{ns}}}registreringsID", f"{case_id}-{row['entry_number']}")
    _sub(entry, f"{{{ns}}}journalaar", row["journal_year"])
    _sub(entry, f"{{{ns}}}journalsekvensnummer", row["journal_sequence_number"])
    _sub(entry, f"{{{ns}}}journalpostnummer", row["entry_number"])
    _sub(entry, f"{{{ns}}}tittel", row["title"])
    _sub(entry, f"{{{ns}}}offentligTittel", row["public_title"])
    codes = row["screening__screened_metadata"] or []
    if codes:
        _sub(entry, f"{{{ns}}}skjermingMetadata", _name(cl.SCREENING_METADATA, codes[0]))
    _sub(entry, f"{{{ns}}}journaldato", pkg.date_text(row["journal_date"]))
    _sub(entry, f"{{{ns}}}dokumentetsDato", pkg.date_text(row["document_date"]))
    _sub(entry, f"{{{ns}}}administrativEnhet", row["administrative_unit"])
    _sub(entry, f"{{{ns}}}saksbehandler", row["case_handler"])
    if row["screening__access_restriction"]:
        _sub(
            entry,
            f"{{{ns}}}tilgangsrestriksjon",
            _name(cl.ACCESS_RESTRICTION, row["screening__access_restriction"]),
        )
        _sub(entry, f"{{{ns}}}skjermingshjemmel", row["screening__legal_basis"])
    for party in _or_none(parties):
        child = etree.SubElement(entry, f"{{{ns}}}korrespondansepart")
        if party is None:  # internal notes without a party: the unit that wrote it
            _sub(child, f"{{{ns}}}korrespondanseparttype", _name(cl.CORRESPONDENCE_PARTY_TYPE, "IA"))
            _sub(child, f"{{{ns}}}korrespondansepartNavn", row["administrative_unit"] or "-")
        else:
            _sub(
                child,
                f"{{{ns}}}korrespondanseparttype",
                _name(cl.CORRESPONDENCE_PARTY_TYPE, party["party_type"]),
            )
            _sub(child, f"{{{ns}}}korrespondansepartNavn", party["name"])
    return element


def write_offentlig_journal(ctx: _Context, series_ids: list[int], creators: list[Any]) -> None:
    """The public journal: only what the one screening (publicjournal) lets out, as it shows it."""
    summary = archive_selectors.extraction_journal_summary(
        municipality=ctx.municipality, series_ids=series_ids
    )
    path = ctx.out_dir / pkg.OFFENTLIG_JOURNAL
    count = 0
    with etree.xmlfile(str(path), encoding="utf-8") as xf:
        xf.write_declaration()
        w = _Writer(xf, pkg.NS_OFFENTLIG)
        with xf.element(f"{{{pkg.NS_OFFENTLIG}}}offentligJournal", nsmap={None: pkg.NS_OFFENTLIG}):
            _journal_head(w, ctx, summary, creators)
            policy = publicjournal_selectors.publication_policy(municipality=ctx.municipality)
            rows = archive_selectors.extraction_journal(municipality=ctx.municipality, series_ids=series_ids)
            for batch in _batches(rows, PUBLIC_BATCH):
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
        _sub(klasse, f"{{{ns}}}klasseID", entry.class_id)
        # the class title is shown only with its ID (skjerming KID/TKL removes both)
        _sub(klasse, f"{{{ns}}}tittel", row["case_file__primary_class__title"])
    case = etree.SubElement(element, f"{{{ns}}}saksmappe")
    _sub(case, f"{{{ns}}}mappeID", entry.case_number)
    _sub(case, f"{{{ns}}}saksaar", row["case_file__case_year"])
    _sub(case, f"{{{ns}}}sakssekvensnummer", row["case_file__case_sequence_number"])
    _sub(case, f"{{{ns}}}offentligTittel", entry.case_title)
    _sub(case, f"{{{ns}}}administrativEnhet", entry.administrative_unit)
    item = etree.SubElement(element, f"{{{ns}}}journalpost")
    _sub(item, f"{{{ns}}}systemID", entry.system_id)
    _sub(item, f"{{{ns}}}registreringsID", entry.registration_id)
    _sub(item, f"{{{ns}}}journalaar", row["journal_year"])
    _sub(item, f"{{{ns}}}journalsekvensnummer", row["journal_sequence_number"])
    _sub(item, f"{{{ns}}}journalpostnummer", row["entry_number"])
    _sub(item, f"{{{ns}}}offentligTittel", entry.title)
    _sub(item, f"{{{ns}}}journaldato", pkg.date_text(entry.journal_date))
    _sub(item, f"{{{ns}}}dokumentetsDato", pkg.date_text(entry.document_date))
    _sub(item, f"{{{ns}}}administrativEnhet", entry.administrative_unit)
    if entry.legal_bases:
        _sub(item, f"{{{ns}}}skjermingshjemmel", "; ".join(entry.legal_bases))
    parties = [party for party in entry.parties if party.role in _PARTY_TYPE_NAMES]
    for party in _or_none(parties):
        child = etree.SubElement(item, f"{{{ns}}}korrespondansepart")
        if party is None:
            _sub(child, f"{{{ns}}}korrespondanseparttype", _name(cl.CORRESPONDENCE_PARTY_TYPE, "IA"))
            _sub(child, f"{{{ns}}}korrespondansepartNavn", entry.administrative_unit or "-")
        else:
            _sub(child, f"{{{ns}}}korrespondanseparttype", _PARTY_TYPE_NAMES[party.role])
            _sub(child, f"{{{ns}}}korrespondansepartNavn", party.name)
    return element


def _write_journals(ctx: _Context, series_pks: list[int], creators: list[Any]) -> tuple[int, int, int]:
    write_endringslogg(ctx, series_pks)
    write_loepende_journal(ctx, series_pks, creators)
    write_offentlig_journal(ctx, series_pks, creators)
    return ctx.result.changes, ctx.result.journal_entries, ctx.result.public_entries


def _running_part(ctx: _Context, series_pks: list[int], creators: list[Any]) -> tuple[int, int, int]:
    write_endringslogg(ctx, series_pks)
    write_loepende_journal(ctx, series_pks, creators)
    return ctx.result.changes, ctx.result.journal_entries, 0


def _public_part(ctx: _Context, series_pks: list[int], creators: list[Any]) -> tuple[int, int, int]:
    write_offentlig_journal(ctx, series_pks, creators)
    return 0, 0, ctx.result.public_entries


def _fork_journals(
    ctx: _Context, series_pks: list[int], creators: list[Any]
) -> Callable[[], tuple[int, int, int]]:
    """Start two child processes, one writing the change log and the running journal, one the
    public journal; the returned function waits for both and gives their counts (or raises)."""
    connections.close_all()  # the children must not share this process's database connection
    context = multiprocessing.get_context("fork")
    started = []
    for part in (_running_part, _public_part):
        reader, writer = context.Pipe(duplex=False)
        child = context.Process(
            target=_journals_child, args=(part, ctx, series_pks, creators, writer), daemon=True
        )
        child.start()
        writer.close()
        started.append((reader, child))

    def wait() -> tuple[int, int, int]:
        totals = [0, 0, 0]
        failures = []
        for reader, child in started:
            try:
                outcome = reader.recv()
            except EOFError:
                outcome = ("error", "the journal process ended without an answer")
            child.join()
            if outcome[0] != "ok":
                failures.append(str(outcome[1]))
                continue
            totals = [total + count for total, count in zip(totals, outcome[1], strict=True)]
        if failures:
            raise RuntimeError(f"Writing the journals failed: {'; '.join(failures)}")
        return totals[0], totals[1], totals[2]

    return wait


_INHERITED: list[Any] = []


def _journals_child(
    part: Callable[[_Context, list[int], list[Any]], tuple[int, int, int]],
    ctx: _Context,
    series_pks: list[int],
    creators: list[Any],
    writer: Any,
) -> None:
    ctx.progress = None
    for alias in connections:  # whatever this process inherited belongs to the parent: never use it
        wrapper = connections[alias]
        if getattr(wrapper, "connection", None) is not None:
            _INHERITED.append(wrapper.connection)  # kept, not closed: closing would end the parent's session
            wrapper.connection = None
    try:
        writer.send(("ok", part(ctx, series_pks, creators)))
    except Exception as error:  # reported to the parent, which raises it
        writer.send(("error", repr(error)))
    finally:
        connections.close_all()
        writer.close()


def export_package(
    *,
    actor: Actor,
    municipality: Municipality,
    series_ids: Sequence[uuid.UUID],
    out_dir: Path,
    schemas: dict[str, Path],
    progress: Progress | None = None,
    extracted_at: dt.datetime | None = None,
    parallel: bool = False,
) -> pkg.ExportResult:
    """Write the package into ``out_dir`` (created; must be empty). The caller checks the permission
    through ``extraction_series`` (ARCHIVE_MANAGE) and records the audit event.

    With ``parallel`` the change log and the two journals are written by two more processes
    (forked, each with its own database connection) while this one writes arkivstruktur.xml. It needs committed data (not inside an open transaction that holds the archive).
    """
    series_list = archive_selectors.extraction_series(
        actor=actor, municipality=municipality, system_ids=series_ids
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / pkg.DOCUMENT_FOLDER).mkdir(exist_ok=True)
    result = pkg.ExportResult(out_dir=out_dir, extracted_at=extracted_at or timezone.now())
    list_path = out_dir / ".dokumentfiler.tsv"
    with list_path.open("w", encoding="utf-8") as file_list:
        ctx = _Context(
            municipality=municipality,
            out_dir=out_dir,
            extracted_at=result.extracted_at,
            result=result,
            file_list=file_list,
            progress=progress,
        )
        unclassified = _unclassified(ctx, series_list)
        if unclassified:
            raise ValidationError(
                f"Saker uten primærklasse i en klassifisert arkivdel: {', '.join(unclassified)}.",
                code="case_file_unclassified",
                field="series",
            )
        fonds_ids = {series.fonds_id for series in series_list}
        if len(fonds_ids) != 1:
            raise ValidationError(
                "Arkivdelene må høre til samme arkiv.", code="several_fonds", field="series"
            )
        series_pks = [series.pk for series in series_list]
        creators = archive_selectors.extraction_fonds_creators(
            municipality=municipality, fonds_id=series_list[0].fonds_id
        )
        if parallel:
            helper = _fork_journals(ctx, series_pks, creators)
            write_arkivstruktur(ctx, series_list)
            result.changes, result.journal_entries, result.public_entries = helper()
        else:
            write_arkivstruktur(ctx, series_list)
            _write_journals(ctx, series_pks, creators)
    # A file with nothing to hold would break its schema (one element or more): it is left out,
    # and arkivuttrekk.xml does not name it (docs/decisions/0010).
    for file_name, count in (
        (pkg.ENDRINGSLOGG, result.changes),
        (pkg.LOEPENDE_JOURNAL, result.journal_entries),
        (pkg.OFFENTLIG_JOURNAL, result.public_entries),
    ):
        if count == 0:
            (out_dir / file_name).unlink()
    for schema_name, official in schemas.items():
        shutil.copyfile(official, out_dir / schema_name)
    addml.write_arkivuttrekk(
        out_dir=out_dir,
        municipality=municipality,
        series_list=series_list,
        creators=creators,
        result=result,
        file_list=list_path,
    )
    list_path.unlink()
    return result
