"""A short-lived, per-process memory of look-ups that every request makes: host names → municipality,
slug → municipality, API token → user, a service of the catalogue, the logged-in citizen (one
query each otherwise). Decision 0035.

- Bounded: at most ``MAX_ENTRIES`` entries (``cachetools.TLRUCache``); when full, the entry used
  least recently goes first, so no stream of keys can make the memory grow.
- Hits only: a ``None`` from ``load()`` (an unknown slug, a made-up token, a deleted citizen) is
  not remembered. Keys that come from outside cannot fill the memory, and a row created a moment
  ago is found at once.
- Each entry lives ``ttl`` seconds (``TTL_SECONDS`` unless the caller gives less). Services that
  change what is remembered clear it when their transaction commits; other processes see such
  changes within the entry's time to live.

What is remembered is shared by the requests (and threads) of a process: callers only read it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from cachetools import TLRUCache
from django.db import transaction

TTL_SECONDS = 30.0
MAX_ENTRIES = 10_000

Key = tuple[str, str]
Entry = tuple[float, Any]  # (time to live, value)


def _now() -> float:
    return time.monotonic()  # looked up at each call, so that a test can move the clock


def _expires(_key: Key, entry: Entry, now: float) -> float:
    return now + entry[0]


_entries: TLRUCache[Key, Entry] = TLRUCache(maxsize=MAX_ENTRIES, ttu=_expires, timer=_now)
_lock = threading.Lock()  # cachetools' caches are not thread-safe


def remembered(kind: str, key: str, load: Callable[[], Any], *, ttl: float = TTL_SECONDS) -> Any:
    """What ``load()`` gave for (kind, key) less than ``ttl`` seconds ago, else ``load()`` now.

    ``load()`` runs outside the lock (it queries the database); a ``None`` is returned, not kept.
    """
    with _lock:
        hit = _entries.get((kind, key))
    if hit is not None:
        return hit[1]
    value = load()
    if value is not None:
        with _lock:
            _entries[(kind, key)] = (ttl, value)
    return value


def size() -> int:
    """How many entries are remembered now (expired ones may still count until they are touched)."""
    with _lock:
        return len(_entries)


def clear() -> None:
    with _lock:
        _entries.clear()


def clear_on_commit() -> None:
    clear()
    transaction.on_commit(clear)
