"""The deposit export reads every document file it packs: each read is logged in the exporter's
name, with its case, before the package is handed out (decision 0226)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ekommune.core.models import AuditEvent
from ekommune.core.selectors import audit_chain_verify
from ekommune.deposit import services
from ekommune.deposit.tests.factories import RichArchive

pytestmark = [pytest.mark.django_db, pytest.mark.needs_standards("noark5")]  # the export validates


def test_each_exported_document_file_is_a_logged_read_of_the_exporter(
    rich: RichArchive, tmp_path: Path
) -> None:
    municipality = rich.archive.municipality
    result = services.package_export(
        actor=rich.archive.records_manager,
        municipality=municipality,
        series_ids=rich.series_ids,
        out_dir=tmp_path / "uttrekk",
    )
    reads = AuditEvent.objects.filter(chain_key=municipality.pk, action="read.document_file")
    assert reads.count() == result.document_files > 0
    assert {event.actor_id for event in reads} == {rich.archive.records_manager.pk}
    assert {event.detail["via"] for event in reads} == {"export"}
    assert all(event.detail["purpose"] and event.detail["case_file"] for event in reads)
    exported = {path.stem for path in (result.out_dir / "dokumenter").iterdir()}
    assert {event.object_id for event in reads} == exported
    assert audit_chain_verify(chain_key=municipality.pk).ok
