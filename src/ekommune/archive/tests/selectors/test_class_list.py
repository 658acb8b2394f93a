"""The classes of a municipality, for other apps that choose one (the portal's services, politics' bodies)."""

from __future__ import annotations

import pytest

from ekommune.archive import selectors
from ekommune.archive.tests.factories import Archive, archive_for
from ekommune.core.errors import PermissionDeniedError
from ekommune.core.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive() -> Archive:
    return archive_for(MunicipalityFactory.create())


def test_the_classes_of_the_municipality_are_listed_by_class_id(archive: Archive) -> None:
    archive_for(MunicipalityFactory.create())
    listed = selectors.class_list(actor=archive.case_worker, municipality=archive.municipality)
    assert [c.class_id for c in listed] == ["064", "614", "A20"]
    with pytest.raises(PermissionDeniedError):
        selectors.class_list(actor=None, municipality=archive.municipality)
