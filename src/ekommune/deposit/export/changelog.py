"""endringslogg.xml: the change log of the exported series, streamed."""

from __future__ import annotations

from lxml import etree

from ekommune.archive import selectors as archive_selectors
from ekommune.deposit import package as pkg
from ekommune.deposit.export.common import Context, Writer


def write_endringslogg(ctx: Context, series_ids: list[int]) -> None:
    rows = archive_selectors.extraction_change_log(municipality=ctx.municipality, series_ids=series_ids)
    with etree.xmlfile(str(ctx.out_dir / pkg.ENDRINGSLOGG), encoding="utf-8") as xf:
        xf.write_declaration()
        w = Writer(xf, pkg.NS_ENDRINGSLOGG)
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
