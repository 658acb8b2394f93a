"""Every page and API answer carries the security headers and a strict Content Security Policy
(decision 0228): the test walks every URL pattern of the site, fills its parameters, and reads the
headers of each answer, to a visitor and to a logged-in administrator, whatever the status."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from ekommune.core.models import Municipality, User
from ekommune.core.tests.factories import host_client

pytestmark = pytest.mark.django_db

PARAMETER = re.compile(r"<(?:(?P<converter>[a-z]+):)?(?P<name>\w+)>")
# Loaded by the OpenID provider in a hidden frame (front-channel logout): framing is allowed there.
FRAMED = {"/innbygger/utlogging/frontkanal/"}
VALUES = {"int": "1", "uuid": str(uuid.UUID(int=1)), "slug": "x", "str": "x", "path": "x", None: "x"}


def paths(patterns: list[Any] | None = None, prefix: str = "") -> Iterator[str]:
    """Every route of the URL configuration, its parameters filled with a value of their kind."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = str(entry.pattern)
        if route.startswith("^"):  # a regex pattern (the admin's catch-all, static): its plain start
            route = re.sub(r"[\^$]|\(.*", "", route).replace("\\", "")
        route = PARAMETER.sub(lambda m: VALUES.get(m["converter"], "x"), route)
        if isinstance(entry, URLResolver):
            yield from paths(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            yield "/" + prefix + route


def assert_strict_headers(response: Any, path: str) -> None:
    policy = response.get("Content-Security-Policy", "")
    where = f"{path} ({response.status_code})"
    assert "default-src 'self'" in policy, where
    assert "script-src 'self'" in policy, where
    framed = path in FRAMED
    assert ("frame-ancestors *" if framed else "frame-ancestors 'none'") in policy, where
    assert "object-src 'none'" in policy, where
    assert "unsafe-inline" not in policy, where
    assert "unsafe-eval" not in policy, where
    assert response.get("X-Content-Type-Options") == "nosniff", where
    assert response.get("X-Frame-Options") == (None if framed else "DENY"), where
    assert response.get("Referrer-Policy") == "same-origin", where
    assert response.get("Cross-Origin-Opener-Policy") == "same-origin", where
    assert "camera=()" in response.get("Permissions-Policy", ""), where


def test_every_url_pattern_answers_with_the_security_headers(
    municipality_a: Municipality, admin_a: User
) -> None:
    found = sorted(set(paths()))
    assert len(found) > 80  # the walk reaches the whole site
    visitor, admin = host_client("aust.test"), host_client("aust.test", admin_a)
    for path in found:
        for client in (visitor, admin):
            assert_strict_headers(client.get(path), path)
    assert_strict_headers(host_client("localhost").get("/"), "/ (installation)")


def test_staff_answers_are_not_cached_and_the_inline_style_carries_the_nonce(
    municipality_a: Municipality, admin_a: User
) -> None:
    admin = host_client("aust.test", admin_a)
    staff_page = admin.get("/ansatt/")
    assert staff_page["Cache-Control"] == "no-store"
    nonce = re.search(r"'nonce-([^']+)'", staff_page["Content-Security-Policy"])
    assert nonce is not None
    assert f'<style nonce="{nonce[1]}">' in staff_page.content.decode()
    again = admin.get("/ansatt/")
    assert re.search(r"'nonce-([^']+)'", again["Content-Security-Policy"])[1] != nonce[1]  # type: ignore[index]
    assert "no-store" not in host_client("aust.test").get("/journal/").get("Cache-Control", "")
