"""A short-lived, per-process memory of look-ups that every request makes: host/slug → municipality,
API token → user, a service of the catalogue, the logged-in citizen (one query each otherwise).

Services that change what is remembered clear it when their transaction commits; other processes
see such changes within the entry's time to live (``TTL_SECONDS`` unless the caller gives less).
What is remembered is shared by the requests of a process: callers only read it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.db import transaction

TTL_SECONDS = 30.0
_entries: dict[tuple[str, str], tuple[float, Any]] = {}


def remembered(
    kind: str, key: str, load: Callable[[], Any], *, ttl: float = TTL_SECONDS, keep_missing: bool = True
) -> Any:
    """What ``load()`` gave for (kind, key) less than ``ttl`` seconds ago, else ``load()`` now.

    ``keep_missing=False``: a None is not remembered (for keys that come from outside, so that
    made-up keys cannot fill the memory, and so that a new row is found at once).
    """
    now = time.monotonic()
    hit = _entries.get((kind, key))
    if hit is not None and now - hit[0] < ttl:
        return hit[1]
    value = load()
    if value is not None or keep_missing:
        _entries[(kind, key)] = (now, value)
    return value


def clear() -> None:
    _entries.clear()


def clear_on_commit() -> None:
    clear()
    transaction.on_commit(clear)
