"""A read-only JSON API modelled on OParl 1.1 (https://oparl.org), public like the pages.

OParl's ``Body`` is the municipality; its ``Organization`` is our political body (utvalg); a
``Paper`` is an archive case on the political agenda; each ``Consultation`` is one treatment of
it in a meeting (an ``AgendaItem``); a ``File`` is a released document or approved minutes.
Everything is built from ``types.PublicItem`` values (screened once, in the selectors). Errors
are the platform's ``{"code", "message", "field"}`` (``core.http.json_api``, decision 0037).
Mapping: docs/decisions/0051-oparl-mapping.md; the OpenAPI document: ``openapi.json``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from ekommune.core.errors import NotFoundError
from ekommune.core.http import json_api, json_read_only
from ekommune.core.models import Municipality
from ekommune.core.validators import is_ascii_digits
from ekommune.politics import selectors
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
    data = list(objects)
    return {
        "data": data,
        "pagination": {
            "totalElements": len(data),
            "elementsPerPage": len(data),
            "currentPage": 1,
            "totalPages": 1,
        },
        "links": {},
    }


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
    }


def _person(request: HttpRequest, person: Person) -> dict[str, Any]:
    return {
        "id": _url(request, "oparl-person", person.pk),
        "type": f"{SCHEMA}Person",
        "name": person.name,
        "email": [person.email],
        "party": person.party,  # not in OParl 1.1's Person (it models parties as organisations)
        "membership": [_url(request, "oparl-membership", m.pk) for m in person.memberships.all()],
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
    }


def _minutes_file(request: HttpRequest, meeting: Meeting, file_object_id: Any) -> dict[str, Any]:
    access = _url(request, "minutes", meeting.pk)
    return {
        "id": _url(request, "oparl-file", file_object_id),
        "type": f"{SCHEMA}File",
        "name": f"Møteprotokoll {meeting.body.name}",
        "mimeType": "text/html",
        "accessUrl": access,
        "downloadUrl": access,
        "meeting": [_url(request, "oparl-meeting", meeting.pk)],
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
        "resultsProtocol": _minutes_file(request, meeting, minutes.file_object_id) if minutes else None,
        "web": _url(request, "meeting", meeting.pk),
        "video": meeting.video_url or None,
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
    }


def _papers(municipality: Municipality) -> dict[str, list[PublicItem]]:
    papers: dict[str, list[PublicItem]] = {}
    for item in selectors.item_list(municipality=municipality):
        papers.setdefault(item.case_number, []).append(item)
    return papers


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
    return _list(
        request, (_organization(request, body) for body in selectors.body_list(municipality=municipality))
    )


@json_api
def organization(request: HttpRequest, municipality: Municipality, pk: int) -> dict[str, Any]:
    return _organization(request, selectors.body_get(municipality=municipality, pk=pk))


@json_api
def person_list(request: HttpRequest, municipality: Municipality) -> dict[str, Any]:
    people = selectors.person_list(municipality=municipality).prefetch_related("memberships")
    return _list(request, (_person(request, person) for person in people))


@json_api
def person(request: HttpRequest, municipality: Municipality, pk: int) -> dict[str, Any]:
    return _person(request, selectors.person_get(municipality=municipality, pk=pk))


@json_api
def membership_list(request: HttpRequest, municipality: Municipality) -> dict[str, Any]:
    return _list(
        request, (_membership(request, m) for m in selectors.membership_list(municipality=municipality))
    )


@json_api
def membership(request: HttpRequest, municipality: Municipality, pk: int) -> dict[str, Any]:
    found = selectors.membership_list(municipality=municipality).filter(pk=pk).first()
    if found is None:
        raise NotFoundError("Fant ikke vervet.")
    return _membership(request, found)


@json_api
def meeting_list(request: HttpRequest, municipality: Municipality) -> dict[str, Any]:
    body = None
    organization_id = request.GET.get("organization", "")
    if organization_id:
        if not is_ascii_digits(organization_id):
            raise NotFoundError("Ugyldig organization.", field="organization")
        body = selectors.body_get(municipality=municipality, pk=int(organization_id))
    meetings = selectors.meeting_calendar(municipality=municipality, body=body)
    items: dict[int, list[PublicItem]] = {}
    for item in selectors.item_list(municipality=municipality):
        items.setdefault(item.meeting_id, []).append(item)
    minutes = {m.meeting_id: m for m in selectors.minutes_list(municipality=municipality)}
    return _list(
        request,
        (
            _meeting(request, meeting, items.get(meeting.pk, []), minutes.get(meeting.pk))
            for meeting in meetings
        ),
    )


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
    return _list(
        request, (_agenda_item(request, item) for item in selectors.item_list(municipality=municipality))
    )


@json_api
def agenda_item(request: HttpRequest, municipality: Municipality, pk: int) -> dict[str, Any]:
    return _agenda_item(request, selectors.public_item(municipality=municipality, pk=pk))


@json_api
def consultation(request: HttpRequest, municipality: Municipality, pk: int) -> dict[str, Any]:
    return _consultation(request, selectors.public_item(municipality=municipality, pk=pk))


@json_api
def paper_list(request: HttpRequest, municipality: Municipality) -> dict[str, Any]:
    return _list(request, (_paper(request, number, items) for number, items in _papers(municipality).items()))


@json_api
def paper(request: HttpRequest, municipality: Municipality, year: int, sequence: int) -> dict[str, Any]:
    case_number = f"{year}/{sequence}"
    return _paper(
        request, case_number, selectors.case_history(municipality=municipality, case_number=case_number)
    )


def _files(request: HttpRequest, municipality: Municipality) -> dict[str, dict[str, Any]]:
    files: dict[str, dict[str, Any]] = {}
    for item in selectors.item_list(municipality=municipality):
        for document in item.documents:
            if document.file_object_id is not None:
                files[str(document.file_object_id)] = _file_of_document(request, item, document)
    for minutes in selectors.minutes_list(municipality=municipality):
        files[str(minutes.file_object_id)] = _minutes_file(request, minutes.meeting, minutes.file_object_id)
    return files


@json_api
def file_list(request: HttpRequest, municipality: Municipality) -> dict[str, Any]:
    return _list(request, _files(request, municipality).values())


@json_api
def file(request: HttpRequest, municipality: Municipality, file_id: Any) -> dict[str, Any]:
    found = _files(request, municipality).get(str(file_id))
    if found is None:
        raise NotFoundError("Fant ikke filen.")
    return found
