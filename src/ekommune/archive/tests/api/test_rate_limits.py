"""The Noark 5 API's rate limits (DRF throttle over the shared PostgreSQL counter, decision 0170)."""

from __future__ import annotations

from typing import Any

import pytest

from ekommune.archive.tests.api.test_protocol import api, token_for
from ekommune.archive.tests.factories import Archive

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_rate_clock")]


def test_a_user_over_the_limit_gets_429_with_retry_after_in_the_standards_error_body(
    archive: Archive, settings: Any
) -> None:
    host = "aust.test"
    token = token_for(host, archive.records_manager.username)
    settings.EKOMMUNE_RATE_LIMITS = {**settings.EKOMMUNE_RATE_LIMITS, "api_user": "3/m"}
    client = api(host, token)
    codes = [client.get("/api/noark5/arkivstruktur/arkiv/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = client.get("/api/noark5/arkivstruktur/arkiv/")
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "feil" in refused.json()
    other = token_for(host, archive.case_worker.username)  # another user has a count of his own
    assert api(host, other).get("/api/noark5/arkivstruktur/arkiv/").status_code == 200


def test_password_guessing_at_the_token_endpoint_is_limited_per_address(
    archive: Archive, settings: Any
) -> None:
    host = "aust.test"
    settings.EKOMMUNE_RATE_LIMITS = {**settings.EKOMMUNE_RATE_LIMITS, "api_anonymous": "2/m"}
    client = api(host)
    codes = [
        client.post(
            "/api/noark5/login/rfc6749/token/",
            "grant_type=password&username=x&password=y",
            content_type="application/x-www-form-urlencoded",
        ).status_code
        for _ in range(3)
    ]
    assert codes[:2] != [429, 429]
    assert codes[2] == 429
