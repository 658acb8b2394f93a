"""Bad input to the OParl API never gives a server error (issue 16 §4): any method, path, query
and body through the real views answers 2xx/3xx, or a 4xx with the platform's JSON error body."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from ekommune.core.tests.factories import MunicipalityFactory, host_client
from ekommune.core.tests.http_fuzz import FuzzRequest, csrf_client, fuzz_request, fuzz_send
from ekommune.politics.tests.scenario import political_year

pytestmark = pytest.mark.django_db
PREFIXES = ("/api/oparl/", "/k/fjordvik/api/oparl/")

TEMPLATES = (
    "",
    "openapi.json",
    "body/",
    "body/{}/",
    "organization/",
    "organization/{}/",
    "person/{}/",
    "membership/{}/",
    "meeting/",
    "meeting/{}/",
    "agendaitem/{}/",
    "paper/",
    "paper/{}-{}/",
    "paper/{}/",
    "consultation/{}/",
    "file/",
    "file/{}/",
    "{}",
    "{}/{}/",
)


def assert_answered_without_a_server_error(response, request: FuzzRequest) -> None:
    assert response.status_code < 500, (request, response.status_code)
    if response.status_code >= 400:
        assert response["Content-Type"] == "application/json", (request, response.status_code)
        if request.method != "HEAD":
            body = response.json()
            assert set(body) == {"code", "message", "field"}, (request, body)


def test_no_request_to_the_oparl_api_gives_a_server_error() -> None:
    political_year(MunicipalityFactory.create(slug="fjordvik", host="fjordvik.test"))
    client, neutral = csrf_client("fjordvik.test"), csrf_client("testserver")

    @settings(max_examples=300)
    @given(fuzz_request(prefixes=PREFIXES, templates=TEMPLATES, query_names=("organization", "page")))
    def check(request: FuzzRequest) -> None:
        # on the municipality's own host, and on a neutral one with the /k/<slug>/ prefix
        via = client if request.path.startswith("/api/") else neutral
        assert_answered_without_a_server_error(fuzz_send(via, request), request)

    check()


def test_unknown_paths_under_the_api_are_a_json_404() -> None:
    MunicipalityFactory.create(slug="fjordvik", host="fjordvik.test")
    client = host_client("fjordvik.test")
    for path in ("/api/oparl/nothing/", "/api/oparl/meeting/abc/", "/api/oparl/a/b/c/d/"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/json"
        assert response.json()["code"] == "not_found"


def test_a_wrong_method_is_a_json_405_that_names_the_allowed_ones() -> None:
    MunicipalityFactory.create(slug="fjordvik", host="fjordvik.test")
    client = csrf_client("fjordvik.test")  # no CSRF token: the 405 comes first, not a 403 page
    for path in ("/api/oparl/", "/api/oparl/meeting/", "/api/oparl/openapi.json"):
        for method in ("POST", "PUT", "DELETE", "PATCH"):
            response = client.generic(method, path, b"{}", content_type="application/json")
            assert response.status_code == 405, (method, path)
            assert response["Allow"] == "GET, HEAD"
            assert response.json()["code"] == "method_not_allowed"
