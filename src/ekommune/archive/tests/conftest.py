"""Fixtures of the archive's tests: an archive in municipality A, and one in B (another tenant)."""

from __future__ import annotations

import pytest

from ekommune.archive.tests.factories import Archive, archive_for
from ekommune.core.models import Municipality


@pytest.fixture
def archive(municipality_a: Municipality) -> Archive:
    return archive_for(municipality_a)


@pytest.fixture
def other(municipality_b: Municipality) -> Archive:
    return archive_for(municipality_b)
