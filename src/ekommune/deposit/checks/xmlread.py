"""Reading XML as streams: local names, dates, child texts, identifiers as keys, and forgetting
what was handled so memory stays flat."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

_LOCAL_NAMES: dict[object, str] = {}  # a package has a few dozen tags: each split once


def local_name(tag: object) -> str:
    try:
        return _LOCAL_NAMES[tag]
    except KeyError:
        name = tag.split("}", 1)[1] if isinstance(tag, str) and "}" in tag else str(tag)
        if isinstance(tag, str):
            _LOCAL_NAMES[tag] = name
        return name
    except TypeError:  # an unhashable tag (lxml's Comment or PI factory) is not remembered
        return str(tag)


def child_texts(element: Any) -> dict[str, str]:
    """The text of each direct child by local name (the first of a repeated one), in one pass."""
    texts: dict[str, str] = {}
    for child in element:
        name = local_name(child.tag)
        if name not in texts:
            texts[name] = (child.text or "").strip()
    return texts


def parse_date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def parse_datetime(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def forget_previous(element: Any) -> None:
    """Clear a handled element and drop the handled siblings of the same kind before it."""
    element.clear(keep_tail=True)
    previous = element.getprevious()
    while previous is not None and previous.tag == element.tag:
        earlier = previous.getprevious()
        element.getparent().remove(previous)
        previous = earlier


def forget(element: Any) -> None:
    """Drop a handled element and the siblings before it: streamed reading keeps memory flat."""
    element.clear(keep_tail=True)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def id_key(text: str | None) -> bytes:
    value = (text or "").strip()
    try:
        return uuid.UUID(value).bytes
    except ValueError:
        return value.encode()


def id_text(key: bytes) -> str:
    return str(uuid.UUID(bytes=key)) if len(key) == 16 else key.decode(errors="replace")


def child_text(element: Any, name: str, ns: str) -> str:
    return (element.findtext(f"{{{ns}}}{name}") or "").strip()
