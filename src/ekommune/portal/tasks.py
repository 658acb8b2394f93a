"""All background work of the portal (Django's tasks framework, run by ``ekommune db_worker``).

Today: the e-mail notices to citizens, enqueued by the services when their transaction commits
(docs/decisions/0120-tasks-beside-the-services.md). The messages never carry the content of a
submission or a letter, only that something arrived and where to read it (Min side): e-mail is
not a safe channel for personal data.
"""

from __future__ import annotations

import structlog
from django.core.mail import send_mail
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from ekommune.portal.models import MailboxMessage, Submission
from ekommune.portal.selectors import notice_address

logger = structlog.get_logger(__name__)


@task()
def submission_receipt_send(submission_id: int) -> bool:
    """The receipt e-mail: the case number and where to follow the case."""
    submission = (
        Submission.objects.select_related("service", "citizen", "municipality")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None:
        return False
    address = notice_address(
        municipality_id=submission.municipality_id,
        citizen_id=submission.citizen_id,
        fallback=submission.contact_email or submission.citizen.email,
    )
    if not address:
        return False
    municipality = submission.municipality
    subject = _("Kvittering: %(service)s (sak %(case)s)") % {
        "service": submission.service.title,
        "case": submission.case_number,
    }
    body = _(
        "Hei!\n\n%(municipality)s har mottatt innsendingen din «%(service)s» %(time)s.\n"
        "Saksnummeret er %(case)s. Du kan følge saken på Min side.\n\nMed hilsen\n%(municipality)s\n"
    ) % {
        "municipality": municipality.name,
        "service": submission.service.title,
        "time": timezone.localtime(submission.submitted_at).strftime("%d.%m.%Y %H:%M"),
        "case": submission.case_number,
    }
    send_mail(subject, body, None, [address])
    logger.info("portal_receipt_sent", submission=str(submission.system_id))
    return True


@task()
def mailbox_notice_send(message_id: int) -> bool:
    """Tell the citizen that a letter is waiting in the digital mailbox (not what it says)."""
    message = (
        MailboxMessage.objects.select_related("citizen", "municipality", "submission")
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        return False
    fallback = message.citizen.email or (message.submission.contact_email if message.submission else "")
    address = notice_address(
        municipality_id=message.municipality_id, citizen_id=message.citizen_id, fallback=fallback
    )
    if not address:
        return False
    municipality = message.municipality
    subject = _("Du har fått et brev fra %(municipality)s") % {"municipality": municipality.name}
    body = _(
        "Hei!\n\nDu har fått et nytt brev i den digitale postkassen din hos %(municipality)s.\n"
        "Logg inn på Min side for å lese det.\n\nMed hilsen\n%(municipality)s\n"
    ) % {"municipality": municipality.name}
    send_mail(subject, body, None, [address])
    logger.info("portal_mailbox_notice_sent", message=str(message.system_id))
    return True
