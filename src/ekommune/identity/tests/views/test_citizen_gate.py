"""The gate in front of a citizen's pages (``identity.http.citizen_required``): step-up to the level
a page asks for, the session it reads, and logging out."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from ekommune.core.tests.factories import MunicipalityFactory
from ekommune.identity.http import citizen_required
from ekommune.identity.selectors import session_citizen
from ekommune.identity.testing import log_in_citizen
from ekommune.identity.types import Level

pytestmark = pytest.mark.django_db


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
