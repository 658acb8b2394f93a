"""Acting for a business: the organisations come from a role source chosen per provider, the choice
is kept in the citizen session, organisation numbers are checked."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from ekommune.core.errors import PermissionDeniedError, ValidationError
from ekommune.core.models import AuditEvent, Municipality, Role, User
from ekommune.core.tests.factories import host_client, staff
from ekommune.identity.models import IdentityProvider
from ekommune.identity.roles import ClaimsRoleSource, Organisation, organisation_number_valid
from ekommune.identity.selectors import session_citizen
from ekommune.identity.services import SESSION_KEY, business_representation_add
from ekommune.identity.standin_op import TEST_ORGANISATIONS
from ekommune.identity.testing import TEST_PERSON_NUMBERS
from ekommune.identity.tests.conftest import log_in_through_provider, make_provider

pytestmark = pytest.mark.django_db

KARI = TEST_PERSON_NUMBERS[0]
BAKERY, FORESTRY = TEST_ORGANISATIONS[0], TEST_ORGANISATIONS[1]


def start(provider: IdentityProvider) -> str:
    return f"/innbygger/innlogging/{provider.pk}/?next=/tjenester/"


def stored(client: Client) -> Any:
    return client.session.get(SESSION_KEY)


@pytest.fixture
def static_provider(municipality_a: Municipality, op_issuer: str, admin_a: User) -> IdentityProvider:
    provider = make_provider(municipality_a, op_issuer, admin_a, role_source="static")
    business_representation_add(
        actor=admin_a,
        municipality=municipality_a,
        national_identity_number=KARI,
        organisation_number=BAKERY[0],
        organisation_name=BAKERY[1],
    )
    return provider


def test_a_citizen_with_a_representation_chooses_to_act_for_the_business(
    static_provider: IdentityProvider, municipality_a: Municipality
) -> None:
    client = host_client("aust.test")
    response = log_in_through_provider(client, start(static_provider), pid=KARI)
    assert response.status_code == 302
    assert response["Location"] == "/innbygger/representasjon/?next=%2Ftjenester%2F"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert BAKERY[1] in page.text
    chosen = client.post(response["Location"], {"organisation_number": BAKERY[0], "next": "/tjenester/"})
    assert chosen.status_code == 302
    assert chosen["Location"] == "/tjenester/"
    assert stored(client)["organisation_number"] == BAKERY[0]
    event = AuditEvent.objects.get(municipality=municipality_a, action="identity.citizen_act_for")
    assert event.detail == {"organisation_number": BAKERY[0]}
    # ... and back to acting for oneself.
    client.post("/innbygger/representasjon/", {"organisation_number": ""})
    assert stored(client)["organisation_number"] == ""


def test_an_organisation_not_found_at_login_cannot_be_chosen(static_provider: IdentityProvider) -> None:
    client = host_client("aust.test")
    log_in_through_provider(client, start(static_provider), pid=KARI)
    refused = client.post("/innbygger/representasjon/", {"organisation_number": FORESTRY[0]})
    assert refused.status_code == 400
    assert refused.context["error"].code == "organisation_not_allowed"
    invalid = client.post("/innbygger/representasjon/", {"organisation_number": "123456789"})
    assert invalid.status_code == 400
    assert invalid.context["error"].code == "invalid_organisation_number"
    assert stored(client)["organisation_number"] == ""


def test_a_citizen_without_representations_goes_straight_to_the_service(
    static_provider: IdentityProvider,
) -> None:
    client = host_client("aust.test")
    response = log_in_through_provider(client, start(static_provider), pid=TEST_PERSON_NUMBERS[1])
    assert response["Location"] == "/tjenester/"


def test_the_organisations_may_come_from_the_providers_claims(
    municipality_a: Municipality, op_issuer: str, admin_a: User
) -> None:
    provider = make_provider(municipality_a, op_issuer, admin_a, role_source="claims")
    client = host_client("aust.test")
    response = log_in_through_provider(client, start(provider), pid=KARI, org=FORESTRY[0])
    assert response["Location"].startswith("/innbygger/representasjon/")
    client.post("/innbygger/representasjon/", {"organisation_number": FORESTRY[0]})
    current = session_citizen(request=_request(client))
    assert current is not None
    assert current.organisation_number == FORESTRY[0]


def _request(client: Client) -> Any:
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.session = SessionStore(session_key=client.session.session_key)
    return request


def test_the_representation_page_needs_a_login(municipality_a: Municipality) -> None:
    response = host_client("aust.test").get("/innbygger/representasjon/")
    assert response.status_code == 302
    assert response["Location"].startswith("/innbygger/innlogging/?level=")


def test_representations_are_kept_by_administrators_with_valid_numbers(
    municipality_a: Municipality, admin_a: User
) -> None:
    with pytest.raises(PermissionDeniedError):
        business_representation_add(
            actor=staff(municipality_a, Role.CASE_WORKER),
            municipality=municipality_a,
            national_identity_number=KARI,
            organisation_number=BAKERY[0],
            organisation_name=BAKERY[1],
        )
    for nin, number, code in [
        (KARI, "910753615", "invalid_organisation_number"),
        ("01018510003", BAKERY[0], "invalid_pid"),
    ]:
        with pytest.raises(ValidationError) as error:
            business_representation_add(
                actor=admin_a,
                municipality=municipality_a,
                national_identity_number=nin,
                organisation_number=number,
                organisation_name="X",
            )
        assert error.value.code == code


def test_claims_with_reportees_give_the_valid_organisations_only() -> None:
    claims = {
        "authorization_details": [
            {
                "type": "ansattporten:altinn:service",
                "reportees": [
                    {"ID": f"0192:{BAKERY[0]}", "Name": BAKERY[1]},
                    {"ID": "0192:910753615", "Name": "Feil kontrollsiffer AS"},
                    {"ID": f"9908:{FORESTRY[0]}", "Name": "Annen myndighet"},
                    "ikke et objekt",
                ],
            },
            "ikke et objekt",
        ]
    }
    found = ClaimsRoleSource().organisations(municipality=None, national_identity_number=KARI, claims=claims)  # type: ignore[arg-type]
    assert found == [Organisation(number=BAKERY[0], name=BAKERY[1])]


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=12),
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(st.sampled_from(["ID", "Name", "reportees", "type"]), inner, max_size=4)
        ),
        max_leaves=20,
    )
)
def test_any_shape_of_authorization_details_gives_valid_numbers_or_nothing(details: Any) -> None:
    found = ClaimsRoleSource().organisations(
        municipality=None,  # type: ignore[arg-type]
        national_identity_number=KARI,
        claims={"authorization_details": details},
    )
    assert all(organisation_number_valid(organisation.number) for organisation in found)
