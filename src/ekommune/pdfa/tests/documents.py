"""Documents the tests render: a receipt, a letter and a table long enough for several pages."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from ekommune.pdfa import Document, Heading, KeyValueTable, Paragraph, Style

CREATED = datetime(2026, 12, 1, 10, 30, 15, tzinfo=ZoneInfo("Europe/Oslo"))
NORWEGIAN = "æøå ÆØÅ"
SAMI = "čđŋšŧž á ČĐŊŠŦŽ Á"
PUNCTUATION = "«sitat» – 1 250 €"

RECEIPT_ROWS = [
    ("Navn", "Kari Nordmann", 0),
    ("Fødselsnummer", "01019912345", 0),
    ("Adresse", "Storgata 1, 9990 Fjordvik", 0),
    ("Telefon", "+47 912 34 567", 0),
    ("E-post", "kari.nordmann@example.no", 0),
    ("Barn 1: navn", "Ola Nordmann", 1),
    ("Barn 1: fødselsdato", "01.02.2022", 1),
    ("Ønsket barnehage", "Fjordtun barnehage (1. valg), Solsiden barnehage (2. valg)", 0),
    ("Ønsket oppstart", "august 2027", 0),
    ("Sámegiella", f"Mánáid gárdi sámegillii: {SAMI}", 0),
    ("Merknader", f"Ola trenger plass nær jobb. {NORWEGIAN} {PUNCTUATION}", 0),
]


def receipt(**overrides: object) -> Document:
    """A submission receipt like the portal's (municipality, H1, meta lines, key-value table)."""
    fields: dict[str, object] = {
        "title": "Barnehageplass – Fjordvik kommune",
        "author": "Fjordvik kommune",
        "subject": "Kvittering for søknad om barnehageplass",
        "language": "nb-NO",
        "creator": "ekommune",
        "created_at": CREATED,
        "page_numbers": True,
        "blocks": [
            Paragraph(text="Fjordvik kommune", style=Style(size=11)),
            Heading(text="Søknad om barnehageplass", level=1),
            Paragraph(
                text="Sendt inn 01.12.2026 10:30 av Kari Nordmann.\nReferanse: BHG-2026-0042 · Skjemaversjon 3",
                style=Style(colour=(0.2, 0.2, 0.2), space_after=17),
            ),
            KeyValueTable(rows=RECEIPT_ROWS),
        ],
    }
    fields.update(overrides)
    return Document(**fields)  # type: ignore[arg-type]


def letter() -> Document:
    """A one-page reply letter in serif with a sans sender line."""
    body = Style(family="serif", size=11.5, line_height=1.5, space_after=11)
    return Document(
        title="Svar på søknad – Fjordvik kommune",
        author="Fjordvik kommune",
        created_at=CREATED,
        margins=(70.87, 56.69, 70.87, 56.69),
        blocks=[
            Paragraph(text="Fjordvik kommune", style=Style(bold=True, size=13)),
            Paragraph(text="Kari Nordmann\nStorgata 1\n9990 Fjordvik", style=body),
            Paragraph(
                text="Vår ref. 2026/42 · Dato 01.12.2026",
                style=Style(size=10, space_before=22, space_after=22),
            ),
            Heading(text="Vedtak om barnehageplass", level=1, style=Style(bold=True, size=14)),
            *[Paragraph(text=f"Avsnitt {i}: Vi viser til søknaden din. " * 6, style=body) for i in range(5)],
            Paragraph(text="Med hilsen\nSaksbehandler\nFjordvik kommune", style=body),
        ],
    )


def long_text(length: int) -> str:
    """``length`` characters of words."""
    words = ("ord ", "lengre-ord ", "æøå ", "€ ")
    return "".join(words[i % 4] for i in range(length))[:length]


def long_table(rows: int = 200, long_cell: int = 5000) -> Document:
    """A table of ``rows`` rows, one of whose cells holds ``long_cell`` characters."""
    data = [(f"Felt {i}", f"Verdi {i} {NORWEGIAN}", i % 3 // 2) for i in range(rows)]
    data.insert(rows // 2, ("Lang tekst", long_text(long_cell), 0))
    return Document(
        title="Lang tabell", created_at=CREATED, page_numbers=True, blocks=[KeyValueTable(rows=data)]
    )
