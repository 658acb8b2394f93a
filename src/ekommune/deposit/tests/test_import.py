"""Import of a package, and the round trip export → import → export."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from lxml import etree

from ekommune.core.models import Municipality, Role
from ekommune.core.tests.factories import staff
from ekommune.deposit import package as pkg
from ekommune.deposit import services
from ekommune.deposit.tests.factories import RichArchive

pytestmark = [pytest.mark.django_db, pytest.mark.needs_standards("noark5")]

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def normalised(path: Path) -> str:
    """The file's text with every systemID replaced by its order of first appearance."""
    seen: dict[str, str] = {}
    text = path.read_text(encoding="utf-8")
    return UUID.sub(lambda match: seen.setdefault(match.group(0), f"ID{len(seen)}"), text)


def export(actor, municipality, series_ids, out: Path, at: dt.datetime) -> pkg.ExportResult:
    return services.package_export(
        actor=actor, municipality=municipality, series_ids=series_ids, out_dir=out, extracted_at=at
    )


def test_export_import_export_gives_the_same_package(
    rich: RichArchive, municipality_b: Municipality, tmp_path: Path
) -> None:
    at = timezone.now()
    first = tmp_path / "first"
    export(rich.archive.records_manager, rich.archive.municipality, rich.series_ids, first, at)
    manager_b = staff(municipality_b, Role.RECORDS_MANAGER)
    result = services.package_import(actor=manager_b, municipality=municipality_b, package_dir=first)
    assert result.entries == 9
    assert result.case_files == 5
    second = tmp_path / "second"
    export(manager_b, municipality_b, result.series_system_ids, second, at)
    for file_name in (pkg.ARKIVSTRUKTUR, pkg.ENDRINGSLOGG, pkg.LOEPENDE_JOURNAL, pkg.OFFENTLIG_JOURNAL):
        assert normalised(second / file_name) == normalised(first / file_name), file_name
    first_files = sorted(p.read_bytes() for p in (first / pkg.DOCUMENT_FOLDER).iterdir())
    assert sorted(p.read_bytes() for p in (second / pkg.DOCUMENT_FOLDER).iterdir()) == first_files
    assert services.package_check(package_dir=second).ok
    # the numbers continue after the imported ones
    from ekommune.archive import services as archive_services

    series = archive_services_series(manager_b, municipality_b, result.series_system_ids[0])
    case_file = archive_services.case_file_create(
        actor=manager_b,
        municipality=municipality_b,
        series=series,
        title="Ny sak",
        administrative_unit="Oppvekst",
        case_responsible="Kari",
        primary_class=series.classification_system.classes.get(class_id="A20"),
    )
    assert case_file.case_sequence_number == 6


def archive_services_series(actor, municipality, system_id):
    from ekommune.archive import selectors

    return selectors.extraction_series(actor=actor, municipality=municipality, system_ids=[system_id])[0]


def test_an_invalid_package_is_refused_before_anything_is_written(
    rich: RichArchive, municipality_b: Municipality, tmp_path: Path
) -> None:
    out = tmp_path / "pakke"
    export(rich.archive.records_manager, rich.archive.municipality, rich.series_ids, out, timezone.now())
    next((out / pkg.DOCUMENT_FOLDER).iterdir()).write_bytes(b"%PDF-1.7 changed\n")
    manager_b = staff(municipality_b, Role.RECORDS_MANAGER)
    printed = io.StringIO()
    with pytest.raises(CommandError, match="package_invalid"):
        call_command(
            "deposit",
            "import",
            str(out),
            "--municipality",
            municipality_b.slug,
            "--user",
            manager_b.username,
            stdout=printed,
        )
    assert "checksum_mismatch" in printed.getvalue()
    from ekommune.archive import selectors
    from ekommune.core.errors import NotFoundError

    with pytest.raises(NotFoundError):
        selectors.case_file_by_number(
            actor=manager_b, municipality=municipality_b, case_number=f"{at_year()}/1"
        )


def at_year() -> int:
    return timezone.localdate().year


def test_the_import_command_reports_what_it_loaded(
    rich: RichArchive, municipality_b: Municipality, tmp_path: Path
) -> None:
    out = tmp_path / "pakke"
    export(rich.archive.records_manager, rich.archive.municipality, rich.series_ids, out, timezone.now())
    manager_b = staff(municipality_b, Role.RECORDS_MANAGER)
    printed = io.StringIO()
    call_command(
        "deposit",
        "import",
        str(out),
        "--municipality",
        municipality_b.slug,
        "--user",
        manager_b.username,
        stdout=printed,
    )
    assert "5 saksmapper, 9 registreringer" in printed.getvalue()
    tree = etree.parse(str(out / pkg.ARKIVSTRUKTUR))
    assert tree.getroot().tag.endswith("arkiv")


def test_importing_the_same_package_twice_is_refused_and_leaves_nothing_half_done(
    rich: RichArchive, municipality_b: Municipality, tmp_path: Path
) -> None:
    from ekommune.core.errors import ConflictError, ValidationError

    out = tmp_path / "pakke"
    export(rich.archive.records_manager, rich.archive.municipality, rich.series_ids, out, timezone.now())
    manager_b = staff(municipality_b, Role.RECORDS_MANAGER)
    first = services.package_import(actor=manager_b, municipality=municipality_b, package_dir=out)
    with pytest.raises(ConflictError, check=lambda error: error.code == "duplicate_case_number"):
        services.package_import(actor=manager_b, municipality=municipality_b, package_dir=out)
    from ekommune.archive import selectors

    series = selectors.series_list(actor=manager_b, municipality=municipality_b)
    assert {s.system_id for s in series} == set(first.series_system_ids)  # the second left nothing
    # a package the checks accept but the archive cannot hold is refused with a message
    path = out / pkg.ARKIVSTRUKTUR
    text = path.read_text(encoding="utf-8")
    old_checksum = pkg.sha256_file(path)[0]
    path.write_text(
        re.sub(r"<journalsekvensnummer>\d+<", "<journalsekvensnummer>99999999999<", text, count=1),
        encoding="utf-8",
    )
    described = out / pkg.ARKIVUTTREKK  # a consistent package: its description names the new checksum
    described.write_text(
        described.read_text(encoding="utf-8").replace(old_checksum, pkg.sha256_file(path)[0]),
        encoding="utf-8",
    )
    assert services.package_check(package_dir=out).ok
    from ekommune.core.tests.factories import MunicipalityFactory

    municipality_c = MunicipalityFactory.create(slug="nord")
    with pytest.raises(ValidationError, check=lambda error: error.code == "import_failed"):
        services.package_import(
            actor=staff(municipality_c, Role.RECORDS_MANAGER), municipality=municipality_c, package_dir=out
        )
