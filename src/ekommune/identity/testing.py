"""Test support for apps whose pages need a logged-in citizen (not used by production code).

``log_in_citizen`` gives a test client a citizen session directly; for end-to-end tests through the
real login, start the stand-in provider (``ekommune.testing.standin_op``), point a provider at it
(``standin_provider``) and use ``log_in_through_provider``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.contrib.sessions.backends.db import SessionStore
from django.test import Client, RequestFactory

from ekommune.core.models import Municipality
from ekommune.identity.models import Citizen
from ekommune.identity.services import citizen_session_login
from ekommune.identity.types import CitizenClaims, Level

# Valid synthetic numbers (check digits right; test persons, not real people).
TEST_PERSON_NUMBERS = ("01018510002", "15038510190", "22078510033")


def log_in_citizen(
    client: Client,
    *,
    national_identity_number: str = TEST_PERSON_NUMBERS[0],
    name: str = "Kari Nordmann",
    level: str = Level.SUBSTANTIAL,
    organisation_number: str = "",
) -> Citizen:
    """Give ``client`` a citizen session as the OIDC callback would."""
    request = RequestFactory().get("/")
    request.session = SessionStore()
    citizen = citizen_session_login(
        request=request,
        municipality=None,
        claims=CitizenClaims(
            national_identity_number=national_identity_number,
            name=name,
            level=level,
            provider="test",
            organisation_number=organisation_number,
        ),
    )
    request.session.save()
    client.cookies["sessionid"] = request.session.session_key or ""
    return citizen


# ------------------------------------------------------------------ the real login flow, without a browser


def standin_provider(
    municipality: Municipality, issuer: str, *, kind: str = "idporten", **settings: Any
) -> Any:
    """An identity provider of ``municipality`` pointing at a stand-in provider started with
    ``ekommune.testing.standin_op()`` (client ``ekommune-test``), created through the service."""
    from ekommune.core.models import User
    from ekommune.identity.services import identity_provider_create
    from ekommune.testing import STANDIN_CLIENT_ID, STANDIN_CLIENT_SECRET

    operator = User.objects.filter(username="standin-operator").first() or User.objects.create_superuser(
        username="standin-operator", email="standin-operator@example.invalid", password=None
    )
    options: dict[str, Any] = {
        "name": "ID-porten" if kind == "idporten" else f"Testinnlogging ({kind})",
        "client_id": STANDIN_CLIENT_ID,
        "client_secret": STANDIN_CLIENT_SECRET,
        **settings,
    }
    return identity_provider_create(
        actor=operator, municipality=municipality, kind=kind, issuer=issuer, **options
    )


def local(url: str) -> str:
    """Path and query of ``url`` (what the test client gets)."""
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def provider_answer(authorize_url: str, **choices: str) -> str:
    """Where the stand-in provider sends the browser back after the test person ``choices`` (``pid``,
    ``acr``, ``org``, ``email``, ``cancel``, ``fault``) logged in at ``authorize_url``."""
    import requests

    response = requests.get(authorize_url, params=choices, allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text
    return str(response.headers["Location"])


def log_in_through_provider(client: Client, start: str, **choices: str) -> Any:
    """The whole browser-free login: GET ``start`` (``/innbygger/innlogging/<provider id>/?level=…&next=…``),
    log in at the provider as ``choices``, come back to the callback; returns the callback's response."""
    response = client.get(start)
    assert response.status_code == 302, response.content
    return client.get(local(provider_answer(response["Location"], **choices)))
