"""Every write of the politics app. Keyword-only, typed, one transaction each.

The political secretariat (``Permission.POLITICS_MANAGE``) manages bodies, members, meetings,
agendas, decisions and minutes; citizens only subscribe to notices. Case presentations and
minutes are registered in the archive through ``archive.services``; every change is audited.
Audit details and logs carry numbers and ids, never titles (a title may be screened). Notices
are tasks (``politics.tasks``) enqueued when the transaction commits.

By concept: ``bodies`` (terms, bodies, members), ``meetings``, ``agenda`` (items, case
presentations and their screening), ``decisions``, ``minutes``, ``subscriptions``; callers
import them from here.
"""

from __future__ import annotations

from ekommune.politics.services.agenda import (
    ITEM_ACCESS_RESTRICTIONS,
    agenda_item_add,
    agenda_item_video_set,
    agenda_items_refresh_screening,
    item_screening,
)
from ekommune.politics.services.bodies import body_create, membership_add, person_create, term_create
from ekommune.politics.services.common import SECRETARIAT_UNIT
from ekommune.politics.services.decisions import decision_record
from ekommune.politics.services.meetings import (
    meeting_attendance_record,
    meeting_hold,
    meeting_schedule,
    meeting_summon,
    meeting_video_set,
)
from ekommune.politics.services.minutes import minutes_approve
from ekommune.politics.services.subscriptions import (
    subscription_cancel,
    subscription_confirm,
    subscription_create,
    subscription_link_issue,
)
from ekommune.politics.types import AbsenceInput, AmendmentInput, AttendanceInput, VoteInput

__all__ = [
    "ITEM_ACCESS_RESTRICTIONS",
    "SECRETARIAT_UNIT",
    "AbsenceInput",
    "AmendmentInput",
    "AttendanceInput",
    "VoteInput",
    "agenda_item_add",
    "agenda_item_video_set",
    "agenda_items_refresh_screening",
    "body_create",
    "decision_record",
    "item_screening",
    "meeting_attendance_record",
    "meeting_hold",
    "meeting_schedule",
    "meeting_summon",
    "meeting_video_set",
    "membership_add",
    "minutes_approve",
    "person_create",
    "subscription_cancel",
    "subscription_confirm",
    "subscription_create",
    "subscription_link_issue",
    "term_create",
]
