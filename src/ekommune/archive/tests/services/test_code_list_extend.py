"""code_list_extend: the refusals the API cannot reach."""

from __future__ import annotations

import pytest

from ekommune.archive import services
from ekommune.archive.tests.factories import Archive
from ekommune.core.errors import NotFoundError, ValidationError

pytestmark = pytest.mark.django_db


def test_an_unknown_code_list_is_not_found(archive: Archive) -> None:
    with pytest.raises(NotFoundError):
        services.code_list_extend(
            actor=archive.records_manager,
            municipality=archive.municipality,
            code_list="x",
            code="A",
            name="A",
        )


def test_a_nul_byte_is_refused(archive: Archive) -> None:
    with pytest.raises(ValidationError, check=lambda error: error.code == "invalid_character"):
        services.code_list_extend(
            actor=archive.records_manager,
            municipality=archive.municipality,
            code_list="land",
            code="GL",
            name="Grøn\x00land",
        )


def test_a_name_over_its_length_is_refused(archive: Archive) -> None:
    with pytest.raises(
        ValidationError, check=lambda error: (error.code, error.field) == ("too_long", "kodenavn")
    ):
        services.code_list_extend(
            actor=archive.records_manager,
            municipality=archive.municipality,
            code_list="land",
            code="GL",
            name="G" * 201,
        )
