"""The portal in real Chromium, every page scanned with axe-core (WCAG 2.1 AA): the catalogue,
a form with an error and its correction, the receipt, and Min side with a letter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from ekommune.core.models import Municipality
from ekommune.identity.testing import log_in_citizen
from ekommune.portal import services
from ekommune.portal.models import Submission
from ekommune.portal.tests.factories import PDF_BYTES, Portal, portal_for
from ekommune.testing import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def portal(municipality_a: Municipality) -> Portal:
    return portal_for(municipality_a)


def site(live_server: Any) -> str:
    return f"{live_server.url}/k/aust"


def log_in(page: Any, live_server: Any) -> None:
    """A citizen session (as the OIDC callback makes one), handed to the browser as its cookie."""
    client = Client()
    log_in_citizen(client, name="Kari Nordmann")
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_the_catalogue_and_a_service_page_are_accessible(live_server: Any, page: Any, portal: Portal) -> None:
    page.goto(site(live_server) + "/tjenester/")
    assert page.locator("h1").inner_text() == "Tjenester"
    assert page.locator("h2").first.inner_text() == "Få barn og barnehage"
    assert_accessible(page)
    page.fill("#service-search", "barnehager")
    page.click("form[role=search] button")
    assert "1 treff" in page.locator("main").inner_text()
    page.click("text=Barnehageplass")
    assert page.locator("h1").inner_text() == "Barnehageplass"
    assert_accessible(page)


def test_a_form_with_an_error_is_corrected_submitted_and_receipted(
    live_server: Any, page: Any, portal: Portal, tmp_path: Path
) -> None:
    log_in(page, live_server)
    page.goto(site(live_server) + "/tjenester/barnehageplass/skjema/")
    assert page.locator("#f-navn").input_value() == "Kari Nordmann"  # from the login
    assert_accessible(page)
    page.fill("#f-epost", "kari@")
    page.fill("#f-oppstart", "01.08.2027")
    page.check("#f-sosken-2")  # "Nei"
    page.fill("#f-barn-0-navn", "Lille Nordmann")
    page.fill("#f-barn-0-fodselsnummer", "15038510190")
    attachment = tmp_path / "soknad.pdf"
    attachment.write_bytes(PDF_BYTES)
    page.set_input_files("#f-vedlegg", str(attachment))
    page.click("button[value=next]")
    summary = page.locator(".error-summary")
    assert "Skriv en gyldig e-postadresse" in summary.inner_text()
    assert page.evaluate("document.activeElement.id") == "error-summary"  # focus moves to the summary
    assert page.locator("#f-epost").get_attribute("aria-invalid") == "true"
    assert "f-epost-error" in (page.locator("#f-epost").get_attribute("aria-describedby") or "")
    assert_accessible(page)

    page.click(".error-summary a[href='#f-epost']")
    assert page.evaluate("document.activeElement.id") == "f-epost"  # the link leads to the field
    page.fill("#f-epost", "kari@example.org")
    page.click("button[value=next]")
    assert page.locator("h1").inner_text() == "Se over før du sender", page.locator("main").inner_text()
    assert "Lille Nordmann" in page.locator("table").inner_text()
    assert_accessible(page)

    page.click("text=Send inn")
    assert page.locator("h1").inner_text() == "Kvittering"
    submission = Submission.objects.get()
    assert page.locator("#case-number").inner_text() == submission.case_number
    assert_accessible(page)


def test_a_conditional_field_appears_when_its_answer_is_given(
    live_server: Any, page: Any, portal: Portal
) -> None:
    log_in(page, live_server)
    page.goto(site(live_server) + "/tjenester/barnehageplass/skjema/")
    assert not page.locator("#f-sosken_navn").is_visible()
    page.check("#f-sosken")  # "Ja"
    assert page.locator("#f-sosken_navn").is_visible()
    page.click("button[name=add_row]")
    assert page.locator("#f-barn-1-navn").is_visible()
    assert_accessible(page)


def test_min_side_with_a_submission_a_draft_and_a_letter_is_accessible(
    live_server: Any, page: Any, portal: Portal
) -> None:
    client = Client(HTTP_HOST="aust.test")
    citizen = log_in_citizen(client, name="Kari Nordmann")
    who = services.CitizenActor(citizen=citizen)
    draft = services.draft_start(municipality=portal.municipality, who=who, service=portal.service)
    services.draft_save(
        municipality=portal.municipality,
        who=who,
        draft=draft,
        values={
            "navn": "Kari Nordmann",
            "fodselsnummer": "01018510002",
            "epost": "kari@example.org",
            "oppstart": "01.08.2027",
            "barn-count": "1",
            "barn-0-navn": "Lille",
            "barn-0-fodselsnummer": "15038510190",
        },
        uploads=[services.Upload(input_name="vedlegg", file_name="a.pdf", content=PDF_BYTES)],
    )
    submission = services.submission_submit(
        municipality=portal.municipality,
        who=who,
        service=portal.service,
        idempotency_key=draft.idempotency_key,
    )
    services.submission_reply(
        actor=portal.case_worker,
        municipality=portal.municipality,
        submission=submission,
        subject="Vedtak",
        body="Du har fått plass.",
    )
    services.draft_start(municipality=portal.municipality, who=who, service=portal.service)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(site(live_server) + "/min-side/")
    assert page.locator("h1").inner_text() == "Min side"
    text = page.locator("main").inner_text()
    assert submission.case_number in text
    assert "Ikke lest" in text
    assert_accessible(page)
    page.click("text=Vedtak")
    assert page.locator("h1").inner_text() == "Vedtak"
    assert_accessible(page)
    page.goto(site(live_server) + "/min-side/")
    assert "Ikke lest" not in page.locator("main").inner_text()


def test_the_staff_pages_inbox_reply_catalogue_and_form_editor_are_accessible(
    live_server: Any, page: Any, portal: Portal
) -> None:
    from ekommune.core.tests.factories import PASSWORD

    client = Client(HTTP_HOST="aust.test")
    citizen = log_in_citizen(client, name="Kari Nordmann")
    who = services.CitizenActor(citizen=citizen)
    draft = services.draft_start(municipality=portal.municipality, who=who, service=portal.service)
    services.draft_save(
        municipality=portal.municipality,
        who=who,
        draft=draft,
        values={
            "navn": "Kari Nordmann",
            "fodselsnummer": "01018510002",
            "epost": "kari@example.org",
            "oppstart": "01.08.2027",
            "barn-count": "1",
            "barn-0-navn": "Lille",
            "barn-0-fodselsnummer": "15038510190",
        },
        uploads=[services.Upload(input_name="vedlegg", file_name="a.pdf", content=PDF_BYTES)],
    )
    submission = services.submission_submit(
        municipality=portal.municipality,
        who=who,
        service=portal.service,
        idempotency_key=draft.idempotency_key,
    )
    services.letter_template_save(
        actor=portal.admin,
        municipality=portal.municipality,
        name="Vedtak",
        subject="Vedtak: {tjeneste}",
        body="Hei {navn}!",
    )
    page.goto(site(live_server) + "/innlogging/")
    page.fill("#id_username", portal.archive.records_manager.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(site(live_server) + "/ansatt/innboks/")
    assert page.locator("h1").inner_text() == "Innboks"
    assert submission.case_number in page.locator("main").inner_text()
    assert_accessible(page)
    page.click(f"text={submission.case_number}")
    assert_accessible(page)
    page.click("text=Vedtak")  # start from the template
    assert page.locator("#id_subject").input_value() == "Vedtak: Barnehageplass"
    page.click("text=Journalfør og send")
    assert "digitale postkasse" in page.locator(".messages").inner_text()
    assert page.locator("#status").inner_text() == "Under behandling"
    assert_accessible(page)
    page.goto(site(live_server) + f"/ansatt/tjenester/{portal.service.pk}/")
    assert_accessible(page)
    page.goto(site(live_server) + f"/ansatt/skjemaer/{portal.form.pk}/")
    assert_accessible(page)
