"""Reads of the catalogue (public and staff) and of forms, form versions and drafts to start."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db.models import Count, Q, QuerySet

from ekommune.archive import selectors as archive_selectors
from ekommune.core import lookup_cache
from ekommune.core.errors import NotFoundError
from ekommune.core.models import Municipality
from ekommune.core.permissions import Permission
from ekommune.core.services import Actor, permission_require
from ekommune.portal import engine
from ekommune.portal.models import (
    Draft,
    FormDefinition,
    FormVersion,
    LifeEvent,
    Service,
    Topic,
)
from ekommune.portal.types import FormVersionInfo, ServiceGroup

SEARCH_CONFIG = "norwegian"


# ------------------------------------------------------------------ catalogue (public)


def service_search(
    *, municipality: Municipality, query: str = "", life_event: str = "", topic: str = ""
) -> QuerySet[Service]:
    """Published services, ranked by a full-text match (PostgreSQL, ``norwegian``) when asked."""
    services = Service.objects.filter(municipality=municipality, is_published=True)
    if life_event:
        services = services.filter(life_event=life_event)
    if topic:
        services = services.filter(topic=topic)
    query = query.strip()[:200]
    if query:
        vector = (
            SearchVector("title", weight="A", config=SEARCH_CONFIG)
            + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
            + SearchVector("description", "who_may_apply", weight="C", config=SEARCH_CONFIG)
        )
        search = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
        services = (
            services.annotate(rank=SearchRank(vector, search))
            .filter(Q(rank__gt=0) | Q(title__icontains=query))
            .order_by("-rank", "title")
        )
    else:
        services = services.order_by("title")
    return services


def services_grouped(services: Iterable[Service], *, by: str = "life_event") -> list[ServiceGroup]:
    """Services grouped by life event (or topic), in the order of the choices."""
    choices = LifeEvent.choices if by == "life_event" else Topic.choices
    listed = list(services)
    groups = []
    for key, label in choices:
        members = [service for service in listed if getattr(service, by) == key]
        if members:
            groups.append(ServiceGroup(key=key, label=str(label), services=members))
    return groups


SERVICE_TTL_SECONDS = 10.0


def service_published(*, municipality: Municipality, slug: str) -> Service:
    """A published service of the catalogue, remembered per process for a few seconds (every form
    page asks for it). Editing a service clears the memory in the editing process at commit; the
    other web processes follow within ``SERVICE_TTL_SECONDS`` (docs/decisions/0035)."""

    def load() -> Service | None:
        return Service.objects.filter(municipality=municipality, slug=slug, is_published=True).first()

    service: Service | None = lookup_cache.remembered(
        "portal.service", f"{municipality.pk}/{slug}", load, ttl=SERVICE_TTL_SECONDS
    )
    if service is None:
        raise NotFoundError("Fant ikke tjenesten.")
    return service


# ------------------------------------------------------------------ forms


@functools.lru_cache(maxsize=1024)
def _form_version_info(version_id: int) -> FormVersionInfo:
    number, form_slug, raw = FormVersion.objects.values_list("number", "form__slug", "definition").get(
        pk=version_id
    )
    return FormVersionInfo(
        pk=version_id, number=number, form_slug=form_slug, definition=engine.definition_parse(raw)
    )


def form_version_info(*, version_id: int) -> FormVersionInfo:
    """A form version, read and parsed once per process: versions never change (a trigger refuses
    updates) and a form's short name is set when it is made. Drafts and submissions therefore load
    without their version; this gives it by id."""
    return _form_version_info(version_id)


def form_definitions_forget() -> None:
    """Forget the parsed versions (tests that reset id sequences)."""
    _form_version_info.cache_clear()


def service_form_version(*, municipality: Municipality, service: Service) -> FormVersionInfo:
    """The version of the service's form that new drafts get: the latest (remembered like the
    service; a new version clears the memory when it commits)."""
    if service.municipality_id != municipality.pk or not service.is_published:
        raise NotFoundError("Fant ikke tjenesten.")
    form_id = service.form_id

    def latest() -> int | None:
        return (
            FormVersion.objects.filter(form_id=form_id)
            .order_by("-number")
            .values_list("pk", flat=True)
            .first()
        )

    version_id: int | None = (
        lookup_cache.remembered("portal.form_version", str(form_id), latest, ttl=SERVICE_TTL_SECONDS)
        if form_id is not None
        else None
    )
    if version_id is None:
        raise NotFoundError("Tjenesten har ikke noe skjema.", code="no_form")
    return form_version_info(version_id=version_id)


def new_draft_values(
    *, municipality: Municipality, service: Service, citizen: Any, organisation_number: str
) -> tuple[FormVersionInfo, dict[str, Any]]:
    """The form version a new draft gets and its values prefilled from the login: what the form
    page shows before the citizen has saved anything."""
    version = service_form_version(municipality=municipality, service=service)
    values = engine.prefill_values(
        version.definition,
        {
            "pid": citizen.national_identity_number,
            "name": citizen.name,
            "organisation_number": organisation_number,
        },
    )
    return version, values


def draft_of_citizen(*, municipality: Municipality, citizen: Any, service: Service) -> Draft | None:
    """The citizen's draft of the service's form, if they have saved one."""
    return Draft.objects.filter(municipality=municipality, citizen=citizen, service=service).first()


# ------------------------------------------------------------------ catalogue (staff)


def services_for_staff(*, actor: Actor, municipality: Municipality) -> QuerySet[Service]:
    permission_require(actor=actor, municipality=municipality, permission=Permission.PORTAL_MANAGE)
    return Service.objects.filter(municipality=municipality).select_related("form").order_by("title")


def service_for_staff(*, actor: Actor, municipality: Municipality, pk: int) -> Service:
    found = services_for_staff(actor=actor, municipality=municipality).filter(pk=pk).first()
    if found is None:
        raise NotFoundError("Fant ikke tjenesten.")
    return found


def forms_for_staff(*, actor: Actor, municipality: Municipality) -> QuerySet[FormDefinition]:
    permission_require(actor=actor, municipality=municipality, permission=Permission.PORTAL_MANAGE)
    return (
        FormDefinition.objects.filter(municipality=municipality)
        .annotate(version_count=Count("versions"))
        .order_by("title")
    )


def form_for_staff(*, actor: Actor, municipality: Municipality, pk: int) -> FormDefinition:
    found = forms_for_staff(actor=actor, municipality=municipality).filter(pk=pk).first()
    if found is None:
        raise NotFoundError("Fant ikke skjemaet.")
    return found


def service_choices(
    *, actor: Actor, municipality: Municipality
) -> tuple[QuerySet[FormDefinition], QuerySet[Any], QuerySet[Any]]:
    """The municipality's forms, and the archive's series and classes, for the service form's choices."""
    return (
        FormDefinition.objects.filter(municipality=municipality).order_by("title"),
        archive_selectors.series_list(actor=actor, municipality=municipality),
        archive_selectors.class_list(actor=actor, municipality=municipality),
    )


def service_archive_target(*, actor: Actor, municipality: Municipality, service: Service) -> tuple[Any, Any]:
    """The archive's series and class (or None) that the service's systemIDs name, read through the
    archive with the actor's rights; a systemID the archive no longer knows gives None."""
    series = (
        archive_selectors.series_list(actor=actor, municipality=municipality)
        .filter(system_id=service.archive_series_system_id)
        .first()
        if service.archive_series_system_id is not None
        else None
    )
    archive_class = (
        archive_selectors.class_list(actor=actor, municipality=municipality)
        .filter(system_id=service.archive_class_system_id)
        .first()
        if service.archive_class_system_id is not None
        else None
    )
    return series, archive_class


def submission_archive_target(
    *, actor: Actor, municipality: Municipality, service: Service
) -> tuple[Any, Any] | None:
    """Where a new case of the service goes: the archive's series and class (or None for no class),
    remembered per process for a few seconds like the service itself (every submit asks; decision
    0035). None when the archive knows the series or the class the service names no more.

    Safe to remember: the archive reads the series again, under lock, when it opens the case, and
    refuses a closed one; the key holds the service's systemIDs, so a changed service finds anew.
    """
    permission_require(actor=actor, municipality=municipality, permission=Permission.ARCHIVE_READ)

    def load() -> tuple[Any, Any] | None:
        series, archive_class = service_archive_target(
            actor=actor, municipality=municipality, service=service
        )
        if series is None or (service.archive_class_system_id is not None and archive_class is None):
            return None
        return series, archive_class

    target: tuple[Any, Any] | None = lookup_cache.remembered(
        "portal.archive_target",
        f"{municipality.pk}/{service.archive_series_system_id}/{service.archive_class_system_id}",
        load,
        ttl=SERVICE_TTL_SECONDS,
    )
    return target
