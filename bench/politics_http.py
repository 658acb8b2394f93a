"""Benchmark: the political pages, feeds and OParl lists through HTTP with ten years of meetings.

    .venv/bin/python bench/politics_http.py [--seconds 10] [--clients 8] [--reuse] [--keep]

Builds (or with ``--reuse`` takes what ``--keep`` left) a municipality ``benk`` with ten years of
politics: 10 bodies, 500 meetings, 10,000 agenda items on 5,000 archive cases (each case
presentation a registry entry in the archive, registered in bulk through the archive's service),
a decision on every item of a held meeting and 20,000 votes. Then runs, under the same gunicorn
settings (4 sync workers, keep-alive) with the same closed-loop client:

- the ceiling: ``bench.ceiling_app``, a bare Django view reading one agenda item row by id;
- the platform (``ekommune.conf.dev``, DEBUG off, rate limits counted but set high): the political
  front page, a body's page, a meeting page, a case history, search, the decisions feed, a body's
  iCalendar feed, and OParl list pages (meetings, agenda items, papers) at random page numbers.

Prints for each the rate and its ratio to the ceiling, p50/p95, and the CPU per request of the web
workers and of PostgreSQL. Target (issue 29): p95 < 100 ms for all, with 8 clients.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import sys
import time
from pathlib import Path
from urllib.parse import quote_plus

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from bench.common import database_url, drop_database, url_of_database
from bench.http_load import Comparison
from bench.publicjournal_search import setup_django

BENCH_DB = "ekommune_bench_politics_http"
HOST = "localhost"
BASE = "/k/benk"
YEARS = 10
BODIES = 10
MEETINGS = 500
ITEMS = 10_000
CASES = 5_000
TOPICS = (
    "reguleringsplan", "budsjett", "skolestruktur", "barnehage", "vegvedlikehold", "vannforsyning",
    "avløp", "kulturhus", "idrettshall", "sykehjem", "bredbånd", "klimaplan", "næringsareal",
    "kommuneplan", "eiendomsskatt", "havn", "brannvesen", "kollektivtrafikk", "turistinformasjon",
)  # fmt: skip
PLACES = ("Fjordvik", "Nordli", "Sørbygda", "Austvollen", "Vestneset", "Heia", "Strand", "Dalen")
PARTIES = ("Ap", "H", "Sp", "FrP", "SV", "KrF", "V", "MDG")


def build(rng: random.Random) -> float:
    """Ten years of politics for ``benk``; the seconds it took."""
    from django.db import transaction
    from django.utils import timezone

    from ekommune.archive import services as archive_services
    from ekommune.archive.types import EntryInput
    from ekommune.core.tests.factories import MunicipalityFactory
    from ekommune.politics.models import AgendaItem, Decision, Meeting, Vote
    from ekommune.politics.tests.factories import body_for, member, politics_for

    began = time.perf_counter()
    municipality = MunicipalityFactory.create(slug="benk", name="Benk kommune", host="benk.localhost")
    politics = politics_for(municipality)
    bodies = [body_for(politics, "Kommunestyret", "KST", "kommunestyre")]
    bodies.append(body_for(politics, "Formannskapet", "FSK", "formannskap"))
    for n in range(BODIES - 2):
        bodies.append(body_for(politics, f"Utvalg for {TOPICS[n]}", f"U{n}"))
    for n in range(60):
        member(politics, bodies[n % BODIES], f"Representant {n}", PARTIES[n % len(PARTIES)])
    now = timezone.now().replace(microsecond=0)
    first = now - dt.timedelta(days=365 * YEARS - 60)  # ten years, the last few meetings ahead
    step = (now + dt.timedelta(days=60) - first) / MEETINGS
    meetings = []
    for n in range(MEETINGS):
        starts = first + step * n + dt.timedelta(hours=rng.randrange(0, 8))
        held = starts < now
        meetings.append(
            Meeting(
                municipality=municipality,
                body=bodies[n % BODIES],
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=3),
                place="Kommunestyresalen",
                status=Meeting.Status.MINUTES_APPROVED if held else Meeting.Status.SUMMONED,
                summoned_at=starts - dt.timedelta(days=10),
                created_at=starts - dt.timedelta(days=20),
                modified_at=starts + dt.timedelta(days=1) if held else starts - dt.timedelta(days=10),
            )
        )
    Meeting.objects.bulk_create(meetings)
    print(f"  {len(bodies)} bodies, 60 members, {MEETINGS} meetings", flush=True)

    archive = politics.archive
    cases = []
    for n in range(CASES):
        topic, place = rng.choice(TOPICS), rng.choice(PLACES)
        cases.append(
            archive_services.case_file_create(
                actor=politics.secretary,
                municipality=municipality,
                series=archive.series,
                title=f"{topic.capitalize()} {place} {n}",
                administrative_unit="Politisk sekretariat",
                case_responsible="Sigrid Sekretær",
                primary_class=archive.classes["033"],
            )
        )
    print(f"  {CASES:,} archive cases ({time.perf_counter() - began:.0f} s)", flush=True)
    # each case goes through two meetings (committee, then council), in time order
    treatments = sorted(
        ((rng.randrange(0, MEETINGS - 1), case) for case in cases for _ in range(ITEMS // CASES)),
        key=lambda pair: pair[0],
    )
    items: list[AgendaItem] = []
    sequences: dict[tuple[int, int], int] = {}
    for start in range(0, len(treatments), 2_000):
        chunk = treatments[start : start + 2_000]
        entries = archive_services.registry_entries_register_bulk(
            actor=politics.secretary,
            municipality=municipality,
            entries=[
                EntryInput(case_file=case, entry_type="S", title=f"Saksframlegg: {case.title}")
                for _index, case in chunk
            ],
        )
        for (index, case), entry in zip(chunk, entries, strict=True):
            meeting = meetings[index]
            year = timezone.localtime(meeting.starts_at).year
            key = (meeting.body_id, year)
            sequences[key] = sequences.get(key, 0) + 1
            items.append(
                AgendaItem(
                    municipality=municipality,
                    meeting=meeting,
                    body_id=meeting.body_id,
                    year=year,
                    sequence=sequences[key],
                    case_system_id=case.system_id,
                    case_number=case.file_id,
                    presentation_system_id=entry.system_id,
                    public_title=f"Saksframlegg: {case.title}",
                    recommendation=f"Kommunedirektøren tilrår at {case.title.lower()} vedtas.",
                    created_at=meeting.created_at,
                    modified_at=meeting.modified_at,
                )
            )
    with transaction.atomic():
        AgendaItem.objects.bulk_create(items, batch_size=2_000)
        decisions = Decision.objects.bulk_create(
            (
                Decision(
                    municipality=municipality,
                    item=item,
                    text=f"Vedtatt som tilrådd: {item.public_title}.",
                    recorded_at=item.meeting.starts_at + dt.timedelta(hours=2),
                    recorded_by="Sigrid Sekretær",
                    final_at=item.meeting.modified_at,
                )
                for item in items
                if item.meeting.status == Meeting.Status.MINUTES_APPROVED
            ),
            batch_size=2_000,
        )
        Vote.objects.bulk_create(
            (
                Vote(municipality=municipality, decision=decision, party=party, choice=choice, count=count)
                for decision in decisions
                for party, choice, count in (
                    (rng.choice(PARTIES), "for", rng.randrange(5, 20)),
                    (rng.choice(PARTIES), "mot", rng.randrange(1, 10)),
                )
            ),
            batch_size=5_000,
        )
    print(f"  {len(items):,} agenda items, {len(decisions):,} decisions, {2 * len(decisions):,} votes")
    return time.perf_counter() - began


def database_ready(url: str, reuse: bool, rng: random.Random) -> str:
    from bench.common import recreate_database

    bench_url = url_of_database(url, BENCH_DB)
    if reuse:
        setup_django(bench_url)
        from ekommune.politics.models import AgendaItem

        if AgendaItem.objects.filter(municipality__slug="benk").count() >= ITEMS:
            print(f"Reusing the database {BENCH_DB}.")
            return bench_url
        raise SystemExit("--reuse: run once with --keep first.")
    bench_url = recreate_database(url, BENCH_DB)
    setup_django(bench_url)
    print("Building ten years of politics ...", flush=True)
    print(f"  built in {build(rng):.0f} s")
    return bench_url


def samples() -> dict[str, list[str]]:
    from ekommune.politics.models import AgendaItem, Body, Meeting

    items = AgendaItem.objects.filter(municipality__slug="benk")
    return {
        "body": [
            str(pk) for pk in Body.objects.filter(municipality__slug="benk").values_list("pk", flat=True)
        ],
        "meeting": [
            str(pk) for pk in Meeting.objects.filter(municipality__slug="benk").values_list("pk", flat=True)
        ],
        "case": sorted({number.replace("/", "/") for number in items.values_list("case_number", flat=True)}),
        "item": [str(pk) for pk in items.values_list("pk", flat=True)],
        "municipality": [str(items.values_list("municipality_id", flat=True).first())],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="per page kind")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--port", type=int, default=8775)
    parser.add_argument("--reuse", action="store_true", help="take the database a --keep run left")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    parser.add_argument("--only", default="", help="run only the page kinds whose label contains this")
    args = parser.parse_args()
    rng = random.Random(29)  # noqa: S311 (test data)
    url, server = database_url()
    bench_url = database_ready(url, args.reuse, rng)
    try:
        found = samples()
        from django.db import connections

        connections.close_all()

        def pick(kind: str) -> str:
            return found[kind][rng.randrange(len(found[kind]))]

        def case_path(_c: int, _n: int) -> str:
            year, _, sequence = pick("case").partition("/")
            return f"{BASE}/politikk/saker/{year}/{sequence}/"

        pages = -(-ITEMS // 100)
        kinds = {
            "front page": lambda c, n: f"{BASE}/politikk/",
            "body page": lambda c, n: f"{BASE}/politikk/utvalg/{pick('body')}/",
            "meeting page": lambda c, n: f"{BASE}/politikk/moter/{pick('meeting')}/",
            "case history": case_path,
            "search (one word)": lambda c, n: f"{BASE}/politikk/sok/?q={quote_plus(rng.choice(TOPICS))}",
            "decisions feed (Atom)": lambda c, n: f"{BASE}/politikk/vedtak.atom",
            "iCalendar of a body": lambda c, n: f"{BASE}/politikk/utvalg/{pick('body')}/moter.ics",
            "OParl meetings, a page": lambda c, n: f"{BASE}/api/oparl/meeting/?page={rng.randrange(1, 6)}",
            "OParl agenda items, a page": lambda c, n: (
                f"{BASE}/api/oparl/agendaitem/?page={rng.randrange(1, pages + 1)}"
            ),
            "OParl papers, a page": lambda c, n: f"{BASE}/api/oparl/paper/?page={rng.randrange(1, 51)}",
            "OParl agenda items modified_since": lambda c, n: (
                f"{BASE}/api/oparl/agendaitem/?modified_since="
                f"{(dt.datetime.now(dt.UTC) - dt.timedelta(days=rng.randrange(30, 400))):%Y-%m-%dT%H:%M:%SZ}"
            ),
        }
        if args.only:
            kinds = {label: path for label, path in kinds.items() if args.only in label}
        municipality_id = found["municipality"][0]
        comparison = Comparison(
            database_url=bench_url,
            host=HOST,
            port=args.port,
            clients=args.clients,
            seconds=args.seconds,
            ceiling_label="ceiling: bare Django, 1 item row by id",
            ceiling_ready=f"/item/{municipality_id}/{found['item'][0]}/",
            ceiling_path=lambda c, n: f"/item/{municipality_id}/{pick('item')}/",
            platform_ready=f"{BASE}/politikk/",
            kinds=kinds,
        )
        comparison.report(*comparison.run())
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
