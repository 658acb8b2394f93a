"""Helpers that read produced PDFs back: pikepdf for objects, raw bytes for the file syntax."""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Iterator

import pikepdf


def open_pdf(data: bytes) -> pikepdf.Pdf:
    """``data`` opened with pikepdf, after qpdf's syntax check found no problem."""
    pdf = pikepdf.open(io.BytesIO(data))
    problems = pdf.check_pdf_syntax()
    assert problems == [], problems
    return pdf


def xref_offsets(data: bytes) -> list[int]:
    """The byte offsets of the in-use objects, from the classic xref table."""
    start = int(re.search(rb"startxref\n(\d+)\n%%EOF\n$", data).group(1))  # type: ignore[union-attr]
    assert data[start : start + 5] == b"xref\n"
    header = re.match(rb"xref\n0 (\d+)\n", data[start:])
    assert header is not None
    count = int(header.group(1))
    table = data[start + header.end() : start + header.end() + 20 * count]
    entries = [table[i : i + 20] for i in range(0, len(table), 20)]
    assert entries[0] == b"0000000000 65535 f \n"
    assert all(re.fullmatch(rb"\d{10} 00000 n \n", e) for e in entries[1:]), entries[:3]
    return [int(e[:10]) for e in entries[1:]]


def raw_streams(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    """(dictionary, stream data) of each stream object, cut by its /Length (checked exactly)."""
    for number, offset in enumerate(xref_offsets(data), start=1):
        assert data.startswith(b"%d 0 obj\n" % number, offset), (number, data[offset : offset + 20])
        end = data.index(b"endobj", offset)
        body = data[offset:end]
        if b"stream\n" not in body:
            continue
        head, _, _ = body.partition(b"stream\n")
        length = int(re.search(rb"/Length (\d+)", head).group(1))  # type: ignore[union-attr]
        begin = offset + len(head) + len(b"stream\n")
        assert data[begin + length : begin + length + len(b"\nendstream")] == b"\nendstream", number
        yield head, data[begin : begin + length]


def content_streams(data: bytes) -> list[bytes]:
    """The decoded page content streams (streams without /Type, /Length1, /N, i.e. not fonts/ICC/CMaps)."""
    found = []
    for head, stream in raw_streams(data):
        if b"/Length1" in head or b"/N 3" in head or b"/Type" in head:
            continue
        decoded = zlib.decompress(stream)
        if b"begincmap" not in decoded:
            found.append(decoded)
    return found
