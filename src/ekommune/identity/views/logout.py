"""Logging out: here and at the provider (RP-initiated logout), and when the provider says so
(OpenID Connect Front-Channel Logout)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET, require_POST

from ekommune.core.http import municipality_required, request_municipality
from ekommune.identity import oidc, selectors, services
from ekommune.identity.views.common import home_url, safe_next, safe_url

LOGOUT_KEY = "ekommune.oidc.logout"


@municipality_required
@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """End the citizen's session here and, when the provider has one, its session too (end_session)."""
    municipality = request_municipality(request)
    next_url = safe_next(request)
    stored = services.citizen_session_logout(request=request, municipality=municipality)
    provider = selectors.provider_by_session_label(
        municipality=municipality, label=stored.get("provider", "")
    )
    if provider is not None and stored.get("id_token"):
        url = oidc.end_session_url(
            request=request,
            provider=provider,
            id_token=stored["id_token"],
            post_logout_redirect_uri=request.build_absolute_uri(reverse("identity:logged-out")),
        )
        if url is not None:
            request.session[LOGOUT_KEY] = {"provider": provider.pk, "next": next_url}
            return HttpResponseRedirect(url)
    return redirect(next_url)


@never_cache
@municipality_required
@require_GET
def logged_out(request: HttpRequest) -> HttpResponse:
    """Where the provider sends the browser after its logout."""
    pending = request.session.pop(LOGOUT_KEY, None) or {}
    confirmed = bool(pending) and oidc.end_session_returned(request=request, provider_pk=pending["provider"])
    next_url = safe_url(request, pending.get("next"), home_url())
    return render(request, "identity/logged_out.html", {"next": next_url, "confirmed": confirmed})


@never_cache
@xframe_options_exempt  # the provider loads this in a hidden frame
@csp_override({**settings.SECURE_CSP, "frame-ancestors": ["*"]})  # type: ignore[dict-item]  # from its own origin: a plain "ok"
@municipality_required
@require_GET
def frontchannel_logout(request: HttpRequest) -> HttpResponse:
    """OpenID Connect Front-Channel Logout: the provider ended its session ``sid``; end ours."""
    municipality = request_municipality(request)
    issuer, sid = request.GET.get("iss", ""), request.GET.get("sid", "")
    current = request.session.get(services.SESSION_KEY) or {}
    if sid and current.get("sid") == sid:
        services.citizen_session_logout(request=request, municipality=municipality)
    ended = services.citizen_frontchannel_logout(municipality=municipality, issuer=issuer, sid=sid)
    return HttpResponse(f"ok {ended}", content_type="text/plain")
