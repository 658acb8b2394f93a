"""The agenda (sakskart): items with their case presentations (saksframlegg) in the archive, the
screening rule for a case presentation, video offsets, and the search snapshot of the screening."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ekommune.archive import services as archive_services
from ekommune.core import services as core_services
from ekommune.core.errors import ValidationError
from ekommune.core.models import Municipality
from ekommune.core.services import Actor, tenant_object_check, tenant_row_lock
from ekommune.politics import selectors
from ekommune.politics.models import AgendaItem, Body, Meeting
from ekommune.politics.services.common import audit, secretariat_require, touch
from ekommune.politics.types import MeetingRuleError

# tilgangsrestriksjon (M500) a case presentation on a political agenda may carry: the exemptions
# of offentleglova the political secretariat works with. Anything else is refused (fail safe).
ITEM_ACCESS_RESTRICTIONS: dict[str, str] = {
    "13": "offl. § 13 (taushetsplikt)",
    "14": "offl. § 14 (organinterne dokumenter)",
    "15": "offl. § 15 (dokumenter innhentet utenfra)",
    "16": "offl. § 16 (saksframlegg og innstilling)",
    "23": "offl. § 23 (forhandlingsposisjon)",
    "24": "offl. § 24 (kontroll og regulering)",
    "25": "offl. § 25 (ansettelsessaker)",
    "26": "offl. § 26 (eksamen og personbilder)",
}
# What any of them screens of the case presentation (skjermingMetadata M502): its title (the
# words its public title leaves out, all of it without one: TRO) and its documents' titles (TD).
ITEM_SCREENED_METADATA = ("TRO", "TD")
# skjermingDokument (M503): the whole document (H) unless the caller says only parts are (D).
ITEM_SCREENED_DOCUMENTS = ("H", "D")


def item_screening(
    screening: archive_services.ScreeningInput | None,
) -> archive_services.ScreeningInput | None:
    """The screening a case presentation gets from the restriction and legal basis it is given.

    Nothing given (no restriction, no basis, no codes): no screening. Otherwise the restriction
    must be one of ``ITEM_ACCESS_RESTRICTIONS`` and have a legal basis, and the title and the
    documents' titles are screened whatever the caller listed (more may be added, never less).
    """
    if screening is None:
        return None
    restriction, basis = screening.access_restriction.strip(), screening.legal_basis.strip()
    if not (restriction or basis or screening.screened_metadata or screening.screened_document):
        return None
    if restriction not in ITEM_ACCESS_RESTRICTIONS:
        raise ValidationError(
            f"Ukjent skjerming {restriction!r}: velg en hjemmel i offentleglova."
            if restriction
            else "Velg hva skjermingen gjelder (tilgangsrestriksjon).",
            code="unknown_access_restriction",
            field="access_restriction",
        )
    if not basis:
        raise ValidationError(
            "Oppgi hjemmelen for skjermingen.", code="legal_basis_required", field="legal_basis"
        )
    document = screening.screened_document or ITEM_SCREENED_DOCUMENTS[0]
    if document not in ITEM_SCREENED_DOCUMENTS:
        raise ValidationError(
            f"Ukjent skjerming av dokumentet {document!r}.",
            code="unknown_screened_document",
            field="screened_document",
        )
    return dataclasses.replace(
        screening,
        access_restriction=restriction,
        legal_basis=basis,
        # the caller's values read by the archive's one mapping (an unknown one is refused here)
        screened_metadata=archive_services.screened_metadata_all(
            (*ITEM_SCREENED_METADATA, *screening.screened_metadata), level="registrering"
        ),
        screened_document=document,
    )


def _item_screening_input(
    screening: archive_services.ScreeningInput | None, access_restriction: str, legal_basis: str
) -> archive_services.ScreeningInput | None:
    """One screening from either way of giving it; both at once is refused (nothing dropped)."""
    if not (access_restriction.strip() or legal_basis.strip()):
        return screening
    if screening is not None:
        raise ValidationError(
            "Oppgi skjermingen én gang.", code="screening_given_twice", field="access_restriction"
        )
    return archive_services.ScreeningInput(access_restriction=access_restriction, legal_basis=legal_basis)


def agenda_item_add(
    *,
    actor: Actor,
    municipality: Municipality,
    meeting: Meeting,
    case_file: Any,
    title: str,
    recommendation: str = "",
    documents: Sequence[archive_services.DocumentInput] = (),
    public_title: str = "",
    screening: archive_services.ScreeningInput | None = None,
    access_restriction: str = "",
    legal_basis: str = "",
    is_public: bool = True,
    closed_basis: str = "",
) -> AgendaItem:
    """Put a case on the agenda (sakskart): registers the case presentation (journalpost S) in the
    archive case with its documents and screening (``item_screening``), and numbers the item
    ``n/yy`` within the body.

    The screening is given either whole (``screening``) or as the secretariat's choice of
    restriction and legal basis (``access_restriction``, ``legal_basis``); what it screens is
    decided here, never by the caller's page."""
    secretariat_require(actor, municipality)
    tenant_object_check(meeting, municipality=municipality, field="meeting")
    if not is_public and not closed_basis.strip():
        raise ValidationError(
            "En lukket sak må ha hjemmel for lukking.", code="closed_basis_required", field="closed_basis"
        )
    screening = item_screening(_item_screening_input(screening, access_restriction, legal_basis))
    with transaction.atomic():
        locked = tenant_row_lock(Meeting, pk=meeting.pk, municipality=municipality)
        if locked.status not in {Meeting.Status.PLANNED, Meeting.Status.SUMMONED}:
            raise MeetingRuleError("Møtet er avholdt; sakskartet kan ikke endres.", code="meeting_closed")
        # the body's row lock serialises the numbering within the body
        body = tenant_row_lock(Body, pk=locked.body_id, municipality=municipality)
        year = timezone.localtime(locked.starts_at).year
        last = AgendaItem.objects.filter(municipality=municipality, body=body, year=year).aggregate(
            last=Max("sequence")
        )["last"]
        presentation = archive_services.registry_entry_register(
            actor=actor,
            municipality=municipality,
            case_file=case_file,
            entry_type="S",
            title=title,
            public_title=public_title,
            documents=documents,
            screening=screening,
        )
        shown_title, screened = selectors.screened_title(
            municipality=municipality, system_id=presentation.system_id
        )
        item = AgendaItem.objects.create(
            municipality=municipality,
            meeting=locked,
            body=body,
            year=year,
            sequence=(last or 0) + 1,
            case_system_id=case_file.system_id,
            case_number=case_file.file_id,
            presentation_system_id=presentation.system_id,
            public_title=shown_title,
            presentation_screened=screened,
            recommendation=recommendation,
            is_public=is_public,
            closed_basis=closed_basis.strip(),
        )
        touch(municipality=municipality, meeting_ids=[locked.pk])
        audit(actor, municipality, "agenda_item.add", item, number=item.number, case=item.case_number)
    return item


def agenda_item_video_set(
    *, actor: Actor, municipality: Municipality, item: AgendaItem, offset_seconds: int
) -> AgendaItem:
    """Where the item's debate starts in the meeting's recording."""
    secretariat_require(actor, municipality)
    if offset_seconds < 0:
        raise ValidationError("Tidspunktet kan ikke være negativt.", code="invalid", field="offset_seconds")
    with transaction.atomic():
        locked = tenant_row_lock(AgendaItem, pk=item.pk, municipality=municipality)
        locked.video_offset_seconds = offset_seconds
        locked.save(update_fields=["video_offset_seconds"])
        touch(municipality=municipality, item_ids=[locked.pk])
        audit(actor, municipality, "agenda_item.video_set", locked, seconds=offset_seconds)
    return locked


def agenda_items_refresh_screening(*, municipality: Municipality) -> int:
    """Take every item's screened title anew (what the search may match); the number changed.

    For operators and the CLI after a screening changed in the archive; the pages always screen
    as they render, so only the search snapshot can lag behind.
    """
    titles = selectors.screened_titles(
        municipality=municipality,
        system_ids=AgendaItem.objects.filter(municipality=municipality).values_list(
            "presentation_system_id", flat=True
        ),
    )
    changed: list[int] = []
    with transaction.atomic():
        for item in AgendaItem.objects.select_for_update().filter(municipality=municipality):
            title, screened = titles[item.presentation_system_id]
            if (title, screened) != (item.public_title, item.presentation_screened):
                item.public_title, item.presentation_screened = title, screened
                item.save(update_fields=["public_title", "presentation_screened"])
                changed.append(item.pk)
        touch(municipality=municipality, item_ids=changed)
        core_services.audit_event_record(
            actor=None,
            municipality=municipality,
            action="politics.search.refresh",
            object_type="agendaitem",
            detail={"changed": len(changed)},
        )
    return len(changed)
