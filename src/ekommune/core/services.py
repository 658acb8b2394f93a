"""Writes and business rules of the shared kernel. Keyword-only, typed, one transaction each.

Every other app records its actions through ``audit_event_record`` and checks rights through
``permission_require``; nothing else writes these tables.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.utils import timezone

from ekommune.core import lookup_cache
from ekommune.core.audit import (
    GENESIS_HASH,
    canonical_event,
    canonical_event_head,
    chain_hash,
    normalise_detail,
)
from ekommune.core.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from ekommune.core.models import (
    ApiScope,
    ApiToken,
    AuditEvent,
    Municipality,
    MunicipalityDomain,
    Role,
    ServiceClient,
    StaffMembership,
    User,
)
from ekommune.core.permissions import Permission, permissions_for_roles

Actor = User | AnonymousUser | None

# Advisory-lock namespace for audit chains: one lock per chain serialises appends to it.
_AUDIT_LOCK_NAMESPACE = 0x6B6F6D  # "kom"


# ------------------------------------------------------------------ permissions


def permission_has(*, actor: Actor, municipality: Municipality, permission: Permission) -> bool:
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return False
    return permission in _actor_permissions(actor, municipality)


def _actor_permissions(actor: User | AnonymousUser, municipality: Municipality) -> frozenset[Permission]:
    """The actor's permissions in a municipality, remembered on the user object.

    A user object lives for one request (or one task), so a role granted or revoked is seen by
    the next request; the grant and revoke services forget what they change on the object given.
    """
    cache: dict[int, frozenset[Permission]] = actor.__dict__.setdefault("_ekommune_permissions", {})
    if municipality.pk not in cache:
        roles = StaffMembership.objects.filter(municipality=municipality, user_id=actor.pk or 0).values_list(
            "role", flat=True
        )
        cache[municipality.pk] = permissions_for_roles(set(roles))
    return cache[municipality.pk]


def _forget_permissions(user: User) -> None:
    user.__dict__.pop("_ekommune_permissions", None)


def permission_require(*, actor: Actor, municipality: Municipality, permission: Permission) -> None:
    """Raise ``PermissionDeniedError`` unless ``actor`` holds ``permission`` in ``municipality``."""
    if not permission_has(actor=actor, municipality=municipality, permission=permission):
        raise PermissionDeniedError(
            f"Du har ikke tilgang til dette i {municipality.name}.", code="permission_denied"
        )


def _require_operator(actor: Actor) -> User:
    if not isinstance(actor, User) or not actor.is_active or not actor.is_superuser:
        raise PermissionDeniedError("Bare driftsoperatører kan gjøre dette.", code="operator_required")
    return actor


def _require_staff_manager(actor: Actor, municipality: Municipality) -> None:
    """Administrators of the municipality manage its staff; operators appoint the first ones."""
    if isinstance(actor, User) and actor.is_active and actor.is_superuser:
        return
    permission_require(actor=actor, municipality=municipality, permission=Permission.MANAGE_STAFF)


# ------------------------------------------------------------------ audit log


# ------------------------------------------------------------------ tenancy (decision 0008)


def tenant_row_lock[M: Model](model: type[M], *, pk: Any, municipality: Municipality) -> M:
    """The row of this municipality, locked for the caller's transaction.

    A row of another municipality is simply not found (``NotFoundError``, code ``not_found``):
    a service never tells one tenant that another's object exists (decision 0008).
    """
    found = model._default_manager.select_for_update().filter(pk=pk, municipality=municipality).first()
    if found is None:
        raise NotFoundError(f"Fant ikke {model._meta.verbose_name} i denne kommunen.", code="not_found")
    return found


def tenant_object_check(obj: Any, *, municipality: Municipality, field: str | None = None) -> None:
    """An object handed to a service must belong to the municipality; otherwise it is not found."""
    if obj is None or obj.municipality_id != municipality.pk:
        raise NotFoundError("Fant ikke objektet i denne kommunen.", code="not_found", field=field)


def actor_display_name(actor: Actor) -> str:
    """How records name who did something: a user's full name (else username), or ``system``."""
    if isinstance(actor, User):
        return actor.get_full_name() or actor.get_username()
    return "system"


def _actor_fields(actor: Actor, actor_label: str | None) -> tuple[int | None, str]:
    if isinstance(actor, User):
        return actor.pk, actor_label or actor.get_username()
    return None, actor_label or "system"


@dataclass(frozen=True)
class AuditEventInput:
    """One event for ``audit_events_record``."""

    action: str
    object_type: str = ""
    object_id: str | int = ""
    detail: dict[str, Any] | None = None


def audit_event_record(
    *,
    actor: Actor,
    municipality: Municipality | None,
    action: str,
    object_type: str = "",
    object_id: str | int = "",
    detail: dict[str, Any] | None = None,
    actor_label: str | None = None,
) -> AuditEvent:
    """Append one event to the municipality's audit chain (or the installation's, for None)."""
    event = AuditEventInput(action=action, object_type=object_type, object_id=object_id, detail=detail)
    return audit_events_record(
        actor=actor, municipality=municipality, events=[event], actor_label=actor_label
    )[0]


def audit_events_record(
    *,
    actor: Actor,
    municipality: Municipality | None,
    events: Sequence[AuditEventInput],
    actor_label: str | None = None,
) -> list[AuditEvent]:
    """Append events, in order, to the municipality's audit chain (or the installation's, for None).

    Runs inside the caller's transaction when there is one, so the events are stored if and only
    if the change they record is. Appends to one chain are serialised by a transaction-scoped
    advisory lock, taken before the chain's head is read (in its own statement, so the read sees
    what the previous holder committed); different municipalities never wait for each other.
    """
    with transaction.atomic(savepoint=False):
        rows = [
            AuditEvent(**dict(zip(_AUDIT_COLUMNS, row, strict=True)))
            for row in _chained(actor, municipality, events, actor_label)
        ]
        return AuditEvent.objects.bulk_create(rows)


def audit_events_append(
    *, actor: Actor, municipality: Municipality | None, events: Iterable[AuditEventInput]
) -> int:
    """``audit_events_record`` for many events (a bulk registration, an import): the same chain,
    the same lock, the hashes computed in one pass and the rows written with COPY; the number of
    events written (no objects are made for them)."""
    columns = ", ".join(_AUDIT_COLUMNS)
    count = 0
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        rows = _chained(actor, municipality, events, None)  # the head is locked and read here
        with (
            connection.wrap_database_errors,
            cursor.cursor.copy(f"COPY core_auditevent ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row((*row[:9], json.dumps(row[9], ensure_ascii=False), *row[10:]))
                count += 1
    return count


def audit_events_with(
    *,
    actor: Actor,
    municipality: Municipality | None,
    events: Sequence[AuditEventInput],
    ctes: str,
    params: Sequence[Any],
    guard: str,
    result: str,
    synchronous_commit: bool = True,
) -> tuple[Any, ...] | None:
    """Run the caller's write ``WITH <ctes> SELECT <result>`` and append ``events`` to the audit
    chain in the same statement, in one round trip with taking the chain's lock; the result row.

    For the hot path of a write that is serialised anyway (a gapless number): the chain's lock is
    then held for one statement and the commit, instead of four round trips. The events are the
    same rows ``audit_events_record`` writes: the canonical form is made here up to the sequence
    number (``canonical_event_head``), and the database adds the number and computes the SHA-256
    of the link (``sha256``), after the lock, so it chains on from what the previous holder
    committed. They are written only if the CTE named ``guard`` gives a row (the caller's write
    happened). Call inside a transaction; decision 0190. Or, for a write of its own (the reads of a
    request, decision 0226), outside one: the statements then run as one implicit transaction, in
    one round trip, and ``synchronous_commit=False`` lets its commit return before the disk flush.
    """
    chain_key = municipality.pk if municipality is not None else 0
    municipality_id = municipality.pk if municipality is not None else None
    actor_id, label = _actor_fields(actor, None)
    occurred_at = timezone.now()
    parts = [
        "_audit0 AS (SELECT last.s, COALESCE((SELECT hash FROM core_auditevent WHERE chain_key = %s "
        "AND sequence = last.s), %s) AS h FROM (SELECT COALESCE(max(sequence), 0) AS s FROM core_auditevent "
        "WHERE chain_key = %s) last)"
    ]
    values: list[Any] = [*params, chain_key, GENESIS_HASH, chain_key]
    rows = []
    for number, event in enumerate(events, start=1):
        detail = normalise_detail(event.detail)
        head = canonical_event_head(
            chain_key=chain_key,
            municipality_id=municipality_id,
            occurred_at=occurred_at,
            actor_id=actor_id,
            actor_label=label,
            action=event.action,
            object_type=event.object_type,
            object_id=str(event.object_id),
            detail=detail,
        )
        parts.append(
            f"_audit{number} AS (SELECT s + 1 AS s, h AS p, encode(sha256(convert_to(h || E'\\n' || %s || "  # noqa: S608
            f"(s + 1)::text || '}}', 'UTF8')), 'hex') AS h FROM _audit{number - 1})"
        )
        values.append(head)
        rows.append(
            f"SELECT %s::bigint, _audit{number}.s, %s::bigint, %s::timestamptz, %s::bigint, %s, %s, %s, %s, "  # noqa: S608
            f"%s::jsonb, _audit{number}.p, _audit{number}.h FROM _audit{number} WHERE EXISTS (SELECT FROM {guard})"
        )
    for event in events:
        values += [
            chain_key, municipality_id, occurred_at, actor_id, label, event.action, event.object_type,
            str(event.object_id), json.dumps(normalise_detail(event.detail), ensure_ascii=False),
        ]  # fmt: skip
    prefix = "" if synchronous_commit else "SET LOCAL synchronous_commit = off; "
    sql = (
        f"{prefix}SELECT pg_advisory_xact_lock(%s, %s); WITH {ctes}, {', '.join(parts)}, _audit AS (INSERT INTO "
        f"core_auditevent ({', '.join(_AUDIT_COLUMNS)}) {' UNION ALL '.join(rows)}) SELECT {result}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [_AUDIT_LOCK_NAMESPACE, chain_key, *values])
        cursor.cursor.nextset()
        if not synchronous_commit:
            cursor.cursor.nextset()
        return cursor.fetchone()


def audit_events_batch_append(
    *,
    actor: Actor,
    municipality: Municipality | None,
    events: Sequence[AuditEventInput],
    bulk_size: int,
    synchronous: bool = True,
) -> int:
    """Append a batch of events of one actor (the reads of a request, of an export: decision 0226)
    in their own transaction(s): up to ``bulk_size`` in one statement that also takes the chain's
    lock (``audit_events_with``), more with COPY in transactions of ``bulk_size`` events each, so
    that a long export never holds the chain's lock for long. ``synchronous=False``: the commit
    returns before PostgreSQL has flushed it to disk (it is written within its WAL writer's delay;
    only a crash of the database server itself can lose those last lines). The number appended."""
    if len(events) <= bulk_size:  # one statement, one round trip, its own implicit transaction
        audit_events_with(
            actor=actor,
            municipality=municipality,
            events=events,
            ctes="_batch AS (SELECT 1)",
            params=[],
            guard="_batch",
            result="1",
            synchronous_commit=synchronous,
        )
        return len(events)
    for start in range(0, len(events), bulk_size):
        with transaction.atomic():
            if not synchronous:  # the commit does not wait for the WAL flush (decision 0226)
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit = off")
            audit_events_append(
                actor=actor, municipality=municipality, events=events[start : start + bulk_size]
            )
    return len(events)


# The columns of an event row, in the order ``_chained`` gives them.
_AUDIT_COLUMNS = (
    "chain_key", "sequence", "municipality_id", "occurred_at", "actor_id", "actor_label", "action",
    "object_type", "object_id", "detail", "previous_hash", "hash",
)  # fmt: skip


def _chained(
    actor: Actor,
    municipality: Municipality | None,
    events: Iterable[AuditEventInput],
    actor_label: str | None,
) -> Iterator[tuple[Any, ...]]:
    """The rows of ``events`` (``_AUDIT_COLUMNS``) chained on from the chain's
    head, which is locked and read before this returns (call inside a transaction)."""
    chain_key = municipality.pk if municipality is not None else 0
    head = _chain_head(chain_key)
    return _chain_rows(actor, municipality, events, actor_label, head)


def _chain_head(chain_key: int) -> tuple[int, str]:
    """The last sequence number and hash of a chain, after taking its lock for the transaction."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_AUDIT_LOCK_NAMESPACE, chain_key])
        cursor.execute(
            "SELECT sequence, hash FROM core_auditevent WHERE chain_key = %s ORDER BY sequence DESC LIMIT 1",
            [chain_key],
        )
        head = cursor.fetchone()
    return (int(head[0]), str(head[1])) if head else (0, GENESIS_HASH)


def _chain_rows(
    actor: Actor,
    municipality: Municipality | None,
    events: Iterable[AuditEventInput],
    actor_label: str | None,
    head: tuple[int, str],
) -> Iterator[tuple[Any, ...]]:
    chain_key = municipality.pk if municipality is not None else 0
    actor_id, label = _actor_fields(actor, actor_label)
    sequence, previous_hash = head
    occurred_at = timezone.now()
    municipality_id = municipality.pk if municipality is not None else None
    for event in events:
        sequence += 1
        clean_detail = normalise_detail(event.detail)
        object_id = str(event.object_id)
        canonical = canonical_event(
            chain_key=chain_key,
            sequence=sequence,
            municipality_id=municipality_id,
            occurred_at=occurred_at,
            actor_id=actor_id,
            actor_label=label,
            action=event.action,
            object_type=event.object_type,
            object_id=object_id,
            detail=clean_detail,
        )
        event_hash = chain_hash(previous_hash, canonical)
        yield (
            chain_key, sequence, municipality_id, occurred_at, actor_id, label, event.action, event.object_type,
            object_id, clean_detail, previous_hash, event_hash,
        )  # fmt: skip
        previous_hash = event_hash


# ------------------------------------------------------------------ municipalities


def _full_clean(instance: Any, *, exclude: list[str] | None = None) -> None:
    """Model validation as an ``ApplicationError``: the first failing field, a clash as a conflict."""
    try:
        instance.full_clean(exclude=exclude)
    except DjangoValidationError as exc:
        field, errors = next(iter(exc.error_dict.items()))
        message = " ".join(str(m) for error in errors for m in error.messages)
        name = None if field == "__all__" else field
        if any(error.code in {"unique", "unique_together"} for error in errors):
            raise ConflictError(message, code="conflict", field=name) from exc
        raise ValidationError(message, code=errors[0].code or "invalid", field=name) from exc


def municipality_create(
    *,
    actor: Actor,
    name: str,
    slug: str,
    number: str,
    organisation_number: str,
    host_names: list[str] | None = None,
    primary_colour: str = "#1f4e79",
    accent_colour: str = "#f2c14e",
    email: str = "",
    phone: str = "",
    visiting_address: str = "",
    introduction: str = "",
) -> Municipality:
    """Add a municipality (tenant) to the installation. Operators only."""
    operator = _require_operator(actor)
    municipality = Municipality(
        name=name.strip(),
        slug=slug.strip().lower(),
        number=number.strip(),
        organisation_number=organisation_number.replace(" ", ""),
        primary_colour=primary_colour.lower(),
        accent_colour=accent_colour.lower(),
        email=email,
        phone=phone,
        visiting_address=visiting_address,
        introduction=introduction,
    )
    _full_clean(municipality)
    with transaction.atomic():
        municipality.save()
        lookup_cache.clear_on_commit()
        for index, host_name in enumerate(host_names or []):
            municipality_domain_add(
                actor=operator, municipality=municipality, host_name=host_name, is_primary=index == 0
            )
        audit_event_record(
            actor=operator,
            municipality=municipality,
            action="municipality.create",
            object_type="municipality",
            object_id=municipality.pk,
            detail={"name": municipality.name, "number": municipality.number},
        )
    return municipality


def municipality_domain_add(
    *, actor: Actor, municipality: Municipality, host_name: str, is_primary: bool = False
) -> MunicipalityDomain:
    operator = _require_operator(actor)
    domain = MunicipalityDomain(
        municipality=municipality, host_name=host_name.strip().lower(), is_primary=is_primary
    )
    _full_clean(domain)
    with transaction.atomic():
        try:
            with transaction.atomic():
                domain.save()
        except IntegrityError as exc:
            raise ConflictError(
                f"Vertsnavnet {domain.host_name} er allerede i bruk.", field="host_name"
            ) from exc
        lookup_cache.clear_on_commit()
        audit_event_record(
            actor=operator,
            municipality=municipality,
            action="municipality.domain_add",
            object_type="municipality_domain",
            object_id=domain.pk,
            detail={"host_name": domain.host_name},
        )
    return domain


BRANDING_FIELDS = (
    "name",
    "primary_colour",
    "accent_colour",
    "email",
    "phone",
    "visiting_address",
    "introduction",
)


def municipality_update_branding(*, actor: Actor, municipality: Municipality, **changes: str) -> Municipality:
    """Change a municipality's name, colours, contact details or introduction (administrators)."""
    permission_require(actor=actor, municipality=municipality, permission=Permission.MANAGE_MUNICIPALITY)
    unknown = set(changes) - set(BRANDING_FIELDS)
    if unknown:
        raise ValidationError(f"Ukjente felt: {', '.join(sorted(unknown))}.", field=sorted(unknown)[0])
    with transaction.atomic():
        locked = Municipality.objects.select_for_update().get(pk=municipality.pk)
        before = {field: getattr(locked, field) for field in changes}
        for field, value in changes.items():
            setattr(locked, field, value.lower() if field.endswith("colour") else value)
        _full_clean(locked, exclude=["logo"])
        locked.save(update_fields=list(changes))
        lookup_cache.clear_on_commit()
        audit_event_record(
            actor=actor,
            municipality=locked,
            action="municipality.update",
            object_type="municipality",
            object_id=locked.pk,
            detail={"before": before, "after": {field: getattr(locked, field) for field in changes}},
        )
    return locked


# ------------------------------------------------------------------ staff


def staff_user_create(
    *,
    actor: Actor,
    municipality: Municipality,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    password: str,
    roles: list[str],
) -> User:
    """Create a staff user with one or more roles in ``municipality`` (administrators)."""
    _require_staff_manager(actor, municipality)
    _validate_roles(roles)
    user = User(
        username=username.strip(),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip(),
    )
    _full_clean(user, exclude=["password"])
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationError(" ".join(exc.messages), code="weak_password", field="password") from exc
    user.set_password(password)
    with transaction.atomic():
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError as exc:
            raise ConflictError(
                "Brukernavnet eller e-postadressen er allerede i bruk.", field="username"
            ) from exc
        audit_event_record(
            actor=actor,
            municipality=municipality,
            action="staff.user_create",
            object_type="user",
            object_id=user.pk,
            detail={"username": user.username},
        )
        for role in roles:
            staff_role_grant(actor=actor, municipality=municipality, user=user, role=role)
    return user


def _validate_roles(roles: list[str]) -> None:
    if not roles:
        raise ValidationError("Velg minst én rolle.", code="role_required", field="roles")
    for role in roles:
        if role not in Role.values:
            raise ValidationError(f"Ukjent rolle: {role}.", code="unknown_role", field="roles")


def staff_role_grant(*, actor: Actor, municipality: Municipality, user: User, role: str) -> StaffMembership:
    """Give ``user`` a role in ``municipality`` (administrators of that municipality)."""
    _require_staff_manager(actor, municipality)
    _validate_roles([role])
    with transaction.atomic():
        _forget_permissions(user)
        membership, created = StaffMembership.objects.get_or_create(
            municipality=municipality, user=user, role=role
        )
        if created:
            audit_event_record(
                actor=actor,
                municipality=municipality,
                action="staff.role_grant",
                object_type="user",
                object_id=user.pk,
                detail={"username": user.username, "role": role},
            )
    return membership


def staff_role_revoke(*, actor: Actor, municipality: Municipality, user: User, role: str) -> None:
    """Take a role away. The last administrator of a municipality cannot be removed."""
    _require_staff_manager(actor, municipality)
    with transaction.atomic():
        memberships = StaffMembership.objects.select_for_update().filter(municipality=municipality, role=role)
        membership = memberships.filter(user=user).first()
        if membership is None:
            raise NotFoundError("Brukeren har ikke denne rollen her.", field="role")
        if role == Role.ADMINISTRATOR and memberships.count() == 1:
            raise ConflictError(
                "Kommunen må ha minst én administrator.", code="last_administrator", field="role"
            )
        membership.delete()
        _forget_permissions(user)
        audit_event_record(
            actor=actor,
            municipality=municipality,
            action="staff.role_revoke",
            object_type="user",
            object_id=user.pk,
            detail={"username": user.username, "role": role},
        )


def staff_login_record(*, user: User, municipality: Municipality | None, ip_address: str | None) -> None:
    audit_event_record(
        actor=user,
        municipality=municipality,
        action="staff.login",
        object_type="user",
        object_id=user.pk,
        detail={"ip_address": ip_address or ""},
    )


LOGO_MAX_BYTES = 512 * 1024
_LOGO_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg"}


def municipality_logo_set(*, actor: Actor, municipality: Municipality, content: bytes) -> Municipality:
    """Store a new logo (PNG or JPEG, sniffed from its bytes, at most 512 KiB). Administrators.

    SVG is refused on purpose: served from the site's own origin it could carry script.
    """
    if not (isinstance(actor, User) and actor.is_superuser):
        permission_require(actor=actor, municipality=municipality, permission=Permission.MANAGE_MUNICIPALITY)
    if len(content) > LOGO_MAX_BYTES:
        raise ValidationError("Logoen er for stor (høyst 512 KiB).", code="file_too_large", field="logo")
    extension = next((ext for sig, ext in _LOGO_SIGNATURES.items() if content.startswith(sig)), None)
    if extension is None:
        raise ValidationError(
            "Logoen må være en PNG- eller JPEG-fil.", code="unsupported_file_type", field="logo"
        )
    from django.core.files.base import ContentFile

    with transaction.atomic():
        locked = Municipality.objects.select_for_update().get(pk=municipality.pk)
        locked.logo.save(f"{locked.slug}.{extension}", ContentFile(content), save=True)
        audit_event_record(
            actor=actor,
            municipality=locked,
            action="municipality.logo_set",
            object_type="municipality",
            object_id=locked.pk,
            detail={"bytes": len(content), "format": extension},
        )
    return locked


API_TOKEN_LIFETIME_SECONDS = 8 * 60 * 60
API_REFRESH_LIFETIME_SECONDS = 7 * 24 * 60 * 60
SERVICE_TOKEN_LIFETIME_SECONDS = 60 * 60


@dataclass(frozen=True)
class IssuedToken:
    """The token answer of the OAuth 2.0 token endpoint (RFC 6749 §5.1), lifetimes in seconds."""

    access_token: str
    expires_in: int
    refresh_token: str
    refresh_expires_in: int
    municipality: Municipality
    scopes: tuple[str, ...] = ()  # a service client's (decision 0229); none for a user's token


def api_token_issue(
    *, request: Any, username: str, password: str, municipality: Municipality | None, otp: str = ""
) -> IssuedToken:
    """OAuth 2.0 password grant: check the password (with lockout), issue an access and a refresh token.

    Without a municipality from the request, the user's only municipality is used; a user with
    roles in several must call through the municipality's address. A user with two-factor login
    gives the code as ``otp`` too (``otp_required``, ``otp_invalid``); one whose role requires it
    and who has not set it up gets no token (``two_factor_setup_required``): systems use the client
    credentials grant (decision 0229).
    """
    from ekommune.core import twofactor

    user = authenticate(request, username=username, password=password)
    if not isinstance(user, User) or not user.is_active:
        raise PermissionDeniedError("Feil brukernavn eller passord.", code="invalid_grant")
    if twofactor.two_factor_enabled(user=user):
        if not otp:
            raise PermissionDeniedError("Oppgi engangskoden i feltet otp.", code="otp_required")
        if twofactor.two_factor_check(user=user, token=otp) is None:
            raise PermissionDeniedError("Engangskoden stemmer ikke.", code="otp_invalid")
    elif settings.EKOMMUNE_TWO_FACTOR_REQUIRED and twofactor.two_factor_required(user=user):
        raise PermissionDeniedError(
            "Rollen krever tofaktor: sett det opp under /ansatt/tofaktor/ først.",
            code="two_factor_setup_required",
        )
    memberships = list(
        StaffMembership.objects.filter(user=user).values_list("municipality_id", flat=True).distinct()
    )
    if municipality is None:
        if len(memberships) != 1:
            raise ValidationError(
                "Brukeren har roller i flere kommuner: bruk kommunens adresse.", code="municipality_required"
            )
        municipality = Municipality.objects.get(pk=memberships[0])
    elif municipality.pk not in memberships:
        raise PermissionDeniedError(
            f"Brukeren har ingen rolle i {municipality.name}.", code="permission_denied"
        )
    with transaction.atomic():
        issued = _api_token_pair_create(user=user, municipality=municipality)
        audit_event_record(
            actor=user,
            municipality=municipality,
            action="api.token_issue",
            object_type="user",
            object_id=user.pk,
        )
    return issued


def api_token_refresh(*, refresh_token: str, municipality: Municipality | None) -> IssuedToken:
    """OAuth 2.0 refresh grant: spend the refresh token (and its access token) for a new pair."""
    token_hash = hashlib.sha256(refresh_token.encode()).hexdigest()
    with transaction.atomic():
        old = (
            ApiToken.objects.select_for_update()
            .select_related("user", "municipality")
            .filter(refresh_hash=token_hash, refresh_expires_at__gt=timezone.now(), user__is_active=True)
            .exclude(refresh_hash="")
            .first()
        )
        if old is None or (municipality is not None and old.municipality_id != municipality.pk):
            raise PermissionDeniedError("Ugyldig eller utløpt refresh_token.", code="invalid_grant")
        user, municipality = old.user, old.municipality
        old.delete()
        issued = _api_token_pair_create(user=user, municipality=municipality)
        audit_event_record(
            actor=user,
            municipality=municipality,
            action="api.token_refresh",
            object_type="user",
            object_id=user.pk,
        )
        lookup_cache.clear_on_commit()
    return issued


def api_token_revoke(*, token: str) -> None:
    """Log out (RFC 7009): an access or refresh token ends, and the other of its pair with it.

    An unknown token is not an error: the answer must not tell whether a token existed.
    """
    token_hash = hashlib.sha256(token.encode()).hexdigest()
    with transaction.atomic():
        found = (
            ApiToken.objects.filter(token_hash=token_hash).first()
            or ApiToken.objects.filter(refresh_hash=token_hash).exclude(refresh_hash="").first()
        )
        if found is None:
            return
        audit_event_record(
            actor=found.user,
            municipality=found.municipality,
            action="api.token_revoke",
            object_type="user",
            object_id=found.user_id,
        )
        found.delete()
        lookup_cache.clear_on_commit()


SERVICE_SECRET_BYTES = 32


@dataclass(frozen=True)
class ServiceClientCreated:
    """A new service client and its secret, shown once."""

    client: ServiceClient
    client_secret: str


def service_client_create(
    *, actor: Actor, municipality: Municipality, name: str, user: User, scopes: Sequence[str]
) -> ServiceClientCreated:
    """Register a system for the client credentials grant (decision 0229): an administrator names
    it and its system account (which must have a role here: its roles bound what the system may do)
    and gives it scopes (``read``, ``write``). The secret is shown once and kept as SHA-256."""
    _require_staff_manager(actor, municipality)
    wanted = sorted(set(scopes))
    if not wanted or not set(wanted) <= set(ApiScope.values):
        raise ValidationError("Velg lese- og/eller skrivetilgang.", code="invalid_scope", field="scopes")
    if not name.strip():
        raise ValidationError("Gi klienten et navn.", code="required", field="name")
    if not StaffMembership.objects.filter(municipality=municipality, user=user).exists():
        raise ValidationError("Systemkontoen har ingen rolle i kommunen.", code="no_role", field="user")
    secret = secrets.token_urlsafe(SERVICE_SECRET_BYTES)
    with transaction.atomic():
        client = ServiceClient.objects.create(
            municipality=municipality,
            name=name.strip(),
            client_id=f"ek-{municipality.slug}-{secrets.token_hex(8)}",
            secret_hash=hashlib.sha256(secret.encode()).hexdigest(),
            user=user,
            scopes=wanted,
        )
        audit_event_record(
            actor=actor,
            municipality=municipality,
            action="api.service_client.create",
            object_type="service_client",
            object_id=client.client_id,
            detail={"scopes": wanted, "user": user.get_username()},
        )
    return ServiceClientCreated(client, secret)


def service_client_token_issue(
    *, client_id: str, client_secret: str, municipality: Municipality | None
) -> IssuedToken:
    """OAuth 2.0 client credentials grant (RFC 6749 §4.4): an access token with the client's scopes
    in its system account's name; no refresh token (§4.4.3: the client asks again)."""
    found = (
        ServiceClient.objects.select_related("user", "municipality")
        .filter(client_id=client_id, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    given = hashlib.sha256(client_secret.encode()).hexdigest()
    if found is None or not secrets.compare_digest(found.secret_hash, given):
        raise PermissionDeniedError("Ukjent klient eller feil hemmelighet.", code="invalid_client")
    if municipality is not None and found.municipality_id != municipality.pk:
        raise PermissionDeniedError("Klienten hører til en annen kommune.", code="invalid_client")
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        ApiToken.objects.create(
            municipality=found.municipality,
            user=found.user,
            token_hash=hashlib.sha256(token.encode()).hexdigest(),
            expires_at=timezone.now() + timedelta(seconds=SERVICE_TOKEN_LIFETIME_SECONDS),
            scopes=list(found.scopes),
        )
        audit_event_record(
            actor=found.user,
            municipality=found.municipality,
            action="api.token_issue",
            object_type="service_client",
            object_id=found.client_id,
            detail={"scopes": list(found.scopes)},
        )
    return IssuedToken(token, SERVICE_TOKEN_LIFETIME_SECONDS, "", 0, found.municipality, tuple(found.scopes))


def _api_token_pair_create(*, user: User, municipality: Municipality) -> IssuedToken:
    token, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = timezone.now()
    ApiToken.objects.create(
        municipality=municipality,
        user=user,
        token_hash=hashlib.sha256(token.encode()).hexdigest(),
        expires_at=now + timedelta(seconds=API_TOKEN_LIFETIME_SECONDS),
        refresh_hash=hashlib.sha256(refresh.encode()).hexdigest(),
        refresh_expires_at=now + timedelta(seconds=API_REFRESH_LIFETIME_SECONDS),
    )
    return IssuedToken(token, API_TOKEN_LIFETIME_SECONDS, refresh, API_REFRESH_LIFETIME_SECONDS, municipality)
