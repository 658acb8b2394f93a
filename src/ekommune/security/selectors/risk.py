"""Reads of risk assessments: the list, one ROS with its threats and measures, an approved version,
the heat matrix, the reviews due a reminder, and the measures a deviation may be linked to."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from ekommune.core import services as core_services
from ekommune.core.errors import NotFoundError
from ekommune.core.models import Municipality
from ekommune.core.permissions import Permission
from ekommune.core.services import Actor
from ekommune.security import rules
from ekommune.security.models import (
    Deviation,
    DeviationMeasureLink,
    RiskAssessment,
    RiskAssessmentVersion,
    RiskMeasure,
)
from ekommune.security.selectors.deviations import security_settings
from ekommune.security.types import MatrixCell, RiskMatrix

REVIEW_NOTICE_DAYS = 30


def _view(actor: Actor, municipality: Municipality) -> None:
    core_services.permission_require(
        actor=actor, municipality=municipality, permission=Permission.SECURITY_VIEW
    )


def risk_assessment_list(*, actor: Actor, municipality: Municipality) -> QuerySet[RiskAssessment]:
    """The municipality's risk assessments with their threats (for the highest risks)."""
    _view(actor, municipality)
    return (
        RiskAssessment.objects.filter(municipality=municipality)
        .select_related("owner")
        .prefetch_related("threats")
        .order_by("asset_name", "pk")
    )


def risk_assessment_get(*, actor: Actor, municipality: Municipality, pk: int) -> RiskAssessment:
    """One ROS with its threats, their measures and owners (another municipality's is not found)."""
    _view(actor, municipality)
    row = (
        RiskAssessment.objects.filter(municipality=municipality, pk=pk)
        .select_related("owner")
        .prefetch_related("threats__measures__owner", "versions")
        .first()
    )
    if row is None:
        raise NotFoundError("Fant ikke risikoanalysen.", code="not_found")
    return row


def risk_assessment_version_get(
    *, actor: Actor, municipality: Municipality, assessment: RiskAssessment, number: int
) -> RiskAssessmentVersion:
    """An approved version of a ROS, as it was approved."""
    _view(actor, municipality)
    row = (
        RiskAssessmentVersion.objects.filter(municipality=municipality, assessment=assessment, number=number)
        .select_related("approved_by")
        .first()
    )
    if row is None:
        raise NotFoundError("Fant ikke versjonen.", code="not_found")
    return row


def risk_matrix(points: Iterable[tuple[str, int, int]]) -> RiskMatrix:
    """The heat matrix of ``(code, likelihood, consequence)`` points."""
    by_cell: dict[tuple[int, int], list[str]] = {}
    for code, likelihood, consequence in points:
        by_cell.setdefault((likelihood, consequence), []).append(code)
    return RiskMatrix(
        tuple(
            tuple(
                MatrixCell(
                    likelihood=likelihood,
                    consequence=consequence,
                    score=rules.risk_score(likelihood, consequence),
                    level=rules.risk_level(rules.risk_score(likelihood, consequence)),
                    codes=tuple(by_cell.get((likelihood, consequence), ())),
                )
                for consequence in rules.SCALE
            )
            for likelihood in reversed(rules.SCALE)
        )
    )


def _points(threats: Iterable[Any], *, residual: bool) -> list[tuple[str, int, int]]:
    prefix = "residual_" if residual else ""

    def value(threat: Any, name: str) -> int:
        return int(threat[name] if isinstance(threat, dict) else getattr(threat, name))

    return [
        (
            threat["code"] if isinstance(threat, dict) else threat.code,
            value(threat, f"{prefix}likelihood"),
            rules.consequence(
                confidentiality=value(threat, f"{prefix}confidentiality"),
                integrity=value(threat, f"{prefix}integrity"),
                availability=value(threat, f"{prefix}availability"),
            ),
        )
        for threat in threats
    ]


def risk_matrices(threats: Iterable[Any]) -> tuple[RiskMatrix, RiskMatrix]:
    """The matrix before measures and the one after the done measures, of live threats or of a
    version's snapshot (dicts)."""
    threats = list(threats)
    return risk_matrix(_points(threats, residual=False)), risk_matrix(_points(threats, residual=True))


def reviews_due_reminder(*, today: dt.date | None = None) -> list[tuple[int, int]]:
    """(ROS id, stage) of every ROS whose yearly review is a month away (1) or due (2) without
    its reminder; stage 2 when both have passed."""
    today = today or timezone.localdate()
    rows = (
        RiskAssessment.objects.filter(
            review_due__isnull=False,
            review_due__lte=today + dt.timedelta(days=REVIEW_NOTICE_DAYS),
            review_reminders_sent__lt=2,
        )
        .values_list("pk", "review_due", "review_reminders_sent")
        .order_by("pk")
    )
    due = []
    for pk, review_due, sent in rows:
        stage = 2 if review_due is not None and review_due <= today else 1
        if stage > sent:
            due.append((pk, stage))
    return due


def review_recipients(*, assessment: RiskAssessment) -> list[str]:
    """The ROS's owner and the privacy officer; the municipality's post address when neither has e-mail."""
    settings_row = security_settings(municipality=assessment.municipality)
    people = [assessment.owner, settings_row.privacy_officer if settings_row else None]
    addresses = sorted({person.email for person in people if person is not None and person.email})
    return addresses or [assessment.municipality.email]


def measures_open_for_linking(*, actor: Actor, municipality: Municipality) -> QuerySet[RiskMeasure]:
    """The measures of the municipality's ROS a deviation's cause may be linked to (not done yet
    first, then the done ones)."""
    _view(actor, municipality)
    return (
        RiskMeasure.objects.filter(municipality=municipality)
        .select_related("threat__assessment")
        .order_by("status", "threat__assessment__asset_name", "threat__number", "pk")
    )


def measure_links_of_deviation(*, deviation: Deviation) -> QuerySet[DeviationMeasureLink]:
    return DeviationMeasureLink.objects.filter(deviation=deviation).select_related(
        "measure__threat__assessment"
    )


def deviation_links_of_assessment(*, assessment: RiskAssessment) -> dict[int, list[DeviationMeasureLink]]:
    """The deviations linked to each measure of the ROS, by measure id."""
    links: dict[int, list[DeviationMeasureLink]] = {}
    for link in DeviationMeasureLink.objects.filter(measure__threat__assessment=assessment).select_related(
        "deviation"
    ):
        links.setdefault(link.measure_id, []).append(link)
    return links
