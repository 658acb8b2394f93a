"""A production install starts: a fresh venv with the ``[project]`` dependencies only (as
docs/operations.md installs it) imports every module of the package, passes ``check --deploy``
with the production settings and answers ``/healthz`` and ``/readyz`` through gunicorn.

Slow (pip builds the package and installs from its cache), and part of ``make test``: a runtime
import that no dependency declares fails here, not at the first production start.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from ekommune.conf.embedded_db import PROJECT_ROOT
from ekommune.conf.tests.test_settings import PRODUCTION_ENV, reachable_database_url

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

# Modules for tests only (their imports are the dev extra's): everything else must import.
IMPORT_EVERY_MODULE = """
import importlib, pkgutil, sys
import django
django.setup()
import ekommune
assert ekommune.__file__.startswith(sys.prefix), ekommune.__file__  # the installed package, not src/
names = [
    info.name
    for info in pkgutil.walk_packages(ekommune.__path__, "ekommune.")
    if not any(part in info.name + "." for part in (".tests.", ".testing.", ".conftest."))
]
for name in names:
    importlib.import_module(name)
from ekommune.standards import manifest
assert manifest(), "the standards manifest is installed with the package"
print(f"imported {len(names)} modules")
"""


def clean_environment(**values: str) -> dict[str, str]:
    keep = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "EMAIL_", "EKOMMUNE_", "PYTHON", "VIRTUAL_ENV"))
    }
    return {**keep, **values}


@pytest.fixture(scope="module")
def runtime_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package and its ``[project]`` dependencies (pinned by the constraints), nothing else."""
    work = tmp_path_factory.mktemp("production-install")
    source = work / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(PROJECT_ROOT / name, source / name)
    shutil.copytree(
        PROJECT_ROOT / "src" / "ekommune",
        source / "src" / "ekommune",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    install = subprocess.run(
        [
            *(str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"),
            *("-c", str(PROJECT_ROOT / "requirements" / "constraints.txt"), str(source)),
        ],
        env=clean_environment(),
        cwd=work,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    return venv


@pytest.fixture
def production_env(tmp_path: Path) -> dict[str, str]:
    return clean_environment(
        **{**PRODUCTION_ENV, "DATABASE_URL": reachable_database_url()},
        EKOMMUNE_STATIC_ROOT=str(tmp_path / "static"),
        EKOMMUNE_MEDIA_ROOT=str(tmp_path / "media"),
        EKOMMUNE_DATA_DIR=str(tmp_path / "data"),
    )


def test_the_runtime_dependencies_import_every_module(
    runtime_venv: Path, production_env: dict[str, str], tmp_path: Path
) -> None:
    result = subprocess.run(
        [str(runtime_venv / "bin" / "python"), "-c", IMPORT_EVERY_MODULE],
        env=production_env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "imported" in result.stdout


def test_check_deploy_is_clean_in_the_runtime_install(
    runtime_venv: Path, production_env: dict[str, str], tmp_path: Path
) -> None:
    result = subprocess.run(
        [str(runtime_venv / "bin" / "ekommune"), "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.fixture
def gunicorn(runtime_venv: Path, production_env: dict[str, str], tmp_path: Path) -> Iterator[str]:
    """gunicorn serving the installed package on a free port of 127.0.0.1; its base URL."""
    log = (tmp_path / "gunicorn.log").open("w+")
    process = subprocess.Popen(
        [
            *(str(runtime_venv / "bin" / "gunicorn"), "ekommune.wsgi", "--bind", "127.0.0.1:0"),
            *("--workers", "1", "--no-control-socket"),
        ],
        env=production_env,
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        address = None
        while address is None and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.2)
            address = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", Path(log.name).read_text())
        assert address is not None, Path(log.name).read_text()
        yield address.group(1)
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def get(url: str) -> tuple[int, str]:
    """GET as the proxy would forward it (a host of the site; the probes are exempt from HTTPS)."""
    host = PRODUCTION_ENV["DJANGO_ALLOWED_HOSTS"].split(",")[0]
    request = urllib.request.Request(url, headers={"Host": host})  # noqa: S310 (http://127.0.0.1)
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (as above)
                return response.status, response.read().decode()
        except ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)  # the worker is still booting


def test_gunicorn_answers_the_health_probes(gunicorn: str) -> None:
    assert get(f"{gunicorn}/healthz") == (200, '{"status": "ok"}')
    status, body = get(f"{gunicorn}/readyz")
    assert status == 200, body
    assert '"database": "ok"' in body
