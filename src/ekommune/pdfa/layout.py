"""Layout: blocks → lines → pages of content-stream operators, with the structure tree alongside.

Text is broken greedily at spaces using the fonts' advance widths (no kerning, no hyphenation);
a word wider than its column is broken between characters. Lines flow down the page and onto
the next one when they do not fit; a table row may break between two of its lines. Each piece
of a block on a page becomes one marked-content sequence (``BDC`` with an ``/MCID``) that the
block's structure element (P, H1, TH, TD ...) refers to; rules and page numbers are artifacts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ekommune.pdfa.fonts import FontFace, get_face
from ekommune.pdfa.model import Document, Heading, KeyValueTable, Paragraph, Spacer, Style
from ekommune.pdfa.text import clean_text

_EPSILON = 0.001
_MAX_HEX = 32_000
"""Hex digits per ``Tj`` string: 8,000 glyphs, 16,000 bytes (zero-width marks can make long lines)."""
FOOTER_SIZE = 9.0


def num(value: float) -> str:
    """A number for a content stream or dictionary, rounded to three decimals ("12.5", "7.0", "3").

    Values here are bounded (page sizes, font sizes and widths), so ``str`` of the rounded float
    never uses exponent notation, which PDF does not allow.
    """
    return str(round(value, 3))


class StructNode:
    """A structure element to be: its type, children, and the (page index, MCID) pairs it owns."""

    __slots__ = ("attributes", "children", "kind", "marks")

    def __init__(self, kind: str, attributes: str = "") -> None:
        self.kind = kind
        self.attributes = attributes
        self.children: list[StructNode] = []
        self.marks: list[tuple[int, int]] = []


@dataclass(slots=True)
class Page:
    """One laid-out page: content operators, fonts by resource name, and MCID → element."""

    parts: list[str] = field(default_factory=list)
    fonts: dict[str, FontFace] = field(default_factory=dict)
    owners: list[StructNode] = field(default_factory=list)


@dataclass(slots=True)
class Layout:
    """The result: pages, the structure tree's Document element, and the characters per face."""

    pages: list[Page]
    root: StructNode
    usage: dict[FontFace, set[str]]


def _break_word(word: str, face: FontFace, limit: float) -> list[str]:
    pieces: list[str] = []
    start, used = 0, 0
    get, rep = face.char_advance.get, face.replacement_advance
    for i, char in enumerate(word):
        advance = get(char, rep)
        if i > start and advance and used + advance > limit:
            pieces.append(word[start:i])
            start, used = i, 0
        used += advance
    pieces.append(word[start:])
    return pieces


def wrap(text: str, face: FontFace, size: float, width: float) -> list[str]:
    """The lines of cleaned ``text`` set in ``face`` at ``size`` points within ``width`` points."""
    if not text:
        return []
    limit = max(width, 0.0) * face.units_per_em / size + _EPSILON
    simple = len(text) < 200 and "\n" not in text and "  " not in text and text[0] != " " and text[-1] != " "
    if simple and face.text_units(text) <= limit:
        return [text]
    space = face.text_units(" ")
    measure = face.text_units
    hard_lines = text.split("\n")
    if len(hard_lines) > 1 and not hard_lines[-1]:
        hard_lines.pop()
    lines: list[str] = []
    for hard in hard_lines:
        current: list[str] = []
        used = 0
        for word in hard.split(" "):
            if not word:
                continue
            units = measure(word)
            if current and used + space + units <= limit:
                current.append(word)
                used += space + units
                continue
            if current:
                lines.append(" ".join(current))
            if units > limit:
                pieces = _break_word(word, face, limit)
                lines.extend(pieces[:-1])
                word = pieces[-1]
                units = measure(word)
            current, used = [word], units
        lines.append(" ".join(current))
    return lines


class _Layouter:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        width, height = doc.page_size
        top, right, bottom, left = doc.margins
        self.x0, self.x1, self.top, self.bottom = left, width - right, height - top, bottom
        self.text_width = self.x1 - self.x0
        self.pages: list[Page] = []
        self.root = StructNode("Document")
        self.usage: dict[FontFace, set[str]] = {}
        self.pending = 0.0
        self._new_page()

    def _new_page(self) -> None:
        self.page = Page()
        self.pages.append(self.page)
        self.y = self.top
        self.fresh = True  # nothing placed yet: the next line goes here even if it does not fit

    def _space(self, before: float) -> None:
        if not self.fresh:
            self.y -= max(self.pending, before)
        self.pending = 0.0

    def _full(self, needed: float) -> bool:
        return self.y - needed < self.bottom - _EPSILON

    def run(self) -> Layout:
        for block in self.doc.blocks:
            if isinstance(block, Paragraph):
                self._text_block(block.text, block.style, "P")
            elif isinstance(block, Heading):
                self._text_block(block.text, block.resolved_style, f"H{block.level}")
            elif isinstance(block, KeyValueTable):
                self._table(block)
            elif isinstance(block, Spacer):
                self._space(0.0)
                if not self.fresh:
                    self.y -= block.height
        if self.doc.page_numbers:
            self._page_numbers()
        return Layout(pages=self.pages, root=self.root, usage=self.usage)

    @staticmethod
    def _line_metrics(face: FontFace, style: Style) -> tuple[float, float]:
        """Line height and the distance from a line's top to its baseline (CSS half-leading)."""
        line_height = style.size * style.line_height
        scale = style.size / face.units_per_em
        content = (face.ascent - face.descent) * scale
        return line_height, (line_height - content) / 2 + face.ascent * scale

    def _emit(
        self, node: StructNode, face: FontFace, style: Style, x: float, lines: list[tuple[float, str]]
    ) -> None:
        """One marked-content sequence on the current page for ``lines`` (baseline, text) of ``node``."""
        drawn = [(y, text) for y, text in lines if text]
        if not drawn:
            return
        page = self.page
        mcid = len(page.owners)
        page.owners.append(node)
        node.marks.append((len(self.pages) - 1, mcid))
        page.fonts[face.resource] = face
        chars = self.usage.setdefault(face, set())
        r, g, b = style.colour
        parts = [f"/{node.kind} <</MCID {mcid}>> BDC\nBT\n/{face.resource} {num(style.size)} Tf\n"]
        parts.append(f"{num(r)} {num(g)} {num(b)} rg\n")
        left = num(x)
        for y, text in drawn:
            chars.update(text)
            glyphs = face.hex_glyphs(text)
            if len(glyphs) > _MAX_HEX:  # PDF/A: a string holds at most 32,767 bytes; Tj continues the line
                glyphs = "> Tj <".join(glyphs[i : i + _MAX_HEX] for i in range(0, len(glyphs), _MAX_HEX))
            parts.append(f"1 0 0 1 {left} {num(y)} Tm <{glyphs}> Tj\n")
        parts.append("ET\nEMC\n")
        page.parts.append("".join(parts))

    def _text_block(self, raw: str, style: Style, kind: str) -> None:
        face = get_face(style.family, bold=style.bold)
        lines = wrap(clean_text(raw), face, style.size, self.text_width)
        if not lines:
            return
        self._space(style.space_before)
        node = StructNode(kind)
        self.root.children.append(node)
        line_height, to_baseline = self._line_metrics(face, style)
        piece: list[tuple[float, str]] = []
        for line in lines:
            if not self.fresh and self._full(line_height):
                self._emit(node, face, style, self.x0, piece)
                piece = []
                self._new_page()
            piece.append((self.y - to_baseline, line))
            self.y -= line_height
            self.fresh = False
        self._emit(node, face, style, self.x0, piece)
        self.pending = style.space_after

    def _table(self, table: KeyValueTable) -> None:
        if not table.rows:
            return
        style = table.style
        self._space(style.space_before)
        node = StructNode("Table")
        self.root.children.append(node)
        regular = get_face(style.family, bold=style.bold)
        label_face = get_face(style.family, bold=True)
        pad_v, pad_h = table.padding
        label_width = self.text_width * table.label_fraction
        value_width = self.text_width - label_width
        line_height, to_baseline = self._line_metrics(regular, style)
        rule = table.rule_width
        rr, rg, rb = table.rule_colour
        rule_ops = f"/Artifact BMC\n{num(rr)} {num(rg)} {num(rb)} RG {num(rule)} w\n"
        value_x = self.x0 + label_width + pad_h
        for label, value, depth in table.rows:
            indent = table.indent if depth > 0 else 0.0
            face = label_face if depth <= 0 else regular
            label_x = self.x0 + pad_h + indent
            label_lines = wrap(clean_text(label), face, style.size, label_width - 2 * pad_h - indent)
            value_lines = wrap(clean_text(value), regular, style.size, value_width - 2 * pad_h)
            count = max(len(label_lines), len(value_lines), 1)
            row = StructNode("TR")
            th, td = StructNode("TH", "<< /O /Table /Scope /Row >>"), StructNode("TD")
            row.children += (th, td)
            node.children.append(row)
            if not self.fresh and self._full(pad_v + line_height + (pad_v + rule if count == 1 else 0)):
                self._new_page()
            self.y -= pad_v
            label_piece: list[tuple[float, str]] = []
            value_piece: list[tuple[float, str]] = []
            for i in range(count):
                if i and self._full(line_height + (pad_v + rule if i == count - 1 else 0)):
                    self._emit(th, face, style, label_x, label_piece)
                    self._emit(td, regular, style, value_x, value_piece)
                    label_piece, value_piece = [], []
                    self._new_page()
                baseline = self.y - to_baseline
                if i < len(label_lines):
                    label_piece.append((baseline, label_lines[i]))
                if i < len(value_lines):
                    value_piece.append((baseline, value_lines[i]))
                self.y -= line_height
                self.fresh = False
            self._emit(th, face, style, label_x, label_piece)
            self._emit(td, regular, style, value_x, value_piece)
            self.y -= pad_v
            y = num(self.y - rule / 2)
            self.page.parts.append(f"{rule_ops}{num(self.x0)} {y} m {num(self.x1)} {y} l S\nEMC\n")
            self.y -= rule
        self.pending = style.space_after

    def _page_numbers(self) -> None:
        face = get_face("sans")
        scale = FOOTER_SIZE / face.units_per_em
        total = len(self.pages)
        y = num(max(self.bottom / 2 - face.cap_height * scale / 2, 2.0))
        chars = self.usage.setdefault(face, set())
        for number, page in enumerate(self.pages, start=1):
            text = f"{number} / {total}"
            chars.update(text)
            x = num(self.x1 - face.text_units(text) * scale)
            page.fonts[face.resource] = face
            page.parts.append(
                "/Artifact <</Type /Pagination /Subtype /Footer>> BDC\nBT\n"
                f"/{face.resource} {num(FOOTER_SIZE)} Tf\n0 0 0 rg\n1 0 0 1 {x} {y} Tm <{face.hex_glyphs(text)}> Tj\n"
                "ET\nEMC\n"
            )


def layout_document(doc: Document) -> Layout:
    """Lay ``doc`` out on pages (always at least one)."""
    return _Layouter(doc).run()
