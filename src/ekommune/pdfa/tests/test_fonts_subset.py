"""Fonts are embedded as correct retained-gid subsets with matching widths and ToUnicode maps."""

from __future__ import annotations

import io
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

from ekommune.pdfa import Document, FontNotFoundError, Paragraph, Style, render_pdf
from ekommune.pdfa import fonts as fonts_module
from ekommune.pdfa.fonts import get_face, locate_font
from ekommune.pdfa.subset import glyph_closure, subset_font, subset_tag, table_checksum
from ekommune.pdfa.tests import documents
from ekommune.pdfa.tests.pdfcheck import open_pdf


def _fonts(pdf: pikepdf.Pdf) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for page in pdf.pages:
        for font in page.Resources.Font.values():
            found[str(font.BaseFont).lstrip("/")] = font
    return found


def _widths(cid_font: Any) -> dict[int, float]:
    widths: dict[int, float] = {}
    items = list(cid_font.W)
    for start, run in zip(items[::2], items[1::2], strict=True):
        for i, width in enumerate(run):
            widths[int(start) + i] = float(width)
    return widths


def _embedded(font: Any) -> TTFont:
    program = font.DescendantFonts[0].FontDescriptor.FontFile2
    data = program.read_bytes()
    assert int(program.Length1) == len(data)
    return TTFont(io.BytesIO(data), checkChecksums=2)


def _to_unicode(font: Any) -> dict[int, str]:
    cmap = font.ToUnicode.read_bytes().decode("ascii")
    entries = "".join(re.findall(r"beginbfchar\n(.*?)endbfchar", cmap, re.DOTALL))
    return {
        int(g, 16): bytes.fromhex(u).decode("utf-16-be")
        for g, u in re.findall(r"<([0-9A-F]{4})> <([0-9A-F]+)>", entries)
    }


@pytest.fixture(scope="module")
def receipt_pdf() -> pikepdf.Pdf:
    return open_pdf(render_pdf(documents.receipt()))


def test_every_font_is_an_embedded_identity_h_cid_font(receipt_pdf: pikepdf.Pdf) -> None:
    fonts = _fonts(receipt_pdf)
    assert {name.split("+")[1] for name in fonts} == {"DejaVuSans", "DejaVuSans-Bold"}
    for name, font in fonts.items():
        assert re.fullmatch(r"[A-Z]{6}\+DejaVuSans(-Bold)?", name)
        assert font.Subtype == pikepdf.Name.Type0
        assert font.Encoding == pikepdf.Name("/Identity-H")
        cid = font.DescendantFonts[0]
        assert cid.Subtype == pikepdf.Name.CIDFontType2
        assert cid.CIDToGIDMap == pikepdf.Name.Identity
        assert (str(cid.CIDSystemInfo.Registry), str(cid.CIDSystemInfo.Ordering)) == ("Adobe", "Identity")
        descriptor = cid.FontDescriptor
        assert str(descriptor.FontName) == f"/{name}" == str(cid.BaseFont)
        assert "/FontFile2" in descriptor
        assert "/CIDSet" not in descriptor
        for key in ("/Flags", "/FontBBox", "/ItalicAngle", "/Ascent", "/Descent", "/CapHeight", "/StemV"):
            assert key in descriptor


def test_widths_equal_the_embedded_fonts_advances_for_every_glyph_used(receipt_pdf: pikepdf.Pdf) -> None:
    for font in _fonts(receipt_pdf).values():
        embedded = _embedded(font)
        scale = 1000 / embedded["head"].unitsPerEm
        order = embedded.getGlyphOrder()
        widths = _widths(font.DescendantFonts[0])
        assert widths.keys() == _to_unicode(font).keys()  # exactly the glyphs used
        for gid, width in widths.items():
            assert width == pytest.approx(embedded["hmtx"][order[gid]][0] * scale, abs=0.006)


def test_subset_keeps_glyph_ids_and_outlines_only_of_used_glyphs(receipt_pdf: pikepdf.Pdf) -> None:
    for font in _fonts(receipt_pdf).values():
        embedded = _embedded(font)
        face = get_face("sans", bold="Bold" in str(font.BaseFont))
        original = TTFont(str(locate_font(fonts_module.FACE_FILES[("sans", "Bold" in str(font.BaseFont))])))
        used = set(_widths(font.DescendantFonts[0]))
        expected = set(glyph_closure(face, used))
        assert embedded["maxp"].numGlyphs == face.num_glyphs
        order, glyf = embedded.getGlyphOrder(), embedded["glyf"]
        with_outline = {gid for gid, name in enumerate(order) if glyf[name].numberOfContours != 0}
        assert with_outline <= expected
        assert used - {3} <= with_outline
        original_order = original.getGlyphOrder()
        for gid in used:
            mine, theirs = glyf[order[gid]], original["glyf"][original_order[gid]]
            assert mine.numberOfContours == theirs.numberOfContours
            if theirs.numberOfContours > 0:
                assert list(mine.coordinates) == list(theirs.coordinates)
        assert len(embedded.reader["glyf"]) < len(original.reader["glyf"]) / 10


def test_composite_glyph_components_are_kept() -> None:
    face = get_face("sans")
    composite = next(g for g in range(face.num_glyphs) if face.components(g))
    kept = glyph_closure(face, [composite])
    assert set(face.components(composite)) <= set(kept)
    assert 0 in kept
    font = TTFont(io.BytesIO(subset_font(face, [composite])))
    order = font.getGlyphOrder()
    for part in face.components(composite):
        assert font["glyf"][order[part]].numberOfContours != 0 or not face.glyph_data(part)


def test_subset_checksums_are_correct() -> None:
    face = get_face("serif", bold=True)
    data = subset_font(face, [face.char_gid[c] for c in "Fjordvik æøå"])
    assert table_checksum(data) == 0xB1B0AFBA  # head.checkSumAdjustment makes the file sum magic
    TTFont(io.BytesIO(data), checkChecksums=2).ensureDecompiled()


def test_subset_tag_depends_on_the_glyph_set() -> None:
    face = get_face("sans")
    assert re.fullmatch(r"[A-Z]{6}", subset_tag(face, [1, 2, 3]))
    assert subset_tag(face, [1, 2, 3]) == subset_tag(face, [3, 2, 1]) != subset_tag(face, [1, 2, 4])


def test_to_unicode_maps_each_used_glyph_back_to_its_text(receipt_pdf: pikepdf.Pdf) -> None:
    texts: set[str] = set()
    for font in _fonts(receipt_pdf).values():
        texts.update(_to_unicode(font).values())
    assert set(documents.SAMI.replace(" ", "")) <= texts
    assert set("æøåÆØÅ«»–€") <= texts


def test_only_the_faces_used_are_embedded() -> None:
    doc = Document(
        created_at=documents.CREATED, blocks=[Paragraph(text="Berre serif", style=Style(family="serif"))]
    )
    assert [name.split("+")[1] for name in _fonts(open_pdf(render_pdf(doc)))] == ["DejaVuSerif"]


def test_missing_characters_use_the_replacement_glyph() -> None:
    face = get_face("sans")
    doc = Document(created_at=documents.CREATED, blocks=[Paragraph(text="a中b\U000e0100")])
    pdf = open_pdf(render_pdf(doc))
    font = next(iter(_fonts(pdf).values()))
    assert _to_unicode(font) == {
        face.char_gid["a"]: "a",
        face.char_gid["b"]: "b",
        face.char_gid["\ufffd"]: "\ufffd",
    }
    assert 0 not in _widths(font.DescendantFonts[0])  # never .notdef


def test_font_directory_from_the_environment_comes_first(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    shutil.copy(locate_font("DejaVuSans.ttf"), tmp_path / "DejaVuSans.ttf")
    monkeypatch.setenv("EKOMMUNE_PDF_FONT_DIR", str(tmp_path))
    assert locate_font("DejaVuSans.ttf") == tmp_path / "DejaVuSans.ttf"


def test_missing_fonts_raise_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(fonts_module, "SYSTEM_FONT_DIRS", (tmp_path / "none",))
    monkeypatch.setenv("EKOMMUNE_PDF_FONT_DIR", str(tmp_path))
    with pytest.raises(FontNotFoundError, match="fonts-dejavu-core") as error:
        locate_font("DejaVuSans.ttf")
    assert "EKOMMUNE_PDF_FONT_DIR" in str(error.value)


def test_fonts_are_parsed_once_per_process() -> None:
    assert get_face("sans") is get_face("sans") is not get_face("sans", bold=True)


def test_a_face_is_parsed_once_even_when_threads_race(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[object] = []

    class CountingFace(fonts_module.FontFace):
        __slots__ = ()

        def __init__(self, **kwargs: Any) -> None:
            made.append(self)
            super().__init__(**kwargs)

    monkeypatch.setattr(fonts_module, "_faces", {})
    monkeypatch.setattr(fonts_module, "FontFace", CountingFace)
    with ThreadPoolExecutor(max_workers=8) as pool:
        faces = list(pool.map(lambda _: get_face("serif"), range(16)))
    assert len(made) == 1
    assert all(face is made[0] for face in faces)


def test_concurrent_renders_give_the_same_bytes() -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = set(pool.map(lambda i: render_pdf(documents.receipt()), range(12)))
    assert len(results) == 1
