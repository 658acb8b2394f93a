"""The OParl API answers as its OpenAPI document (``openapi.json``) says, checked by schemathesis.

Schemathesis generates requests for every operation in the document from the schemas of its
parameters (valid ones and invalid ones) and sends them through the
whole Django stack as a WSGI application, in the test's transaction (no network, no server).
Each answer must pass: no 5xx, a status code and a content type the document lists for the
operation, and a body that matches the response schema (decision 0176).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ekommune.core.tests.factories import MunicipalityFactory, host_client
from ekommune.politics.api.views import OPENAPI_PATH
from ekommune.politics.tests.scenario import political_year

HOST = "fjordvik.test"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

# Valid and invalid values (``negative``: an id that is no integer, a query parameter of the wrong
# type): the invalid ones must be refused as documented, not crash. Nothing is cached on disk.
CONFIG = SchemathesisConfig.from_dict({"generation": {"mode": "all"}, "cache": {"enabled": False}})
schema = schemathesis.openapi.from_path(OPENAPI_PATH, config=CONFIG)
handler = WSGIHandler()


def application(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """The Django WSGI handler kept inside the test's transaction: a real handler closes the
    database connection when a request ends (``close_old_connections``), which Django's test
    client avoids the same way, around each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        response = handler(environ, start_response)
        try:
            return [b"".join(response)]
        finally:
            response.close()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def oparl_site(db: None) -> None:
    """A municipality with a political year: bodies, people, meetings, open and closed items."""
    political_year(MunicipalityFactory.create(slug="fjordvik", host=HOST))


@schema.parametrize()
@settings(max_examples=25, suppress_health_check=list(HealthCheck), deadline=None)
def test_every_operation_answers_as_the_openapi_document_says(oparl_site: None, case) -> None:
    case.call_and_validate(app=application, base_url=f"http://{HOST}/", checks=CHECKS)


def test_every_object_of_a_political_year_matches_its_schema(oparl_site: None) -> None:
    """Generated ids mostly miss: each object the lists name is fetched once by its own id, so
    that every 200 schema of the document meets real data (closed items and minutes included)."""
    client = host_client(HOST)
    fetched = 0
    for kind in ("organization", "person", "membership", "meeting", "agendaitem", "paper", "file"):
        for item in client.get(f"/api/oparl/{kind}/").json()["data"]:
            path = urlsplit(item["id"]).path
            for template, operation in ((t, schema[t]["GET"]) for t in schema if t.startswith("/api/oparl/")):
                pattern = "^" + re.sub(r"\\{(\w+)\\}", r"(?P<\1>[^/]+)", re.escape(template)) + "$"
                match = re.match(pattern, path)
                if match is not None and "{" in template:
                    case = operation.Case(path_parameters=match.groupdict())
                    case.call_and_validate(app=application, base_url=f"http://{HOST}/", checks=CHECKS)
                    fetched += 1
    assert fetched >= 20
