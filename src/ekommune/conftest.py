"""Shared test fixtures. Tests run on a real PostgreSQL (DATABASE_URL or the embedded server)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ekommune.core.models import Municipality, Role, User
from ekommune.core.tests.factories import MunicipalityFactory, UserFactory, staff


@pytest.fixture(autouse=True)
def _fresh_lookup_cache() -> Iterator[None]:
    """Each test starts with no remembered host look-ups or parsed form definitions (ids are reused)."""
    from ekommune.core import lookup_cache
    from ekommune.portal.selectors import form_definitions_forget

    lookup_cache.clear()
    form_definitions_forget()
    yield
    lookup_cache.clear()
    form_definitions_forget()


@pytest.fixture
def municipality_a(db: None) -> Municipality:
    return MunicipalityFactory.create(name="Aust kommune", slug="aust", host="aust.test")


@pytest.fixture
def municipality_b(db: None) -> Municipality:
    return MunicipalityFactory.create(name="Vest kommune", slug="vest", host="vest.test")


@pytest.fixture
def operator(db: None) -> User:
    return UserFactory.create(username="operatør", is_superuser=True, is_staff=True)


@pytest.fixture
def admin_a(municipality_a: Municipality) -> User:
    return staff(
        municipality_a, Role.ADMINISTRATOR, username="aust.admin", first_name="Astrid", last_name="Aas"
    )


@pytest.fixture
def admin_b(municipality_b: Municipality) -> User:
    return staff(
        municipality_b, Role.ADMINISTRATOR, username="vest.admin", first_name="Vidar", last_name="Vik"
    )


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from ekommune.testing import launch_browser

    yield from launch_browser()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="nb-NO")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
