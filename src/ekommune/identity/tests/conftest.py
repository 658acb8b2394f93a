"""The stand-in OpenID provider as a real process for the identity tests, and helpers to drive a login."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from ekommune.core.models import Municipality, User
from ekommune.identity import oidc
from ekommune.identity.models import IdentityProvider
from ekommune.identity.services import identity_provider_create
from ekommune.identity.testing import local, log_in_through_provider, provider_answer
from ekommune.testing import STANDIN_CLIENT_ID, STANDIN_CLIENT_SECRET, standin_op

__all__ = ["local", "log_in_through_provider", "make_provider", "provider_answer", "query"]


@pytest.fixture(scope="session")
def op_issuer() -> Iterator[str]:
    with standin_op() as issuer:
        yield issuer


@pytest.fixture(autouse=True)
def _fresh_clients() -> Iterator[None]:
    oidc.forget_clients()
    yield
    oidc.forget_clients()


def make_provider(
    municipality: Municipality, issuer: str, actor: User, kind: str = "idporten", **kwargs: Any
) -> IdentityProvider:
    options: dict[str, Any] = {
        "name": "ID-porten" if kind == "idporten" else "Kommunens innlogging",
        "client_id": STANDIN_CLIENT_ID,
        "client_secret": STANDIN_CLIENT_SECRET,
        **kwargs,
    }
    return identity_provider_create(
        actor=actor, municipality=municipality, kind=kind, issuer=issuer, **options
    )


@pytest.fixture
def idporten(municipality_a: Municipality, op_issuer: str, operator: User) -> IdentityProvider:
    return make_provider(municipality_a, op_issuer, operator)


def query(url: str) -> dict[str, str]:
    return {key: values[-1] for key, values in parse_qs(urlsplit(url).query).items()}
