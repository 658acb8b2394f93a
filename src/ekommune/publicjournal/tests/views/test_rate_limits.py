"""Rate limits on the public journal: access requests and searches (decision 0170).

The last test starts gunicorn with two workers on the test database: the limit holds across
workers because the counter is in PostgreSQL, not in a worker's memory.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from ekommune.archive.tests.factories import archive_for
from ekommune.conf.embedded_db import PROJECT_ROOT
from ekommune.conf.tests.test_settings import reachable_database_url
from ekommune.core.tests.factories import MunicipalityFactory, host_client
from ekommune.publicjournal import services
from ekommune.publicjournal.models import AccessRequest
from ekommune.publicjournal.tests.factories import entry_in

HOST = "pj-grense.test"

pytestmark = pytest.mark.usefixtures("steady_rate_clock")  # gunicorn keeps its own clock: see two_workers


@pytest.fixture
def journal(db: None) -> Any:
    archive = archive_for(MunicipalityFactory.create(slug="pj-grense", host=HOST))
    archive.entry = entry_in(archive, "Søknad om byggeløyve")  # type: ignore[attr-defined]
    services.publication_refresh(municipality=archive.municipality)
    services.access_request_settings_set(
        actor=archive.records_manager, municipality=archive.municipality, intake_user=archive.records_manager
    )
    return archive


def test_access_requests_over_the_limit_are_refused_and_register_nothing(
    journal: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EKOMMUNE_RATE_LIMITS = {**settings.EKOMMUNE_RATE_LIMITS, "access_request": "2/h"}
    visitor = host_client(HOST)
    answers = []
    for number in range(3):
        visitor.post("/journal/innsyn/kurv/", {"entry": str(journal.entry.system_id), "next": "/journal/"})
        with django_capture_on_commit_callbacks(execute=True):
            answers.append(visitor.post("/journal/innsyn/", {"email": f"nina{number}@example.org"}))
    assert [answer.status_code for answer in answers[:2]] == [302, 302]
    refused = answers[2]
    assert refused.status_code == 429
    assert "For mange forespørsler" in refused.content.decode()
    assert int(refused["Retry-After"]) == 3599  # the hour's window, less the second the clock is into it
    assert AccessRequest.objects.count() == 2
    assert visitor.get("/journal/innsyn/").status_code == 200  # the basket itself is not limited


def test_searches_over_the_limit_are_refused_but_the_journal_list_is_not(journal: Any, settings: Any) -> None:
    settings.EKOMMUNE_RATE_LIMITS = {**settings.EKOMMUNE_RATE_LIMITS, "search": "2/m"}
    visitor = host_client(HOST)
    assert [visitor.get("/journal/", {"q": "byggeløyve"}).status_code for _ in range(3)] == [200, 200, 429]
    assert visitor.get("/journal/").status_code == 200
    assert visitor.get("/api/journal/").status_code == 200


@pytest.fixture
def two_workers(transactional_db: None, tmp_path: Path) -> Iterator[str]:
    """gunicorn, two sync workers, on the test database; the access log gives each answer's worker."""
    MunicipalityFactory.create(slug="pj-grense", host=HOST)
    log = tmp_path / "gunicorn.log"
    left_of_the_hour = 3600 - time.time() % 3600
    if left_of_the_hour < 120:  # the windows start on the hour: let none end during the test
        time.sleep(left_of_the_hour + 1)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ekommune.conf.test",
        "DATABASE_URL": reachable_database_url(),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "EKOMMUNE_RATE_LIMIT_SEARCH": "6/h",
        "PYTHONUNBUFFERED": "1",  # the access log is read while gunicorn runs
    }
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                *(str(Path(sys.executable).parent / "gunicorn"), "ekommune.wsgi", "--bind", "127.0.0.1:0"),
                *("--workers", "2", "--no-control-socket", "--access-logfile", "-"),
                *("--access-logformat", "worker=%(p)s status=%(s)s request=%(r)s"),
            ],
            env=env,
            cwd=PROJECT_ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        address = None
        while address is None and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.2)
            address = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", log.read_text())
        assert address is not None, log.read_text()
        base = address.group(1)
        # both workers ready (booted is not loaded): the unlimited journal list, until each has answered
        ready = time.monotonic() + 60
        with ThreadPoolExecutor(max_workers=4) as pool:
            while len(set(re.findall(r"worker=<?(\d+)>? status=200", log.read_text()))) < 2:
                assert time.monotonic() < ready, log.read_text()
                list(pool.map(lambda _: fetch(base, "/journal/"), range(4)))
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def search(base: str) -> int:
    return fetch(base, "/journal/?q=vei")


def fetch(base: str, path: str) -> int:
    request = urllib.request.Request(  # noqa: S310 (http://127.0.0.1)
        f"{base}{path}", headers={"Host": HOST, "Connection": "close"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (http://127.0.0.1)
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


@pytest.mark.slow
def test_the_limit_holds_across_two_gunicorn_workers(two_workers: str, tmp_path: Path) -> None:
    # Four at a time, so that both workers answer. Were the count kept per process, the two
    # workers would let up to 6 each through; shared, exactly 6 pass in all.
    with ThreadPoolExecutor(max_workers=4) as pool:
        codes = list(pool.map(lambda _: search(two_workers), range(24)))
    assert sorted(codes) == [200] * 6 + [429] * 18, (codes, (tmp_path / "gunicorn.log").read_text())
    log = (tmp_path / "gunicorn.log").read_text()
    workers = set(re.findall(r"worker=<?(\d+)>? status=\d+ request=GET /journal/\?q=vei", log))
    assert len(workers) == 2, log  # both workers answered searches
