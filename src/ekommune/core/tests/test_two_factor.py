"""Staff accounts (decision 0227): TOTP two-factor login with recovery codes, required of
administrators, records managers and operators; session limits; log out all my sessions."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ekommune.core import twofactor
from ekommune.core.errors import PermissionDeniedError, ValidationError
from ekommune.core.models import ApiToken, AuditEvent, Municipality, Role, User
from ekommune.core.tests.factories import PASSWORD, host_client, staff

pytestmark = pytest.mark.django_db


def code(device: TOTPDevice, *, later: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=later):06d}"


def log_in(client: Client, user: User, token: str = "") -> Any:
    return client.post("/innlogging/", {"username": user.username, "password": PASSWORD, "otp_token": token})


def set_up(user: User) -> tuple[TOTPDevice, list[str]]:
    device = twofactor.totp_setup_start(user=user)
    return twofactor.totp_setup_confirm(user=user, token=code(device))


def test_an_administrator_sets_up_the_app_on_the_page_and_gets_recovery_codes(
    municipality_a: Municipality, admin_a: User, settings: Any
) -> None:
    settings.EKOMMUNE_TWO_FACTOR_REQUIRED = True
    client = Client(HTTP_HOST="aust.test")
    assert log_in(client, admin_a).status_code == 302
    blocked = client.get("/ansatt/")
    assert blocked.status_code == 302
    assert blocked["Location"].startswith("/ansatt/tofaktor/")
    assert "krever tofaktor" in client.get("/ansatt/tofaktor/").content.decode()
    client.post("/ansatt/tofaktor/", {"action": "start"})
    page = client.get("/ansatt/tofaktor/")
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=admin_a, confirmed=False)
    wrong = client.post(
        "/ansatt/tofaktor/",
        {"action": "confirm", "token": "000000" if code(device) != "000000" else "111111"},
    )
    assert wrong.status_code == 400
    assert "Koden stemmer ikke" in wrong.content.decode()
    done = client.post("/ansatt/tofaktor/", {"action": "confirm", "token": code(device)})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == twofactor.RECOVERY_CODE_COUNT
    assert client.get("/ansatt/").status_code == 200  # this session is verified now
    assert AuditEvent.objects.filter(action="auth.two_factor.enable", actor_id=admin_a.pk).exists()
    renewed = client.post("/ansatt/tofaktor/", {"action": "codes"}).context["codes"]
    assert set(renewed).isdisjoint(codes)
    assert "ubrukte reservekoder" in client.get("/ansatt/tofaktor/").content.decode()


def test_login_asks_for_the_code_and_takes_a_recovery_code_once(
    municipality_a: Municipality, admin_a: User, settings: Any
) -> None:
    settings.EKOMMUNE_TWO_FACTOR_REQUIRED = True
    device, codes = set_up(admin_a)
    client = Client(HTTP_HOST="aust.test")
    missing = log_in(client, admin_a)
    assert missing.status_code == 200
    assert "Skriv inn engangskoden" in missing.content.decode()
    assert "Engangskoden stemmer ikke" in log_in(client, admin_a, "123").content.decode()
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(minutes=2)):  # a fresh code
        assert log_in(client, admin_a, code(device)).status_code == 302
        assert client.get("/ansatt/").status_code == 200
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(minutes=4)):  # after the throttle
        recovery = Client(HTTP_HOST="aust.test")
        assert log_in(recovery, admin_a, codes[0]).status_code == 302
        assert recovery.get("/ansatt/").status_code == 200
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(minutes=6)):
        assert "stemmer ikke" in log_in(Client(HTTP_HOST="aust.test"), admin_a, codes[0]).content.decode()


def test_a_session_without_the_second_factor_gives_the_code_on_the_page(
    municipality_a: Municipality, admin_a: User, settings: Any
) -> None:
    settings.EKOMMUNE_TWO_FACTOR_REQUIRED = True
    device, _ = set_up(admin_a)
    client = host_client("aust.test", admin_a)  # a session from elsewhere (single sign-on)
    assert client.get("/ansatt/")["Location"].startswith("/ansatt/tofaktor/?next=/ansatt/")
    assert client.post("/ansatt/tofaktor/", {"action": "verify", "token": "x"}).status_code == 400
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(minutes=2)):
        answer = client.post(
            "/ansatt/tofaktor/", {"action": "verify", "token": code(device), "next": "/ansatt/"}
        )
        assert answer["Location"] == "/ansatt/"
        assert client.get("/ansatt/").status_code == 200


def test_who_must_use_two_factors(municipality_a: Municipality, admin_a: User) -> None:
    assert twofactor.two_factor_required(user=admin_a)
    assert twofactor.two_factor_required(user=staff(municipality_a, Role.RECORDS_MANAGER))
    assert twofactor.two_factor_required(user=User.objects.create(username="drift", is_superuser=True))
    case_worker = staff(municipality_a, Role.CASE_WORKER)
    assert not twofactor.two_factor_required(user=case_worker)
    client = host_client("aust.test", case_worker)
    assert client.get("/ansatt/").status_code == 200  # not required of a case worker


def test_recovery_codes_need_an_app_and_another_users_app_is_removed_only_by_an_operator(
    municipality_a: Municipality, admin_a: User
) -> None:
    case_worker = staff(municipality_a, Role.CASE_WORKER)
    with pytest.raises(ValidationError):
        twofactor.recovery_codes_renew(user=case_worker)
    with pytest.raises(ValidationError) as no_pending:
        twofactor.totp_setup_confirm(user=case_worker, token="123456")
    assert no_pending.value.code == "no_pending_device"
    set_up(admin_a)
    with pytest.raises(PermissionDeniedError):
        twofactor.two_factor_disable(actor=case_worker, user=admin_a)
    operator = User.objects.create(username="drift", is_superuser=True)
    twofactor.two_factor_disable(actor=operator, user=admin_a)
    assert not twofactor.two_factor_enabled(user=admin_a)
    assert twofactor.two_factor_check(user=admin_a, token="") is None


def test_log_out_all_my_sessions_ends_every_browser_and_token(
    municipality_a: Municipality, admin_a: User
) -> None:
    first, second = host_client("aust.test", admin_a), host_client("aust.test", admin_a)
    assert second.get("/ansatt/").status_code == 200
    token = first.post(
        "/api/noark5/login/rfc6749/token/",
        {"grant_type": "password", "username": admin_a.username, "password": PASSWORD},
    )
    assert token.status_code == 200
    assert "Logg ut overalt" in first.get("/ansatt/okter/").content.decode()
    assert first.post("/ansatt/okter/").status_code == 302
    assert second.get("/ansatt/")["Location"].startswith("/innlogging/")
    assert first.get("/ansatt/")["Location"].startswith("/innlogging/")
    assert not ApiToken.objects.filter(user=admin_a).exists()
    assert log_in(Client(HTTP_HOST="aust.test"), admin_a).status_code == 302  # the password still works


def test_an_idle_or_old_session_ends(municipality_a: Municipality, admin_a: User, settings: Any) -> None:
    settings.EKOMMUNE_STAFF_IDLE_SECONDS = 30 * 60
    settings.EKOMMUNE_STAFF_SESSION_SECONDS = 8 * 60 * 60
    start = dt.datetime.now(tz=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        client = host_client("aust.test", admin_a)
        assert client.get("/ansatt/").status_code == 200
        traveller.shift(dt.timedelta(minutes=20))
        assert client.get("/ansatt/").status_code == 200
        traveller.shift(dt.timedelta(minutes=31))
        assert client.get("/ansatt/")["Location"].startswith("/innlogging/")
        busy = host_client("aust.test", admin_a)
        for _ in range(20):  # active all day: still ends 8 hours after login
            assert busy.get("/ansatt/").status_code == 200
            traveller.shift(dt.timedelta(minutes=25))
        assert re.match(r"^/innlogging/", busy.get("/ansatt/")["Location"])


@pytest.mark.slow
def test_the_demo_has_an_administrator_who_logs_in_with_the_printed_key(settings: Any, tmp_path: Any) -> None:
    from ekommune.core.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET_BASE32, DEMO_TOTP_USERNAME, demo_load

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EKOMMUNE_TWO_FACTOR_REQUIRED = True
    assert f"user {DEMO_TOTP_USERNAME} (two-factor key {DEMO_TOTP_SECRET_BASE32})" in demo_load()
    device = TOTPDevice.objects.get(user__username=DEMO_TOTP_USERNAME)
    client = Client(HTTP_HOST="fjordvik.localhost")
    form = {"username": DEMO_TOTP_USERNAME, "password": DEMO_PASSWORD, "otp_token": code(device)}
    assert client.post("/innlogging/", form).status_code == 302
    assert client.get("/ansatt/").status_code == 200
    assert not any(line.startswith(f"user {DEMO_TOTP_USERNAME}") for line in demo_load())
