"""Password login for staff, with lockout after repeated failures (django-axes) and audit."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings

from ekommune.core.models import AuditEvent, Municipality, User
from ekommune.core.tests.factories import PASSWORD, host_client

pytestmark = pytest.mark.django_db


def login(client: Client, username: str, password: str) -> Any:
    return client.post("/innlogging/", {"username": username, "password": password}, REMOTE_ADDR="10.1.2.3")


def test_correct_password_logs_in_and_is_audited(admin_a: User, municipality_a: Municipality) -> None:
    client = host_client("aust.test")
    response = login(client, "aust.admin", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/ansatt/"
    assert client.get("/ansatt/").status_code == 200
    event = AuditEvent.objects.get(municipality=municipality_a, action="staff.login")
    assert event.actor_id == admin_a.pk
    assert event.detail == {"ip_address": "10.1.2.3"}


def test_wrong_password_shows_an_error(admin_a: User) -> None:
    response = login(host_client("aust.test"), "aust.admin", "feil")
    assert response.status_code == 200
    assert 'role="alert"' in response.text


@override_settings(AXES_FAILURE_LIMIT=3)
def test_account_is_locked_after_repeated_failures(admin_a: User) -> None:
    client = host_client("aust.test")
    for _ in range(3):
        login(client, "aust.admin", "feil-passord")
    locked = login(client, "aust.admin", PASSWORD)
    assert locked.status_code == 429
    assert "midlertidig sperret" in locked.text
    assert client.get("/ansatt/").status_code == 302  # still not logged in


@override_settings(AXES_FAILURE_LIMIT=3)
def test_lockout_is_per_user_not_for_everyone(admin_a: User, admin_b: User) -> None:
    client = host_client("aust.test")
    for _ in range(3):
        login(client, "aust.admin", "feil-passord")
    other = login(host_client("vest.test"), "vest.admin", PASSWORD)
    assert other.status_code == 302


def test_login_page_only_exists_inside_a_municipality(municipality_a: Municipality) -> None:
    assert host_client("localhost").get("/innlogging/").status_code == 404
    assert host_client("localhost").get("/k/aust/innlogging/").status_code == 200


def test_logout_ends_the_session(admin_a: User) -> None:
    client = host_client("aust.test", admin_a)
    assert client.post("/utlogging/").status_code == 302
    assert client.get("/ansatt/").status_code == 302


def test_an_empty_login_names_each_missing_field_beside_it_and_in_the_summary(admin_a: User) -> None:
    response = login(host_client("aust.test"), "", "")
    page = response.text
    for field, message in (("username", "Fyll ut «Brukernavn»."), ("password", "Fyll ut «Passord».")):
        assert f'<a href="#id_{field}">{message}</a>' in page
        assert f'<p class="field-error" id="id_{field}_error">{message}</p>' in page
        assert f'aria-describedby="id_{field}_error"' in page
    assert "Brukernavnet eller passordet er feil" not in page  # nothing was checked yet
