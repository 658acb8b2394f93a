"""Writes of the identity app: citizens and their login sessions.

The OpenID Connect relying party (ID-porten, Feide, the municipality's own provider) ends in
``citizen_session_login``; everything else in the platform asks ``selectors.session_citizen``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from stdnum.no import fodselsnummer

from ekommune.core import services as core_services
from ekommune.core.errors import ValidationError
from ekommune.core.models import Municipality
from ekommune.identity.levels import Level
from ekommune.identity.models import Citizen

SESSION_KEY = "ekommune.citizen"


@dataclass(frozen=True)
class CitizenClaims:
    """What a login proves about a citizen: identity number (``pid``), name and level (``acr``)."""

    national_identity_number: str
    level: str
    name: str = ""
    email: str = ""
    id_token: str = ""  # kept for the provider's end-session (logout) request
    provider: str = ""
    organisation_number: str = ""  # when acting on behalf of a business


def citizen_for_claims(*, claims: CitizenClaims) -> Citizen:
    """The citizen with this identity number, created at first login; name kept up to date."""
    number = claims.national_identity_number.strip()
    if not fodselsnummer.is_valid(number):
        raise ValidationError("Ugyldig fødselsnummer i innloggingen.", code="invalid_pid", field="pid")
    with transaction.atomic():
        citizen, created = Citizen.objects.select_for_update().get_or_create(
            national_identity_number=number, defaults={"name": claims.name, "email": claims.email}
        )
        changed = [] if created else ["last_login_at"]
        if claims.name and citizen.name != claims.name:
            citizen.name = claims.name
            changed.append("name")
        if claims.email and not citizen.email:
            citizen.email = claims.email
            changed.append("email")
        citizen.last_login_at = timezone.now()
        citizen.save(update_fields=changed or None)
    return citizen


def citizen_session_login(
    *, request: HttpRequest, municipality: Municipality | None, claims: CitizenClaims
) -> Citizen:
    """Log the citizen in for this browser session (after a validated ID token)."""
    try:
        level = Level(claims.level)
    except ValueError as error:
        raise ValidationError(
            "Ukjent sikkerhetsnivå i innloggingen.", code="invalid_level", field="acr"
        ) from error
    citizen = citizen_for_claims(claims=claims)
    request.session.cycle_key()  # no session fixation across the login
    request.session[SESSION_KEY] = {
        "citizen": str(citizen.system_id),
        "level": str(level),
        "name": citizen.name,
        "provider": claims.provider,
        "id_token": claims.id_token,
        "organisation_number": claims.organisation_number,
    }
    core_services.audit_event_record(
        actor=None,
        municipality=municipality,
        action="identity.citizen_login",
        object_type="innbygger",
        object_id=str(citizen.system_id),
        detail={"level": str(level), "provider": claims.provider},
        actor_label=f"innbygger:{citizen.system_id}",
    )
    return citizen


def citizen_session_logout(*, request: HttpRequest, municipality: Municipality | None) -> dict[str, str]:
    """End the citizen's session here; returns what was stored (the caller may end the provider's too)."""
    stored: dict[str, str] = request.session.pop(SESSION_KEY, None) or {}
    if stored:
        core_services.audit_event_record(
            actor=None,
            municipality=municipality,
            action="identity.citizen_logout",
            object_type="innbygger",
            object_id=stored.get("citizen", ""),
            actor_label=f"innbygger:{stored.get('citizen', '')}",
        )
        request.session.cycle_key()
    return stored
