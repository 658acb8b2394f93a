"""Background work of the invoices app: ``invoice_reminders_send``, scheduled (``conf.base``), an
e-mail to the attester or approver of each invoice whose due date is near (three days before, and
on the day). The reminder is marked in the same transaction as the send."""

from __future__ import annotations

import structlog
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from ekommune.invoices import selectors, services

logger = structlog.get_logger(__name__)


@task()
def invoice_reminders_send() -> int:
    """Send the reminders that are due; the number sent."""
    today = timezone.localdate()
    sent = 0
    for invoice_id in selectors.invoices_due_reminder(today=today, days=services.REMINDER_DAYS):
        try:
            with transaction.atomic():
                invoice = services.invoice_reminder_claim(invoice_id=invoice_id, today=today)
                if invoice is None:
                    continue
                person = selectors.reminder_recipient(invoice=invoice)
                if not person.email:
                    continue
                mailers.default.send_messages(
                    [
                        EmailMessage(
                            subject=f"Faktura {invoice.number} forfaller {invoice.due_date:%d.%m.%Y}",
                            body=(
                                f"Faktura {invoice.number} fra {invoice.supplier_name} venter på "
                                f"{invoice.get_state_display().lower()} og forfaller {invoice.due_date:%d.%m.%Y}.\n"
                            ),
                            to=[person.email],
                        )
                    ]
                )
        except OSError as exc:
            logger.error("invoice_reminder_failed", invoice=invoice_id, error=type(exc).__name__)
            continue
        sent += 1
    logger.info("invoice_reminders_sent", messages=sent)
    return sent
