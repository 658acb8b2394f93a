"""PDF rendering (WeasyPrint) of the submitted form and of letters, as PDF/A-3b.

HTML from the portal's templates goes in, the bytes of a PDF/A come out. Nothing is fetched from
the network: the templates carry their own styles and no images from outside.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

PDF_VARIANT = "pdf/a-3b"


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported late: loading pango takes a moment

    pdf: bytes = HTML(string=html, base_url=None).write_pdf(pdf_variant=PDF_VARIANT)
    return pdf


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    return html_to_pdf(render_to_string(template, context))
