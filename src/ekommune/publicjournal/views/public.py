"""Public pages of the journal: search, entry, case, full-text download, sitemap. Thin.

Every page reads the publication table through ``selectors`` (already screened) and nothing else.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode
from xml.sax.saxutils import escape

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ekommune.core.errors import ApplicationError, NotFoundError, ValidationError
from ekommune.core.http import municipality_required, request_municipality
from ekommune.core.ratelimits import rate_limited
from ekommune.identity.selectors import session_citizen
from ekommune.publicjournal import selectors, services
from ekommune.publicjournal.views.forms import AccessRequestForm
from ekommune.publicjournal.views.state import (
    journal_search_form,
    publication_conditional,
    publication_state_of,
)


@require_GET
@municipality_required
@rate_limited("search", when=lambda request: bool(request.GET.get("q", "").strip()))
@publication_conditional(shared=False)
def journal_search(request: HttpRequest) -> HttpResponse:
    municipality = request_municipality(request)
    form = journal_search_form(request)
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
@publication_conditional(shared=False)
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
@publication_conditional(shared=False)
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
            municipality=municipality,
            entry_system_id=system_id,
            document_system_id=document_id,
            reader=request.user if request.user.is_authenticated else None,
        )
    except NotFoundError as error:
        raise Http404(error.message) from error
    return FileResponse(
        opened.content, as_attachment=True, filename=opened.file_name, content_type=opened.mime_type
    )


SITEMAP_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
)
NO_ID = uuid.UUID(int=0)  # stands in for an entry's id when a sitemap takes the entry pages' prefix


@require_GET
@municipality_required
@publication_conditional(shared=True)
def journal_sitemap_index(request: HttpRequest) -> HttpResponse:
    """The sitemap index (sitemaps.org): one sitemap per ``SITEMAP_ENTRIES_PER_PAGE`` entries."""
    state = publication_state_of(request)
    base = request.build_absolute_uri("/")[:-1]
    sitemaps = [
        (
            base + reverse("publicjournal:sitemap-page", args=[page]),
            state.changed_at.date().isoformat() if state else "",
        )
        for page in range(1, selectors.public_sitemap_page_count(state=state) + 1)
    ]
    return render(
        request,
        "publicjournal/sitemap_index.xml",
        {"sitemaps": sitemaps},
        content_type="application/xml; charset=utf-8",
    )


@require_GET
@municipality_required
@publication_conditional(shared=True)
def journal_sitemap(request: HttpRequest, page: int) -> HttpResponse:
    """One sitemap: its entries' pages and their cases' pages (each case once in this file), and on
    the first, the search page. At most 50,000 URLs, well under 50 MB."""
    municipality = request_municipality(request)
    rows = selectors.public_entries_for_sitemap(
        municipality=municipality, state=publication_state_of(request), page=page
    )
    if rows is None:
        raise Http404(_("Det finnes ingen slik side av nettstedskartet."))
    base = request.build_absolute_uri("/")[:-1]
    entry_prefix = escape(base + reverse("publicjournal:entry", args=[NO_ID]).split(str(NO_ID))[0])
    case_prefix = escape(base + reverse("publicjournal:case", args=[1, 1]).removesuffix("1/1/"))
    lines = [f"<url><loc>{escape(base + reverse('publicjournal:search'))}</loc></url>"] if page == 1 else []
    cases: dict[str, str] = {}
    for system_id, case_number, changed in rows:
        changed_on = changed.date().isoformat()
        lines.append(f"<url><loc>{entry_prefix}{system_id}/</loc><lastmod>{changed_on}</lastmod></url>")
        cases[case_number] = max(changed_on, cases.get(case_number, ""))
    lines.extend(
        f"<url><loc>{case_prefix}{escape(number)}/</loc><lastmod>{changed_on}</lastmod></url>"
        for number, changed_on in cases.items()
    )
    body = "\n".join([SITEMAP_HEAD, *lines, "</urlset>\n"])  # joined, not templated: 4,000 lines
    return HttpResponse(body, content_type="application/xml; charset=utf-8")


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
