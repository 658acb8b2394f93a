"""The meeting page and a case's political history in real Chromium, each scanned with axe-core."""

from __future__ import annotations

from typing import Any

import pytest

from ekommune.core.tests.factories import MunicipalityFactory
from ekommune.politics.tests.scenario import SECRET_NAME, political_year
from ekommune.testing import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server: Any) -> tuple[str, Any]:
    year = political_year(
        MunicipalityFactory.create(name="Fjordvik kommune", slug="fjordvik", host="fjordvik.test")
    )
    return f"{live_server.url}/k/fjordvik", year


def test_meeting_page_shows_the_agenda_decisions_and_video_and_is_accessible(page: Any, site) -> None:
    base, year = site
    meeting = year.meetings[1]
    page.goto(f"{base}/politikk/moter/{meeting.pk}/")
    assert page.locator("h1").inner_text().startswith("Formannskapet")
    assert page.locator("h1").count() == 1
    items = page.locator("article")
    assert items.count() == 2
    assert "IT-strategi 2013-2016" in items.nth(0).inner_text()
    assert "Ap: For (4)" in items.nth(0).inner_text()
    assert "Vedtaket er unntatt offentlighet." in items.nth(1).inner_text()
    assert SECRET_NAME not in page.content()
    assert page.get_by_role("link", name="Godkjent møteprotokoll").is_visible()
    assert_accessible(page)


def test_case_history_shows_each_body_in_order_and_is_accessible(page: Any, site) -> None:
    base, year = site
    page.goto(f"{base}/politikk/saker/{year.case_number}/")
    assert page.locator("h1").inner_text() == "IT-strategi 2013-2016"
    steps = page.locator("ol > li article h2")
    assert [steps.nth(i).inner_text().split(" sak ")[0] for i in range(steps.count())] == [
        "Administrasjonsutvalget",
        "Formannskapet",
        "Kommunestyret",
    ]
    assert page.get_by_text("foreløpig – protokollen er ikke godkjent").count() == 1
    assert_accessible(page)
    # Following the case by e-mail: the form names its field and reports a bad address beside it.
    page.get_by_label("E-postadresse").fill("ikke-en-adresse")
    page.evaluate("document.querySelector('input[type=email]').type = 'text'")  # let the server validate
    page.get_by_role("button", name="Abonner").click()
    assert page.locator("#email-error").is_visible()
    assert_accessible(page)


def test_front_page_body_page_and_search_are_accessible(page: Any, site) -> None:
    base, _year = site
    page.goto(f"{base}/politikk/")
    assert_accessible(page)
    page.get_by_role("link", name="Formannskapet", exact=True).click()
    assert page.locator("h1").inner_text() == "Formannskapet"
    assert page.get_by_role("link", name="ola.ordforer@politiker.test").is_visible()
    assert_accessible(page)
    page.goto(f"{base}/politikk/")
    page.get_by_label("Søk i politiske saker og vedtak").fill("strategien")
    page.get_by_role("button", name="Søk").click()
    assert "treff" in page.locator("h2").first.inner_text()
    assert_accessible(page)


def test_the_secretariat_pages_are_accessible(page: Any, site, live_server: Any) -> None:
    from django.conf import settings
    from django.test import Client

    base, year = site
    client = Client()
    client.force_login(year.politics.secretary)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(f"{base}/politikk/sekretariat/")
    assert page.locator("h1").inner_text() == "Politisk sekretariat"
    assert_accessible(page)
    page.goto(f"{base}/politikk/sekretariat/moter/{year.meetings[2].pk}/")
    assert page.get_by_label("Vedtak").first.is_visible()
    assert_accessible(page)
    page.goto(f"{base}/politikk/sekretariat/utvalg/")
    assert page.get_by_role("heading", name="Nytt verv i et utvalg").is_visible()
    assert_accessible(page)
