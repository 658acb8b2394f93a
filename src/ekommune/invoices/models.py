"""E-invoices (EHF Billing 3.0): suppliers, cost centres, invoices with their findings, coding
lines and approval trail.

Invariants a row can hold are database constraints: one live invoice per supplier, number, issue
date and type (a rejected one does not block a corrected resend); attester and approver of a cost
centre are two people; an approved invoice was attested, by someone else; a disputed one has a
reason.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ekommune.core.models import TenantOwnedModel


class InvoiceSettings(TenantOwnedModel):
    """Per municipality: who registers approved invoices in the archive, in which series (by
    Noark systemID, decision 0036), and who handles invoices nobody could route."""

    intake_user = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("registreres i arkivet av")
    )
    series_system_id = models.UUIDField(_("arkivdel for fakturaer (systemID)"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality"], name="one_invoice_settings_per_municipality")
        ]


class Supplier(TenantOwnedModel):
    """A supplier (leverandør): the organisation number (checked with python-stdnum) and the
    name from its latest invoice."""

    organisation_number = models.CharField(_("organisasjonsnummer"), max_length=9)
    name = models.CharField(_("navn"), max_length=200)
    first_seen = models.DateTimeField(_("første faktura"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "organisation_number"], name="supplier_org_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(organisation_number__regex=r"^[0-9]{9}$"), name="supplier_org_number_digits"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation_number})"


class CostCentre(TenantOwnedModel):
    """A cost centre (ansvar): the invoices whose buyer reference (or order reference) is its
    code go to it; its attester checks and codes them, its approver approves (anviser), each up
    to a limit."""

    code = models.CharField(_("ansvarskode"), max_length=50)
    name = models.CharField(_("navn"), max_length=200)
    attester = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("attestant")
    )
    approver = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("anviser")
    )
    attest_limit = models.DecimalField(_("beløpsgrense for attestasjon"), max_digits=14, decimal_places=2)
    approve_limit = models.DecimalField(_("beløpsgrense for anvisning"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="cost_centre_code_unique"),
            models.CheckConstraint(
                condition=~Q(attester=F("approver")), name="cost_centre_attester_is_not_approver"
            ),
            models.CheckConstraint(
                condition=Q(attest_limit__gte=0) & Q(approve_limit__gte=0), name="cost_centre_limits_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class InvoiceState(models.TextChoices):
    REJECTED = "rejected", _("Avvist")
    UNROUTED = "unrouted", _("Ikke fordelt")
    TO_ATTEST = "to_attest", _("Til attestasjon")
    TO_APPROVE = "to_approve", _("Til anvisning")
    DISPUTED = "disputed", _("Bestridt")
    APPROVED = "approved", _("Anvist")
    EXPORTED = "exported", _("Overført til regnskap")


class DocumentType(models.TextChoices):
    INVOICE = "invoice", _("Faktura")
    CREDIT_NOTE = "credit_note", _("Kreditnota")


class Channel(models.TextChoices):
    ACCESS_POINT = "access_point", _("Aksesspunkt")
    FOLDER = "folder", _("Mappe")
    UPLOAD = "upload", _("Opplasting")


class Invoice(TenantOwnedModel):
    """An invoice or credit note as received (inngående faktura): the document itself, what the
    platform read from it, the validation findings, and its way through approval."""

    document_type = models.CharField(_("type"), max_length=20, choices=DocumentType.choices)
    state = models.CharField(_("status"), max_length=20, choices=InvoiceState.choices)
    channel = models.CharField(_("mottatt via"), max_length=20, choices=Channel.choices)
    received_at = models.DateTimeField(_("mottatt"))
    content = models.BinaryField(_("EHF-dokument"))
    sha256 = models.CharField(max_length=64)
    xsd_checked = models.BooleanField(_("kontrollert mot XSD"), default=False)
    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, null=True, blank=True, related_name="invoices"
    )
    supplier_organisation_number = models.CharField(_("leverandørens organisasjonsnummer"), max_length=50)
    supplier_name = models.CharField(_("leverandør"), max_length=200)
    number = models.CharField(_("fakturanummer"), max_length=200)
    issue_date = models.DateField(_("fakturadato"), null=True, blank=True)
    due_date = models.DateField(_("forfallsdato"), null=True, blank=True)
    currency = models.CharField(_("valuta"), max_length=3)
    tax_exclusive_amount = models.DecimalField(
        _("beløp eksklusive mva"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    payable_amount = models.DecimalField(
        _("å betale"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    buyer_reference = models.CharField(_("kjøpers referanse"), max_length=200, blank=True)
    order_reference = models.CharField(_("ordrereferanse"), max_length=200, blank=True)
    billing_reference = models.CharField(_("gjelder faktura"), max_length=200, blank=True)
    line_count = models.PositiveIntegerField(_("antall linjer"), default=0)
    cost_centre = models.ForeignKey(
        CostCentre, on_delete=models.PROTECT, null=True, blank=True, related_name="invoices"
    )
    concerns = models.ForeignKey(
        "core.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gjelder ansatt"),
    )
    attested_by = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    attested_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    hold_state = models.CharField(max_length=20, blank=True)  # where a disputed invoice goes back to
    dispute_reason = models.TextField(_("begrunnelse for bestridelse"), blank=True)
    credited_invoice = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="credit_notes"
    )
    archive_entry_system_id = models.UUIDField(_("journalpost (systemID)"), null=True, blank=True)
    exported_at = models.DateTimeField(_("overført"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "municipality",
                    "supplier_organisation_number",
                    "number",
                    "issue_date",
                    "document_type",
                ],
                condition=~Q(state="rejected"),
                name="invoice_not_twice",
            ),
            models.CheckConstraint(condition=Q(state__in=InvoiceState.values), name="invoice_state_known"),
            models.CheckConstraint(
                condition=Q(document_type__in=DocumentType.values), name="invoice_document_type_known"
            ),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="invoice_channel_known"),
            models.CheckConstraint(
                condition=Q(state__in=["rejected", "unrouted"]) | Q(cost_centre__isnull=False),
                name="invoice_routed_has_cost_centre",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["approved", "exported"])
                | (
                    Q(attested_by__isnull=False)
                    & Q(approved_by__isnull=False)
                    & ~Q(attested_by=F("approved_by"))
                ),
                name="invoice_approved_by_two_people",
            ),
            models.CheckConstraint(
                condition=~Q(state="disputed") | ~Q(dispute_reason=""), name="invoice_dispute_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(state="exported") | Q(exported_at__isnull=False),
                name="invoice_exported_has_time",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "state"], name="invoice_by_state")]

    def __str__(self) -> str:
        return f"{self.get_document_type_display()} {self.number} fra {self.supplier_name}"


class Finding(models.Model):
    """One broken rule of the validation, stored with the invoice."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="findings")
    rule_id = models.CharField(_("regel"), max_length=100)
    flag = models.CharField(_("alvorlighet"), max_length=10)
    message = models.TextField(_("melding"))
    location = models.TextField(_("sted"), blank=True)
    source = models.CharField(_("regelsett"), max_length=10)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(flag__in=["fatal", "warning"]), name="finding_flag_known")
        ]

    def __str__(self) -> str:
        return f"{self.flag} {self.rule_id}"


class CodingLine(models.Model):
    """A coding line (kontering): account, cost centre, project, VAT code and amount."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="coding_lines")
    account = models.CharField(_("konto"), max_length=20)
    cost_centre_code = models.CharField(_("ansvar"), max_length=50)
    project = models.CharField(_("prosjekt"), max_length=50, blank=True)
    vat_code = models.CharField(_("mva-kode"), max_length=10)
    amount = models.DecimalField(_("beløp"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(account="") & ~Q(vat_code=""), name="coding_line_complete")
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.cost_centre_code} {self.amount}"


class InvoiceResponse(models.Model):
    """The answer to the sender at the message level of PEPPOL's Invoice Response: RE (rejected)
    with the fatal rules as reasons, or AB (accepted for processing); kept as a record."""

    invoice = models.OneToOneField(Invoice, on_delete=models.CASCADE, related_name="response")
    status_code = models.CharField(max_length=2)
    reasons = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(status_code__in=["AB", "RE"]), name="response_status_known")
        ]

    def __str__(self) -> str:
        return self.status_code


class InvoiceStep(models.Model):
    """One step of an invoice's way (the approval trail archived with it); the audit log has it too."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(max_length=40)
    actor_name = models.CharField(max_length=200)
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.actor_name}"
