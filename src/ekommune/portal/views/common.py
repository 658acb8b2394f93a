"""What every portal page shares: the municipality of the request, the logged-in citizen."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponseBase
from django.utils.translation import gettext_lazy as _

from ekommune.core.models import Municipality
from ekommune.identity.http import citizen_required
from ekommune.identity.selectors import session_citizen
from ekommune.portal import services

View = Callable[..., HttpResponseBase]


def municipality_required(view: View) -> View:
    """404 for pages that only exist inside a municipality's site."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if getattr(request, "municipality", None) is None:
            raise Http404(_("Fant ingen kommune på denne adressen."))
        return view(request, *args, **kwargs)

    return wrapper


def municipality_of(request: HttpRequest) -> Municipality:
    municipality: Municipality = request.municipality  # type: ignore[attr-defined]
    return municipality


def citizen_of(request: HttpRequest) -> services.CitizenActor:
    current = session_citizen(request=request)
    assert current is not None  # behind citizen_required
    return services.CitizenActor(citizen=current.citizen, organisation_number=current.organisation_number)


def citizen_page(view: View) -> View:
    """A page of Min side: a municipality's site and a citizen logged in (substantial or higher)."""
    return municipality_required(citizen_required()(view))  # type: ignore[arg-type]
