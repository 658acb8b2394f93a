"""What every benchmark needs: a PostgreSQL server, a fresh database of its own, percentiles."""

from __future__ import annotations

import os
from urllib.parse import urlparse

import psycopg
from psycopg.conninfo import make_conninfo


def database_url() -> tuple[str, object]:
    """DATABASE_URL, or the embedded server (started if need be; returned so it stays alive)."""
    url = os.environ.get("DATABASE_URL")
    server = None
    if not url:
        from ekommune.conf.embedded_db import embedded_database_url, start_embedded_server

        server = start_embedded_server()
        url = embedded_database_url()
    return url, server


def url_of_database(url: str, name: str) -> str:
    """The same server and options (a socket's ``?host=`` included), another database."""
    return urlparse(url)._replace(path=f"/{name}").geturl()


def drop_database(url: str, name: str) -> None:
    with psycopg.connect(make_conninfo(url, dbname="postgres"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def recreate_database(url: str, name: str) -> str:
    """Drop and create the benchmark's own database ``name``; its URL."""
    drop_database(url, name)
    with psycopg.connect(make_conninfo(url, dbname="postgres"), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return url_of_database(url, name)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def cpu_seconds_of(command_names: set[str]) -> float:
    """CPU seconds (user + system) used so far by the running processes with these names and by
    their children that have ended (Linux /proc; 0.0 elsewhere): a PostgreSQL backend that ended
    (a connection closed) still counts, in its postmaster. A difference over a phase says what the
    phase cost the machine, however busy it was; for PostgreSQL on this machine: "postgres"."""
    total = 0
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)
            name = fields[0].split("(", 1)[1]
        except (OSError, IndexError):
            continue
        if name in command_names:
            values = fields[1].split()
            total += sum(int(value) for value in values[11:15])  # utime, stime, cutime, cstime
    return total / tick


CEILING_TABLES = """
CREATE TABLE IF NOT EXISTS bench_ceiling_counter (
    id integer PRIMARY KEY, last_value integer NOT NULL
);
INSERT INTO bench_ceiling_counter (id, last_value) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
CREATE TABLE IF NOT EXISTS bench_ceiling_entry (
    id bigserial PRIMARY KEY,
    system_id uuid NOT NULL UNIQUE,
    number integer NOT NULL UNIQUE,
    title varchar(1000) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
"""


def ceiling_tables_create(url: str) -> None:
    """The bare-Django ceiling's counter and table (bench/ceiling.py) in the benchmark's database."""
    with psycopg.connect(url, autocommit=True) as conn:
        for statement in CEILING_TABLES.split(";"):
            if statement.strip():
                conn.execute(statement)


def _cpu_ticks(pid: int) -> tuple[int, int, int]:
    """(utime + stime + cutime + cstime, parent pid, 0) of a running process; (0, 0, 0) if gone."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            values = stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0, 0, 0
    return sum(int(value) for value in values[11:15]), int(values[1]), 0


def process_tree_cpu(root: int) -> float:
    """CPU seconds of a process and all its descendants (ended children that it reaped included):
    a gunicorn master and its workers, without anybody else's processes of the same name."""
    tick = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            used, parent, _ = _cpu_ticks(int(entry))
            parents[int(entry)], ticks[int(entry)] = parent, used
    total = 0
    for pid, used in ticks.items():
        ancestor = pid
        while ancestor and ancestor != root:
            ancestor = parents.get(ancestor, 0)
        if ancestor == root:
            total += used
    return total / tick


def database_backends_cpu(url: str, dbname: str) -> dict[int, float]:
    """CPU seconds so far of each PostgreSQL backend connected to ``dbname`` (this look-up's own
    connection left out): the server's cost of one benchmark, even on a server others use too.
    Take it before and after a phase (``backends_cpu_used``); needs the server on this machine."""
    tick = os.sysconf("SC_CLK_TCK")
    with psycopg.connect(make_conninfo(url, dbname="postgres"), autocommit=True) as conn:
        pids = [
            row[0]
            for row in conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [dbname]
            )
        ]
    return {pid: _cpu_ticks(pid)[0] / tick for pid in pids}


def backends_cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(used - before.get(pid, 0.0) for pid, used in after.items())


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB (Linux: ru_maxrss is in KiB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
