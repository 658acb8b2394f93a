"""The extraction as Arkivverket's DIAS: a tar with dias-mets.xml, info.xml beside it; check and
import accept the tar."""

from __future__ import annotations

import io
import re
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from lxml import etree

from ekommune.core.models import Municipality, Role
from ekommune.core.tests.factories import staff
from ekommune.deposit import dias, services
from ekommune.deposit import package as pkg
from ekommune.deposit.tests.factories import RichArchive

pytestmark = [pytest.mark.django_db, pytest.mark.needs_standards("noark5")]


@pytest.fixture
def packed(rich: RichArchive, tmp_path: Path) -> pkg.ExportResult:
    return services.package_export(
        actor=rich.archive.records_manager,
        municipality=rich.archive.municipality,
        series_ids=rich.series_ids,
        out_dir=tmp_path / "dias",
        as_dias=True,
    )


def test_the_tar_holds_the_dias_layout_and_both_mets_files_validate(packed: pkg.ExportResult) -> None:
    tar_path = packed.dias_tar
    assert tar_path is not None
    assert sorted(p.name for p in packed.out_dir.iterdir()) == sorted([tar_path.name, dias.INFO])
    package_id = tar_path.stem
    with tarfile.open(tar_path) as tar:
        names = set(tar.getnames())
        mets = tar.extractfile(f"{package_id}/{dias.DIAS_METS}")
        assert mets is not None
        mets_document = etree.parse(io.BytesIO(mets.read()))
    assert f"{package_id}/administrative_metadata/{pkg.ARKIVUTTREKK}" in names
    for name in (pkg.ARKIVSTRUKTUR, pkg.ENDRINGSLOGG, pkg.LOEPENDE_JOURNAL, "arkivstruktur.xsd"):
        assert f"{package_id}/content/{name}" in names
    assert any(name.startswith(f"{package_id}/content/dokumenter/") for name in names)
    schema = dias.mets_schema()
    assert schema.validate(mets_document), schema.error_log
    info = etree.parse(str(packed.out_dir / dias.INFO))
    assert schema.validate(info), schema.error_log
    listed = {href for href, *_ in dias.mets_files(packed.out_dir / dias.INFO)}
    assert listed == {tar_path.name}
    files = list(mets_document.iter(f"{dias.M}file"))
    assert len(files) == len([n for n in names if "." in Path(n).name]) - 1  # all but dias-mets.xml
    assert {f.get("CHECKSUMTYPE") for f in files} == {"SHA-256"}


def test_check_accepts_the_tar_and_finds_a_damaged_one(packed: pkg.ExportResult, tmp_path: Path) -> None:
    tar_path = packed.dias_tar
    assert tar_path is not None
    report = services.package_check(package_dir=tar_path)
    assert report.ok, report.to_text()
    assert report.package == str(tar_path)
    # a document changed inside the tar, the tar rebuilt: dias-mets.xml, ADDML and info.xml disagree
    unpacked = tmp_path / "ut"
    with tarfile.open(tar_path) as tar:
        tar.extractall(unpacked, filter="data")
    document = next((unpacked / tar_path.stem / "content" / "dokumenter").iterdir())
    document.write_bytes(b"%PDF-1.7 endret\n")
    with tarfile.open(tar_path, "w") as tar:
        tar.add(unpacked / tar_path.stem, arcname=tar_path.stem)
    report = services.package_check(package_dir=tar_path)
    mismatched = {f.file for f in report.findings if f.code == "checksum_mismatch"}
    assert f"content/dokumenter/{document.name}" in mismatched  # dias-mets.xml
    assert tar_path.name in mismatched  # info.xml


def test_a_bad_info_xml_is_reported(packed: pkg.ExportResult) -> None:
    info = packed.out_dir / dias.INFO
    info.write_text(re.sub(r'CHECKSUM="[0-9a-f]+"', 'CHECKSUM="00"', info.read_text()), encoding="utf-8")
    assert packed.dias_tar is not None
    codes = services.package_check(package_dir=packed.dias_tar).codes()
    assert "checksum_mismatch" in codes


def test_import_accepts_the_tar(packed: pkg.ExportResult, municipality_b: Municipality) -> None:
    manager = staff(municipality_b, Role.RECORDS_MANAGER)
    assert packed.dias_tar is not None
    result = services.package_import(actor=manager, municipality=municipality_b, package_dir=packed.dias_tar)
    assert result.entries == 9
    out = io.StringIO()
    call_command("deposit", "check", str(packed.dias_tar), stdout=out)
    assert "Pakken er i orden." in out.getvalue()
