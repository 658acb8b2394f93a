"""The deposit app's operations: export a package, check one, import one, check fixity.

Each is keyword-only and typed; the heavy lifting is in ``export``, ``checks`` and ``importer``.
Permission: the records manager's ARCHIVE_MANAGE in the municipality.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tarfile
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from ekommune.archive import selectors as archive_selectors
from ekommune.core.errors import ApplicationError, ValidationError
from ekommune.core.models import Municipality, User
from ekommune.core.permissions import Permission
from ekommune.core.readlog import VIA_EXPORT, reads_batched
from ekommune.core.services import Actor, audit_event_record, permission_require
from ekommune.deposit import checks, dias, export, fixity, import_survey, importer
from ekommune.deposit import package as pkg
from ekommune.deposit.models import DepositJob, FixityRun
from ekommune.standards import StandardMissingError

UnclassifiedCasesError = export.UnclassifiedCasesError  # ``offenders`` lists every case


class StandardsMissingError(ApplicationError):
    """An official schema is missing on this machine; the message names it and the command that
    fetches it (``ekommune standards fetch``)."""

    code = "standards_missing"
    http_status = 503


def _official_schemas(folder: Path | None) -> dict[str, Path]:
    try:
        return pkg.schema_files(folder)
    except StandardMissingError as error:
        raise StandardsMissingError(str(error), field="schemas") from error


def package_export(
    *,
    actor: Actor,
    municipality: Municipality,
    series_ids: Sequence[uuid.UUID],
    out_dir: Path,
    schemas: Path | None = None,
    progress: export.Progress | None = None,
    extracted_at: dt.datetime | None = None,
    parallel: bool = False,
    as_dias: bool = False,
) -> pkg.ExportResult:
    """Write the arkivuttrekk of the given series into ``out_dir`` (which must be empty or new).

    ``parallel``: write the journals in a second process (see ``export.export_package``).
    ``as_dias``: pack it as Arkivverket's DIAS, ``<uuid>.tar`` and ``info.xml`` in ``out_dir``."""
    permission_require(actor=actor, municipality=municipality, permission=Permission.ARCHIVE_MANAGE)
    if not series_ids:
        raise ValidationError("Velg minst én arkivdel.", code="required", field="series")
    if out_dir.exists() and any(out_dir.iterdir()):
        raise ValidationError(f"Mappen {out_dir} er ikke tom.", code="out_dir_not_empty", field="out")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    # written beside the target and renamed on success: a failed export leaves nothing behind
    work = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", suffix=".uferdig", dir=out_dir.parent))
    try:
        with reads_batched(via=VIA_EXPORT):  # appended before the package is handed out (renamed)
            result = export.export_package(
                actor=actor,
                municipality=municipality,
                series_ids=series_ids,
                out_dir=work,
                schemas=_official_schemas(schemas),
                progress=progress,
                extracted_at=extracted_at,
                parallel=parallel,
            )
        if as_dias:
            extraction, work = (
                work,
                Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", suffix=".uferdig", dir=out_dir.parent)),
            )
            packed = dias.write_dias(
                extraction=extraction,
                out_dir=work,
                agents=dias.DiasAgents(creator=municipality.name),
                label=f"{municipality.name}: arkivuttrekk",
            )
            result.dias_tar = out_dir / packed.tar_path.name
        if out_dir.exists():
            out_dir.rmdir()  # empty, checked above
        work.rename(out_dir)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    result.out_dir = out_dir
    audit_event_record(
        actor=actor,
        municipality=municipality,
        action="deposit.package.export",
        object_type="arkivuttrekk",
        object_id=out_dir.name,
        detail={
            "arkivdeler": [str(system_id) for system_id in series_ids],
            "registreringer": result.counts["registrering"],
            "dokumentfiler": result.document_files,
        },
    )
    return result


@contextmanager
def _unpacked(package: Path) -> Iterator[tuple[Path, Path | None]]:
    """The extraction folder of a package given as a folder, or as a DIAS tar (unpacked into a
    temporary folder for as long as the caller needs it): (folder, DIAS root or None)."""
    if package.is_dir():
        yield package, None
        return
    if not (package.is_file() and tarfile.is_tarfile(package)):
        raise ValidationError(f"Fant ingen mappe eller tar-fil {package}.", code="not_found", field="package")
    with tempfile.TemporaryDirectory(prefix="ekommune-dias-") as folder:
        root = dias.unpack(package, Path(folder))
        content = root / dias.CONTENT
        yield (content if content.is_dir() else root), root


def _check_unpacked(
    package: Path, folder: Path, root: Path | None, schemas: Path | None
) -> checks.CheckReport:
    report = checks.check_package(package_dir=folder, schema_files=_official_schemas(schemas))
    if root is not None:
        checks.check_dias(report, root, package)
        report.package = str(package)
    return report


def package_check(*, package_dir: Path, schemas: Path | None = None) -> checks.CheckReport:
    """Check a package (anyone's; a folder or a DIAS tar): schemas, checksums, counts, references,
    dates, screening."""
    with _unpacked(package_dir) as (folder, root):
        return _check_unpacked(package_dir, folder, root, schemas)


class PackageRefusedError(ValidationError):
    """The package has findings: nothing was imported. ``report`` lists them."""

    code = "package_invalid"

    def __init__(self, report: checks.CheckReport) -> None:
        super().__init__(f"Pakken har {len(report.findings)} avvik og ble ikke importert.", field="package")
        self.report = report


def package_import(
    *, actor: Actor, municipality: Municipality, package_dir: Path, schemas: Path | None = None
) -> importer.ImportResult:
    """Load a package into a new fonds and series of ``municipality``, all or nothing.

    The package is checked first; with any finding nothing is written (``PackageRefusedError``).
    Then every value the archive could not store is listed (``import_survey``): anything touching
    screening, and unknown codes, refuse the import too; the rest is reported in ``result.findings``.
    """
    permission_require(actor=actor, municipality=municipality, permission=Permission.ARCHIVE_MANAGE)
    with _unpacked(package_dir) as (folder, root):  # a DIAS tar: unpacked, then as a folder
        report = _check_unpacked(package_dir, folder, root, schemas)
        if not report.ok:
            raise PackageRefusedError(report)
        survey = import_survey.survey_package(folder)
        if survey.refusing:  # screening it cannot hold as written, unknown codes: nothing is written
            raise PackageRefusedError(
                checks.CheckReport(
                    package=report.package,
                    checked_at=report.checked_at,
                    findings=survey.refusing + survey.reported,
                )
            )
        try:
            with transaction.atomic():
                result = _import(actor, municipality, folder)
                result.findings = survey.reported
        except (DatabaseError, ValueError, AssertionError, KeyError) as error:
            # a package that passed the checks but that the archive cannot hold (e.g. a mappe that
            # is not a saksmappe): nothing was written, the transaction rolled back
            raise ValidationError(
                f"Pakken kunne ikke importeres: {type(error).__name__}: {error}",
                code="import_failed",
                field="package",
            ) from error
    return result


def _import(actor: Actor, municipality: Municipality, package_dir: Path) -> importer.ImportResult:
    result = importer.Importer(actor=actor, municipality=municipality, package_dir=package_dir).run()
    audit_event_record(
        actor=actor,
        municipality=municipality,
        action="deposit.package.import",
        object_type="arkiv",
        object_id=str(result.fonds_system_id),
        detail={"saksmapper": result.case_files, "registreringer": result.entries},
    )
    return result


def fixity_verify(
    *, municipalities: Sequence[Municipality], sample: int | None = None, resume: bool = False
) -> list[FixityRun]:
    """Recompute the checksums of stored files (a system task: the command and the scheduler run it)."""
    if sample is not None and sample < 1:
        raise ValidationError("Utvalget må være minst 1.", code="invalid", field="sample")
    return [
        fixity.verify(municipality=municipality, sample=sample, resume=resume)
        for municipality in municipalities
    ]


def deposit_dir() -> Path:
    """Where export jobs write their packages (setting or variable ``EKOMMUNE_DEPOSIT_DIR``)."""
    configured = getattr(settings, "EKOMMUNE_DEPOSIT_DIR", "") or os.environ.get("EKOMMUNE_DEPOSIT_DIR", "")
    if configured:
        return Path(configured)
    return Path(getattr(settings, "PROJECT_ROOT", Path.cwd())) / "var" / "deposit"


def deposit_job_start(
    *, actor: Actor, municipality: Municipality, series_ids: Sequence[uuid.UUID]
) -> DepositJob:
    """A queued export job of the given series; the caller enqueues ``tasks.deposit_export``."""
    permission_require(actor=actor, municipality=municipality, permission=Permission.ARCHIVE_MANAGE)
    assert isinstance(actor, User)  # permission_require admits logged-in users only
    if not series_ids:
        raise ValidationError("Velg minst én arkivdel.", code="required", field="series")
    archive_selectors.extraction_series(actor=actor, municipality=municipality, system_ids=series_ids)
    with transaction.atomic():
        job = DepositJob.objects.create(
            municipality=municipality,
            created_at=timezone.now(),
            created_by=actor,
            series_ids=[str(system_id) for system_id in series_ids],
            total=archive_selectors.extraction_entry_count(municipality=municipality, series_ids=series_ids),
        )
        job.out_dir = str(deposit_dir() / municipality.slug / f"uttrekk-{job.pk}")
        job.save(update_fields=["out_dir"])
        audit_event_record(
            actor=actor,
            municipality=municipality,
            action="deposit.job.start",
            object_type="arkivuttrekk",
            object_id=job.pk,
            detail={"arkivdeler": job.series_ids},
        )
    return job


def deposit_job_run(*, job_id: int) -> DepositJob:
    """Run a queued export job, recording its progress every few hundred entries."""
    job = DepositJob.objects.select_related("created_by", "municipality").get(pk=job_id)
    job.status = DepositJob.Status.RUNNING
    job.save(update_fields=["status"])

    def progress(done: int) -> None:
        if done % 500 == 0:
            DepositJob.objects.filter(pk=job.pk).update(done=min(done, job.total))

    try:
        result = package_export(
            actor=job.created_by,
            municipality=job.municipality,
            series_ids=[uuid.UUID(value) for value in job.series_ids],
            out_dir=Path(job.out_dir),
            progress=progress,
        )
    except ApplicationError as error:
        job.status, job.message = DepositJob.Status.FAILED, error.message
    else:
        job.status, job.done = DepositJob.Status.DONE, min(result.counts["registrering"], job.total)
        job.message = (
            f"{result.counts['registrering']} registreringer, {result.document_files} dokumentfiler."
        )
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "done", "message", "finished_at"])
    return job
