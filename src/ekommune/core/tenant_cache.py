"""A short-lived, per-process memory of host/slug → municipality look-ups (one per request otherwise).

Services that change municipalities or domains clear it when their transaction commits; other
processes see such changes within ``TTL_SECONDS``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.db import transaction

TTL_SECONDS = 30.0
_entries: dict[tuple[str, str], tuple[float, Any]] = {}


def remembered(kind: str, key: str, load: Callable[[], Any]) -> Any:
    now = time.monotonic()
    hit = _entries.get((kind, key))
    if hit is not None and now - hit[0] < TTL_SECONDS:
        return hit[1]
    value = load()
    _entries[(kind, key)] = (now, value)
    return value


def clear() -> None:
    _entries.clear()


def clear_on_commit() -> None:
    clear()
    transaction.on_commit(clear)
