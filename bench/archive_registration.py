"""Benchmark: registering registry entries through the service layer and through the Noark 5 API.

    .venv/bin/python bench/archive_registration.py [--entries 3000] [--requests 1500] [--clients 8]

Uses DATABASE_URL (or starts the embedded server), in a fresh database ``ekommune_bench`` that it
creates and drops. Targets (issue 4, 2 cores): >= 1,000 registrations/s through the services in
bulk; >= 150 requests/s through the API with 8 concurrent clients. Prints the figures.
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
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

sys.path.insert(0, str(ROOT))

from bench.common import database_url, percentile, recreate_database

BENCH_DB = "ekommune_bench"
PASSWORD = "benchmark-passord-2026"  # noqa: S105


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


def prepare() -> tuple[object, object, object]:
    from ekommune.archive import services
    from ekommune.core.models import Role, User
    from ekommune.core.services import municipality_create, staff_user_create

    operator = User.objects.create_superuser(
        username="bench-operator", password=PASSWORD, email="op@bench.invalid"
    )
    municipality = municipality_create(
        actor=operator,
        name="Benk kommune",
        slug="benk",
        number="9999",
        organisation_number="987654325",
        # As in production, the API is reached on the municipality's own host name: an unknown host is
        # looked up on every request (misses are not remembered, decision 0131).
        host_names=["localhost"],
    )
    worker = staff_user_create(
        actor=operator,
        municipality=municipality,
        username="bench",
        first_name="Benk",
        last_name="Arkivar",
        email="bench@bench.invalid",
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


def bench_services(
    municipality: object, worker: object, series: object, entries: int, batch: int
) -> dict[str, float]:
    """Bulk (``registry_entries_register_bulk``, ``batch`` entries a transaction) and one at a time."""
    from ekommune.archive import services

    it_class = series.classification_system.classes.get(class_id="064")  # type: ignore[attr-defined]
    party = services.PartyInput(party_type="EA", name="Ola Nordmann", postal_code="5490", city="Fjordvik")
    cases = [
        services.case_file_create(
            actor=worker,
            municipality=municipality,
            series=series,
            title=f"Sak {i}",  # type: ignore[arg-type]
            administrative_unit="Teknisk",
            case_responsible="Benk",
            primary_class=it_class,  # the series has a scheme: every case under a class
        )
        for i in range(20)
    ]
    started = time.perf_counter()
    done = 0
    while done < entries:
        size = min(batch, entries - done)
        services.registry_entries_register_bulk(
            actor=worker,
            municipality=municipality,  # type: ignore[arg-type]
            entries=[
                services.EntryInput(
                    case_file=cases[(done + k) % len(cases)],
                    entry_type="I",
                    title=f"Søknad nr. {done + k}",
                    parties=[party],
                )  # type: ignore[arg-type]
                for k in range(size)
            ],
        )
        done += size
    bulk_seconds = time.perf_counter() - started
    single = max(1, entries // 5)
    started = time.perf_counter()
    for i in range(single):
        services.registry_entry_register(
            actor=worker,
            municipality=municipality,
            case_file=cases[i % len(cases)],
            entry_type="I",  # type: ignore[arg-type]
            title=f"Enkeltvis {i}",
            parties=[party],
        )
    single_seconds = time.perf_counter() - started
    return {
        "entries": entries,
        "seconds": bulk_seconds,
        "per_second": entries / bulk_seconds,
        "single": single,
        "single_per_second": single / single_seconds,
    }


def bench_api(url: str, requests: int, clients: int, port: int) -> dict[str, float]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "ekommune.conf.dev",
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1",
        "EKOMMUNE_LOG_LEVEL": "WARNING",
    }
    workers = os.environ.get("BENCH_WEB_WORKERS", str((os.cpu_count() or 2) + 1))
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "ekommune.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            workers,
            "--log-level",
            "warning",
            "--env",
            "DJANGO_SETTINGS_MODULE=ekommune.conf.dev",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        for _ in range(100):
            try:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                probe.request("GET", "/healthz")
                if probe.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.1)
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
        token = grant["access_token"]
        headers = {
            "Authorization": f"Bearer {token}",
            "Accept": "application/vnd.noark5+json",
            "Content-Type": "application/vnd.noark5+json",
            "Host": "localhost",
        }
        conn.request("GET", "/api/noark5/sakarkiv/saksmappe/?$top=20", headers=headers)
        cases = [
            c["_links"]["https://rel.arkivverket.no/noark5/v5/api/sakarkiv/ny-journalpost/"]["href"]
            for c in json.loads(conn.getresponse().read())["results"]
        ]
        paths = [urlparse(href).path for href in cases]
        latencies: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        per_client = requests // clients

        def client(number: int) -> None:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            for i in range(per_client):
                body = json.dumps({"tittel": f"Innspill {number}-{i}", "journalposttype": {"kode": "I"}})
                start = time.perf_counter()
                connection.request("POST", paths[(number + i) % len(paths)], body, headers)
                response = connection.getresponse()
                response.read()
                took = time.perf_counter() - start
                with lock:
                    latencies.append(took)
                    if response.status != 201:
                        errors.append(str(response.status))

        threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        if errors:
            raise SystemExit(f"API errors: {errors[:5]} ({len(errors)} in all)")
        return {
            "requests": len(latencies),
            "clients": clients,
            "seconds": elapsed,
            "per_second": len(latencies) / elapsed,
            "p50_ms": statistics.median(latencies) * 1000,
            "p95_ms": percentile(latencies, 0.95) * 1000,
        }
    finally:
        server.terminate()
        server.wait(timeout=15)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entries", type=int, default=3000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--requests", type=int, default=1600)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    url, server = database_url()
    bench_url = recreate_database(url, BENCH_DB)
    setup_django(bench_url)
    municipality, worker, series = prepare()
    print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    result = bench_services(municipality, worker, series, args.entries, args.batch)
    print(
        f"services, bulk: {result['entries']} registrations in {result['seconds']:.2f} s = {result['per_second']:.0f}/s "
        f"(target >= 1000/s); one transaction each: {result['single_per_second']:.0f}/s"
    )
    from django.db import connections

    connections.close_all()
    api = bench_api(bench_url, args.requests, args.clients, args.port)
    print(
        f"api: {api['requests']} POST ny-journalpost, {api['clients']} clients, {api['seconds']:.2f} s = {api['per_second']:.0f} req/s, "
        f"p50 {api['p50_ms']:.1f} ms, p95 {api['p95_ms']:.1f} ms (target >= 150 req/s)"
    )
    if server is not None:
        server.stop()  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
