"""The deviation register for staff (``ansatt/sikkerhet/``): report in under a minute, the list,
a deviation's way through the register, the decision on a breach, the draft notice to
Datatilsynet, quarterly statistics. Thin: forms parse, services decide, selectors read."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from ekommune.core import selectors as core_selectors
from ekommune.core import services as core_services
from ekommune.core.errors import ApplicationError, NotFoundError
from ekommune.core.http import form_error_apply, municipality_required, request_municipality
from ekommune.core.models import Municipality
from ekommune.core.permissions import Permission
from ekommune.security import charts, selectors, services
from ekommune.security.models import Deviation, DeviationKind, DeviationState
from ekommune.security.views.forms import (
    AssessForm,
    CloseForm,
    DecisionForm,
    DeviationReportForm,
    MeasuresForm,
    SettingsForm,
)
from ekommune.security.views.risk_forms import MeasureLinkForm

View = Callable[..., HttpResponseBase]


def staff_page(permission: Permission) -> Callable[[View], View]:
    """Logged-in staff holding ``permission`` here; the view is called as ``view(request, municipality, ...)``."""

    def decorate(view: View) -> View:
        @wraps(view)
        @login_required
        @municipality_required
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            municipality = request_municipality(request)
            if not core_services.permission_has(
                actor=request.user, municipality=municipality, permission=permission
            ):
                raise PermissionDenied(_("Du har ikke tilgang til avviksregisteret."))
            return view(request, municipality, *args, **kwargs)

        return wrapper

    return decorate


def _staff_choices(request: HttpRequest, municipality: Municipality) -> list[tuple[int, str]]:
    return [
        (member.user_id, member.full_name)
        for member in core_selectors.staff_search(actor=request.user, municipality=municipality)
    ]


@require_http_methods(["GET", "POST"])
@staff_page(Permission.SECURITY_REPORT)
def report(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    """Report a deviation: every member of staff may."""
    form = DeviationReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            deviation = services.deviation_report(
                actor=request.user, municipality=municipality, report=form.report()
            )
        except ApplicationError as error:
            form_error_apply(form, error)
        else:
            messages.success(
                request, _("Takk! Avviket er registrert som %(number)s.") % {"number": deviation.number}
            )
            return redirect("security:staff-report")
    return render(request, "security/staff_report.html", {"form": form}, status=400 if form.errors else 200)


@staff_page(Permission.SECURITY_VIEW)
def deviation_list(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    state = request.GET.get("status", "")
    if state not in DeviationState.values:
        state = ""
    rows = selectors.deviation_list(actor=request.user, municipality=municipality, state=state)[:200]
    now = timezone.now()
    return render(
        request,
        "security/staff_list.html",
        {
            "rows": [(row, selectors.breach_clock(deviation=row, now=now)) for row in rows],
            "states": DeviationState.choices,
            "state": state,
            "can_manage": core_services.permission_has(
                actor=request.user, municipality=municipality, permission=Permission.SECURITY_MANAGE
            ),
        },
    )


def _deviation(request: HttpRequest, municipality: Municipality, pk: int) -> Deviation:
    try:
        return selectors.deviation_get(actor=request.user, municipality=municipality, pk=pk)
    except NotFoundError as error:
        raise Http404(error.message) from error


def _detail(
    request: HttpRequest,
    municipality: Municipality,
    deviation: Deviation,
    forms: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    staff = _staff_choices(request, municipality)
    context = {
        "deviation": deviation,
        "clock": selectors.breach_clock(deviation=deviation),
        "can_manage": core_services.permission_has(
            actor=request.user, municipality=municipality, permission=Permission.SECURITY_MANAGE
        ),
        "assess_form": forms.get("assess") or AssessForm(staff=staff, prefix="assess"),
        "measures_form": forms.get("measures") or MeasuresForm(prefix="measures"),
        "close_form": forms.get("close") or CloseForm(prefix="close"),
        "decision_form": forms.get("decision") or DecisionForm(prefix="decision"),
        "is_breach": deviation.kind == DeviationKind.PERSONAL_DATA_BREACH,
        "refusals": [error for form in forms.values() for error in form.non_field_errors()],
        # a recurring cause linked to the ROS measure that answers it
        "measure_links": selectors.measure_links_of_deviation(deviation=deviation),
        "link_form": MeasureLinkForm(
            measures=[
                (m.pk, f"{m.threat.assessment.asset_name} – {m.threat.code}: {m}")
                for m in selectors.measures_open_for_linking(actor=request.user, municipality=municipality)
            ],
            prefix="link",
        ),
    }
    return render(request, "security/staff_deviation.html", context, status=status)


@staff_page(Permission.SECURITY_VIEW)
def deviation_detail(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    return _detail(request, municipality, _deviation(request, municipality, pk), {})


@require_POST
@staff_page(Permission.SECURITY_MANAGE)
def deviation_step(request: HttpRequest, municipality: Municipality, pk: int, step: str) -> HttpResponse:
    """One step through the register: ``assess``, ``measures``, ``close`` or ``decision``."""
    deviation = _deviation(request, municipality, pk)
    staff = _staff_choices(request, municipality)
    form: Any
    if step == "assess":
        form = AssessForm(request.POST, staff=staff, prefix="assess")
    elif step == "measures":
        form = MeasuresForm(request.POST, prefix="measures")
    elif step == "close":
        form = CloseForm(request.POST, prefix="close")
    elif step == "decision":
        form = DecisionForm(request.POST, prefix="decision")
    else:
        raise Http404(_("Ukjent steg."))
    if form.is_valid():
        data = form.cleaned_data
        try:
            if step == "assess":
                owner = selectors.staff_user(municipality=municipality, user_id=data["owner"])
                if owner is None:
                    raise NotFoundError("Velg en ansatt.", code="not_staff", field="owner")
                services.deviation_assess(
                    actor=request.user,
                    municipality=municipality,
                    deviation=deviation,
                    owner=owner,
                    due_date=data["due_date"],
                    assessment=data["assessment"],
                )
            elif step == "measures":
                services.deviation_measures_set(
                    actor=request.user,
                    municipality=municipality,
                    deviation=deviation,
                    measures=data["measures"],
                )
            elif step == "close":
                services.deviation_close(
                    actor=request.user,
                    municipality=municipality,
                    deviation=deviation,
                    closing_note=data["closing_note"],
                )
            else:
                services.deviation_notification_decide(
                    actor=request.user, municipality=municipality, deviation=deviation, **data
                )
        except ApplicationError as error:
            form_error_apply(form, error)
        else:
            messages.success(request, _("Avviket er oppdatert."))
            return redirect("security:staff-deviation", deviation.pk)
    return _detail(request, municipality, deviation, {step: form}, status=400)


@staff_page(Permission.SECURITY_VIEW)
def authority_notice(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    """The draft notice to Datatilsynet, filled from the register, to copy into its form."""
    deviation = _deviation(request, municipality, pk)
    if deviation.kind != DeviationKind.PERSONAL_DATA_BREACH:
        raise Http404(_("Bare brudd på personopplysningssikkerheten meldes til Datatilsynet."))
    return render(
        request,
        "security/authority_notice.html",
        {
            "deviation": deviation,
            "clock": selectors.breach_clock(deviation=deviation),
            "sections": selectors.authority_notice_draft(deviation=deviation),
        },
    )


KIND_COLOURS = {
    DeviationKind.INFORMATION_SECURITY: "#1f4e79",
    DeviationKind.PERSONAL_DATA_BREACH: "#a4262c",
    DeviationKind.OTHER: "#4d4d4d",
}


@staff_page(Permission.SECURITY_VIEW)
def statistics(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    """Deviations per quarter and class: a chart (SVG with a text alternative) and the same as a table."""
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("ar", this_year))
    except ValueError:
        year = this_year
    if not 2000 <= year <= this_year + 1:
        year = this_year
    rows = selectors.deviation_statistics(actor=request.user, municipality=municipality, year=year)
    chart = charts.grouped_bars(
        [
            (f"{row.quarter}. kv.", [row.information_security, row.personal_data_breach, row.other])
            for row in rows
        ],
        [(KIND_COLOURS[kind], str(kind.label)) for kind in DeviationKind],
    )
    return render(
        request,
        "security/statistics.html",
        {"year": year, "rows": rows, "chart": chart, "kinds": DeviationKind.choices},
    )


@require_http_methods(["GET", "POST"])
@staff_page(Permission.SECURITY_MANAGE)
def security_settings(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    staff = _staff_choices(request, municipality)
    current = selectors.security_settings(municipality=municipality)
    initial = {
        "intake_user": current.intake_user_id if current else None,
        "privacy_officer": current.privacy_officer_id if current else None,
    }
    form = SettingsForm(request.POST or None, staff=staff, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.security_settings_set(
                actor=request.user,
                municipality=municipality,
                intake_user=selectors.staff_user(
                    municipality=municipality, user_id=form.cleaned_data["intake_user"]
                ),
                privacy_officer=selectors.staff_user(
                    municipality=municipality, user_id=form.cleaned_data["privacy_officer"]
                ),
            )
        except ApplicationError as error:
            form_error_apply(form, error)
        else:
            messages.success(request, _("Innstillingene er lagret."))
            return redirect("security:staff-settings")
    return render(request, "security/staff_settings.html", {"form": form}, status=400 if form.errors else 200)
