"""Citizen login and logout pages. The OpenID Connect flow is added by the relying party."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from ekommune.identity import services


def _safe_next(request: HttpRequest, default: str = "/") -> str:
    candidate = request.GET.get("next") or request.POST.get("next") or default
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
        return candidate
    return default


def login(request: HttpRequest) -> HttpResponse:
    """Where ``citizen_required`` sends a visitor: choose how to log in (none configured yet)."""
    return render(
        request,
        "identity/login.html",
        {"next": _safe_next(request), "level": request.GET.get("level", "")},
        status=503,
    )


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    services.citizen_session_logout(request=request, municipality=getattr(request, "municipality", None))
    return redirect(_safe_next(request))
