"""Benchmark: the public journal through HTTP at 1,000,000 entries, beside a bare-Django ceiling.

    .venv/bin/python bench/publicjournal_http.py [--entries 1000000] [--seconds 10] [--clients 8]
                                                 [--reuse] [--keep]

Builds the database of ``bench/publicjournal_search.py`` (1 M published entries for ``benk`` and
5 % as many for a neighbour; ``--reuse`` takes one that ``--keep`` left), writes its publication
state as the refresh would, then runs, one after another under the same gunicorn settings (4 sync
workers, keep-alive) with the same closed-loop client (``--clients`` threads):

- the ceiling: ``bench.ceiling_app``, a bare Django view reading one row by UUID;
- the platform (``ekommune.conf.dev``, DEBUG off, rate limits counted but set high): search (two
  words and one year, as the selector benchmark), entry, case, Atom feed, JSON list, sitemap
  index and files, and a revalidated entry page (304).

Prints, for each, the rate and its ratio to the ceiling, p50/p95, and the CPU per request of the
web workers and of PostgreSQL; and the search selector alone, in this process. Targets (issue 29):
search ≥ 150 req/s, entry and case ≥ 300 req/s, p95 < 100 ms for all, with 8 clients.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote_plus

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from bench.common import database_url, drop_database, percentile, recreate_database, url_of_database
from bench.http_load import Comparison, LoadResult, Server
from bench.publicjournal_search import BENCH_DB, DAYS, KINDS, PLACES, START, TOPICS, load, setup_django

HOST = "localhost"
BASE = "/k/benk"


def database_ready(url: str, reuse: bool, entries: int) -> str:
    bench_url = url_of_database(url, BENCH_DB)
    if reuse:
        try:
            setup_django(bench_url)
            from ekommune.publicjournal.models import PublishedEntry

            if PublishedEntry.objects.filter(municipality__slug="benk").exists():
                print(f"Reusing the database {BENCH_DB}.")
                return bench_url
        except Exception as error:
            print(f"Cannot reuse {BENCH_DB} ({type(error).__name__}); building it.")
        raise SystemExit("--reuse: run once with --keep first (this process has set Django up already).")
    bench_url = recreate_database(url, BENCH_DB)
    setup_django(bench_url)
    print(f"Loading {entries:,} published entries (+{entries // 20:,} of a second municipality) ...")
    _municipality, seconds = load(entries)
    print(f"  loaded and indexed in {seconds:.1f} s")
    return bench_url


def publication_state_write() -> float:
    """The state the refresh keeps (the rows came by COPY, not through a refresh)."""
    from django.db import transaction
    from django.utils import timezone

    from ekommune.core.models import Municipality
    from ekommune.publicjournal.services import publication

    began = time.perf_counter()
    for municipality in Municipality.objects.filter(slug__in=["benk", "nabo"]):
        with transaction.atomic():
            publication._publication_state_update(
                municipality=municipality, now=timezone.now(), units=set(), recount=True
            )
    return time.perf_counter() - began


def samples(count: int = 4000) -> tuple[int, list[str], list[str], int]:
    from django.db import connection

    from ekommune.core.models import Municipality
    from ekommune.publicjournal.models import PublicationState

    municipality = Municipality.objects.get(slug="benk")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT system_id, case_number FROM publicjournal_publishedentry TABLESAMPLE SYSTEM (2)"
            " WHERE municipality_id = %s LIMIT %s",
            [municipality.pk, count],
        )
        rows = cursor.fetchall()
    pages = len(PublicationState.objects.get(municipality=municipality).sitemap_starts)
    return municipality.pk, [str(row[0]) for row in rows], [row[1] for row in rows], pages


def selector_search_ms(queries: int, rng: random.Random) -> tuple[float, float]:
    from ekommune.core.models import Municipality
    from ekommune.publicjournal import selectors

    municipality = Municipality.objects.get(slug="benk")
    timings = []
    for n in range(queries + 5):
        start = START + dt.timedelta(days=rng.randrange(0, DAYS - 365))
        query = selectors.JournalQuery(
            text=two_words(rng), date_from=start, date_to=start + dt.timedelta(days=365)
        )
        began = time.perf_counter()
        selectors.public_entry_search(municipality=municipality, query=query, page=1, page_size=20)
        if n >= 5:
            timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings), percentile(timings, 0.95)


FIRST = [kind.lower() for kind in KINDS] + [topic for topic in TOPICS if " " not in topic]
SECOND = [topic for topic in TOPICS if " " not in topic] + [place.lower() for place in PLACES]


def two_words(rng: random.Random) -> str:
    while True:
        first, second = rng.choice(FIRST), rng.choice(SECOND)
        if first != second:
            return quote_plus(f"{first} {second}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=10.0, help="per page kind")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--reuse", action="store_true", help="take the database a --keep run left")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    args = parser.parse_args()
    url, server = database_url()
    bench_url = database_ready(url, args.reuse, args.entries)
    try:
        print(f"  publication state written in {publication_state_write():.1f} s (a full refresh's recount)")
        municipality_id, entry_ids, case_numbers, sitemap_pages = samples()
        median_ms, p95_ms = selector_search_ms(100, random.Random(5))  # noqa: S311 (test data)
        from django.db import connections

        connections.close_all()
        rng = random.Random(29)  # noqa: S311 (test data)

        def pick(values: list[str]) -> str:
            return values[rng.randrange(len(values))]

        def search_path(_client: int, _n: int) -> str:
            start = START + dt.timedelta(days=rng.randrange(0, DAYS - 365))
            return f"{BASE}/journal/?q={two_words(rng)}&fra={start}&til={start + dt.timedelta(days=365)}"

        def case_path(_client: int, _n: int) -> str:
            year, _, sequence = pick(case_numbers).partition("/")
            return f"{BASE}/journal/sak/{year}/{sequence}/"

        kinds = {
            "search (2 words + 1 year)": search_path,
            "entry page": lambda c, n: f"{BASE}/journal/{pick(entry_ids)}/",
            "case page": case_path,
            "Atom feed": lambda c, n: f"{BASE}/journal/feed/",
            "JSON list (search)": lambda c, n: search_path(c, n).replace("/journal/?", "/api/journal/?"),
            "sitemap index": lambda c, n: f"{BASE}/journal/sitemap.xml",
            "sitemap file (2,000 entries)": lambda c, n: (
                f"{BASE}/journal/sitemap-{rng.randrange(sitemap_pages) + 1}.xml"
            ),
        }
        comparison = Comparison(
            database_url=bench_url,
            host=HOST,
            port=args.port,
            clients=args.clients,
            seconds=args.seconds,
            ceiling_label="ceiling: bare Django, 1 row by UUID",
            ceiling_ready=f"/row/{municipality_id}/{entry_ids[0]}/",
            ceiling_path=lambda c, n: f"/row/{municipality_id}/{pick(entry_ids)}/",
            platform_ready=f"{BASE}/journal/",
            kinds=kinds,
        )

        def revalidated(web: Server, load: Callable[..., LoadResult]) -> list[LoadResult]:
            probe = http.client.HTTPConnection("127.0.0.1", web.port, timeout=30)
            feed = f"{BASE}/journal/feed/"
            probe.request("GET", feed, headers={"Host": HOST})
            etag = probe.getresponse().getheader("ETag") or ""
            return [load("feed revalidated (304)", lambda c, n: feed, headers={"If-None-Match": etag})]

        comparison.report(*comparison.run(after=revalidated), expected=(200, 304))
        print(f"search selector alone, in process: p50 {median_ms:.1f} ms, p95 {p95_ms:.1f} ms")
        print(
            f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"load {os.getloadavg()[0]:.1f}, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
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
