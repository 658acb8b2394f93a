"""What the portal's services share: the citizen actor, model validation, audit, the system account."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction

from ekommune.archive import services as archive_services
from ekommune.core import services as core_services
from ekommune.core.errors import ApplicationError, ValidationError
from ekommune.core.models import Municipality, Role, User
from ekommune.core.services import Actor
from ekommune.portal.models import PortalSettings
from ekommune.portal.types import CitizenActor

# What a service's ``values`` may hold. ``archive_series`` and ``archive_class`` are the archive's
# objects (as its selectors give them, or None); the service keeps their systemIDs (decision 0036).
SERVICE_FIELDS = (
    "slug",
    "title",
    "summary",
    "description",
    "who_may_apply",
    "price",
    "processing_time",
    "legal_basis",
    "contact",
    "required_level",
    "life_event",
    "topic",
    "is_published",
    "form",
    "archive_series",
    "archive_class",
    "administrative_unit",
    "case_responsible",
)
# A submission names a person: the public journal shows neither sender nor recipient.
PERSONAL_DATA_SCREENING = archive_services.ScreeningInput(
    access_restriction="13",
    legal_basis="Offl. § 13 jf. fvl. § 13 (1) nr. 1",
    screened_metadata=("NA", "NM"),
)


def _full_clean(instance: Any, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude, validate_unique=False)
    except DjangoValidationError as exc:
        field, errors = next(iter(exc.error_dict.items()))
        message = " ".join(str(m) for error in errors for m in error.messages)
        raise ValidationError(
            message, code=errors[0].code or "invalid", field=None if field == "__all__" else field
        ) from exc


def _audit_citizen(
    municipality: Municipality,
    who: CitizenActor,
    action: str,
    object_type: str,
    object_id: Any,
    **detail: Any,
) -> None:
    core_services.audit_event_record(
        actor=None,
        municipality=municipality,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        detail=detail or None,
        actor_label=who.label,
    )


# ------------------------------------------------------------------ set-up


def portal_system_user_ensure(*, actor: Actor, municipality: Municipality) -> User:
    """The account that registers submissions in the archive (created once, case-worker role).

    Its password is random and never shown: nobody logs in as it.
    """
    existing = PortalSettings.objects.filter(municipality=municipality).select_related("system_user").first()
    if existing is not None:
        return existing.system_user
    with transaction.atomic():
        user = core_services.staff_user_create(
            actor=actor,
            municipality=municipality,
            username=f"tjenestetorg.{municipality.slug}",
            first_name="Tjenestetorg",
            last_name="(system)",
            email="",
            password=secrets.token_urlsafe(32),
            roles=[Role.CASE_WORKER],
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        PortalSettings.objects.create(municipality=municipality, system_user=user)
    return user


def _system_user(municipality: Municipality) -> User:
    found = PortalSettings.objects.filter(municipality=municipality).select_related("system_user").first()
    if found is None:
        raise ApplicationError(
            "Tjenestetorget er ikke satt opp i denne kommunen ennå.", code="portal_not_configured"
        )
    return found.system_user
