"""Citizen logins started per client address are limited (each asks ID-porten; decision 0170)."""

from __future__ import annotations

from typing import Any

import pytest

from ekommune.core.tests.factories import host_client
from ekommune.identity.models import IdentityProvider

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_rate_clock")]


def test_login_starts_over_the_limit_get_429(idporten: IdentityProvider, settings: Any) -> None:
    settings.EKOMMUNE_RATE_LIMITS = {**settings.EKOMMUNE_RATE_LIMITS, "login": "2/m"}
    client = host_client("aust.test")
    codes = [client.get(f"/innbygger/innlogging/{idporten.pk}/").status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert client.get("/innbygger/innlogging/").status_code == 200  # choosing a provider is not limited
