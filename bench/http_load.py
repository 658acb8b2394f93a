"""Closed-loop HTTP load for the public benchmarks, and the bare-Django read ceiling beside them.

- ``Server``: gunicorn (sync workers) on 127.0.0.1 with the given WSGI application and settings;
  ``cpu_seconds()`` is the CPU its master and workers have used so far.
- ``run_load``: N client threads, each with one keep-alive connection, sending GETs one after
  another for a fixed time; latencies, rate, and the CPU per request of the server and of
  PostgreSQL over the run.
- ``bench.ceiling_app``: the ceiling, a bare Django view that reads one row by UUID with the ORM's
  cursor and answers JSON, under the same gunicorn settings.
"""

from __future__ import annotations

import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.common import cpu_seconds_of, percentile

ROOT = Path(__file__).resolve().parents[1]


def _process_cpu(pid: int) -> tuple[float, int]:
    """(CPU seconds of ``pid`` with its ended children, its parent pid)."""
    tick = os.sysconf("SC_CLK_TCK")
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return sum(int(value) for value in fields[11:15]) / tick, int(fields[1])


class Server:
    """gunicorn with ``workers`` sync workers serving ``app`` on ``port``."""

    def __init__(self, *, app: str, port: int, env: dict[str, str], workers: int = 4) -> None:
        self.port = port
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                app,
                *("--bind", f"127.0.0.1:{port}", "--workers", str(workers)),
                *("--log-level", "warning", "--keep-alive", "30"),
            ],
            env={**os.environ, **env},
            cwd=ROOT,
        )

    def wait_ready(self, path: str, host: str) -> None:
        for _ in range(300):
            try:
                probe = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                probe.request("GET", path, headers={"Host": host})
                if probe.getresponse().status < 500:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise SystemExit(f"the server on port {self.port} did not answer {path}")

    def cpu_seconds(self) -> float:
        """CPU used so far by the master and its workers (ended workers included)."""
        total, _ = _process_cpu(self.process.pid)
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    seconds, parent = _process_cpu(int(entry))
                except (OSError, IndexError, ValueError):
                    continue
                if parent == self.process.pid:
                    total += seconds
        return total

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


@dataclass(frozen=True)
class LoadResult:
    label: str
    requests: int
    per_second: float
    p50_ms: float
    p95_ms: float
    server_cpu_ms: float  # per request
    postgres_cpu_ms: float  # per request
    statuses: dict[int, int]

    def line(self, ceiling: LoadResult | None = None) -> str:
        ratio = f"{self.per_second / ceiling.per_second:6.0%}" if ceiling else "      "
        return (
            f"{self.label:<34} {self.per_second:8.1f} req/s {ratio}  p50 {self.p50_ms:6.1f} ms  "
            f"p95 {self.p95_ms:6.1f} ms  CPU/req web {self.server_cpu_ms:5.1f} ms, PostgreSQL "
            f"{self.postgres_cpu_ms:5.1f} ms"
        )


def run_load(
    *,
    label: str,
    server: Server,
    host: str,
    next_path: Callable[[int, int], str],
    clients: int = 8,
    seconds: float = 10.0,
    headers: dict[str, str] | None = None,
    warm_up: int = 20,
) -> LoadResult:
    """``clients`` threads GET ``next_path(client, n)`` for ``seconds``; the first ``warm_up``
    answers of each client are not counted."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    stop_at = [0.0]
    started = threading.Barrier(clients + 1)

    def client(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        send = {"Host": host, **(headers or {})}
        for n in range(warm_up):
            connection.request("GET", next_path(number, n), headers=send)
            connection.getresponse().read()
        started.wait()
        n = warm_up
        while time.perf_counter() < stop_at[0]:
            path = next_path(number, n)
            began = time.perf_counter()
            connection.request("GET", path, headers=send)
            response = connection.getresponse()
            response.read()
            took = time.perf_counter() - began
            n += 1
            with lock:
                latencies.append(took)
                statuses[response.status] = statuses.get(response.status, 0) + 1
        connection.close()

    threads = [threading.Thread(target=client, args=(number,)) for number in range(clients)]
    for thread in threads:
        thread.start()
    stop_at[0] = time.perf_counter() + 3600
    started.wait()
    web_before, pg_before = server.cpu_seconds(), cpu_seconds_of({"postgres"})
    began = time.perf_counter()
    stop_at[0] = began + seconds
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    web, pg = server.cpu_seconds() - web_before, cpu_seconds_of({"postgres"}) - pg_before
    count = max(1, len(latencies))
    return LoadResult(
        label=label,
        requests=len(latencies),
        per_second=len(latencies) / elapsed,
        p50_ms=statistics.median(latencies) * 1000 if latencies else 0.0,
        p95_ms=percentile(latencies, 0.95) * 1000 if latencies else 0.0,
        server_cpu_ms=web / count * 1000,
        postgres_cpu_ms=pg / count * 1000,
        statuses=statuses,
    )


# ------------------------------------------------------------------ the platform beside its ceiling

PathOf = Callable[[int, int], str]


@dataclass(frozen=True)
class Comparison:
    """One benchmark's runs: the load, the database, the ceiling's read and the platform's pages."""

    database_url: str
    host: str
    port: int
    clients: int
    seconds: float
    ceiling_label: str
    ceiling_ready: str
    ceiling_path: PathOf
    platform_ready: str
    kinds: dict[str, PathOf]

    def _load(self, label: str, server: Server, next_path: PathOf, **extra: object) -> LoadResult:
        return run_load(
            label=label,
            server=server,
            host=self.host,
            next_path=next_path,
            clients=self.clients,
            seconds=self.seconds,
            **extra,  # type: ignore[arg-type]
        )

    def run(
        self, after: Callable[[Server, Callable[..., LoadResult]], list[LoadResult]] | None = None
    ) -> tuple[LoadResult, list[LoadResult]]:
        """The ceiling (``bench.ceiling_app``), then each page kind on the platform (DEBUG off, rate
        limits counted but set high) under the same gunicorn settings; ``after`` may add runs on
        the platform's server before it stops."""
        common = {"DATABASE_URL": self.database_url, "EKOMMUNE_LOG_LEVEL": "WARNING"}
        ceiling_server = Server(app="bench.ceiling_app:application", port=self.port, env=common)
        try:
            ceiling_server.wait_ready(self.ceiling_ready, self.host)
            ceiling = self._load(self.ceiling_label, ceiling_server, self.ceiling_path)
        finally:
            ceiling_server.stop()
        platform = {
            **common,
            "DJANGO_SETTINGS_MODULE": "ekommune.conf.dev",
            "DJANGO_DEBUG": "false",
            "DJANGO_ALLOWED_HOSTS": self.host,
            **{f"EKOMMUNE_RATE_LIMIT_{scope}": "100000000/m" for scope in ("SEARCH", "PUBLIC_API")},
        }
        web = Server(app="ekommune.wsgi:application", port=self.port + 1, env=platform)
        try:
            web.wait_ready(self.platform_ready, self.host)
            results = [self._load(label, web, next_path) for label, next_path in self.kinds.items()]
            if after is not None:
                results += after(
                    web, lambda label, next_path, **extra: self._load(label, web, next_path, **extra)
                )
        finally:
            web.stop()
        return ceiling, results

    def report(
        self, ceiling: LoadResult, results: list[LoadResult], expected: tuple[int, ...] = (200,)
    ) -> None:
        print()
        print(
            f"{self.clients} clients, {self.seconds:.0f} s each, gunicorn 4 sync workers; ratio = rate / ceiling"
        )
        print(ceiling.line())
        for result in results:
            print(result.line(ceiling))
            unexpected = {code: n for code, n in result.statuses.items() if code not in expected}
            if unexpected:
                print(f"  !! answers other than {'/'.join(map(str, expected))}: {unexpected}")
