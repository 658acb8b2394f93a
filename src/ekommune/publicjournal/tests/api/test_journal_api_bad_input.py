"""Bad input to the public journal's JSON API never gives a server error (issue 16 §4): any
method, path, query and body answers 2xx/3xx, or a 4xx with the platform's JSON error body."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from ekommune.archive.tests.factories import archive_for, case_for
from ekommune.core.tests.factories import MunicipalityFactory, host_client
from ekommune.core.tests.http_fuzz import FuzzRequest, csrf_client, fuzz_request, fuzz_send
from ekommune.politics.tests.api.test_oparl_bad_input import assert_answered_without_a_server_error
from ekommune.publicjournal import services
from ekommune.publicjournal.tests.factories import entry_in

pytestmark = pytest.mark.django_db
PREFIXES = ("/api/journal/", "/k/pj-fuzz/api/journal/")

TEMPLATES = ("", "{}/", "{}", "{}/{}/", "00000000-0000-0000-0000-000000000000/{}/")
PARAMETERS = ("q", "fra", "til", "type", "sak", "enhet", "sortering", "side", "antall")


@pytest.fixture
def journal() -> None:
    archive = archive_for(MunicipalityFactory.create(slug="pj-fuzz", host="pj-fuzz.test"))
    entry_in(archive, "Søknad om barnehageplass", case_file=case_for(archive, "Barnehageopptak"))
    services.publication_refresh(municipality=archive.municipality)


def test_no_request_to_the_journal_api_gives_a_server_error(journal: None) -> None:
    client, neutral = csrf_client("pj-fuzz.test"), csrf_client("testserver")

    @settings(max_examples=300)
    @given(fuzz_request(prefixes=PREFIXES, templates=TEMPLATES, query_names=PARAMETERS))
    def check(request: FuzzRequest) -> None:
        # on the municipality's own host, and on a neutral one with the /k/<slug>/ prefix
        via = client if request.path.startswith("/api/") else neutral
        assert_answered_without_a_server_error(fuzz_send(via, request), request)

    check()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"antall": "tjue"}, "antall"),
        ({"antall": "9" * 5000}, "antall"),
        ({"side": "99999999999"}, "side"),
        ({"fra": "2024-13-45"}, "fra"),
        ({"q": "a\x00b"}, "q"),
    ],
)
def test_out_of_range_values_are_a_400_that_names_the_parameter(journal: None, query, field) -> None:
    response = host_client("pj-fuzz.test").get("/api/journal/", query)
    assert response.status_code == 400
    assert response.json()["field"] == field


def test_a_page_size_out_of_range_is_held_to_the_limits(journal: None) -> None:
    client = host_client("pj-fuzz.test")
    assert client.get("/api/journal/", {"antall": "99999999999999999999"}).json()["count"] == 1
    assert client.get("/api/journal/", {"antall": "-3"}).json()["next"] is None


def test_unknown_paths_and_wrong_methods_answer_in_json(journal: None) -> None:
    client = csrf_client("pj-fuzz.test")
    for via, path in (
        (client, "/api/journal/not-a-uuid/"),
        (csrf_client("testserver"), "/k/pj-fuzz/api/journal/%0A0"),  # a newline stays in the site
    ):
        response = via.get(path)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    response = client.post("/api/journal/", {"q": "x"})
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response.json()["code"] == "method_not_allowed"
