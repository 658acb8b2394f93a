"""The public catalogue: services grouped, searched, described."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ekommune.core.http import municipality_required, request_municipality
from ekommune.core.ratelimits import rate_limited
from ekommune.portal import selectors
from ekommune.portal.models import LifeEvent, Topic

# ------------------------------------------------------------------ catalogue


@municipality_required
@require_GET
@rate_limited("search", when=lambda request: bool(request.GET.get("q", "").strip()))
def catalogue(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    life_event = request.GET.get("livshendelse", "")
    topic = request.GET.get("tema", "")
    life_event = life_event if life_event in LifeEvent.values else ""
    topic = topic if topic in Topic.values else ""
    grouping = "topic" if request.GET.get("gruppering") == "tema" else "life_event"
    found = list(
        selectors.service_search(
            municipality=request_municipality(request), query=query, life_event=life_event, topic=topic
        )
    )
    return render(
        request,
        "portal/catalogue.html",
        {
            "query": query,
            "life_event": life_event,
            "topic": topic,
            "life_events": LifeEvent.choices,
            "topics": Topic.choices,
            "found": found,
            "grouping": grouping,
            "groups": selectors.services_grouped(found, by=grouping) if not query else [],
        },
    )


@municipality_required
@require_GET
def service_detail(request: HttpRequest, slug: str) -> HttpResponse:
    service = selectors.service_published(municipality=request_municipality(request), slug=slug)
    return render(request, "portal/service_detail.html", {"service": service})
