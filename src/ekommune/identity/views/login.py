"""Logging in through a provider: choose one, go there, come back (citizens and staff)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ekommune.core.http import municipality_required, request_municipality
from ekommune.core.ratelimits import rate_limited
from ekommune.identity import oidc, selectors, services
from ekommune.identity.models import ProviderKind
from ekommune.identity.types import Level, LoginError
from ekommune.identity.views.common import home_url, level_asked, login_failed, safe_next, safe_url


@never_cache
@municipality_required
@require_GET
def login(request: HttpRequest) -> HttpResponse:
    """Where ``citizen_required`` sends a visitor: choose how to log in, at the level asked for."""
    level = level_asked(request)
    next_url = safe_next(request, home_url())
    providers = selectors.login_providers(
        municipality=request_municipality(request), kinds=services.CITIZEN_KINDS
    )
    current = selectors.session_citizen(request=request)
    query = urlencode({"level": level, "next": next_url})
    choices = [
        (provider, reverse("identity:login-start", args=[provider.pk]) + "?" + query)
        for provider in providers
    ]
    return render(
        request,
        "identity/login.html",
        {
            "next": next_url,
            "level": level,
            "high": level == Level.HIGH,
            "choices": choices,
            "step_up": current is not None and not current.satisfies(level),
        },
        status=200 if choices else 503,
    )


@never_cache
@municipality_required
@require_GET
@rate_limited("login")
def login_start(request: HttpRequest, provider_id: int) -> HttpResponse:
    """Send the browser to the provider (authorization code flow with PKCE, acr_values for the level)."""
    provider = selectors.login_provider(municipality=request_municipality(request), pk=provider_id)
    if provider is None or provider.kind not in services.CITIZEN_KINDS:
        raise Http404("Ukjent innloggingstjeneste.")
    try:
        url = oidc.authorization_start(
            request=request,
            provider=provider,
            level=level_asked(request),
            next_url=safe_next(request, home_url()),
            redirect_uri=request.build_absolute_uri(reverse("identity:callback")),
        )
    except LoginError as error:
        return login_failed(request, error)
    return HttpResponseRedirect(url)


@never_cache
@municipality_required
@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    """The provider sends the browser back here with a code (or an error) and our state."""
    municipality = request_municipality(request)
    try:
        result = oidc.authorization_finish(request=request, municipality=municipality)
        next_url = safe_url(request, result.next_url, home_url())
        if result.provider.kind == ProviderKind.STAFF:
            services.staff_oidc_login(request=request, municipality=municipality, result=result)
            return HttpResponseRedirect(next_url)
        services.citizen_oidc_login(request=request, municipality=municipality, result=result)
    except LoginError as error:
        return login_failed(request, error)
    if services.session_organisations(request=request):
        return HttpResponseRedirect(reverse("identity:representation") + "?" + urlencode({"next": next_url}))
    return HttpResponseRedirect(next_url)
