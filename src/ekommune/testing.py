"""Test support shared by every app: real Chromium through Playwright, and axe-core scans.

Browser tests use Debian's Chromium (``/usr/bin/chromium``, installed by ``make test``), never a
downloaded browser, and scan each page with axe-core (shipped inside the
``axe-playwright-python`` wheel: nothing is fetched at test time).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("EKOMMUNE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
# WCAG 2.1 A and AA, plus axe's best practices (landmarks, one h1, skip links...).
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    "resultTypes": ["violations"],
}


def launch_browser() -> Iterator[Any]:
    """Yield a Chromium browser; Playwright's sync API runs an event loop in this thread."""
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the ORM runs beside Playwright's loop
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def axe_violations(page: Any) -> list[str]:
    """Run axe-core on the page; one readable line per violation and node."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=AXE_OPTIONS)
    lines = []
    for violation in results.response["violations"]:
        for node in violation["nodes"]:
            lines.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']} at {node['target']}"
            )
    return lines


def assert_accessible(page: Any) -> None:
    violations = axe_violations(page)
    assert violations == [], "axe-core found accessibility violations:\n" + "\n".join(violations)


# ------------------------------------------------------------------ the stand-in OpenID provider

STANDIN_CLIENT_ID = "ekommune-test"
STANDIN_CLIENT_SECRET = "test-secret"  # noqa: S105 (the stand-in provider's test client)


class standin_op:
    """Run the stand-in OpenID provider (``ekommune.identity.standin_op``) as a separate process on a
    free localhost port for the duration of a ``with`` block, which gets its issuer URL.

    ``clients`` maps client id to secret (default ``ekommune-test`` / ``test-secret``);
    ``frontchannel`` maps client id to its front-channel logout URL; ``port`` 0 means a free one.
    """

    def __init__(
        self,
        *,
        clients: dict[str, str] | None = None,
        frontchannel: dict[str, str] | None = None,
        port: int = 0,
    ) -> None:
        import sys

        self.command = [sys.executable, "-m", "ekommune.identity.standin_op", "--port", str(port)]
        for client_id, secret in (clients or {STANDIN_CLIENT_ID: STANDIN_CLIENT_SECRET}).items():
            self.command += ["--client", f"{client_id}={secret}"]
        for client_id, url in (frontchannel or {}).items():
            self.command += ["--frontchannel-logout", f"{client_id}={url}"]
        self.process: Any = None

    def __enter__(self) -> str:
        import subprocess

        self.process = subprocess.Popen(self.command, stdout=subprocess.PIPE, text=True)  # noqa: S603
        line = self.process.stdout.readline()
        if " on " not in line:
            self.__exit__()
            raise RuntimeError(f"the stand-in OpenID provider did not start: {line!r}")
        return str(line.rsplit(" on ", 1)[1].strip())

    def __exit__(self, *exc: object) -> None:
        import subprocess

        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()


# ------------------------------------------------------------------ a real SMTP server


def free_port() -> int:
    """A TCP port on localhost that nothing listens on now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def smtp_server_process(maildir: Path) -> Iterator[dict[str, Any]]:
    """Run a real SMTP server (aiosmtpd, its own process) on a free localhost port, storing every
    message it receives in the Maildir ``maildir``; yield the ``MAILERS`` setting that sends to it."""
    import socket
    import subprocess
    import sys
    import tempfile
    import time

    port = free_port()
    command = [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}"]
    command += ["-c", "aiosmtpd.handlers.Mailbox", str(maildir)]
    # Its log goes to a file, not a pipe: a pipe nobody reads fills up over a long run (a
    # benchmark's thousands of messages) and the server then blocks in the middle of a reply.
    log = tempfile.TemporaryFile()  # noqa: SIM115 (closed below)
    process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
        command,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    error = log.read().decode(errors="replace")
                    raise RuntimeError(f"the SMTP server did not start: {error}") from None
                time.sleep(0.05)
        yield {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
            }
        }
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def maildir_messages(maildir: Path) -> list[bytes]:
    """The messages an ``smtp_server_process`` stored, oldest first, as they arrived (bytes).

    Maildir names are ``<seconds>.M<microseconds>P<pid>Q<counter>.<host>``, not zero-padded: they
    are ordered by their numbers, not as text.
    """
    import mailbox
    import re

    def arrival(key: str) -> tuple[int, int, int]:
        match = re.match(r"(\d+)\.M(\d+)P\d+Q(\d+)", key)
        assert match is not None, key
        return int(match[1]), int(match[2]), int(match[3])

    box = mailbox.Maildir(maildir, create=False)
    return [box.get_bytes(key) for key in sorted(box.keys(), key=arrival)]
