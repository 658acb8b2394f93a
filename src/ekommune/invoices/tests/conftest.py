import pytest

from ekommune.core.tests.factories import MunicipalityFactory
from ekommune.invoices.tests.factories import invoicing_for


@pytest.fixture
def invoicing(db):
    return invoicing_for(MunicipalityFactory.create())
