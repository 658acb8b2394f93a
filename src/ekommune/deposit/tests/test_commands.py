"""The ``ekommune deposit`` command line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ekommune.deposit import package as pkg
from ekommune.deposit.tests.factories import RichArchive

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("deposit", *args, stdout=out)
    return out.getvalue()


@pytest.mark.needs_standards("noark5")
def test_export_writes_the_package_and_reports_what_it_wrote(rich: RichArchive, tmp_path: Path) -> None:
    out = tmp_path / "pakke"
    printed = run(
        "export",
        "--municipality",
        rich.archive.municipality.slug,
        "--series",
        *(str(system_id) for system_id in rich.series_ids),
        "--out",
        str(out),
        "--user",
        rich.archive.records_manager.username,
    )
    assert "registrering 9" in printed
    assert (out / pkg.ARKIVUTTREKK).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--municipality", "nowhere"], "Unknown municipality"),
        (["--series", "not-a-uuid"], "UUID"),
        (["--user", "nobody"], "Unknown or inactive user"),
        (["--user", "case-worker"], "permission_denied"),
    ],
)
def test_export_refuses_bad_input_with_a_message(
    rich: RichArchive, tmp_path: Path, args: list[str], message: str
) -> None:
    options = {
        "--municipality": rich.archive.municipality.slug,
        "--series": str(rich.open_series.system_id),
        "--out": str(tmp_path / "pakke"),
        "--user": rich.archive.records_manager.username,
    }
    options.update(dict(zip(args[::2], args[1::2], strict=True)))
    if options["--user"] == "case-worker":
        options["--user"] = rich.archive.case_worker.username
    with pytest.raises(CommandError, match=message):
        run("export", *(part for pair in options.items() for part in pair))
