"""The file meets the PDF/A-3b rules we can check without veraPDF: syntax, metadata, intents."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from hashlib import sha256
from pathlib import Path

import pikepdf
import pytest

from ekommune.pdfa import Document, InvalidDocumentError, Paragraph, render_pdf
from ekommune.pdfa.tests import documents
from ekommune.pdfa.tests.pdfcheck import content_streams, open_pdf, raw_streams, xref_offsets

SAMPLES = {
    "receipt": documents.receipt,
    "letter": documents.letter,
    "long_table": documents.long_table,
    "empty": lambda: Document(created_at=documents.CREATED),
}


@pytest.fixture(scope="module", params=sorted(SAMPLES))
def sample(request: pytest.FixtureRequest) -> bytes:
    return render_pdf(SAMPLES[request.param]())


def _info_date(value: str) -> datetime:
    match = re.fullmatch(r"D:(\d{14})([+-])(\d\d)'(\d\d)'", value)
    assert match, value
    sign = 1 if match.group(2) == "+" else -1
    offset = timedelta(hours=int(match.group(3)), minutes=int(match.group(4))) * sign
    return datetime.strptime(match.group(1), "%Y%m%d%H%M%S").replace(tzinfo=timezone(offset))


def test_qpdf_finds_no_syntax_problem(sample: bytes) -> None:
    pdf = open_pdf(sample)
    assert len(pdf.pages) >= 1


def test_header_has_version_and_binary_comment(sample: bytes) -> None:
    first, second = sample.split(b"\n")[:2]
    assert first == b"%PDF-1.7"
    assert second.startswith(b"%")
    assert len(second) == 5
    assert all(b > 127 for b in second[1:])


def test_file_ends_with_single_eol_after_eof(sample: bytes) -> None:
    assert sample.endswith(b"%%EOF\n")
    assert not sample.endswith(b"\n%%EOF\n\n")


def test_xref_entries_are_20_bytes_and_point_at_their_objects(sample: bytes) -> None:
    offsets = xref_offsets(sample)
    for number, offset in enumerate(offsets, start=1):
        assert sample.startswith(b"%d 0 obj\n" % number, offset)


def test_every_stream_has_its_exact_length_and_eols(sample: bytes) -> None:
    streams = list(raw_streams(sample))  # asserts /Length and "\nendstream" per stream
    assert len(streams) >= 3


def test_trailer_has_two_equal_ids_and_no_encryption(sample: bytes) -> None:
    trailer = sample[sample.rindex(b"trailer") :]
    match = re.search(rb"/ID \[<([0-9A-F]{32})> <([0-9A-F]{32})>\]", trailer)
    assert match
    assert match.group(1) == match.group(2)
    assert b"/Encrypt" not in sample
    assert b"/Size %d" % (len(xref_offsets(sample)) + 1) in trailer


def test_no_forbidden_features(sample: bytes) -> None:
    for forbidden in (b"/JavaScript", b"/JS", b"/LZWDecode", b"/SMask", b"/Group", b"/CIDSet", b"/AA"):
        assert forbidden not in sample, forbidden


def test_only_device_rgb_colour_in_content(sample: bytes) -> None:
    for content in content_streams(sample):
        operators = set(
            re.findall(rb"(?<![A-Za-z/])(rg|RG|k|K|g|G|cs|CS|sc|SC|scn|SCN|gs)(?![A-Za-z])", content)
        )
        assert operators <= {b"rg", b"RG"}, operators


def test_streams_are_flate_compressed_except_metadata(sample: bytes) -> None:
    for head, _ in raw_streams(sample):
        if b"/Type /Metadata" in head:
            assert b"/Filter" not in head
            assert b"/Subtype /XML" in head
        else:
            assert b"/Filter /FlateDecode" in head, head


def test_catalog_declares_output_intent_marking_language_and_title_display() -> None:
    pdf = open_pdf(render_pdf(documents.receipt()))
    root = pdf.Root
    assert isinstance(root.MarkInfo.Marked, bool)
    assert root.MarkInfo.Marked
    assert str(root.Lang) == "nb-NO"
    assert root.ViewerPreferences.DisplayDocTitle is True
    (intent,) = root.OutputIntents
    assert intent.S == pikepdf.Name.GTS_PDFA1
    assert str(intent.OutputConditionIdentifier) == "sRGB IEC61966-2.1"
    profile = intent.DestOutputProfile
    assert profile.N == 3
    assert profile.read_bytes()[12:24] == b"mntrRGB XYZ "


def test_xmp_claims_pdfa_3b_and_matches_the_info_dictionary() -> None:
    pdf = open_pdf(render_pdf(documents.receipt()))
    info = pdf.docinfo
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        assert meta.pdfa_status == "3B"
        assert meta["pdfaid:part"] == "3"
        assert meta["pdfaid:conformance"] == "B"
        assert meta["dc:title"] == str(info.Title) == "Barnehageplass – Fjordvik kommune"
        assert meta["dc:creator"] == [str(info.Author)] == ["Fjordvik kommune"]
        assert meta["dc:description"] == str(info.Subject)
        assert meta["xmp:CreatorTool"] == str(info.Creator) == "ekommune"
        assert meta["pdf:Producer"] == str(info.Producer) == "ekommune pdfa"
        created = datetime.fromisoformat(meta["xmp:CreateDate"])
        modified = datetime.fromisoformat(meta["xmp:ModifyDate"])
    for xmp_date, info_date in ((created, info.CreationDate), (modified, info.ModDate)):
        parsed = _info_date(str(info_date))
        assert xmp_date == parsed == documents.CREATED.replace(microsecond=0)
        assert xmp_date.utcoffset() == parsed.utcoffset() == timedelta(hours=1)


def test_metadata_packet_is_utf8_with_xpacket_wrapper() -> None:
    pdf = open_pdf(render_pdf(documents.receipt()))
    packet = pdf.Root.Metadata.read_bytes()
    assert packet.startswith('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'.encode())
    assert packet.rstrip().endswith(b'<?xpacket end="w"?>')
    assert "Barnehageplass – Fjordvik kommune".encode() in packet


def test_non_ascii_info_strings_are_utf16_with_bom() -> None:
    data = render_pdf(documents.receipt())
    expected = b"<FEFF" + "Barnehageplass – Fjordvik kommune".encode("utf-16-be").hex().upper().encode()
    assert b"/Title " + expected + b">" in data


def test_metadata_strings_are_cleaned_alike_in_info_and_xmp() -> None:
    title = "Søknad\n\x00om\u200b plass \ud800 <&> \U0001f600"
    pdf = open_pdf(render_pdf(documents.receipt(title=title, author="", subject="")))
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        assert meta["dc:title"] == str(pdf.docinfo.Title) == "Søknad om plass \ufffd <&> \U0001f600"
        assert "dc:creator" not in meta
        assert "/Author" not in pdf.docinfo


def test_a_non_whole_minute_offset_is_written_in_utc() -> None:
    odd = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(minutes=30, seconds=10)))
    pdf = open_pdf(render_pdf(documents.receipt(created_at=odd)))
    assert str(pdf.docinfo.CreationDate) == "D:20260102023355+00'00'"


def test_a_naive_creation_date_is_refused() -> None:
    with pytest.raises(InvalidDocumentError):
        Document(created_at=datetime(2026, 1, 1), blocks=[Paragraph(text="x")])


def test_same_document_gives_identical_bytes() -> None:
    assert render_pdf(documents.receipt()) == render_pdf(documents.receipt())
    assert render_pdf(documents.receipt()) != render_pdf(documents.receipt(title="Annen tittel"))


def test_output_does_not_depend_on_the_hash_seed() -> None:
    src = Path(__file__).resolve().parents[3]
    script = (
        "import hashlib; from ekommune.pdfa import render_pdf; from ekommune.pdfa.tests import documents; "
        "print(hashlib.sha256(render_pdf(documents.receipt())).hexdigest())"
    )
    digests = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(src)}
        result = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, check=True, text=True
        )
        digests.add(result.stdout.strip())
    assert digests == {sha256(render_pdf(documents.receipt())).hexdigest()}
