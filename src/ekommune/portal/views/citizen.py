"""Min side: receipts, letters (digital mailbox), drafts, notice preferences."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ekommune.core.errors import NotFoundError
from ekommune.core.http import request_municipality
from ekommune.portal import selectors, services
from ekommune.portal.views.common import citizen_of, citizen_page
from ekommune.portal.views.forms import NoticePreferenceForm
from ekommune.publicjournal import selectors as publicjournal_selectors

# ------------------------------------------------------------------ Min side


@citizen_page
@require_GET
def receipt(request: HttpRequest, system_id: uuid.UUID) -> HttpResponse:
    submission = selectors.submission_of_citizen(
        municipality=request_municipality(request), citizen=citizen_of(request).citizen, system_id=system_id
    )
    return render(request, "portal/receipt.html", {"submission": submission})


@citizen_page
@require_GET
def receipt_pdf(request: HttpRequest, system_id: uuid.UUID) -> FileResponse:
    municipality = request_municipality(request)
    submission = selectors.submission_of_citizen(
        municipality=municipality, citizen=citizen_of(request).citizen, system_id=system_id
    )
    content = selectors.document_content(
        municipality=municipality, document_system_id=submission.receipt_system_id
    )
    return FileResponse(
        content,
        content_type="application/pdf",
        filename=f"kvittering-{submission.case_number.replace('/', '-')}.pdf",
    )


@citizen_page
@require_http_methods(["GET", "POST"])
def my_page(request: HttpRequest) -> HttpResponse:
    municipality, who = request_municipality(request), citizen_of(request)
    preference = selectors.notice_preference(municipality=municipality, citizen=who.citizen)
    initial = {
        "email": preference.email if preference else who.citizen.email,
        "notify_by_email": preference.notify_by_email if preference else True,
    }
    form = NoticePreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.notice_preference_set(
            municipality=municipality,
            who=who,
            email=form.cleaned_data["email"],
            notify_by_email=form.cleaned_data["notify_by_email"],
        )
        messages.success(request, _("Varslingsvalgene er lagret."))
        return redirect("portal:my-page")
    return render(
        request,
        "portal/my_page.html",
        {
            "citizen": who.citizen,
            "submissions": selectors.submissions_of_citizen(municipality=municipality, citizen=who.citizen),
            "drafts": selectors.drafts_of_citizen(municipality=municipality, citizen=who.citizen),
            "letters": selectors.mailbox_of_citizen(municipality=municipality, citizen=who.citizen),
            "access_requests": publicjournal_selectors.access_requests_of_citizen(
                municipality=municipality, citizen_id=who.citizen.pk
            ),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@citizen_page
@require_POST
def draft_discard(request: HttpRequest, pk: int) -> HttpResponse:
    municipality, who = request_municipality(request), citizen_of(request)
    draft = selectors.drafts_of_citizen(municipality=municipality, citizen=who.citizen).filter(pk=pk).first()
    if draft is None:
        raise NotFoundError("Fant ikke utkastet.")
    services.draft_discard(municipality=municipality, who=who, draft=draft)
    messages.success(request, _("Utkastet er slettet."))
    return redirect("portal:my-page")


@citizen_page
@require_GET
def letter(request: HttpRequest, system_id: uuid.UUID) -> HttpResponse:
    municipality, who = request_municipality(request), citizen_of(request)
    message = selectors.mailbox_message_of_citizen(
        municipality=municipality, citizen=who.citizen, system_id=system_id
    )
    message = services.mailbox_message_open(municipality=municipality, who=who, message=message)
    return render(request, "portal/letter.html", {"message": message})


@citizen_page
@require_GET
def letter_pdf(request: HttpRequest, system_id: uuid.UUID) -> FileResponse:
    municipality, who = request_municipality(request), citizen_of(request)
    message = selectors.mailbox_message_of_citizen(
        municipality=municipality, citizen=who.citizen, system_id=system_id
    )
    services.mailbox_message_open(municipality=municipality, who=who, message=message)
    content = selectors.document_content(
        municipality=municipality, document_system_id=message.document_system_id
    )
    return FileResponse(content, content_type="application/pdf", filename="brev.pdf")
