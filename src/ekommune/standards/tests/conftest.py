"""A local HTTP server process serving a folder (the publisher or a mirror, for the fetch tests)."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """(base URL, folder): ``python -m http.server`` on a free port of 127.0.0.1, serving the folder."""
    folder = tmp_path / "served"
    folder.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # "Serving HTTP on 127.0.0.1 port 40123 (http://...) ..."
        port = re.search(r"port (\d+)", line)
        assert port is not None, line
        yield f"http://127.0.0.1:{port.group(1)}", folder
    finally:
        process.terminate()
        process.wait(timeout=10)
