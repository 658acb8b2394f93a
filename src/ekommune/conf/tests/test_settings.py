"""Production settings come from the environment, refuse unsafe values and pass check --deploy."""

from __future__ import annotations

import os
import subprocess
import sys
from urllib.parse import quote

import pytest
from django.db import connection

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "ekommune.conf.production",
    "DJANGO_SECRET_KEY": "k" * 20 + "-production-secret-with-enough-entropy-1234567890",
    "DJANGO_ALLOWED_HOSTS": "www.fjordvik.kommune.no,fjordvik.kommune.no",
    "DATABASE_URL": "postgresql://ekommune@db.internal:5432/ekommune",
}


def run_ekommune(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "EMAIL_", "EKOMMUNE_"))
    }
    return subprocess.run(
        [sys.executable, "-m", "ekommune", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def reachable_database_url() -> str:
    """The test server's address: some system checks (generated columns) ask the server its version.

    The embedded server is reached through a Unix socket, whose folder its URL gives as ``?host=``
    (``embedded_database_url``), so that the settings hold it in ``OPTIONS``, not in ``HOST``; it
    goes back into ``?host=``, never into the URL's host part, which would make it a TCP address."""
    db = connection.settings_dict
    options = db.get("OPTIONS") or {}
    user, name = db["USER"] or "postgres", db["NAME"]
    host = db["HOST"] or str(options.get("host") or "") or "localhost"
    port = db["PORT"] or str(options.get("port") or "")
    if host.startswith("/"):
        return f"postgresql://{user}@/{name}?host={quote(host)}" + (f"&port={port}" if port else "")
    return f"postgresql://{user}@{quote(host, safe='')}:{port or 5432}/{name}"


def test_check_deploy_is_clean_with_production_settings(db: None) -> None:
    env = {**PRODUCTION_ENV, "DATABASE_URL": reachable_database_url()}
    result = run_ekommune("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("missing_or_bad", "message"),
    [
        ({"DJANGO_SECRET_KEY": ""}, "DJANGO_SECRET_KEY must be set"),
        ({"DJANGO_SECRET_KEY": "short"}, "at least 50"),
        ({"DJANGO_ALLOWED_HOSTS": ""}, "DJANGO_ALLOWED_HOSTS"),
        ({"DATABASE_URL": ""}, "DATABASE_URL must be set"),
        ({"DATABASE_URL": "mysql://x@y/z"}, "PostgreSQL only"),
        ({"DJANGO_DEBUG": "maybe"}, "must be true or false"),
        ({"EKOMMUNE_STORAGE": "ftp"}, "EKOMMUNE_STORAGE"),
    ],
)
def test_production_refuses_missing_or_unsafe_values(missing_or_bad: dict[str, str], message: str) -> None:
    result = run_ekommune("check", env={**PRODUCTION_ENV, **missing_or_bad})
    assert result.returncode != 0
    assert message in result.stderr


def test_production_defaults_are_safe() -> None:
    code = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0)"
    )
    result = run_ekommune("shell", "--no-imports", "-c", code, env=PRODUCTION_ENV)
    assert result.stdout.split() == ["False", "True", "True", "True", "True"], result.stderr
