"""Reads of Min side: the citizen's own submissions, drafts, letters and notice preferences."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ekommune.core.errors import NotFoundError
from ekommune.core.models import Municipality
from ekommune.portal.models import (
    Draft,
    MailboxMessage,
    NoticePreference,
    Submission,
)

# ------------------------------------------------------------------ Min side (the citizen's own)


def submissions_of_citizen(*, municipality: Municipality, citizen: Any) -> QuerySet[Submission]:
    return (
        Submission.objects.filter(municipality=municipality, citizen=citizen)
        .select_related("service")
        .order_by("-submitted_at")
    )


def submission_of_citizen(*, municipality: Municipality, citizen: Any, system_id: Any) -> Submission:
    found = (
        submissions_of_citizen(municipality=municipality, citizen=citizen).filter(system_id=system_id).first()
    )
    if found is None:
        raise NotFoundError("Fant ikke innsendingen.")
    return found


def drafts_of_citizen(*, municipality: Municipality, citizen: Any) -> QuerySet[Draft]:
    return (
        Draft.objects.filter(municipality=municipality, citizen=citizen)
        .select_related("service")
        .order_by("-updated_at")
    )


def mailbox_of_citizen(*, municipality: Municipality, citizen: Any) -> QuerySet[MailboxMessage]:
    return (
        MailboxMessage.objects.filter(municipality=municipality, citizen=citizen)
        .select_related("submission", "submission__service")
        .order_by("-sent_at")
    )


def mailbox_message_of_citizen(*, municipality: Municipality, citizen: Any, system_id: Any) -> MailboxMessage:
    found = mailbox_of_citizen(municipality=municipality, citizen=citizen).filter(system_id=system_id).first()
    if found is None:
        raise NotFoundError("Fant ikke brevet.")
    return found


def notice_preference(*, municipality: Municipality, citizen: Any) -> NoticePreference | None:
    return NoticePreference.objects.filter(municipality=municipality, citizen=citizen).first()


def notice_address(*, municipality_id: int, citizen_id: int, fallback: str) -> str:
    """Where the citizen wants notices ("" when they said no)."""
    preference = NoticePreference.objects.filter(
        municipality_id=municipality_id, citizen_id=citizen_id
    ).first()
    if preference is None:
        return fallback
    if not preference.notify_by_email:
        return ""
    return preference.email or fallback
