"""Rate limits: one counter per client and scope in PostgreSQL, shared by every worker (decision 0170)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st

from ekommune.core.http import json_api
from ekommune.core.models import Municipality, RateCounter
from ekommune.core.ratelimits import Rate, client_address, rate_counters_purge, rate_hit, rate_limited

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_rate_clock")]


@pytest.fixture
def limits(settings: Any) -> dict[str, str]:
    settings.EKOMMUNE_RATE_LIMITS = {**settings.EKOMMUNE_RATE_LIMITS, "search": "3/m", "public_api": "2/h"}
    return settings.EKOMMUNE_RATE_LIMITS


@pytest.mark.parametrize(
    ("text", "rate"),
    [("20/m", Rate(20, 60)), ("1/s", Rate(1, 1)), (" 5/H ", Rate(5, 3600)), ("7/d", Rate(7, 86_400))],
)
def test_a_rate_is_a_count_per_period(text: str, rate: Rate) -> None:
    assert Rate.parse(text) == rate


@pytest.mark.parametrize("text", ["off", "", "OFF"])
def test_off_means_no_limit(text: str) -> None:
    assert Rate.parse(text) is None


@given(st.text(max_size=12).filter(lambda t: t.strip().lower() not in ("", "off")))
def test_a_rate_that_is_not_count_per_unit_is_a_configuration_error(text: str) -> None:
    count, _, unit = text.strip().lower().partition("/")
    if count.isascii() and count.isdigit() and int(count) >= 1 and unit in ("s", "m", "h", "d"):
        assert Rate.parse(text) is not None
    else:
        with pytest.raises(ValueError, match="rate limit"):
            Rate.parse(text)


def test_the_count_starts_again_in_the_next_window() -> None:
    rate = Rate(limit=2, period=60)
    first = [rate_hit(scope="t", client="10.0.0.1", rate=rate, now=600.0 + i) for i in range(3)]
    assert [d.allowed for d in first] == [True, True, False]
    assert first[2].retry_after == 58  # the window 600-660 ends in 58 s
    assert rate_hit(scope="t", client="10.0.0.1", rate=rate, now=661.0).allowed
    assert rate_hit(scope="t", client="10.0.0.2", rate=rate, now=602.0).allowed  # another client
    assert rate_hit(scope="u", client="10.0.0.1", rate=rate, now=602.0).allowed  # another scope


def test_the_counter_keeps_no_address() -> None:
    rate_hit(scope="search", client="192.0.2.77", rate=Rate(5, 60))
    (key,) = RateCounter.objects.values_list("key", flat=True)
    assert key.startswith("search:")
    assert "192.0.2.77" not in key


def test_old_counters_are_purged() -> None:
    rate_hit(scope="t", client="a", rate=Rate(5, 60), now=1000.0)
    rate_hit(scope="t", client="b", rate=Rate(5, 60))
    assert rate_counters_purge() == 1
    assert RateCounter.objects.count() == 1


def view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def test_a_limited_page_answers_429_with_retry_after_and_a_message(limits: dict[str, str]) -> None:
    page = rate_limited("search", when=lambda request: "q" in request.GET)(view)
    factory = RequestFactory()
    assert [page(factory.get("/s/", {"q": "x"})).status_code for _ in range(3)] == [200, 200, 200]
    refused = page(factory.get("/s/", {"q": "x"}))
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert isinstance(refused, HttpResponse)
    assert "For mange forespørsler" in refused.content.decode()
    assert page(factory.get("/s/")).status_code == 200  # not counted: no search
    assert page(factory.get("/s/", {"q": "x"}, REMOTE_ADDR="198.51.100.9")).status_code == 200


def test_only_the_counted_methods_count(limits: dict[str, str]) -> None:
    page = rate_limited("search", methods=["POST"])(view)
    factory = RequestFactory()
    assert all(page(factory.get("/s/")).status_code == 200 for _ in range(5))
    assert [page(factory.post("/s/")).status_code for _ in range(4)] == [200, 200, 200, 429]


def test_a_scope_set_off_never_refuses(settings: Any) -> None:
    settings.EKOMMUNE_RATE_LIMITS = {**settings.EKOMMUNE_RATE_LIMITS, "search": "off"}
    page = rate_limited("search")(view)
    assert all(page(RequestFactory().get("/s/")).status_code == 200 for _ in range(10))
    assert not RateCounter.objects.exists()


def test_the_public_json_apis_answer_429_as_json(limits: dict[str, str]) -> None:
    api = json_api(lambda request, municipality: {"ok": True})
    request = RequestFactory().get("/api/x/")
    request.municipality = Municipality(name="Aust")  # type: ignore[attr-defined]
    assert [api(request).status_code for _ in range(2)] == [200, 200]
    refused = api(request)
    assert refused.status_code == 429
    assert json.loads(refused.content)["code"] == "rate_limited"
    assert int(refused["Retry-After"]) >= 1


def test_behind_a_proxy_the_configured_header_names_the_client(settings: Any) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5, 10.0.0.1")
    assert client_address(request) == "10.0.0.1"
    settings.EKOMMUNE_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    assert client_address(request) == "203.0.113.5"


def test_the_shipped_limits_are_valid_rates() -> None:
    from ekommune.conf.base import RATE_LIMIT_DEFAULTS

    assert all(Rate.parse(text) is not None for text in RATE_LIMIT_DEFAULTS.values())


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_count_does_not_wait_for_the_disk_and_nothing_else_changes() -> None:
    from django.db import connection

    rate = Rate(2, 60)
    decisions = [rate_hit(scope="search", client="10.0.0.9", rate=rate) for _ in range(3)]
    assert [d.allowed for d in decisions] == [True, True, False]
    assert [d.hits for d in decisions] == [1, 2, 3]
    with connection.cursor() as cursor:  # the setting held for the count's own transaction only
        cursor.execute("SELECT current_setting('synchronous_commit')")
        assert cursor.fetchone()[0] == "on"
