"""Reads of the shared kernel: tenant resolution, staff search, the audit log and its verification."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, Value
from django.db.models.functions import MD5, Concat
from django.utils import timezone

from ekommune.core import lookup_cache
from ekommune.core.audit import GENESIS_HASH, canonical_event, chain_hash
from ekommune.core.models import ApiToken, AuditEvent, Municipality, MunicipalityDomain, StaffMembership, User
from ekommune.core.permissions import Permission, permissions_for_roles
from ekommune.core.readlog import READ_ACTION_PREFIX
from ekommune.core.services import Actor, permission_require


def municipality_for_host(*, host_name: str) -> Municipality | None:
    """The active municipality with this registered host name, or None (not remembered: a name
    registered a moment ago is found at once, and made-up names take no room)."""

    def load() -> Municipality | None:
        domain = (
            MunicipalityDomain.objects.select_related("municipality")
            .filter(host_name=host_name.lower(), municipality__is_active=True)
            .first()
        )
        return domain.municipality if domain else None

    return lookup_cache.remembered("host", host_name.lower(), load)


def municipality_for_slug(*, slug: str) -> Municipality | None:
    return lookup_cache.remembered(
        "slug", slug, lambda: Municipality.objects.filter(slug=slug, is_active=True).first()
    )


def municipality_by_organisation_number(*, organisation_number: str) -> Municipality | None:
    """The active municipality with this organisation number (an e-invoice's receiver), or None."""
    return Municipality.objects.filter(organisation_number=organisation_number, is_active=True).first()


def municipality_list_active() -> QuerySet[Municipality]:
    return Municipality.objects.filter(is_active=True).prefetch_related("domains")


def staff_roles(*, user: Actor, municipality: Municipality) -> list[str]:
    if user is None or not user.is_authenticated:
        return []
    return list(
        StaffMembership.objects.filter(municipality=municipality, user_id=user.pk)
        .order_by("role")
        .values_list("role", flat=True)
    )


def staff_permissions(*, user: Actor, municipality: Municipality) -> frozenset[Permission]:
    return permissions_for_roles(set(staff_roles(user=user, municipality=municipality)))


def user_active_by_username(*, username: str) -> User | None:
    return User.objects.filter(username=username, is_active=True).first()


@dataclass(frozen=True)
class StaffMember:
    user_id: int
    username: str
    full_name: str
    email: str
    roles: tuple[str, ...]


def staff_search(*, actor: Actor, municipality: Municipality, query: str = "") -> list[StaffMember]:
    """Staff of one municipality, optionally filtered by name, user name or e-mail."""
    permission_require(actor=actor, municipality=municipality, permission=Permission.VIEW_STAFF)
    memberships = StaffMembership.objects.filter(municipality=municipality).select_related("user")
    query = query.strip()
    if query:
        memberships = memberships.filter(
            Q(user__username__icontains=query)
            | Q(user__first_name__icontains=query)
            | Q(user__last_name__icontains=query)
            | Q(user__email__icontains=query)
        )
    people: dict[int, tuple[User, list[str]]] = {}
    for membership in memberships.order_by("user__last_name", "user__first_name", "role"):
        people.setdefault(membership.user_id, (membership.user, []))[1].append(membership.role)
    return [
        StaffMember(
            user_id=user.pk,
            username=user.username,
            full_name=user.get_full_name() or user.username,
            email=user.email,
            roles=tuple(roles),
        )
        for user, roles in people.values()
    ]


def audit_event_list(*, actor: Actor, municipality: Municipality, limit: int = 100) -> QuerySet[AuditEvent]:
    """The newest events of one municipality's chain (administrators and records managers)."""
    permission_require(actor=actor, municipality=municipality, permission=Permission.VIEW_AUDIT_LOG)
    return AuditEvent.objects.filter(chain_key=municipality.pk).order_by("-sequence")[:limit]


@dataclass(frozen=True)
class ChainBreak:
    chain_key: int
    sequence: int
    event_id: int
    reason: str


@dataclass(frozen=True)
class ChainReport:
    chain_key: int
    events: int
    head_hash: str
    first_break: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.first_break is None


def _chain_events(chain_key: int, batch_size: int) -> Iterator[AuditEvent]:
    return AuditEvent.objects.filter(chain_key=chain_key).order_by("sequence").iterator(chunk_size=batch_size)


def audit_chain_verify(*, chain_key: int, batch_size: int = 2000) -> ChainReport:
    """Recompute one chain from its first event; report the first broken link, if any.

    A changed field breaks the event's own hash; a removed or inserted event breaks the
    sequence or the link to the previous hash. Memory stays flat: events are streamed.
    """
    previous_hash = GENESIS_HASH
    expected_sequence = 1
    count = 0
    for event in _chain_events(chain_key, batch_size):
        count += 1
        if event.sequence != expected_sequence:
            reason = f"sekvensnummer {expected_sequence} mangler (fant {event.sequence})"
            return ChainReport(
                chain_key, count, previous_hash, ChainBreak(chain_key, event.sequence, event.pk, reason)
            )
        if event.previous_hash != previous_hash:
            reason = "lenken til forrige hendelse stemmer ikke"
            return ChainReport(
                chain_key, count, previous_hash, ChainBreak(chain_key, event.sequence, event.pk, reason)
            )
        canonical = canonical_event(
            chain_key=event.chain_key,
            sequence=event.sequence,
            municipality_id=event.municipality_id,
            occurred_at=event.occurred_at,
            actor_id=event.actor_id,
            actor_label=event.actor_label,
            action=event.action,
            object_type=event.object_type,
            object_id=event.object_id,
            detail=event.detail,
        )
        if chain_hash(previous_hash, canonical) != event.hash:
            reason = "innholdet er endret (hash stemmer ikke)"
            return ChainReport(
                chain_key, count, previous_hash, ChainBreak(chain_key, event.sequence, event.pk, reason)
            )
        previous_hash = event.hash
        expected_sequence += 1
    return ChainReport(chain_key, count, previous_hash, None)


def audit_chain_keys() -> list[int]:
    return list(AuditEvent.objects.order_by("chain_key").values_list("chain_key", flat=True).distinct())


def api_token_lookup(*, token: str) -> tuple[User, Municipality] | None:
    """The user and municipality of a valid, unexpired bearer token.

    Remembered per process for ``lookup_cache.TTL_SECONDS`` (but never past the token's expiry):
    a user deactivated meanwhile keeps API access that long at most.
    """
    token_hash = hashlib.sha256(token.encode()).hexdigest()

    def load() -> tuple[User, Municipality, Any, tuple[str, ...]] | None:
        found = (
            ApiToken.objects.select_related("user", "municipality")
            .filter(token_hash=token_hash, expires_at__gt=timezone.now(), user__is_active=True)
            .first()
        )
        return (found.user, found.municipality, found.expires_at, tuple(found.scopes)) if found else None

    hit = lookup_cache.remembered("token", token_hash, load)
    if hit is None or hit[2] <= timezone.now():
        return None
    # A fresh user object per request: permissions remembered on it must not outlive the request.
    user = copy.copy(hit[0])
    user.api_scopes = hit[3]  # a service client's scopes (decision 0229)
    return user, hit[1]


# ------------------------------------------------------------------ read log (decision 0226)


def read_events(
    *,
    actor: Actor,
    municipality: Municipality,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    case_files: Iterable[str] | None = None,
) -> QuerySet[AuditEvent]:
    """The read log of a municipality (the ``read.*`` events of its audit chain), newest first:
    within ``[since, until)``, and about ``case_files`` (systemIDs) when given."""
    permission_require(actor=actor, municipality=municipality, permission=Permission.SECURITY_READ_REVIEW)
    events = AuditEvent.objects.filter(chain_key=municipality.pk, action__startswith=READ_ACTION_PREFIX)
    if since is not None:
        events = events.filter(occurred_at__gte=since)
    if until is not None:
        events = events.filter(occurred_at__lt=until)
    if case_files is not None:
        events = events.filter(detail__case_file__in=list(case_files))
    return events.order_by("-occurred_at", "-sequence")


def read_events_sample(
    *, actor: Actor, municipality: Municipality, since: dt.datetime, until: dt.datetime, size: int
) -> list[AuditEvent]:
    """A random sample of ``size`` reads in ``[since, until)``: the same sample every time it is
    asked for (ordered by a hash of each event's own hash and the period), so that a review and
    its record agree; not guessable before the reads are made."""
    seed = f"{since.isoformat()}/{until.isoformat()}"
    events = read_events(actor=actor, municipality=municipality, since=since, until=until)
    return list(events.order_by(MD5(Concat("hash", Value(seed))))[:size])
