"""Staff single sign-on through the municipality's own provider: existing users and roles only."""

from __future__ import annotations

from typing import Any

import pytest

from ekommune.core.models import AuditEvent, Municipality, Role, StaffMembership, User
from ekommune.core.tests.factories import UserFactory, host_client, staff
from ekommune.identity.models import IdentityProvider
from ekommune.identity.testing import TEST_PERSON_NUMBERS
from ekommune.identity.tests.conftest import local, make_provider, provider_answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_provider(municipality_a: Municipality, op_issuer: str, admin_a: User) -> IdentityProvider:
    return make_provider(municipality_a, op_issuer, admin_a, kind="staff", scopes="openid email")


def staff_login(email: str) -> tuple[Any, Any]:
    client = host_client("aust.test")
    start = client.get("/innlogging/kommune/")
    assert start.status_code == 302
    assert "acr_values" not in start["Location"]
    response = client.get(local(provider_answer(start["Location"], pid=TEST_PERSON_NUMBERS[0], email=email)))
    return client, response


def test_a_staff_member_is_logged_in_by_verified_email(
    staff_provider: IdentityProvider, municipality_a: Municipality
) -> None:
    worker = staff(municipality_a, Role.CASE_WORKER, email="Kari.Nilsen@aust.kommune.no")
    client, response = staff_login("kari.nilsen@aust.kommune.no")
    assert response.status_code == 302
    assert response["Location"] == "/ansatt/"
    assert client.get("/ansatt/").status_code == 200
    event = AuditEvent.objects.get(municipality=municipality_a, action="staff.login")
    assert event.actor_id == worker.pk


def test_a_person_without_a_role_here_is_not_logged_in_and_gets_no_role(
    staff_provider: IdentityProvider, municipality_b: Municipality
) -> None:
    UserFactory.create(email="uten.rolle@aust.kommune.no")
    staff(municipality_b, Role.ADMINISTRATOR, email="annen.kommune@vest.kommune.no")
    memberships = StaffMembership.objects.count()
    for email in ("uten.rolle@aust.kommune.no", "annen.kommune@vest.kommune.no", "ukjent@example.org"):
        client, response = staff_login(email)
        assert response.status_code == 403
        assert 'data-code="no_staff_user"' in response.text
        assert client.get("/ansatt/").status_code == 302
    assert StaffMembership.objects.count() == memberships
    assert User.objects.count() == 3  # the two above and the administrator: none created


def test_without_a_staff_provider_there_is_no_single_sign_on(municipality_a: Municipality) -> None:
    assert host_client("aust.test").get("/innlogging/kommune/").status_code == 404


def test_an_unverified_email_is_not_used_but_the_sub_may_name_the_user(
    staff_provider: IdentityProvider, municipality_a: Municipality
) -> None:
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory

    from ekommune.core.errors import ApplicationError
    from ekommune.identity.services import staff_oidc_login
    from ekommune.identity.types import LoginResult

    worker = staff(municipality_a, Role.CASE_WORKER, username="kn1234", email="kari.nilsen@aust.kommune.no")

    def attempt(claims: dict[str, Any]) -> User:
        request = RequestFactory().get("/")
        request.session = SessionStore()
        result = LoginResult(provider=staff_provider, claims=claims, id_token="x", level="", next_url="/")
        return staff_oidc_login(request=request, municipality=municipality_a, result=result)

    unverified = {"email": "kari.nilsen@aust.kommune.no", "email_verified": False, "sub": "noen-andre"}
    with pytest.raises(ApplicationError) as error:
        attempt(unverified)
    assert error.value.code == "no_staff_user"
    assert attempt({**unverified, "sub": "kn1234"}) == worker


def test_the_staff_login_page_offers_single_sign_on_only_where_it_is_set_up(
    staff_provider: IdentityProvider, municipality_b: Municipality
) -> None:
    page = host_client("aust.test").get("/innlogging/?next=/ansatt/innboks/").content.decode()
    assert 'href="/innlogging/kommune/?next=/ansatt/innboks/"' in page
    assert "/innlogging/kommune/" not in host_client("vest.test").get("/innlogging/").content.decode()
