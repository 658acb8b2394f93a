"""Every write of the security app: keyword-only, typed, one transaction each, permission first.

By concept: ``deviations`` (the deviation register and its 72-hour clock), ``risk`` (risk
assessments, their measures, versions and archived PDF/A documents), ``processing`` (the record
of processing and the DPIA checklists). Callers import ``ekommune.security.services``.
"""

from __future__ import annotations

from ekommune.security.services.deviations import (
    BREACH_HOURS,
    DEVIATION_CLASS,
    PERSONS_BASIS,
    SECURITY_BASIS,
    breach_reminder_claim,
    deviation_assess,
    deviation_close,
    deviation_measures_set,
    deviation_notification_decide,
    deviation_report,
    deviation_report_public,
    read_review_record,
    security_settings_set,
)
from ekommune.security.services.processing import (
    OWN_PROCESSING,
    dpia_checklist_record,
    dpia_complete,
    processing_activity_save,
    processing_record_prefill,
)
from ekommune.security.services.risk import (
    REVIEW_INTERVAL_DAYS,
    deviation_measure_link,
    measure_add,
    measure_status_set,
    review_reminder_claim,
    risk_assessment_approve,
    risk_assessment_create,
    risk_assessment_revise,
    threat_add,
    threat_update,
)

__all__ = [
    "BREACH_HOURS",
    "DEVIATION_CLASS",
    "OWN_PROCESSING",
    "PERSONS_BASIS",
    "REVIEW_INTERVAL_DAYS",
    "SECURITY_BASIS",
    "breach_reminder_claim",
    "deviation_assess",
    "deviation_close",
    "deviation_measure_link",
    "deviation_measures_set",
    "deviation_notification_decide",
    "deviation_report",
    "deviation_report_public",
    "dpia_checklist_record",
    "dpia_complete",
    "measure_add",
    "measure_status_set",
    "processing_activity_save",
    "processing_record_prefill",
    "read_review_record",
    "review_reminder_claim",
    "risk_assessment_approve",
    "risk_assessment_create",
    "risk_assessment_revise",
    "security_settings_set",
    "threat_add",
    "threat_update",
]
