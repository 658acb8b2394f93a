"""Case files (saksmapper): opening with the next case number, concluding, their parties (sakspart)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from ekommune.archive import codelists as cl
from ekommune.archive.models import CaseFile, CaseParty, Class, NumberSequence, Series
from ekommune.archive.services.common import (
    FINALISED_ENTRY_STATUSES,
    _check_code,
    _check_person_number,
    _log_changes,
    _non_blank,
    _open_series,
    _require,
    _screening_create,
    _write_off,
    number_next,
)
from ekommune.archive.types import ArchiveRuleError, CasePartyInput, NewCaseFile, ScreeningInput
from ekommune.core.errors import ValidationError
from ekommune.core.models import Municipality
from ekommune.core.permissions import Permission
from ekommune.core.services import (
    Actor,
    AuditEventInput,
    audit_event_record,
    audit_events_record,
    tenant_object_check,
    tenant_row_lock,
)


def _case_file_check(municipality: Municipality, new: NewCaseFile) -> None:
    tenant_object_check(new.series, municipality=municipality, field="series")
    if (
        new.primary_class is not None
        and new.primary_class.classification_system_id != new.series.classification_system_id
    ):
        raise ValidationError(
            "Klassen hører ikke til arkivdelens klassifikasjonssystem.",
            code="wrong_class",
            field="primary_class",
        )
    if new.primary_class is None and new.series.classification_system_id is not None:
        # there is no way to classify a case later, and a deposit package has no place for a case
        # without a class in a classified series (decision 0143): refused now, not at export
        raise ValidationError(
            "Arkivdelen har et klassifikasjonssystem: velg primærklassen saken skal arkiveres under.",
            code="class_required",
            field="primary_class",
        )
    _non_blank(new.title, "title")
    _non_blank(new.administrative_unit, "administrative_unit")
    _non_blank(new.case_responsible, "case_responsible")


def _series_share_open(series: Series) -> None:
    """Refuse a closed series; otherwise hold its row FOR SHARE until the transaction ends.

    ``series_close`` locks the row FOR UPDATE, so it waits for the registrations in progress (and
    they for it), while registrations in the same series never wait for each other here.
    """
    (shared,) = Series.objects.raw("SELECT * FROM archive_series WHERE id = %s FOR SHARE", [series.pk])
    _open_series(shared)


def _case_file_insert(
    *, municipality: Municipality, new: NewCaseFile, label: str, now: dt.datetime
) -> CaseFile:
    """Number and create the case file in the caller's transaction (checked by ``_case_file_check``).

    The case number's counter row stays locked until commit: everything that can be done before
    it is done before it.
    """
    screening = _screening_create(municipality, new.screening, level="mappe")
    _series_share_open(new.series)
    year = timezone.localdate(now).year
    return CaseFile.objects.create(
        municipality=municipality,
        series=new.series,
        primary_class=new.primary_class,
        case_year=year,
        case_sequence_number=number_next(municipality=municipality, kind=NumberSequence.Kind.CASE, year=year),
        title=new.title.strip(),
        public_title=new.public_title,
        case_date=new.case_date or timezone.localdate(now),
        administrative_unit=new.administrative_unit.strip(),
        case_responsible=new.case_responsible.strip(),
        screening=screening,
        created_at=now,
        created_by=label,
    )


def _case_file_event(case_file: CaseFile) -> AuditEventInput:
    return AuditEventInput(
        action="archive.case_file.create",
        object_type="saksmappe",
        object_id=str(case_file.system_id),
        detail={"saksnummer": case_file.file_id},
    )


def case_file_create(
    *,
    actor: Actor,
    municipality: Municipality,
    series: Series,
    title: str,
    administrative_unit: str,
    case_responsible: str,
    primary_class: Class | None = None,
    public_title: str = "",
    case_date: dt.date | None = None,
    screening: ScreeningInput | None = None,
) -> CaseFile:
    """Open a case file (saksmappe) with the next case number ``saksår/sakssekvensnummer``."""
    label = _require(actor, municipality, Permission.ARCHIVE_REGISTER)
    new = NewCaseFile(
        series=series,
        title=title,
        administrative_unit=administrative_unit,
        case_responsible=case_responsible,
        primary_class=primary_class,
        public_title=public_title,
        case_date=case_date,
        screening=screening,
    )
    _case_file_check(municipality, new)
    with transaction.atomic():
        case_file = _case_file_insert(municipality=municipality, new=new, label=label, now=timezone.now())
        audit_events_record(actor=actor, municipality=municipality, events=[_case_file_event(case_file)])
    return case_file


def case_file_conclude(*, actor: Actor, municipality: Municipality, case_file: CaseFile) -> CaseFile:
    """Conclude a case (saksstatus A). Needs a primary class and every entry finalised."""
    label = _require(actor, municipality, Permission.ARCHIVE_REGISTER)
    with transaction.atomic():
        locked = tenant_row_lock(CaseFile, pk=case_file.pk, municipality=municipality)
        if locked.case_status == "A":
            raise ArchiveRuleError("Saken er allerede avsluttet.", code="case_file_concluded")
        if locked.primary_class_id is None:
            raise ArchiveRuleError(
                "Saken må ha en primærklasse før den avsluttes.", code="case_file_unclassified"
            )
        open_entries = [
            f"{locked.file_id}-{number}"
            for number in locked.entries.exclude(status__in=FINALISED_ENTRY_STATUSES).values_list(
                "entry_number", flat=True
            )
        ]
        if open_entries:
            raise ArchiveRuleError(
                f"Saken har journalposter som ikke er ferdigstilt: {', '.join(open_entries)}.",
                code="entries_not_finalised",
            )
        for open_entry in locked.entries.filter(entry_type__in=["I", "N"], write_offs__isnull=True).exclude(
            status="U"
        ):
            _write_off(
                municipality, open_entry, "SA", None, label
            )  # Noark: closing a case writes off what is open
        old = locked.case_status
        locked.case_status, locked.concluded_at, locked.concluded_by = "A", timezone.now(), label
        locked.save(update_fields=["case_status", "concluded_at", "concluded_by"])
        _log_changes(
            municipality=municipality,
            actor=actor,
            object_type="saksmappe",
            system_id=locked.system_id,
            changes={"saksstatus": (old, "A")},
        )
    return locked


def case_party_add(
    *, actor: Actor, municipality: Municipality, case_file: CaseFile, party: CasePartyInput
) -> CaseParty:
    """A party to the case (sakspart), e.g. the client or the applicant's lawyer."""
    _require(actor, municipality, Permission.ARCHIVE_REGISTER)
    _check_code(party.role, cl.PARTY_ROLE, "partRolle")
    _non_blank(party.name, "partNavn")
    if party.kind not in {"person", "unit"}:
        raise ValidationError(f"Ukjent parttype {party.kind!r}.", code="invalid_code", field="kind")
    _check_person_number(party.national_identity_number, "national_identity_number")
    with transaction.atomic():
        locked = tenant_row_lock(CaseFile, pk=case_file.pk, municipality=municipality)
        if locked.case_status == "A":
            raise ArchiveRuleError("Saken er avsluttet.", code="case_file_concluded")
        created = CaseParty.objects.create(municipality=municipality, case_file=locked, **party.__dict__)
        audit_event_record(
            actor=actor,
            municipality=municipality,
            action="archive.case_party.add",
            object_type="part",
            object_id=str(created.system_id),
            detail={"saksmappe": str(locked.system_id), "partRolle": party.role},
        )
    return created
