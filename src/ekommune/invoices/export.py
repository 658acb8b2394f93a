"""Posting files for the accounting system: a plugin point, and the plain CSV the platform ships.

An exporter is an object with ``name``, ``media_type``, ``file_extension`` and
``render(vouchers) -> bytes``; ``register(exporter)`` adds one (an ERP-specific format, from the
``ready()`` of the app that brings it), ``exporter(name)`` finds one. The CSV format is described
in docs/invoices.md ("Posting file").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from ekommune.core.errors import ValidationError

if TYPE_CHECKING:
    from ekommune.invoices.models import Invoice


@dataclass(frozen=True)
class PostingLine:
    account: str
    cost_centre: str
    project: str
    vat_code: str
    amount: Decimal  # negative for a credit note


@dataclass(frozen=True)
class Voucher:
    """An approved invoice or credit note as the accounting system needs it (bilag)."""

    voucher_id: int
    document_type: str
    supplier_organisation_number: str
    supplier_name: str
    invoice_number: str
    issue_date: str
    due_date: str
    currency: str
    payable_amount: Decimal
    archive_reference: str
    lines: Sequence[PostingLine]


class Exporter(Protocol):
    name: str
    media_type: str
    file_extension: str

    def render(self, vouchers: Sequence[Voucher]) -> bytes: ...


CSV_COLUMNS = (
    "bilag",
    "type",
    "leverandor_orgnr",
    "leverandor_navn",
    "fakturanummer",
    "fakturadato",
    "forfallsdato",
    "valuta",
    "konto",
    "ansvar",
    "prosjekt",
    "mvakode",
    "belop",
    "belop_a_betale",
    "arkivreferanse",
)


class CsvExporter:
    """One row per coding line, semicolon-separated, UTF-8, a header row, amounts with a point and
    two decimals, negative for credit notes."""

    name = "csv"
    media_type = "text/csv; charset=utf-8"
    file_extension = "csv"

    def render(self, vouchers: Sequence[Voucher]) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        for voucher in vouchers:
            for line in voucher.lines:
                writer.writerow(
                    (
                        voucher.voucher_id,
                        voucher.document_type,
                        voucher.supplier_organisation_number,
                        voucher.supplier_name,
                        voucher.invoice_number,
                        voucher.issue_date,
                        voucher.due_date,
                        voucher.currency,
                        line.account,
                        line.cost_centre,
                        line.project,
                        line.vat_code,
                        f"{line.amount:.2f}",
                        f"{voucher.payable_amount:.2f}",
                        voucher.archive_reference,
                    )
                )
        return out.getvalue().encode("utf-8")


_EXPORTERS: dict[str, Exporter] = {CsvExporter.name: CsvExporter()}


def register(plugin: Exporter) -> None:
    """Make ``plugin`` available under its name (a later one of the same name replaces it)."""
    _EXPORTERS[plugin.name] = plugin


def exporter(name: str) -> Exporter:
    if name not in _EXPORTERS:
        raise ValidationError(
            f"Ukjent eksportformat {name!r} (kjente: {', '.join(sorted(_EXPORTERS))}).",
            code="unknown_exporter",
            field="exporter",
        )
    return _EXPORTERS[name]


def voucher_of(invoice: Invoice) -> Voucher:
    sign = Decimal(-1) if invoice.document_type == "credit_note" else Decimal(1)
    return Voucher(
        voucher_id=invoice.pk,
        document_type=invoice.document_type,
        supplier_organisation_number=invoice.supplier_organisation_number,
        supplier_name=invoice.supplier_name,
        invoice_number=invoice.number,
        issue_date=invoice.issue_date.isoformat() if invoice.issue_date else "",
        due_date=invoice.due_date.isoformat() if invoice.due_date else "",
        currency=invoice.currency,
        payable_amount=sign * (invoice.payable_amount or Decimal(0)),
        archive_reference=str(invoice.archive_entry_system_id or ""),
        lines=[
            PostingLine(line.account, line.cost_centre_code, line.project, line.vat_code, sign * line.amount)
            for line in invoice.coding_lines.all()
        ],
    )
