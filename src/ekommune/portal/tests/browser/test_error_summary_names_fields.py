"""A citizen form submitted empty, as a screen reader presents it (issue 16 §4): each link of the
error summary names a different field, and each field's accessible description is its error."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from ekommune.core.models import Municipality
from ekommune.portal.tests.browser.test_portal_pages import log_in, site
from ekommune.portal.tests.factories import Portal, portal_for
from ekommune.testing import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXPECTED = {
    "f-navn": "Fyll ut «Navn».",
    "f-fodselsnummer": "Fyll ut «Fødselsnummer».",
    "f-epost": "Fyll ut «E-post».",
    "f-oppstart": "Fyll ut «Ønsket oppstart».",
    "f-barn-0-navn": "Fyll ut «Barn 1: Barnets navn».",
    "f-barn-0-fodselsnummer": "Fyll ut «Barn 1: Barnets fødselsnummer».",
    "f-vedlegg": "Last opp en fil i «Vedlegg».",
}


@pytest.fixture
def portal(municipality_a: Municipality) -> Portal:
    return portal_for(municipality_a)


def summary_links(page: Any) -> list[str]:
    """The names a screen reader announces for the summary's links (the accessibility tree)."""
    snapshot = page.locator(".error-summary").aria_snapshot()
    return re.findall(r"\blink \"([^\"]*)\"", snapshot)  # YAML may quote a line with a colon


def test_an_empty_form_names_each_missing_field_in_the_summary_and_beside_it(
    live_server: Any, page: Any, portal: Portal
) -> None:
    log_in(page, live_server)
    page.goto(site(live_server) + "/tjenester/barnehageplass/skjema/")
    page.fill("#f-navn", "")  # filled in from the login: emptied
    page.fill("#f-fodselsnummer", "")
    page.click("button[value=next]")

    links = summary_links(page)
    assert sorted(links) == sorted(EXPECTED.values())
    assert len(set(links)) == len(links)  # no two links alike
    for target, message in EXPECTED.items():
        link = page.locator(f".error-summary a[href='#{target}']")
        expect(link).to_have_accessible_name(message)
        field = page.locator(f"#{target}")
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_accessible_description(message)
    assert_accessible(page)
