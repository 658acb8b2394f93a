"""Every write of the invoices app: keyword-only, typed, one transaction each, permission first.

Reception: whatever the route (access point, watched folder, staff upload), an EHF document goes
through ``invoice_receive``: it is read, its receiver is the municipality whose organisation
number is the buyer's EndpointID (scheme 0192), it is validated with the official rules, a
duplicate is refused, and it is stored with its findings and the answer to the sender (rejected
when a rule is fatal). A valid one is routed by buyer reference (else order reference) to a cost
centre. Approval: the attester codes and attests, the approver approves (anviser), each up to the
cost centre's limit, never the same person, never for themselves; a dispute puts it on hold. An
approved invoice is registered in the archive as an incoming entry in the same transaction, and
export writes the approved ones to a posting file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import structlog
from django.db import IntegrityError, transaction
from django.utils import timezone
from stdnum.no import orgnr

from ekommune.archive import selectors as archive_selectors
from ekommune.archive import services as archive_services
from ekommune.core import selectors as core_selectors
from ekommune.core import services as core_services
from ekommune.core.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from ekommune.core.models import Municipality, User
from ekommune.core.permissions import Permission
from ekommune.core.services import Actor
from ekommune.invoices import ehf, export, validation
from ekommune.invoices.models import (
    Channel,
    CodingLine,
    CostCentre,
    DocumentType,
    Finding,
    Invoice,
    InvoiceResponse,
    InvoiceSettings,
    InvoiceState,
    InvoiceStep,
    Supplier,
)
from ekommune.invoices.pdf import invoice_pdf
from ekommune.invoices.types import CodingLineInput

logger = structlog.get_logger(__name__)

INVOICE_CLASS = "050"  # preferred class of the municipal arkivnøkkel for the invoice cases
OPEN_STATES = (InvoiceState.UNROUTED, InvoiceState.TO_ATTEST, InvoiceState.TO_APPROVE)


def _manage(actor: Actor, municipality: Municipality) -> None:
    core_services.permission_require(
        actor=actor, municipality=municipality, permission=Permission.INVOICES_MANAGE
    )


def _staff(municipality: Municipality, user: User, *, field: str) -> None:
    if not core_selectors.staff_roles(user=user, municipality=municipality):
        raise ValidationError("Personen er ikke ansatt i kommunen.", code="not_staff", field=field)


def _step(
    invoice: Invoice, *, actor: Actor, action: str, note: str = "", actor_label: str | None = None
) -> None:
    """The step on the invoice's trail and in the municipality's audit chain, in one go."""
    name = actor_label if actor_label is not None else core_services.actor_display_name(actor)
    InvoiceStep.objects.create(invoice=invoice, action=action, actor_name=name, at=timezone.now(), note=note)
    core_services.audit_event_record(
        actor=actor,
        actor_label=actor_label,
        municipality=invoice.municipality,
        action=f"invoices.{action}",
        object_type="faktura",
        object_id=invoice.pk,
        detail={
            "faktura": invoice.number,
            "leverandør": invoice.supplier_organisation_number,
            "status": invoice.state,
        },
    )


# ------------------------------------------------------------------ settings and cost centres


def invoice_settings_set(*, actor: Actor, municipality: Municipality, intake_user: User) -> InvoiceSettings:
    """Who registers the approved invoices in the archive (needs archive.register)."""
    _manage(actor, municipality)
    if not core_services.permission_has(
        actor=intake_user, municipality=municipality, permission=Permission.ARCHIVE_REGISTER
    ):
        raise ValidationError(
            "Brukeren kan ikke journalføre i denne kommunen.",
            code="intake_user_cannot_register",
            field="intake_user",
        )
    with transaction.atomic():
        row, _ = InvoiceSettings.objects.select_for_update().get_or_create(
            municipality=municipality, defaults={"intake_user": intake_user}
        )
        row.intake_user = intake_user
        row.save()
        core_services.audit_event_record(
            actor=actor,
            municipality=municipality,
            action="invoices.settings_set",
            object_type="fakturainnstillinger",
            object_id=row.pk,
            detail={"intake_user": intake_user.get_username()},
        )
    return row


def cost_centre_save(
    *,
    actor: Actor,
    municipality: Municipality,
    code: str,
    name: str,
    attester: User,
    approver: User,
    attest_limit: Decimal,
    approve_limit: Decimal,
) -> CostCentre:
    """Create or change the cost centre (ansvar) ``code``: its attester, approver and limits."""
    _manage(actor, municipality)
    code, name = code.strip(), name.strip()
    if not code:
        raise ValidationError("Feltet må fylles ut.", code="required", field="code")
    if not name:
        raise ValidationError("Feltet må fylles ut.", code="required", field="name")
    _staff(municipality, attester, field="attester")
    _staff(municipality, approver, field="approver")
    if attester == approver:
        raise ValidationError(
            "Attestant og anviser må være to forskjellige personer.", code="two_person_rule", field="approver"
        )
    for field, limit in (("attest_limit", attest_limit), ("approve_limit", approve_limit)):
        if limit < 0:
            raise ValidationError("Beløpsgrensen kan ikke være negativ.", code="negative_limit", field=field)
    with transaction.atomic():
        centre, created = CostCentre.objects.update_or_create(
            municipality=municipality,
            code=code,
            defaults={
                "name": name,
                "attester": attester,
                "approver": approver,
                "attest_limit": attest_limit,
                "approve_limit": approve_limit,
            },
        )
        core_services.audit_event_record(
            actor=actor,
            municipality=municipality,
            action="invoices.cost_centre_save",
            object_type="ansvar",
            object_id=centre.pk,
            detail={
                "ansvar": code,
                "ny": created,
                "attestant": attester.get_username(),
                "anviser": approver.get_username(),
                "attestasjonsgrense": str(attest_limit),
                "anvisningsgrense": str(approve_limit),
            },
        )
    return centre


# ------------------------------------------------------------------ reception


def _receiver(facts: ehf.InvoiceFacts) -> Municipality:
    if facts.buyer_endpoint_scheme == ehf.ORGANISATION_SCHEME:
        municipality = core_selectors.municipality_by_organisation_number(
            organisation_number=facts.buyer_endpoint
        )
        if municipality is not None:
            return municipality
    logger.warning(
        "invoice_refused_unknown_receiver",
        scheme=facts.buyer_endpoint_scheme,
        endpoint=facts.buyer_endpoint,
        supplier=facts.supplier_organisation_number,
        number=facts.number,
    )
    core_services.audit_event_record(
        actor=None,
        actor_label="fakturamottak",
        municipality=None,
        action="invoices.refused_unknown_receiver",
        object_type="faktura",
        detail={
            "mottaker": f"{facts.buyer_endpoint_scheme}:{facts.buyer_endpoint}",
            "leverandør": facts.supplier_organisation_number,
            "faktura": facts.number,
        },
    )
    raise NotFoundError(
        f"Mottakeren {facts.buyer_endpoint_scheme}:{facts.buyer_endpoint} er ingen kommune på denne "
        "installasjonen (kjøpers EndpointID med schemeID 0192 må være kommunens organisasjonsnummer).",
        code="unknown_receiver",
    )


def _supplier(municipality: Municipality, facts: ehf.InvoiceFacts) -> Supplier | None:
    """The supplier register's row for a valid organisation number, its name the latest invoice's."""
    number = facts.supplier_organisation_number
    if not orgnr.is_valid(number):
        return None
    number = orgnr.compact(number)
    supplier, created = Supplier.objects.get_or_create(
        municipality=municipality,
        organisation_number=number,
        defaults={"name": facts.supplier_name[:200] or number},
    )
    if not created and facts.supplier_name and supplier.name != facts.supplier_name[:200]:
        supplier.name = facts.supplier_name[:200]
        supplier.save(update_fields=["name"])
    return supplier


def _route(municipality: Municipality, facts: ehf.InvoiceFacts) -> CostCentre | None:
    for reference in (facts.buyer_reference, facts.order_reference):
        if reference:
            centre = CostCentre.objects.filter(municipality=municipality, code=reference).first()
            if centre is not None:
                return centre
    return None


def _credited(municipality: Municipality, facts: ehf.InvoiceFacts) -> Invoice | None:
    if facts.document_type != DocumentType.CREDIT_NOTE or not facts.billing_reference:
        return None
    return (
        Invoice.objects.filter(
            municipality=municipality,
            document_type=DocumentType.INVOICE,
            supplier_organisation_number=facts.supplier_organisation_number,
            number=facts.billing_reference,
        )
        .exclude(state=InvoiceState.REJECTED)
        .first()
    )


def _duplicate_refused(municipality: Municipality, facts: ehf.InvoiceFacts) -> ConflictError:
    logger.warning(
        "invoice_refused_duplicate",
        municipality=municipality.slug,
        supplier=facts.supplier_organisation_number,
        number=facts.number,
    )
    core_services.audit_event_record(
        actor=None,
        actor_label="fakturamottak",
        municipality=municipality,
        action="invoices.refused_duplicate",
        object_type="faktura",
        detail={"faktura": facts.number, "leverandør": facts.supplier_organisation_number},
    )
    return ConflictError(
        f"Faktura {facts.number} fra {facts.supplier_organisation_number} datert {facts.issue_date} er "
        "allerede mottatt; duplikatet er avvist og originalen beholdt.",
        code="duplicate",
    )


def _already_received(municipality: Municipality, facts: ehf.InvoiceFacts) -> bool:
    """A live (not rejected) invoice of the same supplier, number, issue date and type exists."""
    return (
        Invoice.objects.filter(
            municipality=municipality,
            supplier_organisation_number=facts.supplier_organisation_number[:50],
            number=facts.number[:200],
            issue_date=facts.issue_date,
            document_type=facts.document_type,
        )
        .exclude(state=InvoiceState.REJECTED)
        .exists()
    )


def invoice_receive(
    *, content: bytes, channel: str, actor: Actor = None, actor_label: str | None = None
) -> Invoice:
    """Receive one EHF document from any route. Refused (nothing stored, the refusal logged):
    not an invoice, an unknown receiver, a duplicate. Stored as rejected, with the findings and
    an Invoice Response RE: a document that breaks a fatal rule. Else stored, answered AB, and
    routed when a cost centre matches."""
    if channel not in Channel.values:
        raise ValidationError("Ukjent mottakskanal.", code="unknown_channel", field="channel")
    try:
        root = ehf.parse(content)
        facts = ehf.facts(root)
    except ehf.NotAnInvoiceError as error:
        logger.warning("invoice_refused_unreadable", channel=channel, reason=str(error)[:200])
        raise ValidationError(str(error), code="not_an_invoice") from error
    municipality = _receiver(facts)
    if channel == Channel.UPLOAD:
        _manage(actor, municipality)
    report = validation.validate_root(root, content)
    if not report.fatal and _already_received(municipality, facts):
        raise _duplicate_refused(municipality, facts)
    centre = None if report.fatal else _route(municipality, facts)
    state = (
        InvoiceState.REJECTED if report.fatal else InvoiceState.TO_ATTEST if centre else InvoiceState.UNROUTED
    )
    label = actor_label if actor_label is not None else (None if actor else f"fakturamottak ({channel})")
    try:
        with transaction.atomic():
            invoice = Invoice.objects.create(
                municipality=municipality,
                document_type=facts.document_type,
                state=state,
                channel=channel,
                received_at=timezone.now(),
                content=content,
                sha256=hashlib.sha256(content).hexdigest(),
                xsd_checked=report.xsd_checked,
                supplier=_supplier(municipality, facts),
                supplier_organisation_number=facts.supplier_organisation_number[:50],
                supplier_name=facts.supplier_name[:200],
                number=facts.number[:200],
                issue_date=facts.issue_date,
                due_date=facts.due_date,
                currency=facts.currency[:3],
                tax_exclusive_amount=facts.tax_exclusive_amount,
                payable_amount=facts.payable_amount,
                buyer_reference=facts.buyer_reference[:200],
                order_reference=facts.order_reference[:200],
                billing_reference=facts.billing_reference[:200],
                line_count=facts.line_count,
                cost_centre=centre,
                credited_invoice=None if report.fatal else _credited(municipality, facts),
            )
            Finding.objects.bulk_create(
                Finding(
                    invoice=invoice,
                    rule_id=finding.rule_id[:100],
                    flag=finding.flag,
                    message=finding.message,
                    location=finding.location,
                    source=finding.source,
                )
                for finding in report.findings
            )
            InvoiceResponse.objects.create(
                invoice=invoice,
                status_code="RE" if report.fatal else "AB",
                reasons=[{"rule": finding.rule_id, "message": finding.message} for finding in report.errors],
            )
            _step(
                invoice, actor=actor, actor_label=label, action="receive", note=f"{len(report.findings)} funn"
            )
            if centre is not None:
                _step(invoice, actor=actor, actor_label=label, action="route", note=centre.code)
    except IntegrityError as error:  # the same invoice, received at the same moment by another route
        raise _duplicate_refused(municipality, facts) from error
    logger.info(
        "invoice_received",
        municipality=municipality.slug,
        invoice=invoice.pk,
        state=state,
        findings=len(report.findings),
    )
    return invoice


# ------------------------------------------------------------------ approval


def _locked(municipality: Municipality, invoice: Invoice, *states: str) -> Invoice:
    row = core_services.tenant_row_lock(Invoice, pk=invoice.pk, municipality=municipality)
    if row.state not in states:
        raise ConflictError(
            f"Fakturaen er «{row.get_state_display()}» og kan ikke behandles slik nå.", code="invalid_state"
        )
    return row


def _assigned(row: Invoice, actor: Actor, role: str) -> User:
    centre = row.cost_centre
    assert centre is not None  # a routed invoice has one (a database constraint)
    person = centre.attester if role == "attester" else centre.approver
    if not isinstance(actor, User) or actor.pk != person.pk:
        raise PermissionDeniedError(
            f"Bare {'attestanten' if role == 'attester' else 'anviseren'} for ansvar {centre.code} kan gjøre dette.",
            code=f"not_{role}",
        )
    return actor


def invoice_route(
    *, actor: Actor, municipality: Municipality, invoice: Invoice, cost_centre: CostCentre
) -> Invoice:
    """Send the invoice (again) to a cost centre: its attestation starts over."""
    _manage(actor, municipality)
    core_services.tenant_object_check(cost_centre, municipality=municipality, field="cost_centre")
    with transaction.atomic():
        row = _locked(municipality, invoice, *OPEN_STATES)
        row.cost_centre = cost_centre
        row.state = InvoiceState.TO_ATTEST
        row.attested_by, row.attested_at = None, None
        row.save()
        _step(row, actor=actor, action="route", note=cost_centre.code)
    return row


def invoice_code(
    *,
    actor: Actor,
    municipality: Municipality,
    invoice: Invoice,
    lines: Sequence[CodingLineInput],
    concerns: User | None = None,
) -> Invoice:
    """The attester's coding lines (replacing any before), which must add up to the amount
    excluding VAT; ``concerns`` is the member of staff the invoice is for, if any."""
    with transaction.atomic():
        row = _locked(municipality, invoice, InvoiceState.TO_ATTEST)
        _assigned(row, actor, "attester")
        if not lines:
            raise ValidationError(
                "Fakturaen må ha minst én konteringslinje.", code="no_coding", field="lines"
            )
        for line in lines:
            if not line.account.strip() or not line.vat_code.strip() or not line.cost_centre_code.strip():
                raise ValidationError(
                    "Konto, ansvar og mva-kode må fylles ut på hver linje.",
                    code="coding_incomplete",
                    field="lines",
                )
        total = sum((line.amount for line in lines), Decimal("0"))
        if total != row.tax_exclusive_amount:
            raise ValidationError(
                f"Konteringen er {total:.2f}, men fakturaen er {row.tax_exclusive_amount:.2f} eksklusive mva.",
                code="coding_sum",
                field="lines",
            )
        if concerns is not None:
            _staff(municipality, concerns, field="concerns")
        row.coding_lines.all().delete()
        CodingLine.objects.bulk_create(
            CodingLine(
                invoice=row,
                account=line.account.strip(),
                cost_centre_code=line.cost_centre_code.strip(),
                project=line.project.strip(),
                vat_code=line.vat_code.strip(),
                amount=line.amount,
            )
            for line in lines
        )
        row.concerns = concerns
        row.save()
        _step(row, actor=actor, action="code", note=f"{len(lines)} linjer")
    return row


def _limit(amount: Decimal | None, limit: Decimal, role: str) -> None:
    if amount is None or abs(amount) > limit:
        raise PermissionDeniedError(
            f"Beløpet {amount} er over {role}s beløpsgrense ({limit}).", code="over_limit"
        )


def invoice_attest(*, actor: Actor, municipality: Municipality, invoice: Invoice) -> Invoice:
    """The attester confirms the invoice is right (delivered, agreed price) and coded."""
    with transaction.atomic():
        row = _locked(municipality, invoice, InvoiceState.TO_ATTEST)
        user = _assigned(row, actor, "attester")
        if row.concerns_id == user.pk:
            raise PermissionDeniedError(
                "Ingen kan attestere en faktura som gjelder dem selv.", code="for_themselves"
            )
        assert row.cost_centre is not None
        _limit(row.payable_amount, row.cost_centre.attest_limit, "attestantens")
        if not row.coding_lines.exists():
            raise ConflictError("Fakturaen må konteres før den attesteres.", code="not_coded")
        row.state = InvoiceState.TO_APPROVE
        row.attested_by, row.attested_at = user, timezone.now()
        row.save()
        _step(row, actor=actor, action="attest")
    return row


def invoice_approve(*, actor: Actor, municipality: Municipality, invoice: Invoice) -> Invoice:
    """The approver approves (anviser) the attested invoice: never one they attested or one for
    themselves, never over their limit. The approved invoice is archived in the same transaction."""
    with transaction.atomic():
        row = _locked(municipality, invoice, InvoiceState.TO_APPROVE)
        user = _assigned(row, actor, "approver")
        if row.attested_by_id == user.pk:
            raise PermissionDeniedError(
                "Ingen kan anvise en faktura de selv har attestert (to-personsregelen).",
                code="two_person_rule",
            )
        if row.concerns_id == user.pk:
            raise PermissionDeniedError(
                "Ingen kan anvise en faktura som gjelder dem selv.", code="for_themselves"
            )
        assert row.cost_centre is not None
        _limit(row.payable_amount, row.cost_centre.approve_limit, "anviserens")
        row.state = InvoiceState.APPROVED
        row.approved_by, row.approved_at = user, timezone.now()
        row.save()
        _step(row, actor=actor, action="approve")
        _archive(row)
    return row


def _may_handle(actor: Actor, municipality: Municipality, row: Invoice) -> None:
    centre = row.cost_centre
    if (
        isinstance(actor, User)
        and centre is not None
        and actor.pk in (centre.attester_id, centre.approver_id)
    ):
        return
    _manage(actor, municipality)


def invoice_dispute(*, actor: Actor, municipality: Municipality, invoice: Invoice, reason: str) -> Invoice:
    """Put the invoice on hold (bestridt) with a reason; the deadline no longer runs for it."""
    if not reason.strip():
        raise ValidationError("Skriv hvorfor fakturaen bestrides.", code="required", field="reason")
    with transaction.atomic():
        row = _locked(municipality, invoice, *OPEN_STATES)
        _may_handle(actor, municipality, row)
        row.hold_state, row.state, row.dispute_reason = row.state, InvoiceState.DISPUTED, reason.strip()
        row.save()
        _step(row, actor=actor, action="dispute", note=row.dispute_reason)
    return row


def invoice_dispute_resolve(
    *, actor: Actor, municipality: Municipality, invoice: Invoice, note: str = ""
) -> Invoice:
    """The dispute is settled: the invoice goes back to where it was."""
    with transaction.atomic():
        row = _locked(municipality, invoice, InvoiceState.DISPUTED)
        _may_handle(actor, municipality, row)
        row.state, row.hold_state = row.hold_state, ""
        row.save()
        _step(row, actor=actor, action="dispute_resolve", note=note.strip())
    return row


# ------------------------------------------------------------------ archive and export


def _trail(invoice: Invoice) -> list[str]:
    return [
        f"{timezone.localtime(step.at):%d.%m.%Y %H:%M} {step.action}: {step.actor_name}"
        + (f" ({step.note})" if step.note else "")
        for step in invoice.steps.all()
    ]


def _report_text(invoice: Invoice) -> str:
    lines = [
        f"Valideringsrapport for {invoice.number} (EHF Billing 3.0 / PEPPOL BIS Billing 3.0)",
        "UBL 2.1 XSD: " + ("kontrollert" if invoice.xsd_checked else "ikke tilgjengelig, ikke kontrollert"),
        "Schematron: CEN EN 16931 og OpenPEPPOL (med NO-R)",
        "",
    ]
    lines += [
        f"{finding.flag} {finding.rule_id} [{finding.source}] {finding.message} ({finding.location})"
        for finding in invoice.findings.all()
    ] or ["Ingen funn."]
    return "\n".join(lines) + "\n"


def _archive(invoice: Invoice) -> None:
    """The approved invoice as an incoming entry (journalpost I) in a case of its own in the
    invoice series, the supplier as sender: the PDF/A rendering (main document), the EHF XML,
    its attachments, the validation report and the approval trail."""
    municipality = invoice.municipality
    settings_row = (
        InvoiceSettings.objects.filter(municipality=municipality).select_related("intake_user").first()
    )
    if settings_row is None:
        raise ConflictError(
            "Kommunen har ikke valgt hvem som arkiverer fakturaer (fakturainnstillinger).",
            code="invoices_not_set_up",
        )
    intake = settings_row.intake_user
    series = archive_selectors.series_current(actor=intake, municipality=municipality)
    if series is None:
        raise ConflictError("Kommunen har ingen åpen arkivdel å arkivere fakturaer i.", code="no_open_series")
    content = bytes(invoice.content)
    facts = ehf.facts(ehf.parse(content))
    trail = _trail(invoice)
    kind = invoice.get_document_type_display()
    documents = [
        archive_services.DocumentInput(
            title=f"{kind} {invoice.number}",
            file_name=f"{kind.lower()}-{invoice.pk}.pdf",
            document_type="F",
            content=io.BytesIO(
                invoice_pdf(
                    municipality_name=municipality.name, facts=facts, created_at=timezone.now(), trail=trail
                )
            ),
        ),
        archive_services.DocumentInput(
            title=f"EHF-dokument {invoice.number}",
            file_name=f"ehf-{invoice.pk}.xml",
            content=io.BytesIO(content),
            document_type="F",
        ),
    ]
    documents += [
        archive_services.DocumentInput(
            title=f"Vedlegg {attachment.file_name}"[:200],
            file_name=attachment.file_name,
            content=io.BytesIO(attachment.content),
            document_type="F",
        )
        for attachment in facts.attachments
    ]
    documents += [
        archive_services.DocumentInput.of_text("Valideringsrapport", _report_text(invoice)),
        archive_services.DocumentInput.of_text("Attestasjon og anvisning", "\n".join(trail) + "\n"),
    ]
    title = f"{kind} {invoice.number} fra {invoice.supplier_name}"
    entry = archive_services.registry_entry_register(
        actor=intake,
        municipality=municipality,
        case_file=archive_services.NewCaseFile(
            series=series,
            title=title,
            administrative_unit="Økonomi",
            case_responsible=intake.get_full_name() or intake.get_username(),
            primary_class=archive_selectors.series_class_for_new_case(
                municipality=municipality, series=series, preferred_class_id=INVOICE_CLASS
            ),
        ),
        entry_type="I",
        title=title,
        document_date=invoice.issue_date,
        parties=[
            archive_services.PartyInput(
                party_type="EA",
                kind="unit",
                name=invoice.supplier_name or invoice.supplier_organisation_number,
                organisation_number=invoice.supplier.organisation_number if invoice.supplier else "",
            )
        ],
        documents=documents,
    )
    invoice.archive_entry_system_id = entry.system_id
    invoice.save(update_fields=["archive_entry_system_id"])
    _step(invoice, actor=intake, action="archive", note=str(entry.system_id))


@dataclass(frozen=True)
class PostingFile:
    """A posting file for the accounting system: its name, type and content."""

    file_name: str
    media_type: str
    content: bytes
    count: int


def invoices_export(*, actor: Actor, municipality: Municipality, exporter: str = "csv") -> PostingFile:
    """Every approved voucher not yet exported, in one posting file of ``exporter`` (a plugin of
    ``ekommune.invoices.export``); the vouchers are marked exported in the same transaction."""
    _manage(actor, municipality)
    plugin = export.exporter(exporter)
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            Invoice.objects.select_for_update()
            .filter(municipality=municipality, state=InvoiceState.APPROVED)
            .order_by("pk")
        )
        vouchers = [export.voucher_of(row) for row in rows]
        content = plugin.render(vouchers)
        Invoice.objects.filter(pk__in=[row.pk for row in rows]).update(
            state=InvoiceState.EXPORTED, exported_at=now
        )
        for row in rows:
            row.state = InvoiceState.EXPORTED
            _step(row, actor=actor, action="export", note=plugin.name)
    return PostingFile(
        file_name=f"bilag-{municipality.slug}-{timezone.localtime(now):%Y%m%d-%H%M%S}.{plugin.file_extension}",
        media_type=plugin.media_type,
        content=content,
        count=len(rows),
    )


# ------------------------------------------------------------------ deadlines

REMINDER_DAYS = 3


def invoice_reminder_claim(*, invoice_id: int, today: dt.date) -> Invoice | None:
    """Mark the next reminder of an invoice awaiting attestation or approval as sent (three days
    before the due date, then on it); None when none is due (another run took it)."""
    row = (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("cost_centre__attester", "cost_centre__approver")
        .filter(pk=invoice_id, state__in=[InvoiceState.TO_ATTEST, InvoiceState.TO_APPROVE])
        .first()
    )
    if row is None or row.due_date is None:
        return None
    marks = [row.due_date - dt.timedelta(days=REMINDER_DAYS), row.due_date]
    if row.reminders_sent >= len(marks) or today < marks[row.reminders_sent]:
        return None
    row.reminders_sent += 1
    row.save(update_fields=["reminders_sent"])
    _step(row, actor=None, actor_label="påminnelse", action="reminder", note=str(row.reminders_sent))
    return row
