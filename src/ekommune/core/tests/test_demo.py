"""The demo data: two municipalities with staff in every role, loaded idempotently."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from ekommune.core.demo import DEMO_PASSWORD
from ekommune.core.models import Municipality, Role, StaffMembership, User
from ekommune.core.selectors import audit_chain_keys, audit_chain_verify
from ekommune.core.tests.factories import host_client

pytestmark = pytest.mark.django_db


def test_demo_loads_two_municipalities_with_every_role(
    settings: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.MEDIA_ROOT = tmp_path
    call_command("demo", "load")
    assert sorted(Municipality.objects.values_list("slug", flat=True)) == ["bjorkedal", "fjordvik"]
    for municipality in Municipality.objects.all():
        roles = set(StaffMembership.objects.filter(municipality=municipality).values_list("role", flat=True))
        assert roles == set(Role.values)
        assert municipality.logo
    call_command("demo", "load")
    assert "all present" in capsys.readouterr().out
    staff = {
        "fjordvik.admin",
        "fjordvik.arkivar",
        "fjordvik.saksbehandler",
        "fjordvik.politikk",
        "fjordvik.leder",
    }
    # apps may add system accounts (the portal's registering account); the staff are there once each
    assert staff <= set(
        User.objects.filter(username__startswith="fjordvik.").values_list("username", flat=True)
    )
    assert User.objects.filter(username__in=staff).count() == 5
    assert all(audit_chain_verify(chain_key=key).ok for key in audit_chain_keys())


def test_demo_logins_work_on_the_demo_host(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    call_command("demo", "load")
    client = host_client("fjordvik.localhost")
    response = client.post("/innlogging/", {"username": "fjordvik.arkivar", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert "Arkivar" in client.get("/ansatt/").text


def test_demo_info_prints_urls_and_logins(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("demo", "info", "--port", "8123")
    out = capsys.readouterr().out
    assert "http://localhost:8123/k/fjordvik/" in out
    assert "fjordvik.admin (Administrator)" in out
    assert DEMO_PASSWORD in out
