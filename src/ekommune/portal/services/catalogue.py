"""The catalogue, forms and letter templates (staff with ``portal.manage``)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction

from ekommune.core import lookup_cache
from ekommune.core import services as core_services
from ekommune.core.errors import ConflictError, NotFoundError, ValidationError
from ekommune.core.models import Municipality
from ekommune.core.permissions import Permission
from ekommune.core.services import Actor
from ekommune.portal import engine, selectors
from ekommune.portal.models import (
    FormDefinition,
    FormVersion,
    LetterTemplate,
    Service,
)
from ekommune.portal.services.common import (
    SERVICE_FIELDS,
    _full_clean,
)

# ------------------------------------------------------------------ catalogue


ARCHIVE_FIELDS = {"archive_series": "archive_series_system_id", "archive_class": "archive_class_system_id"}


def _stored_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """A service's values as its row holds them: the archive's series and class by systemID."""
    stored = {}
    for name, value in values.items():
        if name not in ARCHIVE_FIELDS:
            stored[name] = value
            continue
        system_id = getattr(value, "system_id", None)
        if value is not None and not isinstance(system_id, uuid.UUID):
            raise ValidationError("Velg et objekt fra arkivet.", code="invalid", field=name)
        stored[ARCHIVE_FIELDS[name]] = system_id
    return stored


def _check_service_refs(
    *, actor: Actor, municipality: Municipality, service: Service, values: Mapping[str, Any]
) -> None:
    """The form, series and class are the municipality's, and the class is of the series' scheme.

    ``values`` holds the series and class given now; those kept from before are read through the
    archive by their systemIDs.
    """
    given = {"form": service.form, **{name: values[name] for name in ARCHIVE_FIELDS if name in values}}
    for name, related in given.items():
        if related is not None and related.municipality_id != municipality.pk:
            raise ValidationError(
                "Objektet hører til en annen kommune.", code="wrong_municipality", field=name
            )
    if service.archive_series_system_id is None or service.archive_class_system_id is None:
        return
    series, archive_class = given.get("archive_series"), given.get("archive_class")
    if series is None or archive_class is None:
        stored_series, stored_class = selectors.service_archive_target(
            actor=actor, municipality=municipality, service=service
        )
        series, archive_class = series or stored_series, archive_class or stored_class
    if (
        series is not None
        and archive_class is not None
        and archive_class.classification_system_id != series.classification_system_id
    ):
        raise ValidationError(
            "Klassen hører ikke til arkivdelens klassifikasjonssystem.",
            code="wrong_class",
            field="archive_class",
        )


def service_create(*, actor: Actor, municipality: Municipality, values: Mapping[str, Any]) -> Service:
    """Add a service to the catalogue (staff with ``portal.manage``)."""
    core_services.permission_require(
        actor=actor, municipality=municipality, permission=Permission.PORTAL_MANAGE
    )
    unknown = set(values) - set(SERVICE_FIELDS)
    if unknown:
        raise ValidationError(f"Ukjente felt: {', '.join(sorted(unknown))}.", field=sorted(unknown)[0])
    service = Service(municipality=municipality, **_stored_values(values))
    _full_clean(service, exclude=["municipality"])
    _check_service_refs(actor=actor, municipality=municipality, service=service, values=values)
    with transaction.atomic():
        try:
            with transaction.atomic():
                service.save()
        except IntegrityError as exc:
            raise ConflictError("Kortnavnet er allerede i bruk.", code="conflict", field="slug") from exc
        core_services.audit_event_record(
            actor=actor,
            municipality=municipality,
            action="portal.service.create",
            object_type="tjeneste",
            object_id=service.pk,
            detail={"slug": service.slug},
        )
    return service


def service_update(
    *, actor: Actor, municipality: Municipality, service: Service, values: Mapping[str, Any]
) -> Service:
    core_services.permission_require(
        actor=actor, municipality=municipality, permission=Permission.PORTAL_MANAGE
    )
    unknown = set(values) - set(SERVICE_FIELDS)
    if unknown:
        raise ValidationError(f"Ukjente felt: {', '.join(sorted(unknown))}.", field=sorted(unknown)[0])
    with transaction.atomic():
        locked = Service.objects.select_for_update().filter(pk=service.pk, municipality=municipality).first()
        if locked is None:
            raise NotFoundError("Fant ikke tjenesten.")
        for name, value in _stored_values(values).items():
            setattr(locked, name, value)
        _full_clean(locked, exclude=["municipality"])
        _check_service_refs(actor=actor, municipality=municipality, service=locked, values=values)
        try:
            with transaction.atomic():
                locked.save()
        except IntegrityError as exc:
            raise ConflictError("Kortnavnet er allerede i bruk.", code="conflict", field="slug") from exc
        core_services.audit_event_record(
            actor=actor,
            municipality=municipality,
            action="portal.service.update",
            object_type="tjeneste",
            object_id=locked.pk,
            detail={"fields": sorted(values)},
        )
        lookup_cache.clear_on_commit()  # service_published remembers services for a few seconds
    return locked


# ------------------------------------------------------------------ forms


def _definition_checked(definition: Any) -> engine.Definition:
    try:
        return engine.definition_parse(definition)
    except engine.DefinitionError as error:
        raise ValidationError(str(error), code="invalid_definition", field="definition") from error


def form_definition_create(
    *, actor: Actor, municipality: Municipality, slug: str, title: str, definition: Any
) -> FormDefinition:
    """A new form with its first version (staff with ``portal.manage``)."""
    core_services.permission_require(
        actor=actor, municipality=municipality, permission=Permission.PORTAL_MANAGE
    )
    _definition_checked(definition)
    form = FormDefinition(municipality=municipality, slug=slug.strip(), title=title.strip())
    _full_clean(form, exclude=["municipality"])
    with transaction.atomic():
        try:
            with transaction.atomic():
                form.save()
        except IntegrityError as exc:
            raise ConflictError("Kortnavnet er allerede i bruk.", code="conflict", field="slug") from exc
        FormVersion.objects.create(
            municipality=municipality,
            form=form,
            number=1,
            definition=definition,
            created_by=core_services.actor_display_name(actor),
        )
        core_services.audit_event_record(
            actor=actor,
            municipality=municipality,
            action="portal.form.create",
            object_type="skjema",
            object_id=form.pk,
            detail={"slug": form.slug},
        )
    return form


def form_version_add(
    *, actor: Actor, municipality: Municipality, form: FormDefinition, definition: Any
) -> FormVersion:
    """A new version of a form. Earlier versions stay as they were (drafts and submissions keep theirs)."""
    core_services.permission_require(
        actor=actor, municipality=municipality, permission=Permission.PORTAL_MANAGE
    )
    _definition_checked(definition)
    with transaction.atomic():
        locked = (
            FormDefinition.objects.select_for_update().filter(pk=form.pk, municipality=municipality).first()
        )
        if locked is None:
            raise NotFoundError("Fant ikke skjemaet.")
        last = locked.versions.order_by("-number").first()
        if last is not None and last.definition == definition:
            return last
        version = FormVersion.objects.create(
            municipality=municipality,
            form=locked,
            number=(last.number if last else 0) + 1,
            definition=definition,
            created_by=core_services.actor_display_name(actor),
        )
        core_services.audit_event_record(
            actor=actor,
            municipality=municipality,
            action="portal.form.version_add",
            object_type="skjema",
            object_id=locked.pk,
            detail={"version": version.number},
        )
        lookup_cache.clear_on_commit()  # new drafts get the new version at once
    return version


def letter_template_save(
    *, actor: Actor, municipality: Municipality, name: str, subject: str, body: str
) -> LetterTemplate:
    core_services.permission_require(
        actor=actor, municipality=municipality, permission=Permission.PORTAL_MANAGE
    )
    with transaction.atomic():
        template, _ = LetterTemplate.objects.update_or_create(
            municipality=municipality, name=name.strip(), defaults={"subject": subject.strip(), "body": body}
        )
        _full_clean(template, exclude=["municipality"])
        core_services.audit_event_record(
            actor=actor,
            municipality=municipality,
            action="portal.letter_template.save",
            object_type="brevmal",
            object_id=template.pk,
        )
    return template
