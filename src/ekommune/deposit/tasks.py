"""Background tasks of the deposit app (Django's tasks framework, run by ``ekommune db_worker``)."""

from __future__ import annotations

from django.tasks import task

from ekommune.core import selectors as core_selectors
from ekommune.deposit import services


@task()
def fixity_verify(sample: int | None = None) -> dict[str, int]:
    """Fixity of every municipality's stored files (a rolling sample per run). Schedule it nightly."""
    runs = services.fixity_verify(
        municipalities=list(core_selectors.municipality_list_active()), sample=sample
    )
    return {
        "checked": sum(run.checked for run in runs),
        "missing": sum(run.missing for run in runs),
        "altered": sum(run.altered for run in runs),
    }


@task()
def deposit_export(job_id: int) -> str:
    """Run an export job started from the records manager's page."""
    return services.deposit_job_run(job_id=job_id).status
