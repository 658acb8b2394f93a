"""The per-process memory of look-ups (decision 0035): hits only, bounded, for a time."""

from __future__ import annotations

import secrets

import pytest

from ekommune.core import lookup_cache
from ekommune.core.models import Municipality
from ekommune.core.selectors import api_token_lookup, municipality_for_host, municipality_for_slug


class Clock:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = 1_000.0
        monkeypatch.setattr(lookup_cache.time, "monotonic", lambda: self.now)


def test_a_miss_is_not_remembered() -> None:
    answers = iter([None, "funnet"])
    calls = []

    def load() -> str | None:
        calls.append(1)
        return next(answers)

    assert lookup_cache.remembered("test", "ny", load) is None
    assert lookup_cache.size() == 0
    assert lookup_cache.remembered("test", "ny", load) == "funnet"  # found at once, not a remembered miss
    assert lookup_cache.remembered("test", "ny", load) == "funnet"
    assert len(calls) == 2


def test_a_hit_is_remembered_for_its_time_to_live(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock(monkeypatch)
    values = iter(["første", "andre"])
    assert lookup_cache.remembered("test", "k", lambda: next(values), ttl=10) == "første"
    clock.now += 9.9
    assert lookup_cache.remembered("test", "k", lambda: next(values), ttl=10) == "første"
    clock.now += 0.2
    assert lookup_cache.remembered("test", "k", lambda: next(values), ttl=10) == "andre"


def test_the_memory_is_bounded() -> None:
    for number in range(lookup_cache.MAX_ENTRIES + 500):
        lookup_cache.remembered("test", str(number), lambda: "husket")
    assert lookup_cache.size() == lookup_cache.MAX_ENTRIES
    newest, oldest = str(lookup_cache.MAX_ENTRIES + 499), "0"
    assert lookup_cache.remembered("test", newest, lambda: "lastet igjen") == "husket"
    assert lookup_cache.remembered("test", oldest, lambda: "lastet igjen") == "lastet igjen"


@pytest.mark.django_db
def test_made_up_tokens_slugs_and_hosts_take_no_room(municipality_a: Municipality) -> None:
    assert municipality_for_host(host_name="aust.test") == municipality_a
    assert municipality_for_slug(slug="aust") == municipality_a
    before = lookup_cache.size()
    for _ in range(200):
        made_up = secrets.token_hex(8)
        assert api_token_lookup(token=made_up) is None
        assert municipality_for_slug(slug=made_up) is None
        assert municipality_for_host(host_name=f"{made_up}.example") is None
    assert lookup_cache.size() == before
