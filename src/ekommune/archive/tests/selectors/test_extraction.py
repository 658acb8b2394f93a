"""Reads for the extraction package (arkivuttrekk): rows in pages, within one municipality."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from ekommune.archive import selectors, services
from ekommune.archive.tests.factories import SENDER, Archive, archive_for, case_for, letter
from ekommune.core.errors import NotFoundError, PermissionDeniedError
from ekommune.core.models import Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def archive(municipality_a: Municipality) -> Archive:
    return archive_for(municipality_a)


def test_series_are_found_in_the_order_asked_for_by_the_records_manager_only(archive: Archive) -> None:
    m = archive.municipality
    second = services.series_create(
        actor=archive.records_manager, municipality=m, fonds=archive.fonds, title="B"
    )
    ids = [second.system_id, archive.series.system_id]
    found = selectors.extraction_series(actor=archive.records_manager, municipality=m, system_ids=ids)
    assert [series.system_id for series in found] == ids
    with pytest.raises(PermissionDeniedError):
        selectors.extraction_series(actor=archive.case_worker, municipality=m, system_ids=ids)
    with pytest.raises(NotFoundError, check=lambda error: error.field == "series"):
        selectors.extraction_series(actor=archive.records_manager, municipality=m, system_ids=[uuid.uuid4()])


def test_another_municipalitys_series_and_files_are_not_found(
    archive: Archive, municipality_b: Municipality
) -> None:
    other = archive_for(municipality_b)
    with pytest.raises(NotFoundError):
        selectors.extraction_series(
            actor=archive.records_manager,
            municipality=archive.municipality,
            system_ids=[other.series.system_id],
        )
    with pytest.raises(NotFoundError, check=lambda error: error.code == "file_missing"):
        selectors.extraction_file_open(
            municipality=archive.municipality, storage_name=f"archive/{municipality_b.pk}/x"
        )


def test_case_files_come_in_keyset_pages_with_their_entries_and_children(archive: Archive) -> None:
    m, cw = archive.municipality, archive.case_worker
    cases = [case_for(archive, f"Sak {n}") for n in range(3)]
    entry = services.registry_entry_register(
        actor=cw,
        municipality=m,
        case_file=cases[0],
        entry_type="I",
        title="Brev",
        parties=[SENDER],
        documents=[letter()],
    )
    first = selectors.extraction_case_files(
        municipality=m, series_id=archive.series.pk, class_id=archive.classes["A20"].pk, limit=2
    )
    rest = selectors.extraction_case_files(
        municipality=m,
        series_id=archive.series.pk,
        class_id=archive.classes["A20"].pk,
        after_pk=first[-1]["pk"],
    )
    assert [row["pk"] for row in first + rest] == [case.pk for case in cases]
    assert selectors.extraction_case_files(municipality=m, series_id=archive.series.pk, class_id=None) == []
    [row] = selectors.extraction_entries(municipality=m, case_file_ids=[cases[0].pk])
    assert row["system_id"] == entry.system_id
    children = selectors.extraction_entry_children(municipality=m, entry_ids=[entry.pk])
    assert [party["name"] for party in children["parties"]] == [SENDER.name]
    [obj] = children["objects"]
    with selectors.extraction_file_open(municipality=m, storage_name=obj["file__storage_name"]) as stream:
        assert stream.read(5) == b"%PDF-"
    summary = selectors.extraction_journal_summary(municipality=m, series_ids=[archive.series.pk])
    assert summary["count"] == 1
    assert [
        row["system_id"]
        for row in selectors.extraction_journal(municipality=m, series_ids=[archive.series.pk])
    ] == [entry.system_id]
    assert selectors.extraction_case_children(municipality=m, case_file_ids=[cases[0].pk])["parties"] == []
    assert [
        c.class_id
        for c in selectors.extraction_classes(
            municipality=m, classification_system_id=archive.classes["A20"].classification_system_id
        )
    ] == ["064", "614", "A20"]
    assert [
        c.name for c in selectors.extraction_fonds_creators(municipality=m, fonds_id=archive.fonds.pk)
    ] == [m.name]
    services.registry_entry_update_title(actor=cw, municipality=m, entry=entry, title="Nytt brev")
    changes = list(selectors.extraction_change_log(municipality=m, series_ids=[archive.series.pk]))
    assert [(c["object_system_id"], c["field"]) for c in changes] == [(entry.system_id, "tittel")]
