"""Background work of the security app (Django's tasks framework, run by ``ekommune db_worker``).

- ``breach_reminders_send``: scheduled (``conf.base``, every 15 minutes); for every undecided
  personal-data breach whose 24- or 48-hour mark has passed, an e-mail to its owner and the privacy
  officer. The reminder is marked sent in the same transaction as the send, so a failing mail
  server leaves it to the next run (logged as ``security_reminder_failed``).
- ``review_reminders_send``: scheduled daily; for every approved risk assessment whose yearly
  review is a month away, and again when it is due, an e-mail to its owner and the privacy
  officer, marked sent in the same transaction as the send.
"""

from __future__ import annotations

import structlog
from django.core.mail import mailers
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from ekommune.core.mail import templated_message
from ekommune.security import selectors, services

logger = structlog.get_logger(__name__)


@task()
def breach_reminders_send() -> int:
    """Send the reminders that are due; the number sent."""
    sent = 0
    for deviation_id, stage in selectors.breaches_due_reminder():
        try:
            with transaction.atomic():
                deviation = services.breach_reminder_claim(deviation_id=deviation_id, stage=stage)
                if deviation is None:
                    continue
                clock = selectors.breach_clock(deviation=deviation)
                message = templated_message(
                    template="security/email/breach_reminder.txt",
                    context={
                        "deviation": deviation,
                        "clock": clock,
                        "hours": 24 * stage,
                        "deadline": timezone.localtime(clock.deadline) if clock else None,
                        "link": selectors.site_url(municipality=deviation.municipality)
                        + selectors.path("staff-deviation", deviation.pk),
                    },
                    to=selectors.reminder_recipients(deviation=deviation),
                )
                mailers.default.send_messages([message])
        except OSError as exc:
            logger.error("security_reminder_failed", deviation=deviation_id, error=type(exc).__name__)
            continue
        sent += 1
    logger.info("security_reminders_sent", messages=sent)
    return sent


@task()
def review_reminders_send() -> int:
    """Send the yearly-review reminders of risk assessments that are due; the number sent."""
    sent = 0
    for assessment_id, stage in selectors.reviews_due_reminder():
        try:
            with transaction.atomic():
                assessment = services.review_reminder_claim(assessment_id=assessment_id, stage=stage)
                if assessment is None:
                    continue
                message = templated_message(
                    template="security/email/review_reminder.txt",
                    context={
                        "assessment": assessment,
                        "overdue": stage == 2,
                        "link": selectors.site_url(municipality=assessment.municipality)
                        + selectors.path("staff-ros", assessment.pk),
                    },
                    to=selectors.review_recipients(assessment=assessment),
                )
                mailers.default.send_messages([message])
        except OSError as exc:
            logger.error("security_review_reminder_failed", ros=assessment_id, error=type(exc).__name__)
            continue
        sent += 1
    logger.info("security_review_reminders_sent", messages=sent)
    return sent
