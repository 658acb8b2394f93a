"""A citizen's session: who they are (created at first login) and at which level."""

from __future__ import annotations

import pytest

from ekommune.core.errors import ValidationError
from ekommune.identity.models import Citizen
from ekommune.identity.services import citizen_for_claims
from ekommune.identity.testing import TEST_PERSON_NUMBERS
from ekommune.identity.types import CitizenClaims, Level, level_satisfies

pytestmark = pytest.mark.django_db


def test_high_satisfies_substantial_but_not_the_reverse() -> None:
    assert level_satisfies(Level.HIGH, Level.SUBSTANTIAL)
    assert level_satisfies(Level.SUBSTANTIAL, Level.SUBSTANTIAL)
    assert not level_satisfies(Level.SUBSTANTIAL, Level.HIGH)
    assert not level_satisfies("idporten-loa-low", Level.SUBSTANTIAL)


def test_first_login_creates_the_citizen_and_later_logins_update_the_name() -> None:
    claims = CitizenClaims(national_identity_number=TEST_PERSON_NUMBERS[1], name="Ola", level=Level.HIGH)
    first = citizen_for_claims(claims=claims)
    again = citizen_for_claims(
        claims=CitizenClaims(
            national_identity_number=TEST_PERSON_NUMBERS[1], name="Ola Nordmann", level=Level.HIGH
        )
    )
    assert first.pk == again.pk
    assert Citizen.objects.get(pk=first.pk).name == "Ola Nordmann"
    assert TEST_PERSON_NUMBERS[1] not in str(first)


def test_an_invalid_identity_number_is_refused() -> None:
    with pytest.raises(ValidationError) as error:
        citizen_for_claims(claims=CitizenClaims(national_identity_number="12345678901", level=Level.HIGH))
    assert error.value.code == "invalid_pid"
    assert not Citizen.objects.exists()
