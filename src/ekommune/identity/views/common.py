"""What the identity pages share: safe return addresses, the level asked for, a failed login's page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from ekommune.identity.types import Level, LoginError


def safe_url(request: HttpRequest, candidate: str | None, default: str = "/") -> str:
    """``candidate`` when it stays on this site, else ``default`` (no open redirects)."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def safe_next(request: HttpRequest, default: str = "/") -> str:
    return safe_url(request, request.GET.get("next") or request.POST.get("next"), default)


def home_url() -> str:
    return reverse("core:home")


def level_asked(request: HttpRequest) -> str:
    requested = request.GET.get("level", "")
    return requested if requested in {level.value for level in Level} else str(Level.SUBSTANTIAL)


def login_failed(request: HttpRequest, error: LoginError) -> HttpResponse:
    return render(request, "identity/login_error.html", {"error": error}, status=error.http_status)
