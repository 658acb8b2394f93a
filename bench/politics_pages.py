"""Benchmark: the public political pages, feeds and API on the demo data, and recording decisions.

    .venv/bin/python bench/politics_pages.py [--requests 200]

Uses DATABASE_URL (or starts the embedded server), in a fresh database ``ekommune_bench_politics``
that it creates and drops. Loads the demo (two municipalities, a year of meetings each), then
times each public URL in-process through Django's test client (one client, sequential), and
``agenda_item_add`` + ``decision_record`` through the services. Prints the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

sys.path.insert(0, str(ROOT))

from bench.common import database_url, drop_database, recreate_database

BENCH_DB = "ekommune_bench_politics"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    url, _server = database_url()
    bench_url = recreate_database(url, BENCH_DB)
    os.environ["DATABASE_URL"] = bench_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "ekommune.conf.test"
    os.environ.setdefault("EKOMMUNE_MEDIA_ROOT", str(ROOT / "var" / "bench-media"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from ekommune.archive import selectors as archive_selectors
    from ekommune.archive import services as archive_services
    from ekommune.core.demo import demo_load
    from ekommune.core.models import Municipality, User
    from ekommune.politics import selectors, services
    from ekommune.politics.models import Body

    setup_test_environment()
    try:
        started = time.perf_counter()
        demo_load()
        print(f"demo load (2 municipalities, all apps): {time.perf_counter() - started:.1f} s")
        fjordvik = Municipality.objects.get(slug="fjordvik")
        meetings = list(selectors.meeting_calendar(municipality=fjordvik))
        held = [m for m in meetings if m.status != "planlagt"]
        case_number = next(
            i.case_number
            for i in selectors.item_list(municipality=fjordvik)
            if i.title == "IT-strategi 2013-2016"
        )
        year, _, seq = case_number.partition("/")
        kst = Body.objects.get(municipality=fjordvik, abbreviation="KST")
        urls = {
            "front page politikk/": "/politikk/",
            "meeting page (held)": f"/politikk/moter/{held[-1].pk}/",
            "case history (3 bodies)": f"/politikk/saker/{year}/{seq}/",
            "search 'strategi'": "/politikk/sok/?q=strategi",
            "Atom feed": "/politikk/vedtak.atom",
            "iCalendar (KST)": f"/politikk/utvalg/{kst.pk}/moter.ics",
            "API meeting list": "/api/oparl/meeting/",
            "API paper list": "/api/oparl/paper/",
        }
        client = Client(HTTP_HOST="fjordvik.localhost")
        print(f"{len(meetings)} meetings in Fjordvik; {args.requests} sequential requests per URL")
        for label, path in urls.items():
            for _ in range(3):
                assert client.get(path).status_code == 200, path
            times = []
            for _ in range(args.requests):
                t0 = time.perf_counter()
                client.get(path)
                times.append(time.perf_counter() - t0)
            times.sort()
            print(
                f"  {label:28s} median {statistics.median(times) * 1000:6.1f} ms  "
                f"p95 {times[int(0.95 * (len(times) - 1))] * 1000:6.1f} ms  "
                f"{len(times) / sum(times):6.0f} req/s"
            )

        secretary = User.objects.get(username="fjordvik.politikk")
        series = archive_selectors.series_current(actor=secretary, municipality=fjordvik)
        body = Body.objects.get(municipality=fjordvik, abbreviation="FSK")
        scheme = series.classification_system
        bodies_class = scheme.classes.get(class_id="033") if scheme is not None else None
        when = timezone.now() + dt.timedelta(days=400)
        meeting = services.meeting_schedule(
            actor=secretary,
            municipality=fjordvik,
            body=body,
            starts_at=when,
            ends_at=when + dt.timedelta(hours=2),
            place="Rådhuset",
        )
        count = max(20, args.requests // 4)
        t0 = time.perf_counter()
        items = []
        for index in range(count):
            case_file = archive_services.case_file_create(
                actor=secretary,
                municipality=fjordvik,
                series=series,
                title=f"Sak {index}",
                administrative_unit="Stab",
                case_responsible="Per",
                primary_class=bodies_class,  # the series has a scheme: every case under a class
            )
            items.append(
                services.agenda_item_add(
                    actor=secretary,
                    municipality=fjordvik,
                    meeting=meeting,
                    case_file=case_file,
                    title=f"Sak {index}",
                )
            )
        added = time.perf_counter() - t0
        services.meeting_summon(actor=secretary, municipality=fjordvik, meeting=meeting)
        t0 = time.perf_counter()
        for item in items:
            services.decision_record(
                actor=secretary, municipality=fjordvik, item=item, text="Vedtatt.", unanimous=True
            )
        decided = time.perf_counter() - t0
        print(f"  case + agenda_item_add (saksframlegg in the archive): {count / added:6.1f} items/s")
        print(f"  decision_record:                                     {count / decided:6.1f} decisions/s")
        print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    finally:
        from django.db import connections

        connections.close_all()
        drop_database(url, BENCH_DB)


if __name__ == "__main__":
    main()
