"""The Noark 5 Tjenestegrensesnitt over HTTP. Thin: resolve, check, call a service or selector, render.

The base view is ``base.NoarkView``; file uploads and downloads are in ``files``.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.urls import reverse
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from ekommune import __version__
from ekommune.archive import selectors, services
from ekommune.archive.api import odata
from ekommune.archive.api.attributes import change_attributes
from ekommune.archive.api.base import MAX_PAGE_SIZE, PAGE_SIZE, NoarkView
from ekommune.archive.api.creators import CREATORS, date, new_fonds, template
from ekommune.archive.api.files import BULK_LIMIT, FileView
from ekommune.archive.api.noark import (
    PATCH_MEDIA_TYPES,
    PROTOCOL_VERSION,
    NoarkParser,
    api_base,
    code_value,
    etag_of,
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
    entity_of,
)
from ekommune.archive.models import (
    CaseFile,
    ChangeLogEntry,
    DocumentDescription,
    DocumentObject,
    RegistryEntry,
    Series,
)
from ekommune.core.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from ekommune.core.models import Municipality
from ekommune.core.services import api_token_issue


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
            rel("login/rfc6749/"): link(request._request.build_absolute_uri(reverse("noark:token"))),
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


class TokenView(NoarkView):
    """OAuth 2.0 token endpoint (RFC 6749, resource owner password grant)."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    parser_classes = [FormParser, MultiPartParser, JSONParser, NoarkParser]

    def post(self, request: Request) -> Response:
        data = request.data if hasattr(request.data, "get") else {}
        if data.get("grant_type") != "password":
            return Response({"error": "unsupported_grant_type"}, status=status.HTTP_400_BAD_REQUEST)
        try:
            token, lifetime, municipality = api_token_issue(
                request=request._request,
                username=str(data.get("username", "")),
                password=str(data.get("password", "")),
                municipality=getattr(request._request, "municipality", None),
            )
        except (PermissionDeniedError, ValidationError) as error:
            return Response(
                {"error": "invalid_grant", "error_description": error.message},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(
            {
                "access_token": token,
                "token_type": "Bearer",
                "expires_in": lifetime,
                "municipality": municipality.slug,
            },
            headers={"Cache-Control": "no-store"},
        )


class PackageView(NoarkView):
    def get(self, request: Request, package: str) -> Response:
        ctx = self.context(request)
        if package == "loggingogsporing":
            links = {rel("loggingogsporing/endringslogg/"): link(ctx.url("loggingogsporing", "endringslogg"))}
        elif package == "metadata":
            links = {rel(f"metadata/{name}/"): link(ctx.url("metadata", name)) for name in METADATA}
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
    def get(self, request: Request, name: str) -> Response:
        code_list = METADATA.get(name)
        if code_list is None:
            raise NotFoundError(f"Ukjent kodeliste {name}.")
        self_href = api_base(request._request) + f"metadata/{name}/"
        results = [
            {"kode": kode, "kodenavn": navn, "_links": {"self": link(self_href)}}
            for kode, navn in code_list.values
        ]
        return Response({"count": len(results), "results": results, "_links": {"self": link(self_href)}})


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
        return Response(template("arkiv"))

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
        entity = self.entity(package, name)
        obj = self.lookup(request, entity, system_id)
        entity = entity_of(obj)
        ctx = self.context(request)
        if_match = request.headers.get("If-Match")
        if if_match and if_match != etag_of(entity.render(obj, ctx)):
            raise ConflictError(
                "Objektet er endret av noen andre siden du hentet det (ETag stemmer ikke).",
                code="etag_mismatch",
            )
        data = json_object(request, media_types=PATCH_MEDIA_TYPES)
        updated = apply_patch(obj, data, request, self.municipality(request))
        return self.detail(entity, updated, ctx)

    put = patch

    def delete(self, request: Request, package: str, name: str, system_id: UUID) -> Response:
        entity = self.entity(package, name)
        obj = self.lookup(request, entity, system_id)
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


def apply_patch(obj: Any, data: dict[str, Any], request: Request, municipality: Municipality) -> Any:
    """The changes the archive allows through the API, each through its service."""
    actor = request.user
    changes = {key for key in data if not key.startswith("_") and key != "systemID"}
    if isinstance(obj, RegistryEntry):
        status_code = code_value(data, "journalstatus")
        if "tittel" in data and data["tittel"] != obj.title:
            obj = services.registry_entry_update_title(
                actor=actor, municipality=municipality, entry=obj, title=str(data["tittel"])
            )
        if status_code and status_code != obj.status:
            obj = services.registry_entry_set_status(
                actor=actor, municipality=municipality, entry=obj, status=status_code
            )
        changes -= {"tittel", "journalstatus"}
    elif isinstance(obj, DocumentDescription):
        if code_value(data, "dokumentstatus") == "F" and obj.status != "F":
            obj = services.document_finalise(actor=actor, municipality=municipality, document=obj)
        changes -= {"dokumentstatus"} if code_value(data, "dokumentstatus") in {"F", obj.status} else set()
    elif isinstance(obj, CaseFile):
        if code_value(data, "saksstatus") == "A" and obj.case_status != "A":
            obj = services.case_file_conclude(actor=actor, municipality=municipality, case_file=obj)
        changes -= {"saksstatus"} if code_value(data, "saksstatus") in {"A", obj.case_status} else set()
    elif isinstance(obj, Series):
        if code_value(data, "arkivdelstatus") == "P" and obj.status != "P":
            end = date(data, "arkivperiodeSluttDato")
            if end is None:
                raise ValidationError(
                    "arkivperiodeSluttDato må fylles ut.", code="required", field="arkivperiodeSluttDato"
                )
            obj = services.series_close(actor=actor, municipality=municipality, series=obj, period_end=end)
        changes -= {"arkivdelstatus", "arkivperiodeSluttDato"}
    unchanged = {key for key in changes if _same(obj, key, data[key])}
    if changes - unchanged:
        field = sorted(changes - unchanged)[0]
        raise ValidationError(
            f"Feltet {field} kan ikke endres her.", code="field_not_changeable", field=field
        )
    return obj


def _same(obj: Any, key: str, value: Any) -> bool:
    current = entity_of(obj).attributes(obj).get(key)
    return bool(
        current == value
        or (
            isinstance(current, dict) and isinstance(value, dict) and current.get("kode") == value.get("kode")
        )
    )


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
            return Response(template(creator[1]))
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
        created = creator[0](obj, json_object(request), request.user, municipality)  # type: ignore[arg-type]
        return self.detail(
            ENTITIES[creator[1]], created, self.context(request), status_code=status.HTTP_201_CREATED
        )
