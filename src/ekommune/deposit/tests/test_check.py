"""Checking a package: a sound export passes; each kind of damage gives its own finding."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from ekommune.deposit import package as pkg
from ekommune.deposit import services
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


def test_a_fresh_export_passes_every_check(package: Path) -> None:
    report = services.package_check(package_dir=package)
    assert report.findings == []
    assert report.counts[pkg.ARKIVSTRUKTUR]["registrering"] == 9
    assert report.document_files == 10


def documents(package: Path) -> list[Path]:
    return sorted((package / pkg.DOCUMENT_FOLDER).iterdir())


def edit(path: Path, pattern: str, replacement: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    changed = re.sub(pattern, replacement, text, count=count)
    assert changed != text, pattern
    path.write_text(changed, encoding="utf-8")


def wrong_checksum(package: Path) -> None:
    documents(package)[0].write_bytes(b"%PDF-1.7 altered content\n")


def missing_file(package: Path) -> None:
    documents(package)[0].unlink()


def extra_file(package: Path) -> None:
    (package / pkg.DOCUMENT_FOLDER / "ukjent.pdf").write_bytes(b"%PDF-1.7 stray\n")


def count_off_by_one(package: Path) -> None:
    edit(
        package / pkg.ARKIVUTTREKK,
        r'(<dataObject name="registrering"><properties><property name="numberOfOccurrences"><value>)(\d+)',
        lambda m: m.group(1) + str(int(m.group(2)) + 1),  # type: ignore[arg-type]
    )


def duplicate_journal_number(package: Path) -> None:
    path = package / pkg.ARKIVSTRUKTUR
    first = re.search(r"<journalsekvensnummer>(\d+)<", path.read_text(encoding="utf-8"))
    assert first is not None
    edit(
        path,
        rf"<journalsekvensnummer>(?!{first.group(1)}<)\d+<",
        f"<journalsekvensnummer>{first.group(1)}<",
    )


def element_out_of_order(package: Path) -> None:
    edit(
        package / pkg.ARKIVSTRUKTUR,
        r"(<sjekksum>[0-9a-f]+</sjekksum>)(<sjekksumAlgoritme>[^<]+</sjekksumAlgoritme>)(<filstoerrelse>\d+</filstoerrelse>)",
        r"\3\1\2",
    )


def journal_date_outside_period(package: Path) -> None:
    edit(
        package / pkg.ARKIVSTRUKTUR, r"<arkivperiodeSluttDato>[0-9-]+<", "<arkivperiodeSluttDato>2000-01-01<"
    )


def created_after_concluded(package: Path) -> None:
    edit(
        package / pkg.ARKIVSTRUKTUR,
        r"(<mappe xsi:type=\"saksmappe\"><systemID>[^<]+</systemID><mappeID>[^<]+</mappeID><tittel>[^<]+</tittel>"
        r"(?:<[^>]+>[^<]*</[^>]+>)*?<opprettetDato>)[^<]+<",
        r"\g<1>2999-01-01T00:00:00+00:00<",
    )


def screening_without_legal_basis(package: Path) -> None:
    edit(package / pkg.ARKIVSTRUKTUR, r"<skjermingshjemmel>[^<]+</skjermingshjemmel>", "")


def dangling_change(package: Path) -> None:
    edit(
        package / pkg.ENDRINGSLOGG,
        r"<referanseArkivenhet>[^<]+<",
        "<referanseArkivenhet>00000000-0000-4000-8000-000000000000<",
    )


def duplicate_system_id(package: Path) -> None:
    path = package / pkg.ARKIVSTRUKTUR
    ids = re.findall(r'<mappe xsi:type="saksmappe"><systemID>([^<]+)<', path.read_text(encoding="utf-8"))
    edit(path, rf"(<mappe xsi:type=\"saksmappe\"><systemID>){ids[1]}<", rf"\g<1>{ids[0]}<")


def empty_element(package: Path) -> None:
    edit(package / pkg.ARKIVSTRUKTUR, r"(<tittel>[^<]+</tittel>)", r"\1<beskrivelse></beskrivelse>")


@pytest.mark.parametrize(
    ("mutate", "code", "file_pattern"),
    [
        (wrong_checksum, "checksum_mismatch", r"dokumenter/"),
        (missing_file, "document_file_missing", pkg.ARKIVSTRUKTUR),
        (extra_file, "document_file_unreferenced", "dokumenter/ukjent.pdf"),
        (extra_file, "document_count_mismatch", pkg.ARKIVUTTREKK),
        (count_off_by_one, "count_mismatch", pkg.ARKIVUTTREKK),
        (duplicate_journal_number, "duplicate_journal_number", pkg.ARKIVSTRUKTUR),
        (element_out_of_order, "schema_invalid", pkg.ARKIVSTRUKTUR),
        (journal_date_outside_period, "journal_date_outside_period", pkg.ARKIVSTRUKTUR),
        (created_after_concluded, "created_after_concluded", pkg.ARKIVSTRUKTUR),
        (screening_without_legal_basis, "screening_without_legal_basis", pkg.ARKIVSTRUKTUR),
        (dangling_change, "dangling_reference", pkg.ENDRINGSLOGG),
        (duplicate_system_id, "duplicate_system_id", pkg.ARKIVSTRUKTUR),
        (empty_element, "empty_element", pkg.ARKIVSTRUKTUR),
    ],
)
def test_each_kind_of_damage_gives_its_finding(
    package: Path, mutate: Callable[[Path], None], code: str, file_pattern: str
) -> None:
    mutate(package)
    report = services.package_check(package_dir=package)
    assert not report.ok
    matching = [f for f in report.findings if f.code == code and re.search(file_pattern, f.file)]
    assert matching, report.to_text()
    if code == "schema_invalid":
        assert matching[0].line is not None
        assert "filstoerrelse" in matching[0].message


def test_every_finding_is_listed_not_only_the_first(package: Path) -> None:
    wrong_checksum(package)
    extra_file(package)
    element_out_of_order(package)
    codes = services.package_check(package_dir=package).codes()
    assert {"checksum_mismatch", "document_file_unreferenced", "schema_invalid"} <= codes


def test_a_closed_period_with_open_material_and_a_screening_without_basis_are_found(package: Path) -> None:
    path = package / pkg.ARKIVSTRUKTUR
    edit(path, r"<saksstatus>Avsluttet</saksstatus>", "<saksstatus>Under behandling</saksstatus>")
    edit(
        path,
        r"<journalstatus>Ferdigstilt fra saksbehandler</journalstatus>(?=(?:(?!<registrering).)*<saksstatus>Under)",
        "<journalstatus>Journalført</journalstatus>",
    )
    codes = services.package_check(package_dir=package).codes()
    assert {"case_not_concluded", "entry_not_finalised"} <= codes


def test_the_command_prints_the_report_writes_json_and_html_and_fails_on_findings(
    package: Path, tmp_path: Path
) -> None:
    import io

    from django.core.management import CommandError, call_command

    out = io.StringIO()
    call_command("deposit", "check", str(package), stdout=out)
    assert "Ingen avvik funnet." in out.getvalue()
    missing_file(package)
    report_json, report_html = tmp_path / "r.json", tmp_path / "r.html"
    out = io.StringIO()
    with pytest.raises(CommandError, match="avvik"):
        call_command(
            "deposit",
            "check",
            str(package),
            "--json",
            str(report_json),
            "--html",
            str(report_html),
            stdout=out,
        )
    assert "document_file_missing" in out.getvalue()
    data = json.loads(report_json.read_text(encoding="utf-8"))
    assert data["ok"] is False
    assert "document_file_missing" in {finding["code"] for finding in data["findings"]}
    html = etree.HTML(report_html.read_text(encoding="utf-8"))
    assert len(html.findall(".//h1")) == 1
    assert "document_file_missing" in report_html.read_text(encoding="utf-8")


def test_a_package_without_its_description_is_refused(package: Path) -> None:
    (package / pkg.ARKIVUTTREKK).unlink()
    assert services.package_check(package_dir=package).codes() == {"file_missing"}
    shutil.rmtree(package)
    from ekommune.core.errors import ValidationError

    with pytest.raises(ValidationError):
        services.package_check(package_dir=package)


def test_big_files_are_validated_while_streaming(package: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ekommune.deposit.checks import xsd

    monkeypatch.setattr(xsd, "FULL_VALIDATION_LIMIT", 0)
    assert services.package_check(package_dir=package).ok
    element_out_of_order(package)
    findings = [f for f in services.package_check(package_dir=package).findings if f.code == "schema_invalid"]
    assert len(findings) == 1
    assert findings[0].line is not None
    assert "videre feil" in findings[0].message


def test_a_malformed_file_is_reported_not_crashed_on(package: Path) -> None:
    path = package / pkg.LOEPENDE_JOURNAL
    path.write_text(path.read_text(encoding="utf-8")[:-40], encoding="utf-8")
    report = services.package_check(package_dir=package)
    assert "xml_malformed" in report.codes()
