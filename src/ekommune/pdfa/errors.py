"""The errors of the PDF/A writer: one small hierarchy, so callers can catch ``PdfaError``."""

from __future__ import annotations


class PdfaError(Exception):
    """Base class of everything the PDF/A writer raises on purpose."""

    code = "pdfa_error"


class FontNotFoundError(PdfaError):
    """A DejaVu font file the document needs is not installed (nor in ``EKOMMUNE_PDF_FONT_DIR``)."""

    code = "pdfa_font_not_found"


class InvalidDocumentError(PdfaError, ValueError):
    """A document or style parameter is out of range (a programming error, not user text)."""

    code = "pdfa_invalid_document"
