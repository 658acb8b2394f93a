"""Writes of the public journal."""

from __future__ import annotations

from django.db import transaction

from ekommune.core import services as core_services
from ekommune.core.errors import ValidationError
from ekommune.core.models import Municipality
from ekommune.core.permissions import Permission
from ekommune.core.services import Actor
from ekommune.publicjournal.models import PublicationPolicy, default_sensitive_class_prefixes


def publication_policy_set(
    *,
    actor: Actor,
    municipality: Municipality,
    publish_internal_notes: bool | None = None,
    delay_hours: int | None = None,
    sensitive_class_prefixes: list[str] | None = None,
    full_text_enabled: bool | None = None,
) -> PublicationPolicy:
    """Change how the municipality publishes its journal (the records manager decides)."""
    core_services.permission_require(
        actor=actor, municipality=municipality, permission=Permission.ARCHIVE_MANAGE
    )
    if delay_hours is not None and not 0 <= delay_hours <= 24 * 30:
        raise ValidationError(
            "Forsinkelsen må være mellom 0 og 720 timer.", code="invalid_delay", field="delay_hours"
        )
    prefixes = None
    if sensitive_class_prefixes is not None:
        prefixes = [prefix.strip() for prefix in sensitive_class_prefixes if prefix.strip()]
    with transaction.atomic():
        policy, _ = PublicationPolicy.objects.select_for_update().get_or_create(
            municipality=municipality,
            defaults={"sensitive_class_prefixes": default_sensitive_class_prefixes()},
        )
        changes = {
            "publish_internal_notes": publish_internal_notes,
            "delay_hours": delay_hours,
            "sensitive_class_prefixes": prefixes,
            "full_text_enabled": full_text_enabled,
        }
        changed = {name: value for name, value in changes.items() if value is not None}
        for name, value in changed.items():
            setattr(policy, name, value)
        policy.save()
        core_services.audit_event_record(
            actor=actor,
            municipality=municipality,
            action="publicjournal.policy_set",
            object_type="publiseringsregler",
            object_id=policy.pk,
            detail={name: str(value) for name, value in changed.items()},
        )
    return policy
