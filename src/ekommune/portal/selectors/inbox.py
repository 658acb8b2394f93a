"""Reads of the case-worker inbox: submissions, their archived files, letter templates, case workers;
and the archive documents the portal delivered to citizens."""

from __future__ import annotations

import uuid
from typing import IO, Any

from django.db.models import Count, Q, QuerySet

from ekommune.archive import selectors as archive_selectors
from ekommune.core import readlog
from ekommune.core.errors import NotFoundError
from ekommune.core.models import Municipality
from ekommune.core.permissions import Permission
from ekommune.core.services import Actor, permission_require
from ekommune.portal.models import (
    LetterTemplate,
    PortalSettings,
    Submission,
)

# ------------------------------------------------------------------ inbox (staff)


def inbox(
    *,
    actor: Actor,
    municipality: Municipality,
    service_id: int | None = None,
    status: str = "",
    mine: bool = False,
) -> QuerySet[Submission]:
    permission_require(actor=actor, municipality=municipality, permission=Permission.PORTAL_HANDLE)
    found = Submission.objects.filter(municipality=municipality).select_related(
        "service", "citizen", "assigned_to"
    )
    if service_id:
        found = found.filter(service_id=service_id)
    if status:
        found = found.filter(status=status)
    if mine:
        found = found.filter(assigned_to_id=actor.pk if actor is not None else 0)
    return found.order_by("-submitted_at")


def inbox_counts(*, actor: Actor, municipality: Municipality) -> list[dict[str, Any]]:
    """New (received) and open submissions per service, for the inbox's overview."""
    permission_require(actor=actor, municipality=municipality, permission=Permission.PORTAL_HANDLE)
    rows = (
        Submission.objects.filter(municipality=municipality)
        .values("service_id", "service__title")
        .annotate(
            received=Count("pk", filter=Q(status=Submission.Status.RECEIVED)),
            open=Count("pk", filter=~Q(status=Submission.Status.DECIDED)),
        )
        .order_by("service__title")
    )
    return [dict(row) for row in rows]


def submission_for_staff(*, actor: Actor, municipality: Municipality, pk: int) -> Submission:
    """A submission of the inbox, read by a case worker: the read is logged (decision 0226), its
    purpose the submission's case; the one it is assigned to counts as the case's handler."""
    found = inbox(actor=actor, municipality=municipality).filter(pk=pk).select_related("assigned_to").first()
    if found is None:
        raise NotFoundError("Fant ikke innsendingen.")
    readlog.read_note(
        actor=actor,
        municipality=municipality,
        kind=readlog.SUBMISSION,
        object_id=found.system_id,
        case_file=found.case_file_system_id,
        purpose=found.case_number,
        handlers=(found.assigned_to.get_username(),) if found.assigned_to else (),
    )
    return found


def submission_files(
    *, actor: Actor, municipality: Municipality, submission: Submission
) -> list[archive_selectors.EntryFile]:
    """The files of the submission's incoming entry (form PDF, JSON, attachments), in document order,
    read through the archive with the case worker's rights."""
    permission_require(actor=actor, municipality=municipality, permission=Permission.PORTAL_HANDLE)
    return archive_selectors.registry_entry_files(
        actor=actor, municipality=municipality, entry_system_id=submission.registry_entry_system_id
    )


def submission_file_content(
    *, actor: Actor, municipality: Municipality, submission: Submission, system_id: uuid.UUID
) -> tuple[archive_selectors.EntryFile, IO[bytes]]:
    """One file of the submission's entry, opened through the archive with the case worker's rights."""
    permission_require(actor=actor, municipality=municipality, permission=Permission.PORTAL_HANDLE)
    return archive_selectors.registry_entry_file_open(
        actor=actor,
        municipality=municipality,
        entry_system_id=submission.registry_entry_system_id,
        object_system_id=system_id,
    )


def letter_templates(*, municipality: Municipality) -> QuerySet[LetterTemplate]:
    return LetterTemplate.objects.filter(municipality=municipality).order_by("name")


def case_workers(*, actor: Actor, municipality: Municipality) -> list[Any]:
    """Staff who may be given submissions (case workers and records managers), not system accounts."""
    permission_require(actor=actor, municipality=municipality, permission=Permission.PORTAL_HANDLE)
    from django.contrib.auth import get_user_model

    system_ids = PortalSettings.objects.filter(municipality=municipality).values_list(
        "system_user_id", flat=True
    )
    return list(
        get_user_model()
        .objects.filter(
            memberships__municipality=municipality,
            memberships__role__in=["case_worker", "records_manager"],
            is_active=True,
        )
        .exclude(pk__in=system_ids)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def document_content(*, municipality: Municipality, document_system_id: uuid.UUID) -> IO[bytes]:
    """The content of an archive document the portal delivered (a receipt, a letter).

    Read through the archive in the name of the portal's system account; the caller has checked
    that the document belongs to the citizen (``submission_of_citizen``, ``mailbox_message_of_citizen``).
    """
    settings_row = (
        PortalSettings.objects.filter(municipality=municipality).select_related("system_user").first()
    )
    if settings_row is None:
        raise NotFoundError("Tjenestetorget er ikke satt opp.", code="portal_not_configured")
    return archive_selectors.document_object_open_by_system_id(
        actor=settings_row.system_user, municipality=municipality, system_id=document_system_id
    )
