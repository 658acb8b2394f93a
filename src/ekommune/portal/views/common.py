"""What the portal's pages share beyond the kernel's ``core.http``: the logged-in citizen."""

from __future__ import annotations

from django.http import HttpRequest

from ekommune.core.http import View, municipality_required
from ekommune.identity.http import citizen_required
from ekommune.identity.selectors import session_citizen
from ekommune.portal.types import CitizenActor


def citizen_of(request: HttpRequest) -> CitizenActor:
    current = session_citizen(request=request)
    assert current is not None  # behind citizen_required
    return CitizenActor(citizen=current.citizen, organisation_number=current.organisation_number)


def citizen_page(view: View) -> View:
    """A page of Min side: a municipality's site and a citizen logged in (substantial or higher)."""
    return municipality_required(citizen_required()(view))  # type: ignore[arg-type]
