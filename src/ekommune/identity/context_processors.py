"""Template context: the logged-in citizen (for the header's "logged in as … / Logg ut"), and whether
the municipality has its own staff login (single sign-on), looked up only by a page that asks."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ekommune.identity.models import ProviderKind
from ekommune.identity.selectors import login_providers, session_citizen


def citizen(request: HttpRequest) -> dict[str, Any]:
    municipality = getattr(request, "municipality", None)
    if municipality is None or not hasattr(request, "session"):
        return {"citizen_session": None, "staff_single_sign_on": False}

    def staff_single_sign_on() -> bool:  # called by the template that shows it, not on every page
        return bool(login_providers(municipality=municipality, kinds=(ProviderKind.STAFF,)))

    return {"citizen_session": session_citizen(request=request), "staff_single_sign_on": staff_single_sign_on}
