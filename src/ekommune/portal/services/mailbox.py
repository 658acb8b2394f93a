"""The digital mailbox (read receipts) and notice preferences of citizens."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ekommune.core.errors import NotFoundError
from ekommune.core.models import Municipality
from ekommune.portal.models import (
    MailboxMessage,
    NoticePreference,
)
from ekommune.portal.services.common import (
    CitizenActor,
    _audit_citizen,
    _full_clean,
)

# ------------------------------------------------------------------ mailbox and notices (citizens)


def mailbox_message_open(
    *, municipality: Municipality, who: CitizenActor, message: MailboxMessage
) -> MailboxMessage:
    """The citizen opens a letter: the first time records the read receipt (lesekvittering)."""
    if message.municipality_id != municipality.pk or message.citizen_id != who.citizen.pk:
        raise NotFoundError("Fant ikke brevet.")
    with transaction.atomic():
        updated = MailboxMessage.objects.filter(pk=message.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        if updated:
            _audit_citizen(municipality, who, "portal.mailbox.read", "brev", message.system_id)
    message.refresh_from_db(fields=["read_at"])
    return message


def notice_preference_set(
    *, municipality: Municipality, who: CitizenActor, email: str, notify_by_email: bool
) -> NoticePreference:
    preference = NoticePreference(
        municipality=municipality, citizen=who.citizen, email=email.strip(), notify_by_email=notify_by_email
    )
    _full_clean(preference, exclude=["municipality", "citizen"])
    with transaction.atomic():
        saved, _ = NoticePreference.objects.update_or_create(
            municipality=municipality,
            citizen=who.citizen,
            defaults={"email": preference.email, "notify_by_email": notify_by_email},
        )
        _audit_citizen(municipality, who, "portal.notice_preference.set", "varsling", saved.pk)
    return saved
