"""arkivuttrekk.xml written by another tool: both forms ADDML 8.3 allows are read."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from ekommune.deposit import package as pkg
from ekommune.deposit import services
from ekommune.deposit.tests.addml_generator import generate
from ekommune.deposit.tests.factories import RichArchive

pytestmark = [pytest.mark.django_db, pytest.mark.needs_standards("noark5")]


@pytest.fixture
def package(rich: RichArchive, tmp_path: Path) -> Path:
    out = tmp_path / "uttrekk"
    services.package_export(
        actor=rich.archive.records_manager,
        municipality=rich.archive.municipality,
        series_ids=rich.series_ids,
        out_dir=out,
    )
    return out


def schema_of_addml() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(pkg.schema_files()["addml.xsd"])))


@pytest.mark.parametrize("form", ["flat", "nested"])
@pytest.mark.parametrize("list_documents", [True, False])
def test_a_description_generated_to_the_addml_schema_passes_in_either_form(
    package: Path, form: str, list_documents: bool
) -> None:
    generated = generate(package, form=form, list_documents=list_documents)  # type: ignore[arg-type]
    assert schema_of_addml().validate(etree.fromstring(generated))
    (package / pkg.ARKIVUTTREKK).write_bytes(generated)
    report = services.package_check(package_dir=package)
    assert report.findings == [], report.to_text()


def test_a_nested_schema_entry_is_read_not_taken_for_a_file_without_a_name(package: Path) -> None:
    generated = generate(package, form="nested").decode()
    # damage the checksum of the nested schema arkivstruktur.xsd: the check must name that file
    checksum = pkg.sha256_file(package / "arkivstruktur.xsd")[0]
    (package / pkg.ARKIVUTTREKK).write_text(generated.replace(checksum, "0" * 64, 1), encoding="utf-8")
    report = services.package_check(package_dir=package)
    assert [f.file for f in report.findings if f.code == "checksum_mismatch"] == ["arkivstruktur.xsd"]
    assert not [f for f in report.findings if f.code == "file_missing"]
