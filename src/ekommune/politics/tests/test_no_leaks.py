"""Screened attachments and screened case-presentation titles never reach any public output:
every page, feed, calendar, API response and file reachable from the political pages, and e-mails."""

from __future__ import annotations

import re
from collections import deque

import pytest
from django.core import mail

from ekommune.archive import selectors as archive_selectors
from ekommune.archive import services as archive_services
from ekommune.archive.tests.factories import case_for, letter
from ekommune.core.tests.factories import MunicipalityFactory, host_client
from ekommune.politics import services
from ekommune.politics.tests.factories import item_for, meeting_for
from ekommune.politics.tests.scenario import (
    SECRET_ATTACHMENT_TITLE,
    SECRET_CONTENT,
    SECRET_NAME,
    SECRET_TITLE,
    political_year,
)

pytestmark = pytest.mark.django_db

HOST = "fjordvik.test"
LINK = re.compile(r"""(?:href|src)="([^"]+)"|"(https?://[^"]+)"|^URL:(\S+)""", re.MULTILINE)


def _secret_file_id(year) -> str:
    facts = next(
        archive_selectors.entries_for_publication(
            municipality=year.municipality, system_ids=[year.secret_item.presentation_system_id]
        )
    )
    return str(facts.documents[1].file_object_id)


def _forbidden(year) -> list[str]:
    secret_file = _secret_file_id(year)
    return [
        SECRET_NAME,
        "Hansen",
        SECRET_TITLE,
        SECRET_ATTACHMENT_TITLE,
        SECRET_CONTENT.decode(),
        secret_file,
    ]


def _crawl(client, roots: list[str]) -> dict[str, str]:
    seen: dict[str, str] = {}
    queue = deque(roots)
    while queue:
        url = queue.popleft().replace(f"http://{HOST}", "").replace(f"https://{HOST}", "").split("#")[0]
        if not url.startswith(("/politikk", "/api/oparl")) or url in seen:
            continue
        response = client.get(url)
        body = response.getvalue() if response.streaming else response.content
        text = body.decode("utf-8", errors="replace")
        seen[url] = text
        assert response.status_code in (200, 404), url
        for match in LINK.finditer(text.replace("&amp;", "&")):
            queue.append(next(group for group in match.groups() if group))
    return seen


def test_nothing_screened_appears_in_any_page_feed_calendar_api_response_or_file() -> None:
    year = political_year(MunicipalityFactory.create(slug="fjordvik", host=HOST))
    client = host_client(HOST)
    bodies = year.politics.bodies.values()
    roots = [
        "/politikk/",
        "/politikk/moter/?aar=" + str(year.meetings[0].starts_at.year),
        "/politikk/vedtak.atom",
        "/api/oparl/",
        "/api/oparl/openapi.json",
        *(f"/politikk/utvalg/{body.pk}/moter.ics" for body in bodies),
        *(
            f"/politikk/sok/?q={word}"
            for word in ("tilskudd", "innvilges", "sykdom", "legeerklæring", "60 000")
        ),
    ]
    pages = _crawl(client, roots)
    assert len(pages) > 40
    assert f"/politikk/saker/{year.secret_item.case_number}/" in pages  # the closed case was visited
    assert any("/protokoll/" in url for url in pages)  # and the minutes that record it
    assert any(url.startswith("/api/oparl/file/") for url in pages)
    for url, text in pages.items():
        for secret in _forbidden(year):
            assert secret not in text, f"{secret!r} leaked at {url}"
    # The marker and the legal basis are shown instead.
    closed_case = pages[f"/politikk/saker/{year.secret_item.case_number}/"]
    assert "Tilskudd til ***** etter sykdom" in closed_case
    assert "Offl. § 13 jf. fvl. § 13" in closed_case
    # Asking for the screened attachment directly is refused.
    response = client.get(f"/politikk/sak/{year.secret_item.pk}/dokument/{_secret_file_id(year)}/")
    assert response.status_code == 404
    assert client.get(f"/api/oparl/file/{_secret_file_id(year)}/").status_code == 404


def test_summons_and_notices_by_e_mail_carry_no_screened_text(django_capture_on_commit_callbacks) -> None:
    year = political_year(MunicipalityFactory.create(slug="fjordvik", host=HOST))
    politics, municipality = year.politics, year.municipality
    fsk = politics.bodies["FSK"]
    subscription = services.subscription_create(
        municipality=municipality, email="innbygger@example.org", body=fsk
    )
    subscription.confirmed_at = subscription.created_at
    subscription.save()
    meeting = meeting_for(politics, fsk)
    item = item_for(
        politics,
        meeting,
        case_for(politics.archive, "Tilskudd, ny søknad"),
        title=SECRET_TITLE,
        public_title="Tilskudd til ***** etter sykdom",
        documents=[letter(SECRET_ATTACHMENT_TITLE, SECRET_CONTENT)],
        screening=archive_services.ScreeningInput(
            access_restriction="13", legal_basis="Offl. § 13 jf. fvl. § 13", screened_metadata=["TRO", "TD"]
        ),
        is_public=False,
        closed_basis="Kommuneloven § 11-5",
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_summon(actor=politics.secretary, municipality=municipality, meeting=meeting)
    with django_capture_on_commit_callbacks(execute=True):
        services.decision_record(
            actor=politics.secretary,
            municipality=municipality,
            item=item,
            text=f"{SECRET_NAME} får tilskudd.",
            unanimous=True,
        )
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert "innbygger@example.org" in recipients
    assert "ola.ordforer@politiker.test" in recipients  # the summons to the members
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        assert "Tilskudd til ***** etter sykdom" in text
        for secret in (SECRET_NAME, "Hansen", SECRET_ATTACHMENT_TITLE):
            assert secret not in text
