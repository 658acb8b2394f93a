"""Writes of risk assessments (ROS-analyser): keyword-only, typed, one transaction each.

A ROS is a draft while its threats and measures are written; approving it freezes a version
(snapshot + PDF/A document in a screened archive case, offl. § 24 third paragraph) and sets the
yearly review; revising opens the next version. A measure's status may change at any time, and
the threat's residual levels are recomputed from its done measures in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ekommune.archive import selectors as archive_selectors
from ekommune.archive import services as archive_services
from ekommune.core import services as core_services
from ekommune.core.errors import ConflictError, NotFoundError, ValidationError
from ekommune.core.models import Municipality, User
from ekommune.core.permissions import Permission
from ekommune.core.services import Actor
from ekommune.security import pdf, rules
from ekommune.security.models import (
    AssetKind,
    Deviation,
    DeviationMeasureLink,
    MeasureStatus,
    RiskAssessment,
    RiskAssessmentState,
    RiskAssessmentVersion,
    RiskMeasure,
    Threat,
)
from ekommune.security.services.deviations import DEVIATION_CLASS, SECURITY_BASIS, _intake, _staff_required
from ekommune.security.types import MeasureInput, ThreatInput

REVIEW_INTERVAL_DAYS = 365
_SCREENING = archive_services.ScreeningInput(
    access_restriction="24", legal_basis=SECURITY_BASIS, screened_metadata=["TRO"], screened_document="H"
)


def _manage(actor: Actor, municipality: Municipality) -> None:
    core_services.permission_require(
        actor=actor, municipality=municipality, permission=Permission.SECURITY_MANAGE
    )


def _audit(
    actor: Actor, municipality: Municipality, action: str, assessment: RiskAssessment, **detail: Any
) -> None:
    core_services.audit_event_record(
        actor=actor,
        municipality=municipality,
        action=f"security.ros.{action}",
        object_type="ros",
        object_id=assessment.pk,
        detail={"ros": assessment.asset_name, "versjon": assessment.version, **detail},
    )


def _owner(municipality: Municipality, owner_id: int, field: str = "owner") -> User:
    owner = User.objects.filter(pk=owner_id, is_active=True).first()
    if owner is None:
        raise ValidationError("Velg en ansatt i kommunen.", code="not_staff", field=field)
    _staff_required(municipality, owner, field=field)
    return owner


def _draft(assessment: RiskAssessment) -> None:
    if assessment.state != RiskAssessmentState.DRAFT:
        raise ConflictError(
            "Analysen er godkjent. Start en revisjon for å endre hendelser og tiltak.", code="not_a_draft"
        )


def risk_assessment_create(
    *,
    actor: Actor,
    municipality: Municipality,
    asset_name: str,
    asset_kind: str,
    owner_id: int,
    scope: str = "",
) -> RiskAssessment:
    """A new ROS of an asset (a system, a service, a process), as a draft of version 1."""
    _manage(actor, municipality)
    if asset_kind not in AssetKind.values:
        raise ValidationError(
            "Velg hva slags eiendel analysen gjelder.", code="unknown_asset_kind", field="asset_kind"
        )
    if not asset_name.strip():
        raise ValidationError("Feltet må fylles ut.", code="required", field="asset_name")
    owner = _owner(municipality, owner_id)
    with transaction.atomic():
        assessment = RiskAssessment.objects.create(
            municipality=municipality,
            asset_name=asset_name.strip(),
            asset_kind=asset_kind,
            scope=scope.strip(),
            owner=owner,
        )
        _audit(actor, municipality, "create", assessment)
    return assessment


def _levels_checked(threat: ThreatInput) -> rules.Levels:
    if not threat.title.strip():
        raise ValidationError("Feltet må fylles ut.", code="required", field="title")
    for name in ("likelihood", "confidentiality", "integrity", "availability"):
        if getattr(threat, name) not in rules.SCALE:
            raise ValidationError("Velg en verdi fra 1 til 5.", code="out_of_scale", field=name)
    return rules.Levels(threat.likelihood, threat.confidentiality, threat.integrity, threat.availability)


def _residual_apply(threat: Threat) -> None:
    """Set the threat's residual levels from its done measures (the caller saves)."""
    done = threat.measures.filter(status=MeasureStatus.DONE).values_list(
        "reduces_likelihood", "reduces_consequence"
    )
    left = rules.residual(
        rules.Levels(threat.likelihood, threat.confidentiality, threat.integrity, threat.availability), done
    )
    threat.residual_likelihood = left.likelihood
    threat.residual_confidentiality = left.confidentiality
    threat.residual_integrity = left.integrity
    threat.residual_availability = left.availability


def threat_add(
    *, actor: Actor, municipality: Municipality, assessment: RiskAssessment, threat: ThreatInput
) -> Threat:
    """An unwanted event with its likelihood and consequences, in a draft ROS."""
    _manage(actor, municipality)
    with transaction.atomic():
        row = core_services.tenant_row_lock(RiskAssessment, pk=assessment.pk, municipality=municipality)
        _draft(row)
        levels = _levels_checked(threat)
        number = (row.threats.aggregate(n=Max("number"))["n"] or 0) + 1
        created = Threat.objects.create(
            municipality=municipality,
            assessment=row,
            number=number,
            title=threat.title.strip(),
            description=threat.description.strip(),
            likelihood=levels.likelihood,
            confidentiality=levels.confidentiality,
            integrity=levels.integrity,
            availability=levels.availability,
            residual_likelihood=levels.likelihood,
            residual_confidentiality=levels.confidentiality,
            residual_integrity=levels.integrity,
            residual_availability=levels.availability,
        )
        _audit(actor, municipality, "threat_add", row, hendelse=created.code, risiko=levels.score)
    return created


def threat_update(*, actor: Actor, municipality: Municipality, threat: Threat, values: ThreatInput) -> Threat:
    """New levels or words for a threat of a draft ROS; the residual levels follow."""
    _manage(actor, municipality)
    with transaction.atomic():
        row = core_services.tenant_row_lock(Threat, pk=threat.pk, municipality=municipality)
        _draft(row.assessment)
        levels = _levels_checked(values)
        row.title, row.description = values.title.strip(), values.description.strip()
        row.likelihood, row.confidentiality = levels.likelihood, levels.confidentiality
        row.integrity, row.availability = levels.integrity, levels.availability
        _residual_apply(row)
        row.save()
        _audit(actor, municipality, "threat_update", row.assessment, hendelse=row.code, risiko=levels.score)
    return row


def measure_add(
    *, actor: Actor, municipality: Municipality, threat: Threat, measure: MeasureInput
) -> RiskMeasure:
    """A measure against a threat of a draft ROS, with an owner and a due date."""
    _manage(actor, municipality)
    with transaction.atomic():
        row = core_services.tenant_row_lock(Threat, pk=threat.pk, municipality=municipality)
        _draft(row.assessment)
        if not measure.description.strip():
            raise ValidationError("Feltet må fylles ut.", code="required", field="description")
        for name in ("reduces_likelihood", "reduces_consequence"):
            if getattr(measure, name) not in range(rules.MAX_REDUCTION + 1):
                raise ValidationError("Velg 0 til 4 trinn.", code="out_of_scale", field=name)
        owner = _owner(municipality, measure.owner_id)
        created = RiskMeasure.objects.create(
            municipality=municipality,
            threat=row,
            description=measure.description.strip(),
            owner=owner,
            due_date=measure.due_date,
            reduces_likelihood=measure.reduces_likelihood,
            reduces_consequence=measure.reduces_consequence,
        )
        _audit(actor, municipality, "measure_add", row.assessment, hendelse=row.code, tiltak=created.pk)
    return created


def measure_status_set(
    *, actor: Actor, municipality: Municipality, measure: RiskMeasure, status: str
) -> RiskMeasure:
    """Planned, in progress or done; the threat's residual risk is recomputed in the same transaction."""
    _manage(actor, municipality)
    if status not in MeasureStatus.values:
        raise ValidationError("Ukjent status.", code="unknown_status", field="status")
    with transaction.atomic():
        row = core_services.tenant_row_lock(RiskMeasure, pk=measure.pk, municipality=municipality)
        threat = core_services.tenant_row_lock(Threat, pk=row.threat_id, municipality=municipality)
        row.status = status
        row.done_at = (row.done_at or timezone.now()) if status == MeasureStatus.DONE else None
        row.save()
        before = rules.risk_score(threat.residual_likelihood, _residual_consequence(threat))
        _residual_apply(threat)
        threat.save()
        _audit(
            actor,
            municipality,
            "measure_status",
            threat.assessment,
            tiltak=row.pk,
            status=status,
            restrisiko_for=before,
            restrisiko=rules.risk_score(threat.residual_likelihood, _residual_consequence(threat)),
        )
    return row


def _residual_consequence(threat: Threat) -> int:
    return rules.consequence(
        confidentiality=threat.residual_confidentiality,
        integrity=threat.residual_integrity,
        availability=threat.residual_availability,
    )


def _snapshot(assessment: RiskAssessment) -> dict[str, Any]:
    """What the approved version says, as plain data (JSON) the version page and the PDF read."""
    threats = []
    for threat in assessment.threats.prefetch_related("measures__owner").order_by("number"):
        threats.append(
            {
                "code": threat.code,
                "title": threat.title,
                "description": threat.description,
                **{
                    name: getattr(threat, name)
                    for name in (
                        "likelihood",
                        "confidentiality",
                        "integrity",
                        "availability",
                        "residual_likelihood",
                        "residual_confidentiality",
                        "residual_integrity",
                        "residual_availability",
                    )
                },
                "measures": [
                    {
                        "description": measure.description,
                        "owner": measure.owner.get_full_name() or measure.owner.get_username(),
                        "due_date": measure.due_date.isoformat(),
                        "status": measure.status,
                        "reduces_likelihood": measure.reduces_likelihood,
                        "reduces_consequence": measure.reduces_consequence,
                    }
                    for measure in threat.measures.all()
                ],
            }
        )
    return {
        "asset_name": assessment.asset_name,
        "asset_kind": assessment.asset_kind,
        "scope": assessment.scope,
        "owner": assessment.owner.get_full_name() or assessment.owner.get_username(),
        "threats": threats,
    }


def risk_assessment_approve(
    *, actor: Actor, municipality: Municipality, assessment: RiskAssessment
) -> RiskAssessment:
    """draft → approved: the version is frozen, archived as a PDF/A document in the ROS's screened
    case (opened at the first approval), and the next review is due in a year."""
    _manage(actor, municipality)
    assert isinstance(actor, User)
    with transaction.atomic():
        row = core_services.tenant_row_lock(RiskAssessment, pk=assessment.pk, municipality=municipality)
        _draft(row)
        if not row.threats.exists():
            raise ConflictError("En analyse uten uønskede hendelser kan ikke godkjennes.", code="no_threats")
        now = timezone.now()
        snapshot = _snapshot(row)
        intake = _intake(municipality)
        case_file: Any
        if row.case_system_id is None:
            series = archive_selectors.series_current(actor=intake, municipality=municipality)
            if series is None:
                raise ConflictError("Kommunen har ingen åpen arkivdel.", code="no_open_series")
            case_file = archive_services.NewCaseFile(
                series=series,
                title=f"ROS-analyse - {row.asset_name}",
                public_title="ROS-analyse",
                administrative_unit="Informasjonssikkerhet",
                case_responsible=intake.get_full_name() or intake.get_username(),
                primary_class=archive_selectors.series_class_for_new_case(
                    municipality=municipality, series=series, preferred_class_id=DEVIATION_CLASS
                ),
                screening=archive_services.ScreeningInput(
                    access_restriction="24", legal_basis=SECURITY_BASIS, screened_metadata=["TMO"]
                ),
            )
        else:
            case_file = archive_selectors.case_file_by_system_id(
                actor=intake, municipality=municipality, system_id=row.case_system_id
            )
            if case_file is None:
                raise NotFoundError("Fant ikke saken til analysen i arkivet.", code="case_missing")
        document = pdf.risk_assessment_pdf(
            municipality_name=municipality.name,
            snapshot=snapshot,
            version=row.version,
            approved_at=timezone.localtime(now),
            approved_by=actor.get_full_name() or actor.get_username(),
        )
        entry = archive_services.registry_entry_register(
            actor=intake,
            municipality=municipality,
            case_file=case_file,
            entry_type="X",
            title=f"ROS-analyse - {row.asset_name}, versjon {row.version}",
            public_title="ROS-analyse",
            documents=[
                archive_services.DocumentInput(
                    title=f"ROS-analyse {row.asset_name} v{row.version}"[:255],
                    file_name=f"ros-analyse-v{row.version}.pdf",
                    content=io.BytesIO(document),
                )
            ],
            screening=_SCREENING,
        )
        RiskAssessmentVersion.objects.create(
            municipality=municipality,
            assessment=row,
            number=row.version,
            approved_at=now,
            approved_by=actor,
            snapshot=snapshot,
            entry_system_id=entry.system_id,
        )
        row.case_system_id = entry.case_file.system_id
        row.state = RiskAssessmentState.APPROVED
        row.approved_at = now
        row.review_due = timezone.localdate(now) + dt.timedelta(days=REVIEW_INTERVAL_DAYS)
        row.review_reminders_sent = 0
        row.save()
        _audit(actor, municipality, "approve", row, neste_gjennomgang=row.review_due.isoformat())
    return row


def risk_assessment_revise(
    *, actor: Actor, municipality: Municipality, assessment: RiskAssessment
) -> RiskAssessment:
    """approved → draft of the next version (the yearly review, or a change): the approved
    versions stay readable; the review date stands until the new version is approved."""
    _manage(actor, municipality)
    with transaction.atomic():
        row = core_services.tenant_row_lock(RiskAssessment, pk=assessment.pk, municipality=municipality)
        if row.state != RiskAssessmentState.APPROVED:
            raise ConflictError("Bare en godkjent analyse kan revideres.", code="not_approved")
        row.state = RiskAssessmentState.DRAFT
        row.version += 1
        row.save()
        _audit(actor, municipality, "revise", row)
    return row


def review_reminder_claim(*, assessment_id: int, stage: int) -> RiskAssessment | None:
    """Mark review reminder ``stage`` (1: a month before, 2: due) of a ROS as sent, in the caller's
    transaction; None when it is sent already or another worker holds it."""
    row = (
        RiskAssessment.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(pk=assessment_id, review_due__isnull=False, review_reminders_sent__lt=stage)
        .select_related("municipality", "owner")
        .first()
    )
    if row is None:
        return None
    row.review_reminders_sent = stage
    row.save(update_fields=["review_reminders_sent"])
    _audit(None, row.municipality, "review_reminder", row, trinn=stage)
    return row


def deviation_measure_link(
    *, actor: Actor, municipality: Municipality, deviation: Deviation, measure: RiskMeasure, cause: str
) -> DeviationMeasureLink:
    """Link a deviation's (recurring) cause to the ROS measure that answers it."""
    _manage(actor, municipality)
    core_services.tenant_object_check(deviation, municipality=municipality, field="deviation")
    core_services.tenant_object_check(measure, municipality=municipality, field="measure")
    if not cause.strip():
        raise ValidationError("Beskriv årsaken.", code="required", field="cause")
    with transaction.atomic():
        if DeviationMeasureLink.objects.filter(deviation=deviation, measure=measure).exists():
            raise ConflictError(
                "Avviket er allerede koblet til tiltaket.", code="already_linked", field="measure"
            )
        assert isinstance(actor, User)
        link = DeviationMeasureLink.objects.create(
            municipality=municipality,
            deviation=deviation,
            measure=measure,
            cause=cause.strip()[:300],
            linked_by=actor,
        )
        core_services.audit_event_record(
            actor=actor,
            municipality=municipality,
            action="security.deviation.measure_link",
            object_type="avvik",
            object_id=deviation.pk,
            detail={"avvik": deviation.number, "tiltak": measure.pk},
        )
    return link
