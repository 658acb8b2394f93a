"""Approval (attestasjon og anvisning): coding, attestation and approval each by the assigned
person up to a limit; nobody approves what they attested or what is for themselves (whatever the
order of changes to the cost centre); re-routing starts over; disputes hold; every step audited."""

from __future__ import annotations

import contextlib
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ekommune.core.errors import ApplicationError, ConflictError, PermissionDeniedError, ValidationError
from ekommune.core.models import AuditEvent, Role
from ekommune.core.tests.factories import MunicipalityFactory, staff
from ekommune.invoices import ehf, services
from ekommune.invoices.models import Invoice, InvoiceState
from ekommune.invoices.tests.factories import attested, coding_for, ehf_bytes, received
from ekommune.invoices.types import CodingLineInput

pytestmark = [pytest.mark.django_db, pytest.mark.needs_standards("peppol", "schxslt")]


def test_the_way_from_received_to_approved_is_audited_step_by_step(invoicing) -> None:
    invoice = attested(invoicing)
    assert (invoice.state, invoice.attested_by) == (InvoiceState.TO_APPROVE, invoicing.attester)
    invoice = services.invoice_approve(
        actor=invoicing.approver, municipality=invoicing.municipality, invoice=invoice
    )
    assert (invoice.state, invoice.approved_by) == (InvoiceState.APPROVED, invoicing.approver)
    actions = ["receive", "route", "code", "attest", "approve", "archive"]
    assert [step.action for step in invoice.steps.all()] == actions
    assert set(AuditEvent.objects.filter(object_type="faktura").values_list("action", flat=True)) == {
        f"invoices.{action}" for action in actions
    }


def test_only_the_assigned_people_act(invoicing) -> None:
    invoice = received(invoicing)
    with pytest.raises(PermissionDeniedError) as refused:
        services.invoice_code(
            actor=invoicing.approver,
            municipality=invoicing.municipality,
            invoice=invoice,
            lines=coding_for(invoice),
        )
    assert refused.value.code == "not_attester"
    with pytest.raises(ConflictError) as early:
        services.invoice_approve(
            actor=invoicing.approver, municipality=invoicing.municipality, invoice=invoice
        )
    assert early.value.code == "invalid_state"
    with pytest.raises(ConflictError) as uncoded:
        services.invoice_attest(
            actor=invoicing.attester, municipality=invoicing.municipality, invoice=invoice
        )
    assert uncoded.value.code == "not_coded"
    invoice = attested(invoicing)
    with pytest.raises(PermissionDeniedError) as wrong:
        services.invoice_approve(actor=invoicing.admin, municipality=invoicing.municipality, invoice=invoice)
    assert wrong.value.code == "not_approver"


def test_coding_lines_must_be_complete_and_add_up(invoicing) -> None:
    invoice = received(invoicing)
    amount = invoice.tax_exclusive_amount
    assert amount is not None
    cases: dict[str, list[CodingLineInput]] = {
        "no_coding": [],
        "coding_incomplete": [
            CodingLineInput(account="", cost_centre_code="1000", vat_code="1", amount=amount)
        ],
        "coding_sum": [
            CodingLineInput(account="6800", cost_centre_code="1000", vat_code="1", amount=amount - Decimal(1))
        ],
    }
    for code, lines in cases.items():
        with pytest.raises(ValidationError) as refused:
            services.invoice_code(
                actor=invoicing.attester, municipality=invoicing.municipality, invoice=invoice, lines=lines
            )
        assert refused.value.code == code
    half = (amount / 2).quantize(Decimal("0.01"))
    lines = [
        CodingLineInput(account="6800", cost_centre_code="1000", vat_code="1", amount=half, project="P1"),
        CodingLineInput(account="6810", cost_centre_code="1000", vat_code="1", amount=amount - half),
    ]
    services.invoice_code(
        actor=invoicing.attester, municipality=invoicing.municipality, invoice=invoice, lines=lines
    )
    assert [line.account for line in invoice.coding_lines.all()] == ["6800", "6810"]


def test_the_database_refuses_an_approval_by_the_attester(invoicing) -> None:
    invoice = attested(invoicing)
    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.filter(pk=invoice.pk).update(
            state=InvoiceState.APPROVED, approved_by=invoicing.attester, approved_at=timezone.now()
        )


def test_rerouting_starts_attestation_over(invoicing) -> None:
    invoice = attested(invoicing)
    other = services.cost_centre_save(
        actor=invoicing.admin,
        municipality=invoicing.municipality,
        code="2000",
        name="Skole",
        attester=invoicing.approver,
        approver=invoicing.attester,
        attest_limit=Decimal("1000000"),
        approve_limit=Decimal("1000000"),
    )
    with pytest.raises(PermissionDeniedError):
        services.invoice_route(
            actor=invoicing.attester, municipality=invoicing.municipality, invoice=invoice, cost_centre=other
        )
    invoice = services.invoice_route(
        actor=invoicing.admin, municipality=invoicing.municipality, invoice=invoice, cost_centre=other
    )
    assert (invoice.state, invoice.cost_centre, invoice.attested_by) == (InvoiceState.TO_ATTEST, other, None)


def test_a_dispute_holds_the_invoice_with_a_reason_until_resolved(invoicing) -> None:
    invoice = attested(invoicing)
    with pytest.raises(ValidationError):
        services.invoice_dispute(
            actor=invoicing.approver, municipality=invoicing.municipality, invoice=invoice, reason=" "
        )
    invoice = services.invoice_dispute(
        actor=invoicing.approver,
        municipality=invoicing.municipality,
        invoice=invoice,
        reason="Varene er ikke levert",
    )
    assert (invoice.state, invoice.dispute_reason) == (InvoiceState.DISPUTED, "Varene er ikke levert")
    with pytest.raises(ConflictError):
        services.invoice_approve(
            actor=invoicing.approver, municipality=invoicing.municipality, invoice=invoice
        )
    outsider = staff(invoicing.municipality, Role.CASE_WORKER)
    with pytest.raises(PermissionDeniedError):
        services.invoice_dispute_resolve(actor=outsider, municipality=invoicing.municipality, invoice=invoice)
    invoice = services.invoice_dispute_resolve(
        actor=invoicing.admin, municipality=invoicing.municipality, invoice=invoice, note="Levert 3.12."
    )
    assert invoice.state == InvoiceState.TO_APPROVE
    assert AuditEvent.objects.filter(action="invoices.dispute").exists()


def test_a_cost_centre_needs_two_staff_people_and_limits_not_negative(invoicing) -> None:
    def save(**changes):
        values = {
            "actor": invoicing.admin,
            "municipality": invoicing.municipality,
            "code": "3000",
            "name": "Helse",
            "attester": invoicing.attester,
            "approver": invoicing.approver,
            "attest_limit": Decimal(10),
            "approve_limit": Decimal(10),
        } | changes
        return services.cost_centre_save(**values)

    for changes, code in (
        ({"approver": invoicing.attester}, "two_person_rule"),
        ({"approve_limit": Decimal(-1)}, "negative_limit"),
        ({"code": " "}, "required"),
        ({"name": ""}, "required"),
        ({"attester": staff(MunicipalityFactory.create(), Role.CASE_WORKER)}, "not_staff"),
    ):
        with pytest.raises(ValidationError) as refused:
            save(**changes)
        assert refused.value.code == code
    with pytest.raises(PermissionDeniedError):
        save(actor=invoicing.attester)
    assert save().code == "3000"


class _Rollback(Exception):
    pass


def _outcome(service, **arguments) -> str:
    try:
        service(**arguments)
    except ApplicationError as refused:
        return refused.code
    return "ok"


PEOPLE = st.integers(min_value=0, max_value=2)
MONEY = st.decimals(min_value=0, max_value=5000, places=2)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    attester=PEOPLE,
    approver=PEOPLE,
    later_approver=st.none() | PEOPLE,
    concerns=st.none() | PEOPLE,
    amount=MONEY,
    attest_limit=MONEY,
    approve_limit=MONEY,
)
def test_approval_follows_the_two_person_rule_and_the_limits(
    invoicing, attester, approver, later_approver, concerns, amount, attest_limit, approve_limit
) -> None:
    """Whoever the cost centre names, and however it is changed after attestation, an invoice is
    approved only by someone other than its attester and the person it is for, within both limits."""
    municipality = invoicing.municipality
    people = [invoicing.attester, invoicing.approver, invoicing.admin]
    if attester == approver:
        approver = (attester + 1) % 3
    with contextlib.suppress(_Rollback), transaction.atomic():
        centre = services.cost_centre_save(
            actor=invoicing.admin,
            municipality=municipality,
            code="H",
            name="H",
            attester=people[attester],
            approver=people[approver],
            attest_limit=attest_limit,
            approve_limit=approve_limit,
        )
        invoice = Invoice.objects.create(
            municipality=municipality,
            document_type="invoice",
            state=InvoiceState.TO_ATTEST,
            channel="folder",
            received_at=timezone.now(),
            content=CONTENT,
            sha256="x",
            supplier_organisation_number="974760673",
            supplier_name="S",
            number="H-1",
            currency="NOK",
            tax_exclusive_amount=amount,
            payable_amount=amount,
            cost_centre=centre,
        )
        lines = [CodingLineInput(account="6800", cost_centre_code="H", vat_code="1", amount=amount)]
        services.invoice_code(
            actor=people[attester],
            municipality=municipality,
            invoice=invoice,
            lines=lines,
            concerns=None if concerns is None else people[concerns],
        )
        attest_ok = concerns != attester and amount <= attest_limit
        approve_ok = False
        outcome = _outcome(
            services.invoice_attest, actor=people[attester], municipality=municipality, invoice=invoice
        )
        assert outcome == "ok" if attest_ok else outcome in {"for_themselves", "over_limit"}
        if attest_ok:
            if later_approver is not None and later_approver != approver:  # the centre changes meanwhile
                other = next(i for i in range(3) if i != later_approver)
                services.cost_centre_save(
                    actor=invoicing.admin,
                    municipality=municipality,
                    code="H",
                    name="H",
                    attester=people[other],
                    approver=people[later_approver],
                    attest_limit=attest_limit,
                    approve_limit=approve_limit,
                )
                approver = later_approver
            approve_ok = approver != attester and concerns != approver and amount <= approve_limit
            outcome = _outcome(
                services.invoice_approve, actor=people[approver], municipality=municipality, invoice=invoice
            )
            assert (
                outcome == "ok"
                if approve_ok
                else outcome in {"two_person_rule", "for_themselves", "over_limit"}
            )
        invoice.refresh_from_db()
        assert (invoice.state == InvoiceState.APPROVED) == approve_ok
        assert invoice.approved_by is None or invoice.approved_by != invoice.attested_by
        raise _Rollback


CONTENT = b""


@pytest.fixture(autouse=True)
def _content(invoicing) -> None:
    global CONTENT
    CONTENT = ehf_bytes(invoicing.municipality)


def test_nobody_attests_or_approves_an_invoice_for_themselves_or_over_their_limit(invoicing) -> None:
    municipality = invoicing.municipality
    mine = received(invoicing)
    services.invoice_code(
        actor=invoicing.attester,
        municipality=municipality,
        invoice=mine,
        lines=coding_for(mine),
        concerns=invoicing.attester,
    )
    with pytest.raises(PermissionDeniedError) as own:
        services.invoice_attest(actor=invoicing.attester, municipality=municipality, invoice=mine)
    assert own.value.code == "for_themselves"
    theirs = received(invoicing)
    services.invoice_code(
        actor=invoicing.attester,
        municipality=municipality,
        invoice=theirs,
        lines=coding_for(theirs),
        concerns=invoicing.approver,
    )
    services.invoice_attest(actor=invoicing.attester, municipality=municipality, invoice=theirs)
    with pytest.raises(PermissionDeniedError) as own:
        services.invoice_approve(actor=invoicing.approver, municipality=municipality, invoice=theirs)
    assert own.value.code == "for_themselves"
    large = received(invoicing, lines=ehf.lines_of(2, unit_price=Decimal("90000")))
    services.invoice_code(
        actor=invoicing.attester, municipality=municipality, invoice=large, lines=coding_for(large)
    )
    with pytest.raises(PermissionDeniedError) as over:
        services.invoice_attest(actor=invoicing.attester, municipality=municipality, invoice=large)
    assert over.value.code == "over_limit"


def test_the_attester_made_approver_afterwards_still_cannot_approve(invoicing) -> None:
    invoice = attested(invoicing)
    services.cost_centre_save(
        actor=invoicing.admin,
        municipality=invoicing.municipality,
        code="1000",
        name="Sentraladministrasjonen",
        attester=invoicing.approver,
        approver=invoicing.attester,
        attest_limit=Decimal("100000"),
        approve_limit=Decimal("100000"),
    )
    with pytest.raises(PermissionDeniedError) as refused:
        services.invoice_approve(
            actor=invoicing.attester, municipality=invoicing.municipality, invoice=invoice
        )
    assert refused.value.code == "two_person_rule"
