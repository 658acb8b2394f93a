"""Who is logged in as a citizen, at which level, acting for whom."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest

from ekommune.core import lookup_cache
from ekommune.core.models import Municipality
from ekommune.core.validators import is_ascii_digits
from ekommune.identity.models import BusinessRepresentation, Citizen, IdentityProvider
from ekommune.identity.services import SESSION_KEY
from ekommune.identity.types import CitizenSession

CITIZEN_TTL_SECONDS = 10.0


def _citizen_remembered(system_id: str) -> Citizen | None:
    """The citizen row, remembered per process for a few seconds: every page of a logged-in
    citizen needs it, and it changes only at login (which clears the memory in its process)."""

    def load() -> Citizen | None:
        try:
            return Citizen.objects.get(system_id=system_id)
        except (Citizen.DoesNotExist, DjangoValidationError):
            return None

    found: Citizen | None = lookup_cache.remembered(
        "identity.citizen", system_id, load, ttl=CITIZEN_TTL_SECONDS
    )
    return found


def session_citizen(*, request: HttpRequest) -> CitizenSession | None:
    """The logged-in citizen of this request (remembered on the request), or None."""
    if hasattr(request, "_ekommune_citizen"):
        cached: CitizenSession | None = request._ekommune_citizen
        return cached
    stored = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    result = None
    if stored:
        citizen = _citizen_remembered(str(stored.get("citizen", "")))
        if citizen is not None:
            result = CitizenSession(
                citizen=citizen,
                level=stored.get("level", ""),
                provider=stored.get("provider", ""),
                organisation_number=stored.get("organisation_number", ""),
            )
    request._ekommune_citizen = result  # type: ignore[attr-defined]
    return result


def citizen_by_system_id(*, system_id: str) -> Citizen | None:
    return Citizen.objects.filter(system_id=system_id).first()


def login_providers(*, municipality: Municipality | None, kinds: tuple[str, ...]) -> list[IdentityProvider]:
    """The municipality's enabled providers of these kinds (none outside a municipality)."""
    if municipality is None:
        return []
    return list(
        IdentityProvider.objects.for_municipality(municipality)
        .filter(enabled=True, kind__in=kinds)
        .order_by("kind", "name")
    )


def login_provider(*, municipality: Municipality | None, pk: int) -> IdentityProvider | None:
    """One enabled provider of this municipality (another municipality's is never found)."""
    if municipality is None:
        return None
    return IdentityProvider.objects.for_municipality(municipality).filter(enabled=True, pk=pk).first()


def provider_by_session_label(*, municipality: Municipality | None, label: str) -> IdentityProvider | None:
    """The provider a citizen session came from (``"<kind>:<pk>"`` in the session), in this municipality."""
    kind, _, pk = label.partition(":")
    if municipality is None or not is_ascii_digits(pk):
        return None
    return IdentityProvider.objects.for_municipality(municipality).filter(kind=kind, pk=int(pk)).first()


def identity_providers(*, municipality: Municipality) -> list[IdentityProvider]:
    return list(IdentityProvider.objects.for_municipality(municipality).order_by("kind", "name"))


def business_representation_count(*, municipality: Municipality) -> int:
    return BusinessRepresentation.objects.for_municipality(municipality).count()
