"""Data of the deposit app: fixity runs and their findings, and export jobs (docs/deposit.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ekommune.core.models import TenantOwnedModel


class FixityRun(TenantOwnedModel):
    """One pass of ``archive verify`` over a municipality's stored files (all, or a sample)."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Pågår")
        DONE = "done", _("Ferdig")

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    sample = models.PositiveIntegerField(null=True, blank=True)  # at most this many files; None: all
    start_after = models.BigIntegerField(default=0)  # the stored file id the run started after
    last_file_id = models.BigIntegerField(default=0)  # the last stored file checked (resume point)
    checked = models.PositiveIntegerField(default=0)
    missing = models.PositiveIntegerField(default=0)
    altered = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["running", "done"]), name="fixity_run_status_known"
            ),
            models.CheckConstraint(
                condition=Q(status="running") | Q(finished_at__isnull=False), name="fixity_run_done_has_end"
            ),
        ]
        indexes = [models.Index(fields=["municipality", "-started_at"], name="fixity_run_latest")]


class FixityFinding(TenantOwnedModel):
    """A stored file that was missing or whose content no longer has its checksum."""

    class Problem(models.TextChoices):
        MISSING = "missing", _("Mangler")
        ALTERED = "altered", _("Endret")

    run = models.ForeignKey(FixityRun, on_delete=models.CASCADE, related_name="findings")
    stored_file_id = models.BigIntegerField()  # archive StoredFile (no cross-app foreign key)
    storage_name = models.CharField(max_length=300)
    expected_sha256 = models.CharField(max_length=64)
    actual_sha256 = models.CharField(max_length=64, blank=True)
    problem = models.CharField(max_length=10, choices=Problem.choices)
    found_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(problem__in=["missing", "altered"]), name="fixity_problem_known"
            ),
            models.UniqueConstraint(fields=["run", "stored_file_id"], name="fixity_finding_once_per_run"),
        ]


class DepositJob(TenantOwnedModel):
    """An export started from the records manager's page, run as a background task."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("I kø")
        RUNNING = "running", _("Pågår")
        DONE = "done", _("Ferdig")
        FAILED = "failed", _("Feilet")

    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    series_ids = models.JSONField(default=list)  # systemIDs of the series (arkivdeler), as text
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)  # registry entries to write
    done = models.PositiveIntegerField(default=0)
    out_dir = models.CharField(max_length=500, blank=True)
    message = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]),
                name="deposit_job_status_known",
            ),
            models.CheckConstraint(
                condition=Q(done__lte=models.F("total")) | Q(total=0), name="deposit_job_progress"
            ),
        ]
        indexes = [models.Index(fields=["municipality", "-created_at"], name="deposit_job_latest")]
