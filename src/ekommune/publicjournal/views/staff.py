"""Staff pages: the access-request queue and answer (``ansatt/innsyn/``), the journal's settings
(``ansatt/journal/innstillinger/``). Thin."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ekommune.core import selectors as core_selectors
from ekommune.core import services as core_services
from ekommune.core.errors import ApplicationError, PermissionDeniedError
from ekommune.core.http import form_error_apply, municipality_required, request_municipality
from ekommune.core.permissions import Permission
from ekommune.publicjournal import selectors, services
from ekommune.publicjournal.views.forms import AccessDecisionForm, JournalSettingsForm


@login_required
@require_GET
@municipality_required
def access_queue(request: HttpRequest) -> HttpResponse:
    municipality = request_municipality(request)
    show_all = request.GET.get("vis") == "alle"
    queue = selectors.access_request_queue(
        actor=request.user, municipality=municipality, open_only=not show_all
    )
    settings_row = selectors.access_request_settings(municipality=municipality)
    return render(
        request,
        "publicjournal/staff_queue.html",
        {"queue": queue, "show_all": show_all, "settings": settings_row},
    )


@login_required
@require_http_methods(["GET", "POST"])
@municipality_required
def access_answer(request: HttpRequest, request_id: int) -> HttpResponse:
    municipality = request_municipality(request)
    access = selectors.access_request_for_handling(
        actor=request.user, municipality=municipality, request_id=request_id
    )
    form = AccessDecisionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("redacted_file")
        try:
            services.access_request_decide(
                actor=request.user,
                municipality=municipality,
                request=access,
                decision=form.cleaned_data["decision"],
                legal_basis=form.cleaned_data["legal_basis"],
                explanation=form.cleaned_data["explanation"],
                redacted_file=upload.file if upload else None,
                redacted_file_name=upload.name if upload else "",
                site_root=request.build_absolute_uri(reverse("core:home")),
            )
        except ApplicationError as error:
            form_error_apply(form, error)
        else:
            messages.success(request, _("Svaret er registrert og sendt på e-post."))
            return redirect("publicjournal:staff-access-queue")
    return render(
        request,
        "publicjournal/staff_answer.html",
        {"access": access, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@municipality_required
def journal_settings(request: HttpRequest) -> HttpResponse:
    """Publication policy and access-request settings (the records manager)."""
    municipality = request_municipality(request)
    if not core_services.permission_has(
        actor=request.user, municipality=municipality, permission=Permission.ARCHIVE_MANAGE
    ):
        raise PermissionDeniedError(_("Bare arkivaren kan endre innstillingene for journalen."))
    policy = selectors.publication_policy(municipality=municipality)
    access = selectors.access_request_settings(municipality=municipality)
    initial = {
        "publish_internal_notes": policy.publish_internal_notes,
        "delay_hours": policy.delay_hours,
        "sensitive_class_prefixes": " ".join(policy.sensitive_class_prefixes),
        "full_text_enabled": policy.full_text_enabled,
        "deadline_working_days": access.deadline_working_days,
        "deadline_basis": access.deadline_basis,
        "appeal_information": access.appeal_information,
        "intake_username": access.intake_user.get_username() if access.intake_user else "",
    }
    form = JournalSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        intake = None
        if data["intake_username"]:
            intake = core_selectors.user_active_by_username(username=data["intake_username"])
            if intake is None:
                form.add_error("intake_username", _("Fant ingen aktiv bruker med dette brukernavnet."))
        if not form.errors:
            try:
                with transaction.atomic():
                    services.publication_policy_set(
                        actor=request.user,
                        municipality=municipality,
                        publish_internal_notes=data["publish_internal_notes"],
                        delay_hours=data["delay_hours"],
                        sensitive_class_prefixes=data["sensitive_class_prefixes"].split(),
                        full_text_enabled=data["full_text_enabled"],
                    )
                    services.access_request_settings_set(
                        actor=request.user,
                        municipality=municipality,
                        deadline_working_days=data["deadline_working_days"],
                        deadline_basis=data["deadline_basis"],
                        appeal_information=data["appeal_information"],
                        intake_user=intake,
                    )
            except ApplicationError as error:
                form.add_error(
                    error.field if error.field in form.fields else "intake_username", error.message
                )
            else:
                messages.success(
                    request, _("Innstillingene er lagret. De gjelder fra neste oppdatering av journalen.")
                )
                return redirect("publicjournal:staff-settings")
    return render(
        request, "publicjournal/staff_settings.html", {"form": form}, status=400 if form.errors else 200
    )
