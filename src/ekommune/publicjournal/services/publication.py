"""Writes of the publication: the municipality's publication policy and the publication table."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

import structlog
from django.db import connection, transaction
from django.utils import timezone

from ekommune.core import services as core_services
from ekommune.core.errors import ValidationError
from ekommune.core.models import Municipality
from ekommune.core.permissions import Permission
from ekommune.core.services import Actor
from ekommune.publicjournal import selectors
from ekommune.publicjournal.models import (
    SITEMAP_ENTRIES_PER_PAGE,
    PublicationPolicy,
    PublicationState,
    PublishedEntry,
    default_sensitive_class_prefixes,
)
from ekommune.publicjournal.types import MARKER, PublicEntry, RefreshResult

logger = structlog.get_logger(__name__)


def publication_policy_set(
    *,
    actor: Actor,
    municipality: Municipality,
    publish_internal_notes: bool | None = None,
    delay_hours: int | None = None,
    sensitive_class_prefixes: list[str] | None = None,
    full_text_enabled: bool | None = None,
) -> PublicationPolicy:
    """Change how the municipality publishes its journal (the records manager decides)."""
    core_services.permission_require(
        actor=actor, municipality=municipality, permission=Permission.ARCHIVE_MANAGE
    )
    if delay_hours is not None and not 0 <= delay_hours <= 24 * 30:
        raise ValidationError(
            "Forsinkelsen må være mellom 0 og 720 timer.", code="invalid_delay", field="delay_hours"
        )
    prefixes = None
    if sensitive_class_prefixes is not None:
        prefixes = [prefix.strip() for prefix in sensitive_class_prefixes if prefix.strip()]
    with transaction.atomic():
        policy, _ = PublicationPolicy.objects.select_for_update().get_or_create(
            municipality=municipality,
            defaults={"sensitive_class_prefixes": default_sensitive_class_prefixes()},
        )
        changes = {
            "publish_internal_notes": publish_internal_notes,
            "delay_hours": delay_hours,
            "sensitive_class_prefixes": prefixes,
            "full_text_enabled": full_text_enabled,
        }
        changed = {name: value for name, value in changes.items() if value is not None}
        for name, value in changed.items():
            setattr(policy, name, value)
        policy.save()
        core_services.audit_event_record(
            actor=actor,
            municipality=municipality,
            action="publicjournal.policy_set",
            object_type="publiseringsregler",
            object_id=policy.pk,
            detail={name: str(value) for name, value in changed.items()},
        )
    return policy


# ------------------------------------------------------------------ the publication table


_REFRESHED_FIELDS = [
    "case_system_id",
    "entry_type",
    "journal_year",
    "journal_sequence_number",
    "journal_number",
    "registration_id",
    "case_number",
    "case_title",
    "title",
    "parties",
    "party_names",
    "documents",
    "journal_date",
    "document_date",
    "administrative_unit",
    "legal_bases",
    "is_screened",
    "registered_at",
    "refreshed_at",
]


def _published_row(municipality: Municipality, public: PublicEntry, now: dt.datetime) -> PublishedEntry:
    sequence, _, year = public.journal_number.partition("/")  # løpenummer "57/2026"
    return PublishedEntry(
        municipality=municipality,
        system_id=public.system_id,
        case_system_id=public.case_system_id,
        entry_type=public.entry_type,
        journal_year=int(year) if year else None,
        journal_sequence_number=int(sequence) if year else None,
        journal_number=public.journal_number,
        registration_id=public.registration_id,
        case_number=public.case_number,
        case_title=public.case_title,
        title=public.title,
        parties=[{"name": party.name, "role": party.role} for party in public.parties],
        party_names=" ; ".join(party.name for party in public.parties if party.name != MARKER),
        documents=[
            {
                "system_id": str(document.system_id),
                "title": document.title,
                "linked_as": document.linked_as,
                "number": document.document_number,
                "file": str(document.file_object_id) if document.file_object_id else None,
            }
            for document in public.documents
        ],
        journal_date=public.journal_date,
        document_date=public.document_date,
        administrative_unit=public.administrative_unit,
        legal_bases=list(public.legal_bases),
        is_screened=public.is_screened,
        registered_at=public.registered_at,
        published_at=now,
        refreshed_at=now,
    )


def publication_refresh(
    *,
    municipality: Municipality,
    since: dt.datetime | None = None,
    system_ids: Iterable[uuid.UUID] | None = None,
    now: dt.datetime | None = None,
    batch_size: int = 1000,
) -> RefreshResult:
    """Bring the municipality's publication table in step with the archive, through the screening.

    Without ``since`` and ``system_ids`` every entry is screened anew and rows of entries that
    are no longer public (or no longer exist) are removed. With ``since``, only entries changed
    since then (less the publication delay, so that entries coming out of the delay are seen);
    with ``system_ids``, only those. An entry appears ``delay_hours`` after its registration.
    Runs as the system (the background task, the ``ekommune publicjournal refresh`` command).
    """
    now = now or timezone.now()
    policy = selectors.publication_policy(municipality=municipality)
    delay = dt.timedelta(hours=policy.delay_hours)
    full = since is None and system_ids is None
    changed_since = since - delay if since is not None else None
    published = removed = waiting = 0
    units: set[str] = set()  # the administrative units of the rows written
    with transaction.atomic():
        rows: list[PublishedEntry] = []
        gone: list[uuid.UUID] = []

        def flush() -> None:
            nonlocal published, removed
            if rows:
                PublishedEntry.objects.bulk_create(
                    rows,
                    update_conflicts=True,
                    unique_fields=["municipality", "system_id"],
                    update_fields=_REFRESHED_FIELDS,
                )
                published += len(rows)
                rows.clear()
            if gone:
                removed += PublishedEntry.objects.filter(
                    municipality=municipality, system_id__in=gone
                ).delete()[0]
                gone.clear()

        for system_id, public in selectors.publication_candidates(
            municipality=municipality, system_ids=system_ids, changed_since=changed_since
        ):
            if public is not None and public.registered_at + delay <= now:
                rows.append(_published_row(municipality, public, now))
                units.add(public.administrative_unit)
            else:
                waiting += public is not None
                gone.append(system_id)
            if len(rows) + len(gone) >= batch_size:
                flush()
        flush()
        if full:
            removed += PublishedEntry.objects.filter(
                municipality=municipality, refreshed_at__lt=now
            ).delete()[0]
        if published or removed:
            _publication_state_update(
                municipality=municipality, now=now, units=units, recount=full or removed > 0
            )
    logger.info(
        "publicjournal_refreshed",
        municipality=municipality.slug,
        full=full,
        published=published,
        removed=removed,
        waiting=waiting,
    )
    return RefreshResult(published=published, removed=removed, waiting=waiting)


# The first entry of each sitemap page: every SITEMAP_ENTRIES_PER_PAGE-th id from ``start`` on.
_SITEMAP_STARTS = """
SELECT id FROM (
    SELECT id, row_number() OVER (ORDER BY id) - 1 AS place
    FROM publicjournal_publishedentry WHERE municipality_id = %s AND id >= %s
) AS numbered
WHERE place %% %s = 0 ORDER BY id
"""


def _publication_state_update(
    *, municipality: Municipality, now: dt.datetime, units: set[str], recount: bool
) -> None:
    """Keep the municipality's ``PublicationState`` in step with the rows just written.

    Rows only ever join at the end (new ids) or change in place, so after a refresh that removed
    nothing the units are the old ones and the new, and only the last sitemap page can have grown:
    that reads the tail alone. After removals, or a full refresh, both are read anew (decision 0180).
    """
    state = PublicationState.objects.select_for_update().filter(municipality=municipality).first()
    if state is None or recount:
        state = state or PublicationState(municipality=municipality)
        state.administrative_units = list(
            PublishedEntry.objects.filter(municipality=municipality)
            .exclude(administrative_unit="")
            .order_by("administrative_unit")
            .values_list("administrative_unit", flat=True)
            .distinct()
        )
        kept: list[int] = []
        tail_from = 0
    else:
        state.administrative_units = sorted(set(state.administrative_units) | (units - {""}))
        kept = list(state.sitemap_starts[:-1])
        tail_from = state.sitemap_starts[-1] if state.sitemap_starts else 0
    with connection.cursor() as cursor:
        cursor.execute(_SITEMAP_STARTS, [municipality.pk, tail_from, SITEMAP_ENTRIES_PER_PAGE])
        state.sitemap_starts = kept + [row[0] for row in cursor.fetchall()]
    state.changed_at = now
    state.save()
