"""Issue 17 §1 and §4: the import reads screening as other systems write it, refuses what it cannot
hold, reports every value it does not store, and the round trip keeps screening and parties."""

from __future__ import annotations

import io
import itertools
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from stdnum.no import fodselsnummer

from ekommune.archive import selectors as archive_selectors
from ekommune.archive import services as archive_services
from ekommune.archive.tests.factories import Archive, archive_for, letter
from ekommune.core.models import Role
from ekommune.core.tests.factories import MunicipalityFactory, host_client, staff, valid_orgnr
from ekommune.deposit import package as pkg
from ekommune.deposit import services
from ekommune.deposit.tests.factories import RichArchive
from ekommune.deposit.tests.test_import import normalised
from ekommune.publicjournal import services as publicjournal_services

pytestmark = [pytest.mark.django_db, pytest.mark.needs_standards("noark5")]

AS = f"{{{pkg.NS_ARKIVSTRUKTUR}}}"
TITLE = "Barnevernssak for Kari Barnesen"
SENDER = "Ola Avsendersen"
SECRETS = ["Barnesen", "Avsendersen"]
COUNTER = itertools.count(1)


def _screened_archive(archive: Archive) -> Any:
    """One case with one incoming letter, screened (restriction 13) by title and sender."""
    case_file = archive_services.case_file_create(
        actor=archive.case_worker,
        municipality=archive.municipality,
        series=archive.series,
        title="Barnevern 2026",
        administrative_unit="Barnevern",
        case_responsible="Kari Nilsen",
        primary_class=archive.classes["A20"],
    )
    return archive_services.registry_entry_register(
        actor=archive.case_worker,
        municipality=archive.municipality,
        case_file=case_file,
        entry_type="I",
        title=TITLE,
        parties=[archive_services.PartyInput(party_type="EA", name=SENDER)],
        documents=[letter("Bekymringsmelding")],
        screening=archive_services.ScreeningInput(
            access_restriction="13", legal_basis="Offl. § 13 jf. bvl. § 6-7", screened_metadata=["TRO", "NA"]
        ),
    )


def rewrite(package_dir: Path, change: Any) -> None:
    """Change arkivstruktur.xml as another tool would have written it; the package description
    (arkivuttrekk.xml) names the new checksum, so the package stays consistent."""
    path = package_dir / pkg.ARKIVSTRUKTUR
    old_checksum = pkg.sha256_file(path)[0]
    tree = etree.parse(str(path))
    change(tree)
    tree.write(str(path), xml_declaration=True, encoding="utf-8")
    described = package_dir / pkg.ARKIVUTTREKK
    text = described.read_text(encoding="utf-8").replace(old_checksum, pkg.sha256_file(path)[0])
    for name in ("part", "skjerming"):  # the objects these tests add
        count = sum(1 for _ in tree.iter(AS + name))
        text = re.sub(
            rf'(<dataObject name="{name}"><properties><property name="numberOfOccurrences"><value>)\d+',
            rf"\g<1>{count}",
            text,
        )
    described.write_text(text, encoding="utf-8")


def as_other_tools_write_it(restriction: str, fields: list[str]) -> Any:
    """skjermingMetadata as text values (``tittel``, ``korrespondansepart``), restriction as a code."""

    def change(tree: Any) -> None:
        for screening in tree.iter(AS + "skjerming"):
            screening.find(AS + "tilgangsrestriksjon").text = restriction
            old = screening.findall(AS + "skjermingMetadata")
            anchor = old[0]
            for value in fields or ["Ingen"]:
                element = etree.Element(AS + "skjermingMetadata")
                element.text = value
                anchor.addprevious(element)
            for element in old:
                screening.remove(element)

    return change


@pytest.fixture
def exported(municipality_a: Any, tmp_path: Path) -> tuple[Archive, Path]:
    archive = archive_for(municipality_a)
    _screened_archive(archive)
    out = tmp_path / "pakke"
    services.package_export(
        actor=archive.records_manager,
        municipality=archive.municipality,
        series_ids=[archive.series.system_id],
        out_dir=out,
    )
    return archive, out


def _import_into(package_dir: Path, slug: str) -> tuple[Any, Any, Any]:
    municipality = MunicipalityFactory.create(slug=slug, host=f"{slug}.test")
    manager = staff(municipality, Role.RECORDS_MANAGER)
    result = services.package_import(actor=manager, municipality=municipality, package_dir=package_dir)
    publicjournal_services.publication_refresh(municipality=municipality)
    return municipality, manager, result


def _imported(municipality: Any, manager: Any) -> tuple[Any, Any]:
    """The screened case (the first of its year) and its entry, as imported."""
    case_file = archive_selectors.case_file_by_number(
        actor=manager, municipality=municipality, case_number=f"{timezone.localdate().year}/1"
    )
    assert case_file.title == "Barnevern 2026"
    [entry] = archive_selectors.registry_entries_of_case(
        actor=manager, municipality=municipality, case_file=case_file
    )
    return case_file, entry


def _public_pages(municipality: Any, manager: Any) -> dict[str, str]:
    case_file, entry = _imported(municipality, manager)
    client = host_client(municipality.domains.get().host_name)
    urls = [
        "/journal/",
        "/api/journal/?antall=100",
        "/journal/feed/",
        "/journal/sitemap.xml",
        "/journal/sitemap-1.xml",
        f"/journal/sak/{case_file.case_year}/{case_file.case_sequence_number}/",
        f"/journal/{entry.system_id}/",
        f"/api/journal/{entry.system_id}/",
    ]
    pages = {url: client.get(url).content.decode() for url in urls}
    for secret in SECRETS:
        pages[f"søk {secret}"] = str(client.get("/api/journal/", {"q": secret}).json()["count"])
    return pages


def _leaks(pages: dict[str, str]) -> list[str]:
    found = [
        f"{secret} on {url}"
        for url, body in pages.items()
        for secret in SECRETS
        if not url.startswith("søk") and secret in body
    ]
    return found + [
        f"{url.split()[1]} in the search index"
        for url, body in pages.items()
        if url.startswith("søk") and body != "0"
    ]


def test_a_package_written_by_another_tool_imports_its_screening_and_publishes_nothing_screened(
    exported: tuple[Archive, Path], tmp_path: Path
) -> None:
    """The regression of issue 17: skjermingMetadata 'tittel' and 'korrespondansepart', restriction 13."""
    _, package_dir = exported
    rewrite(package_dir, as_other_tools_write_it("13", ["tittel", "korrespondansepart"]))
    assert services.package_check(package_dir=package_dir).ok
    municipality, manager, result = _import_into(package_dir, "mottak")
    _, entry = _imported(municipality, manager)
    assert entry.screening.access_restriction == "13"
    assert entry.screening.screened_metadata == ["TRO", "NA", "NM"]  # none of it dropped
    pages = _public_pages(municipality, manager)
    assert _leaks(pages) == []
    assert "*****" in pages["/journal/"]
    # the export of what was imported carries no screened text in its public journal either
    again = tmp_path / "igjen"
    services.package_export(
        actor=manager, municipality=municipality, series_ids=result.series_system_ids, out_dir=again
    )
    public = (again / pkg.OFFENTLIG_JOURNAL).read_text(encoding="utf-8")
    assert [secret for secret in SECRETS if secret in public] == []
    assert TITLE in (again / pkg.ARKIVSTRUKTUR).read_text(encoding="utf-8")  # the archive keeps it all


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (as_other_tools_write_it("13", ["tittel", "fødselsdato"]), "import_screening_value_unknown"),
        (as_other_tools_write_it("Unntatt", ["tittel"]), "import_screening_value_unknown"),
        (as_other_tools_write_it("13", ["Skjerming av alt"]), "import_screening_value_unknown"),
    ],
)
def test_a_screening_value_the_archive_cannot_map_refuses_the_whole_import(
    exported: tuple[Archive, Path], change: Any, code: str
) -> None:
    _, package_dir = exported
    rewrite(package_dir, change)
    assert services.package_check(package_dir=package_dir).ok  # valid 5.0: the schema takes any text
    municipality = MunicipalityFactory.create(slug="mottak", host="mottak.test")
    manager = staff(municipality, Role.RECORDS_MANAGER)
    with pytest.raises(services.PackageRefusedError) as refused:
        services.package_import(actor=manager, municipality=municipality, package_dir=package_dir)
    assert code in refused.value.report.codes()
    assert not archive_selectors.series_list(actor=manager, municipality=municipality).exists()


def _add(tree: Any, parent_tag: str, after: str, name: str, text: str = "", children: Any = ()) -> None:
    parent = next(tree.iter(AS + parent_tag))
    anchor = parent.find(AS + after)
    element = etree.Element(AS + name)
    element.text = text or None
    for child_name, child_text in children:
        etree.SubElement(element, AS + child_name).text = child_text
    anchor.addnext(element)


def test_grading_or_a_screened_class_refuses_and_unknown_codes_are_all_listed(
    exported: tuple[Archive, Path],
) -> None:
    _, package_dir = exported

    def change(tree: Any) -> None:
        for element in tree.iter(AS + "journalposttype"):
            element.text = "Innkommende brev"
        for element in tree.iter(AS + "dokumenttype"):
            element.text = "Notat"
        journal_screening = next(tree.iter(AS + "skjerming"))
        grading = etree.Element(AS + "gradering")
        for name, value in (("grad", "Strengt hemmelig"), ("graderingsdato", "2026-01-01T10:00:00Z")):
            etree.SubElement(grading, AS + name).text = value
        etree.SubElement(grading, AS + "gradertAv").text = "Sikkerhetsleder"
        journal_screening.addnext(grading)
        case = next(tree.iter(AS + "mappe"))
        class_screening = etree.Element(AS + "skjerming")
        for name, value in (
            ("tilgangsrestriksjon", "13"),
            ("skjermingshjemmel", "Offl. § 13"),
            ("skjermingMetadata", "klasseID"),
        ):
            etree.SubElement(class_screening, AS + name).text = value
        case.addprevious(class_screening)  # on the klasse that holds the case

    rewrite(package_dir, change)
    municipality = MunicipalityFactory.create(slug="mottak", host="mottak.test")
    manager = staff(municipality, Role.RECORDS_MANAGER)
    with pytest.raises(services.PackageRefusedError) as refused:
        services.package_import(actor=manager, municipality=municipality, package_dir=package_dir)
    codes = [finding.code for finding in refused.value.report.findings]
    assert codes.count("import_screening_not_stored") == 2  # the grading, the class's screening
    assert codes.count("import_code_unknown") >= 2  # every unknown code, not just the first


def test_values_with_no_place_in_the_archive_are_reported_and_identity_numbers_kept(
    exported: tuple[Archive, Path],
) -> None:
    _, package_dir = exported

    def change(tree: Any) -> None:
        case = next(tree.iter(AS + "mappe"))
        _add(tree, "mappe", "dokumentmedium", "oppbevaringssted", "Arkivrommet i kjelleren")
        part = etree.Element(AS + "part")
        for name, value in (
            ("partID", "15038510190"),
            ("partNavn", "Kari Barnesen"),
            ("partRolle", "Klient"),
            ("land", "NO"),
        ):
            etree.SubElement(part, AS + name).text = value
        org = etree.Element(AS + "part")
        for name, value in (
            ("partID", "974760673"),
            ("partNavn", "Advokatfirma AS"),
            ("partRolle", "Advokat"),
        ):
            etree.SubElement(org, AS + name).text = value
        odd = etree.Element(AS + "part")
        for name, value in (("partID", "K-123"), ("partNavn", "Ukjent"), ("partRolle", "Pårørende")):
            etree.SubElement(odd, AS + name).text = value
        case.find(AS + "avsluttetAv").addnext(part)
        part.addnext(org)
        org.addnext(odd)
        sender = next(tree.iter(AS + "korrespondansepart"))
        sender.find(AS + "korrespondansepartNavn").addnext(etree.Element(AS + "postadresse"))
        sender.find(AS + "postadresse").text = "Lia 1"
        sender.find(AS + "postadresse").addnext(etree.Element(AS + "postadresse"))
        sender.findall(AS + "postadresse")[1].text = "Postboks 7"

    rewrite(package_dir, change)
    report = services.package_check(package_dir=package_dir)
    assert report.ok, report.to_text()
    municipality, manager, result = _import_into(package_dir, "mottak")
    messages = [(finding.code, finding.message) for finding in result.findings]
    codes = [code for code, _ in messages]
    assert codes.count("import_value_not_stored") == 4, (
        messages
    )  # oppbevaringssted, land, partID K-123, postadresse 2
    assert "import_party_kind_assumed" in codes
    assert any("oppbevaringssted" in message for _, message in messages)
    case_file, _ = _imported(municipality, manager)
    parties = {party.name: party for party in case_file.parties.all()}
    assert parties["Kari Barnesen"].national_identity_number == "15038510190"
    assert (parties["Advokatfirma AS"].organisation_number, parties["Advokatfirma AS"].kind) == (
        "974760673",
        "unit",
    )
    assert parties["Ukjent"].national_identity_number == ""
    pages = _public_pages(municipality, manager)
    assert [url for url, body in pages.items() if "15038510190" in body] == []


@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    restriction=st.sampled_from(["13", "Taushetsplikt, offentleglova § 13", "25", "KL", "99"]),
    fields=st.lists(
        st.sampled_from(
            [
                "tittel",
                "korrespondansepart",
                "navn",
                "Skjerming navn avsender",
                "TRO",
                "NM",
                "Ingen",
                "adresse",
                "x",
            ]
        ),
        max_size=3,
    ),
)
def test_whatever_screening_a_package_carries_nothing_screened_is_published_after_import(
    exported: tuple[Archive, Path], tmp_path: Path, restriction: str, fields: list[str]
) -> None:
    _, original = exported
    n = next(COUNTER)
    package_dir = tmp_path / f"variant{n}"
    shutil.copytree(original, package_dir)
    rewrite(package_dir, as_other_tools_write_it(restriction, fields))
    try:
        archive_services.access_restriction_code(restriction)
        codes = set(archive_services.screened_metadata_all(fields, level="registrering"))
    except archive_services.ScreeningValueError:
        municipality = MunicipalityFactory.create(slug=f"mottak{n}", host=f"mottak{n}.test")
        with pytest.raises(services.PackageRefusedError) as refused:
            services.package_import(
                actor=staff(municipality, Role.RECORDS_MANAGER),
                municipality=municipality,
                package_dir=package_dir,
            )
        assert "import_screening_value_unknown" in refused.value.report.codes()
        return
    municipality, manager, _ = _import_into(package_dir, f"mottak{n}")
    pages = _public_pages(municipality, manager)
    hidden = []
    if not codes or codes & {"TRO", "TR1", "M"}:
        hidden.append("Barnesen")
    if not codes or codes & {"NA", "M"}:
        hidden.append("Avsendersen")
    assert [leak for leak in _leaks(pages) if leak.split()[0] in hidden] == []


def test_the_round_trip_keeps_screening_duration_contact_persons_and_party_identities(
    rich: RichArchive, municipality_b: Any, tmp_path: Path
) -> None:
    archive, m = rich.archive, rich.archive.municipality
    case_file = archive_services.case_file_create(
        actor=archive.case_worker,
        municipality=m,
        series=rich.open_series,
        title="Barnevern - Kari",
        administrative_unit="Barnevern",
        case_responsible="Kari Nilsen",
        primary_class=archive.classes["A20"],
        screening=archive_services.ScreeningInput(
            access_restriction="13",
            legal_basis="Offl. § 13 jf. bvl. § 6-7",
            screened_metadata=["tittel", "navn"],
            duration_years=100,
        ),
    )
    child_number = next(  # a fødselsnummer with valid check digits (born 1 January 1990)
        number
        for number in (f"010190{serial:03d}{check:02d}" for serial in range(100, 200) for check in range(100))
        if fodselsnummer.is_valid(number)
    )
    for party in (
        archive_services.CasePartyInput(
            name="Kari Barnesen", role="KLI", national_identity_number=child_number
        ),
        archive_services.CasePartyInput(
            name="Advokatfirma AS", role="ADV", kind="unit", organisation_number=valid_orgnr(7)
        ),
    ):
        archive_services.case_party_add(
            actor=archive.case_worker, municipality=m, case_file=case_file, party=party
        )
    archive_services.registry_entry_register(
        actor=archive.case_worker,
        municipality=m,
        case_file=case_file,
        entry_type="U",
        title="Brev til advokat",
        parties=[
            archive_services.PartyInput(
                party_type="EM", name="Advokatfirma AS", kind="unit", contact_person="Advokat Berg"
            )
        ],
        documents=[letter("Brev", b"%PDF-1.7 brev til advokat\n")],
        screening=archive_services.ScreeningInput(
            access_restriction="13", legal_basis="Offl. § 13", screened_metadata=["Ingen"], duration_years=60
        ),
    )
    at = timezone.now()
    first = tmp_path / "first"
    services.package_export(
        actor=archive.records_manager,
        municipality=m,
        series_ids=rich.series_ids,
        out_dir=first,
        extracted_at=at,
    )
    text = (first / pkg.ARKIVSTRUKTUR).read_text(encoding="utf-8")
    assert "<skjermingsvarighet>100</skjermingsvarighet>" in text
    assert "<kontaktperson>Advokat Berg</kontaktperson>" in text
    assert f"<partID>{child_number}</partID>" in text
    assert f"<partID>{valid_orgnr(7)}</partID>" in text
    manager_b = staff(municipality_b, Role.RECORDS_MANAGER)
    result = services.package_import(actor=manager_b, municipality=municipality_b, package_dir=first)
    second = tmp_path / "second"
    services.package_export(
        actor=manager_b,
        municipality=municipality_b,
        series_ids=result.series_system_ids,
        out_dir=second,
        extracted_at=at,
    )
    for file_name in (pkg.ARKIVSTRUKTUR, pkg.ENDRINGSLOGG, pkg.LOEPENDE_JOURNAL, pkg.OFFENTLIG_JOURNAL):
        assert normalised(second / file_name) == normalised(first / file_name), file_name
    assert [finding.code for finding in result.findings] == ["import_party_kind_assumed"]


def test_the_import_command_lists_what_it_did_not_store_and_what_refused_it(
    exported: tuple[Archive, Path], tmp_path: Path
) -> None:
    _, package_dir = exported
    refused_dir = tmp_path / "avvist"
    shutil.copytree(package_dir, refused_dir)
    rewrite(refused_dir, as_other_tools_write_it("13", ["tittel", "hemmelig felt"]))
    rewrite(package_dir, lambda tree: _add(tree, "mappe", "dokumentmedium", "oppbevaringssted", "Kjelleren"))
    municipality = MunicipalityFactory.create(slug="mottak", host="mottak.test")
    manager = staff(municipality, Role.RECORDS_MANAGER)
    arguments = ["--municipality", municipality.slug, "--user", manager.username]
    printed = io.StringIO()
    with pytest.raises(CommandError, match="package_invalid"):
        call_command("deposit", "import", str(refused_dir), *arguments, stdout=printed)
    assert "[import_screening_value_unknown]" in printed.getvalue()
    assert "'hemmelig felt'" in printed.getvalue()
    printed = io.StringIO()
    call_command("deposit", "import", str(package_dir), *arguments, stdout=printed)
    assert "verdier ble ikke lagret" in printed.getvalue()
    assert "[import_value_not_stored] arkivstruktur.xml:" in printed.getvalue()
    assert "oppbevaringssted" in printed.getvalue()
