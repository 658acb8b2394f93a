"""The ROS page with its heat matrices and the public processing page in real Chromium, each
scanned with axe-core: each matrix is an image with a text alternative and a table of the same
figures; a threat added with an error shown beside its field."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from ekommune.core.tests.factories import MunicipalityFactory
from ekommune.security import services
from ekommune.security.models import RiskMeasure
from ekommune.security.tests.factories import assessment_for, security_for
from ekommune.testing import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server: Any):
    security = security_for(MunicipalityFactory.create(name="Fjordvik kommune", slug="fjordvik"))
    return f"{live_server.url}/k/fjordvik", security


def test_the_matrix_page_is_accessible_and_its_figures_are_in_tables(
    page: Any, site, live_server: Any
) -> None:
    base, security = site
    assessment = assessment_for(security)
    services.measure_status_set(
        actor=security.admin,
        municipality=security.municipality,
        measure=RiskMeasure.objects.get(),
        status="done",
    )
    client = Client()
    client.force_login(security.admin)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page.goto(f"{base}/ansatt/sikkerhet/ros/{assessment.pk}/")
    images = page.get_by_role("img")
    assert images.count() == 2
    assert page.locator("svg desc").first.text_content().count("H1") == 1
    assert page.locator("table caption", has_text="hendelser per sannsynlighet og konsekvens").count() == 2
    assert_accessible(page)
    page.get_by_label("Uønsket hendelse").fill("")
    page.get_by_role("button", name="Legg til hendelsen").click()
    assert page.locator("#id_threat-title-error").is_visible()
    assert_accessible(page)
    page.get_by_label("Uønsket hendelse").fill("Brann i serverrommet")
    page.get_by_label("Sannsynlighet (1–5)").select_option("2")
    page.get_by_label("Konsekvens for tilgjengelighet (1–5)").select_option("5")
    page.get_by_role("button", name="Legg til hendelsen").click()
    assert "H3" in page.locator("svg desc").first.text_content()
    page.get_by_role("button", name="Godkjenn versjon 1").click()
    page.get_by_role("link", name="Versjon 1").first.click()
    assert "versjon 1" in page.locator("h1").inner_text()
    assert_accessible(page)


def test_the_public_processing_page_is_accessible(page: Any, site) -> None:
    base, security = site
    services.processing_record_prefill(actor=security.admin, municipality=security.municipality)
    page.goto(f"{base}/personvern/behandlinger/")
    assert page.locator("h1").inner_text() == "Slik behandler vi personopplysninger"
    assert page.get_by_role("heading", level=2).count() == 5
    assert_accessible(page)
