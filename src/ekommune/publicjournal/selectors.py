"""Reads of the public journal. Everything returned here is already screened (``screening``)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator

from ekommune.archive import selectors as archive_selectors
from ekommune.core.models import Municipality
from ekommune.publicjournal.models import PublicationPolicy
from ekommune.publicjournal.screening import Policy, PublicEntry, screen_entries, screen_entry


def publication_policy(*, municipality: Municipality) -> Policy:
    """The municipality's publication choices, or the defaults when it has made none."""
    row = PublicationPolicy.objects.filter(municipality=municipality).first()
    if row is None:
        return Policy()
    return Policy(
        publish_internal_notes=row.publish_internal_notes,
        sensitive_class_prefixes=tuple(row.sensitive_class_prefixes),
        full_text_enabled=row.full_text_enabled,
    )


def screened_entry(*, municipality: Municipality, system_id: uuid.UUID) -> PublicEntry | None:
    """The public form of one registry entry now (no publication delay), or None if not public.

    For pages that publish as things happen (political agendas and decisions): they show what
    this returns and nothing of the archive entry itself.
    """
    policy = publication_policy(municipality=municipality)
    for facts in archive_selectors.entries_for_publication(municipality=municipality, system_ids=[system_id]):
        return screen_entry(facts, policy)
    return None


def screened_entries(
    *, municipality: Municipality, system_ids: Iterable[uuid.UUID] | None = None
) -> Iterator[PublicEntry]:
    """The public form of the municipality's published entries (or of the given ones), in pk order."""
    policy = publication_policy(municipality=municipality)
    facts = archive_selectors.entries_for_publication(municipality=municipality, system_ids=system_ids)
    yield from screen_entries(facts, policy)
