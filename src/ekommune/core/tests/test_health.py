"""/healthz tells the process is alive; /readyz that the database answers."""

from __future__ import annotations

import pytest
from django.db import connections
from django.test import Client


def test_healthz_needs_no_database() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_reports_the_database() -> None:
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_readyz_is_unavailable_when_the_database_is_unreachable() -> None:
    connection = connections["default"]
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update({"HOST": "127.0.0.1", "PORT": "1", "OPTIONS": {"connect_timeout": 2}})
    try:
        response = Client().get("/readyz")
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}


def test_responses_carry_a_request_id() -> None:
    response = Client().get("/healthz", HTTP_X_REQUEST_ID="abcdef12-3456")
    assert response["X-Request-ID"] == "abcdef12-3456"
    generated = Client().get("/healthz", HTTP_X_REQUEST_ID="<script>")
    assert len(generated["X-Request-ID"]) == 32
