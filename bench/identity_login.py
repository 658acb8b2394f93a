"""Benchmark: complete citizen logins through the stand-in ID-porten (a real process on localhost).

    .venv/bin/python bench/identity_login.py [--logins 300] [--clients 4]

One login = our login start (PKCE, state, nonce) → the provider's /authorize → our callback, which
exchanges the code at /token and validates the RS256 ID token (discovery and JWKS cached) → citizen
session. Django runs in this process (test client, one per thread); the provider is its own process.
Uses DATABASE_URL (or the embedded server), in a fresh database ``ekommune_bench_identity`` that it
creates and drops. Prints logins per second and latency percentiles.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

sys.path.insert(0, str(ROOT))

from bench.common import database_url, drop_database, percentile, recreate_database

BENCH_DB = "ekommune_bench_identity"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--logins", type=int, default=300)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()

    server_url, _server = database_url()
    url = recreate_database(server_url, BENCH_DB)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "ekommune.conf.test"
    os.environ.setdefault("EKOMMUNE_LOG_LEVEL", "ERROR")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import requests
    from django.db import connection
    from django.test import Client

    from ekommune.core.models import User
    from ekommune.core.services import municipality_create
    from ekommune.identity.services import identity_provider_create
    from ekommune.identity.testing import TEST_PERSON_NUMBERS
    from ekommune.testing import STANDIN_CLIENT_ID, STANDIN_CLIENT_SECRET, standin_op

    operator = User.objects.create_superuser(username="bench-op", password="x" * 20, email="op@bench.invalid")
    municipality = municipality_create(
        actor=operator,
        name="Benk kommune",
        slug="benk",
        number="9999",
        organisation_number="987654325",
        host_names=["benk.test"],
    )
    try:
        with standin_op() as issuer:
            provider = identity_provider_create(
                actor=operator,
                municipality=municipality,
                kind="idporten",
                name="ID-porten",
                issuer=issuer,
                client_id=STANDIN_CLIENT_ID,
                client_secret=STANDIN_CLIENT_SECRET,
            )
            start_path = f"/innbygger/innlogging/{provider.pk}/?next=/"
            timings: list[float] = []
            page_timings: list[float] = []
            lock = threading.Lock()

            def one_login(client: Client, http: requests.Session, person: str) -> None:
                began = time.perf_counter()
                start = client.get(start_path)
                answer = http.get(
                    start["Location"], params={"pid": person}, allow_redirects=False, timeout=10
                )
                back = urlsplit(answer.headers["Location"])
                done = client.get(f"{back.path}?{back.query}")
                assert done.status_code == 302, done.status_code
                elapsed = time.perf_counter() - began
                page_began = time.perf_counter()
                assert client.get("/innbygger/innlogging/").status_code == 200
                with lock:
                    timings.append(elapsed)
                    page_timings.append(time.perf_counter() - page_began)

            def worker(count: int, index: int) -> None:
                http = requests.Session()
                try:
                    for i in range(count):
                        one_login(Client(HTTP_HOST="benk.test"), http, TEST_PERSON_NUMBERS[(index + i) % 3])
                finally:
                    connection.close()

            worker(10, 0)  # warm up: discovery, JWKS, connections
            timings.clear()
            page_timings.clear()
            per_client = max(1, args.logins // args.clients)
            threads = [threading.Thread(target=worker, args=(per_client, n)) for n in range(args.clients)]
            began = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            seconds = time.perf_counter() - began
    finally:
        connection.close()
        drop_database(url, BENCH_DB)

    total = len(timings)
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"complete logins (start → /authorize → callback → /token → ID token validated): {total}")
    print(f"  {args.clients} concurrent clients: {total / seconds:.1f} logins/s")
    print(
        f"  latency per login: median {statistics.median(timings) * 1000:.1f} ms, "
        f"p95 {percentile(timings, 0.95) * 1000:.1f} ms"
    )
    print(
        f"  login page: median {statistics.median(page_timings) * 1000:.1f} ms, "
        f"p95 {percentile(page_timings, 0.95) * 1000:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
