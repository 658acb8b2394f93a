"""The base pages speak bokmål by default, and nynorsk or English on request."""

from __future__ import annotations

import pytest

from ekommune.core.models import Municipality
from ekommune.core.tests.factories import host_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "skip_link", "heading"),
    [
        ("nb", "Hopp til hovedinnholdet", "Velkommen til Aust kommune"),
        ("nn", "Hopp til hovudinnhaldet", "Velkomen til Aust kommune"),
        ("en", "Skip to main content", "Welcome to Aust kommune"),
    ],
)
def test_start_page_in_each_language(
    municipality_a: Municipality, language: str, skip_link: str, heading: str
) -> None:
    client = host_client("aust.test")
    client.cookies["django_language"] = language
    page = client.get("/").text
    assert f'<html lang="{language}">' in page
    assert skip_link in page
    assert heading in page


def test_the_language_switch_remembers_the_choice_and_returns(municipality_a: Municipality) -> None:
    client = host_client("localhost")
    response = client.post("/i18n/setlang/", {"language": "nn", "next": "/k/aust/"})
    assert response.status_code == 302
    assert response["Location"] == "/k/aust/"
    assert "Framside" in client.get("/k/aust/").text


def test_bokmål_is_the_default_whatever_the_browser_asks_for_first(municipality_a: Municipality) -> None:
    page = host_client("aust.test").get("/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9").text
    assert '<html lang="nb">' in page
