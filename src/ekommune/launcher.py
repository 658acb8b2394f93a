"""The two commands behind ``make run`` and ``make test``.

``python -m ekommune.launcher run``   start the database (embedded unless DATABASE_URL), migrate,
                                      load the demo, run web server, task worker and the stand-in
                                      ID-porten (identity.standin_op) until Ctrl-C.
``python -m ekommune.launcher check`` ruff, mypy, import contracts, migrations check, pytest.

No Django import at module level: the database must be up before settings are read.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ekommune.conf.embedded_db import PROJECT_ROOT, embedded_database_url, pgdata_path

BIN = Path(sys.executable).parent


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def fail(message: str, code: int = 2) -> None:
    print(f"ekommune: {message}", file=sys.stderr, flush=True)
    raise SystemExit(code)


def ensure_database_reachable(url: str) -> None:
    """Connect to DATABASE_URL (creating its database when the server has none); fail clearly."""
    import psycopg
    from psycopg import sql

    try:
        psycopg.connect(url, connect_timeout=5).close()
        return
    except psycopg.OperationalError as exc:
        if "does not exist" not in str(exc):
            fail(f"PostgreSQL at DATABASE_URL is unreachable: {exc}".strip())
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(url)
    name = str(params.get("dbname") or "")
    try:
        with psycopg.connect(
            make_conninfo(url, dbname="postgres"), autocommit=True, connect_timeout=5
        ) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as exc:
        fail(f"Could not create database {name!r} at DATABASE_URL: {exc}".strip())


class Database:
    """DATABASE_URL when given; otherwise the embedded server, stopped at the end if we started it."""

    def __init__(self, *, announce_stop: bool = True) -> None:
        self.server: Any = None
        self.started_here = False
        self.announce_stop = announce_stop  # `check` stays quiet so pytest's summary is the last line

    def __enter__(self) -> str:
        url = os.environ.get("DATABASE_URL", "")
        if url:
            say("Using the PostgreSQL server at DATABASE_URL")
        else:
            from ekommune.conf.embedded_db import embedded_server_running, start_embedded_server

            self.started_here = not embedded_server_running()
            say(f"Starting the embedded PostgreSQL server (data folder {pgdata_path()})")
            self.server = start_embedded_server()
            url = embedded_database_url()
        ensure_database_reachable(url)
        os.environ["DATABASE_URL"] = url
        return url

    def __exit__(self, *exc: object) -> None:
        if self.server is not None and self.started_here:
            from ekommune.conf.embedded_db import stop_embedded_server

            if self.announce_stop:
                say("Stopping the embedded PostgreSQL server")
            stop_embedded_server(self.server)


def ekommune(*args: str, settings: str) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings}
    subprocess.run([str(BIN / "ekommune"), *args], check=True, env=env, cwd=PROJECT_ROOT)


def run(port: int) -> int:
    settings = os.environ.get("DJANGO_SETTINGS_MODULE", "ekommune.conf.dev")
    (PROJECT_ROOT / "var" / "static").mkdir(parents=True, exist_ok=True)
    # The demo's citizens log in through a local stand-in for ID-porten (docs/identity.md).
    standin_op_port = os.environ.get("EKOMMUNE_STANDIN_OP_PORT", "8090")
    os.environ.setdefault("EKOMMUNE_STANDIN_OP_URL", f"http://127.0.0.1:{standin_op_port}")
    with Database():
        say("Migrating the database")
        ekommune("migrate", "--noinput", "-v", "0", settings=settings)
        say("Loading the demo municipalities")
        ekommune("demo", "load", settings=settings)
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings}
        # Ctrl-C from here on means "stop everything cleanly", even while the banner is still printing.
        stopping = False

        def stop(*_: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        # The banner comes first, so whoever sees the server answer has also seen the logins.
        subprocess.run(
            [str(BIN / "ekommune"), "demo", "info", "--port", str(port)],
            env=env,
            cwd=PROJECT_ROOT,
            check=False,
        )
        if stopping:
            return 0
        web = subprocess.Popen(
            [str(BIN / "ekommune"), "runserver", f"127.0.0.1:{port}", "--noreload"], env=env, cwd=PROJECT_ROOT
        )
        worker = subprocess.Popen([str(BIN / "ekommune"), "db_worker"], env=env, cwd=PROJECT_ROOT)
        # periodic work (publication of the public journal, nightly checks): EKOMMUNE_SCHEDULE
        scheduler = subprocess.Popen([str(BIN / "ekommune"), "schedule"], env=env, cwd=PROJECT_ROOT)
        say(
            f"Stand-in ID-porten at {os.environ['EKOMMUNE_STANDIN_OP_URL']}: citizens log in with test persons "
            f"at http://localhost:{port}/k/fjordvik/innbygger/innlogging/"
        )
        standin_op = subprocess.Popen(
            [
                *(sys.executable, "-m", "ekommune.identity.standin_op", "--port", standin_op_port),
                *("--issuer", os.environ["EKOMMUNE_STANDIN_OP_URL"], "--client", "ekommune-demo=demo-secret"),
            ],
            env=env,
            cwd=PROJECT_ROOT,
        )
        children = (web, worker, scheduler, standin_op)
        while not stopping and web.poll() is None and worker.poll() is None:  # the stand-in is optional
            time.sleep(0.3)
        say("Stopping the web server, the task worker, the scheduler and the stand-in ID-porten")
        for process in children:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in children:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        return 0 if stopping else 1


# Every services and selectors module is covered line for line (CONVENTIONS.md), unless it is on
# the list of floors in pyproject.toml ([tool.ekommune.coverage-floors]), which may only shrink.
COVERED_MODULES = ("*/services.py", "*/services/*.py", "*/selectors.py", "*/selectors/*.py")


CHECK_STEPS: list[tuple[str, list[str]]] = [
    ("ruff format", ["ruff", "format", "--check", "src", "bench"]),
    ("ruff lint", ["ruff", "check", "src", "bench"]),
    ("mypy", ["mypy"]),
    ("import contracts", ["lint-imports"]),
    ("migrations are complete", ["ekommune", "makemigrations", "--check", "--dry-run"]),
]


def check(pytest_args: Sequence[str]) -> int:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ekommune.conf.test"}
    with Database(announce_stop=False):
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]
        for title, command in CHECK_STEPS:
            say(title)
            if (
                subprocess.run([str(BIN / command[0]), *command[1:]], env=env, cwd=PROJECT_ROOT).returncode
                != 0
            ):
                print(f"ekommune check: step '{title}' failed", file=sys.stderr)
                return 1
        say("pytest (services and selectors covered line for line, or above their floor in pyproject.toml)")
        workers = os.environ.get("EKOMMUNE_TEST_WORKERS", "auto")
        coverage_args = [] if pytest_args else ["--cov=ekommune", "--cov-report="]
        command = [str(BIN / "pytest"), "-n", workers, *coverage_args, *pytest_args]
        result = subprocess.run(command, env=env, cwd=PROJECT_ROOT)
        if result.returncode != 0 or not coverage_args:
            return result.returncode
        if standards_missing(env):
            # the tests that read the official files were skipped (pytest said so in one line), so
            # the modules they cover cannot reach their figures here: where the files are, it holds
            say("coverage ratchet not judged: official standards files missing (`ekommune standards fetch`)")
            return 0
        return coverage_gate()


def standards_missing(env: dict[str, str]) -> bool:
    """Whether any official standards file is found in no standards folder (as the tests see it)."""
    probe = "import django; django.setup(); from ekommune.standards import missing; print(len(missing()))"
    found = subprocess.run(
        [str(BIN / "python"), "-c", probe],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(found.stdout.strip().splitlines()[-1]) > 0


def coverage_floors() -> dict[str, float]:
    import tomllib

    config = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    floors: dict[str, float] = config.get("tool", {}).get("ekommune", {}).get("coverage-floors", {})
    return floors


def coverage_findings(percent_of: dict[str, float], floors: dict[str, float]) -> list[str]:
    """What breaks the ratchet: a module below 100 % (or below its floor), or a floor no longer needed."""
    findings = []
    for path, percent in sorted(percent_of.items()):
        floor = floors.get(path)
        if floor is None and percent < 100:
            findings.append(f"{path}: {percent:.1f} % covered; services and selectors must be at 100 %")
        elif floor is not None and percent < floor:
            findings.append(f"{path}: {percent:.1f} % covered, below its floor of {floor} %")
        elif floor is not None and percent >= 100:
            findings.append(f"{path}: now at 100 %; remove it from [tool.ekommune.coverage-floors]")
    findings += [
        f"{path}: on [tool.ekommune.coverage-floors] but not a services/selectors module any more; remove it"
        for path in sorted(set(floors) - set(percent_of))
    ]
    return findings


def coverage_gate() -> int:
    """The coverage ratchet over every services and selectors module (quiet when it holds)."""
    import coverage

    data = coverage.Coverage(data_file=str(PROJECT_ROOT / ".coverage"))
    data.load()
    percent_of: dict[str, float] = {}
    for pattern in COVERED_MODULES:
        for path in sorted((PROJECT_ROOT / "src" / "ekommune").glob(pattern)):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            _, statements, _, missing, _ = data.analysis2(str(path))
            covered = len(statements) - len(missing)
            relative = str(path.relative_to(PROJECT_ROOT))
            percent_of[relative] = 100.0 if not statements else 100.0 * covered / len(statements)
    findings = coverage_findings(percent_of, coverage_floors())
    for finding in findings:
        print(f"ekommune check: coverage: {finding}", file=sys.stderr)
    return 1 if findings else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in {"run", "check"}:
        print(__doc__, file=sys.stderr)
        return 2
    if args[0] == "run":
        return run(port=int(os.environ.get("EKOMMUNE_PORT", "8000")))
    return check(args[1:])


if __name__ == "__main__":
    raise SystemExit(main())
