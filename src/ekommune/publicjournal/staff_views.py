"""Case workers' pages for access requests (``ansatt/innsyn/``): the queue and the answer. Thin."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ekommune.core.errors import ApplicationError
from ekommune.core.models import Municipality
from ekommune.publicjournal import selectors, services
from ekommune.publicjournal.forms import AccessDecisionForm


def _municipality(request: HttpRequest) -> Municipality:
    municipality: Municipality | None = getattr(request, "municipality", None)
    if municipality is None:
        raise Http404(_("Fant ingen kommune på denne adressen."))
    return municipality


@login_required
@require_GET
def access_queue(request: HttpRequest) -> HttpResponse:
    municipality = _municipality(request)
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
def access_answer(request: HttpRequest, request_id: int) -> HttpResponse:
    municipality = _municipality(request)
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
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Svaret er registrert og sendt på e-post."))
            return redirect("publicjournal:staff-access-queue")
    return render(
        request,
        "publicjournal/staff_answer.html",
        {"access": access, "form": form},
        status=400 if form.errors else 200,
    )
