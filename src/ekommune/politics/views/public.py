"""Public political pages (``politikk/``): thin — parse, call a selector or service, render.

Everything shown of an agenda item comes from ``types.PublicItem`` (screened once, in the
selectors). A service's ``NotFoundError`` becomes a 404 page (``ApplicationErrorMiddleware``).
"""

from __future__ import annotations

import uuid

from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import get_script_prefix
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from ekommune.archive.selectors import PublicationFile
from ekommune.core.errors import ApplicationError
from ekommune.core.http import municipality_required, request_municipality
from ekommune.core.ratelimits import rate_limited
from ekommune.core.validators import is_ascii_digits
from ekommune.politics import calendar, selectors, services
from ekommune.politics.models import Body
from ekommune.politics.types import PublicItem
from ekommune.politics.views.forms import SubscriptionForm


@require_GET
@municipality_required
def index(request: HttpRequest) -> HttpResponse:
    municipality = request_municipality(request)
    upcoming = selectors.meeting_calendar(municipality=municipality).filter(starts_at__gte=timezone.now())[
        :10
    ]
    return render(
        request,
        "politics/index.html",
        {
            "bodies": selectors.body_list(municipality=municipality),
            "upcoming": upcoming,
            "decisions": selectors.decisions_recent(municipality=municipality, limit=10),
        },
    )


@require_GET
@municipality_required
def body_detail(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = request_municipality(request)
    body = selectors.body_get(municipality=municipality, pk=pk)
    return render(
        request,
        "politics/body.html",
        {
            "body": body,
            "members": selectors.members_of_body(municipality=municipality, body=body),
            "meetings": selectors.meeting_calendar(
                municipality=municipality, body=body, since=selectors.recent_start()
            ),
            "form": SubscriptionForm(initial={"body": body.pk}),
        },
    )


@require_GET
@municipality_required
def body_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = request_municipality(request)
    body = selectors.body_get(municipality=municipality, pk=pk)
    since = selectors.recent_start()  # a year back and all ahead (decision 0182)
    meetings = selectors.meeting_calendar(municipality=municipality, body=body, since=since)
    agendas: dict[int, list[PublicItem]] = {}
    for item in selectors.item_list(municipality=municipality, body=body, since=since):
        agendas.setdefault(item.meeting_id, []).append(item)
    content = calendar.body_calendar(
        municipality=municipality,
        body=body,
        meetings=meetings,
        agendas=agendas,
        base_url=request.build_absolute_uri(get_script_prefix()),
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{body.abbreviation.lower()}.ics"'
    return response


@require_GET
@municipality_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    municipality = request_municipality(request)
    year_text = request.GET.get("aar", "")
    year = (
        int(year_text)
        if is_ascii_digits(year_text) and 1900 < int(year_text) < 3000
        else timezone.localdate().year
    )
    return render(
        request,
        "politics/meetings.html",
        {"meetings": selectors.meeting_calendar(municipality=municipality, year=year), "year": year},
    )


@require_GET
@municipality_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = request_municipality(request)
    meeting = selectors.meeting_get(municipality=municipality, pk=pk)
    return render(
        request,
        "politics/meeting.html",
        {
            "meeting": meeting,
            "items": selectors.public_items_of_meeting(municipality=municipality, meeting=meeting),
            "minutes": selectors.minutes_of_meeting(municipality=municipality, meeting=meeting),
            "attendance": selectors.meeting_attendance(municipality=municipality, meeting=meeting),
        },
    )


def _file_response(found: PublicationFile, content_type: str | None = None) -> FileResponse:
    response = FileResponse(
        found.content,
        content_type=content_type or found.mime_type,
        as_attachment=False,
        filename=found.file_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@municipality_required
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponseBase:
    municipality = request_municipality(request)
    meeting = selectors.meeting_get(municipality=municipality, pk=pk)
    found = selectors.minutes_file(municipality=municipality, meeting=meeting)
    response = _file_response(found, "text/html; charset=utf-8")
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@require_GET
@municipality_required
def item_document(request: HttpRequest, pk: int, file_id: uuid.UUID) -> HttpResponseBase:
    municipality = request_municipality(request)
    found = selectors.item_document_file(municipality=municipality, item_pk=pk, file_object_id=file_id)
    return _file_response(found)


@require_GET
@municipality_required
def case_detail(request: HttpRequest, year: int, sequence: int) -> HttpResponse:
    municipality = request_municipality(request)
    case_number = f"{year}/{sequence}"
    history = selectors.case_history(municipality=municipality, case_number=case_number)
    return render(
        request,
        "politics/case.html",
        {
            "case_number": case_number,
            "year": year,
            "sequence": sequence,
            "case_title": history[-1].case_title,
            "history": history,
            "form": SubscriptionForm(initial={"case_number": case_number}),
        },
    )


@require_GET
@municipality_required
@rate_limited("search", when=lambda request: bool(request.GET.get("q", "").strip()))
def search(request: HttpRequest) -> HttpResponse:
    municipality = request_municipality(request)
    query = request.GET.get("q", "")[:200]
    results = selectors.search(municipality=municipality, query=query)
    return render(request, "politics/search.html", {"query": query, "results": results})


@require_http_methods(["POST"])
@municipality_required
def subscribe(request: HttpRequest) -> HttpResponse:
    municipality = request_municipality(request)
    form = SubscriptionForm(request.POST)
    status = 400
    if form.is_valid():
        body: Body | None = None
        try:
            if form.cleaned_data["body"]:
                body = selectors.body_get(municipality=municipality, pk=form.cleaned_data["body"])
            services.subscription_create(
                municipality=municipality,
                email=form.cleaned_data["email"],
                body=body,
                case_number=form.cleaned_data["case_number"] or "",
            )
        except ApplicationError as error:
            form.add_error("email" if error.field in (None, "email") else None, error.message)
        else:
            status = 200
    return render(request, "politics/subscribe.html", {"form": form, "done": status == 200}, status=status)


@require_GET
@municipality_required
def subscription_confirm(request: HttpRequest) -> HttpResponse:
    municipality = request_municipality(request)
    services.subscription_confirm(municipality=municipality, token=request.GET.get("token", ""))
    return render(request, "politics/subscription_done.html", {"confirmed": True})


@require_http_methods(["GET", "POST"])
@municipality_required
def unsubscribe(request: HttpRequest) -> HttpResponse:
    """GET shows a button (mail scanners follow links); POST ends the subscription."""
    municipality = request_municipality(request)
    token = request.POST.get("token") or request.GET.get("token", "")
    if request.method == "POST":
        services.subscription_cancel(municipality=municipality, token=token)
        return render(request, "politics/subscription_done.html", {"cancelled": True})
    selectors.subscription_from_unsubscribe_token(token=token)
    return render(request, "politics/unsubscribe.html", {"token": token})
