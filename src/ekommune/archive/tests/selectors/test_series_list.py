"""The municipality's series, for pages that let staff choose one (deposit) or need the open one."""

from __future__ import annotations

import pytest

from ekommune.archive import selectors
from ekommune.archive.tests.factories import archive_for
from ekommune.core.errors import PermissionDeniedError
from ekommune.core.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


def test_series_are_listed_within_the_municipality_behind_the_read_permission() -> None:
    archive = archive_for(MunicipalityFactory.create())
    archive_for(MunicipalityFactory.create())
    assert list(selectors.series_list(actor=archive.case_worker, municipality=archive.municipality)) == [
        archive.series
    ]
    with pytest.raises(PermissionDeniedError):
        selectors.series_list(actor=None, municipality=archive.municipality)
