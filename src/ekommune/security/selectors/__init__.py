"""Reads of the security app; permission is checked here, once.

By concept: ``deviations`` (the register, the 72-hour clock, the draft notice, statistics),
``risk`` (risk assessments, heat matrices, reviews due), ``processing`` (the record of processing
and its public page). Callers import ``ekommune.security.selectors``.
"""

from __future__ import annotations

from ekommune.security.reads import READ_SAMPLE_SIZE, person_reads, read_week, this_week, week_bounds
from ekommune.security.selectors.deviations import (
    BREACH_HOURS,
    REMINDER_HOURS,
    authority_notice_draft,
    breach_clock,
    breaches_due_reminder,
    deviation_get,
    deviation_list,
    deviation_statistics,
    path,
    read_reviews,
    reminder_recipients,
    security_settings,
    site_url,
    staff_user,
)
from ekommune.security.selectors.processing import (
    dpia_current,
    processing_activity_get,
    processing_activity_list,
    public_processing_activities,
)
from ekommune.security.selectors.risk import (
    REVIEW_NOTICE_DAYS,
    deviation_links_of_assessment,
    measure_links_of_deviation,
    measures_open_for_linking,
    review_recipients,
    reviews_due_reminder,
    risk_assessment_get,
    risk_assessment_list,
    risk_assessment_version_get,
    risk_matrices,
    risk_matrix,
)

__all__ = [
    "BREACH_HOURS",
    "READ_SAMPLE_SIZE",
    "REMINDER_HOURS",
    "REVIEW_NOTICE_DAYS",
    "authority_notice_draft",
    "breach_clock",
    "breaches_due_reminder",
    "deviation_get",
    "deviation_links_of_assessment",
    "deviation_list",
    "deviation_statistics",
    "dpia_current",
    "measure_links_of_deviation",
    "measures_open_for_linking",
    "path",
    "person_reads",
    "processing_activity_get",
    "processing_activity_list",
    "public_processing_activities",
    "read_reviews",
    "read_week",
    "reminder_recipients",
    "review_recipients",
    "reviews_due_reminder",
    "risk_assessment_get",
    "risk_assessment_list",
    "risk_assessment_version_get",
    "risk_matrices",
    "risk_matrix",
    "security_settings",
    "site_url",
    "staff_user",
    "this_week",
    "week_bounds",
]
