"""What cannot be deposited is refused (listing every case), a failed export leaves nothing
behind and can be retried, and the change log is always in the package."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from lxml import etree

from ekommune.archive import services as archive_services
from ekommune.archive.models import CaseFile
from ekommune.archive.tests.factories import archive_for, case_for
from ekommune.core.models import Municipality
from ekommune.deposit import package as pkg
from ekommune.deposit import services
from ekommune.deposit.export import journals
from ekommune.deposit.tests.factories import RichArchive

pytestmark = [pytest.mark.django_db, pytest.mark.needs_standards("noark5")]


def export(rich: RichArchive, out: Path) -> pkg.ExportResult:
    return services.package_export(
        actor=rich.archive.records_manager,
        municipality=rich.archive.municipality,
        series_ids=rich.series_ids,
        out_dir=out,
    )


def legacy_unclassified(rich: RichArchive, count: int) -> list[str]:
    """Case files made unclassified the way data from before the write-time rule may be."""
    numbers = []
    for number in range(count):
        case = archive_services.case_file_create(
            actor=rich.archive.case_worker,
            municipality=rich.archive.municipality,
            series=rich.open_series,
            title=f"Gammel sak {number}",
            administrative_unit="Oppvekst",
            case_responsible="Kari Nilsen",
            primary_class=rich.archive.classes["064"],
        )
        CaseFile.objects.filter(pk=case.pk).update(primary_class=None)
        numbers.append(f"{case.case_year}/{case.case_sequence_number}")
    return numbers


def test_the_refusal_names_every_unclassified_case_and_the_command_writes_them_to_a_report(
    rich: RichArchive, tmp_path: Path
) -> None:
    numbers = legacy_unclassified(rich, 7)
    with pytest.raises(services.UnclassifiedCasesError) as refused:
        export(rich, tmp_path / "a")
    assert refused.value.code == "case_file_unclassified"
    for number in numbers:
        assert number in refused.value.message
    assert len(refused.value.offenders) == 7
    report = tmp_path / "saker.txt"
    with pytest.raises(CommandError, match="case_file_unclassified"):
        call_command(
            "deposit",
            "export",
            "--municipality",
            rich.archive.municipality.slug,
            "--series",
            str(rich.open_series.system_id),
            "--out",
            str(tmp_path / "b"),
            "--user",
            rich.archive.records_manager.username,
            "--report",
            str(report),
            stdout=io.StringIO(),
        )
    listed = report.read_text(encoding="utf-8").splitlines()
    assert [line.split(" ", 1)[0] for line in listed] == numbers
    assert "Gammel sak 0" in listed[0]
    assert not (tmp_path / "a").exists()
    assert not (tmp_path / "b").exists()


def test_a_failed_export_leaves_nothing_and_the_retry_succeeds(
    rich: RichArchive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise OSError("disk full")

    out = tmp_path / "uttrekk"
    with monkeypatch.context() as patch:
        patch.setattr(journals, "write_offentlig_journal", broken)
        with pytest.raises(OSError, match="disk full"):
            export(rich, out)
    assert list(tmp_path.iterdir()) == [tmp_path / "media"] or not (tmp_path / "uttrekk").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".uttrekk")]
    result = export(rich, out)
    assert result.out_dir == out
    assert services.package_check(package_dir=out).ok


def test_the_change_log_is_written_and_described_even_when_empty(
    municipality_a: Municipality, tmp_path: Path
) -> None:
    archive = archive_for(municipality_a)
    case_for(archive)
    out = tmp_path / "uttrekk"
    result = services.package_export(
        actor=archive.records_manager,
        municipality=municipality_a,
        series_ids=[archive.series.system_id],
        out_dir=out,
    )
    assert result.changes == 0
    root = etree.parse(str(out / pkg.ENDRINGSLOGG)).getroot()
    assert root.tag == f"{{{pkg.NS_ENDRINGSLOGG}}}endringslogg"
    assert len(root) == 0
    assert pkg.ENDRINGSLOGG in (out / pkg.ARKIVUTTREKK).read_text(encoding="utf-8")
    report = services.package_check(package_dir=out)
    assert report.ok, report.to_text()
    (out / pkg.ENDRINGSLOGG).write_text('<?xml version="1.0"?><endringslogg/>', encoding="utf-8")
    assert "schema_invalid" in services.package_check(package_dir=out).codes()
    (out / pkg.ENDRINGSLOGG).unlink()
    assert "file_missing" in services.package_check(package_dir=out).codes()
