"""Benchmark: full-text search of the public journal over 1,000,000 published entries.

    .venv/bin/python bench/publicjournal_search.py [--entries 1000000] [--queries 200]

Uses DATABASE_URL (or starts the embedded server), in a fresh database ``ekommune_pj_bench`` that
it creates and drops. Rows go straight into the publication table with COPY (the search reads
nothing else); the ``norwegian`` tsvector is the table's generated column, the GIN index is built
after the load. Measures ``selectors.public_entry_search`` as the search page calls it: a
two-word query with a one-year date filter, newest first, first page of 20 with the total count.
Target (issue 6): p95 under 100 ms. Prints the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

sys.path.insert(0, str(ROOT))

from bench.common import database_url, drop_database, percentile, recreate_database

BENCH_DB = "ekommune_pj_bench"
KINDS = [
    "Søknad",
    "Klage",
    "Melding",
    "Svar",
    "Vedtak",
    "Høring",
    "Varsel",
    "Uttalelse",
    "Innsynskrav",
    "Rapport",
]
TOPICS = [
    "barnehageplass",
    "skoleskyss",
    "byggetillatelse",
    "dispensasjon",
    "skjenkebevilling",
    "brøyting",
    "gatelys",
    "reguleringsplan",
    "eiendomsskatt",
    "vannlekkasje",
    "kommunal bolig",
    "tilskudd",
    "støy",
    "parkering",
    "avløp",
    "feiing",
    "renovasjon",
    "fradeling",
    "seksjonering",
    "ferdigattest",
    "tilsyn",
    "serveringsbevilling",
    "arrangement",
    "leie av idrettshall",
    "kulturmidler",
    "vegvedlikehold",
]
PLACES = [
    "Strandvegen",
    "Fjellvegen",
    "Kaikanten",
    "Lysvegen",
    "Sentrum",
    "Nordbyen",
    "Skolegata",
    "Bjørkelia",
    "Havna",
]
UNITS = ["Oppvekst", "Teknisk drift", "Plan og bygg", "Næring", "Helse", "Rådmannens stab", "Økonomi"]
FIRMS = [
    "Brøytelaget Nord AS",
    "Fjordbygg AS",
    "Kaikanten kafé AS",
    "Statens vegvesen",
    "Advokatfirmaet Lie",
    "*****",
]
TYPES = ["I"] * 5 + ["U"] * 4 + ["N", "S"]
START = dt.date(2022, 1, 1)
DAYS = 5 * 365


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "ekommune.conf.dev"
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ.setdefault("EKOMMUNE_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def rows(municipality_id: int, count: int, rng: random.Random):  # type: ignore[no-untyped-def]
    now = dt.datetime.now(dt.UTC).isoformat()
    per_case = 4
    for n in range(count):
        case = n // per_case
        year = 2022 + (case * 5 // max(1, count // per_case)) % 5
        journal_date = START + dt.timedelta(days=min(DAYS - 1, n * DAYS // count))
        kind, topic, place = rng.choice(KINDS), rng.choice(TOPICS), rng.choice(PLACES)
        firm = rng.choice(FIRMS)
        title = f"{kind} om {topic} - {place}"
        yield (
            municipality_id,
            str(uuid.uuid4()),
            str(uuid.UUID(int=case + 1)),
            rng.choice(TYPES),
            journal_date.year,
            n + 1,
            f"{n + 1}/{journal_date.year}",
            f"{year}/{case + 1}-{n % per_case + 1}",
            f"{year}/{case + 1}",
            f"{topic.capitalize()} - {place}",
            title,
            f'[{{"name": "{firm}", "role": "avsender"}}]',
            "" if firm == "*****" else firm,
            "[]",
            journal_date.isoformat(),
            journal_date.isoformat(),
            rng.choice(UNITS),
            "{}" if firm != "*****" else '{"Offl. § 13 jf. fvl. § 13"}',
            firm == "*****",
            now,
            now,
            now,
        )


COLUMNS = (
    "municipality_id, system_id, case_system_id, entry_type, journal_year, journal_sequence_number, "
    "journal_number, registration_id, case_number, case_title, title, parties, party_names, documents, "
    "journal_date, document_date, administrative_unit, legal_bases, is_screened, registered_at, "
    "published_at, refreshed_at"
)


def load(count: int) -> tuple[object, float]:
    from django.db import connection

    from ekommune.core.models import Municipality

    municipality = Municipality.objects.create(
        name="Benkemark kommune", slug="benk", number="5999", organisation_number="999999998"
    )
    other = Municipality.objects.create(
        name="Nabo kommune", slug="nabo", number="5998", organisation_number="999999997"
    )
    rng = random.Random(2026)  # noqa: S311 (test data)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX published_entry_search")
        raw = cursor.connection
        with raw.cursor() as copy_cursor:
            for target, share in ((municipality.pk, count), (other.pk, count // 20)):
                with copy_cursor.copy(f"COPY publicjournal_publishedentry ({COLUMNS}) FROM STDIN") as copy:
                    for row in rows(target, share, rng):
                        copy.write_row(row)
        cursor.execute(
            "CREATE INDEX published_entry_search ON publicjournal_publishedentry USING gin (search_vector)"
        )
        cursor.execute("VACUUM ANALYZE publicjournal_publishedentry")  # as autovacuum leaves a live table
    return municipality, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    args = parser.parse_args()
    url, server = database_url()
    bench_url = recreate_database(url, BENCH_DB)
    try:
        setup_django(bench_url)
        from ekommune.publicjournal import selectors

        print(
            f"Loading {args.entries:,} published entries (+{args.entries // 20:,} of a second municipality) ..."
        )
        municipality, seconds = load(args.entries)
        print(f"  loaded and indexed in {seconds:.1f} s ({args.entries / seconds:,.0f} rows/s)")
        rng = random.Random(6)  # noqa: S311
        first_words = [kind.lower() for kind in KINDS] + [topic for topic in TOPICS if " " not in topic]
        second_words = [topic for topic in TOPICS if " " not in topic] + [place.lower() for place in PLACES]

        def two_words() -> str:
            while True:
                first, second = rng.choice(first_words), rng.choice(second_words)
                if first != second:
                    return f"{first} {second}"

        def measure(label: str, make_text) -> None:  # type: ignore[no-untyped-def]
            timings: list[float] = []
            totals: list[int] = []
            for n in range(args.queries + 10):
                start = START + dt.timedelta(days=rng.randrange(0, DAYS - 365))
                query = selectors.JournalQuery(
                    text=make_text(), date_from=start, date_to=start + dt.timedelta(days=365)
                )
                began = time.perf_counter()
                result = selectors.public_entry_search(
                    municipality=municipality, query=query, page=1, page_size=20
                )
                elapsed = (time.perf_counter() - began) * 1000
                if n >= 10:  # the first ten warm the caches
                    timings.append(elapsed)
                    totals.append(result.total)
            print(
                f"{label} ({args.queries} queries; hits per query median {int(statistics.median(totals)):,}, "
                f"max {max(totals):,}):"
            )
            print(
                f"  p50 {percentile(timings, 0.5):.1f} ms, p95 {percentile(timings, 0.95):.1f} ms, "
                f"p99 {percentile(timings, 0.99):.1f} ms, max {max(timings):.1f} ms"
            )

        measure(
            "Two different words + one-year date filter, newest first, page 1 of 20 with the count "
            "(target p95 < 100 ms)",
            two_words,
        )
        measure(
            "For comparison, one frequent word (10 % of all entries) + one-year date filter (count capped at 10,000)",
            lambda: rng.choice(KINDS).lower(),
        )
        print(
            f"  machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {dt.datetime.now(dt.UTC):%Y-%m-%d}"
        )
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            drop_database(url, BENCH_DB)
        if server is not None:
            server.stop()  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
