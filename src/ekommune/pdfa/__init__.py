"""A small, fast PDF/A-3b writer for simple structured documents (receipts, letters).

WeasyPrint costs 40–350 ms per document; the portal renders one receipt per submission and
needs ~1–3 ms. This package lays out paragraphs, headings and key-value tables in the DejaVu
fonts and writes a tagged PDF/A-3b file directly, with its own font subsetter and sRGB
profile. fontTools is used once per process to parse the fonts; the per-document work is plain
byte assembly. No Django needed::

    pdf = render_pdf(Document(title="Søknad", created_at=now, blocks=[Heading(text="Søknad")]))
"""

from __future__ import annotations

from ekommune.pdfa.errors import FontNotFoundError, InvalidDocumentError, PdfaError
from ekommune.pdfa.layout import layout_document
from ekommune.pdfa.metadata import PRODUCER, DocumentInfo
from ekommune.pdfa.model import A4, CM, Block, Document, Heading, KeyValueTable, Paragraph, Spacer, Style
from ekommune.pdfa.writer import write_pdf

__all__ = [
    "A4",
    "CM",
    "PRODUCER",
    "Block",
    "Document",
    "FontNotFoundError",
    "Heading",
    "InvalidDocumentError",
    "KeyValueTable",
    "Paragraph",
    "PdfaError",
    "Spacer",
    "Style",
    "render_pdf",
]


def render_pdf(document: Document, /) -> bytes:
    """The bytes of ``document`` as a tagged PDF/A-3b file.

    Never fails on text content (any string renders; characters missing from the font show as
    the replacement glyph). Raises ``FontNotFoundError`` if the DejaVu fonts are not installed.
    """
    info = DocumentInfo.of(
        title=document.title,
        author=document.author,
        subject=document.subject,
        creator=document.creator,
        language=document.language,
        created_at=document.created_at,
    )
    layout = layout_document(document)
    return write_pdf(layout=layout, info=info, page_size=document.page_size)
