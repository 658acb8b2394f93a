"""Text is cleaned, wrapped with the fonts' widths, paginated, and extractable again."""

from __future__ import annotations

import io
import itertools
import re
import unicodedata

import pypdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ekommune.pdfa import Document, Heading, KeyValueTable, Paragraph, Spacer, Style, render_pdf
from ekommune.pdfa.fonts import get_face
from ekommune.pdfa.layout import layout_document, wrap
from ekommune.pdfa.tests import documents
from ekommune.pdfa.tests.pdfcheck import content_streams, open_pdf
from ekommune.pdfa.text import clean_text


def _text(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def _points(face_text: str, size: float = 11, bold: bool = False) -> float:
    face = get_face("sans", bold=bold)
    return face.text_units(face_text) * size / face.units_per_em


class TestCleaning:
    def test_nfc_composes_decomposed_letters(self) -> None:
        assert clean_text("a\u030a o\u0308") == "å ö"

    def test_control_and_format_characters_are_dropped_tabs_become_spaces(self) -> None:
        assert clean_text("a\x00b\x1bc\td\u200be\u00adf\ufeff") == "abc def"

    def test_line_ends_become_newlines(self) -> None:
        assert clean_text("a\r\nb\rc\u2028d\ne") == "a\nb\nc\nd\ne"

    def test_surrogates_pair_up_or_become_replacement_characters(self) -> None:
        assert clean_text("x\ud83d\ude00y\udc00") == "x\U0001f600y\ufffd"


class TestWrapping:
    def test_greedy_lines_fit_the_width(self) -> None:
        face = get_face("sans")
        text = "Dette er en setning som er lang nok til å brytes over flere linjer i en smal spalte."
        lines = wrap(text, face, 11, 120)
        assert len(lines) > 3
        assert " ".join(lines) == text
        assert all(_points(line) <= 120 for line in lines)
        for line, following in itertools.pairwise(lines):  # greedy: the next word did not fit
            assert _points(f"{line} {following.split(' ')[0]}") > 120

    def test_a_word_wider_than_the_column_is_broken_by_characters(self) -> None:
        face = get_face("sans")
        lines = wrap("x" * 200, face, 11, 100)
        assert "".join(lines) == "x" * 200
        assert len(lines) > 2
        assert all(_points(line) <= 100 for line in lines)

    def test_newline_forces_a_break_and_spaces_collapse(self) -> None:
        face = get_face("sans")
        assert wrap("a   b\n\nc\n", face, 11, 400) == ["a b", "", "c"]

    def test_empty_text_has_no_lines(self) -> None:
        assert wrap("", get_face("sans"), 11, 100) == []


def test_norwegian_and_sami_text_is_extracted_back() -> None:
    text = re.sub(r"\s+", " ", "\n".join(_text(render_pdf(documents.receipt()))))
    for expected in ("Søknad om barnehageplass", documents.NORWEGIAN, documents.SAMI, documents.PUNCTUATION):
        assert expected in text
    assert "Barn 1: fødselsdato" in text
    assert "1 / 1" in text


def test_letter_fits_one_page_in_serif() -> None:
    data = render_pdf(documents.letter())
    assert len(open_pdf(data).pages) == 1
    assert "Vedtak om barnehageplass" in _text(data)[0]


def test_long_table_paginates_with_n_of_total_footers() -> None:
    data = render_pdf(documents.long_table())
    pages = _text(data)
    assert len(pages) >= 5
    for number, page in enumerate(pages, start=1):
        assert re.search(rf"(^|\n){number} / {len(pages)}\s*$", page), page[-40:]
    joined = "".join(pages)
    assert "Felt 0 " in joined
    assert "Felt 199 " in joined
    assert joined.count("lengre-ord") == documents.long_text(5000).count("lengre-ord") > 200


def test_a_table_row_may_split_between_pages() -> None:
    layout = layout_document(documents.long_table())
    marks_per_cell = [
        {page for page, _ in cell.marks}
        for table in layout.root.children
        for row in table.children
        for cell in row.children
    ]
    assert any(len(pages) > 1 for pages in marks_per_cell)  # the 5,000-character cell
    assert len(layout.pages) == len({page for pages in marks_per_cell for page in pages})


def test_lines_stay_inside_the_margins() -> None:
    doc = documents.long_table()
    top, right, bottom, left = doc.margins
    width, height = doc.page_size
    for content in content_streams(render_pdf(doc)):
        for x, y in re.findall(rb"1 0 0 1 ([\d.]+) ([\d.]+) Tm", content):
            assert left <= float(x) < width - right
            assert bottom / 3 < float(y) < height - top  # footers sit in the bottom margin


def test_paragraph_flows_onto_the_next_page() -> None:
    doc = Document(created_at=documents.CREATED, blocks=[Paragraph(text="ord " * 3000)])
    layout = layout_document(doc)
    (paragraph,) = layout.root.children
    assert len(layout.pages) > 1
    assert [page for page, _ in paragraph.marks] == list(range(len(layout.pages)))


def test_spacing_collapses_and_vanishes_at_the_top_of_a_page() -> None:
    def first_baseline(*blocks: object) -> float:
        content = content_streams(render_pdf(Document(created_at=documents.CREATED, blocks=blocks)))[0]  # type: ignore[arg-type]
        return [float(y) for y in re.findall(rb"1 0 0 1 [\d.]+ ([\d.]+) Tm", content)][-1]

    plain = first_baseline(Paragraph(text="a", style=Style(space_after=10)), Paragraph(text="b"))
    collapsed = first_baseline(
        Paragraph(text="a", style=Style(space_after=10)), Paragraph(text="b", style=Style(space_before=4))
    )
    spaced = first_baseline(
        Paragraph(text="a", style=Style(space_after=10)), Spacer(height=20), Paragraph(text="b")
    )
    assert plain == collapsed
    assert spaced == pytest.approx(plain - 20)
    assert first_baseline(
        Spacer(height=50), Heading(text="a", style=Style(space_before=30))
    ) == first_baseline(Heading(text="a", style=Style(space_before=0)))


def test_huge_text_on_a_small_page_terminates() -> None:
    doc = Document(
        created_at=documents.CREATED,
        page_size=(100, 100),
        margins=(10, 10, 10, 10),
        blocks=[
            Paragraph(text="Stor tekst " * 20, style=Style(size=200)),
            KeyValueTable(rows=[("a", "b " * 50, 0)]),
        ],
    )
    assert len(open_pdf(render_pdf(doc)).pages) > 10


_ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=300)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    paragraphs=st.lists(_ANY_TEXT, max_size=4),
    rows=st.lists(st.tuples(_ANY_TEXT, _ANY_TEXT, st.integers(0, 3)), max_size=6),
    title=_ANY_TEXT,
    serif=st.booleans(),
)
def test_any_text_renders_to_a_pdf_that_opens(
    paragraphs: list[str], rows: list[tuple[str, str, int]], title: str, serif: bool
) -> None:
    style = Style(family="serif" if serif else "sans", size=9)
    doc = Document(
        created_at=documents.CREATED,
        title=title,
        author=title[::-1],
        subject=title.upper(),
        page_numbers=True,
        blocks=[
            Heading(text=title),
            *[Paragraph(text=p, style=style) for p in paragraphs],
            KeyValueTable(rows=rows, style=style),
        ],
    )
    data = render_pdf(doc)
    assert len(open_pdf(data).pages) >= 1
    extracted = re.sub(r"\s", "", "".join(_text(data)))
    for word in re.findall(r"[A-Za-z]{3,}", " ".join(clean_text(p) for p in paragraphs)):
        assert word in extracted
    assert unicodedata.is_normalized("NFC", clean_text(title))


def test_strings_stay_within_the_pdfa_string_limit() -> None:
    doc = Document(created_at=documents.CREATED, blocks=[Paragraph(text="a" + "\u0301" * 40_000 + "b")])
    data = render_pdf(doc)
    strings = [s for content in content_streams(data) for s in re.findall(rb"<([0-9A-F]*)> Tj", content)]
    assert len(strings) > 1
    assert max(len(s) // 2 for s in strings) <= 32_767
    assert sum(len(s) for s in strings) // 4 == 40_001  # "á" (composed by NFC), 39,999 accents, "b"
