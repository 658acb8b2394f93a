"""The audit log's hash chain: the canonical form of an event and the hash over it.

hash(n) = SHA-256( hash(n-1) || "\n" || canonical(n) ), with hash(0) = 64 zeros, where
canonical(n) is compact, key-sorted JSON of the event's fields. Changing, removing or reordering
any event breaks every later link; ``audit_chain_verify`` (selectors) finds the first break.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64


def canonical_event(
    *,
    chain_key: int,
    sequence: int,
    municipality_id: int | None,
    occurred_at: datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    detail: dict[str, Any],
) -> str:
    payload = {
        "chain_key": chain_key,
        "sequence": sequence,
        "municipality_id": municipality_id,
        "occurred_at": occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "actor_label": actor_label,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "detail": detail,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_event_head(**fields: Any) -> str:
    """The canonical form of an event up to its sequence number (``canonical_event`` without
    ``sequence``): the sequence is the last key in sorted order, so the canonical form of the event
    numbered N is this text, then N, then ``}``. The database completes it when it takes the
    number (``core.services.audit_events_with``)."""
    canonical = canonical_event(sequence=0, **fields)
    assert canonical.endswith('"sequence":0}')
    return canonical[:-2]


def chain_hash(previous_hash: str, canonical: str) -> str:
    return hashlib.sha256(f"{previous_hash}\n{canonical}".encode()).hexdigest()


_PLAIN = frozenset({str, int, bool, type(None)})


def normalise_detail(detail: dict[str, Any] | None) -> dict[str, Any]:
    """The detail as PostgreSQL's JSONB will give it back (so the hash survives the round trip)."""
    if detail is not None and all(
        type(key) is str and type(value) in _PLAIN for key, value in detail.items()
    ):
        return dict(detail)  # text, whole numbers, truth values: JSONB gives them back as they are
    normalised: dict[str, Any] = json.loads(json.dumps(detail or {}, sort_keys=True, default=str))
    return normalised
