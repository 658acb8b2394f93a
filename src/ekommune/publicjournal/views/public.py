"""Public pages of the journal: search, entry, case, full-text download, sitemap. Thin.

Every page reads the publication table through ``selectors`` (already screened) and nothing else.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ekommune.core.errors import ApplicationError, NotFoundError, ValidationError
from ekommune.core.http import municipality_required, request_municipality
from ekommune.core.models import Municipality
from ekommune.core.ratelimits import rate_limited
from ekommune.identity.selectors import session_citizen
from ekommune.publicjournal import selectors, services
from ekommune.publicjournal.views.forms import AccessRequestForm, JournalSearchForm

SITEMAP_PAGE_SIZE = 10_000


def search_form(request: HttpRequest, municipality: Municipality) -> JournalSearchForm:
    units = selectors.public_administrative_units(municipality=municipality)
    return JournalSearchForm(request.GET, units=units)


@require_GET
@municipality_required
@rate_limited("search", when=lambda request: bool(request.GET.get("q", "").strip()))
def journal_search(request: HttpRequest) -> HttpResponse:
    municipality = request_municipality(request)
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
        basket=_basket(request),
    )
    return render(request, "publicjournal/search.html", context)


@require_GET
@municipality_required
def journal_entry(request: HttpRequest, system_id: uuid.UUID) -> HttpResponse:
    municipality = request_municipality(request)
    entry = selectors.public_entry(municipality=municipality, system_id=system_id)
    if entry is None:
        raise Http404(_("Journalposten finnes ikke i den offentlige journalen."))
    return render(
        request,
        "publicjournal/entry.html",
        {"entry": entry, "basket": _basket(request)},
    )


@require_GET
@municipality_required
def journal_case(request: HttpRequest, year: int, sequence: int) -> HttpResponse:
    municipality = request_municipality(request)
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
@municipality_required
def journal_document(request: HttpRequest, system_id: uuid.UUID, document_id: uuid.UUID) -> FileResponse:
    municipality = request_municipality(request)
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
@municipality_required
def journal_sitemap(request: HttpRequest) -> HttpResponse:
    """Sitemap of entry and case pages (``?side=N`` for every 10,000 entries)."""
    municipality = request_municipality(request)
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


# ------------------------------------------------------------------ access requests (innsynskrav)

BASKET = "innsyn_kurv"
BASKET_LIMIT = 50


def _basket(request: HttpRequest) -> list[str]:
    return list(request.session.get(BASKET, []))


def _site_root(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("core:home"))


@require_POST
@municipality_required
def basket_change(request: HttpRequest) -> HttpResponse:
    """Add an entry to the visitor's basket (session) or remove it; back to where they were."""
    municipality = request_municipality(request)
    basket = _basket(request)
    raw = request.POST.get("entry", "")
    action = request.POST.get("action", "add")
    try:
        system_id = uuid.UUID(raw)
    except ValueError:
        return render(request, "core/error.html", {"error": _unknown_entry()}, status=400)
    if action == "remove":
        basket = [item for item in basket if item != str(system_id)]
        messages.success(request, _("Journalposten er fjernet fra innsynskurven."))
    else:
        if selectors.public_entry(municipality=municipality, system_id=system_id) is None:
            return render(request, "core/error.html", {"error": _unknown_entry()}, status=400)
        if str(system_id) not in basket:
            if len(basket) >= BASKET_LIMIT:
                messages.error(request, _("Innsynskurven er full. Send kravet før du legger til flere."))
            else:
                basket.append(str(system_id))
                messages.success(request, _("Journalposten er lagt i innsynskurven."))
    request.session[BASKET] = basket
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) or not target:
        target = reverse("publicjournal:basket")
    return redirect(target)


def _unknown_entry() -> ValidationError:
    return ValidationError(
        _("Journalposten finnes ikke i den offentlige journalen."), code="entry_not_public", field="entry"
    )


@require_http_methods(["GET", "POST"])
@municipality_required
@rate_limited("access_request", methods=["POST"])
def basket(request: HttpRequest) -> HttpResponse:
    """The basket and the access-request form (e-mail required, name optional)."""
    municipality = request_municipality(request)
    chosen = _basket(request)
    entries = [
        entry
        for entry in (
            selectors.public_entry(municipality=municipality, system_id=uuid.UUID(raw)) for raw in chosen
        )
        if entry is not None
    ]
    form = AccessRequestForm(request.POST or None)
    errors: list[str] = []
    if request.method == "POST":
        if not entries:
            errors.append(_("Innsynskurven er tom. Legg til journalposter fra journalen først."))
        elif form.is_valid():
            try:
                created = services.access_request_submit(
                    municipality=municipality,
                    email=form.cleaned_data["email"],
                    name=form.cleaned_data["name"],
                    message=form.cleaned_data["message"],
                    entry_ids=[str(entry.system_id) for entry in entries],
                    site_root=_site_root(request),
                    citizen_id=_citizen_id(request),
                )
            except ApplicationError as error:
                if error.field in form.fields:
                    form.add_error(error.field, error.message)
                else:
                    errors.append(error.message)
            else:
                request.session[BASKET] = []
                messages.success(request, _("Innsynskravet er sendt. Du får en kvittering på e-post."))
                return redirect("publicjournal:access-status", token=created.token)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "publicjournal/basket.html",
        {
            "entries": entries,
            "form": form,
            "errors": errors,
            "settings": selectors.access_request_settings(municipality=municipality),
        },
        status=status,
    )


@require_GET
@municipality_required
def access_status(request: HttpRequest, token: str) -> HttpResponse:
    """The requester's status page, reached only through the secret link in the e-mail."""
    municipality = request_municipality(request)
    try:
        access = selectors.access_request_by_token(municipality=municipality, token=token)
    except NotFoundError as error:
        raise Http404(error.message) from error
    settings_row = selectors.access_request_settings(municipality=municipality)
    return render(
        request,
        "publicjournal/access_status.html",
        {"access": access, "appeal_information": settings_row.appeal_information},
    )


@require_GET
@municipality_required
def access_file(request: HttpRequest, token: str, object_id: uuid.UUID) -> FileResponse:
    municipality = request_municipality(request)
    try:
        opened = selectors.access_request_file(
            municipality=municipality, token=token, object_system_id=object_id
        )
    except NotFoundError as error:
        raise Http404(error.message) from error
    return FileResponse(
        opened.content, as_attachment=True, filename=opened.file_name, content_type=opened.mime_type
    )


def _citizen_id(request: HttpRequest) -> int | None:
    """The logged-in citizen (if any), so that the request shows on their Min side."""
    current = session_citizen(request=request)
    return current.citizen.pk if current is not None else None
