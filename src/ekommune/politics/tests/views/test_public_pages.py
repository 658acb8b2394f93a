"""The public political pages: bodies and members, calendar, meeting, case history, search, documents."""

from __future__ import annotations

import pytest

from ekommune.core.tests.factories import MunicipalityFactory, host_client
from ekommune.politics.tests.scenario import PUBLIC_CONTENT, SECRET_NAME, political_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def year():
    return political_year(MunicipalityFactory.create(slug="fjordvik", host="fjordvik.test"))


def test_body_page_lists_members_with_public_email_and_meetings(year) -> None:
    client = host_client("fjordvik.test")
    fsk = year.politics.bodies["FSK"]
    page = client.get(f"/politikk/utvalg/{fsk.pk}/").content.decode()
    assert "Ola Ordfører" in page
    assert "mailto:ola.ordforer@politiker.test" in page
    assert page.index("Ola Ordfører") < page.index("Kari Høyre")  # leader first
    assert f"/politikk/moter/{year.meetings[1].pk}/" in page
    index = client.get("/politikk/").content.decode()
    assert "Administrasjonsutvalget" in index
    assert "Kommunestyret" in index


def test_meeting_page_shows_agenda_decisions_votes_video_and_released_documents(year) -> None:
    client = host_client("fjordvik.test")
    response = client.get(f"/politikk/moter/{year.meetings[0].pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "IT-strategi 2013-2016" in page
    assert "Administrasjonsutvalget slutter seg til strategien." in page
    assert "Enstemmig vedtatt." in page
    assert "https://video.example/adm.mp4#t=754" in page
    assert "Godkjent møteprotokoll" in page
    item = year.strategy_items[0]
    link = f"/politikk/sak/{item.pk}/dokument/"
    assert link in page
    href = page[page.index(link) :].split('"', 1)[0]
    document = client.get(href)
    assert document.status_code == 200
    assert document.getvalue() == PUBLIC_CONTENT
    minutes = client.get(f"/politikk/moter/{year.meetings[0].pk}/protokoll/")
    assert minutes["Content-Type"].startswith("text/html")
    assert "Møteprotokoll" in minutes.getvalue().decode()
    assert client.get(f"/politikk/moter/{year.meetings[2].pk}/protokoll/").status_code == 404


def test_case_page_shows_the_path_through_the_bodies_with_provisional_marks(year) -> None:
    client = host_client("fjordvik.test")
    page = client.get(f"/politikk/saker/{year.case_number}/").content.decode()
    adm, fsk, kst = (
        page.index(name) for name in ("Administrasjonsutvalget sak", "Formannskapet sak", "Kommunestyret sak")
    )
    assert adm < fsk < kst
    assert page.count("foreløpig – protokollen er ikke godkjent") == 1  # only Kommunestyret's
    assert f'href="/journal/sak/{year.case_number}/"' in page
    assert "Ap: For (4)" in page
    assert "Kari Høyre (H): Mot" in page
    assert client.get("/politikk/saker/1999/1/").status_code == 404


def test_search_finds_cases_and_decisions_in_norwegian_but_not_closed_texts(year) -> None:
    client = host_client("fjordvik.test")
    page = client.get("/politikk/sok/", {"q": "strategiene"}).content.decode()  # stemmed: strategi
    assert "IT-strategi 2013-2016" in page
    page = client.get("/politikk/sok/", {"q": "vedtar"}).content.decode()
    assert "Kommunestyret vedtar IT-strategi 2013-2016." in page
    for word in ("Hansen", "innvilges", "60 000"):
        page = client.get("/politikk/sok/", {"q": word}).content.decode()
        assert "0 treff" in page
        assert SECRET_NAME not in page


def test_calendar_page_and_unknown_objects(year) -> None:
    client = host_client("fjordvik.test")
    year_number = year.meetings[0].starts_at.year
    page = client.get("/politikk/moter/", {"aar": year_number}).content.decode()
    assert "Administrasjonsutvalget" in page
    assert client.get("/politikk/moter/999999/").status_code == 404
    assert client.get("/politikk/utvalg/999999/").status_code == 404


def test_another_municipality_sees_none_of_it(year) -> None:
    MunicipalityFactory.create(slug="nabo", host="nabo.test")
    client = host_client("nabo.test")
    assert client.get(f"/politikk/moter/{year.meetings[0].pk}/").status_code == 404
    assert client.get(f"/politikk/saker/{year.case_number}/").status_code == 404
    assert "Administrasjonsutvalget" not in client.get("/politikk/").content.decode()
    assert client.get(f"/api/oparl/meeting/{year.meetings[0].pk}/").status_code == 404


def test_the_pages_speak_nynorsk_and_english(year) -> None:
    client = host_client("fjordvik.test")
    client.cookies["django_language"] = "nn"
    page = client.get(f"/politikk/moter/{year.meetings[0].pk}/").content.decode()
    assert "Samrøystes vedteke." in page
    client.cookies["django_language"] = "en"
    page = client.get("/politikk/").content.decode()
    assert "<h1>Politics and meetings</h1>" in page
    assert "Adopted unanimously." in client.get(f"/politikk/moter/{year.meetings[0].pk}/").content.decode()
