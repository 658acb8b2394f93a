"""Staff pages: the catalogue and form editors, the case-worker inbox."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from ekommune.core.errors import ApplicationError
from ekommune.core.http import form_error_apply, municipality_required, request_municipality
from ekommune.core.validators import is_ascii_digits
from ekommune.portal import engine, selectors, services
from ekommune.portal.models import Submission
from ekommune.portal.views.forms import FormDefinitionForm, ReplyForm, ServiceForm

# ------------------------------------------------------------------ staff: catalogue and forms


@municipality_required
@login_required
@require_GET
def staff_services(request: HttpRequest) -> HttpResponse:
    found = selectors.services_for_staff(actor=request.user, municipality=request_municipality(request))
    return render(request, "portal/staff/services.html", {"services": found})


@municipality_required
@login_required
@require_http_methods(["GET", "POST"])
def staff_service_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    municipality = request_municipality(request)
    service = (
        selectors.service_for_staff(actor=request.user, municipality=municipality, pk=pk) if pk else None
    )
    if service is None:
        selectors.services_for_staff(actor=request.user, municipality=municipality)  # permission check
    form = ServiceForm(request.POST or None, instance=service, actor=request.user, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in services.SERVICE_FIELDS}
        try:
            if service is None:
                service = services.service_create(
                    actor=request.user, municipality=municipality, values=values
                )
            else:
                service = services.service_update(
                    actor=request.user, municipality=municipality, service=service, values=values
                )
        except ApplicationError as error:
            form_error_apply(form, error)
        else:
            messages.success(request, _("Tjenesten er lagret."))
            return redirect("portal:staff-services")
    return render(
        request,
        "portal/staff/service_edit.html",
        {"form": form, "service": service},
        status=400 if form.errors else 200,
    )


@municipality_required
@login_required
@require_GET
def staff_forms(request: HttpRequest) -> HttpResponse:
    found = selectors.forms_for_staff(actor=request.user, municipality=request_municipality(request))
    return render(request, "portal/staff/forms.html", {"forms": found})


@municipality_required
@login_required
@require_http_methods(["GET", "POST"])
def staff_form_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    municipality = request_municipality(request)
    existing = selectors.form_for_staff(actor=request.user, municipality=municipality, pk=pk) if pk else None
    if existing is None:
        selectors.forms_for_staff(actor=request.user, municipality=municipality)  # permission check
    version = existing.current_version() if existing else None
    initial = (
        {"slug": existing.slug, "title": existing.title, "definition": version.definition if version else {}}
        if existing
        else {
            "definition": {
                "fields": [
                    {"key": "navn", "type": "text", "label": "Navn", "required": True, "prefill": "name"}
                ]
            }
        }
    )
    form = FormDefinitionForm(request.POST or None, initial=initial)
    if existing is not None:
        form.fields["slug"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            if existing is None:
                services.form_definition_create(
                    actor=request.user,
                    municipality=municipality,
                    slug=form.cleaned_data["slug"],
                    title=form.cleaned_data["title"],
                    definition=form.cleaned_data["definition"],
                )
            else:
                services.form_version_add(
                    actor=request.user,
                    municipality=municipality,
                    form=existing,
                    definition=form.cleaned_data["definition"],
                )
        except ApplicationError as error:
            form_error_apply(form, error)
        else:
            messages.success(request, _("Skjemaet er lagret som en ny versjon."))
            return redirect("portal:staff-forms")
    return render(
        request,
        "portal/staff/form_edit.html",
        {"form": form, "existing": existing, "version": version},
        status=400 if form.errors else 200,
    )


# ------------------------------------------------------------------ staff: inbox


@municipality_required
@login_required
@require_GET
def staff_inbox(request: HttpRequest) -> HttpResponse:
    municipality = request_municipality(request)
    service_id = request.GET.get("tjeneste", "")
    status = request.GET.get("status", "")
    status = status if status in Submission.Status.values else ""
    found = selectors.inbox(
        actor=request.user,
        municipality=municipality,
        service_id=int(service_id) if is_ascii_digits(service_id) else None,
        status=status,
        mine=request.GET.get("mine") == "1",
    )[:200]
    return render(
        request,
        "portal/staff/inbox.html",
        {
            "submissions": found,
            "counts": selectors.inbox_counts(actor=request.user, municipality=municipality),
            "status": status,
            "service_id": service_id,
            "statuses": Submission.Status.choices,
        },
    )


@municipality_required
@login_required
@require_http_methods(["GET", "POST"])
def staff_submission(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = request_municipality(request)
    submission = selectors.submission_for_staff(actor=request.user, municipality=municipality, pk=pk)
    templates = list(selectors.letter_templates(municipality=municipality))
    workers = selectors.case_workers(actor=request.user, municipality=municipality)
    chosen = next((t for t in templates if str(t.pk) == request.GET.get("mal", "")), None)
    initial: dict[str, Any] = {}
    if chosen is not None:
        fill = {
            "navn": submission.citizen.name,
            "saksnummer": submission.case_number,
            "tjeneste": submission.service.title,
        }
        initial = {
            "template": str(chosen.pk),
            "subject": _fill(chosen.subject, fill),
            "body": _fill(chosen.body, fill),
        }
    reply_form = ReplyForm(request.POST if request.POST.get("action") == "reply" else None, initial=initial)
    reply_form.fields["template"].choices = [("", "–")] + [(str(t.pk), t.name) for t in templates]  # type: ignore[attr-defined]
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "assign":
                assignee = next((w for w in workers if str(w.pk) == request.POST.get("assignee")), None)
                services.submission_assign(
                    actor=request.user, municipality=municipality, submission=submission, assignee=assignee
                )
                messages.success(request, _("Innsendingen er tildelt."))
                return redirect("portal:staff-submission", pk=pk)
            if action == "status":
                services.submission_set_status(
                    actor=request.user,
                    municipality=municipality,
                    submission=submission,
                    status=request.POST.get("status", ""),
                )
                messages.success(request, _("Status er endret."))
                return redirect("portal:staff-submission", pk=pk)
            if action == "reply" and reply_form.is_valid():
                services.submission_reply(
                    actor=request.user,
                    municipality=municipality,
                    submission=submission,
                    subject=reply_form.cleaned_data["subject"],
                    body=reply_form.cleaned_data["body"],
                    decided=reply_form.cleaned_data["decided"],
                )
                messages.success(
                    request, _("Svaret er journalført og levert i innbyggerens digitale postkasse.")
                )
                return redirect("portal:staff-submission", pk=pk)
        except ApplicationError as error:
            if action != "reply":
                raise
            form_error_apply(reply_form, error)
    definition = selectors.form_version_info(version_id=submission.form_version_id).definition
    return render(
        request,
        "portal/staff/submission.html",
        {
            "submission": submission,
            "rows": engine.display_rows(definition, submission.data),
            "reply_form": reply_form,
            "templates": templates,
            "workers": workers,
            "statuses": Submission.Status.choices,
            "letters": submission.letters.order_by("-sent_at"),
            "files": selectors.submission_files(
                actor=request.user, municipality=municipality, submission=submission
            ),
            "form_action": reverse("portal:staff-submission", kwargs={"pk": pk}),
        },
        status=400 if reply_form.errors else 200,
    )


def _fill(text: str, values: dict[str, str]) -> str:
    """A letter template with ``{navn}``, ``{saksnummer}``, ``{tjeneste}`` filled in."""
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


@municipality_required
@login_required
@require_GET
def staff_submission_file(request: HttpRequest, pk: int, system_id: uuid.UUID) -> FileResponse:
    municipality = request_municipality(request)
    submission = selectors.submission_for_staff(actor=request.user, municipality=municipality, pk=pk)
    found, content = selectors.submission_file_content(
        actor=request.user, municipality=municipality, submission=submission, system_id=system_id
    )
    return FileResponse(
        content, content_type=found.mime_type or "application/octet-stream", filename=found.file_name
    )
