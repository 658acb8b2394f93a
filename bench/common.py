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
