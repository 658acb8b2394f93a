"""A readable PDF/A rendering of an invoice for the archive, with the project's own ``pdfa``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ekommune.invoices import ehf
from ekommune.pdfa import Document, Heading, KeyValueTable, Paragraph, render_pdf


def invoice_pdf(
    *, municipality_name: str, facts: ehf.InvoiceFacts, created_at: dt.datetime, trail: Sequence[str]
) -> bytes:
    """The invoice's facts, its approval trail, and the rule ids and texts of its findings."""
    kind = "Kreditnota" if facts.document_type == "credit_note" else "Faktura"
    rows = [
        ("Leverandør", f"{facts.supplier_name} (org.nr. {facts.supplier_organisation_number})", 0),
        ("Nummer", facts.number, 0),
        ("Fakturadato", facts.issue_date.isoformat() if facts.issue_date else "", 0),
        ("Forfall", facts.due_date.isoformat() if facts.due_date else "", 0),
        ("Kjøpers referanse", facts.buyer_reference, 0),
        ("Ordrereferanse", facts.order_reference, 0),
        ("Beløp eksklusive mva", f"{facts.tax_exclusive_amount or 0:.2f} {facts.currency}", 0),
        ("Å betale", f"{facts.payable_amount or 0:.2f} {facts.currency}", 0),
        ("Antall linjer", str(facts.line_count), 0),
    ]
    if facts.billing_reference:
        rows.append(("Gjelder faktura", facts.billing_reference, 0))
    return render_pdf(
        Document(
            title=f"{kind} {facts.number} fra {facts.supplier_name}",
            author=facts.supplier_name,
            subject=kind,
            language="nb-NO",
            created_at=created_at,
            page_numbers=True,
            blocks=[
                Paragraph(text=municipality_name),
                Heading(text=f"{kind} {facts.number}", level=1),
                KeyValueTable(rows=rows, label_fraction=0.35),
                Heading(text="Attestasjon og anvisning", level=2),
                Paragraph(text="\n".join(trail) or "-"),
            ],
        )
    )
