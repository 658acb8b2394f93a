"""Reads of the record of processing: the staff list with each activity's newest DPIA checklist,
one activity, and the public page's activities (only the fields meant for the public)."""

from __future__ import annotations

from django.db.models import QuerySet

from ekommune.core import services as core_services
from ekommune.core.errors import NotFoundError
from ekommune.core.models import Municipality
from ekommune.core.permissions import Permission
from ekommune.core.services import Actor
from ekommune.security.models import (
    PUBLIC_FIELDS,
    Article6Basis,
    Article9Basis,
    DpiaChecklist,
    ProcessingActivity,
)
from ekommune.security.types import PublicProcessingActivity


def processing_activity_list(*, actor: Actor, municipality: Municipality) -> QuerySet[ProcessingActivity]:
    core_services.permission_require(
        actor=actor, municipality=municipality, permission=Permission.SECURITY_VIEW
    )
    return ProcessingActivity.objects.filter(municipality=municipality).prefetch_related("dpia_checklists")


def processing_activity_get(*, actor: Actor, municipality: Municipality, pk: int) -> ProcessingActivity:
    core_services.permission_require(
        actor=actor, municipality=municipality, permission=Permission.SECURITY_VIEW
    )
    row = ProcessingActivity.objects.filter(municipality=municipality, pk=pk).first()
    if row is None:
        raise NotFoundError("Fant ikke behandlingen.", code="not_found")
    return row


def dpia_current(*, activity: ProcessingActivity) -> DpiaChecklist | None:
    """The activity's newest DPIA checklist (None before the first)."""
    return activity.dpia_checklists.order_by("-assessed_at", "-pk").first()


def public_processing_activities(*, municipality: Municipality) -> list[PublicProcessingActivity]:
    """The published activities of the municipality, read field by field from ``PUBLIC_FIELDS``:
    security measures, systems, notes and DPIAs are never read here, so they cannot be shown."""
    art6, art9 = dict(Article6Basis.choices), dict(Article9Basis.choices)
    rows = (
        ProcessingActivity.objects.filter(municipality=municipality, published=True)
        .order_by("name", "pk")
        .values(*PUBLIC_FIELDS)
    )
    return [
        PublicProcessingActivity(
            **{
                **row,
                "legal_basis_art6": tuple(str(art6[code]) for code in row["legal_basis_art6"]),
                "legal_basis_art9": tuple(str(art9[code]) for code in row["legal_basis_art9"]),
            }
        )
        for row in rows
    ]
