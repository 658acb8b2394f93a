"""Citizen login in real Chromium: our login page → the stand-in ID-porten's form → back, each page
scanned with axe-core (WCAG 2.1 AA)."""

from __future__ import annotations

from typing import Any

import pytest

from ekommune.core.models import Municipality
from ekommune.identity.models import Citizen
from ekommune.identity.testing import standin_provider
from ekommune.testing import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server: Any, municipality_a: Municipality, op_issuer: str) -> str:
    standin_provider(municipality_a, op_issuer, role_source="claims")
    return f"{live_server.url}/k/aust"


def test_a_citizen_logs_in_at_high_and_chooses_to_act_for_a_business(page: Any, site: str) -> None:
    page.goto(site + "/innbygger/innlogging/?level=idporten-loa-high")
    assert page.locator("h1").inner_text() == "Logg inn"
    assert "høyt sikkerhetsnivå" in page.locator("main").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Logg inn med ID-porten").click()
    assert page.locator("h1").inner_text() == "Logg inn (test)"
    assert page.get_by_label("Høyt (BankID)").is_checked()  # the level asked for is preselected
    assert_accessible(page)
    page.get_by_label("Ola Nordmann (15038510190)").check()
    page.get_by_label("Representer en organisasjon").select_option("910753614")
    page.get_by_role("button", name="Logg inn").click()

    page.wait_for_url("**/innbygger/representasjon/**")
    assert page.locator("h1").inner_text() == "Hvem vil du representere?"
    assert "Du er logget inn som Ola Nordmann." in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_label("Fjordvik Bakeri AS (org.nr. 910753614)").check()
    page.get_by_role("button", name="Fortsett").click()
    page.wait_for_url(site + "/")
    assert Citizen.objects.filter(national_identity_number="15038510190").exists()
    status = page.locator(".citizen-status").inner_text()
    assert status == "Innlogget som Ola Nordmann · på vegne av org.nr. 910753614"
    assert_accessible(page)

    # Logging out ends the session here and at the provider, and comes back to say so.
    page.locator(".site-nav").get_by_role("button", name="Logg ut").click()
    page.wait_for_url("**/innbygger/utlogget/**")
    assert page.locator("h1").inner_text() == "Du er logget ut"
    assert page.locator(".citizen-status").count() == 0
    assert_accessible(page)


def test_a_cancelled_login_shows_an_accessible_error_page(page: Any, site: str) -> None:
    page.goto(site + "/innbygger/innlogging/")
    page.get_by_role("link", name="Logg inn med ID-porten").click()
    page.get_by_role("button", name="Avbryt").click()
    page.wait_for_url("**/innlogging/tilbake/**")
    assert page.locator("h1").inner_text() == "Innloggingen mislyktes"
    assert "avbrutt" in page.locator("[role=alert]").inner_text()
    assert_accessible(page)
    assert not Citizen.objects.exists()
