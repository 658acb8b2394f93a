"""The Noark 5 Tjenestegrensesnitt over HTTP. Thin: resolve, check, call a service or selector, render.

The base view is ``base.NoarkView``; file uploads and downloads are in ``files``.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.urls import reverse
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from ekommune import __version__
from ekommune.archive import codelists as cl
from ekommune.archive import selectors, services
from ekommune.archive.api import odata
from ekommune.archive.api.attributes import change_attributes
from ekommune.archive.api.base import MAX_PAGE_SIZE, PAGE_SIZE, NoarkView
from ekommune.archive.api.creators import CREATORS, new_fonds, template, text
from ekommune.archive.api.files import BULK_LIMIT, FileView
from ekommune.archive.api.noark import (
    PATCH_MEDIA_TYPES,
    PROTOCOL_VERSION,
    api_base,
    json_object,
    link,
    rel,
    sorted_links,
)
from ekommune.archive.api.resources import (
    ALIASES,
    CHANGE_LOG_FILTERS,
    ENTITIES,
    METADATA,
    PACKAGE_LISTS,
    Context,
    Entity,
    entity_of,
)
from ekommune.archive.api.updates import apply_patch, if_match_check, replacement
from ekommune.archive.models import (
    ChangeLogEntry,
    CodeListExtension,
    DocumentObject,
    RegistryEntry,
)
from ekommune.core.errors import ConflictError, NotFoundError

BUSINESS_METADATA = "virksomhetsspesifikkeMetadata"


class RootView(NoarkView):
    """The entry point: the only address a client needs. No login needed to read it."""

    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        base = api_base(request._request)
        links = {
            "self": link(base),
            rel("arkivstruktur/"): link(base + "arkivstruktur/"),
            rel("sakarkiv/"): link(base + "sakarkiv/"),
            rel("metadata/"): link(base + "metadata/"),
            rel("admin/system/"): link(base + "admin/system/"),
            rel("loggingogsporing/"): link(base + "loggingogsporing/"),
            rel("login/oidc/"): link(
                request._request.build_absolute_uri(reverse("noark:openid-configuration"))
            ),
            rel("login/rfc6749/"): link(request._request.build_absolute_uri(reverse("noark:token"))),
            rel("logout/rfc6749/"): link(request._request.build_absolute_uri(reverse("noark:revoke"))),
        }
        return Response({"_links": sorted_links(links)})


class SystemView(NoarkView):
    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        return Response(
            {
                "leverandoer": "ekommune",
                "produkt": "ekommune arkivkjerne",
                "versjon": __version__,
                "versjonsdato": "2026-11-25",
                "protokollversjon": PROTOCOL_VERSION,
                "bulkgrense": BULK_LIMIT,
                "_links": {"self": link(api_base(request._request) + "admin/system/")},
            }
        )


class PackageView(NoarkView):
    def get(self, request: Request, package: str) -> Response:
        ctx = self.context(request)
        if package == "loggingogsporing":
            links = {rel("loggingogsporing/endringslogg/"): link(ctx.url("loggingogsporing", "endringslogg"))}
        elif package == "metadata":
            names = [*METADATA, BUSINESS_METADATA]
            links = {rel(f"metadata/{name}/"): link(ctx.url("metadata", name)) for name in names}
            if ctx.can_manage:
                for name in cl.EXTENSIBLE_CODE_LISTS:
                    links[rel(f"metadata/ny-{name}/")] = link(ctx.url("metadata", f"ny-{name}"))
        elif package in PACKAGE_LISTS:
            names = PACKAGE_LISTS[package]
            links = {
                rel(f"{package}/{name}/"): link(ctx.url(package, name), templated=False) for name in names
            }
            if package == "arkivstruktur" and ctx.can_manage:
                links[rel("arkivstruktur/ny-arkiv/")] = link(ctx.url("arkivstruktur", "ny-arkiv"))
        else:
            raise NotFoundError(f"Ukjent pakke {package}.")
        links["self"] = link(ctx.url(package))
        return Response({"_links": sorted_links(links)})


class CodeListView(NoarkView):
    """``metadata/<kodeliste>/``: the standard's codes and the municipality's own;
    ``metadata/ny-<kodeliste>/``: a template (GET) and a new code (POST, records manager)."""

    def get(self, request: Request, name: str) -> Response:
        base = api_base(request._request)
        if name.startswith("ny-"):
            list_name = self.code_list_name(name.removeprefix("ny-"))
            list_href = f"{base}metadata/{list_name}/"
            return Response(
                {"kode": "", "kodenavn": "", "_links": {rel(f"metadata/{list_name}/"): link(list_href)}}
            )
        self_href = f"{base}metadata/{name}/"
        if name == BUSINESS_METADATA:  # the catalogue of virksomhetsspesifikke metadata: none defined
            return Response({"count": 0, "_links": {"self": link(self_href)}})
        code_list = METADATA[self.code_list_name(name)]
        own = selectors.archive_objects(
            actor=request.user, municipality=self.municipality(request), model=CodeListExtension
        ).filter(code_list=name)
        values = [*code_list.values, *own.order_by("code").values_list("code", "name")]
        results = [
            {"kode": kode, "kodenavn": navn, "_links": {"self": link(self_href)}} for kode, navn in values
        ]
        body: dict[str, Any] = {"count": len(results), "_links": {"self": link(self_href)}}
        if results:
            body["results"] = results
        return Response(body)

    def post(self, request: Request, name: str) -> Response:
        if not name.startswith("ny-"):
            raise NotFoundError(f"Ukjent ressurs metadata/{name}.")
        list_name = self.code_list_name(name.removeprefix("ny-"))
        data = json_object(request)
        created = services.code_list_extend(
            actor=request.user,
            municipality=self.municipality(request),
            code_list=list_name,
            code=text(data, "kode", limit=60, required=True),
            name=text(data, "kodenavn", limit=200, required=True),
        )
        list_href = api_base(request._request) + f"metadata/{list_name}/"
        body = {
            "kode": created.code,
            "kodenavn": created.name,
            "_links": {"self": link(list_href), rel(f"metadata/{list_name}/"): link(list_href)},
        }
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": list_href})

    def code_list_name(self, name: str) -> str:
        if name not in METADATA:
            raise NotFoundError(f"Ukjent kodeliste {name}.")
        return name


class ChangeLogView(NoarkView):
    """loggingogsporing/endringslogg/: the Noark change log, newest last, with $filter and paging."""

    def get(self, request: Request) -> Response:
        queryset = selectors.archive_objects(
            actor=request.user, municipality=self.municipality(request), model=ChangeLogEntry
        )
        params = request.query_params
        queryset = queryset.filter(
            odata.filter_query(params.get("$filter", ""), CHANGE_LOG_FILTERS, ChangeLogEntry)
        )
        top = odata.non_negative(params.get("$top"), "$top", PAGE_SIZE, MAX_PAGE_SIZE)
        skip = odata.non_negative(params.get("$skip"), "$skip", 0)
        total = queryset.count()
        page = queryset.order_by("changed_at", "pk")[skip : skip + top]
        body: dict[str, Any] = {
            "count": total,
            "_links": {"self": link(request._request.build_absolute_uri())},
        }
        if total > skip:
            body["results"] = [change_attributes(change) for change in page]
        return Response(body)


class NewFondsView(NoarkView):
    def get(self, request: Request) -> Response:
        return Response(template_body("arkiv", self.context(request)))

    def post(self, request: Request) -> Response:
        fonds = new_fonds(None, self.body(request), request.user, self.municipality(request))  # type: ignore[arg-type]
        return self.detail(
            ENTITIES["arkiv"], fonds, self.context(request), status_code=status.HTTP_201_CREATED
        )

    def body(self, request: Request) -> dict[str, Any]:
        return json_object(request)


class ListView(NoarkView):
    def get(self, request: Request, package: str, name: str) -> Response:
        entity = self.entity(package, name)
        return self.listing(request, entity, self.querysets(request, entity), self.context(request))


class DetailView(NoarkView):
    def get(self, request: Request, package: str, name: str, system_id: UUID) -> Response:
        entity = self.entity(package, name)
        return self.detail(entity, self.lookup(request, entity, system_id), self.context(request))

    def patch(self, request: Request, package: str, name: str, system_id: UUID) -> Response:
        """PATCH merges (RFC 7386); PUT replaces the whole object (decision 0152). Both need If-Match."""
        entity = self.entity(package, name)
        obj = self.lookup(request, entity, system_id)
        entity = entity_of(obj)
        ctx = self.context(request)
        if_match_check(request, entity.render(obj, ctx))
        body = json_object(request, media_types=PATCH_MEDIA_TYPES)
        data = replacement(entity, obj, body) if request.method == "PUT" else body
        updated = apply_patch(obj, data, request, self.municipality(request))
        return self.detail(entity, updated, ctx)

    put = patch

    def delete(self, request: Request, package: str, name: str, system_id: UUID) -> Response:
        entity = self.entity(package, name)
        obj = self.lookup(request, entity, system_id)
        if_match_check(request, entity.render(obj, self.context(request)))
        municipality = self.municipality(request)
        if isinstance(obj, RegistryEntry):
            services.registry_entry_delete(actor=request.user, municipality=municipality, entry=obj)
        elif isinstance(obj, DocumentObject):
            services.document_object_delete(
                actor=request.user, municipality=municipality, document_object=obj
            )
        else:
            raise ConflictError(f"{entity.name} kan ikke slettes gjennom API-et.", code="not_deletable")
        return Response(status=status.HTTP_204_NO_CONTENT)


def template_body(
    result_entity: str, ctx: Context, parent: tuple[Entity, Any] | None = None
) -> dict[str, Any]:
    """The template of a ny-* relation (no ``self``: it is no object yet), with ``_links`` to its
    code lists and to the object the new one will belong to."""
    body = template(result_entity)
    links = {
        rel(f"metadata/{name}/"): link(ctx.url("metadata", name))
        for name in ENTITIES[result_entity].code_lists
    }
    if parent is not None:
        entity, obj = parent
        links[rel(f"{entity.package}/{entity.name}/")] = link(entity.self_url(obj, ctx))
    else:
        links[rel("arkivstruktur/arkiv/")] = link(ctx.url("arkivstruktur", "arkiv"))
    body["_links"] = sorted_links(links)
    return body


class SubView(FileView):
    """Children of an object (``.../arkivdel/``), its ny-* relations, and files (``.../fil/``)."""

    def get(self, request: Request, package: str, name: str, system_id: UUID, sub: str) -> Any:
        obj = self.lookup(request, self.entity(package, name), system_id)
        entity = entity_of(obj)
        ctx = self.context(request)
        if sub == "fil":
            return self.download(request, obj)
        if sub.startswith("ny-"):
            creator = CREATORS.get((entity.name, sub))
            if creator is None:
                raise NotFoundError(f"{entity.name} har ingen relasjon {sub}.")
            return Response(template_body(creator[1], ctx, parent=(entity, obj)))
        # By the relation's own name (``registrering``), or by the children's type (``journalpost``).
        wanted = {sub, ALIASES.get(sub, sub)}
        child = entity.children.get(sub) or next(
            (c for c in entity.children.values() if c[0] in wanted), None
        )
        if child is None:
            raise NotFoundError(f"{entity.name} har ingen relasjon {sub}.")
        child_entity = ENTITIES[child[0]]
        return self.listing(request, child_entity, child[1](obj), ctx)

    def post(self, request: Request, package: str, name: str, system_id: UUID, sub: str) -> Response:
        obj = self.lookup(request, self.entity(package, name), system_id)
        entity = entity_of(obj)
        municipality = self.municipality(request)
        if sub == "fil":
            return self.upload(request, obj, municipality)
        creator = CREATORS.get((entity.name, sub))
        if creator is None:
            raise NotFoundError(f"{entity.name} har ingen relasjon {sub}.")
        result = creator[0](obj, json_object(request), request.user, municipality)  # type: ignore[arg-type]
        created, is_new = result if isinstance(result, tuple) else (result, True)
        if not is_new:  # the object the request describes is there already: 200 and where it is
            response = self.detail(ENTITIES[creator[1]], created, self.context(request))
            response["Location"] = ENTITIES[creator[1]].self_url(created, self.context(request))
            return response
        return self.detail(
            ENTITIES[creator[1]], created, self.context(request), status_code=status.HTTP_201_CREATED
        )
