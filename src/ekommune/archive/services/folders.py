"""Plain files (mappe, not saksmappe): in a series, under a class, or inside another mappe."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ekommune.archive.models import Class, Folder, NumberSequence, Series
from ekommune.archive.services.case_files import _series_share_open
from ekommune.archive.services.common import _non_blank, _require, number_next
from ekommune.core.errors import ValidationError
from ekommune.core.models import Municipality
from ekommune.core.permissions import Permission
from ekommune.core.services import Actor, audit_event_record, tenant_object_check


def _placement_check(series: Series, parent: Folder | None, primary_class: Class | None) -> None:
    if parent is not None and parent.series_id != series.pk:
        raise ValidationError("Overmappen hører til en annen arkivdel.", code="wrong_series", field="parent")
    if (
        primary_class is not None
        and primary_class.classification_system_id != series.classification_system_id
    ):
        raise ValidationError(
            "Klassen hører ikke til arkivdelens klassifikasjonssystem.",
            code="wrong_class",
            field="primary_class",
        )


def folder_create(
    *,
    actor: Actor,
    municipality: Municipality,
    series: Series,
    title: str,
    parent: Folder | None = None,
    primary_class: Class | None = None,
    public_title: str = "",
    description: str = "",
) -> Folder:
    """Open a plain mappe (an undermappe when ``parent`` is given), numbered ``M<year>/<n>``."""
    label = _require(actor, municipality, Permission.ARCHIVE_REGISTER)
    for field, obj in (("series", series), ("parent", parent), ("primary_class", primary_class)):
        if obj is not None:
            tenant_object_check(obj, municipality=municipality, field=field)
    _placement_check(series, parent, primary_class)
    title = _non_blank(title, "title")
    now = timezone.now()
    with transaction.atomic():
        _series_share_open(series)
        year = timezone.localdate(now).year
        number = number_next(municipality=municipality, kind=NumberSequence.Kind.FOLDER, year=year)
        folder = Folder.objects.create(
            municipality=municipality,
            series=series,
            parent=parent,
            primary_class=primary_class if parent is None else parent.primary_class,
            folder_id=f"M{year}/{number}",
            title=title,
            public_title=public_title,
            description=description,
            created_at=now,
            created_by=label,
        )
        audit_event_record(
            actor=actor,
            municipality=municipality,
            action="archive.mappe.create",
            object_type="mappe",
            object_id=str(folder.system_id),
            detail={"mappeID": folder.folder_id, "overmappe": str(parent.system_id) if parent else None},
        )
    return folder
