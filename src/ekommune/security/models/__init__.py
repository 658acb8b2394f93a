"""Information security and privacy: the deviation register (``deviations``), risk assessments
(``risk``) and the record of processing with its DPIA checklists (``processing``). Every model is
imported from here."""

from __future__ import annotations

from ekommune.security.models.deviations import (
    TRANSITIONS,
    Deviation,
    DeviationKind,
    DeviationSource,
    DeviationState,
    ReadReview,
    SecuritySettings,
)
from ekommune.security.models.processing import (
    PUBLIC_FIELDS,
    Article6Basis,
    Article9Basis,
    DpiaChecklist,
    ProcessingActivity,
)
from ekommune.security.models.risk import (
    AssetKind,
    DeviationMeasureLink,
    MeasureStatus,
    RiskAssessment,
    RiskAssessmentState,
    RiskAssessmentVersion,
    RiskMeasure,
    Threat,
)

__all__ = [
    "PUBLIC_FIELDS",
    "TRANSITIONS",
    "Article6Basis",
    "Article9Basis",
    "AssetKind",
    "Deviation",
    "DeviationKind",
    "DeviationMeasureLink",
    "DeviationSource",
    "DeviationState",
    "DpiaChecklist",
    "MeasureStatus",
    "ProcessingActivity",
    "ReadReview",
    "RiskAssessment",
    "RiskAssessmentState",
    "RiskAssessmentVersion",
    "RiskMeasure",
    "SecuritySettings",
    "Threat",
]
