"""The four DejaVu faces: found on the system, parsed once per process, measured per character.

Parsing a TrueType font with fontTools takes tens of milliseconds, and a document may cost one or
two. So each face is parsed at its first use (under a lock, so that two threads never parse it
twice) into plain dicts, lists and bytes; the layout and the subsetter then work per document
without fontTools: a dict lookup gives a character's glyph id, advance width and the four hex
digits that draw it with ``/Identity-H``.
"""

from __future__ import annotations

import os
import struct
import sys
import threading
from array import array
from pathlib import Path
from typing import Any, Literal

from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

from ekommune.pdfa.errors import FontNotFoundError

Family = Literal["sans", "serif"]

FONT_DIR_ENV = "EKOMMUNE_PDF_FONT_DIR"
"""A directory searched before the system directories (for containers without fonts-dejavu-core)."""

SYSTEM_FONT_DIRS: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/dejavu"),  # Debian, Ubuntu: fonts-dejavu-core
    Path("/usr/share/fonts/dejavu"),  # Fedora, Alpine
    Path("/usr/share/fonts/TTF"),  # Arch
)

FACE_FILES: dict[tuple[Family, bool], str] = {
    ("sans", False): "DejaVuSans.ttf",
    ("sans", True): "DejaVuSans-Bold.ttf",
    ("serif", False): "DejaVuSerif.ttf",
    ("serif", True): "DejaVuSerif-Bold.ttf",
}
RESOURCE_NAMES: dict[tuple[Family, bool], str] = {
    ("sans", False): "F1",
    ("sans", True): "F2",
    ("serif", False): "F3",
    ("serif", True): "F4",
}

# Tables copied unchanged into every subset (where the font has them). 'name' is left out: the
# PDF names the font itself, and it is the largest of the small tables.
CONSTANT_TABLES = ("OS/2", "cvt ", "fpgm", "maxp", "prep")

_ARG_WORDS, _HAS_SCALE, _MORE, _XY_SCALE, _TWO_BY_TWO = 0x0001, 0x0008, 0x0020, 0x0040, 0x0080
_WORD_CACHE_LIMIT = 20_000
_CACHED_WORD_LENGTH = 200


def font_dirs() -> list[Path]:
    """Where font files are looked for, in order: ``$EKOMMUNE_PDF_FONT_DIR``, then the system."""
    dirs = list(SYSTEM_FONT_DIRS)
    extra = os.environ.get(FONT_DIR_ENV)
    if extra:
        dirs.insert(0, Path(extra))
    return dirs


def locate_font(filename: str) -> Path:
    """The path of ``filename`` in the first font directory that has it.

    Raises ``FontNotFoundError`` naming the Debian package and the environment variable.
    """
    dirs = font_dirs()
    for directory in dirs:
        candidate = directory / filename
        if candidate.is_file():
            return candidate
    searched = ", ".join(str(d) for d in dirs)
    raise FontNotFoundError(
        f"Font file {filename} not found (searched {searched}). Install the Debian package "
        f"fonts-dejavu-core, or put the DejaVu TTF files in a directory named by {FONT_DIR_ENV}."
    )


class FontFace:
    """One parsed face: metrics in font units, character maps and the raw tables for subsetting.

    Instances are shared by all threads and documents and are read-only after construction,
    except for two caches (word widths, composite components) whose writes are idempotent.
    """

    __slots__ = (
        "_components",
        "_pdf_widths",
        "_word_units",
        "advances",
        "ascent",
        "bbox",
        "cap_height",
        "char_advance",
        "char_gid",
        "char_hex",
        "descent",
        "glyf",
        "italic_angle",
        "key",
        "loca",
        "num_glyphs",
        "number_of_hmetrics",
        "postscript_name",
        "replacement_advance",
        "replacement_gid",
        "replacement_hex",
        "replacement_text",
        "resource",
        "serif",
        "stem_v",
        "tables",
        "units_per_em",
        "weight",
    )

    def __init__(self, *, path: Path, family: Family, bold: bool) -> None:
        font: Any = TTFont(str(path), lazy=True)
        self.key = f"{family}-bold" if bold else family
        self.resource = RESOURCE_NAMES[(family, bold)]
        self.serif = family == "serif"
        tags = list(font.reader.keys())
        raw = {tag: bytes(font.reader[tag]) for tag in tags}
        head, hhea, os2, post = font["head"], font["hhea"], font.get("OS/2"), font["post"]
        self.units_per_em: int = head.unitsPerEm
        self.num_glyphs: int = font["maxp"].numGlyphs
        self.number_of_hmetrics: int = hhea.numberOfHMetrics
        self.bbox = (head.xMin, head.yMin, head.xMax, head.yMax)
        self.ascent: int = hhea.ascent
        self.descent: int = hhea.descent
        self.italic_angle = float(post.italicAngle)
        self.weight: int = os2.usWeightClass if os2 is not None else (700 if bold else 400)
        name = font["name"].getDebugName(6) or path.stem
        self.postscript_name = "".join(c for c in name if (c.isascii() and c.isalnum()) or c in "-_")[:60]

        order = font.getGlyphOrder()
        gid_of = {glyph: gid for gid, glyph in enumerate(order)}
        metrics = font["hmtx"].metrics
        self.advances: list[int] = [metrics[glyph][0] for glyph in order]
        self.tables = {tag: raw[tag] for tag in (*CONSTANT_TABLES, "head", "hhea", "hmtx") if tag in raw}
        self.tables["post"] = struct.pack(">I", 0x00030000) + raw["post"][4:32]  # version 3: no names
        self.glyf = raw["glyf"]
        self.loca = _read_loca(raw["loca"], head.indexToLocFormat, self.num_glyphs)

        cmap: dict[int, str] = font.getBestCmap() or {}
        self.char_gid: dict[str, int] = {}
        for codepoint, glyph in cmap.items():
            gid = gid_of.get(glyph, 0)
            if gid and not 0xD800 <= codepoint <= 0xDFFF:
                self.char_gid[chr(codepoint)] = gid
        self.char_advance = {c: self.advances[g] for c, g in self.char_gid.items()}
        self.char_hex = {c: f"{g:04X}" for c, g in self.char_gid.items()}
        for fallback in ("\ufffd", "?"):  # never .notdef if avoidable: PDF/A-2/3 6.2.11.8
            if fallback in self.char_gid:
                self.replacement_text = fallback
                self.replacement_gid = self.char_gid[fallback]
                break
        else:
            self.replacement_text, self.replacement_gid = "\ufffd", 0
        self.replacement_advance = self.advances[self.replacement_gid]
        self.replacement_hex = f"{self.replacement_gid:04X}"
        cap = getattr(os2, "sCapHeight", 0) if os2 is not None and os2.version >= 2 else 0
        outline = self.glyph_data(self.char_gid["H"]) if "H" in self.char_gid else b""
        if not cap and len(outline) >= 10:
            cap = struct.unpack_from(">h", outline, 8)[0]  # yMax of "H" from its glyph header
        self.cap_height: int = cap or self.ascent
        # An estimate (fonts do not record it): thin strokes for light faces, thick for bold.
        self.stem_v = 10 + round(220 * max(self.weight - 50, 0) / 900)
        self._word_units: dict[str, int] = {}
        self._components: dict[int, tuple[int, ...]] = {}
        self._pdf_widths: dict[int, str] = {}
        font.close()

    def text_units(self, text: str) -> int:
        """Advance width of ``text`` in font units (no kerning), cached per word."""
        units = self._word_units.get(text)
        if units is None:
            get, rep = self.char_advance.get, self.replacement_advance
            units = sum([get(c, rep) for c in text])
            if len(text) <= _CACHED_WORD_LENGTH:
                if len(self._word_units) > _WORD_CACHE_LIMIT:
                    self._word_units.clear()
                self._word_units[text] = units
        return units

    def hex_glyphs(self, text: str) -> str:
        """The glyph ids of ``text`` as hex digits for ``<...> Tj`` with ``/Identity-H``."""
        get, rep = self.char_hex.get, self.replacement_hex
        return "".join([get(c, rep) for c in text])

    def pdf_width(self, gid: int) -> str:
        """The advance width of glyph ``gid`` in 1/1000 em as written in /W (two decimals)."""
        text = self._pdf_widths.get(gid)
        if text is None:
            text = self._pdf_widths[gid] = str(round(self.advances[gid] * 1000 / self.units_per_em, 2))
        return text

    def glyph_data(self, gid: int) -> bytes:
        """The raw 'glyf' record of one glyph (empty for glyphs without outline)."""
        return self.glyf[self.loca[gid] : self.loca[gid + 1]]

    def components(self, gid: int) -> tuple[int, ...]:
        """Glyph ids a composite glyph refers to (directly); empty for simple glyphs."""
        found = self._components.get(gid)
        if found is None:
            found = _composite_components(self.glyph_data(gid))
            self._components[gid] = found
        return found


def _read_loca(data: bytes, index_format: int, num_glyphs: int) -> list[int]:
    offsets = array("I" if index_format else "H")
    offsets.frombytes(data[: (num_glyphs + 1) * offsets.itemsize])
    if sys.byteorder == "little":
        offsets.byteswap()  # the file is big-endian
    values = list(offsets)
    return values if index_format else [v * 2 for v in values]


def _composite_components(data: bytes) -> tuple[int, ...]:
    if len(data) < 10 or struct.unpack_from(">h", data)[0] >= 0:
        return ()
    found: list[int] = []
    pos = 10
    while pos + 4 <= len(data):
        flags, gid = struct.unpack_from(">HH", data, pos)
        found.append(gid)
        pos += 4 + (4 if flags & _ARG_WORDS else 2)
        if flags & _HAS_SCALE:
            pos += 2
        elif flags & _XY_SCALE:
            pos += 4
        elif flags & _TWO_BY_TWO:
            pos += 8
        if not flags & _MORE:
            break
    return tuple(found)


_faces: dict[tuple[Family, bool], FontFace] = {}
_lock = threading.Lock()


def get_face(family: Family, *, bold: bool = False) -> FontFace:
    """The parsed face for ``family``/``bold``, loaded at first use (thread-safe) and kept."""
    key = (family, bold)
    face = _faces.get(key)
    if face is None:
        with _lock:
            face = _faces.get(key)
            if face is None:
                face = FontFace(path=locate_font(FACE_FILES[key]), family=family, bold=bold)
                _faces[key] = face
    return face
