"""Shared test fixtures. Tests run on a real PostgreSQL (DATABASE_URL or the embedded server)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from ekommune.core.models import Municipality, Role, User
from ekommune.core.tests.factories import MunicipalityFactory, UserFactory, staff

# ------------------------------------------------------------------ hypothesis
# Property tests check rules, not speed: on a loaded CI machine generation may be slow, and a
# health check about that is noise (benchmarks under bench/ measure speed).
settings.register_profile("ekommune", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ekommune")

# ------------------------------------------------------------------ official standards files

STANDARDS_SKIP = pytest.StashKey[tuple[str, frozenset[str]]]()


@pytest.hookimpl(trylast=True)  # after -m and -k have deselected: count only what runs
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``needs_standards(group)`` whose files are missing here are skipped, all with one
    reason, so that the run says so in one line and not in tracebacks."""
    from ekommune.standards import missing

    absent: dict[str | None, bool] = {}
    skipped = set()
    for item in items:
        for marker in item.iter_markers("needs_standards"):
            for group in marker.args or (None,):
                if group not in absent:
                    absent[group] = bool(missing(group))
                if absent[group]:
                    skipped.add(item.nodeid)
    reason = (
        f"official standards files missing: run `ekommune standards fetch` ({len(skipped)} tests skipped)"
    )
    config.stash[STANDARDS_SKIP] = (reason, frozenset(skipped))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    reason, skipped = item.config.stash.get(STANDARDS_SKIP, ("", frozenset()))
    if item.nodeid in skipped:
        pytest.skip(reason)  # raised here, so that every such skip has one place and folds into one line


@pytest.fixture
def standards_absent(settings: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No standards folder has any file: an empty data folder, no EKOMMUNE_STANDARDS_DIR, and a
    project root with no ``../shared`` beside it. Returns the (empty) data folder's standards/."""
    monkeypatch.delenv("EKOMMUNE_STANDARDS_DIR", raising=False)
    settings.EKOMMUNE_STANDARDS_DIR = ""
    settings.EKOMMUNE_DATA_DIR = str(tmp_path / "data")
    settings.PROJECT_ROOT = tmp_path / "nowhere" / "project"
    return tmp_path / "data" / "standards"


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
def steady_rate_clock(monkeypatch: pytest.MonkeyPatch) -> float:
    """The rate limits' clock held one second into today's (UTC) window: no minute, hour or day
    window ends in the middle of a test, and ``Retry-After`` is the whole period less a second."""
    from ekommune.core import ratelimits

    now = time.time() // 86_400 * 86_400 + 1.0
    monkeypatch.setattr(ratelimits, "clock", lambda: now)
    return now


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
