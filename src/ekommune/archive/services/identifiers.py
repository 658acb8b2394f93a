"""Keywords (noekkelord) and national identifiers (nasjonalidentifikator) on files and records."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from stdnum.no import orgnr

from ekommune.archive.models import CaseFile, Folder, Keyword, NationalIdentifier, RegistryEntry
from ekommune.archive.services.common import _check_person_number, _non_blank, _require
from ekommune.archive.types import NationalIdentifierInput
from ekommune.core.errors import ValidationError
from ekommune.core.models import Municipality
from ekommune.core.permissions import Permission
from ekommune.core.services import Actor, audit_event_record, tenant_object_check, tenant_row_lock

# Which fields each kind must have (Noark names, for the message), and which it may have.
REQUIRED = {
    "matrikkel": ("farm_number", "holding_number"),
    "bygning": ("building_number",),
    "plan": ("plan_id",),
    "posisjon": ("coordinate_system", "x", "y"),
    "enhetsidentifikator": ("organisation_number",),
    "foedselsnummer": ("person_number",),
    "dnummer": ("person_number",),
}
ALLOWED = {
    "matrikkel": {"cadastre_municipality", "farm_number", "holding_number", "lease_number", "section_number"},
    "bygning": {"building_number", "change_number"},
    "plan": {"plan_municipality", "county_number", "country_code", "plan_id"},
    "posisjon": {"coordinate_system", "x", "y", "z"},
    "enhetsidentifikator": {"organisation_number"},
    "foedselsnummer": {"person_number"},
    "dnummer": {"person_number"},
}


def _owner(on: CaseFile | Folder | RegistryEntry) -> dict[str, Any]:
    if isinstance(on, CaseFile):
        return {"case_file": on}
    if isinstance(on, Folder):
        return {"folder": on}
    if isinstance(on, RegistryEntry):
        return {"registry_entry": on}
    raise ValidationError(
        "Nøkkelord og nasjonale identifikatorer hører til mapper og registreringer.", field="on"
    )


def _digits(value: str, count: int, field: str) -> None:
    if value and not (value.isascii() and value.isdigit() and len(value) == count):
        raise ValidationError(f"{field} må være {count} sifre.", code="invalid", field=field)


def _identifier_check(identifier: NationalIdentifierInput) -> dict[str, Any]:
    if identifier.kind not in REQUIRED:
        raise ValidationError(
            f"Ukjent nasjonal identifikator {identifier.kind!r}.", code="invalid_code", field="kind"
        )
    values = {key: value for key, value in identifier.values.items() if value not in (None, "")}
    unknown = set(values) - ALLOWED[identifier.kind]
    if unknown:
        raise ValidationError(
            f"{identifier.kind} har ikke feltet {sorted(unknown)[0]}.", field=sorted(unknown)[0]
        )
    for field in REQUIRED[identifier.kind]:
        if field not in values:
            raise ValidationError("Feltet må fylles ut.", code="required", field=field)
    for field in ("cadastre_municipality", "plan_municipality"):
        _digits(values.get(field, ""), 4, field)
    _digits(values.get("county_number", ""), 2, "county_number")
    if "organisation_number" in values and not orgnr.is_valid(values["organisation_number"]):
        raise ValidationError(
            "Ugyldig organisasjonsnummer.", code="invalid_organisation_number", field="organisation_number"
        )
    _check_person_number(values.get("person_number", ""), "person_number")
    return values


def _locked_open(on: CaseFile | Folder | RegistryEntry, municipality: Municipality) -> None:
    """Lock the owner; a concluded case or an archived registration takes nothing new."""
    locked = tenant_row_lock(type(on), pk=on.pk, municipality=municipality)
    if isinstance(locked, CaseFile) and locked.case_status == "A":
        raise ValidationError("Saken er avsluttet.", code="case_file_concluded")
    if isinstance(locked, RegistryEntry) and locked.status in {"A", "U"}:
        raise ValidationError("Registreringen er arkivert eller utgått.", code="entry_archived")


def keyword_add(
    *, actor: Actor, municipality: Municipality, on: CaseFile | Folder | RegistryEntry, text: str
) -> Keyword:
    """A keyword (noekkelord) on a file or record. A case file's keyword is also kept in its
    ``keywords`` list, which the deposit export reads (decision 0162)."""
    label = _require(actor, municipality, Permission.ARCHIVE_REGISTER)
    tenant_object_check(on, municipality=municipality, field="on")
    owner = _owner(on)
    text = _non_blank(text, "noekkelord")
    with transaction.atomic():
        _locked_open(on, municipality)
        keyword = Keyword.objects.create(
            municipality=municipality, text=text, created_at=timezone.now(), created_by=label, **owner
        )
        if isinstance(on, CaseFile):
            CaseFile.objects.filter(pk=on.pk).update(keywords=[*on.keywords, text])
            on.keywords = [*on.keywords, text]
        audit_event_record(
            actor=actor,
            municipality=municipality,
            action="archive.noekkelord.add",
            object_type="noekkelord",
            object_id=str(keyword.system_id),
            detail={"on": str(on.system_id)},
        )
    return keyword


def national_identifier_add(
    *,
    actor: Actor,
    municipality: Municipality,
    on: CaseFile | Folder | RegistryEntry,
    identifier: NationalIdentifierInput,
) -> NationalIdentifier:
    """A national identifier (matrikkel, bygning, plan, posisjon, enhetsidentifikator,
    foedselsnummer, dnummer) on a file or record; checked per kind."""
    label = _require(actor, municipality, Permission.ARCHIVE_REGISTER)
    tenant_object_check(on, municipality=municipality, field="on")
    owner = _owner(on)
    values = _identifier_check(identifier)
    with transaction.atomic():
        _locked_open(on, municipality)
        created = NationalIdentifier.objects.create(
            municipality=municipality,
            kind=identifier.kind,
            created_at=timezone.now(),
            created_by=label,
            **owner,
            **values,
        )
        audit_event_record(  # the kind only: a person's number stays out of the audit trail
            actor=actor,
            municipality=municipality,
            action="archive.nasjonalidentifikator.add",
            object_type="nasjonalidentifikator",
            object_id=str(created.system_id),
            detail={"on": str(on.system_id), "kind": identifier.kind},
        )
    return created
