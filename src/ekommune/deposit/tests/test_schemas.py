"""The official schemas come through the standards manifest; without them export and check say
which file is missing and how to fetch it, and nothing is written."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ekommune.deposit import package as pkg
from ekommune.deposit import services
from ekommune.deposit.models import DepositJob
from ekommune.deposit.tests.factories import RichArchive
from ekommune.standards import manifest

pytestmark = pytest.mark.django_db


def test_the_manifest_holds_every_schema_of_the_package() -> None:
    keys = {file.key for file in manifest() if file.group == "noark5"}
    assert {f"noark5/{relative}" for relative in pkg.SCHEMA_PATHS.values()} == keys


def test_check_without_the_schemas_names_the_file_and_the_command(
    standards_absent: Path, tmp_path: Path
) -> None:
    package = tmp_path / "pakke"
    package.mkdir()
    with pytest.raises(CommandError) as error:
        call_command("deposit", "check", str(package), stdout=io.StringIO())
    assert "noark5/arkivstruktur.xsd" in str(error.value)
    assert "ekommune standards fetch" in str(error.value)
    assert "standards_missing" in str(error.value)


def test_export_without_the_schemas_writes_nothing(
    standards_absent: Path, rich: RichArchive, tmp_path: Path
) -> None:
    out = tmp_path / "uttrekk"
    with pytest.raises(services.StandardsMissingError) as error:
        services.package_export(
            actor=rich.archive.records_manager,
            municipality=rich.archive.municipality,
            series_ids=rich.series_ids,
            out_dir=out,
        )
    assert "ekommune standards fetch" in error.value.message
    assert not out.exists()


def test_an_export_job_without_the_schemas_fails_with_the_reason(
    standards_absent: Path, rich: RichArchive, settings, tmp_path: Path
) -> None:
    settings.EKOMMUNE_DEPOSIT_DIR = str(tmp_path / "deponering")
    job = services.deposit_job_start(
        actor=rich.archive.records_manager, municipality=rich.archive.municipality, series_ids=rich.series_ids
    )
    finished = services.deposit_job_run(job_id=job.pk)
    assert finished.status == DepositJob.Status.FAILED
    assert "ekommune standards fetch" in finished.message
