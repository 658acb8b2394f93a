"""Who is logged in as a citizen, at which level, acting for whom."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from ekommune.identity.levels import level_satisfies
from ekommune.identity.models import Citizen
from ekommune.identity.services import SESSION_KEY


@dataclass(frozen=True)
class CitizenSession:
    citizen: Citizen
    level: str
    provider: str
    organisation_number: str  # "" when acting for oneself

    def satisfies(self, required_level: str) -> bool:
        return level_satisfies(self.level, required_level)


def session_citizen(*, request: HttpRequest) -> CitizenSession | None:
    """The logged-in citizen of this request (remembered on the request), or None."""
    if hasattr(request, "_ekommune_citizen"):
        cached: CitizenSession | None = request._ekommune_citizen
        return cached
    stored = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    result = None
    if stored:
        citizen = Citizen.objects.filter(system_id=stored.get("citizen")).first()
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
