"""Minutes (møteprotokoll): approved, generated from public values, archived and published."""

from __future__ import annotations

import io

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from ekommune.archive import selectors as archive_selectors
from ekommune.archive import services as archive_services
from ekommune.core.models import Municipality
from ekommune.core.services import Actor, tenant_row_lock
from ekommune.politics import selectors
from ekommune.politics.models import Decision, Meeting, Minutes
from ekommune.politics.services.common import audit, secretariat_require, touch
from ekommune.politics.types import MeetingRuleError


def minutes_approve(*, actor: Actor, municipality: Municipality, meeting: Meeting) -> Minutes:
    """Approve the minutes (protokoll) of a held meeting: every item needs a decision.

    The minutes are generated as an HTML document, archived in the body's minutes case
    (journalpost X, finalised), published, and every decision of the meeting becomes final.
    """
    label = secretariat_require(actor, municipality)
    with transaction.atomic():
        locked = tenant_row_lock(Meeting, pk=meeting.pk, municipality=municipality)
        if locked.status != Meeting.Status.HELD:
            raise MeetingRuleError("Bare protokollen for et avholdt møte kan godkjennes.", code="not_held")
        undecided = [item.number for item in locked.items.filter(decision__isnull=True)]
        if undecided:
            raise MeetingRuleError(
                f"Sakene mangler vedtak: {', '.join(undecided)}.", code="items_without_decision"
            )
        now = timezone.now()
        Decision.objects.filter(item__meeting=locked).update(final_at=now)
        locked.status = Meeting.Status.MINUTES_APPROVED
        locked.save(update_fields=["status"])
        touch(municipality=municipality, item_ids=locked.items.values_list("pk", flat=True))
        html = render_to_string(
            "politics/minutes_document.html",
            {
                "municipality": municipality,
                "meeting": locked,
                "items": selectors.public_items_of_meeting(municipality=municipality, meeting=locked),
                "attendance": selectors.meeting_attendance(municipality=municipality, meeting=locked),
                "approved_at": now,
            },
        )
        body = locked.body
        case_file = archive_selectors.case_file_by_number(
            actor=actor, municipality=municipality, case_number=body.minutes_case_number
        )
        name = f"Møteprotokoll {body.abbreviation} {timezone.localtime(locked.starts_at):%Y-%m-%d}"
        entry = archive_services.registry_entry_register(
            actor=actor,
            municipality=municipality,
            case_file=case_file,
            entry_type="X",
            title=f"{name} – {body.name}",
            status="F",
            document_date=timezone.localdate(now),
            documents=[
                archive_services.DocumentInput(
                    title=name, file_name=f"{name}.html", content=io.BytesIO(html.encode("utf-8"))
                )
            ],
        )
        file_object_id = selectors.entry_file_object_id(municipality=municipality, system_id=entry.system_id)
        minutes = Minutes.objects.create(
            municipality=municipality,
            meeting=locked,
            entry_system_id=entry.system_id,
            file_object_id=file_object_id,
            generated_at=now,
            approved_at=now,
            approved_by=label,
        )
        audit(actor, municipality, "minutes.approve", minutes, meeting=locked.pk, entry=str(entry.system_id))
    return minutes
