"""An approved invoice becomes an incoming registry entry with the supplier as sender and its
documents (PDF/A rendering, EHF XML, attachments, validation report, approval trail); export
writes the approved vouchers to the CSV posting file once; due dates bring reminders."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from ekommune.archive import selectors as archive_selectors
from ekommune.core.errors import ConflictError, PermissionDeniedError, ValidationError
from ekommune.invoices import ehf, export, services
from ekommune.invoices.models import Invoice, InvoiceSettings, InvoiceState
from ekommune.invoices.tests.factories import approved, attested, received

pytestmark = [pytest.mark.django_db, pytest.mark.needs_standards("peppol", "schxslt")]


def test_an_approved_invoice_is_archived_as_an_incoming_entry_with_its_documents(invoicing) -> None:
    attachment = ehf.Attachment("timeliste.pdf", "application/pdf", b"%PDF-1.7 timeliste")
    invoice = approved(invoicing, attachment=attachment)
    entry = archive_selectors.registry_entry_by_system_id(
        actor=invoicing.archive.records_manager,
        municipality=invoicing.municipality,
        system_id=invoice.archive_entry_system_id,  # type: ignore[arg-type]
    )
    assert entry is not None
    assert entry.entry_type == "I"
    assert invoice.number in entry.title
    party = entry.correspondence_parties.get()
    assert (party.party_type, party.organisation_number) == ("EA", "974760673")
    titles = [document.title for document in entry.documents.order_by("pk")]
    assert titles == [
        f"Faktura {invoice.number}",
        f"EHF-dokument {invoice.number}",
        "Vedlegg timeliste.pdf",
        "Valideringsrapport",
        "Attestasjon og anvisning",
    ]


def test_approval_without_archive_settings_is_refused_and_nothing_changes(invoicing) -> None:
    invoice = attested(invoicing)
    InvoiceSettings.objects.all().delete()
    with pytest.raises(ConflictError) as refused:
        services.invoice_approve(
            actor=invoicing.approver, municipality=invoicing.municipality, invoice=invoice
        )
    assert refused.value.code == "invoices_not_set_up"
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.TO_APPROVE


def test_the_csv_posting_file_has_one_row_per_coding_line_and_exports_once(invoicing) -> None:
    first = approved(invoicing, number="F-1")
    note = approved(invoicing, number="K-1", credit_note=True, billing_reference="F-1", lines=ehf.lines_of(1))
    received(invoicing)  # not approved: not exported
    with pytest.raises(PermissionDeniedError):
        services.invoices_export(actor=invoicing.attester, municipality=invoicing.municipality)
    with pytest.raises(ValidationError):
        services.invoices_export(actor=invoicing.admin, municipality=invoicing.municipality, exporter="sap")
    posting = services.invoices_export(actor=invoicing.admin, municipality=invoicing.municipality)
    assert posting.count == 2
    assert posting.file_name.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(posting.content.decode()), delimiter=";"))
    assert list(rows[0]) == list(export.CSV_COLUMNS)
    assert [(row["fakturanummer"], row["type"]) for row in rows] == [
        ("F-1", "invoice"),
        ("K-1", "credit_note"),
    ]
    assert Decimal(rows[0]["belop"]) == first.tax_exclusive_amount
    assert Decimal(rows[1]["belop"]) == -(note.tax_exclusive_amount or 0)
    assert rows[0]["arkivreferanse"] == str(first.archive_entry_system_id)
    first.refresh_from_db()
    assert first.state == InvoiceState.EXPORTED
    assert first.exported_at is not None
    assert services.invoices_export(actor=invoicing.admin, municipality=invoicing.municipality).count == 0


def test_an_exporter_plugin_can_be_added(invoicing) -> None:
    class Totals:
        name, media_type, file_extension = "totals", "text/plain", "txt"

        def render(self, vouchers):
            return "".join(f"{v.invoice_number}={v.payable_amount}\n" for v in vouchers).encode()

    export.register(Totals())
    invoice = approved(invoicing, number="F-5")
    posting = services.invoices_export(
        actor=invoicing.admin, municipality=invoicing.municipality, exporter="totals"
    )
    assert posting.content == f"F-5={invoice.payable_amount}\n".encode()


def test_reminders_come_three_days_before_the_due_date_and_on_it(invoicing) -> None:
    invoice = received(invoicing, due_date=dt.date(2026, 12, 10))
    claim = services.invoice_reminder_claim
    assert claim(invoice_id=invoice.pk, today=dt.date(2026, 12, 6)) is None
    assert getattr(claim(invoice_id=invoice.pk, today=dt.date(2026, 12, 7)), "reminders_sent", 0) == 1
    assert claim(invoice_id=invoice.pk, today=dt.date(2026, 12, 8)) is None
    assert getattr(claim(invoice_id=invoice.pk, today=dt.date(2026, 12, 10)), "reminders_sent", 0) == 2
    assert claim(invoice_id=invoice.pk, today=dt.date(2026, 12, 20)) is None
    undated = received(invoicing)
    Invoice.objects.filter(pk=undated.pk).update(due_date=None)
    assert claim(invoice_id=undated.pk, today=dt.date(2026, 12, 20)) is None


def test_approval_without_an_open_series_is_refused(invoicing, monkeypatch) -> None:
    invoice = attested(invoicing)
    monkeypatch.setattr(services.archive_selectors, "series_current", lambda **kwargs: None)
    with pytest.raises(ConflictError) as refused:
        services.invoice_approve(
            actor=invoicing.approver, municipality=invoicing.municipality, invoice=invoice
        )
    assert refused.value.code == "no_open_series"
