"""Every write to the archive. Other apps register their documents through these functions.

Each function is keyword-only, runs in one transaction, checks the actor's permission in the
municipality, enforces the Noark 5 life-cycle rules (``ArchiveRuleError`` with a stable code),
and writes the Noark change log (endringslogg) and the audit log in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Model
from django.utils import timezone

from ekommune.archive import codelists as cl
from ekommune.archive import storage
from ekommune.archive.errors import ArchiveRuleError
from ekommune.archive.models import (
    CaseFile,
    CaseParty,
    ChangeLogEntry,
    Class,
    ClassificationSystem,
    Comment,
    CorrespondenceParty,
    CrossReference,
    DocumentDescription,
    DocumentLink,
    DocumentObject,
    Fonds,
    FondsCreator,
    NumberSequence,
    RegistryEntry,
    Screening,
    Series,
    StoredFile,
    UploadSession,
    WriteOff,
)
from ekommune.core.errors import ConflictError, NotFoundError, ValidationError
from ekommune.core.models import Municipality, User
from ekommune.core.permissions import Permission
from ekommune.core.services import (
    Actor,
    AuditEventInput,
    actor_display_name,
    audit_event_record,
    audit_events_record,
    permission_require,
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


def _lock[M: Model](model: type[M], pk: Any, municipality: Municipality) -> M:
    """The row, locked for this transaction; a row of another municipality is simply not found."""
    found = model._default_manager.select_for_update().filter(pk=pk, municipality=municipality).first()
    if found is None:
        raise NotFoundError(f"Fant ikke {model._meta.verbose_name} i denne kommunen.", code="not_found")
    return found


def _require_open_entry(entry: RegistryEntry) -> None:
    """Archived (A) and cancelled (U) entries take no new parties or documents."""
    if entry.status in {"A", "U"}:
        raise ArchiveRuleError("Journalposten er arkivert eller utgått.", code="entry_archived")


def _same_municipality(obj: Any, municipality: Municipality, field_name: str) -> None:
    if obj.municipality_id != municipality.pk:
        raise ValidationError(
            "Objektet hører til en annen kommune.", code="wrong_municipality", field=field_name
        )


def _check_party(party: PartyInput, prefix: str = "") -> None:
    """The rules every correspondence party must meet, for single, bulk and API registration."""
    _check_code(party.party_type, cl.CORRESPONDENCE_PARTY_TYPE, f"{prefix}party_type")
    _non_blank(party.name, f"{prefix}name")
    if party.kind not in CorrespondenceParty.Kind.values:
        raise ValidationError(f"Ukjent parttype {party.kind!r}.", code="invalid_code", field=f"{prefix}kind")
    if party.organisation_number and party.national_identity_number:
        raise ValidationError(
            "En part har enten organisasjonsnummer eller fødselsnummer, ikke begge.",
            code="one_identifier",
            field=f"{prefix}organisation_number",
        )


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


# ------------------------------------------------------------------ numbering


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
            cursor.execute(
                "INSERT INTO archive_numbersequence (municipality_id, kind, year, last_value) VALUES (%s, %s, %s, 0) "
                "ON CONFLICT (municipality_id, kind, year) DO NOTHING",
                [municipality.pk, kind, year],
            )
            cursor.execute(sql_update, [count, municipality.pk, kind, year])
            row = cursor.fetchone()
    assert row is not None
    return int(row[0])


# ------------------------------------------------------------------ structure (records manager)


def fonds_create(
    *,
    actor: Actor,
    municipality: Municipality,
    title: str,
    creator_id: str = "",
    creator_name: str = "",
    description: str = "",
) -> Fonds:
    """Create the fonds (arkiv), with its creator (arkivskaper) when one is given."""
    label = _require(actor, municipality, Permission.ARCHIVE_MANAGE)
    with transaction.atomic():
        fonds = Fonds.objects.create(
            municipality=municipality,
            title=_non_blank(title, "tittel"),
            description=description,
            created_at=timezone.now(),
            created_by=label,
        )
        audit_event_record(
            actor=actor,
            municipality=municipality,
            action="archive.fonds.create",
            object_type="arkiv",
            object_id=str(fonds.system_id),
        )
        if creator_id or creator_name:
            fonds_creator_add(
                actor=actor, municipality=municipality, fonds=fonds, creator_id=creator_id, name=creator_name
            )
    return fonds


def fonds_creator_add(
    *,
    actor: Actor,
    municipality: Municipality,
    fonds: Fonds,
    creator_id: str,
    name: str,
    description: str = "",
) -> FondsCreator:
    """Add a creator (arkivskaper) to a fonds."""
    label = _require(actor, municipality, Permission.ARCHIVE_MANAGE)
    _same_municipality(fonds, municipality, "fonds")
    creator_id = _non_blank(creator_id, "arkivskaperID")
    with transaction.atomic():
        if FondsCreator.objects.filter(fonds=fonds, creator_id=creator_id).exists():
            raise ConflictError(f"Arkivskaper {creator_id} finnes allerede i arkivet.", field="arkivskaperID")
        creator = FondsCreator.objects.create(
            municipality=municipality,
            fonds=fonds,
            creator_id=creator_id,
            name=_non_blank(name, "arkivskaperNavn"),
            description=description,
            created_at=timezone.now(),
            created_by=label,
        )
        audit_event_record(
            actor=actor,
            municipality=municipality,
            action="archive.fonds_creator.add",
            object_type="arkivskaper",
            object_id=str(creator.system_id),
        )
    return creator


def classification_system_create(
    *,
    actor: Actor,
    municipality: Municipality,
    title: str,
    classification_type: str = "",
    classes: Sequence[tuple[str, str]] = (),
) -> ClassificationSystem:
    """Create a classification system with its classes given as ``(class_id, title)`` pairs."""
    label = _require(actor, municipality, Permission.ARCHIVE_MANAGE)
    if classification_type:
        _check_code(classification_type, cl.CLASSIFICATION_TYPE, "classification_type")
    now = timezone.now()
    ids = [class_id.strip() for class_id, _ in classes]
    if len(ids) != len(set(ids)):
        raise ValidationError("Samme klasseID står flere ganger.", code="duplicate_class_id", field="classes")
    with transaction.atomic():
        system = ClassificationSystem.objects.create(
            municipality=municipality,
            title=_non_blank(title, "title"),
            classification_type=classification_type,
            created_at=now,
            created_by=label,
        )
        Class.objects.bulk_create(
            Class(
                municipality=municipality,
                classification_system=system,
                class_id=_non_blank(class_id, "class_id"),
                title=_non_blank(class_title, "title"),
                created_at=now,
                created_by=label,
            )
            for class_id, class_title in classes
        )
        audit_event_record(
            actor=actor,
            municipality=municipality,
            action="archive.classification_system.create",
            object_type="klassifikasjonssystem",
            object_id=str(system.system_id),
            detail={"classes": len(ids)},
        )
    return system


def series_create(
    *,
    actor: Actor,
    municipality: Municipality,
    fonds: Fonds,
    title: str,
    classification_system: ClassificationSystem | None = None,
    period_start: dt.date | None = None,
) -> Series:
    label = _require(actor, municipality, Permission.ARCHIVE_MANAGE)
    if fonds.municipality_id != municipality.pk or (
        classification_system is not None and classification_system.municipality_id != municipality.pk
    ):
        raise ValidationError("Arkivet hører til en annen kommune.", code="wrong_municipality", field="fonds")
    if fonds.status == "A":
        raise ArchiveRuleError(
            "Arkivet er avsluttet og tar ikke imot nye arkivdeler.", code="fonds_concluded"
        )
    with transaction.atomic():
        series = Series.objects.create(
            municipality=municipality,
            fonds=fonds,
            title=_non_blank(title, "title"),
            classification_system=classification_system,
            period_start=period_start,
            created_at=timezone.now(),
            created_by=label,
        )
        audit_event_record(
            actor=actor,
            municipality=municipality,
            action="archive.series.create",
            object_type="arkivdel",
            object_id=str(series.system_id),
        )
    return series


def series_close(*, actor: Actor, municipality: Municipality, series: Series, period_end: dt.date) -> Series:
    """End a series' period (arkivdelstatus P): it accepts no new case files or entries afterwards."""
    label = _require(actor, municipality, Permission.ARCHIVE_MANAGE)
    with transaction.atomic():
        locked = _lock(Series, series.pk, municipality)
        if locked.status == "P":
            raise ArchiveRuleError("Arkivdelen er allerede avsluttet.", code="series_closed")
        if locked.period_start and period_end < locked.period_start:
            raise ValidationError(
                "Sluttdatoen er før startdatoen.", code="invalid_period", field="period_end"
            )
        old = locked.status
        locked.status, locked.period_end = "P", period_end
        locked.concluded_at, locked.concluded_by = timezone.now(), label
        locked.save(update_fields=["status", "period_end", "concluded_at", "concluded_by"])
        _log_changes(
            municipality=municipality,
            actor=actor,
            object_type="arkivdel",
            system_id=locked.system_id,
            changes={"arkivdelstatus": (old, "P")},
        )
    return locked


def _open_series(series: Series) -> None:
    if series.status == "P" or series.concluded_at is not None:
        raise ArchiveRuleError("Arkivdelen er avsluttet og tar ikke imot noe nytt.", code="series_closed")


# ------------------------------------------------------------------ case files


@dataclass(frozen=True)
class NewCaseFile:
    """A case file (saksmappe) to open for a first entry: ``registry_entry_register(case_file=NewCaseFile(...))``
    numbers and creates both in one transaction (an incoming letter that starts a case)."""

    series: Series
    title: str
    administrative_unit: str
    case_responsible: str
    primary_class: Class | None = None
    public_title: str = ""
    case_date: dt.date | None = None
    screening: ScreeningInput | None = None


def _case_file_check(municipality: Municipality, new: NewCaseFile) -> None:
    if new.series.municipality_id != municipality.pk:
        raise ValidationError(
            "Arkivdelen hører til en annen kommune.", code="wrong_municipality", field="series"
        )
    if (
        new.primary_class is not None
        and new.primary_class.classification_system_id != new.series.classification_system_id
    ):
        raise ValidationError(
            "Klassen hører ikke til arkivdelens klassifikasjonssystem.",
            code="wrong_class",
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
    screening = _screening_create(municipality, new.screening)
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
        locked = _lock(CaseFile, case_file.pk, municipality)
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


# ------------------------------------------------------------------ registry entries


@dataclass(frozen=True)
class PartyInput:
    """A correspondence party for ``registry_entry_register``."""

    party_type: str
    name: str
    kind: str = "person"
    postal_address: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = ""
    email: str = ""
    phone: str = ""
    organisation_number: str = ""
    national_identity_number: str = ""
    administrative_unit: str = ""
    case_handler: str = ""


@dataclass(frozen=True)
class DocumentInput:
    """A document with its file for ``registry_entry_register`` (the first is the main document)."""

    title: str
    file_name: str
    content: IO[bytes]
    variant_format: str = "P"
    finalised: bool = True
    document_type: str = "B"
    expected_sha256: str = ""


@dataclass(frozen=True)
class ScreeningInput:
    access_restriction: str
    legal_basis: str
    screened_metadata: Sequence[str] = field(default_factory=tuple)
    screened_document: str = ""
    ends_on: dt.date | None = None


def _screening_create(municipality: Municipality, screening: ScreeningInput | None) -> Screening | None:
    if screening is None:
        return None
    _check_code(screening.access_restriction, cl.ACCESS_RESTRICTION, "access_restriction")
    for code in screening.screened_metadata:
        _check_code(code, cl.SCREENING_METADATA, "screened_metadata")
    if screening.screened_document:
        _check_code(screening.screened_document, cl.SCREENING_DOCUMENT, "screened_document")
    return Screening.objects.create(
        municipality=municipality,
        access_restriction=screening.access_restriction,
        legal_basis=_non_blank(screening.legal_basis, "legal_basis"),
        screened_metadata=list(screening.screened_metadata),
        screened_document=screening.screened_document,
        ends_on=screening.ends_on,
    )


def registry_entry_register(
    *,
    actor: Actor,
    municipality: Municipality,
    case_file: CaseFile | NewCaseFile,
    entry_type: str,
    title: str,
    parties: Sequence[PartyInput] = (),
    documents: Sequence[DocumentInput] = (),
    status: str = "J",
    public_title: str = "",
    document_date: dt.date | None = None,
    received_date: dt.datetime | None = None,
    due_date: dt.date | None = None,
    screening: ScreeningInput | None = None,
    record_type: str = RegistryEntry.RecordType.REGISTRY_ENTRY,
) -> RegistryEntry:
    """Register an entry (journalpost) in a case, with its parties and documents, in one call.

    ``case_file`` is an open case, or a ``NewCaseFile`` to open with this as its first entry.
    Numbers: the next ``journalpostnummer`` in the case and the next gapless journal number
    (løpenummer) of the municipality's year. Incoming (I) and outgoing (U) entries need a party
    before they are finalised; they may get it here or later (``correspondence_party_add``).
    With ``record_type="arkivnotat"`` (see ``internal_note_register``) no journal number is taken.

    Everything is checked before the first write, and the files and document rows are stored
    before the numbers are taken: registrations of one municipality queue on its number counters
    (gapless numbering), so the part they queue for is kept to a few statements.
    """
    label = _require(actor, municipality, Permission.ARCHIVE_REGISTER)
    is_note = record_type == RegistryEntry.RecordType.INTERNAL_NOTE
    if not is_note:
        _check_code(entry_type, cl.REGISTRY_ENTRY_TYPE, "entry_type")
    _check_code(status, cl.REGISTRY_ENTRY_STATUS, "status")
    if status in {"E", "A", "U"}:
        raise ValidationError(
            "En ny journalpost kan ikke starte som ekspedert, arkivert eller utgått.",
            code="invalid_initial_status",
            field="status",
        )
    if status in NEEDS_FINALISED_DOCUMENTS and any(not document.finalised for document in documents):
        raise ArchiveRuleError(
            "Alle dokumentene må være ferdigstilt for denne statusen (bruk R for et utkast).",
            code="documents_not_finalised",
        )
    for party in parties:
        _check_party(party)
    if status in NEEDS_FINALISED_DOCUMENTS and entry_type in {"I", "U"} and not parties:
        raise ArchiveRuleError(
            "Inngående og utgående journalposter må ha en korrespondansepart før de ferdigstilles.",
            code="party_required",
        )
    if isinstance(case_file, NewCaseFile):
        _case_file_check(municipality, case_file)
    elif case_file.municipality_id != municipality.pk:
        raise ValidationError(
            "Saken hører til en annen kommune.", code="wrong_municipality", field="case_file"
        )
    title = _non_blank(title, "title")
    for document in documents:
        _document_check(document)
    now = timezone.now()
    year = timezone.localdate(now).year
    events = []
    with transaction.atomic():
        entry_screening = _screening_create(municipality, screening)
        descriptions, files = _documents_store(
            municipality=municipality, documents=documents, label=label, now=now
        )
        if isinstance(case_file, NewCaseFile):
            locked_case = _case_file_insert(municipality=municipality, new=case_file, label=label, now=now)
            events.append(_case_file_event(locked_case))
            last_number = 0
        else:
            locked_case = (
                CaseFile.objects.select_for_update(of=("self",)).select_related("series").get(pk=case_file.pk)
            )
            _open_series(locked_case.series)
            if locked_case.case_status in {"A", "U"}:
                raise ArchiveRuleError(
                    "Saken er avsluttet og tar ikke imot nye journalposter.", code="case_file_concluded"
                )
            last_number = (
                locked_case.entries.order_by("-entry_number").values_list("entry_number", flat=True).first()
                or 0
            )
        entry = RegistryEntry.objects.create(
            municipality=municipality,
            case_file=locked_case,
            record_type=record_type,
            entry_number=last_number + 1,
            journal_year=None if is_note else year,
            journal_sequence_number=None
            if is_note
            else number_next(municipality=municipality, kind=NumberSequence.Kind.JOURNAL, year=year),
            entry_type="" if is_note else entry_type,
            status=status,
            title=title,
            public_title=public_title,
            journal_date=timezone.localdate(now),
            document_date=document_date,
            received_date=received_date or (now if entry_type == "I" else None),
            due_date=due_date,
            administrative_unit=locked_case.administrative_unit,
            case_handler=locked_case.case_responsible,
            screening=entry_screening,
            created_at=now,
            created_by=label,
        )
        CorrespondenceParty.objects.bulk_create(
            CorrespondenceParty(municipality=municipality, registry_entry=entry, **party.__dict__)
            for party in parties
        )
        DocumentLink.objects.bulk_create(
            DocumentLink(
                municipality=municipality,
                registry_entry=entry,
                document=description,
                linked_as="H" if index == 0 else "V",
                document_number=index + 1,
                linked_at=now,
                linked_by=label,
            )
            for index, description in enumerate(descriptions)
        )
        events.append(
            AuditEventInput(
                action="archive.registry_entry.register",
                object_type="journalpost",
                object_id=str(entry.system_id),
                detail={"registreringsID": f"{locked_case.file_id}-{entry.entry_number}", "type": entry_type},
            )
        )
        audit_events_record(actor=actor, municipality=municipality, events=events)
    entry.registered_files = tuple(files)
    return entry


def internal_note_register(
    *,
    actor: Actor,
    municipality: Municipality,
    case_file: CaseFile,
    title: str,
    documents: Sequence[DocumentInput] = (),
    status: str = "J",
    document_date: dt.date | None = None,
    screening: ScreeningInput | None = None,
) -> RegistryEntry:
    """Register an internal note that is not journalised (arkivnotat): numbered in the case only."""
    return registry_entry_register(
        actor=actor,
        municipality=municipality,
        case_file=case_file,
        entry_type="",
        title=title,
        documents=documents,
        status=status,
        document_date=document_date,
        screening=screening,
        record_type=RegistryEntry.RecordType.INTERNAL_NOTE,
    )


def _description_link_new(
    *,
    municipality: Municipality,
    entry: RegistryEntry,
    title: str,
    document_type: str,
    status: str,
    linked_as: str,
    label: str,
    now: dt.datetime,
) -> DocumentDescription:
    """Create a document and link it to ``entry`` (locked by the caller) as the next document number."""
    _check_code(document_type, cl.DOCUMENT_TYPE, "dokumenttype")
    _check_code(status, cl.DOCUMENT_STATUS, "dokumentstatus")
    description = DocumentDescription.objects.create(
        municipality=municipality,
        title=_non_blank(title, "tittel"),
        document_type=document_type,
        status=status,
        created_at=now,
        created_by=label,
    )
    last = entry.document_links.order_by("-document_number").values_list("document_number", flat=True).first()
    DocumentLink.objects.create(
        municipality=municipality,
        registry_entry=entry,
        document=description,
        linked_as=linked_as,
        document_number=(last or 0) + 1,
        linked_at=now,
        linked_by=label,
    )
    return description


def _document_check(document: DocumentInput) -> None:
    """What a document given to ``registry_entry_register`` must be, checked before anything is written."""
    _check_code(document.document_type, cl.DOCUMENT_TYPE, "dokumenttype")
    _non_blank(document.title, "tittel")
    _check_code(document.variant_format, cl.VARIANT_FORMAT, "variant_format")
    _non_blank(document.file_name, "file_name")


def _documents_store(
    *, municipality: Municipality, documents: Sequence[DocumentInput], label: str, now: dt.datetime
) -> tuple[list[DocumentDescription], list[DocumentObject]]:
    """The documents of a new entry with their files (version 1), in a few statements, not yet linked.

    Finalised documents are stored as finalised (F) at once: their one file is written here too.
    """
    if not documents:
        return [], []
    spooled = [_spool_checked(document.content, document.expected_sha256) for document in documents]
    try:
        files = _stored_files_ensure(municipality, spooled)
    finally:
        for content in spooled:
            content.spool.close()
    descriptions = DocumentDescription.objects.bulk_create(
        DocumentDescription(
            municipality=municipality,
            title=document.title.strip(),
            document_type=document.document_type,
            status="F" if document.finalised else "B",
            created_at=now,
            created_by=label,
        )
        for document in documents
    )
    objects = DocumentObject.objects.bulk_create(
        DocumentObject(
            municipality=municipality,
            document=description,
            version_number=1,
            variant_format=document.variant_format,
            mime_type=content.mime_type,
            file_name=document.file_name.strip(),
            file=stored,
            checksum=content.sha256,
            size=content.size,
            created_at=now,
            created_by=label,
        )
        for description, document, content, stored in zip(
            descriptions, documents, spooled, files, strict=True
        )
    )
    return descriptions, objects


@dataclass(frozen=True)
class _Stored:
    file: StoredFile
    sha256: str
    size: int
    mime_type: str


def _spool_checked(
    content: IO[bytes] | Iterator[bytes], expected_sha256: str = "", expected_size: int | None = None
) -> storage.SpooledContent:
    """Stream the content through SHA-256 into a spool, checking what the client said it is."""
    # A file object is read in chunks of its own size; iterating over it would give its *lines*
    # (one per newline: thousands of tiny writes for a PDF, a whole image for a file without one).
    chunks = storage.iter_chunks(cast(IO[bytes], content)) if hasattr(content, "read") else content
    spooled = storage.spool(chunks)
    if expected_sha256 and expected_sha256.lower() != spooled.sha256:
        spooled.spool.close()
        raise ValidationError(
            f"Sjekksummen stemmer ikke: mottatt innhold har {spooled.sha256}.",
            code="checksum_mismatch",
            field="sjekksum",
        )
    if expected_size is not None and expected_size != spooled.size:
        spooled.spool.close()
        raise ValidationError(
            f"Filstørrelsen stemmer ikke: mottok {spooled.size} byte.",
            code="size_mismatch",
            field="filstoerrelse",
        )
    return spooled


def _stored_files_ensure(
    municipality: Municipality, spooled: Sequence[storage.SpooledContent]
) -> list[StoredFile]:
    """The stored file of each spooled content (one row and one file per distinct checksum).

    Two statements for any number of files: an insert that skips contents already stored (or
    being stored by a concurrent transaction, which it waits for), then one look-up of them all.
    """
    names = {content.sha256: storage.storage_name(municipality.pk, content.sha256) for content in spooled}
    sizes = {content.sha256: content.size for content in spooled}
    StoredFile.objects.bulk_create(
        (
            StoredFile(municipality=municipality, sha256=sha256, size=sizes[sha256], storage_name=name)
            for sha256, name in names.items()
        ),
        ignore_conflicts=True,
    )
    found = {
        file.sha256: file for file in StoredFile.objects.filter(municipality=municipality, sha256__in=names)
    }
    for content in spooled:
        storage.store(names[content.sha256], content)
    return [found[content.sha256] for content in spooled]


def _spool_and_store(
    municipality: Municipality,
    content: IO[bytes] | Iterator[bytes],
    expected_sha256: str = "",
    expected_size: int | None = None,
) -> _Stored:
    """Stream the content through SHA-256 into the content-addressed store, checking what the client said."""
    spooled = _spool_checked(content, expected_sha256, expected_size)
    try:
        (stored,) = _stored_files_ensure(municipality, [spooled])
    finally:
        spooled.spool.close()
    return _Stored(file=stored, sha256=spooled.sha256, size=spooled.size, mime_type=spooled.mime_type)


def _object_add(
    *,
    municipality: Municipality,
    document: DocumentDescription,
    file_name: str,
    content: IO[bytes] | Iterator[bytes],
    variant_format: str,
    expected_sha256: str,
    label: str,
    now: dt.datetime,
    version_number: int | None = None,
) -> DocumentObject:
    _check_code(variant_format, cl.VARIANT_FORMAT, "variant_format")
    stored = _spool_and_store(municipality, content, expected_sha256)
    if version_number is None:
        version_number = _next_version_number(document)
    return DocumentObject.objects.create(
        municipality=municipality,
        document=document,
        version_number=version_number,
        variant_format=variant_format,
        mime_type=stored.mime_type,
        file_name=_non_blank(file_name, "file_name"),
        file=stored.file,
        checksum=stored.sha256,
        size=stored.size,
        created_at=now,
        created_by=label,
    )


def _next_version_number(document: DocumentDescription) -> int:
    last = (
        document.document_objects.order_by("-version_number").values_list("version_number", flat=True).first()
    )
    return (last or 0) + 1


def _version_for_new_object(locked: DocumentDescription, variant_format: str) -> int | None:
    """The version a new object of ``locked`` must have (None: the next one), or refuse it.

    A finalised document's content never changes: only an archival-format variant (A) of its
    latest version may be added (a conversion).
    """
    _entries_accept_documents(locked)
    if locked.status != "F" or not locked.document_objects.exists():
        return None
    latest = locked.document_objects.order_by("-version_number").first()
    if (
        variant_format != "A"
        or latest is None
        or locked.document_objects.filter(version_number=latest.version_number, variant_format="A").exists()
    ):
        raise ArchiveRuleError(
            "Dokumentet er ferdigstilt og kan ikke endres; bare en arkivversjon kan legges til.",
            code="document_finalised",
        )
    return latest.version_number


def document_object_add(
    *,
    actor: Actor,
    municipality: Municipality,
    document: DocumentDescription,
    file_name: str,
    content: IO[bytes],
    variant_format: str = "P",
    expected_sha256: str = "",
) -> DocumentObject:
    """Add a file to a document: a new version while it is being edited, or its archival variant.

    ``expected_sha256`` (from the client) is verified against what arrived.
    """
    label = _require(actor, municipality, Permission.ARCHIVE_REGISTER)
    with transaction.atomic():
        locked = _lock(DocumentDescription, document.pk, municipality)
        obj = _object_add(
            municipality=municipality,
            document=locked,
            file_name=file_name,
            content=content,
            variant_format=variant_format,
            expected_sha256=expected_sha256,
            label=label,
            now=timezone.now(),
            version_number=_version_for_new_object(locked, variant_format),
        )
        audit_event_record(
            actor=actor,
            municipality=municipality,
            action="archive.document_object.add",
            object_type="dokumentobjekt",
            object_id=str(obj.system_id),
            detail={"versjonsnummer": obj.version_number, "variantformat": variant_format},
        )
    return obj


def document_object_create(
    *,
    actor: Actor,
    municipality: Municipality,
    document: DocumentDescription,
    file_name: str,
    variant_format: str = "P",
    mime_type: str = "",
    format: str = "",
    expected_sha256: str = "",
    expected_size: int | None = None,
) -> DocumentObject:
    """A document object described before its file arrives (``document_object_upload``).

    What the client declares here (checksum, size) is verified when the file comes.
    """
    label = _require(actor, municipality, Permission.ARCHIVE_REGISTER)
    _check_code(variant_format, cl.VARIANT_FORMAT, "variantformat")
    if expected_sha256 and not re.fullmatch(r"[0-9a-fA-F]{64}", expected_sha256):
        raise ValidationError(
            "sjekksum må være en SHA-256 i heksadesimal.", code="invalid_checksum", field="sjekksum"
        )
    with transaction.atomic():
        locked = _lock(DocumentDescription, document.pk, municipality)
        version = _version_for_new_object(locked, variant_format)
        obj = DocumentObject.objects.create(
            municipality=municipality,
            document=locked,
            version_number=version or _next_version_number(locked),
            variant_format=variant_format,
            mime_type=mime_type,
            format=format,
            file_name=_non_blank(file_name, "filnavn"),
            file=None,
            checksum=expected_sha256.lower(),
            size=expected_size,
            created_at=timezone.now(),
            created_by=label,
        )
        audit_event_record(
            actor=actor,
            municipality=municipality,
            action="archive.document_object.create",
            object_type="dokumentobjekt",
            object_id=str(obj.system_id),
            detail={"versjonsnummer": obj.version_number, "variantformat": variant_format},
        )
    return obj


def document_object_upload(
    *, actor: Actor, municipality: Municipality, document_object: DocumentObject, content: IO[bytes]
) -> DocumentObject:
    """The file of a document object created without one. A stored file is never replaced."""
    _require(actor, municipality, Permission.ARCHIVE_REGISTER)
    with transaction.atomic():
        locked = _lock(DocumentObject, document_object.pk, municipality)
        if locked.file_id is not None:
            raise ConflictError(
                "En fil kan ikke overskrives: slett dokumentobjektet og last opp på nytt.",
                code="file_exists",
                field="fil",
            )
        _entries_accept_documents(locked.document)
        stored = _spool_and_store(municipality, content, locked.checksum, locked.size)
        locked.file, locked.checksum, locked.size = stored.file, stored.sha256, stored.size
        locked.mime_type = locked.mime_type or stored.mime_type
        locked.save(update_fields=["file", "checksum", "size", "mime_type"])
        audit_event_record(
            actor=actor,
            municipality=municipality,
            action="archive.document_object.upload",
            object_type="dokumentobjekt",
            object_id=str(locked.system_id),
            detail={"sjekksum": stored.sha256, "filstoerrelse": stored.size},
        )
    return locked


def _entries_accept_documents(document: DocumentDescription) -> None:
    if document.entries.filter(status="A").exists():
        raise ArchiveRuleError(
            "Journalposten er arkivert; dokumentene kan ikke endres.", code="entry_archived"
        )


def document_finalise(
    *, actor: Actor, municipality: Municipality, document: DocumentDescription
) -> DocumentDescription:
    """Set dokumentstatus F: from now on the document's content cannot change or be deleted."""
    _require(actor, municipality, Permission.ARCHIVE_REGISTER)
    with transaction.atomic():
        locked = _lock(DocumentDescription, document.pk, municipality)
        if locked.status == "F":
            raise ArchiveRuleError("Dokumentet er allerede ferdigstilt.", code="document_finalised")
        objects = locked.document_objects
        if not objects.exists() or objects.filter(file__isnull=True).exists():
            raise ArchiveRuleError("Dokumentet mangler en fil.", code="document_without_file")
        locked.status = "F"
        locked.save(update_fields=["status"])
        _log_changes(
            municipality=municipality,
            actor=actor,
            object_type="dokumentbeskrivelse",
            system_id=locked.system_id,
            changes={"dokumentstatus": ("B", "F")},
        )
    return locked


def document_object_delete(
    *, actor: Actor, municipality: Municipality, document_object: DocumentObject
) -> None:
    """Delete a file of a document under editing. Finalised documents keep every file."""
    _require(actor, municipality, Permission.ARCHIVE_REGISTER)
    with transaction.atomic():
        locked = _lock(DocumentDescription, document_object.document_id, municipality)
        if locked.status == "F":
            raise ArchiveRuleError(
                "Dokumentet er ferdigstilt; filene kan ikke slettes.", code="document_finalised"
            )
        system_id = document_object.system_id
        document_object.delete()
        audit_event_record(
            actor=actor,
            municipality=municipality,
            action="archive.document_object.delete",
            object_type="dokumentobjekt",
            object_id=str(system_id),
        )


def _set_status(
    *, actor: Actor, municipality: Municipality, entry: RegistryEntry, status: str, label: str
) -> None:
    old = entry.status
    if old == "A":
        raise ArchiveRuleError("Journalposten er arkivert og kan ikke endres.", code="entry_archived")
    if old == "U":
        raise ArchiveRuleError("Journalposten er utgått og kan ikke endres.", code="entry_cancelled")
    if status == old:
        raise ArchiveRuleError("Journalposten har allerede denne statusen.", code="status_unchanged")
    if status != "U":
        if ENTRY_STATUS_ORDER.index(status) < ENTRY_STATUS_ORDER.index(old):
            raise ArchiveRuleError(
                f"Status kan ikke gå tilbake fra {old} til {status}.", code="status_backwards"
            )
        if status == "E" and entry.entry_type != "U":
            raise ArchiveRuleError(
                "Bare utgående journalposter kan ekspederes.", code="dispatch_outgoing_only"
            )
        if status in NEEDS_FINALISED_DOCUMENTS and entry.documents.exclude(status="F").exists():
            raise ArchiveRuleError(
                "Alle dokumentene må være ferdigstilt først.", code="documents_not_finalised"
            )
        if (
            status in NEEDS_FINALISED_DOCUMENTS
            and entry.entry_type in {"I", "U"}
            and not entry.correspondence_parties.exists()
        ):
            raise ArchiveRuleError(
                "Inngående og utgående journalposter må ha en korrespondansepart før de ferdigstilles.",
                code="party_required",
            )
    entry.status = status
    fields = ["status"]
    if status == "A":
        entry.archived_at, entry.archived_by = timezone.now(), label
        fields += ["archived_at", "archived_by"]
    if status == "E" and entry.sent_date is None:
        entry.sent_date = timezone.now()
        fields.append("sent_date")
    entry.save(update_fields=fields)
    _log_changes(
        municipality=municipality,
        actor=actor,
        object_type="journalpost",
        system_id=entry.system_id,
        changes={"journalstatus": (old, status)},
    )


def registry_entry_set_status(
    *, actor: Actor, municipality: Municipality, entry: RegistryEntry, status: str
) -> RegistryEntry:
    """Move an entry along its journal status: J → F (finalise) → G → E (dispatch) → A (archive), or U."""
    label = _require(actor, municipality, Permission.ARCHIVE_REGISTER)
    _check_code(status, cl.REGISTRY_ENTRY_STATUS, "status")
    with transaction.atomic():
        locked = _lock(RegistryEntry, entry.pk, municipality)
        _set_status(actor=actor, municipality=municipality, entry=locked, status=status, label=label)
    return locked


def registry_entry_finalise(
    *, actor: Actor, municipality: Municipality, entry: RegistryEntry
) -> RegistryEntry:
    return registry_entry_set_status(actor=actor, municipality=municipality, entry=entry, status="F")


def registry_entry_dispatch(
    *, actor: Actor, municipality: Municipality, entry: RegistryEntry
) -> RegistryEntry:
    return registry_entry_set_status(actor=actor, municipality=municipality, entry=entry, status="E")


def registry_entry_archive(
    *, actor: Actor, municipality: Municipality, entry: RegistryEntry
) -> RegistryEntry:
    return registry_entry_set_status(actor=actor, municipality=municipality, entry=entry, status="A")


def registry_entry_update_title(
    *, actor: Actor, municipality: Municipality, entry: RegistryEntry, title: str
) -> RegistryEntry:
    """Change an entry's title; refused once it is archived. Logged in the change log."""
    _require(actor, municipality, Permission.ARCHIVE_REGISTER)
    with transaction.atomic():
        locked = _lock(RegistryEntry, entry.pk, municipality)
        if locked.status == "A":
            raise ArchiveRuleError("Journalposten er arkivert og kan ikke endres.", code="entry_archived")
        if locked.status == "U":
            raise ArchiveRuleError("Journalposten er utgått og kan ikke endres.", code="entry_cancelled")
        old, locked.title = locked.title, _non_blank(title, "title")
        locked.updated_at, locked.updated_by = timezone.now(), actor_display_name(actor)
        locked.save(update_fields=["title", "updated_at", "updated_by"])
        _log_changes(
            municipality=municipality,
            actor=actor,
            object_type="journalpost",
            system_id=locked.system_id,
            changes={"tittel": (old, locked.title)},
        )
    return locked


def correspondence_party_add(
    *, actor: Actor, municipality: Municipality, entry: RegistryEntry, party: PartyInput
) -> CorrespondenceParty:
    """Add a sender, recipient or copy recipient to an entry that is not yet archived."""
    _require(actor, municipality, Permission.ARCHIVE_REGISTER)
    _check_party(party)
    with transaction.atomic():
        locked = _lock(RegistryEntry, entry.pk, municipality)
        _require_open_entry(locked)
        created = CorrespondenceParty.objects.create(
            municipality=municipality, registry_entry=locked, **party.__dict__
        )
        audit_event_record(
            actor=actor,
            municipality=municipality,
            action="archive.correspondence_party.add",
            object_type="korrespondansepart",
            object_id=str(created.system_id),
            detail={"journalpost": str(locked.system_id), "type": party.party_type},
        )
    return created


def document_description_create(
    *,
    actor: Actor,
    municipality: Municipality,
    entry: RegistryEntry,
    title: str,
    document_type: str = "B",
    status: str = "B",
    linked_as: str | None = None,
) -> DocumentDescription:
    """A new document on an entry, without a file yet (add it with ``document_object_add``).

    The first document becomes the main document (H), later ones attachments (V), unless
    ``linked_as`` says otherwise.
    """
    label = _require(actor, municipality, Permission.ARCHIVE_REGISTER)
    if linked_as is not None:
        _check_code(linked_as, cl.LINKED_AS, "tilknyttetRegistreringSom")
    now = timezone.now()
    with transaction.atomic():
        locked = _lock(RegistryEntry, entry.pk, municipality)
        _require_open_entry(locked)
        has_main = locked.document_links.filter(linked_as="H").exists()
        if linked_as == "H" and has_main:
            raise ArchiveRuleError(
                "Journalposten har allerede et hoveddokument.", code="main_document_exists"
            )
        description = _description_link_new(
            municipality=municipality,
            entry=locked,
            title=title,
            document_type=document_type,
            status=status,
            linked_as=linked_as or ("V" if has_main else "H"),
            label=label,
            now=now,
        )
        audit_event_record(
            actor=actor,
            municipality=municipality,
            action="archive.document.create",
            object_type="dokumentbeskrivelse",
            object_id=str(description.system_id),
            detail={"journalpost": str(locked.system_id)},
        )
    return description


def class_create(
    *,
    actor: Actor,
    municipality: Municipality,
    system: ClassificationSystem,
    class_id: str,
    title: str,
    parent: Class | None = None,
) -> Class:
    """Add a class (klasse) to a classification system, optionally under a parent class."""
    label = _require(actor, municipality, Permission.ARCHIVE_MANAGE)
    _same_municipality(system, municipality, "klassifikasjonssystem")
    if parent is not None and parent.classification_system_id != system.pk:
        raise ValidationError(
            "Overklassen hører til et annet klassifikasjonssystem.", code="wrong_class", field="overklasse"
        )
    class_id = _non_blank(class_id, "klasseID")
    with transaction.atomic():
        if Class.objects.filter(classification_system=system, class_id=class_id).exists():
            raise ConflictError(
                f"KlasseID {class_id} finnes allerede.", code="duplicate_class_id", field="klasseID"
            )
        created = Class.objects.create(
            municipality=municipality,
            classification_system=system,
            parent=parent,
            class_id=_non_blank(class_id, "klasseID"),
            title=_non_blank(title, "tittel"),
            created_at=timezone.now(),
            created_by=label,
        )
        audit_event_record(
            actor=actor,
            municipality=municipality,
            action="archive.class.create",
            object_type="klasse",
            object_id=str(created.system_id),
            detail={"klasseID": class_id},
        )
    return created


def series_attach_classification_system(
    *, actor: Actor, municipality: Municipality, series: Series, title: str, classification_type: str = ""
) -> ClassificationSystem:
    """Create a classification system as the series' primary one (a series has at most one here)."""
    _require(actor, municipality, Permission.ARCHIVE_MANAGE)
    with transaction.atomic():
        locked = _lock(Series, series.pk, municipality)
        if locked.classification_system_id is not None:
            raise ArchiveRuleError(
                "Arkivdelen har allerede et klassifikasjonssystem.", code="series_has_classification"
            )
        _open_series(locked)
        system = classification_system_create(
            actor=actor, municipality=municipality, title=title, classification_type=classification_type
        )
        locked.classification_system = system
        locked.save(update_fields=["classification_system"])
    return system


@dataclass(frozen=True)
class EntryInput:
    """One entry for ``registry_entries_register_bulk``."""

    case_file: CaseFile
    entry_type: str
    title: str
    parties: Sequence[PartyInput] = ()
    status: str = "J"
    public_title: str = ""
    document_date: dt.date | None = None


def registry_entries_register_bulk(
    *, actor: Actor, municipality: Municipality, entries: Sequence[EntryInput]
) -> list[RegistryEntry]:
    """Register many entries (without documents) in one transaction, with the same rules and numbers
    as ``registry_entry_register``: for imports, migrations and mass registration.

    All or nothing: one refused entry refuses the whole batch. Cases are locked in id order, then
    one block of journal numbers is taken, so it runs beside single registrations without deadlock.
    """
    label = _require(actor, municipality, Permission.ARCHIVE_REGISTER)
    for index, item in enumerate(entries):
        _check_code(item.entry_type, cl.REGISTRY_ENTRY_TYPE, f"entries[{index}].entry_type")
        _check_code(item.status, cl.REGISTRY_ENTRY_STATUS, f"entries[{index}].status")
        _non_blank(item.title, f"entries[{index}].title")
        if item.status in {"E", "A", "U"}:
            raise ValidationError(
                "En ny journalpost kan ikke starte som ekspedert, arkivert eller utgått.",
                code="invalid_initial_status",
                field=f"entries[{index}].status",
            )
        if item.status in NEEDS_FINALISED_DOCUMENTS and item.entry_type in {"I", "U"} and not item.parties:
            raise ArchiveRuleError(
                "Inngående og utgående journalposter må ha en korrespondansepart før de ferdigstilles.",
                code="party_required",
            )
        for party in item.parties:
            _check_party(party, prefix=f"entries[{index}].")
        if item.case_file.municipality_id != municipality.pk:
            raise ValidationError(
                "Saken hører til en annen kommune.",
                code="wrong_municipality",
                field=f"entries[{index}].case_file",
            )
    if not entries:
        return []
    now = timezone.now()
    year = timezone.localdate(now).year
    with transaction.atomic():
        case_ids = sorted({item.case_file.pk for item in entries})
        cases = {
            case.pk: case
            for case in CaseFile.objects.select_for_update(of=("self",))
            .select_related("series")
            .filter(pk__in=case_ids)
            .order_by("pk")
        }
        for case in cases.values():
            _open_series(case.series)
            if case.case_status in {"A", "U"}:
                raise ArchiveRuleError(f"Saken {case.file_id} er avsluttet.", code="case_file_concluded")
        last_numbers = dict(
            RegistryEntry.objects.filter(case_file_id__in=case_ids)
            .values("case_file_id")
            .annotate(last=Max("entry_number"))
            .values_list("case_file_id", "last")
        )
        last_journal = number_next(
            municipality=municipality, kind=NumberSequence.Kind.JOURNAL, year=year, count=len(entries)
        )
        first_journal = last_journal - len(entries) + 1
        rows = []
        for offset, item in enumerate(entries):
            case = cases[item.case_file.pk]
            last_numbers[case.pk] = (last_numbers.get(case.pk) or 0) + 1
            rows.append(
                RegistryEntry(
                    municipality=municipality,
                    case_file=case,
                    entry_number=last_numbers[case.pk],
                    journal_year=year,
                    journal_sequence_number=first_journal + offset,
                    entry_type=item.entry_type,
                    status=item.status,
                    title=item.title.strip(),
                    public_title=item.public_title,
                    journal_date=timezone.localdate(now),
                    document_date=item.document_date,
                    received_date=now if item.entry_type == "I" else None,
                    administrative_unit=case.administrative_unit,
                    case_handler=case.case_responsible,
                    created_at=now,
                    created_by=label,
                )
            )
        created = RegistryEntry.objects.bulk_create(rows)
        CorrespondenceParty.objects.bulk_create(
            CorrespondenceParty(municipality=municipality, registry_entry=entry, **party.__dict__)
            for entry, item in zip(created, entries, strict=True)
            for party in item.parties
        )
        audit_events_record(
            actor=actor,
            municipality=municipality,
            events=[
                AuditEventInput(
                    action="archive.registry_entry.register",
                    object_type="journalpost",
                    object_id=str(entry.system_id),
                    detail={
                        "registreringsID": f"{entry.case_file.file_id}-{entry.entry_number}",
                        "type": entry.entry_type,
                    },
                )
                for entry in created
            ],
        )
    return created


# ------------------------------------------------------------------ comments, parties, references, write-offs


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
    if on.municipality_id != municipality.pk:
        raise ValidationError("Objektet hører til en annen kommune.", code="wrong_municipality", field="on")
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


@dataclass(frozen=True)
class CasePartyInput:
    name: str
    role: str
    kind: str = "person"
    postal_address: str = ""
    postal_code: str = ""
    city: str = ""
    email: str = ""
    phone: str = ""
    organisation_number: str = ""
    national_identity_number: str = ""


def case_party_add(
    *, actor: Actor, municipality: Municipality, case_file: CaseFile, party: CasePartyInput
) -> CaseParty:
    """A party to the case (sakspart), e.g. the client or the applicant's lawyer."""
    _require(actor, municipality, Permission.ARCHIVE_REGISTER)
    _check_code(party.role, cl.PARTY_ROLE, "partRolle")
    _non_blank(party.name, "partNavn")
    if party.kind not in {"person", "unit"}:
        raise ValidationError(f"Ukjent parttype {party.kind!r}.", code="invalid_code", field="kind")
    with transaction.atomic():
        locked = _lock(CaseFile, case_file.pk, municipality)
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


def cross_reference_add(
    *,
    actor: Actor,
    municipality: Municipality,
    source: CaseFile | RegistryEntry,
    target: CaseFile | RegistryEntry,
) -> CrossReference:
    """A one-way cross reference (kryssreferanse), stored on the source."""
    label = _require(actor, municipality, Permission.ARCHIVE_REGISTER)
    if source.municipality_id != municipality.pk or target.municipality_id != municipality.pk:
        raise ValidationError(
            "Begge objektene må høre til kommunen.", code="wrong_municipality", field="target"
        )
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


def registry_entry_write_off(
    *,
    actor: Actor,
    municipality: Municipality,
    entry: RegistryEntry,
    method: str,
    answered_by: RegistryEntry | None = None,
) -> WriteOff:
    """Write off (avskrive) an incoming (I) or internal follow-up (N) entry: answered, or closed."""
    label = _require(actor, municipality, Permission.ARCHIVE_REGISTER)
    _check_code(method, cl.WRITE_OFF_METHOD, "avskrivningsmaate")
    if entry.entry_type not in {"I", "N"}:
        raise ArchiveRuleError(
            "Bare inngående journalposter og interne notater med oppfølging avskrives.", code="write_off_type"
        )
    if answered_by is not None and (
        answered_by.municipality_id != municipality.pk or answered_by.pk == entry.pk
    ):
        raise ValidationError(
            "Svaret må være en annen journalpost i kommunen.",
            code="invalid_reference",
            field="referanseAvskrivesAvJournalpost",
        )
    with transaction.atomic():
        locked = _lock(RegistryEntry, entry.pk, municipality)
        write_off = _write_off(municipality, locked, method, answered_by, label)
        audit_event_record(
            actor=actor,
            municipality=municipality,
            action="archive.registry_entry.write_off",
            object_type="avskrivning",
            object_id=str(write_off.system_id),
            detail={"journalpost": str(locked.system_id), "avskrivningsmaate": method},
        )
    return write_off


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


def registry_entry_delete(*, actor: Actor, municipality: Municipality, entry: RegistryEntry) -> None:
    """Delete a reserved entry (journalstatus R) with its unfinished documents; nothing else may go.

    Noark 5 krav 3.2.19/3.2.21: an entry that is or was registered, dispatched or archived stays.
    """
    _require(actor, municipality, Permission.ARCHIVE_REGISTER)
    with transaction.atomic():
        locked = _lock(RegistryEntry, entry.pk, municipality)
        if locked.status != "R":
            raise ArchiveRuleError(
                "Bare reserverte journalposter (status R) kan slettes.", code="entry_not_deletable"
            )
        if locked.answers.exists():
            raise ArchiveRuleError(
                "Journalposten er oppgitt som svar i en avskrivning og kan ikke slettes.",
                code="entry_referenced",
            )
        documents = list(locked.documents.all())
        if any(document.status == "F" for document in documents):
            raise ArchiveRuleError("Journalposten har ferdigstilte dokumenter.", code="document_finalised")
        system_id = locked.system_id
        locked.document_links.all().delete()
        for document in documents:
            if not document.links.exists():
                document.document_objects.all().delete()
                document.delete()
        locked.delete()
        audit_event_record(
            actor=actor,
            municipality=municipality,
            action="archive.registry_entry.delete",
            object_type="journalpost",
            object_id=str(system_id),
        )


# ------------------------------------------------------------------ chunked uploads


def _upload_path(session: UploadSession) -> Path:
    return Path(settings.EKOMMUNE_UPLOAD_DIR) / f"{session.system_id}.part"


def upload_session_start(
    *,
    actor: Actor,
    municipality: Municipality,
    target: DocumentDescription | DocumentObject,
    file_name: str,
    mime_type: str,
    total_size: int,
) -> UploadSession:
    """Begin a chunked upload of ``total_size`` bytes for a document (a new object) or an object without a file."""
    _require(actor, municipality, Permission.ARCHIVE_REGISTER)
    assert isinstance(actor, User)  # _require admits logged-in users only
    if total_size <= 0:
        raise ValidationError(
            "Filstørrelsen må være over 0.", code="invalid_size", field="X-Upload-Content-Length"
        )
    _same_municipality(target, municipality, "fil")
    with transaction.atomic():
        if isinstance(target, DocumentObject):
            locked_object = _lock(DocumentObject, target.pk, municipality)
            if locked_object.file_id is not None:
                raise ConflictError("Dokumentobjektet har allerede en fil.", code="file_exists", field="fil")
            _entries_accept_documents(locked_object.document)
            fields: dict[str, Any] = {"document_object": locked_object}
        else:
            locked_document = _lock(DocumentDescription, target.pk, municipality)
            _version_for_new_object(locked_document, "P")
            fields = {"document": locked_document}
        session = UploadSession.objects.create(
            municipality=municipality,
            user=actor,
            file_name=file_name.strip() or "dokument",
            mime_type=mime_type,
            total_size=total_size,
            **fields,
        )
    path = _upload_path(session)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    return session


def upload_session_append(
    *,
    actor: Actor,
    municipality: Municipality,
    session: UploadSession,
    offset: int,
    total_size: int,
    content: IO[bytes],
) -> UploadSession | DocumentObject:
    """Write one chunk at ``offset``; after the last one, the file becomes a document object.

    A part may start at the bytes received so far, or earlier (a retry after a lost answer is
    written again at the same place), never later: no gaps.
    """
    _require(actor, municipality, Permission.ARCHIVE_REGISTER)
    assert isinstance(actor, User)  # _require admits logged-in users only
    with transaction.atomic():
        locked = (
            UploadSession.objects.select_for_update()
            .filter(pk=session.pk, municipality=municipality, user=actor)
            .first()
        )
        if locked is None:
            raise NotFoundError("Fant ingen opplasting med denne adressen.", code="not_found")
        if total_size != locked.total_size:
            raise ValidationError(
                "Totalstørrelsen stemmer ikke med opplastingen.", code="range_mismatch", field="Content-Range"
            )
        if offset > locked.received:
            raise ConflictError(
                f"Neste del må begynne ved byte {locked.received}.",
                code="range_out_of_order",
                field="Content-Range",
            )
        path = _upload_path(locked)
        with path.open("r+b") as part:
            part.seek(offset)
            written = 0
            for chunk in storage.iter_chunks(content):
                written += len(chunk)
                if offset + written > locked.total_size:
                    raise ValidationError(
                        "Delen går forbi den oppgitte filstørrelsen.",
                        code="range_mismatch",
                        field="Content-Range",
                    )
                part.write(chunk)
            part.truncate()
        locked.received = offset + written
        if locked.received < locked.total_size:
            locked.save(update_fields=["received"])
            return locked
        with path.open("rb") as complete:
            if locked.document_object is not None:
                result = document_object_upload(
                    actor=actor,
                    municipality=municipality,
                    document_object=locked.document_object,
                    content=complete,
                )
            else:
                assert locked.document is not None
                result = document_object_add(
                    actor=actor,
                    municipality=municipality,
                    document=locked.document,
                    file_name=locked.file_name,
                    content=complete,
                )
        locked.delete()
    path.unlink(missing_ok=True)
    return result


# ------------------------------------------------------------------ import (migration, municipal merger)
# Objects created as an extraction package describes them: with their own dates, numbers, statuses
# and authors, and without change-log rows of their own (the package's endringslogg is imported as
# it is). For the deposit app's import, which checks the package first and runs everything in one
# transaction. Each object gets a new systemID (the package's may exist on this installation).


@dataclass(frozen=True)
class Provenance:
    """opprettetDato/-Av and avsluttetDato/-Av as the package gives them."""

    created_at: dt.datetime
    created_by: str
    concluded_at: dt.datetime | None = None
    concluded_by: str = ""


def _import_audit(actor: Actor, municipality: Municipality, object_type: str, obj: Any) -> None:
    audit_event_record(
        actor=actor,
        municipality=municipality,
        action=f"archive.{object_type}.import",
        object_type=object_type,
        object_id=str(obj.system_id),
    )


def fonds_import(
    *,
    actor: Actor,
    municipality: Municipality,
    title: str,
    provenance: Provenance,
    creators: Sequence[tuple[str, str, str]] = (),
    description: str = "",
    status: str = "O",
    document_medium: str = "E",
) -> Fonds:
    """A fonds (arkiv) with its creators given as ``(arkivskaperID, arkivskaperNavn, beskrivelse)``."""
    _require(actor, municipality, Permission.ARCHIVE_MANAGE)
    _check_code(status, cl.FONDS_STATUS, "arkivstatus")
    _check_code(document_medium, cl.DOCUMENT_MEDIUM, "dokumentmedium")
    with transaction.atomic():
        fonds = Fonds.objects.create(
            municipality=municipality,
            title=_non_blank(title, "tittel"),
            description=description,
            status=status,
            document_medium=document_medium,
            created_at=provenance.created_at,
            created_by=provenance.created_by,
            concluded_at=provenance.concluded_at if status == "A" else None,
            concluded_by=provenance.concluded_by if status == "A" else "",
        )
        FondsCreator.objects.bulk_create(
            FondsCreator(
                municipality=municipality,
                fonds=fonds,
                creator_id=_non_blank(creator_id, "arkivskaperID"),
                name=_non_blank(name, "arkivskaperNavn"),
                description=creator_description,
                created_at=provenance.created_at,
                created_by=provenance.created_by,
            )
            for creator_id, name, creator_description in creators
        )
        _import_audit(actor, municipality, "arkiv", fonds)
    return fonds


def classification_system_import(
    *,
    actor: Actor,
    municipality: Municipality,
    title: str,
    provenance: Provenance,
    classification_type: str = "",
    description: str = "",
) -> ClassificationSystem:
    _require(actor, municipality, Permission.ARCHIVE_MANAGE)
    if classification_type:
        _check_code(classification_type, cl.CLASSIFICATION_TYPE, "klassifikasjonstype")
    with transaction.atomic():
        system = ClassificationSystem.objects.create(
            municipality=municipality,
            title=_non_blank(title, "tittel"),
            description=description,
            classification_type=classification_type,
            created_at=provenance.created_at,
            created_by=provenance.created_by,
        )
        _import_audit(actor, municipality, "klassifikasjonssystem", system)
    return system


def class_import(
    *,
    actor: Actor,
    municipality: Municipality,
    system: ClassificationSystem,
    class_id: str,
    title: str,
    provenance: Provenance,
    parent: Class | None = None,
    description: str = "",
) -> Class:
    _require(actor, municipality, Permission.ARCHIVE_MANAGE)
    _same_municipality(system, municipality, "klassifikasjonssystem")
    with transaction.atomic():
        created = Class.objects.create(
            municipality=municipality,
            classification_system=system,
            parent=parent,
            class_id=_non_blank(class_id, "klasseID"),
            title=_non_blank(title, "tittel"),
            description=description,
            created_at=provenance.created_at,
            created_by=provenance.created_by,
        )
        _import_audit(actor, municipality, "klasse", created)
    return created


def series_import(
    *,
    actor: Actor,
    municipality: Municipality,
    fonds: Fonds,
    title: str,
    provenance: Provenance,
    status: str = "A",
    classification_system: ClassificationSystem | None = None,
    description: str = "",
    document_medium: str = "E",
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
) -> Series:
    _require(actor, municipality, Permission.ARCHIVE_MANAGE)
    _same_municipality(fonds, municipality, "fonds")
    _check_code(status, cl.SERIES_STATUS, "arkivdelstatus")
    with transaction.atomic():
        series = Series.objects.create(
            municipality=municipality,
            fonds=fonds,
            title=_non_blank(title, "tittel"),
            description=description,
            status=status,
            document_medium=document_medium,
            classification_system=classification_system,
            period_start=period_start,
            period_end=period_end,
            created_at=provenance.created_at,
            created_by=provenance.created_by,
            concluded_at=provenance.concluded_at if status == "P" else None,
            concluded_by=provenance.concluded_by if status == "P" else "",
        )
        _import_audit(actor, municipality, "arkivdel", series)
    return series


@dataclass(frozen=True)
class CaseFileImport:
    """A saksmappe as an extraction package describes it."""

    case_year: int
    case_sequence_number: int
    title: str
    case_date: dt.date
    administrative_unit: str
    case_responsible: str
    provenance: Provenance
    case_status: str = "B"
    public_title: str = ""
    description: str = ""
    keywords: Sequence[str] = ()
    records_unit: str = ""
    document_medium: str = "E"
    screening: ScreeningInput | None = None
    parties: Sequence[CasePartyInput] = ()


def case_file_import(
    *,
    actor: Actor,
    municipality: Municipality,
    series: Series,
    primary_class: Class | None,
    data: CaseFileImport,
) -> CaseFile:
    """A case file with its given number, status and dates (the number must be free here)."""
    _require(actor, municipality, Permission.ARCHIVE_MANAGE)
    _same_municipality(series, municipality, "series")
    _check_code(data.case_status, cl.CASE_STATUS, "saksstatus")
    for party in data.parties:
        _check_code(party.role, cl.PARTY_ROLE, "partRolle")
    with transaction.atomic():
        if CaseFile.objects.filter(
            municipality=municipality,
            case_year=data.case_year,
            case_sequence_number=data.case_sequence_number,
        ).exists():
            raise ConflictError(
                f"Saksnummer {data.case_year}/{data.case_sequence_number} finnes allerede.",
                code="duplicate_case_number",
                field="mappeID",
            )
        concluded = data.case_status == "A"
        case_file = CaseFile.objects.create(
            municipality=municipality,
            series=series,
            primary_class=primary_class,
            case_year=data.case_year,
            case_sequence_number=data.case_sequence_number,
            title=_non_blank(data.title, "tittel"),
            public_title=data.public_title,
            description=data.description,
            keywords=list(data.keywords),
            document_medium=data.document_medium,
            case_date=data.case_date,
            administrative_unit=data.administrative_unit,
            case_responsible=data.case_responsible,
            records_unit=data.records_unit,
            case_status=data.case_status,
            screening=_screening_create(municipality, data.screening),
            created_at=data.provenance.created_at,
            created_by=data.provenance.created_by,
            concluded_at=(data.provenance.concluded_at or data.provenance.created_at) if concluded else None,
            concluded_by=data.provenance.concluded_by if concluded else "",
        )
        CaseParty.objects.bulk_create(
            CaseParty(municipality=municipality, case_file=case_file, **party.__dict__)
            for party in data.parties
        )
        _import_audit(actor, municipality, "saksmappe", case_file)
    return case_file


@dataclass(frozen=True)
class DocumentObjectImport:
    version_number: int
    variant_format: str
    format: str
    file_name: str
    content: IO[bytes]
    checksum: str
    created_at: dt.datetime
    created_by: str


@dataclass(frozen=True)
class DocumentImport:
    """A dokumentbeskrivelse and how it is linked to the entry; ``existing`` links one already imported."""

    title: str
    linked_as: str
    document_number: int
    linked_at: dt.datetime
    linked_by: str
    provenance: Provenance
    document_type: str = "B"
    status: str = "B"
    description: str = ""
    author: str = ""
    document_medium: str = "E"
    screening: ScreeningInput | None = None
    objects: Sequence[DocumentObjectImport] = ()
    existing: DocumentDescription | None = None


@dataclass(frozen=True)
class EntryImport:
    """A registrering (journalpost or arkivnotat) as an extraction package describes it."""

    record_type: str
    entry_number: int
    title: str
    journal_date: dt.date
    provenance: Provenance  # concluded_*: arkivertDato/-Av
    status: str = "J"
    entry_type: str = ""
    journal_year: int | None = None
    journal_sequence_number: int | None = None
    public_title: str = ""
    description: str = ""
    document_medium: str = "E"
    document_date: dt.date | None = None
    received_date: dt.datetime | None = None
    sent_date: dt.datetime | None = None
    due_date: dt.date | None = None
    administrative_unit: str = ""
    case_handler: str = ""
    screening: ScreeningInput | None = None
    parties: Sequence[PartyInput] = ()
    documents: Sequence[DocumentImport] = ()
    comments: Sequence[tuple[str, str, dt.datetime, str]] = ()  # text, type, date, by


def registry_entry_import(
    *, actor: Actor, municipality: Municipality, case_file: CaseFile, data: EntryImport
) -> tuple[RegistryEntry, list[DocumentDescription]]:
    """An entry with its numbers, status, parties, documents (files verified against their
    checksums) and comments; returns the entry and its documents in the order given."""
    _require(actor, municipality, Permission.ARCHIVE_MANAGE)
    _same_municipality(case_file, municipality, "case_file")
    _check_code(data.status, cl.REGISTRY_ENTRY_STATUS, "journalstatus")
    if data.record_type == RegistryEntry.RecordType.REGISTRY_ENTRY:
        _check_code(data.entry_type, cl.REGISTRY_ENTRY_TYPE, "journalposttype")
    for party in data.parties:
        _check_party(party)
    with transaction.atomic():
        archived = data.status == "A"
        entry = RegistryEntry.objects.create(
            municipality=municipality,
            case_file=case_file,
            record_type=data.record_type,
            entry_number=data.entry_number,
            journal_year=data.journal_year,
            journal_sequence_number=data.journal_sequence_number,
            entry_type=data.entry_type,
            status=data.status,
            title=_non_blank(data.title, "tittel"),
            public_title=data.public_title,
            description=data.description,
            document_medium=data.document_medium,
            journal_date=data.journal_date,
            document_date=data.document_date,
            received_date=data.received_date,
            sent_date=data.sent_date,
            due_date=data.due_date,
            administrative_unit=data.administrative_unit,
            case_handler=data.case_handler,
            screening=_screening_create(municipality, data.screening),
            created_at=data.provenance.created_at,
            created_by=data.provenance.created_by,
            archived_at=(data.provenance.concluded_at or data.provenance.created_at) if archived else None,
            archived_by=data.provenance.concluded_by if archived else "",
        )
        CorrespondenceParty.objects.bulk_create(
            CorrespondenceParty(municipality=municipality, registry_entry=entry, **party.__dict__)
            for party in data.parties
        )
        documents = [_document_import(municipality, entry, document) for document in data.documents]
        Comment.objects.bulk_create(
            Comment(
                municipality=municipality,
                registry_entry=entry,
                text=text,
                comment_type=comment_type,
                registered_at=registered_at,
                registered_by=registered_by,
            )
            for text, comment_type, registered_at, registered_by in data.comments
        )
        _import_audit(actor, municipality, "journalpost", entry)
    return entry, documents


def _document_import(
    municipality: Municipality, entry: RegistryEntry, data: DocumentImport
) -> DocumentDescription:
    _check_code(data.linked_as, cl.LINKED_AS, "tilknyttetRegistreringSom")
    description = data.existing
    if description is None:
        _check_code(data.document_type, cl.DOCUMENT_TYPE, "dokumenttype")
        _check_code(data.status, cl.DOCUMENT_STATUS, "dokumentstatus")
        description = DocumentDescription.objects.create(
            municipality=municipality,
            title=_non_blank(data.title, "tittel"),
            description=data.description,
            document_type=data.document_type,
            status=data.status,
            author=data.author,
            document_medium=data.document_medium,
            screening=_screening_create(municipality, data.screening),
            created_at=data.provenance.created_at,
            created_by=data.provenance.created_by,
        )
        for obj in data.objects:
            _check_code(obj.variant_format, cl.VARIANT_FORMAT, "variantformat")
            stored = _spool_and_store(municipality, obj.content, obj.checksum)
            DocumentObject.objects.create(
                municipality=municipality,
                document=description,
                version_number=obj.version_number,
                variant_format=obj.variant_format,
                format=obj.format,
                mime_type=stored.mime_type,
                file_name=_non_blank(obj.file_name, "filnavn"),
                file=stored.file,
                checksum=stored.sha256,
                size=stored.size,
                created_at=obj.created_at,
                created_by=obj.created_by,
            )
    DocumentLink.objects.create(
        municipality=municipality,
        registry_entry=entry,
        document=description,
        linked_as=data.linked_as,
        document_number=data.document_number,
        linked_at=data.linked_at,
        linked_by=data.linked_by,
    )
    return description


def archive_links_import(
    *,
    actor: Actor,
    municipality: Municipality,
    write_offs: Sequence[tuple[RegistryEntry, str, dt.datetime, str, RegistryEntry | None]] = (),
    references: Sequence[tuple[CaseFile | RegistryEntry, CaseFile | RegistryEntry]] = (),
    comments: Sequence[tuple[CaseFile | DocumentDescription, str, str, dt.datetime, str]] = (),
) -> None:
    """What links imported objects to each other, once all exist: write-offs ``(entry, method,
    date, by, answered_by)``, cross references ``(source, target)`` and comments on case files
    and documents ``(on, text, type, date, by)``."""
    _require(actor, municipality, Permission.ARCHIVE_MANAGE)
    with transaction.atomic():
        for entry, method, written_off_at, written_off_by, answered_by in write_offs:
            _check_code(method, cl.WRITE_OFF_METHOD, "avskrivningsmaate")
            WriteOff.objects.create(
                municipality=municipality,
                registry_entry=entry,
                method=method,
                written_off_at=written_off_at,
                written_off_by=written_off_by,
                answered_by=answered_by,
            )
        for source, target in references:
            CrossReference.objects.create(
                municipality=municipality,
                created_at=timezone.now(),
                created_by=actor_display_name(actor),
                **{
                    "from_case_file" if isinstance(source, CaseFile) else "from_entry": source,
                    "to_case_file" if isinstance(target, CaseFile) else "to_entry": target,
                },
            )
        for on, text, comment_type, registered_at, registered_by in comments:
            Comment.objects.create(
                municipality=municipality,
                text=text,
                comment_type=comment_type,
                registered_at=registered_at,
                registered_by=registered_by,
                **{"case_file" if isinstance(on, CaseFile) else "document": on},
            )


def change_log_import(
    *,
    actor: Actor,
    municipality: Municipality,
    changes: Sequence[tuple[uuid.UUID, str, str, str, dt.datetime, str]],
    object_types: dict[uuid.UUID, str],
) -> int:
    """Endringslogg rows ``(systemID, element, old, new, date, by)`` for imported objects."""
    _require(actor, municipality, Permission.ARCHIVE_MANAGE)
    with transaction.atomic():
        created = ChangeLogEntry.objects.bulk_create(
            ChangeLogEntry(
                municipality=municipality,
                object_type=object_types.get(system_id, ""),
                object_system_id=system_id,
                field=name,
                old_value=old,
                new_value=new,
                changed_at=changed_at,
                changed_by=changed_by,
            )
            for system_id, name, old, new, changed_at, changed_by in changes
        )
    return len(created)


def number_sequences_catch_up(*, actor: Actor, municipality: Municipality) -> None:
    """After an import: each case and journal counter at least at the highest number in use."""
    _require(actor, municipality, Permission.ARCHIVE_MANAGE)
    highest = [
        (NumberSequence.Kind.CASE, row["case_year"], row["last"])
        for row in CaseFile.objects.filter(municipality=municipality)
        .values("case_year")
        .annotate(last=Max("case_sequence_number"))
    ] + [
        (NumberSequence.Kind.JOURNAL, row["journal_year"], row["last"])
        for row in RegistryEntry.objects.filter(municipality=municipality, journal_year__isnull=False)
        .values("journal_year")
        .annotate(last=Max("journal_sequence_number"))
    ]
    with transaction.atomic():
        for kind, year, last in highest:
            sequence, _ = NumberSequence.objects.select_for_update().get_or_create(
                municipality=municipality, kind=kind, year=int(year or 0)
            )
            if sequence.last_value < last:
                sequence.last_value = last
                sequence.save(update_fields=["last_value"])
