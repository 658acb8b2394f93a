"""Conditional GET on the public journal: validators from the publication state (decision 0181).

A 304 must come from the one row of ``PublicationState``, without reading any entry; any change
that a page shows (the publication, the visitor's basket, the language) gives a new validator.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ekommune.archive.tests.factories import archive_for
from ekommune.core.tests.factories import MunicipalityFactory, host_client
from ekommune.publicjournal import services
from ekommune.publicjournal.tests.factories import entry_in

pytestmark = pytest.mark.django_db
HOST = "pj-cache.test"


@pytest.fixture
def journal():
    archive = archive_for(MunicipalityFactory.create(slug="pj-cache", host=HOST))
    archive.entry = entry_in(archive, "Søknad om ferjekai")
    services.publication_refresh(municipality=archive.municipality)
    return archive


def public_urls(journal) -> dict[str, bool]:
    """Each public URL, and whether it is the same for every reader (shared)."""
    case_year, _, case_sequence = journal.entry.case_file.file_id.partition("/")
    return {
        "/journal/": False,
        "/journal/?q=ferjekai": False,
        f"/journal/{journal.entry.system_id}/": False,
        f"/journal/sak/{case_year}/{case_sequence}/": False,
        "/journal/feed/": True,
        "/journal/sitemap.xml": True,
        "/journal/sitemap-1.xml": True,
        "/api/journal/": True,
        f"/api/journal/{journal.entry.system_id}/": True,
    }


def test_every_public_output_answers_a_repeated_get_with_304_without_reading_entries(journal):
    client = host_client(HOST)
    for url, shared in public_urls(journal).items():
        first = client.get(url)
        assert first.status_code == 200, url
        assert first["ETag"].startswith('"'), url
        if shared:
            assert set(first["Cache-Control"].split(", ")) == {"public", "max-age=300"}, url
            assert first.has_header("Last-Modified"), url
        else:
            assert set(first["Cache-Control"].split(", ")) == {"private", "no-cache"}, url
            assert not first.has_header("Last-Modified"), url  # the session decides too
        with CaptureQueriesContext(connection) as queries:
            again = client.get(url, headers={"If-None-Match": first["ETag"]})
        assert again.status_code == 304, url
        assert again.content == b""
        assert not [q["sql"] for q in queries if "publicjournal_publishedentry" in q["sql"]], url
        if shared:
            since = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
            assert since.status_code == 304, url


def test_a_publication_that_changes_gives_new_validators(journal):
    client = host_client(HOST)
    before = {url: client.get(url)["ETag"] for url in public_urls(journal)}
    entry_in(journal, "Melding om ferjekai", case_file=journal.entry.case_file)
    services.publication_refresh(municipality=journal.municipality)
    for url, etag in before.items():
        answer = client.get(url, headers={"If-None-Match": etag})
        assert answer.status_code == 200, url
        assert answer["ETag"] != etag, url
    assert "Melding om ferjekai" in client.get("/journal/").content.decode()


def test_a_refresh_that_changes_nothing_keeps_the_validators(journal):
    client = host_client(HOST)
    etag = client.get("/api/journal/")["ETag"]
    services.publication_refresh(municipality=journal.municipality, system_ids=[])
    assert client.get("/api/journal/", headers={"If-None-Match": etag}).status_code == 304


def test_a_page_follows_the_visitors_basket_and_language(journal):
    client = host_client(HOST)
    url = f"/journal/{journal.entry.system_id}/"
    etag = client.get(url)["ETag"]
    client.post("/journal/innsyn/kurv/", {"entry": str(journal.entry.system_id), "next": "/journal/innsyn/"})
    client.get("/journal/innsyn/")  # shows the message "lagt i innsynskurven"
    after_basket = client.get(url, headers={"If-None-Match": etag})
    assert after_basket.status_code == 200
    assert after_basket["ETag"] != etag
    assert client.get(url, headers={"If-None-Match": after_basket["ETag"]}).status_code == 304
    english = client.get(url, headers={"If-None-Match": after_basket["ETag"], "Accept-Language": "en"})
    assert english.status_code == 200


def test_a_waiting_message_is_always_shown(journal):
    client = host_client(HOST)
    url = "/journal/"
    etag = client.get(url)["ETag"]
    client.post("/journal/innsyn/kurv/", {"entry": str(journal.entry.system_id), "next": url})
    shown = client.get(url, headers={"If-None-Match": etag})
    assert shown.status_code == 200
    assert "lagt i innsynskurven" in shown.content.decode()


def test_a_municipality_without_a_publication_answers_without_validators(db):
    MunicipalityFactory.create(slug="pj-tom", host="pj-tom.test")
    answer = host_client("pj-tom.test").get("/api/journal/")
    assert answer.status_code == 200
    assert not answer.has_header("ETag")


def test_errors_are_not_cached(journal):
    client = host_client(HOST)
    answer = client.get("/api/journal/", {"fra": "ikke-en-dato"})
    assert answer.status_code == 400
    assert not answer.has_header("ETag")
