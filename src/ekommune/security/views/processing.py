"""The record of processing (GDPR art. 30) for staff (``ansatt/sikkerhet/behandlinger/``) with the
DPIA checklist of each activity, and the public page that lists the published activities
(``personvern/behandlinger/``, only the fields meant for the public). Thin: forms parse, services
decide, selectors read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from ekommune.core import services as core_services
from ekommune.core.errors import ApplicationError, NotFoundError
from ekommune.core.http import form_error_apply, municipality_required, request_municipality
from ekommune.core.models import Municipality
from ekommune.core.permissions import Permission
from ekommune.security import selectors, services
from ekommune.security.models import ProcessingActivity
from ekommune.security.rules import DPIA_CRITERIA
from ekommune.security.views.processing_forms import DpiaChecklistForm, DpiaCompleteForm, ProcessingForm
from ekommune.security.views.staff import staff_page

OUTCOMES = {
    "not_required": _("DPIA ikke påkrevd"),
    "required": _("DPIA påkrevd – ikke gjennomført"),
    "completed": _("DPIA gjennomført"),
    "prior_consultation": _("DPIA gjennomført – forhåndsdrøfting med Datatilsynet"),
}


def _can_manage(request: HttpRequest, municipality: Municipality) -> bool:
    return core_services.permission_has(
        actor=request.user, municipality=municipality, permission=Permission.SECURITY_MANAGE
    )


@staff_page(Permission.SECURITY_VIEW)
def processing_list(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    rows = []
    for activity in selectors.processing_activity_list(actor=request.user, municipality=municipality):
        checklist = selectors.dpia_current(activity=activity)
        rows.append((activity, OUTCOMES[checklist.outcome] if checklist else _("Ikke vurdert")))
    return render(
        request,
        "security/processing_list.html",
        {"rows": rows, "can_manage": _can_manage(request, municipality)},
    )


@require_POST
@staff_page(Permission.SECURITY_MANAGE)
def processing_prefill(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    created = services.processing_record_prefill(actor=request.user, municipality=municipality)
    messages.success(request, _("%(count)d behandlinger er lagt til.") % {"count": len(created)})
    return redirect("security:staff-processing")


def _activity(request: HttpRequest, municipality: Municipality, pk: int) -> ProcessingActivity:
    try:
        return selectors.processing_activity_get(actor=request.user, municipality=municipality, pk=pk)
    except NotFoundError as error:
        raise Http404(error.message) from error


@require_http_methods(["GET", "POST"])
@staff_page(Permission.SECURITY_VIEW)
def processing_edit(request: HttpRequest, municipality: Municipality, pk: int | None = None) -> HttpResponse:
    """A new activity (``pk`` None) or one to read and change."""
    activity = _activity(request, municipality, pk) if pk is not None else None
    can_manage = _can_manage(request, municipality)
    if request.method == "POST" and not can_manage:
        raise Http404(_("Du kan ikke endre protokollen."))
    initial: dict[str, Any] = {}
    if activity is not None:
        initial = {name: getattr(activity, name) for name in ProcessingForm.base_fields}
    form = ProcessingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.processing_activity_save(
                actor=request.user, municipality=municipality, data=form.processing(), activity=activity
            )
        except ApplicationError as error:
            form_error_apply(form, error)
        else:
            messages.success(request, _("Behandlingen er lagret."))
            return redirect("security:staff-processing-activity", saved.pk)
    checklists = list(activity.dpia_checklists.order_by("-assessed_at", "-pk")) if activity else []
    return render(
        request,
        "security/processing_edit.html",
        {
            "activity": activity,
            "form": form,
            "can_manage": can_manage,
            "checklists": [(checklist, OUTCOMES[checklist.outcome]) for checklist in checklists],
            "criteria": DPIA_CRITERIA,
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@staff_page(Permission.SECURITY_MANAGE)
def dpia_checklist(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    """The DPIA checklist of an activity: the nine criteria, Datatilsynet's list, the reasoning."""
    activity = _activity(request, municipality, pk)
    form = DpiaChecklistForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            checklist = services.dpia_checklist_record(
                actor=request.user,
                municipality=municipality,
                activity=activity,
                answers=form.answers(),
                on_authority_list=form.cleaned_data["on_authority_list"],
                reasoning=form.cleaned_data["reasoning"],
            )
        except ApplicationError as error:  # pragma: no cover - the form answers every criterion
            form_error_apply(form, error)
        else:
            messages.success(request, OUTCOMES[checklist.outcome])
            return redirect("security:staff-processing-activity", activity.pk)
    return render(
        request,
        "security/dpia_checklist.html",
        {"activity": activity, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@staff_page(Permission.SECURITY_MANAGE)
def dpia_complete(
    request: HttpRequest, municipality: Municipality, pk: int, checklist_pk: int
) -> HttpResponse:
    activity = _activity(request, municipality, pk)
    checklist = activity.dpia_checklists.filter(pk=checklist_pk).first()
    if checklist is None:
        raise Http404(_("Fant ikke sjekklisten."))
    form = DpiaCompleteForm(request.POST, prefix=f"c{checklist.pk}")
    if form.is_valid():
        try:
            services.dpia_complete(
                actor=request.user,
                municipality=municipality,
                checklist=checklist,
                summary=form.cleaned_data["summary"],
                high_residual_risk=form.cleaned_data["high_residual_risk"],
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("DPIA-en er registrert som gjennomført."))
    else:
        messages.error(request, _("Skriv konklusjonen og svar på om restrisikoen er høy."))
    return redirect("security:staff-processing-activity", activity.pk)


@municipality_required
def public_processing(request: HttpRequest) -> HttpResponse:
    """The municipality's processing of personal data, as the transparency duty asks."""
    municipality = request_municipality(request)
    return render(
        request,
        "security/public_processing.html",
        {"activities": selectors.public_processing_activities(municipality=municipality)},
    )
