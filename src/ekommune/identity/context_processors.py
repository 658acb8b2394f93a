"""Template context: the logged-in citizen (for the header's "logged in as … / Logg ut")."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ekommune.identity.selectors import session_citizen


def citizen(request: HttpRequest) -> dict[str, Any]:
    if getattr(request, "municipality", None) is None or not hasattr(request, "session"):
        return {"citizen_session": None}
    return {"citizen_session": session_citizen(request=request)}
