"""The citizens' deviation form and the staff register in real Chromium, each scanned with axe-core:
a report with an error shown beside its field, then sent; the staff report, the deviation with its
72-hour notice, the draft to Datatilsynet and the statistics chart with its table."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from ekommune.core.tests.factories import MunicipalityFactory
from ekommune.security.models import Deviation
from ekommune.security.tests.factories import deviation_for, security_for
from ekommune.testing import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server: Any):
    security = security_for(MunicipalityFactory.create(name="Fjordvik kommune", slug="fjordvik"))
    return f"{live_server.url}/k/fjordvik", security


def test_a_citizen_reports_a_deviation_and_sees_errors_beside_the_field(page: Any, site) -> None:
    base, _security = site
    page.goto(f"{base}/sikkerhet/avvik/")
    assert page.locator("h1").inner_text() == "Meld et avvik"
    assert_accessible(page)
    page.get_by_label("Brudd på personopplysningssikkerheten").check()
    page.get_by_label("Hva skjedde").fill("Jeg fikk et brev om en annen person.")
    page.get_by_role("button", name="Send meldingen").click()
    assert page.locator("#id_title-error").is_visible()
    assert page.get_by_label("Hva skjedde").input_value() == "Jeg fikk et brev om en annen person."
    assert_accessible(page)
    page.get_by_label("Kort beskrivelse").fill("Brev til feil person")
    page.get_by_role("button", name="Send meldingen").click()
    assert page.locator("h1").inner_text() == "Meldingen er mottatt"
    assert_accessible(page)
    assert Deviation.objects.get().title == "Brev til feil person"


def test_the_staff_register_pages_are_accessible(page: Any, site, live_server: Any) -> None:
    base, security = site
    deviation = deviation_for(security)
    client = Client()
    client.force_login(security.admin)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page.goto(f"{base}/ansatt/sikkerhet/avvik/meld/")
    assert_accessible(page)
    page.goto(f"{base}/ansatt/sikkerhet/avvik/{deviation.pk}/")
    assert "meldes til Datatilsynet innen" in page.locator("[role=status]").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Utkast til melding til Datatilsynet").click()
    assert page.locator("h1").inner_text() == "Utkast til melding til Datatilsynet"
    assert_accessible(page)
    page.goto(f"{base}/ansatt/sikkerhet/statistikk/")
    assert page.get_by_role("img").count() == 1
    assert page.locator("table caption").is_visible()
    assert_accessible(page)
