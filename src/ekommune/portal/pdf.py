"""PDF rendering (WeasyPrint) of the submitted form and of letters, as PDF/A-3b.

HTML from the portal's templates goes in, the bytes of a PDF/A come out. Nothing is fetched:
the URL fetcher allows no protocol at all (the templates carry their own styles and no outside
images), which is also faster than WeasyPrint's default fetcher. The fetcher and the font
configuration are made once per thread and reused.
"""

from __future__ import annotations

import threading
from typing import Any

from django.template.loader import render_to_string

PDF_VARIANT = "pdf/a-3b"
_local = threading.local()


def _tools() -> tuple[Any, Any]:
    if not hasattr(_local, "fetcher"):
        from weasyprint.text.fonts import FontConfiguration
        from weasyprint.urls import URLFetcher

        _local.fetcher = URLFetcher(allowed_protocols=())
        _local.fonts = FontConfiguration()
    return _local.fetcher, _local.fonts


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported late: loading pango takes a moment

    fetcher, fonts = _tools()
    pdf: bytes = HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf(
        pdf_variant=PDF_VARIANT, font_config=fonts
    )
    return pdf


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    return html_to_pdf(render_to_string(template, context))
