"""``ekommune identity …``: providers and representations from the command line, checked and audited."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from ekommune.core.models import AuditEvent, Municipality, Role, User
from ekommune.core.tests.factories import staff
from ekommune.identity.models import BusinessRepresentation, IdentityProvider, ProviderSession
from ekommune.identity.services import provider_sessions_prune
from ekommune.identity.tests.conftest import log_in_through_provider, make_provider

pytestmark = pytest.mark.django_db


def run(*args: str, stdin: str = "") -> str:
    out = io.StringIO()
    import sys

    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        call_command("identity", *args, stdout=out)
    finally:
        sys.stdin = old
    return out.getvalue()


def test_an_administrator_adds_updates_and_lists_a_provider_with_the_secret_from_stdin(
    admin_a: User, municipality_a: Municipality
) -> None:
    run(
        *("provider-add", "--as", "aust.admin", "--municipality", "aust", "--kind", "idporten"),
        *("--name", "ID-porten", "--issuer", "https://idporten.no", "--client-id", "aust-klient"),
        "--client-secret-stdin",
        stdin="hemmelig-fra-stdin\n",
    )
    provider = IdentityProvider.objects.get(municipality=municipality_a)
    assert provider.client_secret == "hemmelig-fra-stdin"
    run(
        *("provider-update", "--as", "aust.admin", "--municipality", "aust", "--kind", "idporten"),
        *("--client-secret-env", "AUST_IDPORTEN_SECRET", "--disable"),
    )
    provider.refresh_from_db()
    assert provider.client_secret_env == "AUST_IDPORTEN_SECRET"
    assert provider.enabled is False
    listing = run("providers", "--municipality", "aust")
    assert "aust\tidporten\tID-porten\thttps://idporten.no" in listing
    assert "hemmelig" not in listing
    assert "disabled" in listing
    assert AuditEvent.objects.filter(action__startswith="identity.provider_").count() == 2


def test_refusals_exit_with_a_message(municipality_a: Municipality, admin_a: User) -> None:
    staff(municipality_a, Role.CASE_WORKER, username="aust.saksbehandler")
    base = ("--municipality", "aust", "--kind", "idporten", "--name", "X", "--client-id", "c")
    with pytest.raises(CommandError, match="permission_denied"):
        run(
            "provider-add",
            "--as",
            "aust.saksbehandler",
            *base,
            "--issuer",
            "https://x.no",
            "--client-secret-env",
            "V",
        )
    with pytest.raises(CommandError, match="https_required"):
        run(
            "provider-add", "--as", "aust.admin", *base, "--issuer", "http://x.no", "--client-secret-env", "V"
        )
    with pytest.raises(CommandError, match="Unknown municipality"):
        run("providers", "--municipality", "ingen")
    with pytest.raises(CommandError, match="no provider of kind"):
        run("provider-update", "--as", "aust.admin", "--municipality", "aust", "--kind", "feide", "--disable")
    assert not IdentityProvider.objects.exists()


def test_a_representation_is_added_from_the_command_line(admin_a: User, municipality_a: Municipality) -> None:
    args = ("--as", "aust.admin", "--municipality", "aust", "--nin", "01018510002")
    run("representation-add", *args, "--orgnr", "910753614", "--name", "Fjordvik Bakeri AS")
    assert BusinessRepresentation.objects.get().organisation_number == "910753614"
    with pytest.raises(CommandError, match="invalid_organisation_number"):
        run("representation-add", *args, "--orgnr", "910753615", "--name", "Feil AS")


def test_provider_sessions_of_ended_browser_sessions_are_pruned(
    municipality_a: Municipality, op_issuer: str, admin_a: User
) -> None:
    provider = make_provider(municipality_a, op_issuer, admin_a)
    ended, kept = Client(HTTP_HOST="aust.test"), Client(HTTP_HOST="aust.test")
    for client in (ended, kept):
        log_in_through_provider(client, f"/innbygger/innlogging/{provider.pk}/", pid="01018510002")
    assert ProviderSession.objects.count() == 2
    ended.post("/innbygger/utlogging/")  # the local session ends (and the provider's)
    assert provider_sessions_prune() == 1
    assert "Forgot 0 provider session(s)." in run("prune-sessions")
    assert ProviderSession.objects.count() == 1
