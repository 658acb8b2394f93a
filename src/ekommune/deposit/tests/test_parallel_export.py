"""The export with the journals written by a second process (committed data: a transactional test)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from ekommune.core.tests.factories import MunicipalityFactory
from ekommune.deposit import services
from ekommune.deposit.tests.factories import rich_archive

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.needs_standards("noark5")]


def test_a_parallel_export_gives_a_package_that_passes_every_check(tmp_path: Path) -> None:
    rich = rich_archive(MunicipalityFactory.create(slug="parallell"))
    out = tmp_path / "uttrekk"
    printed = io.StringIO()
    call_command(
        "deposit",
        "export",
        "--municipality",
        "parallell",
        "--series",
        *(str(system_id) for system_id in rich.series_ids),
        "--out",
        str(out),
        "--user",
        rich.archive.records_manager.username,
        "--parallel",
        stdout=printed,
    )
    assert "5 i offentlig journal" in printed.getvalue()
    report = services.package_check(package_dir=out)
    assert report.findings == []
    assert report.counts["loependeJournal.xml"]["journalregistrering"] == 8


def test_a_failure_in_the_journal_process_fails_the_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ekommune.deposit.export import journals

    rich = rich_archive(MunicipalityFactory.create(slug="feil"))

    def broken(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(journals, "write_offentlig_journal", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        services.package_export(
            actor=rich.archive.records_manager,
            municipality=rich.archive.municipality,
            series_ids=rich.series_ids,
            out_dir=tmp_path / "uttrekk",
            parallel=True,
        )
