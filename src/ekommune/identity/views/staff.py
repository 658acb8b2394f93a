"""Staff log in through the municipality's own identity provider (single sign-on)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ekommune.core.http import municipality_required, request_municipality
from ekommune.identity import oidc, selectors
from ekommune.identity.models import ProviderKind
from ekommune.identity.types import Level, LoginError
from ekommune.identity.views.common import login_failed, safe_next


@never_cache
@municipality_required
@require_GET
def staff_login_start(request: HttpRequest) -> HttpResponse:
    """Staff: log in through the municipality's own identity provider (single sign-on)."""
    providers = selectors.login_providers(
        municipality=request_municipality(request), kinds=(ProviderKind.STAFF,)
    )
    if not providers:
        raise Http404("Kommunen har ikke satt opp innlogging for ansatte med egen identitetstjeneste.")
    try:
        url = oidc.authorization_start(
            request=request,
            provider=providers[0],
            level=Level.SUBSTANTIAL,
            next_url=safe_next(request, reverse("core:staff-home")),
            redirect_uri=request.build_absolute_uri(reverse("identity:callback")),
        )
    except LoginError as error:
        return login_failed(request, error)
    return HttpResponseRedirect(url)
