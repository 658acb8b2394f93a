"""The invoices app's reads: the invoices a reminder may be due for, and whom it goes to."""

from __future__ import annotations

import datetime as dt

from ekommune.core.models import User
from ekommune.invoices.models import Invoice, InvoiceState


def invoices_due_reminder(*, today: dt.date, days: int) -> list[int]:
    """Invoices waiting for attestation or approval whose due date is at most ``days`` away."""
    return list(
        Invoice.objects.filter(
            state__in=[InvoiceState.TO_ATTEST, InvoiceState.TO_APPROVE],
            due_date__lte=today + dt.timedelta(days=days),
            reminders_sent__lt=2,
        ).values_list("pk", flat=True)
    )


def reminder_recipient(*, invoice: Invoice) -> User:
    """Whose turn it is: the attester before attestation, the approver after."""
    centre = invoice.cost_centre
    assert centre is not None
    return centre.attester if invoice.state == InvoiceState.TO_ATTEST else centre.approver
