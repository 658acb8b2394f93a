"""A citizen's session: who they are, at which level, and the gate that asks for more."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from ekommune.core.errors import ValidationError
from ekommune.core.tests.factories import MunicipalityFactory
from ekommune.identity.access import citizen_required
from ekommune.identity.levels import Level, level_satisfies
from ekommune.identity.models import Citizen
from ekommune.identity.selectors import session_citizen
from ekommune.identity.services import CitizenClaims, citizen_for_claims
from ekommune.identity.testing import TEST_PERSON_NUMBERS, log_in_citizen

pytestmark = pytest.mark.django_db


def test_high_satisfies_substantial_but_not_the_reverse() -> None:
    assert level_satisfies(Level.HIGH, Level.SUBSTANTIAL)
    assert level_satisfies(Level.SUBSTANTIAL, Level.SUBSTANTIAL)
    assert not level_satisfies(Level.SUBSTANTIAL, Level.HIGH)
    assert not level_satisfies("idporten-loa-low", Level.SUBSTANTIAL)


def test_first_login_creates_the_citizen_and_later_logins_update_the_name() -> None:
    claims = CitizenClaims(national_identity_number=TEST_PERSON_NUMBERS[1], name="Ola", level=Level.HIGH)
    first = citizen_for_claims(claims=claims)
    again = citizen_for_claims(
        claims=CitizenClaims(
            national_identity_number=TEST_PERSON_NUMBERS[1], name="Ola Nordmann", level=Level.HIGH
        )
    )
    assert first.pk == again.pk
    assert Citizen.objects.get(pk=first.pk).name == "Ola Nordmann"
    assert TEST_PERSON_NUMBERS[1] not in str(first)


def test_an_invalid_identity_number_is_refused() -> None:
    with pytest.raises(ValidationError) as error:
        citizen_for_claims(claims=CitizenClaims(national_identity_number="12345678901", level=Level.HIGH))
    assert error.value.code == "invalid_pid"
    assert not Citizen.objects.exists()


@citizen_required(Level.HIGH)
def high_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def _request_for(client: Client) -> HttpRequest:
    from django.contrib.sessions.backends.db import SessionStore

    request = RequestFactory().get("/tjeneste/?x=1")
    request.session = SessionStore(session_key=client.cookies["sessionid"].value)
    return request


def test_the_gate_sends_a_lower_level_session_to_step_up_and_lets_the_right_level_in(client: Client) -> None:
    log_in_citizen(client, level=Level.SUBSTANTIAL)
    response = high_page(_request_for(client))
    assert response.status_code == 302
    assert "level=idporten-loa-high" in response["Location"]
    assert "next=%2Ftjeneste%2F%3Fx%3D1" in response["Location"]

    citizen = log_in_citizen(client, level=Level.HIGH)
    request = _request_for(client)
    assert high_page(request).status_code == 200
    current = session_citizen(request=request)
    assert current is not None
    assert current.citizen == citizen
    assert current.level == Level.HIGH


def test_no_session_means_no_citizen_and_a_redirect_to_login() -> None:
    from django.contrib.sessions.backends.db import SessionStore

    request = RequestFactory().get("/tjeneste/")
    request.session = SessionStore()
    assert session_citizen(request=request) is None
    assert high_page(request).status_code == 302


def test_logout_ends_the_citizen_session(client: Client) -> None:
    municipality = MunicipalityFactory()
    log_in_citizen(client)
    prefix = f"/k/{municipality.slug}/"
    response = client.post(f"{prefix}innbygger/utlogging/?next={prefix}")
    assert response.status_code == 302
    assert response["Location"] == prefix
    assert session_citizen(request=_request_for(client)) is None
