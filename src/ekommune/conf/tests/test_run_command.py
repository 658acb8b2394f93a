"""The run command as a newcomer uses it: embedded database, migrations, demo, web and worker, Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ekommune.conf import embedded_db
from ekommune.conf.embedded_db import PROJECT_ROOT
from ekommune.testing import free_port


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (localhost only)
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
        return response.status, response.read().decode()


@pytest.mark.slow
def test_run_command_serves_the_demo_and_stops_cleanly_on_ctrl_c(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tmp_path.chmod(0o755)  # the embedded server runs as an unprivileged user when we are root
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "DJANGO_"))}
    env.update(
        {
            "EKOMMUNE_PGDATA": str(tmp_path / "pgdata"),
            "EKOMMUNE_PORT": str(port),
            "EKOMMUNE_MEDIA_ROOT": str(tmp_path / "media"),
            "EKOMMUNE_STANDIN_OP_PORT": str(op_port := free_port()),
        }
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "ekommune.launcher", "run"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            try:
                if get(f"http://127.0.0.1:{port}/readyz")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the run command did not come up in two minutes"
            time.sleep(0.5)
        status, page = get(f"http://localhost:{port}/k/fjordvik/")
        assert status == 200
        assert "Fjordvik kommune" in page
        status, entry_point = get(f"http://localhost:{port}/", {"Accept": "application/vnd.noark5+json"})
        assert "https://rel.arkivverket.no/noark5/v5/api/arkivstruktur/" in json.loads(entry_point)["_links"]
        status, login = get(f"http://localhost:{port}/k/fjordvik/innbygger/innlogging/")
        assert "ID-porten (lokal test)" in login  # the demo logs citizens in through the stand-in provider
        for _ in range(20):  # the stand-in provider starts beside the web server
            try:
                status, discovery = get(f"http://127.0.0.1:{op_port}/.well-known/openid-configuration")
                break
            except OSError:
                time.sleep(0.5)
        assert json.loads(discovery)["issuer"] == f"http://127.0.0.1:{op_port}"
    finally:
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C in a terminal reaches the whole process group
        output, _ = process.communicate(timeout=60)
    assert process.returncode == 0, output
    assert "Staff logins (password for all: demo-passord-2026)" in output
    assert "Stopping the embedded PostgreSQL server" in output
    monkeypatch.setenv("EKOMMUNE_PGDATA", str(tmp_path / "pgdata"))
    assert not embedded_db.embedded_server_running()
