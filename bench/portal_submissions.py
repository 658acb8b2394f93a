"""Benchmark: the citizen portal under concurrent users, end to end over HTTP (gunicorn).

    .venv/bin/python bench/portal_submissions.py [--users 20] [--page-requests 2000] [--submissions 300]

Uses DATABASE_URL (or starts the embedded server), in a fresh database ``ekommune_bench_portal``
that it creates and drops. Two measurements, each with ``--users`` concurrent logged-in citizens:

1. form pages: GET of a service's form page (draft resumed, form rendered), p50/p95 latency;
2. complete submissions: form page → post the answers with a PDF attachment → summary →
   submit (PDF/A rendered, case file + incoming entry + 3 documents in the archive, one
   transaction) → receipt; submissions per second and p95 of the submit request. The task
   worker runs beside the web processes, as in ``make run``, and sends each receipt e-mail to a
   real SMTP server process; the benchmark waits for the last one and says when it came.
   ``--worker after`` starts the worker only when the submissions are done (the web alone on
   the cores; then the rate at which one worker sends the e-mails).

The web runs as docs/operations.md says: gunicorn sync workers, two per core
(``BENCH_WEB_WORKERS``, ``BENCH_WORKER_CLASS`` to try others).

Targets (issue 7, 2 cores): form pages p95 < 50 ms; 30 complete submissions per second.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))


from bench.common import cpu_seconds_of, database_url, percentile, recreate_database
from ekommune.testing import smtp_server_process

BENCH_DB = "ekommune_bench_portal"
PASSWORD = "benchmark-passord-2026"  # noqa: S105
PREFIX = "/k/benk"
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"  # a minimal attachment


def bench_service_layer(count: int) -> dict[str, float]:
    """Submissions through the services in this process, one after another (no HTTP, no other users):
    the cost of one submission itself, split into PDF rendering and the archive transaction."""
    from django.test import Client

    from ekommune.core.models import Municipality
    from ekommune.identity.testing import log_in_citizen
    from ekommune.portal import pdf, selectors, services

    municipality = Municipality.objects.get(slug="benk")
    service = selectors.service_published(municipality=municipality, slug="barnehageplass")
    citizen = log_in_citizen(Client(), national_identity_number=person_numbers(1)[0], name="Benk Innbygger")
    who = services.CitizenActor(citizen=citizen)
    values = {
        "navn": "Benk Innbygger",
        "fodselsnummer": "01018510002",
        "epost": "benk@example.org",
        "oppstart": "01.08.2027",
        "barn-count": "1",
        "barn-0-navn": "Barn",
        "barn-0-fodselsnummer": "15038510190",
    }
    rendering = 0.0
    original = pdf.submission_pdf

    def timed(**fields: Any) -> bytes:
        nonlocal rendering
        start = time.perf_counter()
        try:
            return original(**fields)
        finally:
            rendering += time.perf_counter() - start

    pdf.submission_pdf = timed  # type: ignore[assignment]
    started = time.perf_counter()
    try:
        for _ in range(count):
            draft = services.draft_start(municipality=municipality, who=who, service=service)
            services.draft_save(
                municipality=municipality,
                who=who,
                draft=draft,
                values=values,
                uploads=[services.Upload(input_name="vedlegg", file_name="a.pdf", content=PDF)],
            )
            services.submission_submit(
                municipality=municipality, who=who, service=service, idempotency_key=draft.idempotency_key
            )
    finally:
        pdf.submission_pdf = original  # type: ignore[assignment]
    elapsed = time.perf_counter() - started
    return {
        "count": count,
        "per_second": count / elapsed,
        "ms": elapsed / count * 1000,
        "pdf_ms": rendering / count * 1000,
    }


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "ekommune.conf.dev"
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ.setdefault("EKOMMUNE_LOG_LEVEL", "WARNING")
    os.environ.setdefault("EKOMMUNE_MEDIA_ROOT", str(ROOT / "var" / "bench-media"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def person_numbers(count: int) -> list[str]:
    """Valid synthetic national identity numbers (check digits computed), one per citizen."""
    from stdnum.no import fodselsnummer

    found: list[str] = []
    serial = 100
    while len(found) < count:
        for day in range(1, 29):
            candidate_base = f"{day:02d}0185{serial:03d}"
            for tail in range(100):
                candidate = f"{candidate_base}{tail:02d}"
                if fodselsnummer.is_valid(candidate):
                    found.append(candidate)
                    break
            if len(found) == count:
                break
        serial += 1
    return found


def prepare(users: int) -> list[str]:
    """Municipality, archive, portal service; one logged-in citizen session per user."""
    from django.test import Client

    from ekommune.archive import services as archive_services
    from ekommune.core.models import Role, User
    from ekommune.core.services import municipality_create, staff_user_create
    from ekommune.identity.testing import log_in_citizen
    from ekommune.portal import services
    from ekommune.portal.models import LifeEvent, Topic

    operator = User.objects.create_superuser(
        username="bench-operator", password=PASSWORD, email="op@bench.invalid"
    )
    municipality = municipality_create(
        actor=operator, name="Benk kommune", slug="benk", number="9999", organisation_number="987654325"
    )

    def make(username: str, role: str) -> User:
        return staff_user_create(
            actor=operator,
            municipality=municipality,
            username=username,
            first_name="Benk",
            last_name=username,
            email=f"{username}@bench.invalid",
            password=PASSWORD,
            roles=[role],
        )

    records_manager, admin = make("arkivar", Role.RECORDS_MANAGER), make("admin", Role.ADMINISTRATOR)
    fonds = archive_services.fonds_create(
        actor=records_manager, municipality=municipality, title="Benk arkiv"
    )
    system = archive_services.classification_system_create(
        actor=records_manager, municipality=municipality, title="Nøkkel", classes=[("A20", "Barnehager")]
    )
    series = archive_services.series_create(
        actor=records_manager,
        municipality=municipality,
        fonds=fonds,
        title="Sakarkiv",
        classification_system=system,
    )
    services.portal_system_user_ensure(actor=admin, municipality=municipality)
    from ekommune.portal.tests.factories import KINDERGARTEN_FORM  # the form the portal's tests use

    form = services.form_definition_create(
        actor=admin,
        municipality=municipality,
        slug="barnehageplass",
        title="Barnehageplass",
        definition=KINDERGARTEN_FORM,
    )
    services.service_create(
        actor=admin,
        municipality=municipality,
        values={
            "slug": "barnehageplass",
            "title": "Barnehageplass",
            "summary": "Søk om plass i barnehage.",
            "life_event": LifeEvent.CHILDREN,
            "topic": Topic.KINDERGARTEN,
            "is_published": True,
            "form": form,
            "archive_series": series,
            "archive_class": system.classes.get(),
            "administrative_unit": "Oppvekst",
            "case_responsible": "Benk",
        },
    )
    cookies = []
    for number in person_numbers(users):
        client = Client()
        log_in_citizen(client, national_identity_number=number, name=f"Innbygger {number[:4]}")
        cookies.append(client.cookies["sessionid"].value)
    return cookies


class Browser:
    """One citizen's HTTP session: cookies, CSRF token, keep-alive connection."""

    def __init__(self, port: int, session: str) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies = {"sessionid": session}

    def request(
        self, method: str, path: str, body: bytes | None = None, content_type: str = ""
    ) -> tuple[int, str, str]:
        headers = {"Host": "localhost", "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if content_type:
            headers["Content-Type"] = content_type
            headers["Referer"] = "http://localhost/"
        self.connection.request(method, PREFIX + path, body, headers)
        response = self.connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location") or "", text

    def csrf(self, page: str) -> str:
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        return found.group(1) if found else ""


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, content) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: application/pdf\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def process_env(url: str, smtp_port: int) -> dict[str, str]:
    """What the web and task-worker processes run with: this database, e-mail to the SMTP server."""
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "ekommune.conf.dev",
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1",
        "EKOMMUNE_LOG_LEVEL": "WARNING",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
    }


def start_worker(url: str, smtp_port: int) -> subprocess.Popen[bytes]:
    """The task worker that sends the receipt e-mails (as ``make run`` starts it beside the web)."""
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "ekommune"), "db_worker", "--no-startup-delay"],
        env=process_env(url, smtp_port),
        cwd=ROOT,
    )


def wait_for_mail(maildir: Path, expected: int, timeout: float = 120.0) -> tuple[int, float]:
    """(messages in the Maildir, seconds waited) once ``expected`` have arrived or time is up."""
    started = time.perf_counter()
    count = 0
    while time.perf_counter() - started < timeout:
        count = len(list((maildir / "new").glob("*"))) if (maildir / "new").is_dir() else 0
        if count >= expected:
            break
        time.sleep(0.05)
    return count, time.perf_counter() - started


def start_server(url: str, port: int, smtp_port: int) -> subprocess.Popen[bytes]:
    env = process_env(url, smtp_port)
    # As docs/operations.md runs it: gunicorn's sync workers, two per core. Each request is its own
    # connection, so the requests spread over the workers as they do behind a reverse proxy
    # (keep-alive connections to gthread workers pin each user to one process).
    workers = os.environ.get("BENCH_WEB_WORKERS", str(2 * (os.cpu_count() or 2)))
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "ekommune.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            workers,
            "--worker-class",
            os.environ.get("BENCH_WORKER_CLASS", "sync"),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    for _ in range(200):
        try:
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            probe.request("GET", "/healthz")
            if probe.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def run_clients(sessions: list[str], port: int, work: object) -> float:
    threads = [
        threading.Thread(target=work, args=(Browser(port, session), n)) for n, session in enumerate(sessions)
    ]  # type: ignore[arg-type]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def bench_form_pages(sessions: list[str], port: int, total: int, think: float = 0.0) -> dict[str, float]:
    """``think`` seconds between one user's page loads (0: each user asks again at once)."""
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()
    per_client = max(1, total // len(sessions))

    def work(browser: Browser, number: int) -> None:
        # Users do not act in lockstep: each starts at a random moment within one pause and
        # pauses 0.5–1.5 × ``think`` (seeded, so runs compare).
        pace = random.Random(number)  # noqa: S311 (pacing, not secrets)
        if think:
            time.sleep(pace.uniform(0, think))
        for _ in range(per_client):
            start = time.perf_counter()
            status, _, _ = browser.request("GET", "/tjenester/barnehageplass/skjema/")
            took = time.perf_counter() - start
            with lock:
                latencies.append(took)
                if status != 200:
                    errors.append(status)
            if think:
                time.sleep(pace.uniform(0.5 * think, 1.5 * think))

    elapsed = run_clients(sessions, port, work)
    if errors:
        raise SystemExit(f"form page errors: {errors[:5]} ({len(errors)} in all)")
    return {
        "requests": len(latencies),
        "per_second": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": percentile(latencies, 0.95) * 1000,
    }


def bench_submissions(sessions: list[str], port: int, total: int) -> dict[str, float]:
    submit_latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    per_client = max(1, total // len(sessions))

    def work(browser: Browser, number: int) -> None:
        for i in range(per_client):
            status, _, page = browser.request("GET", "/tjenester/barnehageplass/skjema/")
            fields = {
                "csrfmiddlewaretoken": browser.csrf(page),
                "navn": f"Innbygger {number}",
                "fodselsnummer": "01018510002",
                "epost": f"innbygger{number}@example.org",
                "oppstart": "01.08.2027",
                "sosken": "no",
                "barn-count": "1",
                "barn-0-navn": f"Barn {number}-{i}",
                "barn-0-fodselsnummer": "15038510190",
                "action": "next",
            }
            body, content_type = multipart(fields, {"vedlegg": ("soknad.pdf", PDF)})
            status, location, _ = browser.request(
                "POST", "/tjenester/barnehageplass/skjema/", body, content_type
            )
            if status != 302:
                with lock:
                    errors.append(f"form {status}")
                continue
            status, _, summary = browser.request("GET", "/tjenester/barnehageplass/skjema/oppsummering/")
            key = re.search(r'name="idempotency_key" value="([^"]+)"', summary)
            if key is None:
                with lock:
                    errors.append(f"summary {status}")
                continue
            payload = urlencode(
                {"csrfmiddlewaretoken": browser.csrf(summary), "idempotency_key": key.group(1)}
            )
            start = time.perf_counter()
            status, location, _ = browser.request(
                "POST",
                "/tjenester/barnehageplass/skjema/oppsummering/",
                payload.encode(),
                "application/x-www-form-urlencoded",
            )
            took = time.perf_counter() - start
            if status != 302:
                with lock:
                    errors.append(f"submit {status}")
                continue
            status, _, receipt = browser.request("GET", location.removeprefix(PREFIX))
            with lock:
                submit_latencies.append(took)
                if status != 200 or "case-number" not in receipt:
                    errors.append(f"receipt {status}")

    web_before, database_before = cpu_seconds_of({"gunicorn"}), cpu_seconds_of({"postgres"})
    worker_before = cpu_seconds_of({"ekommune"})
    elapsed = run_clients(sessions, port, work)
    web_cpu = cpu_seconds_of({"gunicorn"}) - web_before
    database_cpu = cpu_seconds_of({"postgres"}) - database_before
    worker_cpu = cpu_seconds_of({"ekommune"}) - worker_before
    if errors:
        raise SystemExit(f"submission errors: {errors[:5]} ({len(errors)} in all)")
    done = max(1, len(submit_latencies))
    return {
        "web_cpu_ms": web_cpu / done * 1000,
        "worker_cpu_ms": worker_cpu / done * 1000,
        "database_cpu_ms": database_cpu / done * 1000,
        "submissions": len(submit_latencies),
        "seconds": elapsed,
        "per_second": len(submit_latencies) / elapsed,
        "submit_p50_ms": statistics.median(submit_latencies) * 1000,
        "submit_p95_ms": percentile(submit_latencies, 0.95) * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--page-requests", type=int, default=2000)
    parser.add_argument("--submissions", type=int, default=300)
    parser.add_argument("--service-submissions", type=int, default=50)
    parser.add_argument("--think-ms", type=int, default=1000, help="a user's pause between page loads")
    parser.add_argument("--port", type=int, default=8775)
    parser.add_argument(
        "--worker",
        choices=["during", "after"],
        default="during",
        help="run the task worker (receipt e-mails) beside the web, or only after the submissions",
    )
    args = parser.parse_args()
    url, embedded = database_url()
    bench_url = recreate_database(url, BENCH_DB)
    setup_django(bench_url)
    sessions = prepare(args.users)
    layer = bench_service_layer(args.service_submissions)
    from django.db import connections

    connections.close_all()
    print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(
        f"services, one at a time: {layer['count']} submissions, {layer['ms']:.0f} ms each "
        f"({layer['pdf_ms']:.0f} ms of it PDF/A rendering) = {layer['per_second']:.1f}/s in one process"
    )
    mail_root = Path(tempfile.mkdtemp(prefix="ekommune-bench-mail-"))
    maildir = mail_root / "maildir"  # made by the SMTP server
    mail = contextlib.ExitStack()
    smtp = mail.enter_context(smtp_server_process(maildir))
    smtp_port = int(smtp["default"]["OPTIONS"]["port"])
    server = start_server(bench_url, args.port, smtp_port)
    worker = start_worker(bench_url, smtp_port) if args.worker == "during" else None
    try:
        for think in (args.think_ms / 1000, 0.0):
            requests = args.page_requests if not think else min(args.page_requests, args.users * 15)
            pages = bench_form_pages(sessions, args.port, requests, think)
            print(
                f"form pages, {args.users} users, {think * 1000:.0f} ms between a user's pages: "
                f"{pages['requests']} GET, {pages['per_second']:.0f} req/s, "
                f"p50 {pages['p50_ms']:.1f} ms, p95 {pages['p95_ms']:.1f} ms (target p95 < 50 ms)"
            )
        result = bench_submissions(sessions, args.port, args.submissions)
        print(
            f"submissions end to end: {result['submissions']} in {result['seconds']:.1f} s = "
            f"{result['per_second']:.1f}/s with {args.users} users (5 requests each; target >= 30/s); "
            f"submit request p50 {result['submit_p50_ms']:.0f} ms, p95 {result['submit_p95_ms']:.0f} ms"
        )
        expected = layer["count"] + result["submissions"]
        if worker is None:
            worker = start_worker(bench_url, smtp_port)
        delivered, waited = wait_for_mail(maildir, int(expected))
        print(
            f"receipt e-mails: {delivered} of {expected:.0f} delivered by the task worker "
            f"({args.worker} the submissions) to the SMTP server, the last {waited:.1f} s after the "
            f"last submission ({delivered / waited if args.worker == 'after' and waited else 0:.0f}/s)"
        )
        print(
            f"CPU per complete submission: web processes {result['web_cpu_ms']:.1f} ms, "
            f"task worker {result['worker_cpu_ms']:.1f} ms, "
            f"PostgreSQL {result['database_cpu_ms']:.1f} ms (when the database runs on this machine)"
        )
    finally:
        for process in (worker, server):
            if process is not None:
                process.terminate()
                process.wait(timeout=15)
        mail.close()
        shutil.rmtree(mail_root, ignore_errors=True)
        if embedded is not None:
            embedded.stop()  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
