"""Benchmark: rendering PDF/A-3b documents with ``ekommune.pdfa`` (no database, no WeasyPrint).

    .venv/bin/python bench/pdf_render.py [--count 500]

Three documents, each rendered ``--count`` times after one warm-up render (which parses the
fonts and builds the ICC profile, once per process): (a) a submission receipt like the
portal's (municipality line, H1, two meta lines, 15-row key-value table with two depth-1 rows),
(b) a one-page letter in serif with five paragraphs, (c) a table of three pages. Every render
varies the name and reference, as real receipts do, so per-process caches (word widths, glyph
records) are not flattered by identical input. Prints ms per document (mean, p95), documents
per second on one core, and the size of the files.

Target (issue 7, 2 cores, 30 complete submissions per second): receipt < 3 ms.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from bench.common import percentile
from ekommune.pdfa import Document, Heading, KeyValueTable, Paragraph, Style, render_pdf

OSLO = ZoneInfo("Europe/Oslo")
NAMES = ("Kari Nordmann", "Ola Åsen", "Siri Østby", "Áilu Čuđđi", "Per Ødegård", "Ingrid Bækken")


def receipt(i: int) -> Document:
    name = NAMES[i % len(NAMES)]
    rows = [
        ("Navn", name, 0),
        ("Fødselsnummer", f"0101{i % 100:02d}12345", 0),
        ("Adresse", f"Storgata {i % 90 + 1}, 9990 Fjordvik", 0),
        ("Telefon", "+47 912 34 567", 0),
        ("E-post", "innbygger@example.no", 0),
        ("Sivilstand", "Gift eller registrert partner", 0),
        ("Barn 1: navn", "Ola Nordmann", 1),
        ("Barn 1: fødselsdato", "01.02.2022", 1),
        ("Ønsket barnehage", "Fjordtun barnehage (1. valg), Solsiden barnehage (2. valg)", 0),
        ("Ønsket oppstart", "august 2027", 0),
        ("Oppholdstid", "Heltid, fem dager i uken", 0),
        ("Behov for tilrettelegging", "Nei", 0),
        ("Søsken i barnehagen", "Ja, i Fjordtun barnehage", 0),
        ("Samtykke", "Jeg bekrefter at opplysningene er riktige og fullstendige.", 0),
        (
            "Merknader",
            "Vi ønsker plass så nær jobben som mulig. Takk for god hjelp på telefon – «supert»!",
            0,
        ),
    ]
    return Document(
        title="Barnehageplass – Fjordvik kommune",
        author="Fjordvik kommune",
        subject="Kvittering for søknad om barnehageplass",
        created_at=datetime(2026, 12, 1, 10, 30, tzinfo=OSLO),
        page_numbers=True,
        blocks=[
            Paragraph(text="Fjordvik kommune"),
            Heading(text="Søknad om barnehageplass", level=1),
            Paragraph(
                text=f"Sendt inn 01.12.2026 10:30 av {name}.\nReferanse: BHG-2026-{i:05d} · Skjemaversjon 3",
                style=Style(colour=(0.2, 0.2, 0.2), space_after=17),
            ),
            KeyValueTable(rows=rows),
        ],
    )


def letter(i: int) -> Document:
    body = Style(family="serif", size=11.5, line_height=1.5, space_after=11)
    text = (
        "Vi viser til søknaden din om barnehageplass. Kommunen har behandlet søknaden etter "
        "barnehageloven og forskrift om opptak, og du får med dette svar på søknaden. "
    )
    return Document(
        title="Svar på søknad – Fjordvik kommune",
        author="Fjordvik kommune",
        created_at=datetime(2026, 12, 3, 9, 0, tzinfo=OSLO),
        margins=(70.87, 56.69, 70.87, 56.69),
        blocks=[
            Paragraph(text="Fjordvik kommune", style=Style(bold=True, size=13)),
            Paragraph(text=f"{NAMES[i % len(NAMES)]}\nStorgata {i % 90 + 1}\n9990 Fjordvik", style=body),
            Paragraph(
                text=f"Vår ref. 2026/{i} · Dato 03.12.2026",
                style=Style(size=10, space_before=22, space_after=22),
            ),
            Heading(text="Vedtak om barnehageplass", level=1, style=Style(bold=True, size=14)),
            *[Paragraph(text=text * 2, style=body) for _ in range(5)],
            Paragraph(text="Med hilsen\nSaksbehandler\nFjordvik kommune", style=body),
        ],
    )


def table(i: int) -> Document:
    rows = [
        (f"Spørsmål {n}", f"Svar {n} fra {NAMES[(i + n) % len(NAMES)]} – æøå", n % 4 // 3) for n in range(72)
    ]
    return Document(
        title="Skjemautskrift – Fjordvik kommune",
        created_at=datetime(2026, 12, 1, 10, 30, tzinfo=OSLO),
        page_numbers=True,
        blocks=[Heading(text="Skjemautskrift"), KeyValueTable(rows=rows)],
    )


def measure(name: str, make: Callable[[int], Document], count: int) -> None:
    started = time.perf_counter()
    first = render_pdf(make(0))
    cold = (time.perf_counter() - started) * 1000
    times: list[float] = []
    sizes: list[int] = []
    for i in range(1, count + 1):
        doc = make(i)
        started = time.perf_counter()
        pdf = render_pdf(doc)
        times.append((time.perf_counter() - started) * 1000)
        sizes.append(len(pdf))
    pages = first.count(b"/Type /Page ")
    mean = statistics.fmean(times)
    print(
        f"{name:<8} {pages} page(s)  mean {mean:6.2f} ms  p95 {percentile(times, 0.95):6.2f} ms  "
        f"{1000 / mean:6.0f} docs/s/core  {statistics.fmean(sizes) / 1024:5.1f} KiB  (first: {cold:.0f} ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500)
    args = parser.parse_args()
    print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    measure("receipt", receipt, args.count)
    measure("letter", letter, args.count)
    measure("table", table, args.count)


if __name__ == "__main__":
    main()
