"""JSON API of the public journal (``api/journal/``): the same filters as the search page.

Reads the publication table only. Field names follow the Noark 5 metadata catalogue.
Errors: the platform's ``{"code", "message", "field"}`` with the error's status (``core.http``,
decision 0037): 400 for bad search input, 404 ``not_found`` for an unknown entry or outside a
municipality.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse

from ekommune.core.errors import NotFoundError, ValidationError
from ekommune.core.http import json_api
from ekommune.core.models import Municipality
from ekommune.publicjournal import selectors
from ekommune.publicjournal.models import PublishedEntry
from ekommune.publicjournal.views.state import journal_search_form, publication_conditional


def entry_json(request: HttpRequest, entry: PublishedEntry) -> dict[str, Any]:
    year, _, sequence = entry.case_number.partition("/")
    return {
        "systemID": str(entry.system_id),
        "journalposttype": entry.entry_type,
        "journalaar": entry.journal_year,
        "journalsekvensnummer": entry.journal_sequence_number,
        "loepenummer": entry.journal_number,
        "registreringsID": entry.registration_id,
        "saksnummer": entry.case_number,
        "saksmappeTittel": entry.case_title,
        "tittel": entry.title,
        "journaldato": entry.journal_date.isoformat(),
        "dokumentetsDato": entry.document_date.isoformat() if entry.document_date else None,
        "administrativEnhet": entry.administrative_unit,
        "korrespondansepart": [
            {"korrespondansepartNavn": party["name"], "rolle": party["role"]} for party in entry.parties
        ],
        "dokumenter": [
            {
                "systemID": document["system_id"],
                "tittel": document["title"],
                "tilknyttetRegistreringSom": document["linked_as"],
                "dokumentnummer": document["number"],
                "fulltekst": request.build_absolute_uri(
                    reverse("publicjournal:document", args=[entry.system_id, document["system_id"]])
                )
                if document.get("file")
                else None,
            }
            for document in entry.documents
        ],
        "skjermingshjemmel": list(entry.legal_bases),
        "skjermet": entry.is_screened,
        "publisert": entry.published_at.isoformat(),
        "url": request.build_absolute_uri(reverse("publicjournal:entry", args=[entry.system_id])),
        "saksUrl": request.build_absolute_uri(reverse("publicjournal:case", args=[int(year), int(sequence)])),
    }


@publication_conditional(shared=True)
@json_api
def journal_list(request: HttpRequest, municipality: Municipality) -> dict[str, Any]:
    form = journal_search_form(request)
    if not form.is_valid():
        field, errors = next(iter(form.errors.as_data().items()))
        raise ValidationError(" ".join(errors[0].messages), code=errors[0].code or "invalid", field=field)
    try:
        page_size = int(request.GET.get("antall", "20"))
    except ValueError as error:
        raise ValidationError("Antall må være et heltall.", code="invalid", field="antall") from error
    query = form.journal_query()
    result = selectors.public_entry_search(
        municipality=municipality, query=query, page=form.page(), page_size=page_size
    )
    params = {**query.params(), "antall": str(result.page_size)}
    base = request.build_absolute_uri(reverse("publicjournal:api-list"))

    def link(page: int) -> str:
        return f"{base}?{urlencode({**params, 'side': page})}"

    return {
        "count": result.total,
        "countCapped": result.capped,  # true: more than ``count`` entries match; narrow the search
        "side": result.page,
        "sider": result.pages,
        "next": link(result.page + 1) if result.page < result.pages else None,
        "previous": link(result.page - 1) if result.page > 1 else None,
        "results": [entry_json(request, entry) for entry in result.entries],
    }


@publication_conditional(shared=True)
@json_api
def journal_detail(request: HttpRequest, municipality: Municipality, system_id: uuid.UUID) -> dict[str, Any]:
    entry = selectors.public_entry(municipality=municipality, system_id=system_id)
    if entry is None:
        raise NotFoundError("Journalposten finnes ikke i den offentlige journalen.", code="not_found")
    return entry_json(request, entry)
