"""The records manager's deposit page: start an export as a background job, follow its progress. Thin."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ekommune.archive import selectors as archive_selectors
from ekommune.core.errors import ApplicationError
from ekommune.core.http import json_response, municipality_required, request_municipality
from ekommune.deposit import selectors, services, tasks
from ekommune.deposit.models import DepositJob


def _job_json(job: DepositJob) -> dict[str, object]:
    return {"id": job.pk, "status": job.status, "done": job.done, "total": job.total, "message": job.message}


@municipality_required
@login_required
@require_http_methods(["GET", "POST"])
def deposit_page(request: HttpRequest) -> HttpResponse:
    municipality = request_municipality(request)
    jobs = selectors.deposit_jobs(actor=request.user, municipality=municipality)
    error = ""
    if request.method == "POST":
        try:
            series_ids = [uuid.UUID(value) for value in request.POST.getlist("series")]
            job = services.deposit_job_start(
                actor=request.user, municipality=municipality, series_ids=series_ids
            )
        except ValueError:
            error = _("Ugyldig arkivdel.")
        except ApplicationError as failure:
            error = failure.message
        else:
            tasks.deposit_export.enqueue(job_id=job.pk)
            messages.success(request, _("Uttrekket er startet."))
            return redirect("deposit:page")
    series = archive_selectors.series_list(actor=request.user, municipality=municipality)
    runs = selectors.fixity_runs(actor=request.user, municipality=municipality)
    return render(
        request,
        "deposit/deposit_page.html",
        {"series": series, "jobs": jobs, "runs": runs, "error": error},
        status=400 if error else 200,
    )


@municipality_required
@login_required
@require_GET
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    job = selectors.deposit_job(actor=request.user, municipality=request_municipality(request), pk=pk)
    return json_response(_job_json(job))
