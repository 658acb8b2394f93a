"""Writes of the identity app: citizens and their login sessions.

The OpenID Connect relying party (ID-porten, Feide, the municipality's own provider) ends in
``citizen_session_login``; everything else in the platform asks ``selectors.session_citizen``.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import login as django_login
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from stdnum.no import fodselsnummer

from ekommune.core import lookup_cache
from ekommune.core import services as core_services
from ekommune.core.errors import ConflictError, ValidationError
from ekommune.core.models import Municipality, User
from ekommune.core.permissions import Permission
from ekommune.identity.models import (
    BusinessRepresentation,
    Citizen,
    IdentityProvider,
    ProviderKind,
    ProviderSession,
)
from ekommune.identity.roles import organisation_number_valid, role_source_for
from ekommune.identity.types import CitizenClaims, Level, LoginError, LoginResult

SESSION_KEY = "ekommune.citizen"
# The organisations the logged-in citizen may act for, found at login: [{"number", "name"}, ...].
ORGANISATIONS_KEY = "ekommune.citizen.organisations"


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
        if "name" in changed or "email" in changed:
            lookup_cache.clear_on_commit()  # session_citizen remembers citizens for a few seconds
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
        "sid": claims.sid,
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
    request.session.pop(ORGANISATIONS_KEY, None)
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


# ------------------------------------------------------------------ login through a provider

CITIZEN_KINDS = (ProviderKind.IDPORTEN, ProviderKind.FEIDE)
FEIDE_NIN_CLAIM = "https://n.feide.no/claims/nin"


def citizen_oidc_login(*, request: HttpRequest, municipality: Municipality, result: LoginResult) -> Citizen:
    """A validated ID token from a citizen provider: log the citizen in, remember the provider's
    session id (front-channel logout) and the organisations they may act for (role source)."""
    provider = result.provider
    if provider.kind not in CITIZEN_KINDS:
        raise LoginError("Denne innloggingen er ikke for innbyggere.", code="provider_unknown")
    pid = str(result.claims.get("pid") or result.claims.get(FEIDE_NIN_CLAIM) or "")
    try:
        citizen = citizen_session_login(
            request=request,
            municipality=municipality,
            claims=CitizenClaims(
                national_identity_number=pid,
                level=result.level,
                name=str(result.claims.get("name", "")),
                email=str(result.claims.get("email", "")),
                id_token=result.id_token,
                provider=f"{provider.kind}:{provider.pk}",
                sid=str(result.claims.get("sid", "")),
            ),
        )
    except ValidationError as error:
        raise LoginError(error.message, code=error.code) from error
    organisations = role_source_for(provider.role_source).organisations(
        municipality=municipality,
        national_identity_number=citizen.national_identity_number,
        claims=result.claims,
    )
    request.session[ORGANISATIONS_KEY] = [{"number": o.number, "name": o.name} for o in organisations]
    sid = str(result.claims.get("sid", ""))
    if sid:
        if request.session.session_key is None:
            request.session.save()
        ProviderSession.objects.get_or_create(
            municipality=municipality,
            provider=provider,
            sid=sid,
            session_key=request.session.session_key or "",
        )
    return citizen


def citizen_session_act_for(
    *, request: HttpRequest, municipality: Municipality | None, organisation_number: str
) -> str:
    """Let the logged-in citizen act for one of the organisations found at login ("" = for oneself)."""
    stored = request.session.get(SESSION_KEY)
    if not stored:
        raise ValidationError("Du er ikke logget inn.", code="not_logged_in")
    number = organisation_number.replace(" ", "")
    if number:
        allowed = {entry["number"] for entry in request.session.get(ORGANISATIONS_KEY) or []}
        if not organisation_number_valid(number):
            raise ValidationError(
                "Ugyldig organisasjonsnummer.",
                code="invalid_organisation_number",
                field="organisation_number",
            )
        if number not in allowed:
            raise ValidationError(
                "Du kan ikke representere denne organisasjonen.",
                code="organisation_not_allowed",
                field="organisation_number",
            )
    request.session[SESSION_KEY] = {**stored, "organisation_number": number}
    core_services.audit_event_record(
        actor=None,
        municipality=municipality,
        action="identity.citizen_act_for",
        object_type="innbygger",
        object_id=str(stored.get("citizen", "")),
        detail={"organisation_number": number},
        actor_label=f"innbygger:{stored.get('citizen', '')}",
    )
    return number


def session_organisations(*, request: HttpRequest) -> list[dict[str, str]]:
    organisations: list[dict[str, str]] = request.session.get(ORGANISATIONS_KEY) or []
    return organisations


def citizen_frontchannel_logout(*, municipality: Municipality, issuer: str, sid: str) -> int:
    """The provider ended its session ``sid``: end the citizen sessions that came from it here.

    Found through ``ProviderSession`` (the request has no cookie of ours in a provider's frame);
    the staff part of a browser session, if any, is left alone. Returns how many were ended.
    """
    if not sid or len(sid) > 200 or not (sid + issuer).isprintable():
        return 0
    engine = import_module(settings.SESSION_ENGINE)
    ended = 0
    with transaction.atomic():
        rows = list(
            ProviderSession.objects.for_municipality(municipality)
            .filter(provider__issuer=issuer, sid=sid)
            .select_related("provider")
        )
        for row in rows:
            store = engine.SessionStore(session_key=row.session_key)
            stored = store.get(SESSION_KEY) or {}
            if stored.get("sid") == sid:
                store.pop(SESSION_KEY, None)
                store.pop(ORGANISATIONS_KEY, None)
                store.save()
                ended += 1
                core_services.audit_event_record(
                    actor=None,
                    municipality=municipality,
                    action="identity.citizen_frontchannel_logout",
                    object_type="innbygger",
                    object_id=str(stored.get("citizen", "")),
                    detail={"provider": row.provider_id},
                    actor_label=f"innbygger:{stored.get('citizen', '')}",
                )
            row.delete()
    return ended


def staff_oidc_login(*, request: HttpRequest, municipality: Municipality, result: LoginResult) -> User:
    """A validated ID token from the municipality's own provider: log in the staff user it names.

    The user is found by e-mail (unless ``email_verified`` is false), else by user name = ``sub``, among active users who
    already hold a role in this municipality. A login never creates users or grants roles.
    """
    if result.provider.kind != ProviderKind.STAFF:
        raise LoginError("Denne innloggingen er ikke for ansatte.", code="provider_unknown")
    email = str(result.claims.get("email") or "")
    if result.claims.get("email_verified") is False:
        email = ""
    sub = str(result.claims.get("sub") or "")
    match = Q(username=sub) if sub else Q(pk__in=[])
    if email:
        match |= Q(email__iexact=email)
    candidates = (
        User.objects.filter(match, is_active=True, memberships__municipality=municipality)
        .distinct()
        .order_by("pk")
    )
    by_email = [user for user in candidates if email and user.email.lower() == email.lower()]
    user = by_email[0] if by_email else next(iter(candidates), None)
    if user is None:
        raise LoginError(
            f"Ingen ansatt med tilgang i {municipality.name} passer til denne innloggingen.",
            code="no_staff_user",
        )
    django_login(request, user, backend="django.contrib.auth.backends.ModelBackend")  # audited by core
    return user


# ------------------------------------------------------------------ provider configuration

PROVIDER_FIELDS = (
    "name",
    "issuer",
    "discovery_url",
    "client_id",
    "client_secret",
    "client_secret_env",
    "scopes",
    "role_source",
    "enabled",
)
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


def _require_identity_manager(actor: core_services.Actor, municipality: Municipality) -> None:
    """Administrators of the municipality (``MANAGE_MUNICIPALITY``) and the installation's operators."""
    if isinstance(actor, User) and actor.is_active and actor.is_superuser:
        return
    core_services.permission_require(
        actor=actor, municipality=municipality, permission=Permission.MANAGE_MUNICIPALITY
    )


def _validate_provider(provider: IdentityProvider) -> None:
    try:
        provider.full_clean(exclude=["municipality"], validate_unique=False, validate_constraints=False)
    except DjangoValidationError as exc:
        field, errors = next(iter(exc.error_dict.items()))
        message = " ".join(str(m) for error in errors for m in error.messages)
        raise ValidationError(message, code=errors[0].code or "invalid", field=field) from exc
    for field in ("issuer", "discovery_url"):
        url = urlsplit(getattr(provider, field))
        if url.scheme == "http" and url.hostname not in _LOCAL_HOSTS:
            raise ValidationError(
                "Adressen må bruke https (http bare for localhost).", code="https_required", field=field
            )
    if "openid" not in provider.scopes.split():
        raise ValidationError("Scopes må inneholde openid.", code="openid_scope_required", field="scopes")
    if not provider.client_secret and not provider.client_secret_env:
        raise ValidationError(
            "Oppgi klienthemmeligheten eller miljøvariabelen som har den.",
            code="client_secret_required",
            field="client_secret",
        )


def _provider_detail(provider: IdentityProvider) -> dict[str, Any]:
    """What the audit log keeps about a provider: never the secret itself."""
    return {
        "kind": provider.kind,
        "name": provider.name,
        "issuer": provider.issuer,
        "client_id": provider.client_id,
        "client_secret_env": provider.client_secret_env,
        "secret_stored": bool(provider.client_secret),
        "scopes": provider.scopes,
        "role_source": provider.role_source,
        "enabled": provider.enabled,
    }


def identity_provider_create(
    *,
    actor: core_services.Actor,
    municipality: Municipality,
    kind: str,
    name: str,
    issuer: str,
    client_id: str,
    client_secret: str = "",
    client_secret_env: str = "",
    scopes: str = "openid profile",
    discovery_url: str = "",
    role_source: str = "none",
    enabled: bool = True,
) -> IdentityProvider:
    """Add an OpenID provider (ID-porten, Feide or the municipality's own) to a municipality."""
    _require_identity_manager(actor, municipality)
    provider = IdentityProvider(
        municipality=municipality,
        kind=kind,
        name=name.strip(),
        issuer=issuer.strip(),
        discovery_url=discovery_url.strip(),
        client_id=client_id.strip(),
        client_secret=client_secret,
        client_secret_env=client_secret_env.strip(),
        scopes=" ".join(scopes.split()),
        role_source=role_source,
        enabled=enabled,
    )
    _validate_provider(provider)
    with transaction.atomic():
        try:
            with transaction.atomic():
                provider.save()
        except IntegrityError as exc:
            raise ConflictError(
                "Kommunen har allerede en identitetsleverandør av denne typen.", code="conflict", field="kind"
            ) from exc
        core_services.audit_event_record(
            actor=actor,
            municipality=municipality,
            action="identity.provider_create",
            object_type="identity_provider",
            object_id=provider.pk,
            detail=_provider_detail(provider),
        )
    return provider


def identity_provider_update(
    *, actor: core_services.Actor, provider: IdentityProvider, **changes: Any
) -> IdentityProvider:
    """Change a provider's settings (or disable it with ``enabled=False``)."""
    _require_identity_manager(actor, provider.municipality)
    unknown = set(changes) - set(PROVIDER_FIELDS)
    if unknown:
        raise ValidationError(f"Ukjente felt: {', '.join(sorted(unknown))}.", field=sorted(unknown)[0])
    with transaction.atomic():
        locked = IdentityProvider.objects.select_for_update().get(pk=provider.pk)
        for field, value in changes.items():
            setattr(
                locked, field, value.strip() if isinstance(value, str) and field != "client_secret" else value
            )
        _validate_provider(locked)
        locked.save()
        core_services.audit_event_record(
            actor=actor,
            municipality=locked.municipality,
            action="identity.provider_update",
            object_type="identity_provider",
            object_id=locked.pk,
            detail={"changed": sorted(changes), "after": _provider_detail(locked)},
        )
    return locked


def business_representation_add(
    *,
    actor: core_services.Actor,
    municipality: Municipality,
    national_identity_number: str,
    organisation_number: str,
    organisation_name: str,
) -> BusinessRepresentation:
    """Record that a person may act for an organisation here (the static role source)."""
    _require_identity_manager(actor, municipality)
    number = organisation_number.replace(" ", "")
    nin = national_identity_number.strip()
    if not fodselsnummer.is_valid(nin):
        raise ValidationError("Ugyldig fødselsnummer.", code="invalid_pid", field="national_identity_number")
    if not organisation_number_valid(number):
        raise ValidationError(
            "Ugyldig organisasjonsnummer.", code="invalid_organisation_number", field="organisation_number"
        )
    with transaction.atomic():
        representation, created = BusinessRepresentation.objects.get_or_create(
            municipality=municipality,
            national_identity_number=nin,
            organisation_number=number,
            defaults={"organisation_name": organisation_name.strip()},
        )
        if created:
            core_services.audit_event_record(
                actor=actor,
                municipality=municipality,
                action="identity.representation_add",
                object_type="representation",
                object_id=representation.pk,
                detail={"organisation_number": number},  # never the identity number
            )
    return representation


def provider_sessions_prune() -> int:
    """Forget ``ProviderSession`` rows whose browser session ended or expired (run now and then)."""
    engine = import_module(settings.SESSION_ENGINE)
    stale = [
        row.pk
        for row in ProviderSession.objects.all().iterator()
        if (engine.SessionStore(session_key=row.session_key).load().get(SESSION_KEY) or {}).get("sid")
        != row.sid
    ]
    deleted, _ = ProviderSession.objects.filter(pk__in=stale).delete()
    return deleted
