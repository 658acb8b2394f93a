"""arkivstruktur.xml: fonds, series, classification, classes and case files, streamed page by page
(keyset pages of case files, batches of entries) with lxml's incremental writer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lxml import etree

from ekommune.archive import selectors as archive_selectors
from ekommune.archive.types import codelists as cl
from ekommune.deposit import package as pkg
from ekommune.deposit.export.common import (
    AS,
    CASE_PAGE,
    ENTRY_BATCH,
    UNFINISHED_BY,
    Context,
    Writer,
    add_child,
    batches,
    code_name,
    group,
    or_none,
    sub,
)
from ekommune.deposit.export.registrations import (
    add_comment,
    add_reference,
    add_screening,
    entry_children,
    entry_tree,
)


class _CasePage:
    """Writes one page of case files: each one opened before its first entry, closed after its last."""

    def __init__(self, ctx: Context, w: Writer, page: list[dict[str, Any]]) -> None:
        self.ctx, self.w = ctx, w
        self.cases = {case["pk"]: case for case in page}
        children = archive_selectors.extraction_case_children(
            municipality=ctx.municipality, case_file_ids=list(self.cases)
        )
        self.parties = group(children["parties"], "case_file_id")
        self.comments = group(children["comments"], "case_file_id")
        self.references = group(children["references"], "from_case_file_id")
        self.open: Any = None
        self.current: int | None = None
        self.pending = sorted(self.cases)  # case files not yet written, in pk order

    def write(self) -> None:
        entries = archive_selectors.extraction_entries(
            municipality=self.ctx.municipality, case_file_ids=list(self.cases)
        )
        for batch in batches(entries, ENTRY_BATCH):
            children = entry_children(self.ctx.municipality, [entry["id"] for entry in batch])
            for entry in batch:
                if entry["case_file_id"] != self.current:
                    self._open_up_to(entry["case_file_id"])
                self.w.tree(entry_tree(self.ctx, entry, self.cases[entry["case_file_id"]], children))
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


def _case_files(ctx: Context, w: Writer, series: Any, class_pk: int | None) -> None:
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
    ctx: Context,
    w: Writer,
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
    w.leaf("dokumentmedium", code_name(cl.DOCUMENT_MEDIUM, case["document_medium"]))
    w.leaf("opprettetDato", pkg.datetime_text(case["created_at"]))
    w.leaf("opprettetAv", case["created_by"])
    w.leaf("avsluttetDato", pkg.datetime_text(case["concluded_at"] or ctx.extracted_at))
    w.leaf("avsluttetAv", case["concluded_by"] or UNFINISHED_BY)
    holder = etree.Element(AS + "holder")
    for party in parties:
        counts["part"] += 1
        element = add_child(holder, "part")
        # partID (M010): the person's number or the unit's organisation number, as the importer reads it
        sub(element, "partID", party["national_identity_number"] or party["organisation_number"])
        sub(element, "partNavn", party["name"])
        sub(element, "partRolle", code_name(cl.PARTY_ROLE, party["role"]))
        sub(element, "postadresse", party["postal_address"])
        sub(element, "postnummer", party["postal_code"])
        sub(element, "poststed", party["city"])
        sub(element, "epostadresse", party["email"])
        sub(element, "telefonnummer", party["phone"])
    for reference in references:
        counts["kryssreferanse"] += 1
        add_reference(holder, reference)
    for comment in comments:
        counts["merknad"] += 1
        add_comment(holder, comment)
    if case["screening__access_restriction"]:
        counts["skjerming"] += 1
    add_screening(holder, "", case)
    for child in holder:
        w.tree(_detached(child))


def _case_tail(w: Writer, case: dict[str, Any]) -> None:
    """The saksmappe extension, after the registrations (XSD: extension follows the base)."""
    w.leaf("saksaar", case["case_year"])
    w.leaf("sakssekvensnummer", case["case_sequence_number"])
    w.leaf("saksdato", pkg.date_text(case["case_date"]))
    w.leaf("administrativEnhet", case["administrative_unit"])
    w.leaf("saksansvarlig", case["case_responsible"])
    w.leaf("journalenhet", case["records_unit"])
    w.leaf("saksstatus", code_name(cl.CASE_STATUS, case["case_status"]))


def _detached(element: Any) -> Any:
    """A copy of a child as the root of its own tree, declaring the package namespace."""
    copy = etree.Element(element.tag, nsmap={None: pkg.NS_ARKIVSTRUKTUR})
    copy.text = element.text
    copy.extend(list(element))
    return copy


def _classes(ctx: Context, w: Writer, series: Any, classes: list[Any], parent_pk: int | None) -> None:
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


def _series(ctx: Context, w: Writer, series: Any) -> None:
    counts = ctx.result.counts
    counts["arkivdel"] += 1
    with w.element("arkivdel"):
        w.leaf("systemID", str(series.system_id))
        w.leaf("tittel", series.title)
        w.leaf("beskrivelse", series.description)
        w.leaf("arkivdelstatus", code_name(cl.SERIES_STATUS, series.status))
        w.leaf("dokumentmedium", code_name(cl.DOCUMENT_MEDIUM, series.document_medium))
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
            w.leaf("klassifikasjonstype", code_name(cl.CLASSIFICATION_TYPE, system.classification_type))
            w.leaf("tittel", system.title)
            w.leaf("beskrivelse", system.description)
            w.leaf("opprettetDato", pkg.datetime_text(system.created_at))
            w.leaf("opprettetAv", system.created_by)
            _classes(ctx, w, series, classes, None)


def unclassified(ctx: Context, series_list: Sequence[Any]) -> list[str]:
    """Every case file of a classified series that has no class (number and title): the schema
    has no place for them."""
    found = []
    for series in series_list:
        if series.classification_system_id is None:
            continue
        after = 0
        while page := archive_selectors.extraction_case_files(
            municipality=ctx.municipality, series_id=series.pk, class_id=None, after_pk=after, limit=CASE_PAGE
        ):
            after = page[-1]["pk"]
            found += [f"{case['case_year']}/{case['case_sequence_number']} {case['title']}" for case in page]
    return found


def write_arkivstruktur(ctx: Context, series_list: Sequence[Any]) -> None:
    fonds = series_list[0].fonds
    creators = archive_selectors.extraction_fonds_creators(municipality=ctx.municipality, fonds_id=fonds.pk)
    counts = ctx.result.counts
    with etree.xmlfile(str(ctx.out_dir / pkg.ARKIVSTRUKTUR), encoding="utf-8") as xf:
        xf.write_declaration()
        w = Writer(xf, pkg.NS_ARKIVSTRUKTUR)
        with xf.element(
            f"{{{pkg.NS_ARKIVSTRUKTUR}}}arkiv", nsmap={None: pkg.NS_ARKIVSTRUKTUR, "xsi": pkg.NS_XSI}
        ):
            counts["arkiv"] += 1
            w.leaf("systemID", str(fonds.system_id))
            w.leaf("tittel", fonds.title)
            w.leaf("beskrivelse", fonds.description)
            w.leaf("arkivstatus", code_name(cl.FONDS_STATUS, fonds.status))
            w.leaf("dokumentmedium", code_name(cl.DOCUMENT_MEDIUM, fonds.document_medium))
            w.leaf("opprettetDato", pkg.datetime_text(fonds.created_at))
            w.leaf("opprettetAv", fonds.created_by)
            w.leaf("avsluttetDato", pkg.datetime_text(fonds.concluded_at or ctx.extracted_at))
            w.leaf("avsluttetAv", fonds.concluded_by or UNFINISHED_BY)
            for creator in or_none(creators):
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
