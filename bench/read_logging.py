"""Benchmark: what read logging (issue 22 §4, decision 0226) costs the Noark 5 API's reads by
systemID, with and without it in the same run, under the same gunicorn settings.

    .venv/bin/python bench/read_logging.py [--entries 200] [--read-requests 2400] [--clients 8]
    .venv/bin/python bench/read_logging.py --short

Uses DATABASE_URL (or starts the embedded server), in a fresh database ``ekommune_bench_reads``.
Screened journalposts with one document file each; two kinds of read, each a logged read:

- **entry**: GET ``sakarkiv/journalpost/<systemID>/`` of a screened entry (its full data);
- **file**: GET ``arkivstruktur/dokumentobjekt/<systemID>/fil/`` (the file's bytes).

Each is run with read logging (the platform as it is) and without it (``bench.wsgi_no_read_log``:
the same application with ``read_note`` a no-op), alternating off/on twice after a warm-up; the
figures are the mean of the two rounds. Target: p50 + < 1 ms (one client: the cost of a
request, not the queue of a saturated machine) and the rate of 8 clients lowered by < 10 %.
After the runs the audit chain is verified and the logged reads are counted.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from bench.archive_registration import (
    api_login,
    cases_create,
    load,
    prepare,
    server_start,
    server_stop,
    setup_django,
)
from bench.common import database_url, recreate_database

BENCH_DB = "ekommune_bench_reads"
APPS = {"off": "bench.wsgi_no_read_log:application", "on": "ekommune.wsgi:application"}


def entries_create(municipality: Any, worker: Any, series: Any, count: int) -> list[tuple[str, str]]:
    """``count`` screened incoming entries with a small PDF each: (entry path, file path) pairs."""
    from ekommune.archive import services

    cases = cases_create(municipality, worker, series, count=max(1, count // 10))
    screening = services.ScreeningInput(access_restriction="13", legal_basis="Offl. § 13 jf. fvl. § 13")
    found = []
    for i in range(count):
        entry = services.registry_entry_register(
            actor=worker,
            municipality=municipality,
            case_file=cases[i % len(cases)],
            entry_type="I",
            title=f"Søknad {i}",
            parties=[services.PartyInput(party_type="EA", name=f"Person {i}")],
            documents=[
                services.DocumentInput(
                    title="Søknad",
                    file_name="soknad.pdf",
                    content=io.BytesIO(b"%PDF-1.7\n" + os.urandom(2048)),
                )
            ],
            screening=screening,
        )
        found.append(
            (
                f"/api/noark5/sakarkiv/journalpost/{entry.system_id}/",
                f"/api/noark5/arkivstruktur/dokumentobjekt/{entry.registered_files[0].system_id}/fil/",
            )
        )
    return found


def reads_logged(municipality: Any) -> int:
    from ekommune.core.models import AuditEvent

    return AuditEvent.objects.filter(chain_key=municipality.pk, action__startswith="read.").count()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entries", type=int, default=200)
    parser.add_argument("--read-requests", type=int, default=2400)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--single-requests", type=int, default=400, help="one client: the latency runs")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WEB_WORKERS", "4")))
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--short", action="store_true")
    parser.add_argument("--json", help="write the figures to this file as JSON")
    args = parser.parse_args()
    if args.short:
        args.entries, args.read_requests, args.single_requests = 100, 1200, 300
    url, embedded = database_url()
    bench_url = recreate_database(url, BENCH_DB)
    setup_django(bench_url)
    municipality, worker, series = prepare()
    targets = entries_create(municipality, worker, series, args.entries)
    from django.db import connections

    from ekommune.core.selectors import audit_chain_verify

    connections.close_all()
    print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}, {time.strftime('%Y-%m-%d %H:%M')}"
    )
    rounds: dict[str, list[dict[str, Any]]] = {}
    logged_before = reads_logged(municipality)
    for label in ["off", "on", "off", "on"]:
        server = server_start(APPS[label], bench_url, args.port, args.workers)
        try:
            headers = api_login(args.port)
            for kind, column in (("entry", 0), ("file", 1)):
                paths = [pair[column] for pair in targets]
                request_headers = headers if kind == "entry" else {**headers, "Accept": "*/*"}

                def get(
                    number: int, i: int, paths: list[str] = paths, h: dict[str, str] = request_headers
                ) -> Any:
                    return "GET", paths[(number * 997 + i) % len(paths)], None, h

                load(port=args.port, clients=args.clients, requests=args.clients * 10, request=get, expect=200,
                     server_pid=server.pid, url=bench_url, dbname=BENCH_DB)  # fmt: skip  # warm-up
                result = load(port=args.port, clients=args.clients, requests=args.read_requests, request=get,
                              expect=200, server_pid=server.pid, url=bench_url, dbname=BENCH_DB)  # fmt: skip
                result.pop("answers")
                single = load(port=args.port, clients=1, requests=args.single_requests, request=get,
                              expect=200, server_pid=server.pid, url=bench_url, dbname=BENCH_DB)  # fmt: skip
                result["p50_single_ms"] = single["p50_ms"]
                rounds.setdefault(f"{kind}_{label}", []).append(result)
        finally:
            server_stop(server)
    logged = reads_logged(municipality) - logged_before
    expected_logged = sum(
        r["requests"] + args.single_requests
        for key, runs in rounds.items()
        if key.endswith("_on")
        for r in runs
    )
    figures: dict[str, Any] = {}
    for kind in ("entry", "file"):
        off = {
            k: statistics.mean(r[k] for r in rounds[f"{kind}_off"])
            for k in ("per_second", "p50_ms", "p95_ms", "server_cpu_ms", "database_cpu_ms", "p50_single_ms")
        }
        on = {k: statistics.mean(r[k] for r in rounds[f"{kind}_on"]) for k in off}
        added = on["p50_single_ms"] - off["p50_single_ms"]
        lowered = 1 - on["per_second"] / off["per_second"]
        figures[kind] = {"off": off, "on": on, "p50_added_ms": added, "rate_lowered": lowered}
        print(
            f"{kind}: one client: p50 {off['p50_single_ms']:.2f} ms without read logging, {on['p50_single_ms']:.2f} ms "
            f"with: {added:+.2f} ms (target < 1 ms)"
        )
        print(
            f"{kind}, {args.clients} clients: without read logging {off['per_second']:.0f} req/s, p50 {off['p50_ms']:.2f} ms, p95 "
            f"{off['p95_ms']:.2f} ms (CPU/req web {off['server_cpu_ms']:.2f}, PostgreSQL {off['database_cpu_ms']:.2f} ms); "
            f"with {on['per_second']:.0f} req/s, p50 {on['p50_ms']:.2f} ms, p95 {on['p95_ms']:.2f} ms (CPU/req web "
            f"{on['server_cpu_ms']:.2f}, PostgreSQL {on['database_cpu_ms']:.2f} ms): rate {-lowered:+.1%} "
            f"(target no lower than -10 %)"
        )
    report = audit_chain_verify(chain_key=municipality.pk)
    print(
        f"check: {logged} reads logged for {expected_logged} logged requests (plus warm-ups); audit chain "
        f"{'intact' if report.ok else 'BROKEN'} ({report.events} events)"
    )
    if logged < expected_logged or not report.ok:
        raise SystemExit("read log incomplete or chain broken")
    figures["reads_logged"] = logged
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1, default=str))
    if embedded is not None:
        embedded.stop()  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
