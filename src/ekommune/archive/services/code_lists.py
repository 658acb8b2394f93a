"""Extending the open code lists (records manager): ``metadata/ny-<kodeliste>/``, decision 0151."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ekommune.archive import codelists as cl
from ekommune.archive.models import CodeListExtension
from ekommune.archive.services.common import _non_blank, _require
from ekommune.core.errors import ConflictError, NotFoundError, ValidationError
from ekommune.core.models import Municipality
from ekommune.core.permissions import Permission
from ekommune.core.services import Actor, audit_event_record

MAX_CODE_LENGTH = 60
MAX_NAME_LENGTH = 200


def code_list_extend(
    *, actor: Actor, municipality: Municipality, code_list: str, code: str, name: str
) -> CodeListExtension:
    """Add ``code`` (kode) named ``name`` (kodenavn) to an open code list of this municipality."""
    label = _require(actor, municipality, Permission.ARCHIVE_MANAGE)
    standard = _standard_codes(code_list)
    if code_list not in cl.EXTENSIBLE_CODE_LISTS:
        raise ConflictError(
            f"Kodelisten {code_list} kan ikke utvides: arkivets regler bygger på nettopp dens verdier.",
            code="code_list_closed",
            field="kode",
        )
    code, name = _non_blank(code, "kode"), _non_blank(name, "kodenavn")
    for value, field, limit in ((code, "kode", MAX_CODE_LENGTH), (name, "kodenavn", MAX_NAME_LENGTH)):
        if len(value) > limit:
            raise ValidationError(f"{field} er for lang (høyst {limit} tegn).", code="too_long", field=field)
        if "\x00" in value:
            raise ValidationError(f"{field} inneholder et NUL-tegn.", code="invalid_character", field=field)
    with transaction.atomic():
        taken = CodeListExtension.objects.filter(municipality=municipality, code_list=code_list, code=code)
        if code in standard or taken.exists():
            raise ConflictError(
                f"Koden {code} finnes allerede i {code_list}.", code="code_exists", field="kode"
            )
        extension = CodeListExtension.objects.create(
            municipality=municipality,
            code_list=code_list,
            code=code,
            name=name,
            created_at=timezone.now(),
            created_by=label,
        )
        audit_event_record(
            actor=actor,
            municipality=municipality,
            action="archive.code_list.extend",
            object_type="kodeliste",
            object_id=code_list,
            detail={"kode": code},
        )
    return extension


def _standard_codes(code_list: str) -> set[str]:
    found = cl.METADATA_CODE_LISTS.get(code_list)
    if found is None:
        raise NotFoundError(f"Ukjent kodeliste {code_list}.", field="kodeliste")
    return set(found.codes())
