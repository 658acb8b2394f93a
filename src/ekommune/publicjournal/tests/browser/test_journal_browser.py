"""The public journal in real Chromium: search, entry page, basket and access request, the case
workers' queue; each page scanned with axe-core (WCAG 2.1 AA, no violations)."""

from __future__ import annotations

from typing import Any

import pytest

from ekommune.archive import services as archive_services
from ekommune.archive.tests.factories import archive_for, case_for
from ekommune.core.models import Municipality
from ekommune.core.tests.factories import PASSWORD
from ekommune.publicjournal import services
from ekommune.publicjournal.tests.factories import entry_in
from ekommune.testing import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_basket_and_access_request_are_accessible(
    live_server: Any, page: Any, municipality_a: Municipality
) -> None:
    archive = archive_for(municipality_a)
    entry_in(
        archive, "Søknader om barnehageplass høsten 2026", case_file=case_for(archive, "Barnehageopptak")
    )
    entry_in(
        archive,
        "Klage fra Kari Hansen",
        screened=["NA"],
        case_file=case_for(archive, "Klagesak"),
        parties=[archive_services.PartyInput(party_type="EA", name="Kari Hansen")],
    )
    entry_in(
        archive,
        "Melding om hull i vegen",
        case_file=case_for(archive, "Strandvegen"),
        parties=[archive_services.PartyInput(party_type="EA", name="Vegvesenet", kind="unit")],
    )
    services.publication_refresh(municipality=municipality_a)
    services.access_request_settings_set(
        actor=archive.records_manager, municipality=municipality_a, intake_user=archive.records_manager
    )
    site = f"{live_server.url}/k/aust"

    page.goto(site + "/journal/")
    assert page.locator("h1").inner_text() == "Offentlig journal"
    assert_accessible(page)
    page.fill("#id_q", "søknad")
    page.select_option("#id_type", "I")
    page.click("main form[role=search] button[type=submit]")
    assert "Viser 1–1 av 1 journalposter." in page.locator("main").inner_text()
    assert page.locator(".journal-list article").count() == 1
    assert_accessible(page)

    page.fill("#id_sak", "feil")
    page.click("main form[role=search] button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page)

    page.goto(site + "/journal/?q=klage")
    assert "*****" in page.locator(".journal-list").inner_text()
    assert "Kari" not in page.locator("main").inner_text()
    page.click(".journal-list article h3 a")
    assert page.locator("h1").inner_text().startswith("Klage fra")
    assert_accessible(page)
    page.click("main .basket-form button")
    assert "lagt i innsynskurven" in page.locator(".messages").inner_text()
    page.goto(site + "/journal/?q=barnehageplass")
    page.click("main .basket-form button")
    page.goto(site + "/journal/innsyn/")
    assert page.locator(".basket li").count() == 2
    assert_accessible(page)

    page.click("main form.form button[type=submit]")  # no e-mail
    assert page.locator(".error-summary").is_visible()
    assert "Skriv e-postadressen din" in page.locator(".error-summary").inner_text()
    assert_accessible(page)
    page.fill("#id_email", "nina@example.org")
    page.fill("#id_name", "Nina Nysgjerrig")
    page.click("main form.form button[type=submit]")
    assert page.locator("h1").inner_text() == "Ditt innsynskrav"
    assert "Mottatt" in page.locator(".access-status").inner_text()
    assert_accessible(page)

    page.goto(site + "/innlogging/")
    page.fill("#id_username", archive.case_worker.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(site + "/ansatt/innsyn/")
    assert page.locator("tbody tr").count() == 1
    assert_accessible(page)
    page.click("tbody tr a")
    assert page.locator("h1").inner_text().startswith("Innsynskrav")
    assert_accessible(page)
    page.check("text=Avslå")
    page.click("main form.form button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page)


def test_settings_page_is_accessible_with_and_without_errors(
    live_server: Any, page: Any, municipality_a: Municipality
) -> None:
    archive = archive_for(municipality_a)
    site = f"{live_server.url}/k/aust"
    page.goto(site + "/innlogging/")
    page.fill("#id_username", archive.records_manager.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(site + "/ansatt/journal/innstillinger/")
    assert page.locator("h1").inner_text() == "Innstillinger for offentlig journal"
    assert_accessible(page)
    page.fill("#id_delay_hours", "9999")
    page.click("main form.form button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page)
    page.fill("#id_delay_hours", "2")
    page.click("main form.form button[type=submit]")
    assert "Innstillingene er lagret" in page.locator(".messages").inner_text()
