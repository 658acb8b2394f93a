"""The archive's structure (records manager): fonds, creators, series, classification systems, classes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from ekommune.archive import codelists as cl
from ekommune.archive.models import Class, ClassificationSystem, Fonds, FondsCreator, Series
from ekommune.archive.services.common import _check_code, _log_changes, _non_blank, _open_series, _require
from ekommune.archive.types import ArchiveRuleError
from ekommune.core.errors import ConflictError, ValidationError
from ekommune.core.models import Municipality
from ekommune.core.permissions import Permission
from ekommune.core.services import Actor, audit_event_record, tenant_object_check, tenant_row_lock


def fonds_create(
    *,
    actor: Actor,
    municipality: Municipality,
    title: str,
    creator_id: str = "",
    creator_name: str = "",
    description: str = "",
) -> Fonds:
    """Create the fonds (arkiv), with its creator (arkivskaper) when one is given."""
    label = _require(actor, municipality, Permission.ARCHIVE_MANAGE)
    with transaction.atomic():
        fonds = Fonds.objects.create(
            municipality=municipality,
            title=_non_blank(title, "tittel"),
            description=description,
            created_at=timezone.now(),
            created_by=label,
        )
        audit_event_record(
            actor=actor,
            municipality=municipality,
            action="archive.fonds.create",
            object_type="arkiv",
            object_id=str(fonds.system_id),
        )
        if creator_id or creator_name:
            fonds_creator_add(
                actor=actor, municipality=municipality, fonds=fonds, creator_id=creator_id, name=creator_name
            )
    return fonds


def fonds_creator_add(
    *,
    actor: Actor,
    municipality: Municipality,
    fonds: Fonds,
    creator_id: str,
    name: str,
    description: str = "",
) -> FondsCreator:
    """Add a creator (arkivskaper) to a fonds."""
    label = _require(actor, municipality, Permission.ARCHIVE_MANAGE)
    tenant_object_check(fonds, municipality=municipality, field="fonds")
    creator_id = _non_blank(creator_id, "arkivskaperID")
    with transaction.atomic():
        if FondsCreator.objects.filter(fonds=fonds, creator_id=creator_id).exists():
            raise ConflictError(f"Arkivskaper {creator_id} finnes allerede i arkivet.", field="arkivskaperID")
        creator = FondsCreator.objects.create(
            municipality=municipality,
            fonds=fonds,
            creator_id=creator_id,
            name=_non_blank(name, "arkivskaperNavn"),
            description=description,
            created_at=timezone.now(),
            created_by=label,
        )
        audit_event_record(
            actor=actor,
            municipality=municipality,
            action="archive.fonds_creator.add",
            object_type="arkivskaper",
            object_id=str(creator.system_id),
        )
    return creator


def fonds_creator_ensure(
    *,
    actor: Actor,
    municipality: Municipality,
    fonds: Fonds,
    creator_id: str,
    name: str,
    description: str = "",
) -> tuple[FondsCreator, bool]:
    """The fonds' creator with this arkivskaperID: added (True), or the one already there (False).

    M006 arkivskaperID identifies the creator, not the record (decision 0153): the same creator
    given again is the one registered. Other data for it (name, description) is a conflict.
    """
    _require(actor, municipality, Permission.ARCHIVE_MANAGE)
    tenant_object_check(fonds, municipality=municipality, field="fonds")
    key = _non_blank(creator_id, "arkivskaperID")
    existing = FondsCreator.objects.filter(fonds=fonds, creator_id=key).first()
    if existing is None:
        created = fonds_creator_add(
            actor=actor,
            municipality=municipality,
            fonds=fonds,
            creator_id=key,
            name=name,
            description=description,
        )
        return created, True
    for field, given, stored in (
        ("arkivskaperNavn", name.strip(), existing.name),
        ("beskrivelse", description.strip(), existing.description),
    ):
        if given and given != stored:
            raise ConflictError(
                f"Arkivskaper {key} er registrert i arkivet med {field} «{stored}».",
                code="creator_conflict",
                field=field,
            )
    return existing, False


def classification_system_create(
    *,
    actor: Actor,
    municipality: Municipality,
    title: str,
    classification_type: str = "",
    classes: Sequence[tuple[str, str]] = (),
) -> ClassificationSystem:
    """Create a classification system with its classes given as ``(class_id, title)`` pairs."""
    label = _require(actor, municipality, Permission.ARCHIVE_MANAGE)
    if classification_type:
        _check_code(classification_type, cl.CLASSIFICATION_TYPE, "classification_type")
    now = timezone.now()
    ids = [class_id.strip() for class_id, _ in classes]
    if len(ids) != len(set(ids)):
        raise ValidationError("Samme klasseID står flere ganger.", code="duplicate_class_id", field="classes")
    with transaction.atomic():
        system = ClassificationSystem.objects.create(
            municipality=municipality,
            title=_non_blank(title, "title"),
            classification_type=classification_type,
            created_at=now,
            created_by=label,
        )
        Class.objects.bulk_create(
            Class(
                municipality=municipality,
                classification_system=system,
                class_id=_non_blank(class_id, "class_id"),
                title=_non_blank(class_title, "title"),
                created_at=now,
                created_by=label,
            )
            for class_id, class_title in classes
        )
        audit_event_record(
            actor=actor,
            municipality=municipality,
            action="archive.classification_system.create",
            object_type="klassifikasjonssystem",
            object_id=str(system.system_id),
            detail={"classes": len(ids)},
        )
    return system


def class_create(
    *,
    actor: Actor,
    municipality: Municipality,
    system: ClassificationSystem,
    class_id: str,
    title: str,
    parent: Class | None = None,
) -> Class:
    """Add a class (klasse) to a classification system, optionally under a parent class."""
    label = _require(actor, municipality, Permission.ARCHIVE_MANAGE)
    tenant_object_check(system, municipality=municipality, field="klassifikasjonssystem")
    if parent is not None and parent.classification_system_id != system.pk:
        raise ValidationError(
            "Overklassen hører til et annet klassifikasjonssystem.", code="wrong_class", field="overklasse"
        )
    class_id = _non_blank(class_id, "klasseID")
    with transaction.atomic():
        if Class.objects.filter(classification_system=system, class_id=class_id).exists():
            raise ConflictError(
                f"KlasseID {class_id} finnes allerede.", code="duplicate_class_id", field="klasseID"
            )
        created = Class.objects.create(
            municipality=municipality,
            classification_system=system,
            parent=parent,
            class_id=_non_blank(class_id, "klasseID"),
            title=_non_blank(title, "tittel"),
            created_at=timezone.now(),
            created_by=label,
        )
        audit_event_record(
            actor=actor,
            municipality=municipality,
            action="archive.class.create",
            object_type="klasse",
            object_id=str(created.system_id),
            detail={"klasseID": class_id},
        )
    return created


def series_create(
    *,
    actor: Actor,
    municipality: Municipality,
    fonds: Fonds,
    title: str,
    classification_system: ClassificationSystem | None = None,
    period_start: dt.date | None = None,
) -> Series:
    label = _require(actor, municipality, Permission.ARCHIVE_MANAGE)
    tenant_object_check(fonds, municipality=municipality, field="fonds")
    if classification_system is not None:
        tenant_object_check(classification_system, municipality=municipality, field="classification_system")
    if fonds.status == "A":
        raise ArchiveRuleError(
            "Arkivet er avsluttet og tar ikke imot nye arkivdeler.", code="fonds_concluded"
        )
    with transaction.atomic():
        series = Series.objects.create(
            municipality=municipality,
            fonds=fonds,
            title=_non_blank(title, "title"),
            classification_system=classification_system,
            period_start=period_start,
            created_at=timezone.now(),
            created_by=label,
        )
        audit_event_record(
            actor=actor,
            municipality=municipality,
            action="archive.series.create",
            object_type="arkivdel",
            object_id=str(series.system_id),
        )
    return series


def series_close(*, actor: Actor, municipality: Municipality, series: Series, period_end: dt.date) -> Series:
    """End a series' period (arkivdelstatus P): it accepts no new case files or entries afterwards."""
    label = _require(actor, municipality, Permission.ARCHIVE_MANAGE)
    with transaction.atomic():
        locked = tenant_row_lock(Series, pk=series.pk, municipality=municipality)
        if locked.status == "P":
            raise ArchiveRuleError("Arkivdelen er allerede avsluttet.", code="series_closed")
        if locked.period_start and period_end < locked.period_start:
            raise ValidationError(
                "Sluttdatoen er før startdatoen.", code="invalid_period", field="period_end"
            )
        old = locked.status
        locked.status, locked.period_end = "P", period_end
        locked.concluded_at, locked.concluded_by = timezone.now(), label
        locked.save(update_fields=["status", "period_end", "concluded_at", "concluded_by"])
        _log_changes(
            municipality=municipality,
            actor=actor,
            object_type="arkivdel",
            system_id=locked.system_id,
            changes={"arkivdelstatus": (old, "P")},
        )
    return locked


def series_attach_classification_system(
    *, actor: Actor, municipality: Municipality, series: Series, title: str, classification_type: str = ""
) -> ClassificationSystem:
    """Create a classification system as the series' primary one (a series has at most one here)."""
    _require(actor, municipality, Permission.ARCHIVE_MANAGE)
    with transaction.atomic():
        locked = tenant_row_lock(Series, pk=series.pk, municipality=municipality)
        if locked.classification_system_id is not None:
            raise ArchiveRuleError(
                "Arkivdelen har allerede et klassifikasjonssystem.", code="series_has_classification"
            )
        _open_series(locked)
        if locked.case_files.exists():
            # its case files would be left without a class, which no deposit can hold (decision 0143)
            raise ArchiveRuleError(
                "Arkivdelen har allerede saker; de ville stått uten klasse.", code="series_has_case_files"
            )
        system = classification_system_create(
            actor=actor, municipality=municipality, title=title, classification_type=classification_type
        )
        locked.classification_system = system
        locked.save(update_fields=["classification_system"])
    return system
