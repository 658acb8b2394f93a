"""Lists of a general type over several tables: ``arkivstruktur/mappe/`` (mappe and saksmappe).

Each table is filtered with the same ``$filter``/``$search`` (the names the general type has, each
mapped to the table's own field), counted, and read up to the end of the page asked for, in the
same order; the rows are then merged in that order. A page ends at most ``MAX_WINDOW`` rows
in; the specialised list (``sakarkiv/saksmappe/``) pages without that bound (decision 0161).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet
from rest_framework.request import Request
from rest_framework.response import Response

from ekommune.archive import selectors
from ekommune.archive.api import odata
from ekommune.archive.api.noark import link
from ekommune.archive.api.resources import ENTITIES, Context, Entity, entity_of
from ekommune.core.errors import ValidationError

MAX_WINDOW = 10_000
DEFAULT_ORDER = ["created_at", "system_id"]


def members_of(entity: Entity) -> list[Entity]:
    return [entity, *(ENTITIES[name] for name in entity.members)]


def _narrowed(
    general: Entity,
    member: Entity,
    queryset: QuerySet[Any],
    params: Any,
    search_fields: tuple[str, ...],
    ctx: Context,
) -> QuerySet[Any]:
    names = odata.visible(general.filter_fields, private=ctx.can_see_person_numbers)
    fields = {name: member.filter_fields.get(name, "") for name in names}
    queryset = queryset.filter(odata.filter_query(params.get("$filter", ""), fields, member.model))
    search = params.get("$search", "").strip().strip('"')
    if search:
        model_fields = {field.name for field in member.model._meta.get_fields()}
        condition = Q()
        for name in (name for name in search_fields if name in model_fields):
            condition |= Q(**{f"{name}__icontains": search})
        queryset = queryset.filter(condition)
    return queryset


def _sortable(value: Any) -> tuple[bool, Any]:
    return (value is None, value)


def _merged(rows: list[Any], ordering: list[str]) -> list[Any]:
    """The rows in the order the database gave each table (NULLs last ascending, first descending)."""
    for key in reversed(ordering):
        rows.sort(key=_by(key.lstrip("-")), reverse=key.startswith("-"))
    return rows


def _by(name: str) -> Callable[[Any], tuple[bool, Any]]:
    return lambda row: _sortable(getattr(row, name))


def union_listing(
    request: Request,
    general: Entity,
    querysets: list[QuerySet[Any]],
    ctx: Context,
    *,
    page_size: int,
    max_page_size: int,
    search_fields: tuple[str, ...],
) -> Response:
    params = request.query_params
    members = members_of(general)
    narrowed = [
        _narrowed(general, member, queryset, params, search_fields, ctx)
        for member, queryset in zip(members, querysets, strict=True)
    ]
    names = {
        name: path
        for name, path in odata.sortable(general.filter_fields).items()
        if all(member.filter_fields.get(name) == path for member in members)
    }
    ordering = [*odata.order_by(params.get("$orderby", ""), names), *DEFAULT_ORDER]
    top = odata.non_negative(params.get("$top"), "$top", page_size, max_page_size)
    skip = odata.non_negative(params.get("$skip"), "$skip", 0)
    if skip + top > MAX_WINDOW:
        raise ValidationError(
            f"Listen over flere typer blar høyst {MAX_WINDOW} rader inn; bruk typens egen liste.",
            code="invalid_paging",
            field="$skip",
        )
    total = sum(queryset.count() for queryset in narrowed)
    rows = [row for queryset in narrowed for row in queryset.order_by(*ordering)[: skip + top]]
    page = _merged(rows, ordering)[skip : skip + top]
    links: dict[str, Any] = {"self": link(request._request.build_absolute_uri())}
    if skip + top < total:
        next_params = params.copy()
        next_params["$skip"] = str(skip + top)
        next_params["$top"] = str(top)
        links["next"] = link(
            request._request.build_absolute_uri(request._request.path) + "?" + next_params.urlencode()
        )
    body: dict[str, Any] = {"count": total, "_links": links}
    if page:
        body["results"] = [entity_of(obj).render(obj, ctx) for obj in page]
        selectors.screened_entries_read_note(
            actor=request.user,
            municipality=request._request.municipality,  # type: ignore[attr-defined]
            objects=page,
        )
    return Response(body)
