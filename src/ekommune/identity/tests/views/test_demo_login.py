"""The demo: Fjordvik and Bjørkedal log citizens in through the stand-in provider that ``make run`` starts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from ekommune.core.tests.factories import host_client
from ekommune.identity.demo import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from ekommune.identity.models import BusinessRepresentation, IdentityProvider
from ekommune.identity.services import SESSION_KEY
from ekommune.identity.tests.conftest import log_in_through_provider
from ekommune.testing import standin_op

pytestmark = pytest.mark.django_db


def test_the_demo_logs_kari_in_at_fjordvik_and_she_may_act_for_the_bakery(
    settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.MEDIA_ROOT = tmp_path
    with standin_op(clients={DEMO_CLIENT_ID: DEMO_CLIENT_SECRET}) as issuer:
        monkeypatch.setenv("EKOMMUNE_STANDIN_OP_URL", issuer)
        call_command("demo", "load")
        call_command("demo", "load")  # idempotent
        assert IdentityProvider.objects.filter(issuer=issuer).count() == 2
        assert BusinessRepresentation.objects.count() == 2
        provider = IdentityProvider.objects.get(municipality__slug="fjordvik")
        client = host_client("fjordvik.localhost")
        response = log_in_through_provider(client, f"/innbygger/innlogging/{provider.pk}/", pid="01018510002")
        assert response["Location"].startswith("/innbygger/representasjon/")
        assert "Fjordvik Bakeri AS" in client.get(response["Location"]).text
        assert client.session[SESSION_KEY]["level"] == "idporten-loa-substantial"
    # A later run with the provider on another port moves the demo providers there.
    monkeypatch.setenv("EKOMMUNE_STANDIN_OP_URL", "http://127.0.0.1:8123")
    call_command("demo", "load")
    assert set(IdentityProvider.objects.values_list("issuer", flat=True)) == {"http://127.0.0.1:8123"}
