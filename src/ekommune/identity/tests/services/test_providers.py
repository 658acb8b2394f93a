"""Identity providers per municipality: who may configure them, what is checked, what is kept."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from ekommune.core.errors import ConflictError, PermissionDeniedError, ValidationError
from ekommune.core.models import AuditEvent, Municipality, Role, User
from ekommune.core.tests.factories import staff
from ekommune.identity import oidc, selectors
from ekommune.identity.models import IdentityProvider
from ekommune.identity.services import identity_provider_create, identity_provider_update
from ekommune.identity.standin_op import TEST_PERSONS
from ekommune.identity.testing import TEST_PERSON_NUMBERS

pytestmark = pytest.mark.django_db


def create(actor: User, municipality: Municipality, **kwargs: Any) -> IdentityProvider:
    options: dict[str, Any] = {
        "kind": "idporten",
        "name": "ID-porten",
        "issuer": "https://idporten.no",
        "client_id": "kommune-klient",
        "client_secret": "hemmelig-verdi",
        **kwargs,
    }
    return identity_provider_create(actor=actor, municipality=municipality, **options)


def test_an_administrator_configures_the_provider_and_the_audit_log_never_holds_the_secret(
    admin_a: User, municipality_a: Municipality
) -> None:
    provider = create(admin_a, municipality_a)
    assert provider.metadata_url == "https://idporten.no/.well-known/openid-configuration"
    event = AuditEvent.objects.get(action="identity.provider_create", municipality=municipality_a)
    assert event.detail["secret_stored"] is True
    assert "hemmelig-verdi" not in str(event.detail)
    updated = identity_provider_update(actor=admin_a, provider=provider, client_secret="nytt-hemmelig")
    assert updated.client_secret == "nytt-hemmelig"
    assert "nytt-hemmelig" not in str(AuditEvent.objects.get(action="identity.provider_update").detail)


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.RECORDS_MANAGER, Role.MANAGEMENT])
def test_other_roles_may_not_configure_providers(municipality_a: Municipality, role: Role) -> None:
    with pytest.raises(PermissionDeniedError):
        create(staff(municipality_a, role), municipality_a)
    assert not IdentityProvider.objects.exists()


def test_an_administrator_of_another_municipality_may_not_either(
    admin_b: User, municipality_a: Municipality
) -> None:
    with pytest.raises(PermissionDeniedError):
        create(admin_b, municipality_a)


def test_one_provider_per_kind_per_municipality(
    admin_a: User, admin_b: User, municipality_a: Municipality, municipality_b: Municipality
) -> None:
    create(admin_a, municipality_a)
    create(admin_b, municipality_b)  # the same kind elsewhere is fine
    with pytest.raises(ConflictError):
        create(admin_a, municipality_a, name="ID-porten igjen")
    create(admin_a, municipality_a, kind="staff", name="Kommunens Entra ID")


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"issuer": "http://idporten.example"}, "https_required"),
        ({"issuer": "ikke en adresse"}, "invalid"),
        ({"scopes": "profile"}, "openid_scope_required"),
        ({"client_secret": ""}, "client_secret_required"),
        ({"kind": "facebook"}, "invalid_choice"),
    ],
)
def test_bad_settings_are_refused_with_a_code(
    admin_a: User, municipality_a: Municipality, changes: dict[str, str], code: str
) -> None:
    with pytest.raises(ValidationError) as error:
        create(admin_a, municipality_a, **changes)
    assert error.value.code == code
    assert not IdentityProvider.objects.exists()


def test_the_secret_may_come_from_the_environment(
    admin_a: User, municipality_a: Municipality, monkeypatch: pytest.MonkeyPatch
) -> None:
    provider = create(admin_a, municipality_a, client_secret="", client_secret_env="IDPORTEN_SECRET")
    monkeypatch.setenv("IDPORTEN_SECRET", "fra-miljoet")
    assert oidc.client_secret(provider) == "fra-miljoet"
    assert provider.client_secret == ""


def test_http_is_allowed_for_a_provider_on_this_machine(admin_a: User, municipality_a: Municipality) -> None:
    provider = create(admin_a, municipality_a, issuer="http://127.0.0.1:8090")
    assert provider.issuer == "http://127.0.0.1:8090"


def test_unknown_fields_are_refused_on_update(admin_a: User, municipality_a: Municipality) -> None:
    provider = create(admin_a, municipality_a)
    with pytest.raises(ValidationError):
        identity_provider_update(actor=admin_a, provider=provider, municipality=None)


def test_each_municipality_sees_only_its_own_providers(
    admin_a: User, admin_b: User, municipality_a: Municipality, municipality_b: Municipality
) -> None:
    mine = create(admin_a, municipality_a)
    theirs = create(admin_b, municipality_b)
    assert selectors.identity_providers(municipality=municipality_a) == [mine]
    assert selectors.login_provider(municipality=municipality_a, pk=theirs.pk) is None
    assert selectors.login_providers(municipality=None, kinds=("idporten",)) == []
    label = f"idporten:{theirs.pk}"
    assert selectors.provider_by_session_label(municipality=municipality_a, label=label) is None
    identity_provider_update(actor=admin_a, provider=mine, enabled=False)
    assert selectors.login_providers(municipality=municipality_a, kinds=("idporten",)) == []


def test_the_operator_sees_providers_in_the_admin_without_the_secret(
    operator: User, admin_a: User, municipality_a: Municipality
) -> None:
    provider = create(admin_a, municipality_a)
    client = Client()
    client.force_login(operator)
    listing = client.get("/drift/identity/identityprovider/")
    assert listing.status_code == 200
    assert "ID-porten" in listing.text
    detail = client.get(f"/drift/identity/identityprovider/{provider.pk}/change/")
    assert detail.status_code == 200
    assert "hemmelig-verdi" not in detail.text


def test_the_standin_provider_offers_the_same_test_persons_as_the_test_helpers() -> None:
    assert tuple(number for number, _ in TEST_PERSONS) == TEST_PERSON_NUMBERS
