"""Comments (merknad) and cross references (kryssreferanse) on case files, entries and documents."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ekommune.archive import codelists as cl
from ekommune.archive.models import CaseFile, Comment, CrossReference, DocumentDescription, RegistryEntry
from ekommune.archive.services.common import _check_code, _non_blank, _require
from ekommune.core.errors import ConflictError, ValidationError
from ekommune.core.models import Municipality
from ekommune.core.permissions import Permission
from ekommune.core.services import Actor, audit_event_record, tenant_object_check


def comment_add(
    *,
    actor: Actor,
    municipality: Municipality,
    on: CaseFile | RegistryEntry | DocumentDescription,
    text: str,
    comment_type: str = "",
) -> Comment:
    """A comment (merknad) on a case file, an entry or a document."""
    label = _require(actor, municipality, Permission.ARCHIVE_REGISTER)
    if comment_type:
        _check_code(comment_type, cl.COMMENT_TYPE, "merknadstype")
    tenant_object_check(on, municipality=municipality, field="on")
    target = {CaseFile: "case_file", RegistryEntry: "registry_entry", DocumentDescription: "document"}[
        type(on)
    ]
    with transaction.atomic():
        comment = Comment.objects.create(
            municipality=municipality,
            text=_non_blank(text, "merknadstekst"),
            comment_type=comment_type,
            registered_at=timezone.now(),
            registered_by=label,
            **{target: on},
        )
        audit_event_record(
            actor=actor,
            municipality=municipality,
            action="archive.comment.add",
            object_type="merknad",
            object_id=str(comment.system_id),
            detail={"on": str(on.system_id)},
        )
    return comment


def cross_reference_add(
    *,
    actor: Actor,
    municipality: Municipality,
    source: CaseFile | RegistryEntry,
    target: CaseFile | RegistryEntry,
) -> CrossReference:
    """A one-way cross reference (kryssreferanse), stored on the source."""
    label = _require(actor, municipality, Permission.ARCHIVE_REGISTER)
    tenant_object_check(source, municipality=municipality, field="source")
    tenant_object_check(target, municipality=municipality, field="target")
    if source == target:
        raise ValidationError("Et objekt kan ikke vise til seg selv.", code="self_reference", field="target")
    fields = {
        "from_case_file" if isinstance(source, CaseFile) else "from_entry": source,
        "to_case_file" if isinstance(target, CaseFile) else "to_entry": target,
    }
    with transaction.atomic():
        if CrossReference.objects.filter(**fields).exists():
            raise ConflictError(
                "Kryssreferansen finnes allerede.", code="duplicate_reference", field="target"
            )
        reference = CrossReference.objects.create(
            municipality=municipality, created_at=timezone.now(), created_by=label, **fields
        )
        audit_event_record(
            actor=actor,
            municipality=municipality,
            action="archive.cross_reference.add",
            object_type="kryssreferanse",
            object_id=str(reference.system_id),
            detail={"fra": str(source.system_id), "til": str(target.system_id)},
        )
    return reference
