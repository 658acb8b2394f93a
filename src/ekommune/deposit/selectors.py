"""Reads of the deposit app: export jobs and fixity runs, within one municipality."""

from __future__ import annotations

from django.db.models import QuerySet

from ekommune.core.errors import NotFoundError
from ekommune.core.models import Municipality
from ekommune.core.permissions import Permission
from ekommune.core.services import Actor, permission_require
from ekommune.deposit.models import DepositJob, FixityRun


def deposit_jobs(*, actor: Actor, municipality: Municipality, limit: int = 20) -> QuerySet[DepositJob]:
    permission_require(actor=actor, municipality=municipality, permission=Permission.ARCHIVE_MANAGE)
    return (
        DepositJob.objects.filter(municipality=municipality)
        .select_related("created_by")
        .order_by("-created_at", "-pk")[:limit]
    )


def deposit_job(*, actor: Actor, municipality: Municipality, pk: int) -> DepositJob:
    permission_require(actor=actor, municipality=municipality, permission=Permission.ARCHIVE_MANAGE)
    job = DepositJob.objects.filter(municipality=municipality, pk=pk).first()
    if job is None:
        raise NotFoundError("Fant ingen slik jobb.")
    return job


def fixity_runs(*, actor: Actor, municipality: Municipality, limit: int = 5) -> QuerySet[FixityRun]:
    permission_require(actor=actor, municipality=municipality, permission=Permission.ARCHIVE_MANAGE)
    return FixityRun.objects.filter(municipality=municipality).order_by("-started_at")[:limit]
