"""Invoice test data: valid EHF documents from ``ehf.build``, mutations that break one rule, and
a municipality set up for reception and approval through the services."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from ekommune.archive.tests.factories import Archive, archive_for
from ekommune.core.models import Municipality, Role, User
from ekommune.core.tests.factories import staff
from ekommune.invoices import ehf, services
from ekommune.invoices.models import CostCentre, Invoice
from ekommune.invoices.types import CodingLineInput

SUPPLIER_ORG = "974760673"  # a valid organisation number (modulus 11)
_numbers = itertools.count(1)


def document(municipality: Municipality, **changes: Any) -> ehf.EhfDocument:
    base = ehf.EhfDocument(
        number=f"F-{next(_numbers)}",
        supplier_organisation_number=SUPPLIER_ORG,
        supplier_name="Fjordvik Kontorrekvisita AS",
        buyer_organisation_number=municipality.organisation_number,
        buyer_name=municipality.name,
        lines=ehf.lines_of(3),
        buyer_reference="1000",
    )
    return replace(base, **changes)


def ehf_bytes(municipality: Municipality, **changes: Any) -> bytes:
    return ehf.build(document(municipality, **changes))


# One rule broken per mutation: (path, new text or None to remove, the rule id that must fire).
MUTATIONS = {
    "BR-CO-16": ("cac:LegalMonetaryTotal/cbc:PayableAmount", "1.00"),
    "PEPPOL-EN16931-R003": ("cbc:BuyerReference", None),
    "NO-R-001": ("cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID", "NO974760674MVA"),
}


def broken(municipality: Municipality, rule: str, **changes: Any) -> bytes:
    path, value = MUTATIONS[rule]
    return ehf.mutate(ehf_bytes(municipality, **changes), path, value)


@dataclass
class Invoicing:
    municipality: Municipality
    archive: Archive
    admin: User
    attester: User
    approver: User
    centre: CostCentre


def invoicing_for(municipality: Municipality, *, limit: Decimal = Decimal("100000")) -> Invoicing:
    archive = archive_for(municipality)
    admin = staff(municipality, Role.ADMINISTRATOR, first_name="Astrid", last_name="Admin")
    attester = staff(
        municipality, Role.CASE_WORKER, first_name="Arne", last_name="Attest", email="arne@test.no"
    )
    approver = staff(
        municipality, Role.MANAGEMENT, first_name="Anne", last_name="Anvis", email="anne@test.no"
    )
    services.invoice_settings_set(actor=admin, municipality=municipality, intake_user=archive.records_manager)
    centre = services.cost_centre_save(
        actor=admin,
        municipality=municipality,
        code="1000",
        name="Sentraladministrasjonen",
        attester=attester,
        approver=approver,
        attest_limit=limit,
        approve_limit=limit,
    )
    return Invoicing(municipality, archive, admin, attester, approver, centre)


def received(invoicing: Invoicing, **changes: Any) -> Invoice:
    return services.invoice_receive(
        content=ehf_bytes(invoicing.municipality, **changes), channel="access_point"
    )


def coding_for(invoice: Invoice) -> list[CodingLineInput]:
    assert invoice.tax_exclusive_amount is not None
    return [
        CodingLineInput(
            account="6800", cost_centre_code="1000", vat_code="1", amount=invoice.tax_exclusive_amount
        )
    ]


def attested(invoicing: Invoicing, **changes: Any) -> Invoice:
    invoice = received(invoicing, **changes)
    services.invoice_code(
        actor=invoicing.attester,
        municipality=invoicing.municipality,
        invoice=invoice,
        lines=coding_for(invoice),
    )
    return services.invoice_attest(
        actor=invoicing.attester, municipality=invoicing.municipality, invoice=invoice
    )


def approved(invoicing: Invoicing, **changes: Any) -> Invoice:
    invoice = attested(invoicing, **changes)
    return services.invoice_approve(
        actor=invoicing.approver, municipality=invoicing.municipality, invoice=invoice
    )
