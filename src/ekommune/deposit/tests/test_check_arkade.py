"""The checks toward Arkade 5's list and the public journal's screening: a sound package passes;
each mutation (one thing broken) gives its finding code."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from stdnum.no import fodselsnummer

from ekommune.deposit import package as pkg
from ekommune.deposit import services
from ekommune.deposit.tests.factories import RichArchive

pytestmark = [pytest.mark.django_db, pytest.mark.needs_standards("noark5")]

NEW_UUID = "00000000-0000-4000-8000-0000000000aa"


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


def edit(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    changed = re.sub(pattern, replacement, text, count=1, flags=re.DOTALL)
    assert changed != text, pattern
    path.write_text(changed, encoding="utf-8")


def identity_number(birth: str) -> str:
    """A number whose check digits hold (fødselsnummer, or D-number when the day is + 40)."""
    for individual in range(100, 999):
        base = f"{birth}{individual}"
        first = fodselsnummer.calc_check_digit1(base)
        if len(first) == 1:
            second = fodselsnummer.calc_check_digit2(base + first)
            if len(second) == 1:
                return base + first + second
    raise AssertionError(birth)


def screened_name_in_public_title(package: Path) -> None:
    edit(package / pkg.OFFENTLIG_JOURNAL, r"Brev fra \*\*\*\*\*", "Brev fra Sofie Skjermet")


def screened_entry_without_legal_basis_in_public(package: Path) -> None:
    edit(package / pkg.OFFENTLIG_JOURNAL, r"<skjermingshjemmel>[^<]+</skjermingshjemmel>", "")


def fodselsnummer_in_public_title(package: Path) -> None:
    number = identity_number("010190")
    edit(package / pkg.OFFENTLIG_JOURNAL, r"Vedtak om barnehageplass", f"Vedtak til {number}")


def d_number_in_public_party(package: Path) -> None:
    number = identity_number("410190")
    edit(package / pkg.OFFENTLIG_JOURNAL, r"Nordvik Bygg AS", f"Nordvik {number[:6]} {number[6:]}")


def running_entry_unknown(package: Path) -> None:
    edit(package / pkg.LOEPENDE_JOURNAL, r"(<journalpost><systemID>)[^<]+", rf"\g<1>{NEW_UUID}")


def public_entry_dropped(package: Path) -> None:
    edit(package / pkg.OFFENTLIG_JOURNAL, r"<journalregistrering\b.*?</journalregistrering>", "")


def running_entry_dropped(package: Path) -> None:
    edit(package / pkg.LOEPENDE_JOURNAL, r"<journalregistrering\b.*?</journalregistrering>", "")


def published_entry_becomes_reserved(package: Path) -> None:
    edit(
        package / pkg.ARKIVSTRUKTUR,
        r"<journalstatus>Ferdigstilt fra saksbehandler</journalstatus>",
        "<journalstatus>Reservert dokument</journalstatus>",
    )


def empty_series(package: Path) -> None:
    edit(
        package / pkg.ARKIVSTRUKTUR,
        r"</arkiv>",
        f"<arkivdel><systemID>{NEW_UUID}</systemID><tittel>Tom</tittel></arkivdel></arkiv>",
    )


def archived_before_created(package: Path) -> None:
    edit(package / pkg.ARKIVSTRUKTUR, r"<arkivertDato>[^<]+<", "<arkivertDato>2000-01-01T00:00:00+00:00<")


def write_off_to_nowhere(package: Path) -> None:
    edit(
        package / pkg.ARKIVSTRUKTUR,
        r"<referanseAvskrivesAvJournalpost>[^<]+<",
        f"<referanseAvskrivesAvJournalpost>{NEW_UUID}<",
    )


@pytest.mark.parametrize(
    ("mutate", "code", "file_name"),
    [
        (screened_name_in_public_title, "public_journal_unscreened", pkg.OFFENTLIG_JOURNAL),
        (screened_entry_without_legal_basis_in_public, "public_journal_unscreened", pkg.OFFENTLIG_JOURNAL),
        (fodselsnummer_in_public_title, "national_id_in_public_journal", pkg.OFFENTLIG_JOURNAL),
        (d_number_in_public_party, "national_id_in_public_journal", pkg.OFFENTLIG_JOURNAL),
        (running_entry_unknown, "journal_entry_not_in_structure", pkg.LOEPENDE_JOURNAL),
        (running_entry_unknown, "journal_entry_missing", pkg.ARKIVSTRUKTUR),
        (public_entry_dropped, "public_entry_missing", pkg.ARKIVSTRUKTUR),
        (running_entry_dropped, "public_entry_not_in_running", pkg.OFFENTLIG_JOURNAL),
        (published_entry_becomes_reserved, "public_entry_not_publishable", pkg.OFFENTLIG_JOURNAL),
        (empty_series, "empty_series", pkg.ARKIVSTRUKTUR),
        (archived_before_created, "dates_out_of_order", pkg.ARKIVSTRUKTUR),
        (write_off_to_nowhere, "dangling_reference", pkg.ARKIVSTRUKTUR),
    ],
)
def test_each_mutation_gives_its_finding(
    package: Path, mutate: Callable[[Path], None], code: str, file_name: str
) -> None:
    assert services.package_check(package_dir=package).ok
    mutate(package)
    report = services.package_check(package_dir=package)
    assert [f for f in report.findings if f.code == code and f.file == file_name], report.to_text()


def test_the_public_journal_may_leave_out_exactly_internal_notes_and_exempt_entries(
    package: Path, rich: RichArchive
) -> None:
    """9 journal entries, 5 public: the internal notes (N, X) and the graded entry are left out,
    and the check accepts exactly that (decision 0141)."""
    report = services.package_check(package_dir=package)
    assert report.ok, report.to_text()
    public = (package / pkg.OFFENTLIG_JOURNAL).read_text(encoding="utf-8")
    for left_out in ("N", "X", "secret"):
        assert str(rich.entries[left_out].system_id) not in public
    assert str(rich.entries["I-screened"].system_id) in public
