"""System checks of the portal: what it needs from the machine, said at start-up, not at the
first submission."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Warning, register

from ekommune.pdfa import FontNotFoundError
from ekommune.pdfa.fonts import FACE_FILES, locate_font


@register()
def pdf_fonts_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Receipts and letters are PDF/A with DejaVu embedded: without the fonts no submission can be
    archived (decision 0034)."""
    missing = []
    for filename in sorted(set(FACE_FILES.values())):
        try:
            locate_font(filename)
        except FontNotFoundError as error:
            missing.append(str(error))
    if not missing:
        return []
    return [
        Warning(
            "The DejaVu fonts for receipts and letters (PDF/A) are missing: submissions will fail.",
            hint=missing[0],
            id="portal.W001",
        )
    ]
