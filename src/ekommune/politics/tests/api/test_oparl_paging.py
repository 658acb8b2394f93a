"""OParl lists are paged and filtered as OParl 1.1 asks (issue 29): ``links.next`` on every page
but the last, ``pagination.totalElements``, a stable order, and ``created_since`` /
``modified_since`` / ``..._until`` kept in every link."""

from __future__ import annotations

import datetime as dt
import uuid
from urllib.parse import quote

import pytest
import time_machine
from django.utils import timezone

from ekommune.core.tests.factories import MunicipalityFactory, host_client
from ekommune.politics import services
from ekommune.politics.tests.scenario import political_year

pytestmark = pytest.mark.django_db


def _get(client, url: str, status: int = 200) -> dict:
    response = client.get(url.replace("http://fjordvik.test", ""))
    assert response.status_code == status, (url, response.content[:300])
    return response.json()


def _walk(client, url: str) -> tuple[list[dict], list[dict]]:
    """Every object of a list, following ``links.next``; and each page."""
    objects, pages = [], []
    while url:
        page = _get(client, url)
        pages.append(page)
        objects.extend(page["data"])
        url = page["links"].get("next", "")
        assert len(pages) < 100
    return objects, pages


@pytest.fixture
def year():
    return political_year(MunicipalityFactory.create(slug="fjordvik", host="fjordvik.test"))


def test_following_next_gives_every_object_once_in_a_stable_order(year) -> None:
    client = host_client("fjordvik.test")
    whole = _get(client, "/api/oparl/agendaitem/")
    assert whole["pagination"]["totalElements"] == 4
    assert "next" not in whole["links"]
    objects, pages = _walk(client, "/api/oparl/agendaitem/?elementsPerPage=1")
    assert [o["id"] for o in objects] == [o["id"] for o in whole["data"]]
    assert len(pages) == 4
    assert [p["pagination"]["currentPage"] for p in pages] == [1, 2, 3, 4]
    assert all(
        p["pagination"] | {"currentPage": 0}
        == {"totalElements": 4, "elementsPerPage": 1, "currentPage": 0, "totalPages": 4}
        for p in pages
    )
    assert "prev" not in pages[0]["links"]
    assert pages[1]["links"]["prev"] == pages[0]["links"]["self"]
    assert pages[0]["links"]["last"] == pages[-1]["links"]["self"]


@pytest.mark.parametrize("name", ["organization", "person", "membership", "meeting", "agendaitem", "paper"])
def test_every_list_is_paged(year, name: str) -> None:
    client = host_client("fjordvik.test")
    whole = _get(client, f"/api/oparl/{name}/")
    objects, pages = _walk(client, f"/api/oparl/{name}/?elementsPerPage=1")
    assert whole["pagination"]["totalElements"] == len(whole["data"]) == len(objects) == len(pages) > 1
    assert [o["id"] for o in objects] == [o["id"] for o in whole["data"]]
    assert all("created" in o and "modified" in o for o in objects)


def test_the_file_list_is_paged_over_minutes_and_items(year) -> None:
    client = host_client("fjordvik.test")
    whole = _get(client, "/api/oparl/file/")
    objects, pages = _walk(client, "/api/oparl/file/?elementsPerPage=2")
    assert sorted(o["id"] for o in objects) == sorted(o["id"] for o in whole["data"])
    assert len(pages) == pages[0]["pagination"]["totalPages"] == 3  # 2 minutes + 4 items, 2 a page
    for found in objects:
        assert _get(client, found["id"]) == found


def test_modified_since_gives_what_changed_and_links_keep_the_filter(year) -> None:
    client = host_client("fjordvik.test")
    later = timezone.now() + dt.timedelta(days=1)
    item = year.strategy_items[2]  # KST's meeting, summoned, not held
    with time_machine.travel(later, tick=False):
        services.agenda_item_video_set(
            actor=year.politics.secretary, municipality=year.municipality, item=item, offset_seconds=30
        )
    since = quote((later - dt.timedelta(minutes=1)).isoformat())
    changed = _get(client, f"/api/oparl/agendaitem/?modified_since={since}")
    assert [o["id"].rsplit("/", 2)[-2] for o in changed["data"]] == [str(item.pk)]
    assert changed["data"][0]["modified"] == later.isoformat()
    meetings = _get(client, f"/api/oparl/meeting/?modified_since={since}&elementsPerPage=1")["data"]
    assert [m["id"].rsplit("/", 2)[-2] for m in meetings] == [str(item.meeting_id)]
    papers = _get(client, f"/api/oparl/paper/?modified_since={since}")["data"]
    assert [p["reference"] for p in papers] == [year.case_number]
    before = _get(client, f"/api/oparl/agendaitem/?modified_until={since}&elementsPerPage=1")
    assert before["pagination"]["totalElements"] == 3
    assert f"modified_until={since}" in before["links"]["next"]
    assert "elementsPerPage=1" in before["links"]["next"]
    assert _get(client, f"/api/oparl/agendaitem/?created_since={since}")["data"] == []


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=x",
        "elementsPerPage=-1",
        "modified_since=yesterday",
        "created_until=2026-13-01T00:00:00Z",
        "modified_since=0001-01-01T00:00:00%2B10:00",
        "organization=x",
    ],
)
def test_bad_list_parameters_are_a_400_naming_the_parameter(year, query: str) -> None:
    client = host_client("fjordvik.test")
    body = _get(client, f"/api/oparl/meeting/?{query}", status=400)
    assert body["code"] == "invalid"
    assert body["field"] == query.partition("=")[0]


def test_a_page_past_the_end_is_empty_and_points_back(year) -> None:
    client = host_client("fjordvik.test")
    page = _get(client, "/api/oparl/meeting/?page=9")
    assert page["data"] == []
    assert page["links"]["prev"] == page["links"]["last"]
    assert "next" not in page["links"]


def test_more_than_a_hundred_per_page_gives_a_hundred(year) -> None:
    client = host_client("fjordvik.test")
    assert _get(client, "/api/oparl/person/?elementsPerPage=5000")["pagination"]["elementsPerPage"] == 100


def test_a_file_that_no_item_holds_is_a_404(year) -> None:
    client = host_client("fjordvik.test")
    body = _get(client, f"/api/oparl/file/{uuid.uuid4()}/", status=404)
    assert body["code"] == "not_found"
