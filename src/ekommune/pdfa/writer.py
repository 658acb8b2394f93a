"""The PDF file itself: objects, fonts, structure tree, metadata, xref, written byte by byte.

Everything PDF/A-3b (ISO 19005-3) asks of such a file is decided here: a binary comment after
the header, a classic cross-reference table, a trailer with ``/ID``, exact stream lengths with
EOLs around the data, embedded font subsets with widths and ToUnicode, an sRGB output intent,
XMP metadata matching the Info dictionary, and a tagged structure tree (``/MarkInfo``,
``/StructTreeRoot``, ``/ParentTree``) so that screen readers get headings, paragraphs and tables.
"""

from __future__ import annotations

import zlib
from functools import cache
from hashlib import blake2b

from ekommune.pdfa.fonts import FontFace
from ekommune.pdfa.icc import DESCRIPTION, srgb_icc_profile
from ekommune.pdfa.layout import Layout, StructNode, num
from ekommune.pdfa.metadata import DocumentInfo, info_dictionary, xmp_packet
from ekommune.pdfa.subset import subset_font, subset_tag

HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
COMPRESSION_LEVEL = 6
_TOUNICODE_HEAD = (
    "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
    "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
)
_TOUNICODE_TAIL = "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"


def stream(data: bytes, entries: str = "", *, deflated: bool = True) -> bytes:
    """A stream object's body; ``data`` is already compressed when ``deflated``."""
    filters = " /Filter /FlateDecode" if deflated else ""
    return f"<< /Length {len(data)}{filters}{entries} >>\nstream\n".encode("ascii") + data + b"\nendstream"


@cache
def _icc_stream() -> bytes:
    return stream(zlib.compress(srgb_icc_profile(), COMPRESSION_LEVEL), " /N 3")


class _Objects:
    """Indirect objects by number; numbers can be reserved before the body is known."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = [b""]

    def reserve(self) -> int:
        self.bodies.append(b"")
        return len(self.bodies) - 1

    def add(self, body: bytes | str) -> int:
        number = self.reserve()
        self.set(number, body)
        return number

    def set(self, number: int, body: bytes | str) -> None:
        self.bodies[number] = body.encode("ascii") if isinstance(body, str) else body

    def serialise(self, *, root: int, info: int) -> bytes:
        chunks = [HEADER]
        offsets: list[int] = []
        position = len(HEADER)
        digest = blake2b(digest_size=16)
        for number, body in enumerate(self.bodies[1:], start=1):
            chunk = b"%d 0 obj\n%b\nendobj\n" % (number, body)
            offsets.append(position)
            position += len(chunk)
            digest.update(chunk)
            chunks.append(chunk)
        size = len(self.bodies)
        chunks.append(b"xref\n0 %d\n0000000000 65535 f \n" % size)
        chunks.append(b"".join([b"%010d 00000 n \n" % offset for offset in offsets]))
        file_id = digest.hexdigest().upper().encode("ascii")
        chunks.append(
            b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [<%b> <%b>] >>\nstartxref\n%d\n%%%%EOF\n"
            % (size, root, info, file_id, file_id, position)
        )
        return b"".join(chunks)


def _glyph_texts(face: FontFace, chars: set[str]) -> dict[int, str]:
    """Glyph id → the text it stands for (lowest code point first; missing characters → U+FFFD)."""
    texts: dict[int, str] = {}
    for char in sorted(chars):
        gid = face.char_gid.get(char)
        if gid is None:
            texts.setdefault(face.replacement_gid, face.replacement_text)
        else:
            texts.setdefault(gid, char)
    return texts


def _widths(face: FontFace, gids: list[int]) -> str:
    """The /W array: runs of consecutive glyph ids with their widths in 1/1000 em."""
    runs: list[str] = []
    start = previous = -2
    current: list[str] = []
    for gid in gids:
        if gid != previous + 1:
            if current:
                runs.append(f"{start} [{' '.join(current)}]")
            start, current = gid, []
        current.append(face.pdf_width(gid))
        previous = gid
    if current:
        runs.append(f"{start} [{' '.join(current)}]")
    return f"[{' '.join(runs)}]"


def _to_unicode(texts: dict[int, str]) -> bytes:
    entries = [
        f"<{gid:04X}> <{text.encode('utf-16-be').hex().upper()}>" for gid, text in sorted(texts.items())
    ]
    parts = [_TOUNICODE_HEAD]
    for start in range(0, len(entries), 100):
        chunk = entries[start : start + 100]
        parts.append(f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar\n")
    parts.append(_TOUNICODE_TAIL)
    return "".join(parts).encode("ascii")


def _write_font(objects: _Objects, face: FontFace, chars: set[str]) -> int:
    """The Type0 font (and its CIDFont, descriptor, subset program, ToUnicode); its number."""
    texts = _glyph_texts(face, chars)
    gids = sorted(texts)
    program = subset_font(face, gids)
    name = f"{subset_tag(face, gids)}+{face.postscript_name}"
    font_file = objects.add(stream(zlib.compress(program, COMPRESSION_LEVEL), f" /Length1 {len(program)}"))
    scale = 1000 / face.units_per_em
    bbox = " ".join(num(v * scale) for v in face.bbox)
    flags = 4 | (2 if face.serif else 0)  # symbolic (glyphs outside the standard Latin set), serif
    descriptor = objects.add(
        f"<< /Type /FontDescriptor /FontName /{name} /Flags {flags} /FontBBox [{bbox}]"
        f" /ItalicAngle {num(face.italic_angle)} /Ascent {num(face.ascent * scale)}"
        f" /Descent {num(face.descent * scale)} /CapHeight {num(face.cap_height * scale)}"
        f" /StemV {face.stem_v} /FontWeight {face.weight} /FontFile2 {font_file} 0 R >>"
    )
    cid_font = objects.add(
        f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{name}"
        " /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
        f" /FontDescriptor {descriptor} 0 R /W {_widths(face, gids)} /CIDToGIDMap /Identity >>"
    )
    to_unicode = objects.add(stream(zlib.compress(_to_unicode(texts), COMPRESSION_LEVEL)))
    return objects.add(
        f"<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H"
        f" /DescendantFonts [{cid_font} 0 R] /ToUnicode {to_unicode} 0 R >>"
    )


def _write_structure(objects: _Objects, layout: Layout, page_ids: list[int]) -> int:
    """The structure tree and its parent tree; the number of the StructTreeRoot."""
    tree_root = objects.reserve()
    numbers: dict[int, int] = {}  # id(node) → object number
    order: list[tuple[StructNode, int]] = []
    stack = [(layout.root, tree_root)]
    while stack:
        node, parent = stack.pop()
        if node.kind in ("P", "H1", "H2", "H3", "H4", "H5", "H6") and not node.marks:
            continue  # a block that drew nothing
        numbers[id(node)] = objects.reserve()
        order.append((node, parent))
        stack.extend((child, numbers[id(node)]) for child in reversed(node.children))
    for node, parent in order:
        entries = [f"<< /Type /StructElem /S /{node.kind} /P {parent} 0 R"]
        if node.attributes:
            entries.append(f"/A {node.attributes}")
        if node.children:
            kids = " ".join(f"{numbers[id(c)]} 0 R" for c in node.children if id(c) in numbers)
            entries.append(f"/K [{kids}]")
        elif node.marks:
            first_page = node.marks[0][0]
            kids = " ".join(
                str(mcid) if page == first_page else f"<< /Type /MCR /Pg {page_ids[page]} 0 R /MCID {mcid} >>"
                for page, mcid in node.marks
            )
            entries.append(f"/Pg {page_ids[first_page]} 0 R /K [{kids}]")
        objects.set(numbers[id(node)], " ".join(entries) + " >>")
    nums = " ".join(
        f"{i} [{' '.join(f'{numbers[id(owner)]} 0 R' for owner in page.owners)}]"
        for i, page in enumerate(layout.pages)
    )
    parent_tree = objects.add(f"<< /Nums [{nums}] >>")
    objects.set(
        tree_root,
        f"<< /Type /StructTreeRoot /K [{numbers[id(layout.root)]} 0 R] /ParentTree {parent_tree} 0 R"
        f" /ParentTreeNextKey {len(layout.pages)} >>",
    )
    return tree_root


def write_pdf(*, layout: Layout, info: DocumentInfo, page_size: tuple[float, float]) -> bytes:
    """The bytes of a PDF/A-3b file with the pages of ``layout``."""
    objects = _Objects()
    catalog, pages, info_id = objects.reserve(), objects.reserve(), objects.reserve()
    objects.set(info_id, info_dictionary(info))
    metadata = objects.add(stream(xmp_packet(info), " /Type /Metadata /Subtype /XML", deflated=False))
    icc = objects.add(_icc_stream())
    page_ids = [objects.reserve() for _ in layout.pages]
    faces = sorted(layout.usage, key=lambda face: face.resource)
    fonts = {face.resource: _write_font(objects, face, layout.usage[face]) for face in faces}
    media_box = f"[0 0 {num(page_size[0])} {num(page_size[1])}]"
    for index, page in enumerate(layout.pages):
        content = zlib.compress("".join(page.parts).encode("ascii"), COMPRESSION_LEVEL)
        contents = objects.add(stream(content))
        font_refs = " ".join(f"/{name} {fonts[name]} 0 R" for name in sorted(page.fonts))
        objects.set(
            page_ids[index],
            f"<< /Type /Page /Parent {pages} 0 R /MediaBox {media_box}"
            f" /Resources << /Font << {font_refs} >> /ProcSet [/PDF /Text] >> /Contents {contents} 0 R"
            f" /StructParents {index} /Tabs /S >>",
        )
    kids = " ".join(f"{number} 0 R" for number in page_ids)
    objects.set(pages, f"<< /Type /Pages /Kids [{kids}] /Count {len(page_ids)} >>")
    tree = _write_structure(objects, layout, page_ids)
    lang = f" /Lang ({info.language})" if info.language else ""
    objects.set(
        catalog,
        f"<< /Type /Catalog /Pages {pages} 0 R /Metadata {metadata} 0 R"
        f" /OutputIntents [<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier ({DESCRIPTION})"
        f" /RegistryName (http://www.color.org) /Info ({DESCRIPTION}) /DestOutputProfile {icc} 0 R >>]"
        f" /StructTreeRoot {tree} 0 R /MarkInfo << /Marked true >>{lang}"
        " /ViewerPreferences << /DisplayDocTitle true >> >>",
    )
    return objects.serialise(root=catalog, info=info_id)
