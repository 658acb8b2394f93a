"""Reads of the portal, always within one municipality; staff reads behind their permission,
citizen reads limited to the citizen's own rows."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Iterable
from typing import IO, Any

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
    LetterTemplate,
    LifeEvent,
    MailboxMessage,
    NoticePreference,
    PortalSettings,
    Service,
    Submission,
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
        "portal.service", f"{municipality.pk}/{slug}", load, ttl=SERVICE_TTL_SECONDS, keep_missing=False
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
        lookup_cache.remembered(
            "portal.form_version", str(form_id), latest, ttl=SERVICE_TTL_SECONDS, keep_missing=False
        )
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


# ------------------------------------------------------------------ inbox (staff)


def inbox(
    *,
    actor: Actor,
    municipality: Municipality,
    service_id: int | None = None,
    status: str = "",
    mine: bool = False,
) -> QuerySet[Submission]:
    permission_require(actor=actor, municipality=municipality, permission=Permission.PORTAL_HANDLE)
    found = Submission.objects.filter(municipality=municipality).select_related(
        "service", "citizen", "assigned_to"
    )
    if service_id:
        found = found.filter(service_id=service_id)
    if status:
        found = found.filter(status=status)
    if mine:
        found = found.filter(assigned_to_id=actor.pk if actor is not None else 0)
    return found.order_by("-submitted_at")


def inbox_counts(*, actor: Actor, municipality: Municipality) -> list[dict[str, Any]]:
    """New (received) and open submissions per service, for the inbox's overview."""
    permission_require(actor=actor, municipality=municipality, permission=Permission.PORTAL_HANDLE)
    rows = (
        Submission.objects.filter(municipality=municipality)
        .values("service_id", "service__title")
        .annotate(
            received=Count("pk", filter=Q(status=Submission.Status.RECEIVED)),
            open=Count("pk", filter=~Q(status=Submission.Status.DECIDED)),
        )
        .order_by("service__title")
    )
    return [dict(row) for row in rows]


def submission_for_staff(*, actor: Actor, municipality: Municipality, pk: int) -> Submission:
    found = inbox(actor=actor, municipality=municipality).filter(pk=pk).first()
    if found is None:
        raise NotFoundError("Fant ikke innsendingen.")
    return found


def submission_files(
    *, actor: Actor, municipality: Municipality, submission: Submission
) -> list[archive_selectors.EntryFile]:
    """The files of the submission's incoming entry (form PDF, JSON, attachments), in document order,
    read through the archive with the case worker's rights."""
    permission_require(actor=actor, municipality=municipality, permission=Permission.PORTAL_HANDLE)
    return archive_selectors.registry_entry_files(
        actor=actor, municipality=municipality, entry_system_id=submission.registry_entry_system_id
    )


def submission_file_content(
    *, actor: Actor, municipality: Municipality, submission: Submission, system_id: uuid.UUID
) -> tuple[archive_selectors.EntryFile, IO[bytes]]:
    """One file of the submission's entry, opened through the archive with the case worker's rights."""
    found = next(
        (
            f
            for f in submission_files(actor=actor, municipality=municipality, submission=submission)
            if f.system_id == system_id
        ),
        None,
    )
    document_object = (
        archive_selectors.document_object_by_system_id(
            actor=actor, municipality=municipality, system_id=system_id
        )
        if found is not None
        else None
    )
    if found is None or document_object is None:
        raise NotFoundError("Fant ikke filen.")
    return found, archive_selectors.document_object_open(
        actor=actor, municipality=municipality, document_object=document_object
    )


def letter_templates(*, municipality: Municipality) -> QuerySet[LetterTemplate]:
    return LetterTemplate.objects.filter(municipality=municipality).order_by("name")


def case_workers(*, actor: Actor, municipality: Municipality) -> list[Any]:
    """Staff who may be given submissions (case workers and records managers), not system accounts."""
    permission_require(actor=actor, municipality=municipality, permission=Permission.PORTAL_HANDLE)
    from django.contrib.auth import get_user_model

    system_ids = PortalSettings.objects.filter(municipality=municipality).values_list(
        "system_user_id", flat=True
    )
    return list(
        get_user_model()
        .objects.filter(
            memberships__municipality=municipality,
            memberships__role__in=["case_worker", "records_manager"],
            is_active=True,
        )
        .exclude(pk__in=system_ids)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def document_content(*, municipality: Municipality, document_system_id: uuid.UUID) -> IO[bytes]:
    """The content of an archive document the portal delivered (a receipt, a letter).

    Read through the archive in the name of the portal's system account; the caller has checked
    that the document belongs to the citizen (``submission_of_citizen``, ``mailbox_message_of_citizen``).
    """
    settings_row = (
        PortalSettings.objects.filter(municipality=municipality).select_related("system_user").first()
    )
    if settings_row is None:
        raise NotFoundError("Tjenestetorget er ikke satt opp.", code="portal_not_configured")
    document_object = archive_selectors.document_object_by_system_id(
        actor=settings_row.system_user, municipality=municipality, system_id=document_system_id
    )
    if document_object is None:
        raise NotFoundError("Fant ikke dokumentet i arkivet.")
    return archive_selectors.document_object_open(
        actor=settings_row.system_user, municipality=municipality, document_object=document_object
    )


# ------------------------------------------------------------------ Min side (the citizen's own)


def submissions_of_citizen(*, municipality: Municipality, citizen: Any) -> QuerySet[Submission]:
    return (
        Submission.objects.filter(municipality=municipality, citizen=citizen)
        .select_related("service")
        .order_by("-submitted_at")
    )


def submission_of_citizen(*, municipality: Municipality, citizen: Any, system_id: Any) -> Submission:
    found = (
        submissions_of_citizen(municipality=municipality, citizen=citizen).filter(system_id=system_id).first()
    )
    if found is None:
        raise NotFoundError("Fant ikke innsendingen.")
    return found


def drafts_of_citizen(*, municipality: Municipality, citizen: Any) -> QuerySet[Draft]:
    return (
        Draft.objects.filter(municipality=municipality, citizen=citizen)
        .select_related("service")
        .order_by("-updated_at")
    )


def mailbox_of_citizen(*, municipality: Municipality, citizen: Any) -> QuerySet[MailboxMessage]:
    return (
        MailboxMessage.objects.filter(municipality=municipality, citizen=citizen)
        .select_related("submission", "submission__service")
        .order_by("-sent_at")
    )


def mailbox_message_of_citizen(*, municipality: Municipality, citizen: Any, system_id: Any) -> MailboxMessage:
    found = mailbox_of_citizen(municipality=municipality, citizen=citizen).filter(system_id=system_id).first()
    if found is None:
        raise NotFoundError("Fant ikke brevet.")
    return found


def notice_preference(*, municipality: Municipality, citizen: Any) -> NoticePreference | None:
    return NoticePreference.objects.filter(municipality=municipality, citizen=citizen).first()


def notice_address(*, municipality_id: int, citizen_id: int, fallback: str) -> str:
    """Where the citizen wants notices ("" when they said no)."""
    preference = NoticePreference.objects.filter(
        municipality_id=municipality_id, citizen_id=citizen_id
    ).first()
    if preference is None:
        return fallback
    if not preference.notify_by_email:
        return ""
    return preference.email or fallback
