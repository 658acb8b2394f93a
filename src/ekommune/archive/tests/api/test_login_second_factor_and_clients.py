"""The token endpoint's rules for staff accounts (decisions 0227, 0229): the password grant needs the
one-time code of a user who has two-factor login (``otp``), and refuses one whose role requires it
and who has not set it up; systems use the client credentials grant, bounded by their scopes."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from ekommune.archive.tests.factories import Archive, archive_for
from ekommune.core import services, twofactor
from ekommune.core.errors import PermissionDeniedError, ValidationError
from ekommune.core.models import AuditEvent, Municipality, Role, User
from ekommune.core.tests.factories import PASSWORD, staff
from ekommune.core.tests.test_two_factor import code

pytestmark = pytest.mark.django_db
TOKEN = "/api/noark5/login/rfc6749/token/"


@pytest.fixture
def archive(municipality_a: Municipality) -> Archive:
    return archive_for(municipality_a)


def grant(form: dict[str, str], **headers: str) -> Any:
    return Client(HTTP_HOST="aust.test").post(TOKEN, form, headers=headers)


def test_the_password_grant_asks_a_user_with_two_factors_for_the_code(archive: Archive) -> None:
    user = archive.records_manager
    device = twofactor.totp_setup_start(user=user)
    twofactor.totp_setup_confirm(user=user, token=code(device))
    form = {"grant_type": "password", "username": user.username, "password": PASSWORD}
    missing = grant(form)
    assert (missing.status_code, missing.json()["error"], missing.json()["reason"]) == (
        400,
        "invalid_grant",
        "otp_required",
    )
    assert grant({**form, "otp": "000"}).json()["reason"] == "otp_invalid"
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(minutes=3)):
        answer = grant({**form, "otp": code(device)})
    assert answer.status_code == 200, answer.content
    assert "refresh_token" in answer.json()


def test_a_role_that_requires_two_factors_gets_no_token_without_them(archive: Archive, settings: Any) -> None:
    settings.EKOMMUNE_TWO_FACTOR_REQUIRED = True
    form = {"grant_type": "password", "username": archive.records_manager.username, "password": PASSWORD}
    assert grant(form).json()["reason"] == "two_factor_setup_required"
    case_worker = {"grant_type": "password", "username": archive.case_worker.username, "password": PASSWORD}
    assert grant(case_worker).status_code == 200


def test_a_system_reads_with_client_credentials_and_writes_only_with_the_write_scope(
    archive: Archive, admin_a: User
) -> None:
    system = staff(archive.municipality, Role.CASE_WORKER, username="fagsystem")
    reader = services.service_client_create(
        actor=admin_a, municipality=archive.municipality, name="Fagsystem", user=system, scopes=["read"]
    )
    basic = base64.b64encode(f"{reader.client.client_id}:{reader.client_secret}".encode()).decode()
    answer = grant({"grant_type": "client_credentials"}, Authorization=f"Basic {basic}")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["scope"] == "read"
    assert "refresh_token" not in body
    api = Client(HTTP_HOST="aust.test", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert api.get("/api/noark5/arkivstruktur/arkiv/").status_code == 200
    refused = api.post(
        "/api/noark5/arkivstruktur/ny-arkiv/", {"tittel": "x"}, content_type="application/json"
    )
    assert refused.status_code == 403
    writer = services.service_client_create(
        actor=admin_a,
        municipality=archive.municipality,
        name="Skriver",
        user=system,
        scopes=["read", "write"],
    )
    form = {
        "grant_type": "client_credentials",
        "client_id": writer.client.client_id,
        "client_secret": writer.client_secret,
    }
    assert grant(form).json()["scope"] == "read write"
    wrong = grant({**form, "client_secret": "gjettet"})
    assert (wrong.status_code, wrong.json()["error"]) == (401, "invalid_client")
    assert AuditEvent.objects.filter(action="api.service_client.create").count() == 2


def test_only_an_administrator_registers_a_client_with_known_scopes_for_an_account_with_a_role(
    archive: Archive, admin_a: User, municipality_b: Municipality
) -> None:
    system = staff(archive.municipality, Role.CASE_WORKER, username="fagsystem")
    m = archive.municipality
    with pytest.raises(PermissionDeniedError):
        services.service_client_create(
            actor=archive.case_worker, municipality=m, name="x", user=system, scopes=["read"]
        )
    for name, user, scopes, error in [
        ("x", system, [], "invalid_scope"),
        ("x", system, ["root"], "invalid_scope"),
        (" ", system, ["read"], "required"),
        ("x", staff(municipality_b), ["read"], "no_role"),
    ]:
        with pytest.raises(ValidationError) as refused:
            services.service_client_create(actor=admin_a, municipality=m, name=name, user=user, scopes=scopes)
        assert refused.value.code == error
    client = services.service_client_create(
        actor=admin_a, municipality=m, name="x", user=system, scopes=["read"]
    )
    with pytest.raises(PermissionDeniedError):
        services.service_client_token_issue(
            client_id=client.client.client_id, client_secret=client.client_secret, municipality=municipality_b
        )


def test_the_command_registers_a_client_and_prints_its_secret_once(archive: Archive, admin_a: User) -> None:
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError

    staff(archive.municipality, Role.CASE_WORKER, username="fagsystem")
    out = io.StringIO()
    call_command(
        "service_client", "create", "--municipality", "aust", "--name", "Fagsystem", "--account", "fagsystem",
        "--scopes", "read,write", "--by", admin_a.username, stdout=out,
    )  # fmt: skip
    lines = dict(line.split(": ", 1) for line in out.getvalue().splitlines() if ": " in line)
    form = {
        "grant_type": "client_credentials",
        "client_id": lines["client_id"],
        "client_secret": lines["client_secret"],
    }
    assert grant(form).json()["scope"] == "read write"
    for argv, message in [
        (["--municipality", "ingen"], "Unknown municipality"),
        (["--account", "ingen"], "Unknown or inactive user"),
        (["--scopes", "alt"], "Velg lese"),
    ]:
        base = {"--municipality": "aust", "--name": "x", "--account": "fagsystem", "--by": admin_a.username}
        base[argv[0]] = argv[1]
        args = [part for pair in base.items() for part in pair]
        if argv[0] == "--scopes":
            args += argv
        with pytest.raises(CommandError, match=message):
            call_command("service_client", "create", *args)
