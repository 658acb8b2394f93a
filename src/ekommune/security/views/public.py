"""The citizens' deviation form (``sikkerhet/avvik/``): anyone may report that personal data or
a municipal system went astray. The page confirms receipt and shows nothing of any deviation."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ekommune.core.errors import ApplicationError
from ekommune.core.http import form_error_apply, municipality_required, request_municipality
from ekommune.core.ratelimits import rate_limited
from ekommune.security import services
from ekommune.security.views.forms import PublicDeviationForm


@require_http_methods(["GET", "POST"])
@municipality_required
@rate_limited("deviation_report", methods=["POST"])
def report(request: HttpRequest) -> HttpResponse:
    municipality = request_municipality(request)
    form = PublicDeviationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.deviation_report_public(
                municipality=municipality,
                report=form.report(),
                reporter_name=form.cleaned_data["reporter_name"],
                reporter_email=form.cleaned_data["reporter_email"],
            )
        except ApplicationError as error:
            form_error_apply(form, error)
        else:
            return redirect("security:report-received")
    return render(request, "security/public_report.html", {"form": form}, status=400 if form.errors else 200)


def report_received(request: HttpRequest) -> HttpResponse:
    return render(request, "security/public_received.html")
