"""Descriptive fields an API client may replace (PUT, PATCH): titles of the structure and
descriptions (beskrivelse), each change in the Noark change log. Decision 0152.

Only fields no other part of the platform publishes or derives anything from: the public journal
shows case and entry titles (with their screening), so those change through their own services.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from ekommune.archive.models import (
    CaseFile,
    ClassificationSystem,
    DocumentDescription,
    Fonds,
    RegistryEntry,
    Series,
)
from ekommune.archive.services.common import _log_changes, _non_blank, _require
from ekommune.archive.types import ArchiveRuleError
from ekommune.core.errors import ValidationError
from ekommune.core.models import Municipality
from ekommune.core.permissions import Permission
from ekommune.core.services import Actor, tenant_row_lock

MAX_TEXT_LENGTH = 10_000


@dataclass(frozen=True)
class Editable:
    object_type: str  # the Noark name, for the change log
    fields: Mapping[str, str]  # Noark element → model field
    permission: Permission
    status_field: str  # the object's status; in ``closed`` it cannot change
    closed: frozenset[str]


_STRUCTURE = {"tittel": "title", "beskrivelse": "description"}
EDITABLE: dict[type[Model], Editable] = {
    Fonds: Editable("arkiv", _STRUCTURE, Permission.ARCHIVE_MANAGE, "status", frozenset({"A"})),
    Series: Editable("arkivdel", _STRUCTURE, Permission.ARCHIVE_MANAGE, "status", frozenset({"P"})),
    ClassificationSystem: Editable(
        "klassifikasjonssystem", _STRUCTURE, Permission.ARCHIVE_MANAGE, "", frozenset()
    ),
    CaseFile: Editable(
        "saksmappe",
        {"beskrivelse": "description"},
        Permission.ARCHIVE_REGISTER,
        "case_status",
        frozenset("AU"),
    ),
    RegistryEntry: Editable(
        "journalpost", {"beskrivelse": "description"}, Permission.ARCHIVE_REGISTER, "status", frozenset("AU")
    ),
    DocumentDescription: Editable(
        "dokumentbeskrivelse",
        {"beskrivelse": "description"},
        Permission.ARCHIVE_REGISTER,
        "status",
        frozenset("F"),
    ),
}


def archive_description_update[M: Model](
    *, actor: Actor, municipality: Municipality, obj: M, changes: Mapping[str, str]
) -> M:
    """Set the descriptive fields in ``changes`` (Noark names) of ``obj``; unchanged ones are skipped."""
    editable = EDITABLE.get(type(obj))
    unknown = sorted(set(changes) - set(editable.fields if editable else ()))
    if editable is None or unknown:
        field = unknown[0] if unknown else None
        raise ValidationError(
            f"Feltet {field} kan ikke endres her.", code="field_not_changeable", field=field
        )
    label = _require(actor, municipality, editable.permission)
    for name, value in changes.items():
        if len(value) > MAX_TEXT_LENGTH or "\x00" in value:
            raise ValidationError(f"{name} er for lang eller har ugyldige tegn.", code="too_long", field=name)
    with transaction.atomic():
        locked = tenant_row_lock(type(obj), pk=obj.pk, municipality=municipality)
        if editable.status_field and getattr(locked, editable.status_field) in editable.closed:
            raise ArchiveRuleError(
                f"{editable.object_type} er avsluttet og kan ikke endres.", code="object_closed"
            )
        logged: dict[str, tuple[object, object]] = {}
        for name, value in changes.items():
            field = editable.fields[name]
            new = _non_blank(value, name) if name == "tittel" else value
            if getattr(locked, field) != new:
                logged[name] = (getattr(locked, field), new)
                setattr(locked, field, new)
        if logged:
            locked.updated_at, locked.updated_by = timezone.now(), label  # type: ignore[attr-defined]
            fields = [editable.fields[name] for name in logged]
            locked.save(update_fields=[*fields, "updated_at", "updated_by"])
            _log_changes(
                municipality=municipality,
                actor=actor,
                object_type=editable.object_type,
                system_id=locked.system_id,  # type: ignore[attr-defined]
                changes=logged,
            )
    return locked
