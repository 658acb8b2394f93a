"""The base of every Noark 5 API view: authentication, errors, CORS, look-ups, rendering and lists."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.db.models import Q
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.parsers import FormParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ekommune.archive import selectors
from ekommune.archive.api import lists, odata
from ekommune.archive.api.noark import (
    CORS_HEADERS,
    MergePatchParser,
    NoarkParser,
    NoarkRenderer,
    PlainJSONParser,
    PlainJSONRenderer,
    RawFileParser,
    api_base,
    etag_of,
    link,
    noark_exception_handler,
)
from ekommune.archive.api.resources import ENTITIES, PACKAGE_LISTS, Context, Entity, entity_of
from ekommune.core.authentication import BearerTokenAuthentication, TokenScopePermission
from ekommune.core.errors import NotFoundError, ValidationError
from ekommune.core.models import Municipality
from ekommune.core.permissions import Permission
from ekommune.core.services import permission_has

PAGE_SIZE = 10
SEARCH_FIELDS = ("title", "public_title", "description", "name", "text")
MAX_PAGE_SIZE = 1000


class NoarkView(APIView):
    authentication_classes = [BearerTokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated, TokenScopePermission]
    renderer_classes = [NoarkRenderer, PlainJSONRenderer]
    parser_classes = [NoarkParser, PlainJSONParser, MergePatchParser, FormParser, RawFileParser]

    def get_exception_handler(self) -> Any:
        return noark_exception_handler

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        if request.method == "OPTIONS":
            # A CORS preflight carries no credentials (Fetch standard): answer it without login.
            self.format_kwarg = self.get_format_suffix(**kwargs)
            request.accepted_renderer, request.accepted_media_type = self.perform_content_negotiation(
                request, force=True
            )
            return
        super().initial(request, *args, **kwargs)

    def options(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        """The preflight answer: no body, the methods of this address, and the CORS headers."""
        return Response(status=status.HTTP_204_NO_CONTENT, headers={"Allow": ", ".join(self.allowed_methods)})

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        for header, value in CORS_HEADERS.items():
            response[header] = value
        return response

    # -------------------------------------------------------------- helpers
    def municipality(self, request: Request) -> Municipality:
        municipality: Municipality | None = getattr(request._request, "municipality", None)
        if municipality is None:
            raise NotFoundError("Fant ingen kommune på denne adressen.", code="municipality_not_found")
        return municipality

    def context(self, request: Request) -> Context:
        municipality = self.municipality(request)
        return Context(
            base=api_base(request._request),
            can_register=permission_has(
                actor=request.user, municipality=municipality, permission=Permission.ARCHIVE_REGISTER
            ),
            can_manage=permission_has(
                actor=request.user, municipality=municipality, permission=Permission.ARCHIVE_MANAGE
            ),
            can_see_person_numbers=permission_has(
                actor=request.user,
                municipality=municipality,
                permission=Permission.ARCHIVE_VIEW_PERSON_NUMBERS,
            ),
        )

    def entity(self, package: str, name: str) -> Entity:
        entity = ENTITIES.get(name)
        if entity is None or (name not in PACKAGE_LISTS.get(package, []) and package != entity.package):
            raise NotFoundError(f"Ukjent ressurs {package}/{name}.")
        return entity

    def lookup(self, request: Request, entity: Entity, system_id: UUID) -> Any:
        """The object of this type, or of one of its specialisations (``mappe``: also a saksmappe)."""
        for member in lists.members_of(entity):
            objects = selectors.archive_objects(
                actor=request.user, municipality=self.municipality(request), model=member.model
            )
            found = objects.filter(system_id=system_id, **member.scope).first()
            if found is not None:
                return found
        raise NotFoundError(f"Fant ingen {entity.name} med systemID {system_id}.")

    def querysets(self, request: Request, entity: Entity) -> Any:
        """What a list of the type holds: one queryset, or one per table of a general type."""
        found = [
            selectors.archive_objects(
                actor=request.user, municipality=self.municipality(request), model=member.model
            ).filter(**member.scope)
            for member in lists.members_of(entity)
        ]
        return found if entity.members else found[0]

    def detail(self, entity: Entity, obj: Any, ctx: Context, *, status_code: int = 200) -> Response:
        entity = entity_of(obj)  # a mappe may be a saksmappe, a registrering a journalpost
        body = entity.render(obj, ctx)
        if self.request.method == "GET":  # a write's answer gives back what the writer sent
            self.reads_note([obj])
        etag = etag_of(body)  # of the object itself, with or without $expand
        # Only a read expands: a write is done by now, and must not answer 400 for its query string.
        expand = self.expansions(entity) if self.request.method == "GET" else []
        if expand:
            body = expanded(body, obj, ctx, expand, note=self.reads_note)
        response = Response(body, status=status_code, headers={"ETag": etag})
        if status_code == status.HTTP_201_CREATED:
            response["Location"] = entity.self_url(obj, ctx)
        return response

    def listing(self, request: Request, entity: Entity, queryset: Any, ctx: Context) -> Response:
        if isinstance(queryset, list):  # a general type over several tables
            return lists.union_listing(
                request,
                entity,
                queryset,
                ctx,
                page_size=PAGE_SIZE,
                max_page_size=MAX_PAGE_SIZE,
                search_fields=SEARCH_FIELDS,
            )
        params = request.query_params
        filters = odata.visible(entity.filter_fields, private=ctx.can_see_person_numbers)
        queryset = queryset.filter(odata.filter_query(params.get("$filter", ""), filters, entity.model))
        search = params.get("$search", "").strip().strip('"')
        if len(search) > odata.MAX_FILTER_LENGTH or "\x00" in search:
            raise ValidationError("Ugyldig $search.", code="invalid_search", field="$search")
        if search:  # free text over the type's titles, names and descriptions
            model_fields = {field.name for field in entity.model._meta.get_fields()}
            fields = [name for name in SEARCH_FIELDS if name in model_fields]
            if not fields:
                raise ValidationError(
                    f"$search støttes ikke for {entity.name}.", code="invalid_search", field="$search"
                )
            condition = Q()
            for name in fields:
                condition |= Q(**{f"{name}__icontains": search})
            queryset = queryset.filter(condition)
        ordering = odata.order_by(params.get("$orderby", ""), odata.sortable(filters)) or ["pk"]
        top = odata.non_negative(params.get("$top"), "$top", PAGE_SIZE, MAX_PAGE_SIZE)
        skip = odata.non_negative(params.get("$skip"), "$skip", 0)
        total = queryset.count()
        page = list(queryset.order_by(*ordering)[skip : skip + top])
        self_href = request._request.build_absolute_uri()
        links: dict[str, Any] = {"self": link(self_href)}
        if skip + top < total:
            next_params = params.copy()
            next_params["$skip"] = str(skip + top)
            next_params["$top"] = str(top)
            links["next"] = link(
                request._request.build_absolute_uri(request._request.path) + "?" + next_params.urlencode()
            )
        body: dict[str, Any] = {"count": total, "_links": links}
        if page:
            self.reads_note(page)
            expand = self.expansions(entity)
            body["results"] = [
                expanded(entity_of(obj).render(obj, ctx), obj, ctx, expand, note=self.reads_note)
                for obj in page
            ]
        return Response(body)

    def reads_note(self, objects: list[Any]) -> None:
        """The screened registry entries given out in full are read-logged (decision 0226)."""
        selectors.screened_entries_read_note(
            actor=self.request.user, municipality=self.municipality(self.request), objects=objects
        )

    def expansions(self, entity: Entity) -> list[str]:
        """``$expand``: child relations of ``entity``, one level (MaxExpansionDepth 1); else 400."""
        value = self.request.query_params.get("$expand", "")
        if not value:
            return []
        names = [name.strip() for name in value.split(",")]
        for name in names:
            if name not in entity.children:
                offered = ", ".join(sorted(entity.children)) or "ingen"
                raise ValidationError(
                    f"$expand={name} støttes ikke for {entity.name} (ett nivå; mulige: {offered}).",
                    code="invalid_expand",
                    field="$expand",
                )
        return names


def expanded(
    body: dict[str, Any],
    obj: Any,
    ctx: Context,
    expand: list[str],
    note: Callable[[list[Any]], None] | None = None,
) -> dict[str, Any]:
    """The object's body with the child lists of ``expand`` inlined under their relation names;
    ``note`` is told which children were given out (read logging)."""
    entity = entity_of(obj)
    for name in expand:
        child = entity.children.get(name)
        if child is not None:
            found = child[1](obj)
            querysets = found if isinstance(found, list) else [found]  # a general type: several tables
            children = [item for queryset in querysets for item in queryset.order_by("pk")[:MAX_PAGE_SIZE]]
            body[name] = [entity_of(item).render(item, ctx) for item in children[:MAX_PAGE_SIZE]]
            if note is not None:
                note(children[:MAX_PAGE_SIZE])
    return body
