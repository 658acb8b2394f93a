"""The public journal through HTTP: search, filters, paging, entry and case pages, feeds, sitemap, API."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from ekommune.archive import services as archive_services
from ekommune.archive.tests.factories import archive_for, case_for
from ekommune.core.tests.factories import MunicipalityFactory, host_client
from ekommune.publicjournal import services
from ekommune.publicjournal.models import PublishedEntry
from ekommune.publicjournal.tests.factories import entry_in

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def journal():
    archive = archive_for(MunicipalityFactory.create(slug="pj-aust", host="pj-aust.test"))
    case_file = case_for(archive, "Barnehageopptak 2026")
    entry_in(archive, "Søknader om barnehageplass, samlet", case_file=case_file)
    entry_in(archive, "Melding om hull i vegen", case_file=case_for(archive, "Strandvegen"))
    entry_in(
        archive,
        "Svar på søknad om skjenkebevilling",
        case_file=case_for(archive, "Skjenkebevilling Kaikanten"),
        entry_type="U",
        parties=[archive_services.PartyInput(party_type="EM", name="Kaikanten kafé AS", kind="unit")],
    )
    services.publication_refresh(municipality=archive.municipality)
    archive.case_file = case_file
    return archive


def titles(response) -> list[str]:
    return [entry["tittel"] for entry in response.json()["results"]]


def test_search_stems_norwegian_words_and_counts_the_hits(journal):
    client = host_client("pj-aust.test")
    response = client.get("/journal/", {"q": "søknad"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Søknader om barnehageplass, samlet" in page
    assert "Svar på søknad om skjenkebevilling" in page
    assert "Melding om hull i vegen" not in page
    assert "Viser 1–2 av 2 journalposter." in page
    assert titles(client.get("/api/journal/", {"q": "søknader barnehageplass"})) == [
        "Søknader om barnehageplass, samlet"
    ]
    assert titles(client.get("/api/journal/", {"q": "kaikanten"})) == ["Svar på søknad om skjenkebevilling"]
    assert titles(client.get("/api/journal/", {"q": "søknad -skjenkebevilling"})) == [
        "Søknader om barnehageplass, samlet"
    ]


def test_filters_sorting_and_paging(journal):
    client = host_client("pj-aust.test")
    assert titles(client.get("/api/journal/", {"type": "U"})) == ["Svar på søknad om skjenkebevilling"]
    case_number = journal.case_file.file_id
    assert titles(client.get("/api/journal/", {"sak": case_number})) == ["Søknader om barnehageplass, samlet"]
    assert titles(client.get("/api/journal/", {"enhet": "Oppvekst", "sortering": "eldste"}))[0] == (
        "Søknader om barnehageplass, samlet"
    )
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    assert client.get("/api/journal/", {"fra": tomorrow}).json()["count"] == 0
    first = client.get("/api/journal/", {"antall": 2, "sortering": "eldste"}).json()
    assert (first["count"], first["sider"], len(first["results"])) == (3, 2, 2)
    second = client.get(first["next"]).json()
    assert [e["tittel"] for e in second["results"]] == ["Svar på søknad om skjenkebevilling"]
    assert second["previous"] is not None
    ranked = client.get("/api/journal/", {"q": "søknad", "sortering": "relevans"}).json()
    assert ranked["count"] == 2
    assert client.get("/api/journal/", {"sortering": "relevans"}).json()["count"] == 3
    html = client.get("/journal/", {"side": 1}).content.decode()
    assert "Viser 1–3 av 3 journalposter." in html


def test_bad_search_input_gets_a_message_beside_the_field(journal):
    client = host_client("pj-aust.test")
    response = client.get("/journal/", {"sak": "fjorårets sak", "fra": "2026-12-01", "til": "2026-01-01"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Skriv saksnummeret som år/nummer" in page
    assert "Til-datoen må være etter fra-datoen." in page
    api = client.get("/api/journal/", {"type": "Q"})
    assert api.status_code == 400
    assert api.json()["field"] == "type"
    assert client.get("/api/journal/", {"antall": "mange"}).json()["field"] == "antall"
    assert client.get("/journal/feed/", {"fra": "i går"}).status_code == 404


def test_entry_and_case_pages_have_stable_urls(journal):
    client = host_client("pj-aust.test")
    row = PublishedEntry.objects.get(title="Søknader om barnehageplass, samlet")
    page = client.get(f"/journal/{row.system_id}/")
    assert page.status_code == 200
    assert "<h1>Søknader om barnehageplass, samlet</h1>" in page.content.decode()
    year, sequence = row.case_number.split("/")
    case_page = client.get(f"/journal/sak/{year}/{sequence}/")
    assert case_page.status_code == 200
    assert "Barnehageopptak 2026" in case_page.content.decode()
    assert f"/journal/{row.system_id}/" in case_page.content.decode()
    assert client.get("/journal/sak/1999/1/").status_code == 404
    assert client.get("/journal/00000000-0000-0000-0000-000000000000/").status_code == 404
    detail = client.get(f"/api/journal/{row.system_id}/").json()
    assert detail["saksnummer"] == row.case_number
    assert detail["url"].endswith(f"/journal/{row.system_id}/")
    assert client.get("/api/journal/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_another_municipality_sees_nothing_of_this_journal(journal):
    other = MunicipalityFactory.create(slug="pj-vest", host="pj-vest.test")
    services.publication_refresh(municipality=other)
    client = host_client("pj-vest.test")
    row = PublishedEntry.objects.first()
    assert client.get(f"/journal/{row.system_id}/").status_code == 404
    assert client.get(f"/api/journal/{row.system_id}/").status_code == 404
    assert client.get("/api/journal/").json()["count"] == 0
    assert "Søknader" not in client.get("/journal/feed/").content.decode()
    assert str(row.system_id) not in client.get("/journal/sitemap.xml").content.decode()
    assert host_client("ingen-kommune.test").get("/api/journal/").status_code == 404
    assert host_client("ingen-kommune.test").get("/journal/").status_code == 404


def test_atom_feed_per_municipality_and_per_saved_search(journal):
    client = host_client("pj-aust.test")
    feed = ET.fromstring(  # noqa: S314
        client.get("/journal/feed/").content
    )
    assert len(feed.findall(f"{ATOM}entry")) == 3
    search = client.get("/journal/", {"q": "søknad", "type": "U"}).content.decode()
    assert "/journal/feed/?q=s%C3%B8knad&amp;type=U" in search
    saved = ET.fromstring(  # noqa: S314
        client.get("/journal/feed/", {"q": "søknad", "type": "U"}).content
    )
    entries = saved.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text.split(" ", 1)[1] for e in entries] == [
        "Svar på søknad om skjenkebevilling"
    ]
    assert "Offentlig journal for" in saved.find(f"{ATOM}title").text


def test_sitemap_index_names_the_sitemaps_that_list_every_entry_and_case_page(journal):
    client = host_client("pj-aust.test")
    index = ET.fromstring(client.get("/journal/sitemap.xml").content)  # noqa: S314
    assert index.tag == f"{SITEMAP}sitemapindex"
    sitemaps = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert sitemaps == ["http://pj-aust.test/journal/sitemap-1.xml"]
    page = client.get("/journal/sitemap-1.xml")
    assert page["Content-Type"] == "application/xml; charset=utf-8"
    locations = [loc.text for loc in ET.fromstring(page.content).iter(f"{SITEMAP}loc")]  # noqa: S314
    assert locations[0] == "http://pj-aust.test/journal/"
    for row in PublishedEntry.objects.all():
        assert f"http://pj-aust.test/journal/{row.system_id}/" in locations
        assert f"http://pj-aust.test/journal/sak/{row.case_year}/{row.case_sequence}/" in locations
    assert len(locations) == len(set(locations))
    assert client.get("/journal/sitemap-2.xml").status_code == 404
    assert client.get("/journal/sitemap-0.xml").status_code == 404


def test_full_text_is_downloadable_only_when_enabled_and_unscreened(journal):
    client = host_client("pj-aust.test")
    open_entry = PublishedEntry.objects.get(title="Melding om hull i vegen")
    document_id = open_entry.documents[0]["system_id"]
    url = f"/journal/{open_entry.system_id}/dokument/{document_id}/"
    assert client.get(url).status_code == 404
    services.publication_policy_set(
        actor=journal.records_manager, municipality=journal.municipality, full_text_enabled=True
    )
    screened = entry_in(journal, "Klage fra nabo", screened=["NA"])
    services.publication_refresh(municipality=journal.municipality)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 Brev"
    assert "attachment" in response["Content-Disposition"]
    assert "Last ned fulltekst" in client.get(f"/journal/{open_entry.system_id}/").content.decode()
    row = PublishedEntry.objects.get(system_id=screened.system_id)
    assert row.documents[0]["file"] is None
    assert (
        client.get(f"/journal/{row.system_id}/dokument/{row.documents[0]['system_id']}/").status_code == 404
    )
    assert (
        client.get(f"/api/journal/{open_entry.system_id}/").json()["dokumenter"][0]["fulltekst"].endswith(url)
    )
