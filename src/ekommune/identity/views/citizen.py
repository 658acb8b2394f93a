"""Pages of a logged-in citizen: choose whom to act for (representasjon)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ekommune.core.errors import ValidationError
from ekommune.core.http import municipality_required, request_municipality
from ekommune.identity import selectors, services
from ekommune.identity.http import citizen_required
from ekommune.identity.types import Level
from ekommune.identity.views.common import home_url, safe_next


@never_cache
@municipality_required
@require_http_methods(["GET", "POST"])
@citizen_required(Level.SUBSTANTIAL)
def representation(request: HttpRequest) -> HttpResponse:
    """Choose whom to act for: oneself or one of the organisations found at login."""
    next_url = safe_next(request, home_url())
    organisations = services.session_organisations(request=request)
    current = selectors.session_citizen(request=request)
    error: ValidationError | None = None
    if request.method == "POST":
        try:
            services.citizen_session_act_for(
                request=request,
                municipality=request_municipality(request),
                organisation_number=request.POST.get("organisation_number", ""),
            )
        except ValidationError as failure:
            error = failure
        else:
            return HttpResponseRedirect(next_url)
    return render(
        request,
        "identity/representation.html",
        {
            "organisations": organisations,
            "current": current,
            "next": next_url,
            "error": error,
        },
        status=400 if error else 200,
    )
