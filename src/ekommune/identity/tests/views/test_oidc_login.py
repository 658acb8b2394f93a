"""Citizen login with OpenID Connect against the stand-in provider, a real process on localhost.

The full browser-free redirect flow: our login start → the provider's /authorize (test person
chosen by query parameters) → our callback → code exchanged at the provider's /token → ID token
validated → citizen session.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
import requests
from django.http import HttpRequest, HttpResponse
from django.test import Client

from ekommune.core.models import AuditEvent, Municipality
from ekommune.core.tests.factories import host_client
from ekommune.identity.http import citizen_required
from ekommune.identity.models import Citizen, IdentityProvider
from ekommune.identity.services import SESSION_KEY
from ekommune.identity.testing import TEST_PERSON_NUMBERS
from ekommune.identity.tests.conftest import local, log_in_through_provider, provider_answer, query
from ekommune.identity.types import Level

pytestmark = pytest.mark.django_db

KARI, OLA = TEST_PERSON_NUMBERS[0], TEST_PERSON_NUMBERS[1]


def start_url(
    provider: IdentityProvider, level: str = Level.SUBSTANTIAL, next_url: str = "/tjenester/"
) -> str:
    return f"/innbygger/innlogging/{provider.pk}/?" + urlencode({"level": level, "next": next_url})


def citizen_session(client: Client) -> Any:
    return client.session.get(SESSION_KEY)


def test_login_at_substantial_creates_the_citizen_from_pid_and_returns_to_the_service(
    idporten: IdentityProvider, municipality_a: Municipality
) -> None:
    client = host_client("aust.test")
    start = client.get(start_url(idporten))
    assert start.status_code == 302
    request = query(start["Location"])
    assert start["Location"].startswith(idporten.issuer + "/authorize?")
    assert request["code_challenge_method"] == "S256"
    assert len(request["code_challenge"]) == 43
    assert request["acr_values"] == Level.SUBSTANTIAL
    assert request["nonce"]
    assert request["state"]
    assert request["redirect_uri"] == "http://aust.test/innlogging/tilbake/"
    assert request["scope"] == "openid profile"

    response = client.get(local(provider_answer(start["Location"], pid=KARI)))
    assert response.status_code == 302
    assert response["Location"] == "/tjenester/"
    citizen = Citizen.objects.get(national_identity_number=KARI)
    assert citizen.name == "Kari Nordmann"
    stored = citizen_session(client)
    assert stored is not None
    assert stored["citizen"] == str(citizen.system_id)
    assert stored["level"] == Level.SUBSTANTIAL
    assert stored["provider"] == f"idporten:{idporten.pk}"
    assert stored["sid"]
    event = AuditEvent.objects.get(municipality=municipality_a, action="identity.citizen_login")
    assert KARI not in str(event.detail)


@citizen_required(Level.HIGH)
def high_service(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def test_a_citizen_at_substantial_steps_up_to_high_for_a_service_that_needs_it(
    idporten: IdentityProvider,
) -> None:
    client = host_client("aust.test")
    log_in_through_provider(client, start_url(idporten), pid=KARI)
    assert citizen_session(client)["level"] == Level.SUBSTANTIAL

    # The gate sends the citizen to the login page with the level wanted ...
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory

    gate_request = RequestFactory().get("/skjema/byggesak/")
    gate_request.session = SessionStore(session_key=client.session.session_key)
    gate = high_service(gate_request)
    assert gate.status_code == 302
    login_page = client.get(gate["Location"])
    assert login_page.status_code == 200
    assert "høyere sikkerhetsnivå" in login_page.text
    start = login_page.context["choices"][0][1]
    assert "level=idporten-loa-high" in start

    # ... which goes back to the provider with acr_values=high.
    first = client.get(start)
    assert query(first["Location"])["acr_values"] == Level.HIGH
    response = client.get(local(provider_answer(first["Location"], pid=KARI)))
    assert response.status_code == 302
    assert response["Location"] == "/skjema/byggesak/"
    stored = citizen_session(client)
    assert stored["level"] == Level.HIGH
    assert Citizen.objects.count() == 1


def test_a_lower_level_than_asked_for_is_refused(idporten: IdentityProvider) -> None:
    client = host_client("aust.test")
    response = log_in_through_provider(
        client, start_url(idporten, level=Level.HIGH), pid=KARI, acr=Level.SUBSTANTIAL
    )
    assert response.status_code == 403
    assert 'data-code="insufficient_level"' in response.text
    assert citizen_session(client) is None


@pytest.mark.parametrize("fault", ["tampered", "expired", "wrong_nonce", "wrong_audience", "wrong_issuer"])
def test_a_bad_id_token_is_refused_and_nobody_is_logged_in(idporten: IdentityProvider, fault: str) -> None:
    client = host_client("aust.test")
    response = log_in_through_provider(client, start_url(idporten), pid=KARI, fault=fault)
    assert response.status_code == 401
    assert 'data-code="invalid_id_token"' in response.text
    assert "Innloggingen mislyktes" in response.text
    assert citizen_session(client) is None
    assert not Citizen.objects.exists()


def test_an_answer_with_a_state_we_did_not_send_is_refused(idporten: IdentityProvider) -> None:
    client = host_client("aust.test")
    start = client.get(start_url(idporten))
    answer = provider_answer(start["Location"], pid=KARI)
    forged = local(answer).replace(f"state={query(answer)['state']}", "state=forfalsket")
    response = client.get(forged)
    assert response.status_code == 400
    assert 'data-code="state_mismatch"' in response.text
    assert citizen_session(client) is None


def test_the_answer_in_another_browser_is_refused(idporten: IdentityProvider) -> None:
    """Login CSRF: a code and state started in the attacker's browser do not log in the victim."""
    attacker, victim = host_client("aust.test"), host_client("aust.test")
    answer = provider_answer(attacker.get(start_url(idporten))["Location"], pid=OLA)
    response = victim.get(local(answer))
    assert response.status_code == 400
    assert citizen_session(victim) is None


def test_an_answer_used_twice_logs_in_once(idporten: IdentityProvider) -> None:
    client = host_client("aust.test")
    answer = local(provider_answer(client.get(start_url(idporten))["Location"], pid=KARI))
    assert client.get(answer).status_code == 302
    again = client.get(answer)
    assert again.status_code == 400
    assert 'data-code="state_mismatch"' in again.text


def test_a_cancelled_login_says_so(idporten: IdentityProvider) -> None:
    client = host_client("aust.test")
    response = log_in_through_provider(client, start_url(idporten), cancel="1")
    assert response.status_code == 403
    assert 'data-code="login_cancelled"' in response.text
    assert "avbrutt" in response.text
    assert citizen_session(client) is None


def test_an_unreachable_provider_gives_a_clear_page(municipality_a: Municipality, operator) -> None:
    from ekommune.identity.tests.conftest import make_provider

    provider = make_provider(municipality_a, "http://127.0.0.1:9", operator)
    response = host_client("aust.test").get(start_url(provider))
    assert response.status_code == 503
    assert 'data-code="provider_unavailable"' in response.text


def test_logout_ends_the_session_here_and_at_the_provider(idporten: IdentityProvider) -> None:
    client = host_client("aust.test")
    log_in_through_provider(client, start_url(idporten), pid=KARI)
    id_token = citizen_session(client)["id_token"]

    response = client.post("/innbygger/utlogging/?next=/tjenester/")
    assert response.status_code == 302
    assert response["Location"].startswith(idporten.issuer + "/endsession?")
    sent = query(response["Location"])
    assert sent["id_token_hint"] == id_token
    assert sent["post_logout_redirect_uri"] == "http://aust.test/innbygger/utlogget/"
    assert citizen_session(client) is None

    back = requests.get(response["Location"], allow_redirects=False, timeout=10)
    assert back.status_code == 302
    page = client.get(local(back.headers["Location"]))
    assert page.status_code == 200
    assert page.context["confirmed"] is True
    assert page.context["next"] == "/tjenester/"


def test_front_channel_logout_ends_the_session_without_its_cookie(
    municipality_a: Municipality, operator
) -> None:
    from ekommune.identity.tests.conftest import make_provider
    from ekommune.testing import STANDIN_CLIENT_ID, standin_op

    frontchannel = {STANDIN_CLIENT_ID: "http://aust.test/innbygger/utlogging/frontkanal/"}
    with standin_op(frontchannel=frontchannel) as issuer:
        provider = make_provider(municipality_a, issuer, operator)
        client = host_client("aust.test")
        log_in_through_provider(client, start_url(provider), pid=KARI)
        stored = citizen_session(client)
        # The session ends at the provider (here: its end-session page, as another service would)...
        page = requests.get(f"{issuer}/endsession", params={"id_token_hint": stored["id_token"]}, timeout=10)
        assert page.status_code == 200
        frame = page.text.split('<iframe title="Utlogging" hidden src="', 1)[1].split('"', 1)[0]
        frame = frame.replace("&amp;", "&")
        assert f"sid={stored['sid']}" in frame
        # ... which loads our front-channel URL in a frame, without our cookie.
        response = host_client("aust.test").get(local(frame))
        assert response.status_code == 200
        assert "X-Frame-Options" not in response
    assert citizen_session(client) is None
    assert AuditEvent.objects.filter(action="identity.citizen_frontchannel_logout").count() == 1


def test_another_municipalitys_provider_cannot_be_used_here(
    idporten: IdentityProvider, municipality_b: Municipality, op_issuer: str, operator
) -> None:
    from ekommune.identity.tests.conftest import make_provider

    vest = make_provider(municipality_b, op_issuer, operator, name="Vest ID-porten")
    client = host_client("aust.test")
    assert client.get(start_url(vest)).status_code == 404
    page = client.get("/innbygger/innlogging/")
    assert [provider.pk for provider, _ in page.context["choices"]] == [idporten.pk]
    # A login started at Vest and answered at Aust's address is not accepted.
    vest_client = host_client("vest.test")
    answer = provider_answer(vest_client.get(start_url(vest))["Location"], pid=KARI)
    vest_client.defaults["HTTP_HOST"] = "aust.test"
    response = vest_client.get(local(answer))
    assert response.status_code == 404
    assert citizen_session(vest_client) is None


def test_without_a_provider_the_login_page_says_login_is_not_set_up(municipality_a: Municipality) -> None:
    response = host_client("aust.test").get("/innbygger/innlogging/")
    assert response.status_code == 503
    assert "ikke satt opp" in response.text


def test_a_feide_login_counts_as_substantial_and_sends_no_id_porten_level(
    municipality_a: Municipality, op_issuer: str, operator
) -> None:
    from ekommune.identity.tests.conftest import make_provider

    feide = make_provider(municipality_a, op_issuer, operator, kind="feide", name="Feide")
    client = host_client("aust.test")
    start = client.get(start_url(feide, level=Level.HIGH))
    assert "acr_values" not in query(start["Location"])
    response = client.get(local(provider_answer(start["Location"], pid=OLA)))
    assert response.status_code == 302
    stored = citizen_session(client)
    assert stored["level"] == Level.SUBSTANTIAL
    assert stored["provider"] == f"feide:{feide.pk}"


@pytest.mark.parametrize(
    ("language", "heading", "button"),
    [
        ("nb", "Logg inn", "Logg inn med ID-porten"),
        ("nn", "Logg inn", "Logg inn med ID-porten"),
        ("en", "Log in", "Log in with ID-porten"),
    ],
)
def test_the_login_page_in_each_language(
    idporten: IdentityProvider, language: str, heading: str, button: str
) -> None:
    client = host_client("aust.test")
    client.cookies["django_language"] = language
    page = client.get("/innbygger/innlogging/?level=idporten-loa-high").text
    assert f"<h1>{heading}</h1>" in page
    assert button in page
    if language == "nn":
        assert "høgt tryggleiksnivå" in page


def test_new_signing_keys_at_the_provider_are_fetched_without_a_restart_here(
    municipality_a: Municipality, operator
) -> None:
    """The provider restarts with a new key (rotation): the cached JWKS is refreshed for the unknown kid."""
    from ekommune.identity.tests.conftest import make_provider
    from ekommune.testing import free_port, standin_op

    port = free_port()
    with standin_op(port=port) as issuer:
        provider = make_provider(municipality_a, issuer, operator)
        assert (
            log_in_through_provider(host_client("aust.test"), start_url(provider), pid=KARI).status_code
            == 302
        )
    with standin_op(port=port):
        client = host_client("aust.test")
        assert log_in_through_provider(client, start_url(provider), pid=OLA).status_code == 302
        assert citizen_session(client) is not None
