"""Fixity: recompute the SHA-256 of stored files and record what is missing or altered.

A run goes through a municipality's stored files in id order. With a sample size it checks at
most that many and the next run goes on after the last one checked (wrapping round to the
start), so a nightly task covers the whole archive in turn; ``resume`` continues a run that was
interrupted. Findings are recorded (``FixityFinding``) and logged without any content.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import structlog
from django.db import transaction
from django.utils import timezone

from ekommune.archive import selectors as archive_selectors
from ekommune.core.models import Municipality
from ekommune.deposit import package as pkg
from ekommune.deposit.models import FixityFinding, FixityRun

logger = structlog.get_logger(__name__)
PAGE = 200


def _digest(municipality: Municipality, storage_name: str) -> str | None:
    """The file's SHA-256, or None when it cannot be read (missing)."""
    try:
        with archive_selectors.extraction_file_open(
            municipality=municipality, storage_name=storage_name
        ) as stream:
            digest = hashlib.sha256()
            while chunk := stream.read(pkg.CHUNK):
                digest.update(chunk)
            return digest.hexdigest()
    except OSError:
        return None


def _start(municipality: Municipality, sample: int | None, resume: bool) -> FixityRun:
    if resume:
        interrupted = (
            FixityRun.objects.filter(municipality=municipality, status=FixityRun.Status.RUNNING)
            .order_by("-started_at")
            .first()
        )
        if interrupted is not None:
            return interrupted
    previous = FixityRun.objects.filter(municipality=municipality).order_by("-started_at").first()
    start_after = previous.last_file_id if sample is not None and previous is not None else 0
    return FixityRun.objects.create(
        municipality=municipality,
        started_at=timezone.now(),
        sample=sample,
        start_after=start_after,
        last_file_id=start_after,
    )


def _record(run: FixityRun, municipality: Municipality, row: dict[str, Any], actual: str | None) -> None:
    problem = FixityFinding.Problem.MISSING if actual is None else FixityFinding.Problem.ALTERED
    FixityFinding.objects.get_or_create(
        run=run,
        stored_file_id=row["pk"],
        defaults={
            "municipality": municipality,
            "storage_name": row["storage_name"],
            "expected_sha256": row["sha256"],
            "actual_sha256": actual or "",
            "problem": problem,
            "found_at": timezone.now(),
        },
    )
    if problem == FixityFinding.Problem.MISSING:
        run.missing += 1
    else:
        run.altered += 1
    logger.error("fixity_problem", municipality=municipality.slug, stored_file=row["pk"], problem=problem)


def _rows(municipality: Municipality, after: int, wrap_to: int | None) -> Iterator[dict[str, Any]]:
    """Stored files after ``after`` in id order; then, with ``wrap_to``, from the start up to it."""
    while page := archive_selectors.stored_files_after(municipality=municipality, after_pk=after, limit=PAGE):
        yield from page
        after = page[-1]["pk"]
    if wrap_to:
        after = 0
        while page := archive_selectors.stored_files_after(
            municipality=municipality, after_pk=after, limit=PAGE
        ):
            for row in page:
                if row["pk"] > wrap_to:
                    return
                yield row
            after = page[-1]["pk"]


def verify(*, municipality: Municipality, sample: int | None = None, resume: bool = False) -> FixityRun:
    """Check the stored files of a municipality (at most ``sample``), recording every problem."""
    run = _start(municipality, sample, resume)
    wrap_to = run.start_after if sample is not None else None
    for row in _rows(municipality, run.last_file_id, wrap_to):
        if sample is not None and run.checked >= sample:
            break
        actual = _digest(municipality, row["storage_name"])
        with transaction.atomic():
            if actual != row["sha256"]:
                _record(run, municipality, row, actual)
            run.checked += 1
            run.last_file_id = row["pk"]
            run.save(update_fields=["checked", "last_file_id", "missing", "altered"])
    run.status, run.finished_at = FixityRun.Status.DONE, timezone.now()
    run.save(update_fields=["status", "finished_at"])
    logger.info(
        "fixity_verified",
        municipality=municipality.slug,
        checked=run.checked,
        missing=run.missing,
        altered=run.altered,
    )
    return run
