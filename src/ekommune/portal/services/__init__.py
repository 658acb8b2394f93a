"""Every write of the portal: catalogue, forms, drafts, submissions, inbox, mailbox, notices.

Keyword-only, typed, one transaction each. Staff actions check the actor's permission in the
municipality; citizen actions take the logged-in citizen (``identity.selectors.session_citizen``)
and touch only that citizen's rows. A submission and its archive registration are one
transaction (docs/decisions/0032-submission-atomic-archive-registration.md).

By concept: ``catalogue`` (services, forms, letter templates), ``drafts``, ``submissions`` (the
submit into the archive), ``inbox`` (case workers), ``mailbox`` (letters and notice preferences
of citizens), ``common`` (what they share). Callers import ``ekommune.portal.services``.
"""

from __future__ import annotations

from ekommune.portal.services.catalogue import (
    form_definition_create,
    form_version_add,
    letter_template_save,
    service_create,
    service_update,
)
from ekommune.portal.services.common import (
    PERSONAL_DATA_SCREENING,
    SERVICE_FIELDS,
    portal_system_user_ensure,
)
from ekommune.portal.services.drafts import (
    draft_discard,
    draft_files,
    draft_save,
    draft_start,
    draft_validate,
)
from ekommune.portal.services.inbox import (
    STATUS_ORDER,
    submission_assign,
    submission_reply,
    submission_set_status,
)
from ekommune.portal.services.mailbox import (
    mailbox_message_open,
    notice_preference_set,
)
from ekommune.portal.services.submissions import submission_submit
from ekommune.portal.types import CitizenActor, Upload

__all__ = [
    "PERSONAL_DATA_SCREENING",
    "SERVICE_FIELDS",
    "STATUS_ORDER",
    "CitizenActor",
    "Upload",
    "draft_discard",
    "draft_files",
    "draft_save",
    "draft_start",
    "draft_validate",
    "form_definition_create",
    "form_version_add",
    "letter_template_save",
    "mailbox_message_open",
    "notice_preference_set",
    "portal_system_user_ensure",
    "service_create",
    "service_update",
    "submission_assign",
    "submission_reply",
    "submission_set_status",
    "submission_submit",
]
