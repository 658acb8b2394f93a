"""Login and logout pages: citizens through ID-porten or Feide, staff through the municipality's provider.

Thin: the relying party (``oidc``) checks the provider's answer, the services log people in.
A failed login renders ``identity/login_error.html`` with the error's 4xx status; nobody is
logged in by it.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ekommune.core.errors import ValidationError
from ekommune.core.models import Municipality
from ekommune.identity import oidc, selectors, services
from ekommune.identity.access import citizen_required
from ekommune.identity.errors import LoginError
from ekommune.identity.levels import Level
from ekommune.identity.models import ProviderKind

LOGOUT_KEY = "ekommune.oidc.logout"


def _safe(request: HttpRequest, candidate: str | None, default: str = "/") -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _safe_next(request: HttpRequest, default: str = "/") -> str:
    return _safe(request, request.GET.get("next") or request.POST.get("next"), default)


def _home(request: HttpRequest) -> str:
    return reverse("core:home")


def _level(request: HttpRequest) -> str:
    requested = request.GET.get("level", "")
    return requested if requested in {level.value for level in Level} else str(Level.SUBSTANTIAL)


def _municipality(request: HttpRequest) -> Municipality | None:
    return getattr(request, "municipality", None)


def _login_failed(request: HttpRequest, error: LoginError) -> HttpResponse:
    return render(request, "identity/login_error.html", {"error": error}, status=error.http_status)


@never_cache
@require_GET
def login(request: HttpRequest) -> HttpResponse:
    """Where ``citizen_required`` sends a visitor: choose how to log in, at the level asked for."""
    level = _level(request)
    next_url = _safe_next(request, _home(request))
    providers = selectors.login_providers(municipality=_municipality(request), kinds=services.CITIZEN_KINDS)
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
@require_GET
def login_start(request: HttpRequest, provider_id: int) -> HttpResponse:
    """Send the browser to the provider (authorization code flow with PKCE, acr_values for the level)."""
    provider = selectors.login_provider(municipality=_municipality(request), pk=provider_id)
    if provider is None or provider.kind not in services.CITIZEN_KINDS:
        raise Http404("Ukjent innloggingstjeneste.")
    try:
        url = oidc.authorization_start(
            request=request,
            provider=provider,
            level=_level(request),
            next_url=_safe_next(request, _home(request)),
            redirect_uri=request.build_absolute_uri(reverse("identity:callback")),
        )
    except LoginError as error:
        return _login_failed(request, error)
    return HttpResponseRedirect(url)


@never_cache
@require_GET
def staff_login_start(request: HttpRequest) -> HttpResponse:
    """Staff: log in through the municipality's own identity provider (single sign-on)."""
    municipality = _municipality(request)
    providers = selectors.login_providers(municipality=municipality, kinds=(ProviderKind.STAFF,))
    if not providers:
        raise Http404("Kommunen har ikke satt opp innlogging for ansatte med egen identitetstjeneste.")
    try:
        url = oidc.authorization_start(
            request=request,
            provider=providers[0],
            level=Level.SUBSTANTIAL,
            next_url=_safe_next(request, reverse("core:staff-home")),
            redirect_uri=request.build_absolute_uri(reverse("identity:callback")),
        )
    except LoginError as error:
        return _login_failed(request, error)
    return HttpResponseRedirect(url)


@never_cache
@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    """The provider sends the browser back here with a code (or an error) and our state."""
    municipality = _municipality(request)
    try:
        result = oidc.authorization_finish(request=request, municipality=municipality)
        assert municipality is not None  # authorization_finish finds no provider without one
        next_url = _safe(request, result.next_url, _home(request))
        if result.provider.kind == ProviderKind.STAFF:
            services.staff_oidc_login(request=request, municipality=municipality, result=result)
            return HttpResponseRedirect(next_url)
        services.citizen_oidc_login(request=request, municipality=municipality, result=result)
    except LoginError as error:
        return _login_failed(request, error)
    if services.session_organisations(request=request):
        return HttpResponseRedirect(reverse("identity:representation") + "?" + urlencode({"next": next_url}))
    return HttpResponseRedirect(next_url)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """End the citizen's session here and, when the provider has one, its session too (end_session)."""
    municipality = _municipality(request)
    next_url = _safe_next(request)
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
@require_GET
def logged_out(request: HttpRequest) -> HttpResponse:
    """Where the provider sends the browser after its logout."""
    pending = request.session.pop(LOGOUT_KEY, None) or {}
    confirmed = bool(pending) and oidc.end_session_returned(request=request, provider_pk=pending["provider"])
    next_url = _safe(request, pending.get("next"), _home(request))
    return render(request, "identity/logged_out.html", {"next": next_url, "confirmed": confirmed})


@never_cache
@xframe_options_exempt  # the provider loads this in a hidden frame
@require_GET
def frontchannel_logout(request: HttpRequest) -> HttpResponse:
    """OpenID Connect Front-Channel Logout: the provider ended its session ``sid``; end ours."""
    municipality = _municipality(request)
    if municipality is None:
        raise Http404
    issuer, sid = request.GET.get("iss", ""), request.GET.get("sid", "")
    current = request.session.get(services.SESSION_KEY) or {}
    if sid and current.get("sid") == sid:
        services.citizen_session_logout(request=request, municipality=municipality)
    ended = services.citizen_frontchannel_logout(municipality=municipality, issuer=issuer, sid=sid)
    return HttpResponse(f"ok {ended}", content_type="text/plain")


@never_cache
@require_http_methods(["GET", "POST"])
@citizen_required(Level.SUBSTANTIAL)
def representation(request: HttpRequest) -> HttpResponse:
    """Choose whom to act for: oneself or one of the organisations found at login."""
    next_url = _safe_next(request, _home(request))
    organisations = services.session_organisations(request=request)
    current = selectors.session_citizen(request=request)
    error: ValidationError | None = None
    if request.method == "POST":
        try:
            services.citizen_session_act_for(
                request=request,
                municipality=_municipality(request),
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
