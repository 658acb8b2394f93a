"""The citizen-facing base pages in real Chromium, each scanned with axe-core (WCAG 2.1 AA)."""

from __future__ import annotations

from typing import Any

import pytest

from ekommune.core.models import Municipality, User
from ekommune.core.tests.factories import PASSWORD
from ekommune.testing import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def site(live_server: Any, slug: str = "aust") -> str:
    return f"{live_server.url}/k/{slug}"


def test_start_page_is_branded_and_accessible(
    live_server: Any, page: Any, municipality_a: Municipality
) -> None:
    page.goto(site(live_server) + "/")
    assert page.title() == "Forside – Aust kommune"
    assert page.locator("h1").inner_text() == "Velkommen til Aust kommune"
    assert page.locator("html").get_attribute("lang") == "nb"
    brand = page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor")
    assert brand == "rgb(31, 78, 121)"  # the municipality's primary colour #1f4e79
    for landmark in ["header", "nav", "main", "footer"]:
        assert page.locator(landmark).count() == 1
    assert_accessible(page)


def test_skip_link_is_the_first_stop_and_moves_focus_to_main(
    live_server: Any, page: Any, municipality_a: Municipality
) -> None:
    page.goto(site(live_server) + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Hopp til hovedinnholdet"
    assert page.locator(".skip-link").bounding_box()["x"] >= 0  # visible when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_language_switch_to_nynorsk_and_english(
    live_server: Any, page: Any, municipality_a: Municipality
) -> None:
    page.goto(site(live_server) + "/")
    page.select_option("#language-select", "nn")
    page.click("text=Bytt språk")
    assert page.locator("html").get_attribute("lang") == "nn"
    assert page.locator(".skip-link").inner_text() == "Hopp til hovudinnhaldet"
    assert page.url.endswith("/k/aust/")
    assert_accessible(page)
    page.select_option("#language-select", "en")
    page.locator(".language-switch button").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Welcome to Aust kommune"
    assert_accessible(page)


def test_installation_page_lists_municipalities(
    live_server: Any, page: Any, municipality_a: Municipality, municipality_b: Municipality
) -> None:
    page.goto(live_server.url + "/")
    page.click("text=Vest kommune")
    assert page.locator("h1").inner_text() == "Velkommen til Vest kommune"
    page.goto(live_server.url + "/")
    assert_accessible(page)


def test_staff_login_and_staff_pages(
    live_server: Any, page: Any, municipality_a: Municipality, admin_a: User
) -> None:
    page.goto(site(live_server) + "/innlogging/")
    assert_accessible(page)
    page.fill("#id_username", "aust.admin")
    page.fill("#id_password", "feil-passord")
    page.click("main button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page)
    page.fill("#id_username", "aust.admin")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    assert page.locator("h1").inner_text() == "For ansatte"
    assert_accessible(page)
    page.click("text=Ansatte og roller")
    assert "Astrid Aas" in page.locator("table").inner_text()
    assert_accessible(page)
    page.click("main button[type=submit] >> text=Gi rolle")
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page)
    page.goto(site(live_server) + "/ansatt/revisjonslogg/")
    assert "staff.login" in page.locator("table").inner_text()
    assert_accessible(page)
