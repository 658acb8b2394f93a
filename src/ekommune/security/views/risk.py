"""Risk assessments for staff (``ansatt/sikkerhet/ros/``): the list, a ROS with its heat matrices
(before and after measures, each an SVG with the same figures in a table), threats, measures, the
steps (approve, revise), the approved versions, and a deviation's link to a measure. Thin: forms
parse, services decide, selectors read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from ekommune.core import services as core_services
from ekommune.core.errors import ApplicationError, NotFoundError
from ekommune.core.http import form_error_apply
from ekommune.core.models import Municipality
from ekommune.core.permissions import Permission
from ekommune.security import charts, rules, selectors, services
from ekommune.security.models import MeasureStatus, RiskAssessment, RiskAssessmentState
from ekommune.security.types import RiskMatrix
from ekommune.security.views.risk_forms import (
    MeasureForm,
    MeasureLinkForm,
    MeasureStatusForm,
    RiskAssessmentForm,
    ThreatForm,
)
from ekommune.security.views.staff import _deviation, _staff_choices, staff_page

LEVEL_NAMES = {"low": _("lav"), "medium": _("middels"), "high": _("høy")}


def _chart(matrix: RiskMatrix) -> charts.HeatMatrix:
    return charts.heat_matrix(
        [[(c.likelihood, c.consequence, c.score, c.level, list(c.codes)) for c in row] for row in matrix.rows]
    )


def _matrices(threats: Any) -> list[dict[str, Any]]:
    before, after = selectors.risk_matrices(threats)
    return [
        {"id": "for", "title": _("Risiko før tiltak"), "matrix": before, "chart": _chart(before)},
        {
            "id": "etter",
            "title": _("Risiko etter gjennomførte tiltak"),
            "matrix": after,
            "chart": _chart(after),
        },
    ]


def _threat_rows(threats: Any) -> list[dict[str, Any]]:
    rows = []
    for threat in threats:

        def value(name: str, threat: Any = threat) -> int:
            return int(threat[name] if isinstance(threat, dict) else getattr(threat, name))

        inherent = rules.Levels(
            value("likelihood"), value("confidentiality"), value("integrity"), value("availability")
        )
        left = rules.Levels(
            value("residual_likelihood"),
            value("residual_confidentiality"),
            value("residual_integrity"),
            value("residual_availability"),
        )
        rows.append(
            {
                "threat": threat,
                "inherent": inherent,
                "inherent_level": LEVEL_NAMES[rules.risk_level(inherent.score)],
                "residual": left,
                "residual_level": LEVEL_NAMES[rules.risk_level(left.score)],
            }
        )
    return rows


@staff_page(Permission.SECURITY_VIEW)
def ros_list(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    rows = []
    for assessment in selectors.risk_assessment_list(actor=request.user, municipality=municipality):
        before, after = selectors.risk_matrices(assessment.threats.all())
        rows.append((assessment, before.highest, after.highest))
    can_manage = core_services.permission_has(
        actor=request.user, municipality=municipality, permission=Permission.SECURITY_MANAGE
    )
    return render(
        request,
        "security/ros_list.html",
        {
            "rows": rows,
            "can_manage": can_manage,
            "form": RiskAssessmentForm(staff=_staff_choices(request, municipality)) if can_manage else None,
        },
    )


@require_POST
@staff_page(Permission.SECURITY_MANAGE)
def ros_create(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = RiskAssessmentForm(request.POST, staff=_staff_choices(request, municipality))
    if form.is_valid():
        try:
            assessment = services.risk_assessment_create(
                actor=request.user,
                municipality=municipality,
                asset_name=form.cleaned_data["asset_name"],
                asset_kind=form.cleaned_data["asset_kind"],
                owner_id=form.cleaned_data["owner"],
                scope=form.cleaned_data["scope"],
            )
        except ApplicationError as error:
            form_error_apply(form, error)
        else:
            return redirect("security:staff-ros", assessment.pk)
    return render(
        request, "security/ros_list.html", {"rows": [], "can_manage": True, "form": form}, status=400
    )


def _assessment(request: HttpRequest, municipality: Municipality, pk: int) -> RiskAssessment:
    try:
        return selectors.risk_assessment_get(actor=request.user, municipality=municipality, pk=pk)
    except NotFoundError as error:
        raise Http404(error.message) from error


def _detail(
    request: HttpRequest,
    municipality: Municipality,
    assessment: RiskAssessment,
    forms: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    threats = list(assessment.threats.all())
    staff = _staff_choices(request, municipality)
    links = selectors.deviation_links_of_assessment(assessment=assessment)
    return render(
        request,
        "security/ros_detail.html",
        {
            "assessment": assessment,
            "is_draft": assessment.state == RiskAssessmentState.DRAFT,
            "matrices": _matrices(threats),
            "threat_rows": _threat_rows(threats),
            "measure_rows": [
                (threat, measure, links.get(measure.pk, []))
                for threat in threats
                for measure in threat.measures.all()
            ],
            "status_choices": MeasureStatus.choices,
            "can_manage": core_services.permission_has(
                actor=request.user, municipality=municipality, permission=Permission.SECURITY_MANAGE
            ),
            "threat_form": forms.get("threat") or ThreatForm(prefix="threat"),
            "measure_form": forms.get("measure")
            or MeasureForm(staff=staff, threats=[(t.pk, str(t)) for t in threats], prefix="measure"),
            "refusals": [error for form in forms.values() for error in form.non_field_errors()],
        },
        status=status,
    )


@staff_page(Permission.SECURITY_VIEW)
def ros_detail(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    return _detail(request, municipality, _assessment(request, municipality, pk), {})


@require_POST
@staff_page(Permission.SECURITY_MANAGE)
def ros_step(request: HttpRequest, municipality: Municipality, pk: int, step: str) -> HttpResponse:
    """One step: ``threat`` (add), ``measure`` (add), ``status`` (of a measure), ``approve``, ``revise``."""
    assessment = _assessment(request, municipality, pk)
    threats = {threat.pk: threat for threat in assessment.threats.all()}
    measures = {measure.pk: measure for threat in threats.values() for measure in threat.measures.all()}
    form: Any
    if step == "threat":
        form = ThreatForm(request.POST, prefix="threat")
    elif step == "measure":
        form = MeasureForm(
            request.POST,
            staff=_staff_choices(request, municipality),
            threats=[(t.pk, str(t)) for t in threats.values()],
            prefix="measure",
        )
    elif step == "status":
        measure_id = request.POST.get("measure_id", "")
        if not measure_id.isdigit() or int(measure_id) not in measures:
            raise Http404(_("Fant ikke tiltaket."))
        form = MeasureStatusForm(request.POST, prefix=f"m{measure_id}")
    elif step in ("approve", "revise"):
        form = None
    else:
        raise Http404(_("Ukjent steg."))
    try:
        if form is not None and not form.is_valid():
            return _detail(request, municipality, assessment, {step: form}, status=400)
        if step == "threat":
            services.threat_add(
                actor=request.user, municipality=municipality, assessment=assessment, threat=form.threat()
            )
        elif step == "measure":
            services.measure_add(
                actor=request.user,
                municipality=municipality,
                threat=threats[form.cleaned_data["threat"]],
                measure=form.measure(),
            )
        elif step == "status":
            services.measure_status_set(
                actor=request.user,
                municipality=municipality,
                measure=measures[int(request.POST["measure_id"])],
                status=form.cleaned_data["status"],
            )
        elif step == "approve":
            services.risk_assessment_approve(
                actor=request.user, municipality=municipality, assessment=assessment
            )
        else:
            services.risk_assessment_revise(
                actor=request.user, municipality=municipality, assessment=assessment
            )
    except ApplicationError as error:
        if form is None:
            messages.error(request, error.message)
            return redirect("security:staff-ros", assessment.pk)
        form_error_apply(form, error)
        return _detail(request, municipality, assessment, {step: form}, status=400)
    messages.success(request, _("Risikoanalysen er oppdatert."))
    return redirect("security:staff-ros", assessment.pk)


@staff_page(Permission.SECURITY_VIEW)
def ros_version(request: HttpRequest, municipality: Municipality, pk: int, number: int) -> HttpResponse:
    """An approved version as it was approved (from its snapshot)."""
    assessment = _assessment(request, municipality, pk)
    try:
        version = selectors.risk_assessment_version_get(
            actor=request.user, municipality=municipality, assessment=assessment, number=number
        )
    except NotFoundError as error:
        raise Http404(error.message) from error
    threats = version.snapshot["threats"]
    return render(
        request,
        "security/ros_version.html",
        {
            "assessment": assessment,
            "version": version,
            "snapshot": version.snapshot,
            "matrices": _matrices(threats),
            "threat_rows": _threat_rows(threats),
        },
    )


@require_http_methods(["POST"])
@staff_page(Permission.SECURITY_MANAGE)
def deviation_measure_link(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    """Link a deviation's recurring cause to a ROS measure."""
    deviation = _deviation(request, municipality, pk)
    measures = {
        measure.pk: measure
        for measure in selectors.measures_open_for_linking(actor=request.user, municipality=municipality)
    }
    form = MeasureLinkForm(request.POST, measures=[(pk, str(m)) for pk, m in measures.items()], prefix="link")
    if form.is_valid():
        try:
            services.deviation_measure_link(
                actor=request.user,
                municipality=municipality,
                deviation=deviation,
                measure=measures[form.cleaned_data["measure"]],
                cause=form.cleaned_data["cause"],
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Avviket er koblet til ROS-tiltaket."))
    else:
        messages.error(request, _("Velg et tiltak og beskriv årsaken."))
    return redirect("security:staff-deviation", deviation.pk)
