"""Reads of the politics app, always within one municipality.

What reaches the public (pages, feeds, API, e-mails, minutes) is built here as ``PublicItem``
values. The title, case title and documents of an item come from the public journal's screening
of its case presentation (``publicjournal.selectors.screened_entries``) and from nothing else;
the recommendation, decision and amendment texts are shown only for an open item whose case
presentation carries no screening (docs/decisions/0052-what-the-political-pages-publish.md).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any, cast

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core import signing
from django.db.models import Max, Min, Prefetch, Q, QuerySet
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ekommune.archive import selectors as archive_selectors
from ekommune.core.errors import NotFoundError
from ekommune.core.models import Municipality
from ekommune.politics.models import (
    Absence,
    AgendaItem,
    Attendance,
    Body,
    Decision,
    Meeting,
    Membership,
    Minutes,
    Person,
    Subscription,
    Term,
    Vote,
)
from ekommune.politics.types import (
    PublicAbsence,
    PublicAmendment,
    PublicDecision,
    PublicItem,
    PublicVote,
)
from ekommune.publicjournal import selectors as publicjournal_selectors
from ekommune.publicjournal.types import MARKER, PublicEntry

SEARCH_CONFIG = "norwegian"


# ------------------------------------------------------------------ public values


def _video_url(meeting: Meeting, item: AgendaItem) -> str:
    if not meeting.video_url:
        return ""
    if item.video_offset_seconds is None:
        return meeting.video_url
    return f"{meeting.video_url}#t={item.video_offset_seconds}"  # W3C Media Fragments


def _public_decision(decision: Decision, is_open: bool) -> PublicDecision:
    return PublicDecision(
        text=decision.text if is_open else "",
        unanimous=decision.unanimous,
        provisional=decision.is_provisional,
        recorded_at=decision.recorded_at,
        final_at=decision.final_at,
        votes=tuple(
            PublicVote(
                label=f"{vote.person.name} ({vote.person.party})" if vote.person is not None else vote.party,
                choice=vote.choice,
                choice_label=str(Vote.Choice(vote.choice).label),
                count=vote.count,
            )
            for vote in decision.votes.all()
        ),
        amendments=tuple(
            PublicAmendment(
                proposed_by=amendment.proposed_by,
                text=amendment.text if is_open else "",
                adopted=amendment.adopted,
                votes_for=amendment.votes_for,
                votes_against=amendment.votes_against,
            )
            for amendment in decision.amendments.all()
        ),
        absences=tuple(
            PublicAbsence(name=absence.person.name, reason=str(absence.get_reason_display()))
            for absence in decision.absences.all()
        ),
    )


def _items_queryset(municipality: Municipality) -> QuerySet[AgendaItem]:
    return (
        AgendaItem.objects.filter(municipality=municipality)
        .select_related("meeting", "body", "decision")
        .prefetch_related(
            Prefetch(
                "decision__votes", queryset=Vote.objects.select_related("person").order_by("choice", "pk")
            ),
            "decision__amendments",
            Prefetch("decision__absences", queryset=Absence.objects.select_related("person").order_by("pk")),
        )
    )


def _public_items(municipality: Municipality, items: Iterable[AgendaItem]) -> list[PublicItem]:
    items = list(items)
    entries: dict[uuid.UUID, PublicEntry] = {
        entry.system_id: entry
        for entry in publicjournal_selectors.screened_entries(
            municipality=municipality, system_ids=[item.presentation_system_id for item in items]
        )
    }
    result = []
    for item in items:
        entry = entries.get(item.presentation_system_id)
        is_open = item.is_public and entry is not None and not entry.is_screened
        decision = getattr(item, "decision", None) if _has_decision(item) else None
        result.append(
            PublicItem(
                pk=item.pk,
                number=item.number,
                body_id=item.body_id,
                body_name=item.body.name,
                body_abbreviation=item.body.abbreviation,
                meeting_id=item.meeting_id,
                meeting_starts_at=item.meeting.starts_at,
                meeting_status=item.meeting.status,
                case_number=item.case_number,
                case_title=entry.case_title if entry is not None else MARKER,
                title=entry.title if entry is not None else MARKER,
                documents=entry.documents if entry is not None else (),
                legal_bases=entry.legal_bases if entry is not None else (),
                is_open=is_open,
                closed_basis=item.closed_basis,
                recommendation=item.recommendation if is_open else "",
                decision=_public_decision(decision, is_open) if decision is not None else None,
                video_url=_video_url(item.meeting, item),
                created_at=item.created_at,
                modified_at=item.modified_at,
            )
        )
    return result


def _has_decision(item: AgendaItem) -> bool:
    try:
        return item.decision is not None
    except Decision.DoesNotExist:
        return False


def public_items_of_meeting(*, municipality: Municipality, meeting: Meeting) -> list[PublicItem]:
    items = _items_queryset(municipality).filter(meeting=meeting).order_by("sequence")
    return _public_items(municipality, items)


def public_item(*, municipality: Municipality, pk: int) -> PublicItem:
    item = _items_queryset(municipality).filter(pk=pk).first()
    if item is None:
        raise NotFoundError(_("Fant ikke saken."), code="not_found")
    return _public_items(municipality, [item])[0]


def screened_title(*, municipality: Municipality, system_id: uuid.UUID) -> tuple[str, bool]:
    """The title of a registry entry as the public sees it (``MARKER`` when it is not published),
    and whether anything of it is screened."""
    entry = publicjournal_selectors.screened_entry(municipality=municipality, system_id=system_id)
    if entry is None:
        return MARKER, True
    return entry.title, entry.is_screened


def screened_titles(
    *, municipality: Municipality, system_ids: Iterable[uuid.UUID]
) -> Mapping[uuid.UUID, tuple[str, bool]]:
    """``screened_title`` of many entries at once; an entry not published (or not asked for) is
    ``(MARKER, True)``."""
    titles: defaultdict[uuid.UUID, tuple[str, bool]] = defaultdict(lambda: (MARKER, True))
    for entry in publicjournal_selectors.screened_entries(municipality=municipality, system_ids=system_ids):
        titles[entry.system_id] = (entry.title, entry.is_screened)
    return titles


def item_document_file(
    *, municipality: Municipality, item_pk: int, file_object_id: uuid.UUID
) -> archive_selectors.PublicationFile:
    """A document of an agenda item's case presentation (opened), if the screening releases its file."""
    item = public_item(municipality=municipality, pk=item_pk)
    released = {document.file_object_id for document in item.documents if document.file_object_id is not None}
    if file_object_id not in released:
        raise NotFoundError(_("Dokumentet er ikke offentlig."), code="not_found")
    return archive_selectors.document_file_for_publication(
        municipality=municipality, object_system_id=file_object_id
    )


def entry_file_object_id(*, municipality: Municipality, system_id: uuid.UUID) -> uuid.UUID:
    """The file object of an entry's main document (for the minutes this app registered itself)."""
    for facts in archive_selectors.entries_for_publication(municipality=municipality, system_ids=[system_id]):
        for document in facts.documents:
            if document.file_object_id is not None:
                return document.file_object_id
    raise NotFoundError("Journalposten har ingen fil.", code="file_missing")


def minutes_file(*, municipality: Municipality, meeting: Meeting) -> archive_selectors.PublicationFile:
    """The approved minutes' document, opened (generated from public values only)."""
    minutes = Minutes.objects.filter(municipality=municipality, meeting=meeting).first()
    if minutes is None:
        raise NotFoundError(_("Protokollen er ikke godkjent ennå."), code="not_found")
    return archive_selectors.document_file_for_publication(
        municipality=municipality, object_system_id=minutes.file_object_id
    )


# ------------------------------------------------------------------ bodies, members, meetings


def body_list(*, municipality: Municipality) -> QuerySet[Body]:
    return Body.objects.filter(municipality=municipality).select_related("parent").order_by("name")


def body_get(*, municipality: Municipality, pk: int) -> Body:
    body = Body.objects.filter(municipality=municipality, pk=pk).first()
    if body is None:
        raise NotFoundError(_("Fant ikke utvalget."), code="not_found")
    return body


def members_of_body(*, municipality: Municipality, body: Body, on: dt.date | None = None) -> list[Membership]:
    """The body's seats on a day (today by default), leader first."""
    day = on or timezone.localdate()
    order = {role: index for index, role in enumerate(Membership.Role.values)}
    memberships = (
        Membership.objects.filter(municipality=municipality, body=body, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .select_related("person", "term")
    )
    return sorted(memberships, key=lambda m: (order[m.role], m.person.name))


def person_list(*, municipality: Municipality) -> QuerySet[Person]:
    return Person.objects.filter(municipality=municipality).order_by("name")


def person_get(*, municipality: Municipality, pk: int) -> Person:
    person = Person.objects.filter(municipality=municipality, pk=pk).prefetch_related("memberships").first()
    if person is None:
        raise NotFoundError(_("Fant ikke personen."), code="not_found")
    return person


def term_get(*, municipality: Municipality, pk: int) -> Term:
    term = Term.objects.filter(municipality=municipality, pk=pk).first()
    if term is None:
        raise NotFoundError(_("Fant ikke valgperioden."), code="not_found")
    return term


def term_list(*, municipality: Municipality) -> QuerySet[Term]:
    return Term.objects.filter(municipality=municipality).order_by("starts_on")


def minutes_of_meeting(*, municipality: Municipality, meeting: Meeting) -> Minutes | None:
    return Minutes.objects.filter(municipality=municipality, meeting=meeting).first()


def minutes_list(*, municipality: Municipality) -> QuerySet[Minutes]:
    return Minutes.objects.filter(municipality=municipality).select_related("meeting__body").order_by("pk")


def membership_list(*, municipality: Municipality) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(municipality=municipality)
        .select_related("person", "body", "term")
        .order_by("pk")
    )


# How far back a body's page and its iCalendar feed reach: a year of meetings, and all ahead.
# Older meetings are one click away (the meeting list by year) and in the OParl API
# (docs/decisions/0182-oparl-lists-paged-and-filtered.md).
RECENT = dt.timedelta(days=366)


def recent_start() -> dt.datetime:
    return timezone.now() - RECENT


def meeting_calendar(
    *,
    municipality: Municipality,
    body: Body | None = None,
    year: int | None = None,
    since: dt.datetime | None = None,
) -> QuerySet[Meeting]:
    meetings = Meeting.objects.filter(municipality=municipality).select_related("body")
    if body is not None:
        meetings = meetings.filter(body=body)
    if year is not None:
        meetings = meetings.filter(starts_at__year=year)
    if since is not None:
        meetings = meetings.filter(starts_at__gte=since)
    return meetings.order_by("starts_at", "pk")


def meeting_get(*, municipality: Municipality, pk: int) -> Meeting:
    meeting = Meeting.objects.filter(municipality=municipality, pk=pk).select_related("body").first()
    if meeting is None:
        raise NotFoundError(_("Fant ikke møtet."), code="not_found")
    return meeting


def item_list(
    *, municipality: Municipality, body: Body | None = None, since: dt.datetime | None = None
) -> list[PublicItem]:
    """The public items (of a body; of meetings from ``since`` on), in meeting order."""
    items = _items_queryset(municipality).order_by("meeting__starts_at", "sequence")
    if body is not None:
        items = items.filter(body=body)
    if since is not None:
        items = items.filter(meeting__starts_at__gte=since)
    return _public_items(municipality, items)


def agenda_items(*, municipality: Municipality) -> QuerySet[AgendaItem]:
    """The municipality's agenda items in a stable order (pk), for paged lists: turn a page of
    them into public values with ``public_items``."""
    return AgendaItem.objects.filter(municipality=municipality).order_by("pk")


def public_items(*, municipality: Municipality, items: Iterable[AgendaItem]) -> list[PublicItem]:
    """The public values of the given items (a page), screened once, in the given order."""
    pks = [item.pk for item in items]
    found = {item.pk: item for item in _items_queryset(municipality).filter(pk__in=pks)}
    return _public_items(municipality, [found[pk] for pk in pks if pk in found])


def items_of_meetings(
    *, municipality: Municipality, meeting_ids: Iterable[int]
) -> dict[int, list[PublicItem]]:
    """The public items of each of the given meetings, in agenda order."""
    items = (
        _items_queryset(municipality)
        .filter(meeting_id__in=list(meeting_ids))
        .order_by("meeting_id", "sequence")
    )
    grouped: dict[int, list[PublicItem]] = {}
    for item in _public_items(municipality, items):
        grouped.setdefault(item.meeting_id, []).append(item)
    return grouped


def papers(*, municipality: Municipality) -> QuerySet[Any, dict[str, Any]]:
    """One row per archive case on a political agenda (OParl ``Paper``): ``case_number``, when it
    first came up (``first``), ``created`` and ``modified``; in a stable order."""
    rows = (
        AgendaItem.objects.filter(municipality=municipality)
        .values("case_number")
        .annotate(first=Min("meeting__starts_at"), created=Min("created_at"), modified=Max("modified_at"))
        .order_by("first", "case_number")
    )
    return cast("QuerySet[Any, dict[str, Any]]", rows)


def histories(*, municipality: Municipality, case_numbers: Iterable[str]) -> dict[str, list[PublicItem]]:
    """``case_history`` of many cases at once (a page of papers); a case with no items is absent."""
    items = (
        _items_queryset(municipality)
        .filter(case_number__in=list(case_numbers))
        .order_by("meeting__starts_at", "body__name", "sequence")
    )
    grouped: dict[str, list[PublicItem]] = {}
    for item in _public_items(municipality, items):
        grouped.setdefault(item.case_number, []).append(item)
    return grouped


# ------------------------------------------------------------------ cases and decisions


def case_is_on_an_agenda(*, municipality: Municipality, case_number: str) -> bool:
    return AgendaItem.objects.filter(municipality=municipality, case_number=case_number).exists()


def case_history(*, municipality: Municipality, case_number: str) -> list[PublicItem]:
    """The political path of an archive case: each body, meeting, item number and decision, in order."""
    items = (
        _items_queryset(municipality)
        .filter(case_number=case_number)
        .order_by("meeting__starts_at", "body__name", "sequence")
    )
    history = _public_items(municipality, items)
    if not history:
        raise NotFoundError(_("Saken har ikke vært behandlet politisk."), code="not_found")
    return history


def decisions_recent(*, municipality: Municipality, limit: int = 50) -> list[PublicItem]:
    """The newest recorded decisions (provisional ones too), newest first."""
    # from the decisions' own index (municipality, -recorded_at), not by sorting every item
    item_ids = list(
        Decision.objects.filter(municipality=municipality)
        .order_by("-recorded_at", "-item_id")
        .values_list("item_id", flat=True)[:limit]
    )
    found = {item.pk: item for item in _items_queryset(municipality).filter(pk__in=item_ids)}
    return _public_items(municipality, [found[pk] for pk in item_ids if pk in found])


def search(*, municipality: Municipality, query: str, limit: int = 50) -> list[PublicItem]:
    """Full-text search (``norwegian``) over items' public titles and case numbers, and over the
    recommendation and decision of open, unscreened items only."""
    text = query.strip()
    if not text:
        return []
    search_query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
    title_vector = SearchVector("public_title", "case_number", config=SEARCH_CONFIG)
    full_vector = SearchVector(
        "public_title", "case_number", "recommendation", "decision__text", config=SEARCH_CONFIG
    )
    items = (
        _items_queryset(municipality)
        .annotate(title_vector=title_vector, full_vector=full_vector)
        .filter(
            Q(title_vector=search_query)
            | Q(full_vector=search_query, is_public=True, presentation_screened=False)
        )
        .annotate(rank=SearchRank(title_vector, search_query))
        .order_by("-rank", "-meeting__starts_at")[:limit]
    )
    return _public_items(municipality, items)


# ------------------------------------------------------------------ links


UNSUBSCRIBE_SALT = "ekommune.politics.unsubscribe"


def unsubscribe_token(*, subscription: Subscription) -> str:
    """A signed link token that stops one subscription (sent in every notice)."""
    return signing.dumps(subscription.pk, salt=UNSUBSCRIBE_SALT)


def subscription_from_unsubscribe_token(*, token: str) -> int:
    try:
        return int(signing.loads(token, salt=UNSUBSCRIBE_SALT))
    except (signing.BadSignature, TypeError, ValueError) as exc:
        raise NotFoundError(_("Lenken er ugyldig."), code="invalid_token") from exc


def site_url(*, municipality: Municipality) -> str:
    """The municipality's public address (its primary host name, or the ``/k/<slug>`` path)."""
    domain = municipality.domains.filter(is_primary=True).first()
    if domain is not None:
        return f"https://{domain.host_name}"
    return f"/k/{municipality.slug}"


def path(name: str, *args: object) -> str:
    """A URL path of this app without the request's script prefix (for links in e-mails)."""
    return "/" + reverse(f"politics:{name}", args=args)[len(get_script_prefix()) :]


def meeting_attendance(*, municipality: Municipality, meeting: Meeting) -> list[Attendance]:
    """Who met and who had forfall (public, as in the minutes), present first, by name."""
    return list(
        Attendance.objects.filter(municipality=municipality, meeting=meeting)
        .select_related("person", "substitute_for")
        .order_by("-status", "person__name")
    )


# ------------------------------------------------------------------ the archive's classes


def series_classes(*, municipality: Municipality, series: Any) -> list[Any]:
    """The classes (klasser) of the series' classification scheme, by klasseID: the classes politics
    may file its cases under (none for a series without a scheme)."""
    if series.classification_system_id is None:
        return []
    return archive_selectors.extraction_classes(
        municipality=municipality, classification_system_id=series.classification_system_id
    )


# ------------------------------------------------------------------ notices (for the tasks)


def meeting_for_notice(*, meeting_id: int) -> Meeting | None:
    """A meeting a notice task was enqueued for, with its municipality and body (None if gone)."""
    return Meeting.objects.select_related("municipality", "body").filter(pk=meeting_id).first()


def item_for_notice(*, item_id: int) -> AgendaItem | None:
    """An agenda item a notice task was enqueued for, with its municipality (None if gone)."""
    return AgendaItem.objects.select_related("municipality").filter(pk=item_id).first()


def meeting_subscribers(
    *, municipality: Municipality, meeting: Meeting, case_numbers: Iterable[str]
) -> list[Subscription]:
    """Confirmed subscriptions to the meeting's body, then to the cases on its agenda."""
    confirmed = Subscription.objects.filter(municipality=municipality, confirmed_at__isnull=False)
    return [
        *confirmed.filter(body=meeting.body).order_by("pk"),
        *confirmed.filter(case_number__in=list(case_numbers)).order_by("pk"),
    ]


def item_subscribers(*, municipality: Municipality, item: AgendaItem) -> list[Subscription]:
    """Confirmed subscriptions to the item's case or to its body."""
    return list(
        Subscription.objects.filter(
            Q(case_number=item.case_number) | Q(body_id=item.body_id),
            municipality=municipality,
            confirmed_at__isnull=False,
        ).order_by("pk")
    )


# ------------------------------------------------------------------ files (OParl File)


def minutes_by_file(*, municipality: Municipality, file_object_id: uuid.UUID) -> Minutes | None:
    """The approved minutes whose document is this file object, if any."""
    return (
        Minutes.objects.filter(municipality=municipality, file_object_id=file_object_id)
        .select_related("meeting__body")
        .first()
    )


def items_with_file(*, municipality: Municipality, file_object_id: uuid.UUID) -> list[PublicItem]:
    """The public items whose case presentation holds the file object (its documents screened as
    always: the caller looks for the file among ``documents``, which hold only released ones)."""
    entries = archive_selectors.entries_holding_document_object(
        municipality=municipality, object_system_id=file_object_id
    )
    if not entries:
        return []
    items = _items_queryset(municipality).filter(presentation_system_id__in=entries).order_by("pk")
    return _public_items(municipality, items)
