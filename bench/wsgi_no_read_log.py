"""The platform's WSGI application with read logging switched off: the baseline of
bench/read_logging.py only (the platform itself has no such switch: decision 0226)."""

from __future__ import annotations

from typing import Any

from ekommune.wsgi import application as platform_application


def _not_noted(**kwargs: Any) -> None:
    return None


from ekommune.core import readlog

readlog.read_note = _not_noted
application = platform_application
