"""Benchmark: registering registry entries through the services and the Noark 5 API, each against
a ceiling measured in the same run (issue 19).

    .venv/bin/python bench/archive_registration.py [--entries 20000] [--requests 1600] [--clients 8]
    .venv/bin/python bench/archive_registration.py --short          # what `make bench` runs

Uses DATABASE_URL (or starts the embedded server), in a fresh database ``ekommune_bench``.

- **bulk**: ``registry_entries_register_bulk`` (entries with a correspondence party each, numbers
  and hash-chained audit events) against **raw COPY** of the same rows into the same tables
  (prepared beforehand, a municipality of its own): target >= 10,000 entries/s and >= 20 % of
  raw COPY. One at a time (``registry_entry_register``) for comparison.
- **API create**: POST ``ny-journalpost`` (authentication, permission, validation, gapless
  numbers, audit event) against the **bare-Django ceiling** (bench/ceiling.py: a gapless number
  and one INSERT) under the same gunicorn settings: target >= 75 % of the ceiling, p95 < 50 ms.
- **API read**: GET a journalpost by systemID (permission and screening included) against the
  ceiling's GET of one row by UUID: target >= 75 %.

Beside every rate: the CPU per request of the web server (its process tree), of PostgreSQL (the
backends connected to the benchmark's database) and of the load generator, and the SQL
statements per request (in-process, Django's test client). After each API run the journal
numbers are checked for gaps and duplicates and the audit chains are verified.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

sys.path.insert(0, str(ROOT))

from bench.common import (
    backends_cpu_used,
    ceiling_tables_create,
    database_backends_cpu,
    database_url,
    peak_rss_mb,
    percentile,
    process_tree_cpu,
    recreate_database,
)

BENCH_DB = "ekommune_bench"
PASSWORD = "benchmark-passord-2026"  # noqa: S105
NOARK_JSON = "application/vnd.noark5+json"


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "ekommune.conf.dev"
    os.environ["DJANGO_DEBUG"] = "false"  # no query log: measure what production runs
    os.environ.setdefault("EKOMMUNE_LOG_LEVEL", "WARNING")
    os.environ.setdefault("EKOMMUNE_MEDIA_ROOT", str(ROOT / "var" / "bench-media"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def prepare(slug: str = "benk", number: str = "9999", host: str = "localhost") -> tuple[Any, Any, Any]:
    from ekommune.archive import services
    from ekommune.core.models import Role, User
    from ekommune.core.services import municipality_create, staff_user_create

    operator = User.objects.filter(username="bench-operator").first() or User.objects.create_superuser(
        username="bench-operator", password=PASSWORD, email="op@bench.invalid"
    )
    municipality = municipality_create(
        actor=operator,
        name=f"{slug.capitalize()} kommune",
        slug=slug,
        number=number,
        organisation_number="987654325" if slug == "benk" else "998877660",
        # As in production, the API is reached on the municipality's own host name: an unknown host is
        # looked up on every request (misses are not remembered, decision 0131).
        host_names=[host],
    )
    worker = staff_user_create(
        actor=operator,
        municipality=municipality,
        username="bench" if slug == "benk" else f"bench-{slug}",
        first_name="Benk",
        last_name="Arkivar",
        email=f"{slug}@bench.invalid",
        password=PASSWORD,
        roles=[Role.RECORDS_MANAGER],
    )
    fonds = services.fonds_create(actor=worker, municipality=municipality, title="Benk arkiv")
    system = services.classification_system_create(
        actor=worker, municipality=municipality, title="Nøkkel", classes=[("064", "IT")]
    )
    series = services.series_create(
        actor=worker, municipality=municipality, fonds=fonds, title="Sakarkiv", classification_system=system
    )
    return municipality, worker, series


def cases_create(municipality: Any, worker: Any, series: Any, count: int = 20) -> list[Any]:
    from ekommune.archive import services

    it_class = series.classification_system.classes.get(class_id="064")
    return [
        services.case_file_create(
            actor=worker,
            municipality=municipality,
            series=series,
            title=f"Sak {i}",
            administrative_unit="Teknisk",
            case_responsible="Benk",
            primary_class=it_class,  # the series has a scheme: every case under a class
        )
        for i in range(count)
    ]


# ---------------------------------------------------------------------------------------- checks


def numbers_check(municipality: Any) -> str:
    """Journal numbers of the municipality without gaps or duplicates in each year, entry numbers
    1..n in each case, and every audit chain intact; raises SystemExit otherwise."""
    from django.db import connection

    from ekommune.core.selectors import audit_chain_keys, audit_chain_verify

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT journal_year, count(*), count(DISTINCT journal_sequence_number), "
            "min(journal_sequence_number), max(journal_sequence_number) FROM archive_registryentry "
            "WHERE municipality_id = %s AND journal_year IS NOT NULL GROUP BY journal_year",
            [municipality.pk],
        )
        for year, count, distinct, low, high in cursor.fetchall():
            if not (count == distinct == high and low == 1):
                raise SystemExit(
                    f"journal numbers {year}: {count} entries, {distinct} distinct, {low}..{high}"
                )
        cursor.execute(
            "SELECT count(*) FROM (SELECT case_file_id FROM archive_registryentry WHERE municipality_id = %s "
            "GROUP BY case_file_id HAVING count(*) <> max(entry_number) "
            "OR count(DISTINCT entry_number) <> count(*)) broken",
            [municipality.pk],
        )
        broken = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FROM archive_registryentry WHERE municipality_id = %s", [municipality.pk]
        )
        entries = cursor.fetchone()[0]
    if broken:
        raise SystemExit(f"entry numbers: {broken} cases with gaps or duplicates")
    events = 0
    for key in audit_chain_keys():
        report = audit_chain_verify(chain_key=key)
        if not report.ok:
            raise SystemExit(f"audit chain {key} broken: {report.first_break}")
        events += report.events
    return f"{entries} entries gapless, no duplicates; audit chains intact ({events} events)"


# ------------------------------------------------------------------------------------------ bulk


def bench_raw_copy(entries: int) -> dict[str, float]:
    """The ceiling of bulk registration: COPY of prepared rows (entries, one party each, hash-chained
    audit events) into the same tables, for a municipality of its own."""
    import datetime as dt

    from django.db import connection, transaction
    from django.utils import timezone

    from ekommune.core.audit import GENESIS_HASH, canonical_event, chain_hash

    municipality, worker, series = prepare(slug="tak", number="9998", host="tak.localhost")
    cases = cases_create(municipality, worker, series)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sequence, hash FROM core_auditevent WHERE chain_key = %s ORDER BY sequence DESC LIMIT 1",
            [municipality.pk],
        )
        sequence, previous = cursor.fetchone() or (0, GENESIS_HASH)
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('archive_registryentry', 'id')) FROM generate_series(1, %s)",
            [entries],
        )
        ids = [row[0] for row in cursor.fetchall()]
    now = timezone.now()
    today = timezone.localdate(now)
    year = 1999  # a year of its own: no counter is touched, as raw COPY would not
    entry_rows, party_rows, event_rows = [], [], []
    per_case: dict[int, int] = {}
    for index, pk in enumerate(ids):
        case = cases[index % len(cases)]
        per_case[case.pk] = per_case.get(case.pk, 0) + 1
        system_id = uuid.uuid4()
        entry_rows.append(
            (pk, municipality.pk, system_id, now, "Benk", now, "", case.pk, "journalpost", per_case[case.pk],
             year, index + 1, "I", "J", f"Søknad nr. {index}", "", "", "E", today, None, now, None, None,
             "Teknisk", "Benk", None, None, "")
        )  # fmt: skip
        party_rows.append(
            (municipality.pk, uuid.uuid4(), pk, "EA", "person", "Ola Nordmann", "", "5490", "Fjordvik",
             "", "", "", "", "", "", "", "")
        )  # fmt: skip
        sequence += 1
        detail = {"registreringsID": f"{case.file_id}-{per_case[case.pk]}", "type": "I"}
        canonical = canonical_event(
            chain_key=municipality.pk, sequence=sequence, municipality_id=municipality.pk, occurred_at=now,
            actor_id=worker.pk, actor_label=worker.username, action="archive.registry_entry.register",
            object_type="journalpost", object_id=str(system_id), detail=detail,
        )  # fmt: skip
        event_hash = chain_hash(previous, canonical)
        event_rows.append(
            (municipality.pk, sequence, municipality.pk, now, worker.pk, worker.username,
             "archive.registry_entry.register", "journalpost", str(system_id), json.dumps(detail),
             previous, event_hash)
        )  # fmt: skip
        previous = event_hash
    del dt
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(
            "COPY archive_registryentry (id, municipality_id, system_id, created_at, created_by, updated_at, "
            "updated_by, case_file_id, record_type, entry_number, journal_year, journal_sequence_number, "
            "entry_type, status, title, public_title, description, document_medium, journal_date, "
            "document_date, received_date, sent_date, due_date, administrative_unit, case_handler, "
            "screening_id, archived_at, archived_by) FROM STDIN"
        ) as copy:
            for row in entry_rows:
                copy.write_row(row)
        with raw.copy(
            "COPY archive_correspondenceparty (municipality_id, system_id, registry_entry_id, party_type, kind, "
            "name, postal_address, postal_code, city, country, email, phone, contact_person, "
            "organisation_number, national_identity_number, administrative_unit, case_handler) FROM STDIN"
        ) as copy:
            for row in party_rows:
                copy.write_row(row)
        with raw.copy(
            "COPY core_auditevent (chain_key, sequence, municipality_id, occurred_at, actor_id, actor_label, "
            "action, object_type, object_id, detail, previous_hash, hash) FROM STDIN"
        ) as copy:
            for row in event_rows:
                copy.write_row(row)
    seconds = time.perf_counter() - started
    return {"entries": entries, "seconds": seconds, "per_second": entries / seconds}


def bench_services(
    municipality: Any, worker: Any, cases: list[Any], entries: int, batch: int, single: int
) -> dict[str, float]:
    """Bulk (``registry_entries_register_bulk``, ``batch`` entries a transaction) and one at a time."""
    from ekommune.archive import services

    party = services.PartyInput(party_type="EA", name="Ola Nordmann", postal_code="5490", city="Fjordvik")
    started = time.perf_counter()
    cpu = time.process_time()
    done = 0
    while done < entries:
        size = min(batch, entries - done)
        services.registry_entries_register_bulk(
            actor=worker,
            municipality=municipality,
            entries=[
                services.EntryInput(
                    case_file=cases[(done + k) % len(cases)],
                    entry_type="I",
                    title=f"Søknad nr. {done + k}",
                    parties=[party],
                )
                for k in range(size)
            ],
        )
        done += size
    bulk_seconds = time.perf_counter() - started
    bulk_cpu = time.process_time() - cpu
    started = time.perf_counter()
    for i in range(single):
        services.registry_entry_register(
            actor=worker,
            municipality=municipality,
            case_file=cases[i % len(cases)],
            entry_type="I",
            title=f"Enkeltvis {i}",
            parties=[party],
        )
    single_seconds = time.perf_counter() - started
    return {
        "entries": entries,
        "seconds": bulk_seconds,
        "per_second": entries / bulk_seconds,
        "cpu_us_per_entry": bulk_cpu / entries * 1e6,
        "single": single,
        "single_per_second": single / single_seconds,
    }


# --------------------------------------------------------------------------- in-process: statements


def bench_in_process(case: Any, rounds: int) -> dict[str, float]:
    """SQL statements and CPU per request of POST ny-journalpost and GET journalpost, in this
    process through Django's test client (no network, no other process): the steadiest figures."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="localhost")
    answer = client.post(
        "/api/noark5/login/rfc6749/token/",
        {"grant_type": "password", "username": "bench", "password": PASSWORD},
    )
    headers = {"HTTP_AUTHORIZATION": f"Bearer {answer.json()['access_token']}", "HTTP_ACCEPT": NOARK_JSON}
    path = f"/api/noark5/sakarkiv/saksmappe/{case.system_id}/ny-journalpost/"

    def post(i: int) -> Any:
        body = json.dumps({"tittel": f"Prosess {i}", "journalposttype": {"kode": "I"}})
        response = client.post(path, body, content_type=NOARK_JSON, **headers)
        assert response.status_code == 201, response.content
        return response

    for i in range(10):
        system_id = post(i).json()["systemID"]
    read = f"/api/noark5/sakarkiv/journalpost/{system_id}/"
    connection.queries_log.clear()  # a full log (it keeps 9,000) would capture nothing
    with CaptureQueriesContext(connection) as posted:
        post(-1)
    with CaptureQueriesContext(connection) as got:
        assert client.get(read, **headers).status_code == 200
    post_sql = [query["sql"] for query in posted.captured_queries]  # read now: the next request clears them
    get_sql = [query["sql"] for query in got.captured_queries]
    post_cpu, get_cpu = [], []
    for i in range(rounds):
        started = time.process_time()
        post(i)
        post_cpu.append(time.process_time() - started)
        started = time.process_time()
        client.get(read, **headers)
        get_cpu.append(time.process_time() - started)
    return {
        "post_statements": len(post_sql),
        "get_statements": len(get_sql),
        "post_cpu_ms": statistics.median(post_cpu) * 1000,
        "get_cpu_ms": statistics.median(get_cpu) * 1000,
        "post_sql": [sql[:120] for sql in post_sql],
    }


# ------------------------------------------------------------------------------------ over HTTP


def server_start(app: str, url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    """gunicorn with ``workers`` sync workers on 127.0.0.1:port, serving ``app``; ready when it returns."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "ekommune.conf.dev",
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1",
        "EKOMMUNE_LOG_LEVEL": "WARNING",
        "PYTHONPATH": f"{ROOT}:{ROOT / 'src'}",
    }
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), app, "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--log-level", "warning"],
        env=env,
        cwd=ROOT,
    )  # fmt: skip
    for _ in range(200):
        try:
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            probe.request("GET", "/healthz")
            if probe.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit(f"gunicorn ({app}) did not start")


def server_stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    server.wait(timeout=15)


Request = Callable[[int, int], tuple[str, str, str | None, dict[str, str]]]


def load(
    *,
    port: int,
    clients: int,
    requests: int,
    request: Request,
    expect: int,
    server_pid: int,
    url: str,
    dbname: str,
) -> dict[str, Any]:
    """``clients`` threads with a keep-alive connection each send ``requests`` in all; rate,
    latencies, and the CPU the server, PostgreSQL and this process spent per request."""
    latencies: list[float] = []
    errors: list[str] = []
    answers: list[bytes] = []
    lock = threading.Lock()
    per_client = requests // clients

    def client(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, bodies = [], []
        for i in range(per_client):
            method, path, body, headers = request(number, i)
            start = time.perf_counter()
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            content = response.read()
            mine.append(time.perf_counter() - start)
            if response.status != expect:
                with lock:
                    errors.append(f"{response.status} {content[:200]!r}")
            bodies.append(content)
        with lock:
            latencies.extend(mine)
            answers.extend(bodies)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    server_before = process_tree_cpu(server_pid)
    database_before = database_backends_cpu(url, dbname)
    own_before = time.process_time()
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    own = time.process_time() - own_before
    server_cpu = process_tree_cpu(server_pid) - server_before
    database_cpu = backends_cpu_used(database_before, database_backends_cpu(url, dbname))
    if errors:
        raise SystemExit(f"HTTP errors: {errors[:3]} ({len(errors)} in all)")
    count = len(latencies)
    return {
        "requests": count,
        "per_second": count / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": percentile(latencies, 0.95) * 1000,
        "server_cpu_ms": server_cpu / count * 1000,
        "database_cpu_ms": database_cpu / count * 1000,
        "client_cpu_ms": own / count * 1000,
        "answers": answers,
    }


def api_login(port: int) -> dict[str, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(
        "POST",
        "/api/noark5/login/rfc6749/token/",
        urlencode({"grant_type": "password", "username": "bench", "password": PASSWORD}),
        {"Content-Type": "application/x-www-form-urlencoded", "Host": "localhost"},
    )
    answer = conn.getresponse()
    grant = json.loads(answer.read() or b"{}")
    if "access_token" not in grant:
        raise SystemExit(f"login failed: HTTP {answer.status} {grant}")
    return {
        "Authorization": f"Bearer {grant['access_token']}",
        "Accept": NOARK_JSON,
        "Content-Type": NOARK_JSON,
        "Host": "localhost",
    }


def bench_http(
    url: str, dbname: str, cases: list[Any], args: argparse.Namespace
) -> dict[str, dict[str, Any]]:
    """The ceiling's POST and GET, then the API's, each under the same gunicorn settings."""
    results: dict[str, dict[str, Any]] = {}
    plain = {"Content-Type": "application/json", "Accept": "application/json", "Host": "localhost"}
    server = server_start("bench.ceiling:application", url, args.port, args.workers)
    try:

        def ceiling_post(number: int, i: int) -> tuple[str, str, str | None, dict[str, str]]:
            return "POST", "/ceiling/register/", json.dumps({"tittel": f"Innspill {number}-{i}"}), plain

        for _ in range(2):  # the first round warms the workers and their connections
            results["ceiling_create"] = load(
                port=args.port, clients=args.clients, requests=args.requests, request=ceiling_post,
                expect=201, server_pid=server.pid, url=url, dbname=dbname,
            )  # fmt: skip
        ceiling_ids = [json.loads(body)["systemID"] for body in results["ceiling_create"].pop("answers")]

        def ceiling_get(number: int, i: int) -> tuple[str, str, str | None, dict[str, str]]:
            return "GET", f"/ceiling/entry/{ceiling_ids[(number * 997 + i) % len(ceiling_ids)]}/", None, plain

        results["ceiling_read"] = load(
            port=args.port, clients=args.clients, requests=args.read_requests, request=ceiling_get,
            expect=200, server_pid=server.pid, url=url, dbname=dbname,
        )  # fmt: skip
        results["ceiling_read"].pop("answers")
    finally:
        server_stop(server)

    server = server_start("ekommune.wsgi:application", url, args.port, args.workers)
    try:
        headers = api_login(args.port)
        paths = [f"/api/noark5/sakarkiv/saksmappe/{case.system_id}/ny-journalpost/" for case in cases]

        def api_post(number: int, i: int) -> tuple[str, str, str | None, dict[str, str]]:
            body = json.dumps({"tittel": f"Innspill {number}-{i}", "journalposttype": {"kode": "I"}})
            return "POST", paths[(number + i) % len(paths)], body, headers

        load(
            port=args.port, clients=args.clients, requests=args.clients * 10, request=api_post,
            expect=201, server_pid=server.pid, url=url, dbname=dbname,
        )  # fmt: skip  # warm-up
        results["api_create"] = load(
            port=args.port, clients=args.clients, requests=args.requests, request=api_post,
            expect=201, server_pid=server.pid, url=url, dbname=dbname,
        )  # fmt: skip
        links = [
            urlparse(json.loads(body)["_links"]["self"]["href"]).path
            for body in results["api_create"].pop("answers")
        ]

        def api_get(number: int, i: int) -> tuple[str, str, str | None, dict[str, str]]:
            return "GET", links[(number * 997 + i) % len(links)], None, headers

        results["api_read"] = load(
            port=args.port, clients=args.clients, requests=args.read_requests, request=api_get,
            expect=200, server_pid=server.pid, url=url, dbname=dbname,
        )  # fmt: skip
        results["api_read"].pop("answers")
    finally:
        server_stop(server)
    return results


def rate_line(name: str, result: dict[str, Any]) -> str:
    return (
        f"{name}: {result['requests']} requests, {result['per_second']:.0f} req/s, p50 {result['p50_ms']:.1f} ms, "
        f"p95 {result['p95_ms']:.1f} ms; CPU per request: server {result['server_cpu_ms']:.2f} ms, "
        f"PostgreSQL {result['database_cpu_ms']:.2f} ms, load generator {result['client_cpu_ms']:.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entries", type=int, default=20000, help="bulk registrations (and raw COPY rows)")
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--single", type=int, default=300, help="registrations one at a time")
    parser.add_argument("--requests", type=int, default=1600)
    parser.add_argument("--read-requests", type=int, default=3200)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WEB_WORKERS", "4")))
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--short", action="store_true", help="a short run (make bench)")
    parser.add_argument("--json", help="write the figures to this file as JSON")
    parser.add_argument("--no-http", action="store_true", help="services and in-process figures only")
    args = parser.parse_args()
    if args.short:
        args.entries, args.single, args.requests, args.read_requests = 10000, 100, 800, 1600
    url, embedded = database_url()
    bench_url = recreate_database(url, BENCH_DB)
    setup_django(bench_url)
    ceiling_tables_create(bench_url)
    municipality, worker, series = prepare()
    cases = cases_create(municipality, worker, series)
    print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}, {time.strftime('%Y-%m-%d %H:%M')}"
    )
    figures: dict[str, Any] = {}
    raw = bench_raw_copy(args.entries)
    bulk = bench_services(municipality, worker, cases, args.entries, args.batch, args.single)
    figures["bulk"] = {
        **bulk,
        "raw_copy_per_second": raw["per_second"],
        "ratio": bulk["per_second"] / raw["per_second"],
    }
    print(
        f"bulk: registry_entries_register_bulk {bulk['entries']} entries in {bulk['seconds']:.2f} s = "
        f"{bulk['per_second']:,.0f}/s ({bulk['cpu_us_per_entry']:.0f} µs CPU/entry in this process); raw COPY of the "
        f"same rows {raw['per_second']:,.0f}/s; ratio {figures['bulk']['ratio']:.0%} (target >= 10,000/s and >= 20 %); "
        f"one transaction each: {bulk['single_per_second']:.0f}/s; peak RSS {peak_rss_mb():.0f} MB"
    )
    print("check:", numbers_check(municipality))
    in_process = bench_in_process(cases[0], 50 if args.short else 200)
    figures["in_process"] = {k: v for k, v in in_process.items() if k != "post_sql"}
    print(
        f"in-process: POST ny-journalpost {in_process['post_statements']} SQL statements, CPU median "
        f"{in_process['post_cpu_ms']:.2f} ms; GET journalpost {in_process['get_statements']} statements, "
        f"{in_process['get_cpu_ms']:.2f} ms"
    )
    for sql in in_process["post_sql"]:
        print("   ", sql.replace("\n", " "))
    from django.db import connections

    connections.close_all()
    if not args.no_http:
        http_results = bench_http(bench_url, BENCH_DB, cases, args)
        for name, result in http_results.items():
            print(rate_line(name, result))
        create_ratio = http_results["api_create"]["per_second"] / http_results["ceiling_create"]["per_second"]
        read_ratio = http_results["api_read"]["per_second"] / http_results["ceiling_read"]["per_second"]
        print(
            f"ratio API create / ceiling: {create_ratio:.0%} (target >= 75 %, p95 < 50 ms: "
            f"{http_results['api_create']['p95_ms']:.1f} ms); API read / ceiling: {read_ratio:.0%} (target >= 75 %)"
        )
        figures.update(http_results)
        figures["create_ratio"], figures["read_ratio"] = create_ratio, read_ratio
        print("check:", numbers_check(municipality))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1, default=str))
    if embedded is not None:
        embedded.stop()  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
