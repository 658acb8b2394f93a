"""Reads of the public journal. Everything returned here is already screened (``screening``)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Iterator

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, QuerySet
from django.utils import timezone

from ekommune.archive import selectors as archive_selectors
from ekommune.archive.types import EntryFacts
from ekommune.core.errors import NotFoundError
from ekommune.core.models import Municipality
from ekommune.core.permissions import Permission
from ekommune.core.services import Actor, permission_require
from ekommune.publicjournal.models import (
    AccessRequest,
    AccessRequestSettings,
    PublicationPolicy,
    PublicationState,
    PublishedEntry,
)
from ekommune.publicjournal.screening import screen_entry
from ekommune.publicjournal.types import JournalPage, JournalQuery, Policy, PublicEntry


def publication_policy(*, municipality: Municipality) -> Policy:
    """The municipality's publication choices, or the defaults when it has made none."""
    row = PublicationPolicy.objects.filter(municipality=municipality).first()
    if row is None:
        return Policy()
    return Policy(
        publish_internal_notes=row.publish_internal_notes,
        sensitive_class_prefixes=tuple(row.sensitive_class_prefixes),
        full_text_enabled=row.full_text_enabled,
        delay_hours=row.delay_hours,
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


def entries_screened(*, facts: Iterable[EntryFacts], policy: Policy) -> Iterator[PublicEntry]:
    """The public form of archive facts the caller has read (the deposit's offentligJournal), in
    their order, through the one screening; entries that are not public are left out."""
    for fact in facts:
        public = screen_entry(fact, policy)
        if public is not None:
            yield public


def screened_entries(
    *,
    municipality: Municipality,
    system_ids: Iterable[uuid.UUID] | None = None,
    changed_since: dt.datetime | None = None,
) -> Iterator[PublicEntry]:
    """The public form of the municipality's published entries (or of the given ones, or of those
    changed since a moment), in pk order."""
    for _system_id, public in publication_candidates(
        municipality=municipality, system_ids=system_ids, changed_since=changed_since
    ):
        if public is not None:
            yield public


def publication_candidates(
    *,
    municipality: Municipality,
    system_ids: Iterable[uuid.UUID] | None = None,
    changed_since: dt.datetime | None = None,
) -> Iterator[tuple[uuid.UUID, PublicEntry | None]]:
    """Each entry considered, with its public form or None when it is not published: the one
    screening step every publication goes through (``publication_refresh`` removes the Nones)."""
    policy = publication_policy(municipality=municipality)
    for facts in archive_selectors.entries_for_publication(
        municipality=municipality, system_ids=system_ids, changed_since=changed_since
    ):
        yield facts.system_id, screen_entry(facts, policy)


# ------------------------------------------------------------------ public reads
# Everything below reads the publication table only (``PublishedEntry``): what the screening
# wrote there is all a public output may show (docs/decisions/0040-publication-table.md).

ENTRY_TYPES = ("I", "U", "N", "X", "S")
SORTS = {
    "nyeste": ("-journal_date", "-journal_year", "-journal_sequence_number", "-id"),
    "eldste": ("journal_date", "journal_year", "journal_sequence_number", "id"),
    "relevans": ("-rank", "-journal_date", "-id"),
}
MAX_PAGE_SIZE = 100
COUNT_LIMIT = 10_000  # counted exactly up to here; beyond, "more than 10,000" (decision 0041)


def _search_query(text: str) -> SearchQuery:
    return SearchQuery(text, search_type="websearch", config="norwegian")


def public_entries(*, municipality: Municipality, query: JournalQuery) -> QuerySet[PublishedEntry]:
    """The municipality's published entries matching ``query``, sorted (no paging)."""
    entries = PublishedEntry.objects.filter(municipality=municipality)
    sort = query.sort if query.sort in SORTS else "nyeste"
    text = query.text.strip()
    if text:
        search = _search_query(text)
        entries = entries.filter(search_vector=search)
        if sort == "relevans":
            entries = entries.annotate(rank=SearchRank(F("search_vector"), search))
    elif sort == "relevans":
        sort = "nyeste"
    if query.date_from:
        entries = entries.filter(journal_date__gte=query.date_from)
    if query.date_to:
        entries = entries.filter(journal_date__lte=query.date_to)
    if query.entry_type:
        entries = entries.filter(entry_type=query.entry_type)
    if query.case_number:
        entries = entries.filter(case_number=query.case_number.strip())
    if query.administrative_unit:
        entries = entries.filter(administrative_unit=query.administrative_unit)
    return entries.order_by(*SORTS[sort])


def public_entry_search(
    *, municipality: Municipality, query: JournalQuery, page: int = 1, page_size: int = 20
) -> JournalPage:
    """One page of the search, with the total count up to ``COUNT_LIMIT`` (``page`` past the end
    gives the last page; pages reach as far as the count)."""
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    entries = public_entries(municipality=municipality, query=query)
    total = entries.order_by()[: COUNT_LIMIT + 1].count()
    capped = total > COUNT_LIMIT
    total = min(total, COUNT_LIMIT)
    last_page = max(1, -(-total // page_size))
    page = max(1, min(page, last_page))
    start = (page - 1) * page_size
    return JournalPage(
        entries=list(entries[start : start + page_size]),
        total=total,
        page=page,
        page_size=page_size,
        capped=capped,
    )


def public_entry(*, municipality: Municipality, system_id: uuid.UUID) -> PublishedEntry | None:
    return PublishedEntry.objects.filter(municipality=municipality, system_id=system_id).first()


def public_case_entries(*, municipality: Municipality, case_number: str) -> list[PublishedEntry]:
    """The public entries of one case, in registration order."""
    return list(
        PublishedEntry.objects.filter(municipality=municipality, case_number=case_number).order_by(
            "registered_at", "id"
        )
    )


def publication_state(*, municipality: Municipality) -> PublicationState | None:
    """What the last refresh left for the pages (one row; None before the first publication)."""
    return PublicationState.objects.filter(municipality=municipality).first()


def public_sitemap_page_count(*, state: PublicationState | None) -> int:
    return max(1, len(state.sitemap_starts)) if state is not None else 1


def public_entries_for_sitemap(
    *, municipality: Municipality, state: PublicationState | None, page: int
) -> list[tuple[uuid.UUID, str, dt.datetime]] | None:
    """(system id, case number, last change) of the entries of one sitemap page, in id order:
    the ids from the page's start to the next page's (an index range, never an offset). None for
    a page that does not exist; page 1 of an empty journal is empty."""
    starts = list(state.sitemap_starts) if state is not None else []
    if page < 1 or page > max(1, len(starts)):
        return None
    if not starts:
        return []
    entries = PublishedEntry.objects.filter(municipality=municipality, id__gte=starts[page - 1])
    if page < len(starts):
        entries = entries.filter(id__lt=starts[page])
    return list(entries.order_by("id").values_list("system_id", "case_number", "refreshed_at"))


def public_document_file(
    *,
    municipality: Municipality,
    entry_system_id: uuid.UUID,
    document_system_id: uuid.UUID,
    reader: Actor = None,
) -> archive_selectors.PublicationFile:
    """The full text of a published document, when the screening made it eligible; else not found.
    A logged-in staff ``reader``'s read is logged (decision 0226)."""
    entry = public_entry(municipality=municipality, system_id=entry_system_id)
    documents = entry.documents if entry is not None else []
    for document in documents:
        if document["system_id"] == str(document_system_id) and document.get("file"):
            return archive_selectors.document_file_for_publication(
                municipality=municipality, object_system_id=uuid.UUID(document["file"]), reader=reader
            )
    raise NotFoundError("Dokumentet er ikke publisert i fulltekst.", code="not_published")


# ------------------------------------------------------------------ access requests (innsynskrav)


def access_request_settings(*, municipality: Municipality) -> AccessRequestSettings:
    """The municipality's access-request settings, or the defaults (unsaved) when it has none."""
    row = AccessRequestSettings.objects.filter(municipality=municipality).first()
    return row if row is not None else AccessRequestSettings(municipality=municipality)


def access_request_queue(
    *, actor: Actor, municipality: Municipality, open_only: bool = True
) -> list[AccessRequest]:
    """The case workers' queue: unanswered requests first, by deadline (``is_overdue`` set on each)."""
    permission_require(actor=actor, municipality=municipality, permission=Permission.ACCESS_REQUEST_HANDLE)
    requests = AccessRequest.objects.filter(municipality=municipality).prefetch_related("items")
    if open_only:
        requests = requests.filter(status=AccessRequest.Status.RECEIVED)
    found = list(requests.order_by("deadline", "received_at", "pk")[:500])
    today = timezone.localdate()
    for request in found:
        request.is_overdue = request.status == AccessRequest.Status.RECEIVED and request.deadline < today  # type: ignore[attr-defined]
    return found


def access_request_for_handling(
    *, actor: Actor, municipality: Municipality, request_id: int
) -> AccessRequest:
    permission_require(actor=actor, municipality=municipality, permission=Permission.ACCESS_REQUEST_HANDLE)
    found = AccessRequest.objects.filter(municipality=municipality, pk=request_id).first()
    if found is None:
        raise NotFoundError("Fant ikke innsynskravet.", code="not_found")
    found.is_overdue = (  # type: ignore[attr-defined]
        found.status == AccessRequest.Status.RECEIVED and found.deadline < timezone.localdate()
    )
    return found


def access_request_by_token(*, municipality: Municipality, token: str) -> AccessRequest:
    """The requester's own view of a request, by the secret of the status link."""
    found = AccessRequest.objects.filter(municipality=municipality, token=token).first() if token else None
    if found is None:
        raise NotFoundError("Fant ikke innsynskravet. Sjekk lenken i e-posten.", code="not_found")
    return found


def access_request_file(
    *, municipality: Municipality, token: str, object_system_id: uuid.UUID
) -> archive_selectors.PublicationFile:
    """A file granted to the requester (only through the request's own secret link)."""
    request = access_request_by_token(municipality=municipality, token=token)
    if not request.files.filter(object_system_id=object_system_id).exists():
        raise NotFoundError("Denne filen er ikke gitt innsyn i.", code="not_granted")
    return archive_selectors.document_file_for_publication(
        municipality=municipality, object_system_id=object_system_id
    )


def access_requests_of_citizen(*, municipality: Municipality, citizen_id: int) -> QuerySet[AccessRequest]:
    """The access requests a citizen sent while logged in, newest first (for Min side)."""
    return AccessRequest.objects.filter(municipality=municipality, citizen_id=citizen_id).order_by(
        "-received_at"
    )
