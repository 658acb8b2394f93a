"""Reception: one service for every route; the receiver by the buyer's EndpointID (0192); unknown
receivers and duplicates refused and logged; invalid invoices kept as rejected with their findings
and an Invoice Response RE; valid ones routed by buyer or order reference; credit notes matched."""

from __future__ import annotations

import datetime as dt

import pytest

from ekommune.core.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from ekommune.core.models import AuditEvent
from ekommune.invoices import ehf, services
from ekommune.invoices.models import Invoice, InvoiceState, Supplier
from ekommune.invoices.tests.factories import SUPPLIER_ORG, broken, ehf_bytes, received

pytestmark = [pytest.mark.django_db, pytest.mark.needs_standards("peppol", "schxslt")]


def test_a_valid_invoice_is_stored_answered_and_routed_by_buyer_reference(invoicing) -> None:
    invoice = received(invoicing)
    assert invoice.municipality == invoicing.municipality
    assert invoice.state == InvoiceState.TO_ATTEST
    assert invoice.cost_centre == invoicing.centre
    assert invoice.response.status_code == "AB"
    assert invoice.findings.count() == 0
    assert invoice.supplier == Supplier.objects.get(organisation_number=SUPPLIER_ORG)
    assert bytes(invoice.content).startswith(b"<?xml")
    assert [step.action for step in invoice.steps.all()] == ["receive", "route"]
    assert AuditEvent.objects.filter(action="invoices.receive", municipality=invoicing.municipality).exists()


def test_the_order_reference_routes_when_the_buyer_reference_does_not(invoicing) -> None:
    assert (
        received(invoicing, buyer_reference="ukjent", order_reference="1000").cost_centre == invoicing.centre
    )
    unrouted = received(invoicing, buyer_reference="ukjent")
    assert (unrouted.state, unrouted.cost_centre) == (InvoiceState.UNROUTED, None)


def test_an_unknown_receiver_is_refused_and_logged(invoicing) -> None:
    content = ehf_bytes(invoicing.municipality, buyer_organisation_number="911111111")
    with pytest.raises(NotFoundError) as refused:
        services.invoice_receive(content=content, channel="access_point")
    assert refused.value.code == "unknown_receiver"
    assert not Invoice.objects.exists()
    assert AuditEvent.objects.filter(action="invoices.refused_unknown_receiver", municipality=None).exists()


def test_a_duplicate_is_refused_and_the_original_kept(invoicing) -> None:
    original = received(invoicing, number="F-77")
    with pytest.raises(ConflictError) as refused:
        received(invoicing, number="F-77", lines=ehf.lines_of(5))
    assert refused.value.code == "duplicate"
    assert list(Invoice.objects.all()) == [original]
    assert Invoice.objects.get().line_count == 3
    assert AuditEvent.objects.filter(action="invoices.refused_duplicate").exists()
    # another date, or a credit note of the same number, is not a duplicate
    received(invoicing, number="F-77", issue_date=dt.date(2026, 11, 3))


def test_an_invalid_invoice_is_kept_as_rejected_with_its_findings_and_answer(invoicing) -> None:
    content = broken(invoicing.municipality, "BR-CO-16", number="F-88")
    invoice = services.invoice_receive(content=content, channel="access_point")
    assert invoice.state == InvoiceState.REJECTED
    assert invoice.cost_centre is None
    assert [(f.rule_id, f.flag, f.source) for f in invoice.findings.all()] == [("BR-CO-16", "fatal", "cen")]
    assert invoice.findings.get().location.startswith("/")
    assert invoice.response.status_code == "RE"
    assert invoice.response.reasons[0]["rule"] == "BR-CO-16"
    # the supplier sends a corrected one with the same number: received
    assert received(invoicing, number="F-88").state == InvoiceState.TO_ATTEST


def test_what_is_not_an_invoice_is_refused_with_a_clear_error(invoicing) -> None:
    for content in (b"<Order/>", b"garbage"):
        with pytest.raises(ValidationError) as refused:
            services.invoice_receive(content=content, channel="folder")
        assert refused.value.code == "not_an_invoice"
    with pytest.raises(ValidationError):
        services.invoice_receive(content=ehf_bytes(invoicing.municipality), channel="pigeon")


def test_staff_upload_needs_the_permission_to_manage_invoices(invoicing) -> None:
    content = ehf_bytes(invoicing.municipality)
    with pytest.raises(PermissionDeniedError):
        services.invoice_receive(content=content, channel="upload", actor=invoicing.attester)
    invoice = services.invoice_receive(content=content, channel="upload", actor=invoicing.admin)
    assert next(step.actor_name for step in invoice.steps.all()) == "Astrid Admin"


def test_a_credit_note_is_matched_to_its_invoice(invoicing) -> None:
    invoice = received(invoicing, number="F-99")
    note = received(invoicing, number="K-1", credit_note=True, billing_reference="F-99")
    assert note.document_type == "credit_note"
    assert note.credited_invoice == invoice
    assert list(invoice.credit_notes.all()) == [note]
    assert (
        received(invoicing, number="K-2", credit_note=True, billing_reference="F-404").credited_invoice
        is None
    )


def test_two_routes_delivering_the_same_invoice_at_once_give_one_invoice(invoicing, monkeypatch) -> None:
    received(invoicing, number="F-55")
    monkeypatch.setattr(
        services, "_already_received", lambda municipality, facts: False
    )  # both checked first
    with pytest.raises(ConflictError) as refused:
        received(invoicing, number="F-55")
    assert refused.value.code == "duplicate"
    assert Invoice.objects.count() == 1


def test_the_archive_intake_user_must_be_able_to_register(invoicing) -> None:
    with pytest.raises(ValidationError) as refused:
        services.invoice_settings_set(
            actor=invoicing.admin, municipality=invoicing.municipality, intake_user=invoicing.approver
        )
    assert refused.value.code == "intake_user_cannot_register"


def test_the_supplier_register_keeps_the_latest_name_and_skips_invalid_numbers(invoicing) -> None:
    received(invoicing)
    received(invoicing, supplier_name="Fjordvik Kontor AS")
    assert Supplier.objects.get().name == "Fjordvik Kontor AS"
    odd = received(invoicing, supplier_organisation_number="974760674")  # check digit wrong
    assert odd.supplier is None
    assert odd.state == InvoiceState.REJECTED  # NO-R-001 fires too
