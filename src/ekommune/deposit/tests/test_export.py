"""Exporting a varied archive gives a package that the official schemas accept."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from ekommune.deposit import package as pkg
from ekommune.deposit import services
from ekommune.deposit.tests.factories import RichArchive

pytestmark = pytest.mark.django_db


def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(pkg.schema_files()[name])))


def export(rich: RichArchive, out: Path) -> pkg.ExportResult:
    return services.package_export(
        actor=rich.archive.records_manager,
        municipality=rich.archive.municipality,
        series_ids=rich.series_ids,
        out_dir=out,
    )


@pytest.mark.needs_standards("noark5")
def test_every_file_of_the_package_validates_against_its_official_schema(
    rich: RichArchive, tmp_path: Path
) -> None:
    out = tmp_path / "uttrekk"
    export(rich, out)
    for file_name, (_, schemas) in pkg.XML_FILES.items():
        validator = schema(schemas[0])
        document = etree.parse(str(out / file_name))
        assert validator.validate(document), (file_name, [str(e) for e in validator.error_log])


def journal_ids(path: Path, ns: str) -> list[str]:
    return [
        e.text
        for e in etree.parse(str(path)).iterfind(
            f"{{{ns}}}journalregistrering/{{{ns}}}journalpost/{{{ns}}}systemID"
        )
    ]


@pytest.mark.needs_standards("noark5")
def test_the_public_journal_holds_only_published_entries_as_screened(
    rich: RichArchive, tmp_path: Path
) -> None:
    out = tmp_path / "uttrekk"
    result = export(rich, out)
    public = journal_ids(out / pkg.OFFENTLIG_JOURNAL, pkg.NS_OFFENTLIG)
    running = journal_ids(out / pkg.LOEPENDE_JOURNAL, pkg.NS_LOEPENDE)
    e = rich.entries
    assert {str(e[k].system_id) for k in ("I", "U", "I-screened", "S", "closed-U")} == set(public)
    assert str(e["secret"].system_id) not in public  # wholly exempt
    assert str(e["N"].system_id) not in public
    assert str(e["X"].system_id) not in public
    assert str(e["note"].system_id) not in running  # an arkivnotat is not journalised
    assert {str(e[k].system_id) for k in ("N", "X", "secret")} <= set(running)
    assert result.public_entries == len(public)
    assert result.journal_entries == len(running)
    text = (out / pkg.OFFENTLIG_JOURNAL).read_text(encoding="utf-8")
    assert "Sofie Skjermet" not in text
    assert "sensitive opplysninger" not in text
    assert "Gradert henvendelse" not in text
    assert "Sofie Skjermet" in (out / pkg.LOEPENDE_JOURNAL).read_text(encoding="utf-8")


@pytest.mark.needs_standards("noark5")
def test_every_version_and_variant_is_delivered_as_a_file_with_its_checksum(
    rich: RichArchive, tmp_path: Path
) -> None:
    out = tmp_path / "uttrekk"
    result = export(rich, out)
    ns = f"{{{pkg.NS_ARKIVSTRUKTUR}}}"
    objects = list(etree.parse(str(out / pkg.ARKIVSTRUKTUR)).iter(f"{ns}dokumentobjekt"))
    assert len(objects) == result.counts["dokumentobjekt"] == result.document_files == 10
    for obj in objects:
        path = out / obj.findtext(f"{ns}referanseDokumentfil")
        assert pkg.sha256_file(path) == (
            obj.findtext(f"{ns}sjekksum"),
            int(obj.findtext(f"{ns}filstoerrelse")),
        )
    variants = {(o.findtext(f"{ns}versjonsnummer"), o.findtext(f"{ns}variantformat")) for o in objects}
    assert ("2", "Arkivformat") in variants
    assert ("1", "Produksjonsformat") in variants
    assert result.counts["registrering"] == 9
    assert result.counts["mappe"] == 5
    assert result.counts["journalpost"] == 8
    assert result.counts["arkivnotat"] == 1


def test_the_export_needs_the_records_manager(rich: RichArchive, tmp_path: Path) -> None:
    from ekommune.core.errors import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        services.package_export(
            actor=rich.archive.case_worker,
            municipality=rich.archive.municipality,
            series_ids=rich.series_ids,
            out_dir=tmp_path / "x",
        )


def test_the_extraction_reads_the_same_publication_facts_as_the_public_journal(rich: RichArchive) -> None:
    from ekommune.archive import selectors as archive_selectors

    municipality = rich.archive.municipality
    expected = list(archive_selectors.entries_for_publication(municipality=municipality))
    found = archive_selectors.extraction_publication_facts(
        municipality=municipality, entry_ids=[entry.pk for entry in rich.entries.values()]
    )
    assert sorted(found, key=lambda f: str(f.system_id)) == sorted(expected, key=lambda f: str(f.system_id))
