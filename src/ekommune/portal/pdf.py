"""The portal's PDF/A documents: the submitted form (the receipt) and the letters case workers send.

Both are built as ``ekommune.pdfa`` documents (tagged PDF/A-3b, DejaVu fonts embedded) in about
2 ms, so the receipt is rendered in the submit request and archived in the same transaction as
the entry (docs/decisions/0034-own-pdfa-writer.md). Labels are translated in the active
language, like the pages.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ekommune.pdfa import CM, Document, Heading, KeyValueTable, Paragraph, Style, render_pdf

_BODY_SANS = Style(size=11, line_height=1.4)
_MUTED = Style(size=11, line_height=1.4, colour=(0.2, 0.2, 0.2), space_after=17)
_SERIF = Style(family="serif", size=11.5, line_height=1.5, space_after=11)
_SENDER = Style(bold=True, size=13, space_after=8)
_REFERENCE = Style(size=10, space_before=23, space_after=23)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_LANGUAGE_TAGS = {"nb": "nb-NO", "nn": "nn-NO", "en": "en"}


def _language() -> str:
    """The document's language tag (/Lang): the active language, as the labels are in it."""
    return _LANGUAGE_TAGS.get((get_language() or "nb").split("-")[0], "nb-NO")


def submission_pdf(
    *,
    municipality_name: str,
    service_title: str,
    submitted_at: dt.datetime,
    citizen_name: str,
    acting_for: str,
    reference: str,
    version: int,
    rows: Sequence[tuple[str, str, int]],
) -> bytes:
    """The submitted form as the citizen saw it on the summary page, with when, by whom and for whom."""
    sent = f"{_('Sendt inn')} {submitted_at:%d.%m.%Y %H:%M} {_('av')} {citizen_name}"
    if acting_for:
        sent += f" {_('på vegne av org.nr.')} {acting_for}"
    meta = f"{sent}.\n{_('Referanse')}: {reference} · {_('Skjemaversjon')} {version}"
    return render_pdf(
        Document(
            title=f"{service_title} – {municipality_name}",
            author=municipality_name,
            subject=_("Innsending"),
            language=_language(),
            created_at=submitted_at,
            page_numbers=True,
            blocks=[
                Paragraph(text=municipality_name, style=_BODY_SANS),
                Heading(text=service_title, level=1),
                Paragraph(text=meta, style=_MUTED),
                KeyValueTable(rows=rows, label_fraction=0.4),
            ],
        )
    )


def letter_pdf(
    *,
    municipality_name: str,
    recipient: str,
    case_number: str,
    date: dt.date,
    subject: str,
    body: str,
    signer: str,
    created_at: dt.datetime,
) -> bytes:
    """A letter to a citizen: sender, recipient, our reference and date, subject, text, signature.

    Blank lines in ``body`` separate paragraphs; a single line break stays a line break.
    """
    paragraphs = [part.strip("\n") for part in _PARAGRAPH_BREAK.split(body.strip()) if part.strip()]
    return render_pdf(
        Document(
            title=f"{subject} – {municipality_name}",
            author=municipality_name,
            subject=subject,
            language=_language(),
            created_at=created_at,
            margins=(2.5 * CM, 2 * CM, 2.5 * CM, 2 * CM),
            blocks=[
                Paragraph(text=municipality_name, style=_SENDER),
                Paragraph(text=recipient, style=_SERIF),
                Paragraph(
                    text=f"{_('Vår ref.')} {case_number} · {_('Dato')} {date:%d.%m.%Y}", style=_REFERENCE
                ),
                Heading(
                    text=subject, level=1, style=Style(bold=True, size=14, space_before=0, space_after=10)
                ),
                *(Paragraph(text=paragraph, style=_SERIF) for paragraph in paragraphs),
                Paragraph(text=f"{_('Med hilsen')}\n{signer}\n{municipality_name}", style=_SERIF),
            ],
        )
    )
