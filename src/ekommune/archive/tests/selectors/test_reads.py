"""The archive's side of the read review: an empty question finds no cases and no units."""

from __future__ import annotations

import pytest

from ekommune.archive import selectors
from ekommune.archive.tests.factories import Archive
from ekommune.core.models import Role
from ekommune.core.tests.factories import staff

pytestmark = pytest.mark.django_db


def test_no_number_and_no_name_find_no_cases_and_no_names_no_units(archive: Archive) -> None:
    admin = staff(archive.municipality, Role.ADMINISTRATOR)
    assert selectors.party_cases(actor=admin, municipality=archive.municipality) == []
    assert selectors.handler_units(municipality=archive.municipality, names=["", ""]) == set()
