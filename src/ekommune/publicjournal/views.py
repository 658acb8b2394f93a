"""Public pages of the journal: search, entry, case, full-text download, sitemap. Thin.

Every page reads the publication table through ``selectors`` (already screened) and nothing else.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ekommune.core.errors import NotFoundError
from ekommune.core.models import Municipality
from ekommune.publicjournal import selectors
from ekommune.publicjournal.forms import JournalSearchForm

SITEMAP_PAGE_SIZE = 10_000


def _municipality(request: HttpRequest) -> Municipality:
    municipality: Municipality | None = getattr(request, "municipality", None)
    if municipality is None:
        raise Http404(_("Fant ingen kommune på denne adressen."))
    return municipality


def search_form(request: HttpRequest, municipality: Municipality) -> JournalSearchForm:
    units = selectors.public_administrative_units(municipality=municipality)
    return JournalSearchForm(request.GET, units=units)


@require_GET
def journal_search(request: HttpRequest) -> HttpResponse:
    municipality = _municipality(request)
    form = search_form(request, municipality)
    context: dict[str, Any] = {"form": form, "searched": bool(request.GET)}
    if not form.is_valid():
        return render(request, "publicjournal/search.html", context, status=400)
    query = form.journal_query()
    result = selectors.public_entry_search(municipality=municipality, query=query, page=form.page())
    params = query.params()
    context.update(
        result=result,
        query=query,
        feed_url=reverse("publicjournal:feed") + (f"?{urlencode(params)}" if params else ""),
        api_url=reverse("publicjournal:api-list") + (f"?{urlencode(params)}" if params else ""),
        previous_url=f"?{urlencode({**params, 'side': result.page - 1})}" if result.page > 1 else "",
        next_url=f"?{urlencode({**params, 'side': result.page + 1})}" if result.page < result.pages else "",
        basket=request.session.get("innsyn_kurv", []),
    )
    return render(request, "publicjournal/search.html", context)


@require_GET
def journal_entry(request: HttpRequest, system_id: uuid.UUID) -> HttpResponse:
    municipality = _municipality(request)
    entry = selectors.public_entry(municipality=municipality, system_id=system_id)
    if entry is None:
        raise Http404(_("Journalposten finnes ikke i den offentlige journalen."))
    return render(
        request,
        "publicjournal/entry.html",
        {"entry": entry, "basket": request.session.get("innsyn_kurv", [])},
    )


@require_GET
def journal_case(request: HttpRequest, year: int, sequence: int) -> HttpResponse:
    municipality = _municipality(request)
    case_number = f"{year}/{sequence}"
    entries = selectors.public_case_entries(municipality=municipality, case_number=case_number)
    if not entries:
        raise Http404(_("Saken har ingen offentlige journalposter."))
    return render(
        request,
        "publicjournal/case.html",
        {"case_number": case_number, "case_title": entries[-1].case_title, "entries": entries},
    )


@require_GET
def journal_document(request: HttpRequest, system_id: uuid.UUID, document_id: uuid.UUID) -> FileResponse:
    municipality = _municipality(request)
    try:
        opened = selectors.public_document_file(
            municipality=municipality, entry_system_id=system_id, document_system_id=document_id
        )
    except NotFoundError as error:
        raise Http404(error.message) from error
    return FileResponse(
        opened.content, as_attachment=True, filename=opened.file_name, content_type=opened.mime_type
    )


@require_GET
def journal_sitemap(request: HttpRequest) -> HttpResponse:
    """Sitemap of entry and case pages (``?side=N`` for every 10,000 entries)."""
    municipality = _municipality(request)
    try:
        page = max(1, int(request.GET.get("side", "1")))
    except ValueError:
        page = 1
    rows = selectors.public_entries_for_sitemap(
        municipality=municipality, offset=(page - 1) * SITEMAP_PAGE_SIZE, limit=SITEMAP_PAGE_SIZE
    )
    base = request.build_absolute_uri("/")[:-1]
    urls: list[tuple[str, str]] = []
    cases: dict[str, str] = {}
    for system_id, case_number, changed in rows:
        urls.append((base + reverse("publicjournal:entry", args=[system_id]), changed.date().isoformat()))
        cases[case_number] = changed.date().isoformat()
    for case_number, changed_on in cases.items():
        year, _slash, sequence = case_number.partition("/")
        urls.append((base + reverse("publicjournal:case", args=[int(year), int(sequence)]), changed_on))
    if page == 1:
        urls.insert(0, (base + reverse("publicjournal:search"), ""))
    return render(
        request, "publicjournal/sitemap.xml", {"urls": urls}, content_type="application/xml; charset=utf-8"
    )
