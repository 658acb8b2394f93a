"""The one tenant guard: another municipality's row is simply not found (decision 0008)."""

from __future__ import annotations

import pytest
from django.db import transaction

from ekommune.core.errors import NotFoundError
from ekommune.core.models import MunicipalityDomain
from ekommune.core.services import tenant_object_check, tenant_row_lock
from ekommune.core.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


def test_a_row_of_the_municipality_is_read_and_locked() -> None:
    municipality = MunicipalityFactory.create()
    domain = MunicipalityDomain.objects.get(municipality=municipality)
    with transaction.atomic():
        assert tenant_row_lock(MunicipalityDomain, pk=domain.pk, municipality=municipality) == domain


def test_a_row_of_another_municipality_is_not_found() -> None:
    mine, theirs = MunicipalityFactory.create(), MunicipalityFactory.create()
    their_domain = MunicipalityDomain.objects.get(municipality=theirs)
    with transaction.atomic(), pytest.raises(NotFoundError) as refused:
        tenant_row_lock(MunicipalityDomain, pk=their_domain.pk, municipality=mine)
    assert refused.value.code == "not_found"
    assert refused.value.http_status == 404


def test_an_object_of_another_municipality_is_not_found_and_names_the_field() -> None:
    mine, theirs = MunicipalityFactory.create(), MunicipalityFactory.create()
    their_domain = MunicipalityDomain.objects.get(municipality=theirs)
    tenant_object_check(MunicipalityDomain.objects.get(municipality=mine), municipality=mine, field="domain")
    with pytest.raises(NotFoundError) as refused:
        tenant_object_check(their_domain, municipality=mine, field="domain")
    assert (refused.value.code, refused.value.field) == ("not_found", "domain")


def test_no_object_at_all_is_not_found() -> None:
    with pytest.raises(NotFoundError):
        tenant_object_check(None, municipality=MunicipalityFactory.create(), field="series")
