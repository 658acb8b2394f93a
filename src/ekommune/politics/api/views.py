"""A read-only JSON API modelled on OParl 1.1 (https://oparl.org), public like the pages.

OParl's ``Body`` is the municipality; its ``Organization`` is our political body (utvalg); a
``Paper`` is an archive case on the political agenda; each ``Consultation`` is one treatment of
it in a meeting (an ``AgendaItem``); a ``File`` is a released document or approved minutes.
Everything is built from ``types.PublicItem`` values (screened once, in the selectors). Errors
are the platform's ``{"code", "message", "field"}`` (``core.http.json_api``, decision 0037).
Mapping: docs/decisions/0051-oparl-mapping.md; the OpenAPI document: ``openapi.json``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from ekommune.core.errors import NotFoundError, ValidationError
from ekommune.core.http import json_api, json_read_only
from ekommune.core.models import Municipality
from ekommune.core.validators import is_ascii_digits
from ekommune.politics import selectors
from ekommune.politics.api import paging
from ekommune.politics.models import Body, Meeting, Membership, Minutes, Person
from ekommune.politics.types import PublicItem

SCHEMA = "https://schema.oparl.org/1.1/"
OPENAPI_PATH = Path(__file__).resolve().parent.parent / "templates" / "politics" / "openapi.json"
MEETING_STATE = {
    "planlagt": "terminiert",
    "innkalt": "eingeladen",
    "avholdt": "durchgefuehrt",
    "protokoll_godkjent": "durchgefuehrt",
}


def _url(request: HttpRequest, name: str, *args: object) -> str:
    return request.build_absolute_uri(reverse(f"politics:{name}", args=args))


def _list(request: HttpRequest, objects: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """A list that is never long (the one body): one page, with OParl's attributes."""
    data = list(objects)
    return {
        "data": data,
        "pagination": {
            "totalElements": len(data),
            "elementsPerPage": max(len(data), 1),
            "currentPage": 1,
            "totalPages": 1,
        },
        "links": paging.links(request, 1, 1),
    }


def _stamps(created: dt.datetime | None, modified: dt.datetime | None) -> dict[str, str]:
    """OParl's ``created`` and ``modified`` (what the list filters compare)."""
    found = {}
    if created is not None:
        found["created"] = created.isoformat()
    if modified is not None:
        found["modified"] = modified.isoformat()
    return found


def _case_args(case_number: str) -> tuple[str, str]:
    year, _, sequence = case_number.partition("/")
    return year, sequence


# ------------------------------------------------------------------ object builders


def _body(request: HttpRequest, municipality: Municipality) -> dict[str, Any]:
    return {
        "id": _url(request, "oparl-body", municipality.slug),
        "type": f"{SCHEMA}Body",
        "system": _url(request, "oparl-system"),
        "name": municipality.name,
        "shortName": municipality.slug,
        "contactEmail": municipality.email or None,
        "website": _url(request, "index"),
        "organization": _url(request, "oparl-organization-list"),
        "person": _url(request, "oparl-person-list"),
        "meeting": _url(request, "oparl-meeting-list"),
        "paper": _url(request, "oparl-paper-list"),
        "agendaItem": _url(request, "oparl-agendaitem-list"),
        "membership": _url(request, "oparl-membership-list"),
        "file": _url(request, "oparl-file-list"),
        "legislativeTerm": [
            {
                "type": f"{SCHEMA}LegislativeTerm",
                "name": term.name,
                "startDate": term.starts_on.isoformat(),
                "endDate": term.ends_on.isoformat(),
            }
            for term in selectors.term_list(municipality=municipality)
        ],
    }


def _organization(request: HttpRequest, body: Body) -> dict[str, Any]:
    return {
        "id": _url(request, "oparl-organization", body.pk),
        "type": f"{SCHEMA}Organization",
        "body": _url(request, "oparl-body", body.municipality.slug),
        "name": body.name,
        "shortName": body.abbreviation,
        "organizationType": "Gremium",
        "classification": body.get_kind_display(),
        "subOrganizationOf": _url(request, "oparl-organization", body.parent_id) if body.parent_id else None,
        "meeting": _url(request, "oparl-meeting-list") + f"?organization={body.pk}",
        "website": _url(request, "body", body.pk),
        "externalServiceUrl": body.video_channel or None,
        **_stamps(body.created_at, body.created_at),
    }


def _person(request: HttpRequest, person: Person) -> dict[str, Any]:
    return {
        "id": _url(request, "oparl-person", person.pk),
        "type": f"{SCHEMA}Person",
        "name": person.name,
        "email": [person.email],
        "party": person.party,  # not in OParl 1.1's Person (it models parties as organisations)
        "membership": [_url(request, "oparl-membership", m.pk) for m in person.memberships.all()],
        **_stamps(person.created_at, person.modified_at),
    }


def _membership(request: HttpRequest, membership: Membership) -> dict[str, Any]:
    return {
        "id": _url(request, "oparl-membership", membership.pk),
        "type": f"{SCHEMA}Membership",
        "person": _url(request, "oparl-person", membership.person_id),
        "organization": _url(request, "oparl-organization", membership.body_id),
        "role": membership.get_role_display(),
        "votingRight": membership.role != Membership.Role.DEPUTY,
        "startDate": membership.starts_on.isoformat(),
        "endDate": membership.ends_on.isoformat() if membership.ends_on else None,
        **_stamps(membership.created_at, membership.created_at),
    }


def _file_of_document(request: HttpRequest, item: PublicItem, document: Any) -> dict[str, Any]:
    access = _url(request, "item-document", item.pk, document.file_object_id)
    return {
        "id": _url(request, "oparl-file", document.file_object_id),
        "type": f"{SCHEMA}File",
        "name": document.title,
        "accessUrl": access,
        "downloadUrl": access,
        "agendaItem": [_url(request, "oparl-agendaitem", item.pk)],
        **_stamps(item.created_at, item.modified_at),
    }


def _minutes_file(request: HttpRequest, minutes: Minutes) -> dict[str, Any]:
    meeting = minutes.meeting
    access = _url(request, "minutes", meeting.pk)
    return {
        "id": _url(request, "oparl-file", minutes.file_object_id),
        "type": f"{SCHEMA}File",
        "name": f"Møteprotokoll {meeting.body.name}",
        "mimeType": "text/html",
        "accessUrl": access,
        "downloadUrl": access,
        "meeting": [_url(request, "oparl-meeting", meeting.pk)],
        **_stamps(minutes.approved_at, minutes.approved_at),
    }


def _agenda_item(request: HttpRequest, item: PublicItem) -> dict[str, Any]:
    decision = item.decision
    return {
        "id": _url(request, "oparl-agendaitem", item.pk),
        "type": f"{SCHEMA}AgendaItem",
        "meeting": _url(request, "oparl-meeting", item.meeting_id),
        "number": item.number,
        "name": item.title,
        "public": item.is_open,
        "consultation": _url(request, "oparl-consultation", item.pk),
        "result": None
        if decision is None
        else ("vedtatt (foreløpig)" if decision.provisional else "vedtatt"),
        "resolutionText": decision.text if decision is not None and item.is_open else None,
        "auxiliaryFile": [_file_of_document(request, item, d) for d in item.documents if d.file_object_id],
        "web": _url(request, "meeting", item.meeting_id) + f"#sak-{item.pk}",
        "video": item.video_url or None,
        **_stamps(item.created_at, item.modified_at),
    }


def _meeting(
    request: HttpRequest, meeting: Meeting, items: list[PublicItem], minutes: Minutes | None
) -> dict[str, Any]:
    return {
        "id": _url(request, "oparl-meeting", meeting.pk),
        "type": f"{SCHEMA}Meeting",
        "name": f"{meeting.body.name} {meeting.starts_at.date().isoformat()}",
        "meetingState": MEETING_STATE[meeting.status],
        "cancelled": False,
        "start": meeting.starts_at.isoformat(),
        "end": meeting.ends_at.isoformat(),
        "location": {"type": f"{SCHEMA}Location", "description": meeting.place},
        "organization": [_url(request, "oparl-organization", meeting.body_id)],
        "agendaItem": [_agenda_item(request, item) for item in items],
        "resultsProtocol": _minutes_file(request, minutes) if minutes else None,
        "web": _url(request, "meeting", meeting.pk),
        "video": meeting.video_url or None,
        **_stamps(meeting.created_at, meeting.modified_at),
    }


def _consultation(request: HttpRequest, item: PublicItem) -> dict[str, Any]:
    return {
        "id": _url(request, "oparl-consultation", item.pk),
        "type": f"{SCHEMA}Consultation",
        "paper": _url(request, "oparl-paper", *_case_args(item.case_number)),
        "agendaItem": _url(request, "oparl-agendaitem", item.pk),
        "meeting": _url(request, "oparl-meeting", item.meeting_id),
        "organization": [_url(request, "oparl-organization", item.body_id)],
        "authoritative": item.decision is not None and not item.decision.provisional,
        "role": "Behandling",
        **_stamps(item.created_at, item.modified_at),
    }


def _paper(request: HttpRequest, case_number: str, items: list[PublicItem]) -> dict[str, Any]:
    latest = items[-1]
    return {
        "id": _url(request, "oparl-paper", *_case_args(case_number)),
        "type": f"{SCHEMA}Paper",
        "name": latest.case_title,
        "reference": case_number,
        "date": items[0].meeting_starts_at.date().isoformat(),
        "paperType": "Saksframlegg",
        "auxiliaryFile": [
            _file_of_document(request, item, d) for item in items for d in item.documents if d.file_object_id
        ],
        "consultation": [_consultation(request, item) for item in items],
        "web": _url(request, "case", *_case_args(case_number)),
        **_stamps(
            min((i.created_at for i in items if i.created_at), default=None),
            max((i.modified_at for i in items if i.modified_at), default=None),
        ),
    }


# ------------------------------------------------------------------ endpoints


@json_api
def system(request: HttpRequest, municipality: Municipality) -> dict[str, Any]:
    return {
        "id": _url(request, "oparl-system"),
        "type": f"{SCHEMA}System",
        "oparlVersion": SCHEMA,
        "name": f"ekommune – {municipality.name}",
        "body": _url(request, "oparl-body-list"),
        "website": _url(request, "index"),
        "product": "https://github.com/ekommune/ekommune",
    }


@json_read_only
def openapi(request: HttpRequest) -> HttpResponse:
    return HttpResponse(OPENAPI_PATH.read_bytes(), content_type="application/json")


@json_api
def body_list(request: HttpRequest, municipality: Municipality) -> dict[str, Any]:
    return _list(request, [_body(request, municipality)])


@json_api
def body(request: HttpRequest, municipality: Municipality, slug: str) -> dict[str, Any]:
    if slug != municipality.slug:
        raise NotFoundError("Fant ikke organet.")
    return _body(request, municipality)


@json_api
def organization_list(request: HttpRequest, municipality: Municipality) -> dict[str, Any]:
    query = paging.list_query(request)
    bodies = paging.filtered(
        selectors.body_list(municipality=municipality).order_by("pk"), query, modified="created_at"
    )
    return paging.page_of(
        request, bodies, query, lambda rows: [_organization(request, body) for body in rows]
    )


@json_api
def organization(request: HttpRequest, municipality: Municipality, pk: int) -> dict[str, Any]:
    return _organization(request, selectors.body_get(municipality=municipality, pk=pk))


@json_api
def person_list(request: HttpRequest, municipality: Municipality) -> dict[str, Any]:
    query = paging.list_query(request)
    people = selectors.person_list(municipality=municipality).prefetch_related("memberships").order_by("pk")
    return paging.page_of(
        request, paging.filtered(people, query), query, lambda rows: [_person(request, p) for p in rows]
    )


@json_api
def person(request: HttpRequest, municipality: Municipality, pk: int) -> dict[str, Any]:
    return _person(request, selectors.person_get(municipality=municipality, pk=pk))


@json_api
def membership_list(request: HttpRequest, municipality: Municipality) -> dict[str, Any]:
    query = paging.list_query(request)
    memberships = paging.filtered(
        selectors.membership_list(municipality=municipality), query, modified="created_at"
    )
    return paging.page_of(request, memberships, query, lambda rows: [_membership(request, m) for m in rows])


@json_api
def membership(request: HttpRequest, municipality: Municipality, pk: int) -> dict[str, Any]:
    found = selectors.membership_list(municipality=municipality).filter(pk=pk).first()
    if found is None:
        raise NotFoundError("Fant ikke vervet.")
    return _membership(request, found)


def _meetings(
    request: HttpRequest, municipality: Municipality, meetings: list[Meeting]
) -> list[dict[str, Any]]:
    """A page of meetings with their agendas, read for that page only."""
    ids = [meeting.pk for meeting in meetings]
    items = selectors.items_of_meetings(municipality=municipality, meeting_ids=ids)
    minutes = {
        m.meeting_id: m for m in selectors.minutes_list(municipality=municipality).filter(meeting_id__in=ids)
    }
    return [_meeting(request, m, items.get(m.pk, []), minutes.get(m.pk)) for m in meetings]


@json_api
def meeting_list(request: HttpRequest, municipality: Municipality) -> dict[str, Any]:
    query = paging.list_query(request)
    body = None
    organization_id = request.GET.get("organization", "")
    if organization_id:
        if not is_ascii_digits(organization_id) or len(organization_id) > 9:
            raise ValidationError(
                "organization må være id-en til et utvalg.", code="invalid", field="organization"
            )
        body = selectors.body_get(municipality=municipality, pk=int(organization_id))
    meetings = paging.filtered(selectors.meeting_calendar(municipality=municipality, body=body), query)
    return paging.page_of(request, meetings, query, lambda rows: _meetings(request, municipality, rows))


@json_api
def meeting(request: HttpRequest, municipality: Municipality, pk: int) -> dict[str, Any]:
    found = selectors.meeting_get(municipality=municipality, pk=pk)
    return _meeting(
        request,
        found,
        selectors.public_items_of_meeting(municipality=municipality, meeting=found),
        selectors.minutes_of_meeting(municipality=municipality, meeting=found),
    )


@json_api
def agenda_item_list(request: HttpRequest, municipality: Municipality) -> dict[str, Any]:
    query = paging.list_query(request)
    items = paging.filtered(selectors.agenda_items(municipality=municipality), query)
    return paging.page_of(
        request,
        items,
        query,
        lambda rows: [
            _agenda_item(request, item)
            for item in selectors.public_items(municipality=municipality, items=rows)
        ],
    )


@json_api
def agenda_item(request: HttpRequest, municipality: Municipality, pk: int) -> dict[str, Any]:
    return _agenda_item(request, selectors.public_item(municipality=municipality, pk=pk))


@json_api
def consultation(request: HttpRequest, municipality: Municipality, pk: int) -> dict[str, Any]:
    return _consultation(request, selectors.public_item(municipality=municipality, pk=pk))


def _papers(
    request: HttpRequest, municipality: Municipality, rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    numbers = [row["case_number"] for row in rows]
    histories = selectors.histories(municipality=municipality, case_numbers=numbers)
    return [_paper(request, number, histories[number]) for number in numbers if number in histories]


@json_api
def paper_list(request: HttpRequest, municipality: Municipality) -> dict[str, Any]:
    query = paging.list_query(request)
    papers = paging.filtered(
        selectors.papers(municipality=municipality), query, created="created", modified="modified"
    )
    return paging.page_of(request, papers, query, lambda rows: _papers(request, municipality, rows))


@json_api
def paper(request: HttpRequest, municipality: Municipality, year: int, sequence: int) -> dict[str, Any]:
    case_number = f"{year}/{sequence}"
    return _paper(
        request, case_number, selectors.case_history(municipality=municipality, case_number=case_number)
    )


def _item_files(request: HttpRequest, items: Iterable[PublicItem]) -> list[dict[str, Any]]:
    return [
        _file_of_document(request, item, document)
        for item in items
        for document in item.documents
        if document.file_object_id is not None
    ]


def _minutes_files(request: HttpRequest, minutes: Iterable[Minutes]) -> list[dict[str, Any]]:
    return [_minutes_file(request, m) for m in minutes]


@json_api
def file_list(request: HttpRequest, municipality: Municipality) -> dict[str, Any]:
    """The approved minutes, then the released documents of the agenda items (the page counts
    minutes and items, each giving its files)."""
    query = paging.list_query(request)
    minutes = paging.filtered(
        selectors.minutes_list(municipality=municipality),
        query,
        created="approved_at",
        modified="approved_at",
    )
    items = paging.filtered(selectors.agenda_items(municipality=municipality), query)
    return paging.chained_page_of(
        request,
        [
            (minutes, lambda rows: _minutes_files(request, rows)),
            (
                items,
                lambda rows: _item_files(
                    request, selectors.public_items(municipality=municipality, items=rows)
                ),
            ),
        ],
        query,
    )


@json_api
def file(request: HttpRequest, municipality: Municipality, file_id: Any) -> dict[str, Any]:
    found = selectors.minutes_by_file(municipality=municipality, file_object_id=file_id)
    if found is not None:
        return _minutes_file(request, found)
    for item in selectors.items_with_file(municipality=municipality, file_object_id=file_id):
        for document in item.documents:
            if document.file_object_id == file_id:
                return _file_of_document(request, item, document)
    raise NotFoundError("Fant ikke filen.")
