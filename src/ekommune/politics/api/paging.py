"""OParl 1.1 external object lists (externe Objektlisten): pages, filters and links.

Every list is paged in a stable order (the rows' primary key, or for papers the first meeting and
the case number), ``elementsPerPage`` objects to a page (at most ``MAX_PER_PAGE``; a client may
ask for fewer). Each page carries ``data``, ``pagination`` (``totalElements``,
``elementsPerPage``, ``currentPage``, ``totalPages``) and ``links`` (``first``, ``prev``,
``self``, ``next`` on every page but the last, ``last``). The filters ``created_since``,
``created_until``, ``modified_since`` and ``modified_until`` take a full date-time (RFC 3339);
links keep every filter. Bad values are a 400 naming the parameter
(docs/decisions/0182-oparl-lists-paged-and-filtered.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from ekommune.core.errors import ValidationError
from ekommune.core.validators import is_ascii_digits

MAX_PER_PAGE = 100
FILTERS = ("created_since", "created_until", "modified_since", "modified_until")
KEPT = (*FILTERS, "elementsPerPage", "organization")  # carried into every link

Row = TypeVar("Row")


@dataclass(frozen=True)
class ListQuery:
    page: int = 1
    per_page: int = MAX_PER_PAGE
    created_since: dt.datetime | None = None
    created_until: dt.datetime | None = None
    modified_since: dt.datetime | None = None
    modified_until: dt.datetime | None = None


def _positive(request: HttpRequest, name: str, default: int) -> int:
    text = request.GET.get(name, "")
    if text == "":
        return default
    if not is_ascii_digits(text) or len(text) > 9 or int(text) < 1:
        raise ValidationError(f"{name} må være et positivt heltall.", code="invalid", field=name)
    return int(text)


def _moment(request: HttpRequest, name: str) -> dt.datetime | None:
    text = request.GET.get(name, "")
    if text == "":
        return None
    try:
        moment = parse_datetime(text[:40])
    except ValueError:
        moment = None
    if moment is not None:
        try:
            if timezone.is_naive(moment):  # no offset given: Norwegian time, as the pages show it
                moment = timezone.make_aware(moment)
            return moment.astimezone(dt.UTC)  # PostgreSQL takes offsets up to ±15:59 only
        except (OverflowError, ValueError):
            pass  # before year 1 or after 9999 once in UTC
    raise ValidationError(
        f"{name} må være et fullstendig tidspunkt (RFC 3339), for eksempel 2026-01-31T12:00:00+01:00.",
        code="invalid",
        field=name,
    )


def list_query(request: HttpRequest) -> ListQuery:
    """The page and filters the request asks for; a ``ValidationError`` (400) for bad values."""
    return ListQuery(
        page=_positive(request, "page", 1),
        per_page=min(_positive(request, "elementsPerPage", MAX_PER_PAGE), MAX_PER_PAGE),
        **{name: _moment(request, name) for name in FILTERS},
    )


def filtered(
    rows: QuerySet[Any, Any], query: ListQuery, *, created: str = "created_at", modified: str = "modified_at"
) -> QuerySet[Any, Any]:
    """The rows within the query's created/modified bounds (inclusive)."""
    bounds = {
        f"{created}__gte": query.created_since,
        f"{created}__lte": query.created_until,
        f"{modified}__gte": query.modified_since,
        f"{modified}__lte": query.modified_until,
    }
    return rows.filter(**{lookup: value for lookup, value in bounds.items() if value is not None})


def _link(request: HttpRequest, page: int) -> str:
    params = [(name, request.GET[name]) for name in KEPT if request.GET.get(name)]
    if page > 1:
        params.append(("page", str(page)))
    query = urlencode(params)
    return request.build_absolute_uri(request.path) + (f"?{query}" if query else "")


def links(request: HttpRequest, page: int, pages: int) -> dict[str, str]:
    found = {"first": _link(request, 1), "self": _link(request, page), "last": _link(request, pages)}
    if page > 1:
        found["prev"] = _link(request, min(page - 1, pages))
    if page < pages:
        found["next"] = _link(request, page + 1)
    return found


def page_of(
    request: HttpRequest,
    rows: QuerySet[Any, Any],
    query: ListQuery,
    build: Callable[[list[Any]], Sequence[dict[str, Any]]],
) -> dict[str, Any]:
    """One list page: ``build`` turns the page's rows into OParl objects (one per row)."""
    total = rows.count()
    pages = max(1, -(-total // query.per_page))
    start = (query.page - 1) * query.per_page
    data = list(build(list(rows[start : start + query.per_page]))) if start < total else []
    return {
        "data": data,
        "pagination": {
            "totalElements": total,
            "elementsPerPage": query.per_page,
            "currentPage": query.page,
            "totalPages": pages,
        },
        "links": links(request, query.page, pages),
    }


def chained_page_of(
    request: HttpRequest,
    sources: Sequence[tuple[QuerySet[Any, Any], Callable[[list[Any]], Sequence[dict[str, Any]]]]],
    query: ListQuery,
) -> dict[str, Any]:
    """A page over several row sources one after the other, where a row gives any number of
    objects (the files of an agenda item): ``elementsPerPage`` counts rows, so the page gives
    only ``currentPage`` and ``totalPages`` (all of ``pagination`` is optional in OParl)."""
    counts = [rows.count() for rows, _build in sources]
    pages = max(1, -(-sum(counts) // query.per_page))
    start, end = (query.page - 1) * query.per_page, query.page * query.per_page
    data: list[dict[str, Any]] = []
    offset = 0
    for (rows, build), count in zip(sources, counts, strict=True):
        low, high = max(start - offset, 0), min(end - offset, count)
        if low < high:
            data.extend(build(list(rows[low:high])))
        offset += count
    return {
        "data": data,
        "pagination": {"currentPage": query.page, "totalPages": pages},
        "links": links(request, query.page, pages),
    }
