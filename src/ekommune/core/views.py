"""Pages of the shared kernel: start pages, staff login, staff pages, health endpoints. Thin."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from ekommune.core import selectors, services
from ekommune.core.errors import ApplicationError
from ekommune.core.forms import NamedErrorsMixin
from ekommune.core.http import (
    form_error_apply,
    is_json_path,
    json_not_found,
    municipality_required,
    request_municipality,
)
from ekommune.core.models import Role
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
    password stays one message for the whole form (which of the two is wrong is not told)."""


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
