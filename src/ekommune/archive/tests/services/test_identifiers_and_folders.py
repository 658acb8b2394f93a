"""The rules of keywords, national identifiers and plain folders at the service layer."""

from __future__ import annotations

from typing import Any

import pytest

from ekommune.archive import services
from ekommune.archive.models import (
    CaseFile,
    ClassificationSystem,
    Keyword,
    NationalIdentifier,
    RegistryEntry,
)
from ekommune.archive.tests.factories import Archive, case_for
from ekommune.core.errors import ValidationError

pytestmark = pytest.mark.django_db


def add(archive: Archive, on: Any, kind: str, **values: Any) -> NationalIdentifier:
    return services.national_identifier_add(
        actor=archive.case_worker,
        municipality=archive.municipality,
        on=on,
        identifier=services.NationalIdentifierInput(kind=kind, values=values),
    )


@pytest.mark.parametrize(
    ("kind", "values", "code"),
    [
        ("gatenavn", {"x": 1}, "invalid_code"),
        ("bygning", {"building_number": 1, "farm_number": 2}, "invalid"),
        ("plan", {"plan_id": "1", "county_number": "4"}, "invalid"),
        ("dnummer", {"person_number": "41018512345"}, "invalid_pid"),
    ],
)
def test_an_identifier_must_fit_its_kind(
    archive: Archive, kind: str, values: dict[str, Any], code: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        add(archive, case_for(archive), kind, **values)
    assert refused.value.code == code
    assert not NationalIdentifier.objects.exists()


def test_only_files_and_records_take_keywords(archive: Archive) -> None:
    with pytest.raises(ValidationError):
        services.keyword_add(
            actor=archive.case_worker,
            municipality=archive.municipality,
            on=archive.series,  # type: ignore[arg-type]
            text="x",
        )


def test_a_concluded_case_and_a_cancelled_entry_take_nothing_new(archive: Archive) -> None:
    case_file = case_for(archive)
    entry = services.registry_entry_register(
        actor=archive.case_worker,
        municipality=archive.municipality,
        case_file=case_for(archive, title="Annen"),
        entry_type="N",
        title="Notat",
    )
    services.registry_entry_set_status(
        actor=archive.case_worker, municipality=archive.municipality, entry=entry, status="U"
    )
    services.case_file_conclude(
        actor=archive.case_worker, municipality=archive.municipality, case_file=case_file
    )
    owners: list[tuple[CaseFile | RegistryEntry, str]] = [
        (case_file, "case_file_concluded"),
        (entry, "entry_archived"),
    ]
    for on, code in owners:
        with pytest.raises(ValidationError) as refused:
            services.keyword_add(
                actor=archive.case_worker, municipality=archive.municipality, on=on, text="x"
            )
        assert refused.value.code == code
    assert not Keyword.objects.exists()


def test_a_class_of_another_system_is_refused_for_a_folder(archive: Archive) -> None:
    other = services.classification_system_create(
        actor=archive.records_manager,
        municipality=archive.municipality,
        title="Annen nøkkel",
        classification_type="KK",
        classes=[("999", "Annet")],
    )
    klass = ClassificationSystem.objects.get(pk=other.pk).classes.get()
    with pytest.raises(ValidationError) as refused:
        services.folder_create(
            actor=archive.case_worker,
            municipality=archive.municipality,
            series=archive.series,
            primary_class=klass,
            title="X",
        )
    assert refused.value.code == "wrong_class"


def test_the_migration_turns_array_keywords_into_objects(archive: Archive) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("ekommune.archive.migrations.0009_keywords_and_national_identifiers")
    case_file = case_for(archive)
    CaseFile.objects.filter(pk=case_file.pk).update(keywords=["barnehage", "", "opptak"])
    case_for(archive, title="Uten nøkkelord")
    migration.keywords_from_arrays(apps, None)
    assert sorted(Keyword.objects.values_list("case_file_id", "text")) == [
        (case_file.pk, "barnehage"),
        (case_file.pk, "opptak"),
    ]
