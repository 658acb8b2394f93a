"""Test support for apps whose pages need a logged-in citizen (not used by production code)."""

from __future__ import annotations

from django.contrib.sessions.backends.db import SessionStore
from django.test import Client, RequestFactory

from ekommune.identity.levels import Level
from ekommune.identity.models import Citizen
from ekommune.identity.services import CitizenClaims, citizen_session_login

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
