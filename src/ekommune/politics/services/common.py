"""What every write of the politics app shares: the secretariat's permission, model validation as
a clear error, saves whose constraint refusals become conflicts, and the audit event."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ekommune.core import services as core_services
from ekommune.core.errors import ConflictError, ValidationError
from ekommune.core.models import Municipality
from ekommune.core.permissions import Permission
from ekommune.core.services import Actor
from ekommune.politics.models import AgendaItem, Meeting

# The administrative unit (administrativEnhet) of the cases politics opens in the archive.
SECRETARIAT_UNIT = "Politisk sekretariat"


def secretariat_require(actor: Actor, municipality: Municipality) -> str:
    """The political secretariat's permission in the municipality; the actor's name for the records."""
    core_services.permission_require(
        actor=actor, municipality=municipality, permission=Permission.POLITICS_MANAGE
    )
    return core_services.actor_display_name(actor)


def clean(instance: Any, *, exclude: list[str] | None = None) -> None:
    """Model validation as an ``ApplicationError`` naming the first failing field."""
    try:
        instance.full_clean(exclude=exclude, validate_constraints=False)
    except DjangoValidationError as exc:
        field, errors = next(iter(exc.error_dict.items()))
        message = " ".join(str(m) for error in errors for m in error.messages)
        raise ValidationError(message, code=errors[0].code or "invalid", field=field) from exc


def save(instance: Any, conflict_message: str, field: str | None = None) -> None:
    """Save; a unique or check constraint refusing the row becomes a ``ConflictError``."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        raise ConflictError(conflict_message, code="conflict", field=field) from exc


def audit(actor: Actor, municipality: Municipality, action: str, obj: Any, **detail: Any) -> None:
    """``politics.<action>`` on ``obj``; details carry numbers and ids, never titles (a title may be screened)."""
    core_services.audit_event_record(
        actor=actor,
        municipality=municipality,
        action=f"politics.{action}",
        object_type=type(obj)._meta.model_name or "",
        object_id=obj.pk,
        detail=detail,
    )


def touch(
    *, municipality: Municipality, meeting_ids: Iterable[int] = (), item_ids: Iterable[int] = ()
) -> None:
    """Mark meetings and agenda items as changed now: what OParl's ``modified`` and the
    ``modified_since`` filter read (docs/decisions/0182-oparl-lists-paged-and-filtered.md).

    Every write that changes what the public sees of an item (its decision, screening, video,
    the minutes' approval) touches the item and its meeting, whose OParl object embeds the items."""
    now = timezone.now()
    items = list(item_ids)
    if items:
        AgendaItem.objects.filter(municipality=municipality, pk__in=items).update(modified_at=now)
    meetings = set(meeting_ids)
    if items:
        meetings.update(
            AgendaItem.objects.filter(municipality=municipality, pk__in=items).values_list(
                "meeting_id", flat=True
            )
        )
    if meetings:
        Meeting.objects.filter(municipality=municipality, pk__in=meetings).update(modified_at=now)
