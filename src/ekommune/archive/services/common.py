"""What every archive service shares: permission, code and text checks, the change log, numbering."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.utils import timezone
from stdnum.no import fodselsnummer

from ekommune.archive import codelists as cl
from ekommune.archive.models import (
    ChangeLogEntry,
    CorrespondenceParty,
    RegistryEntry,
    Screening,
    Series,
    WriteOff,
)
from ekommune.archive.screening import screening_normalise
from ekommune.archive.types import ArchiveRuleError, PartyInput, ScreeningInput
from ekommune.core.errors import ValidationError
from ekommune.core.models import Municipality, User
from ekommune.core.permissions import Permission
from ekommune.core.services import (
    Actor,
    actor_display_name,
    audit_event_record,
    permission_require,
    tenant_object_check,
)

# Journal statuses in their order of progress; U (utgår) may be set from any but A.
# J (journalført) means registered; F (ferdigstilt) and later mean finalised: from F on, every
# document must be finalised and incoming/outgoing entries must have a correspondence party.
# See docs/decisions/0008-archive-life-cycle.md.
ENTRY_STATUS_ORDER = ["R", "M", "S", "J", "F", "G", "E", "A"]
FINALISED_ENTRY_STATUSES = {"F", "G", "E", "A", "U"}
NEEDS_FINALISED_DOCUMENTS = {"F", "G", "E", "A"}


def _require(actor: Actor, municipality: Municipality, permission: Permission) -> str:
    permission_require(actor=actor, municipality=municipality, permission=permission)
    return actor_display_name(actor)


def _check_code(value: str, code_list: cl.CodeList, field_name: str) -> None:
    if value not in code_list.codes():
        raise ValidationError(
            f"Ukjent kode {value!r} for {code_list.element}; gyldige: {', '.join(code_list.codes())}.",
            code="invalid_code",
            field=field_name,
        )


def _non_blank(value: str, field_name: str) -> str:
    if not value or not value.strip():
        raise ValidationError("Feltet må fylles ut.", code="required", field=field_name)
    return value.strip()


def _require_open_entry(entry: RegistryEntry) -> None:
    """Archived (A) and cancelled (U) entries take no new parties or documents."""
    if entry.status in {"A", "U"}:
        raise ArchiveRuleError("Journalposten er arkivert eller utgått.", code="entry_archived")


def _check_person_number(number: str, field_name: str) -> None:
    """A fødselsnummer or D-nummer, when given, must be a real one (11 digits, both check digits)."""
    if number and not fodselsnummer.is_valid(number):
        raise ValidationError("Ugyldig fødselsnummer eller D-nummer.", code="invalid_pid", field=field_name)


_PARTY_KINDS = frozenset(CorrespondenceParty.Kind.values)


def _check_party(party: PartyInput, prefix: str = "") -> None:
    """The rules every correspondence party must meet, for single, bulk and API registration."""
    _check_code(party.party_type, cl.CORRESPONDENCE_PARTY_TYPE, f"{prefix}party_type")
    _non_blank(party.name, f"{prefix}name")
    if party.kind not in _PARTY_KINDS:
        raise ValidationError(f"Ukjent parttype {party.kind!r}.", code="invalid_code", field=f"{prefix}kind")
    if party.organisation_number and party.national_identity_number:
        raise ValidationError(
            "En part har enten organisasjonsnummer eller fødselsnummer, ikke begge.",
            code="one_identifier",
            field=f"{prefix}organisation_number",
        )
    _check_person_number(party.national_identity_number, f"{prefix}national_identity_number")


def _screening_create(
    municipality: Municipality, screening: ScreeningInput | None, *, level: str | None
) -> Screening | None:
    """The skjerming row of a case file (``level="mappe"``), entry or document, its values mapped
    by the one mapping (``ekommune.archive.screening``): what maps to nothing refuses the write."""
    if screening is None:
        return None
    screening = screening_normalise(screening, level=level)
    return Screening.objects.create(
        municipality=municipality,
        access_restriction=screening.access_restriction,
        legal_basis=_non_blank(screening.legal_basis, "legal_basis"),
        screened_metadata=list(screening.screened_metadata),
        screened_document=screening.screened_document,
        duration_years=screening.duration_years,
        ends_on=screening.ends_on,
    )


def _open_series(series: Series) -> None:
    if series.status == "P" or series.concluded_at is not None:
        raise ArchiveRuleError("Arkivdelen er avsluttet og tar ikke imot noe nytt.", code="series_closed")


def _log_changes(
    *,
    municipality: Municipality,
    actor: Actor,
    object_type: str,
    system_id: Any,
    changes: dict[str, tuple[object, object]],
) -> None:
    """Endringslogg rows (Noark element names) plus one audit event for the change."""
    now = timezone.now()
    label = actor_display_name(actor)
    ChangeLogEntry.objects.bulk_create(
        ChangeLogEntry(
            municipality=municipality,
            object_type=object_type,
            object_system_id=system_id,
            field=name,
            old_value="" if old is None else str(old),
            new_value="" if new is None else str(new),
            changed_at=now,
            changed_by=label,
            changed_by_user=actor if isinstance(actor, User) else None,
        )
        for name, (old, new) in changes.items()
    )
    audit_event_record(
        actor=actor,
        municipality=municipality,
        action=f"archive.{object_type}.update",
        object_type=object_type,
        object_id=str(system_id),
        detail={"fields": sorted(changes)},
    )


def _write_off(
    municipality: Municipality,
    entry: RegistryEntry,
    method: str,
    answered_by: RegistryEntry | None,
    label: str,
) -> WriteOff:
    return WriteOff.objects.create(
        municipality=municipality,
        registry_entry=entry,
        written_off_at=timezone.now(),
        written_off_by=label,
        method=method,
        answered_by=answered_by,
    )


def number_next(*, municipality: Municipality, kind: str, year: int, count: int = 1) -> int:
    """The next number of a sequence (the last of ``count`` new ones), gapless.

    The counter row stays locked until the transaction ends, so concurrent registrations queue
    here; a rolled-back registration gives its numbers back, because the update rolls back too.
    """
    sql_update = (
        "UPDATE archive_numbersequence SET last_value = last_value + %s "
        "WHERE municipality_id = %s AND kind = %s AND year = %s RETURNING last_value"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql_update, [count, municipality.pk, kind, year])
        row = cursor.fetchone()
        if row is None:
            number_counter_create(municipality=municipality, kind=kind, year=year)
            cursor.execute(sql_update, [count, municipality.pk, kind, year])
            row = cursor.fetchone()
    assert row is not None
    return int(row[0])


def number_counter_create(*, municipality: Municipality, kind: str, year: int) -> None:
    """The counter of a sequence, at 0, unless it is there (the first number of a year)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO archive_numbersequence (municipality_id, kind, year, last_value) VALUES (%s, %s, %s, 0) "
            "ON CONFLICT (municipality_id, kind, year) DO NOTHING",
            [municipality.pk, kind, year],
        )


def _tenant_check_each(municipality: Municipality, field: str, *objects: Any) -> None:
    """``tenant_object_check`` for each object given that is set (optional references may be None)."""
    for obj in objects:
        if obj is not None:
            tenant_object_check(obj, municipality=municipality, field=field)
