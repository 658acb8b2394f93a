"""Pages of the shared kernel: start pages, staff login, staff pages, health endpoints. Thin."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_otp import login as otp_login

from ekommune.core import selectors, services, twofactor
from ekommune.core.errors import ApplicationError
from ekommune.core.forms import NamedErrorsMixin
from ekommune.core.http import (
    form_error_apply,
    is_json_path,
    json_not_found,
    municipality_required,
    request_municipality,
)
from ekommune.core.models import Role, User
from ekommune.core.permissions import Permission


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The municipality's start page, or the installation's list of municipalities."""
    municipality = getattr(request, "municipality", None)
    if municipality is None:
        return render(
            request, "core/installation_home.html", {"municipalities": selectors.municipality_list_active()}
        )
    return render(request, "core/home.html", {})


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The site's 404 (``handler404``): the JSON error body under ``/api/``, the page elsewhere."""
    if is_json_path(request):
        return json_not_found(request)
    return defaults.page_not_found(request, exception)


class StaffLoginForm(NamedErrorsMixin, AuthenticationForm):
    """Left empty, each field says it is missing («Brukernavn», «Passord»); a wrong name or
    password stays one message for the whole form (which of the two is wrong is not told).

    A user with two-factor login gives the code from the app (or a recovery code) in the same
    form; the device that took it is kept in the session (django-otp), decision 0227."""

    otp_token = forms.CharField(
        label=_("Engangskode"),
        required=False,
        max_length=20,
        help_text=_("Fra autentiseringsappen, eller en reservekode. Bare hvis du har slått på tofaktor."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        user = self.get_user()
        if user is not None and twofactor.two_factor_enabled(user=user):
            token = self.cleaned_data.get("otp_token", "")
            if not token:
                raise forms.ValidationError(
                    {"otp_token": _("Skriv inn engangskoden fra appen.")}, code="otp_required"
                )
            device = twofactor.two_factor_check(user=user, token=token)
            if device is None:
                raise forms.ValidationError(
                    {"otp_token": _("Engangskoden stemmer ikke.")}, code="otp_invalid"
                )
            user.otp_device = device  # type: ignore[attr-defined]  # django-otp keeps it in the session
        return cleaned


class StaffLoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = StaffLoginForm
    redirect_authenticated_user = True

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if getattr(request, "municipality", None) is None:
            raise Http404(_("Fant ingen kommune på denne adressen."))
        return super().dispatch(request, *args, **kwargs)


@municipality_required
@login_required
@require_GET
def staff_home(request: HttpRequest) -> HttpResponse:
    municipality = request_municipality(request)
    roles = selectors.staff_roles(user=request.user, municipality=municipality)
    return render(request, "core/staff_home.html", {"roles": [Role(role).label for role in roles]})


class RoleGrantForm(forms.Form):
    username = forms.CharField(label=_("Brukernavn"), max_length=150)
    role = forms.ChoiceField(label=_("Rolle"), choices=Role.choices)


@municipality_required
@login_required
@require_http_methods(["GET", "POST"])
def staff_list(request: HttpRequest) -> HttpResponse:
    municipality = request_municipality(request)
    query = request.GET.get("q", "")
    form = RoleGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = selectors.user_active_by_username(username=form.cleaned_data["username"])
        if user is None:
            form.add_error("username", _("Fant ingen aktiv bruker med dette brukernavnet."))
        else:
            try:
                services.staff_role_grant(
                    actor=request.user, municipality=municipality, user=user, role=form.cleaned_data["role"]
                )
            except ApplicationError as error:
                form_error_apply(form, error)
            else:
                messages.success(request, _("Rollen er gitt."))
                return redirect("core:staff-list")
    staff = selectors.staff_search(actor=request.user, municipality=municipality, query=query)
    can_manage = services.permission_has(
        actor=request.user, municipality=municipality, permission=Permission.MANAGE_STAFF
    )
    return render(
        request,
        "core/staff_list.html",
        {
            "staff": staff,
            "query": query,
            "form": form,
            "can_manage": can_manage,
            "role_labels": dict(Role.choices),
        },
        status=400 if form.errors else 200,
    )


@municipality_required
@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    municipality = request_municipality(request)
    events = selectors.audit_event_list(actor=request.user, municipality=municipality)
    return render(request, "core/audit_log.html", {"events": events})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not ready"
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


class TokenForm(NamedErrorsMixin, forms.Form):
    token = forms.CharField(
        label=_("Kode"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Two-factor login (decision 0227): set up the app (QR code and key, confirmed with a code),
    give the code for this session, renew the recovery codes. Recovery codes are shown once."""
    user = request.user
    assert isinstance(user, User)
    action = request.POST.get("action", "")
    form = TokenForm(request.POST if action in {"confirm", "verify"} else None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    enabled = twofactor.two_factor_enabled(user=user)
    codes: list[str] = []
    if request.method == "POST" and action == "verify" and enabled and form.is_valid():
        device = twofactor.two_factor_check(user=user, token=form.cleaned_data["token"])
        if device is None:
            form.add_error("token", _("Koden stemmer ikke."))
        else:
            otp_login(request, device)
            return redirect(next_url or "core:staff-home")
    elif request.method == "POST" and action == "confirm" and form.is_valid():
        try:
            device, codes = twofactor.totp_setup_confirm(user=user, token=form.cleaned_data["token"])
        except ApplicationError as error:
            form_error_apply(form, error)
        else:
            otp_login(request, device)
            enabled = True
    elif request.method == "POST" and action == "start":
        twofactor.totp_setup_start(user=user)
        return redirect("core:two-factor")
    elif request.method == "POST" and action == "codes" and user.is_verified():  # type: ignore[attr-defined]
        codes = twofactor.recovery_codes_renew(user=user)
    pending = None if enabled else twofactor.totp_pending(user=user)
    return render(
        request,
        "core/two_factor.html",
        {
            "enabled": enabled,
            "verified": user.is_verified(),  # type: ignore[attr-defined]
            "required": twofactor.two_factor_required(user=user),
            "pending": pending,
            "qr_svg": twofactor.totp_qr_svg(device=pending) if pending else "",
            "secret": twofactor.totp_secret_text(device=pending) if pending else "",
            "codes": codes,
            "codes_left": twofactor.recovery_codes_left(user=user) if enabled else 0,
            "form": form,
            "next": next_url,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def sessions_end(request: HttpRequest) -> HttpResponse:
    """Log out all my sessions: every browser and every API token of the user (decision 0227)."""
    user = request.user
    assert isinstance(user, User)
    if request.method == "POST":
        twofactor.user_sessions_end_all(user=user)
        auth_logout(request)
        return redirect("core:login")
    return render(request, "core/sessions.html", {})
