"""archive_description_update: titles of the structure and descriptions, with the change log."""

from __future__ import annotations

import pytest
from django.db.models import Model

from ekommune.archive import services
from ekommune.archive.models import ChangeLogEntry, Fonds
from ekommune.archive.tests.factories import Archive
from ekommune.archive.types import ArchiveRuleError
from ekommune.core.errors import PermissionDeniedError, ValidationError

pytestmark = pytest.mark.django_db


def update(archive: Archive, obj: Model, **changes: str) -> Model:
    return services.archive_description_update(
        actor=archive.records_manager, municipality=archive.municipality, obj=obj, changes=changes
    )


def test_changes_are_saved_and_logged_and_no_change_logs_nothing(archive: Archive) -> None:
    fonds = update(archive, archive.fonds, tittel="Aust kommunes arkiv", beskrivelse="Fra 2026")
    assert isinstance(fonds, Fonds)
    assert (fonds.title, fonds.description, fonds.updated_by) != ("", "", "")
    logged = ChangeLogEntry.objects.filter(object_system_id=fonds.system_id)
    assert sorted(logged.values_list("field", flat=True)) == ["beskrivelse", "tittel"]
    update(archive, fonds, beskrivelse="Fra 2026")
    assert logged.count() == 2


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"tittel": "  "}, "required"),
        ({"beskrivelse": "x" * 10_001}, "too_long"),
        ({"beskrivelse": "a\x00b"}, "too_long"),
        ({"arkivstatus": "A"}, "field_not_changeable"),
    ],
)
def test_bad_values_are_refused(archive: Archive, changes: dict[str, str], code: str) -> None:
    with pytest.raises(ValidationError, check=lambda error: error.code == code):
        update(archive, archive.fonds, **changes)


def test_an_object_without_descriptive_fields_is_refused(archive: Archive) -> None:
    with pytest.raises(ValidationError, check=lambda error: error.code == "field_not_changeable"):
        update(archive, archive.classes["064"], tittel="Ny")


def test_a_closed_fonds_is_not_changed(archive: Archive) -> None:
    Fonds.objects.filter(pk=archive.fonds.pk).update(status="A")
    with pytest.raises(ArchiveRuleError, check=lambda error: error.code == "object_closed"):
        update(archive, archive.fonds, beskrivelse="for sent")


def test_a_case_worker_does_not_rename_the_fonds(archive: Archive) -> None:
    with pytest.raises(PermissionDeniedError):
        services.archive_description_update(
            actor=archive.case_worker,
            municipality=archive.municipality,
            obj=archive.fonds,
            changes={"tittel": "x"},
        )
