"""Registering registry entries (journalposter, arkivnotater): one at a time with parties and documents, or in bulk."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
import uuid
from collections.abc import Sequence

from django.db import connection, transaction
from django.db.models import Max
from django.db.models.base import ModelState
from django.utils import timezone

from ekommune.archive import codelists as cl
from ekommune.archive.models import (
    CaseFile,
    CorrespondenceParty,
    DocumentDescription,
    DocumentLink,
    NumberSequence,
    RegistryEntry,
)
from ekommune.archive.services.case_files import _case_file_check, _case_file_event, _case_file_insert
from ekommune.archive.services.common import (
    NEEDS_FINALISED_DOCUMENTS,
    _check_code,
    _check_party,
    _non_blank,
    _open_series,
    _require,
    _screening_create,
    number_counter_create,
    number_next,
)
from ekommune.archive.services.documents import _document_check, _documents_store
from ekommune.archive.types import (
    ArchiveRuleError,
    DocumentInput,
    EntryInput,
    NewCaseFile,
    PartyInput,
    ScreeningInput,
)
from ekommune.core.errors import ValidationError
from ekommune.core.models import Municipality
from ekommune.core.permissions import Permission
from ekommune.core.services import (
    Actor,
    AuditEventInput,
    audit_events_append,
    audit_events_with,
    tenant_object_check,
)

_NOT_A_NEW_ENTRY_STATUS = {"E", "A", "U"}


def _initial_status_check(status: str, field: str) -> None:
    if status in _NOT_A_NEW_ENTRY_STATUS:
        raise ValidationError(
            "En ny journalpost kan ikke starte som ekspedert, arkivert eller utgått.",
            code="invalid_initial_status",
            field=field,
        )


def _party_required_check(status: str, entry_type: str, has_parties: bool) -> None:
    if status in NEEDS_FINALISED_DOCUMENTS and entry_type in {"I", "U"} and not has_parties:
        raise ArchiveRuleError(
            "Inngående og utgående journalposter må ha en korrespondansepart før de ferdigstilles.",
            code="party_required",
        )


def _registration_check(
    *,
    municipality: Municipality,
    case_file: CaseFile | NewCaseFile,
    entry_type: str,
    title: str,
    parties: Sequence[PartyInput],
    documents: Sequence[DocumentInput],
    status: str,
    is_note: bool,
) -> str:
    """Everything ``registry_entry_register`` checks before its first write; the title, stripped."""
    if not is_note:
        _check_code(entry_type, cl.REGISTRY_ENTRY_TYPE, "entry_type")
    _check_code(status, cl.REGISTRY_ENTRY_STATUS, "status")
    _initial_status_check(status, "status")
    if status in NEEDS_FINALISED_DOCUMENTS and any(not document.finalised for document in documents):
        raise ArchiveRuleError(
            "Alle dokumentene må være ferdigstilt for denne statusen (bruk R for et utkast).",
            code="documents_not_finalised",
        )
    for party in parties:
        _check_party(party)
    _party_required_check(status, entry_type, bool(parties))
    if isinstance(case_file, NewCaseFile):
        _case_file_check(municipality, case_file)
    else:
        tenant_object_check(case_file, municipality=municipality, field="case_file")
    title = _non_blank(title, "title")
    for document in documents:
        _document_check(document)
    return title


def _open_case_of_entry(
    *,
    municipality: Municipality,
    case_file: CaseFile | NewCaseFile,
    label: str,
    now: dt.datetime,
    events: list[AuditEventInput],
) -> tuple[CaseFile, int, int]:
    """The case the new entry goes into, locked (or opened, numbered and announced in ``events``),
    the last entry number it holds, and the id the new entry will have."""
    if isinstance(case_file, NewCaseFile):
        created = _case_file_insert(municipality=municipality, new=case_file, label=label, now=now)
        events.append(_case_file_event(created))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {_NEXT_ENTRY_ID}")
            return created, 0, cursor.fetchone()[0]
    locked = CaseFile.objects.select_for_update(of=("self",)).select_related("series").get(pk=case_file.pk)
    _open_series(locked.series)
    if locked.case_status in {"A", "U"}:
        raise ArchiveRuleError(
            "Saken er avsluttet og tar ikke imot nye journalposter.", code="case_file_concluded"
        )
    with connection.cursor() as cursor:  # after the lock, in a statement of its own (a fresh snapshot)
        cursor.execute(
            f"SELECT COALESCE(max(entry_number), 0), {_NEXT_ENTRY_ID} FROM archive_registryentry "  # noqa: S608 (constants)
            "WHERE case_file_id = %s",
            [locked.pk],
        )
        last_number, entry_id = cursor.fetchone()
    return locked, last_number, entry_id


_NEXT_ENTRY_ID = "nextval(pg_get_serial_sequence('archive_registryentry', 'id'))"


def _entry_insert_numbered(
    *, actor: Actor, municipality: Municipality, entry: RegistryEntry, events: Sequence[AuditEventInput]
) -> None:
    """Write the entry with the next journal number (none for an arkivnotat) and its audit events,
    in one statement: the journal counter and the audit chain, which every registration of the
    municipality waits for, are held for that statement and the commit only (decision 0190)."""
    values = entry.__dict__
    fields = _entry_fields()
    columns = [name for name in _ENTRY_COLUMNS if name != "journal_sequence_number"]
    selected = ", ".join(f"%s::{fields[name]}" for name in columns)
    year = entry.journal_year
    if year is None:
        number = "_number AS (SELECT NULL::integer AS last_value)"
        number_params: list[object] = []
    else:
        number = (
            "_number AS (UPDATE archive_numbersequence SET last_value = last_value + 1 "
            "WHERE municipality_id = %s AND kind = %s AND year = %s RETURNING last_value)"
        )
        number_params = [municipality.pk, NumberSequence.Kind.JOURNAL, year]
    ctes = (
        f"{number}, _entry AS (INSERT INTO archive_registryentry ({', '.join(columns)}, journal_sequence_number) "  # noqa: S608
        f"SELECT {selected}, last_value FROM _number RETURNING journal_sequence_number)"
    )
    params = [*number_params, *(values[name] for name in columns)]
    for _ in range(2):
        row = audit_events_with(
            actor=actor,
            municipality=municipality,
            events=events,
            ctes=ctes,
            params=params,
            guard="_entry",
            result="(SELECT count(*) FROM _entry), (SELECT journal_sequence_number FROM _entry)",
        )
        if row is not None and row[0] == 1:
            entry.journal_sequence_number = row[1]
            entry._state.adding, entry._state.db = False, connection.alias
            return
        assert year is not None  # an arkivnotat takes no number, so its statement always writes
        number_counter_create(municipality=municipality, kind=NumberSequence.Kind.JOURNAL, year=year)
    raise AssertionError("the journal counter was created, yet no number was taken")  # pragma: no cover


@functools.cache
def _entry_fields() -> dict[str, str]:
    """The database type of each column of an entry (parameters are cast to them: with values bound
    on the client, a NULL would otherwise be taken as text)."""
    # Without the length: a cast to varchar(n) would cut a longer text, where the column refuses it.
    return {
        str(field.column): re.sub(r"^varchar\(\d+\)$", "varchar", str(field.db_type(connection)))
        for field in RegistryEntry._meta.concrete_fields
    }


def _registration_event(entry: RegistryEntry, case_file: CaseFile) -> AuditEventInput:
    return AuditEventInput(
        action="archive.registry_entry.register",
        object_type="journalpost",
        object_id=str(entry.system_id),
        detail={"registreringsID": f"{case_file.file_id}-{entry.entry_number}", "type": entry.entry_type},
    )


def _parties_insert(
    municipality: Municipality, entries: Sequence[RegistryEntry], parties: Sequence[Sequence[PartyInput]]
) -> None:
    """The correspondence parties of each entry (``parties[i]`` those of ``entries[i]``), in one statement."""
    CorrespondenceParty.objects.bulk_create(
        CorrespondenceParty(municipality=municipality, registry_entry=entry, **party.__dict__)
        for entry, entry_parties in zip(entries, parties, strict=True)
        for party in entry_parties
    )


def _documents_link(
    *,
    municipality: Municipality,
    entry: RegistryEntry,
    descriptions: Sequence[DocumentDescription],
    label: str,
    now: dt.datetime,
) -> None:
    """The documents of a new entry in their order: the first is the main document (H), the rest attachments (V)."""
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
    title = _registration_check(
        municipality=municipality,
        case_file=case_file,
        entry_type=entry_type,
        title=title,
        parties=parties,
        documents=documents,
        status=status,
        is_note=is_note,
    )
    now = timezone.now()
    year = timezone.localdate(now).year
    events: list[AuditEventInput] = []
    with transaction.atomic():
        entry_screening = _screening_create(municipality, screening, level="registrering")
        descriptions, files = _documents_store(
            municipality=municipality, documents=documents, label=label, now=now
        )
        locked_case, last_number, entry_id = _open_case_of_entry(
            municipality=municipality, case_file=case_file, label=label, now=now, events=events
        )
        entry = RegistryEntry(
            id=entry_id,
            municipality=municipality,
            case_file=locked_case,
            record_type=record_type,
            entry_number=last_number + 1,
            journal_year=None if is_note else year,
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
        # Parties and document links first (their references to the entry are checked at commit),
        # then the entry itself with its journal number and audit events, last.
        _parties_insert(municipality, [entry], [parties])
        _documents_link(
            municipality=municipality, entry=entry, descriptions=descriptions, label=label, now=now
        )
        events.append(_registration_event(entry, locked_case))
        _entry_insert_numbered(actor=actor, municipality=municipality, entry=entry, events=events)
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


def _bulk_check(municipality: Municipality, entries: Sequence[EntryInput]) -> None:
    """Everything ``registry_entries_register_bulk`` checks before its first write, entry by entry."""
    for index, item in enumerate(entries):
        _check_code(item.entry_type, cl.REGISTRY_ENTRY_TYPE, f"entries[{index}].entry_type")
        _check_code(item.status, cl.REGISTRY_ENTRY_STATUS, f"entries[{index}].status")
        _non_blank(item.title, f"entries[{index}].title")
        _initial_status_check(item.status, f"entries[{index}].status")
        _party_required_check(item.status, item.entry_type, bool(item.parties))
        for party in item.parties:
            _check_party(party, prefix=f"entries[{index}].")
        tenant_object_check(item.case_file, municipality=municipality, field=f"entries[{index}].case_file")


def _open_cases_lock(entries: Sequence[EntryInput]) -> tuple[dict[int, CaseFile], dict[int, int]]:
    """The cases of a batch, locked in id order (no deadlock beside single registrations), each
    open, and the last entry number of each."""
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
    return cases, last_numbers


_ENTRY_COLUMNS = (
    "id", "municipality_id", "system_id", "created_at", "created_by", "updated_at", "updated_by",
    "case_file_id", "record_type", "entry_number", "journal_year", "journal_sequence_number", "entry_type",
    "status", "title", "public_title", "description", "document_medium", "journal_date", "document_date",
    "received_date", "sent_date", "due_date", "administrative_unit", "case_handler", "screening_id",
    "archived_at", "archived_by",
)  # fmt: skip
_PARTY_FIELDS = tuple(field.name for field in dataclasses.fields(PartyInput))
_PARTY_COLUMNS = ("municipality_id", "system_id", "registry_entry_id", *_PARTY_FIELDS)


def _bulk_rows(
    *,
    municipality: Municipality,
    entries: Sequence[EntryInput],
    cases: dict[int, CaseFile],
    last_numbers: dict[int, int],
    ids: Sequence[int],
    label: str,
    now: dt.datetime,
) -> list[RegistryEntry]:
    """The entries of a batch as model objects (ids taken, not yet written), numbered on in each
    case; the journal numbers are set when they are taken."""
    today = timezone.localdate(now)
    common = RegistryEntry(
        municipality=municipality,
        journal_year=today.year,
        journal_date=today,
        created_at=now,
        created_by=label,
    ).__dict__
    common = {name: value for name, value in common.items() if name != "_state"}
    rows = []
    for offset, item in enumerate(entries):
        case = cases[item.case_file.pk]
        last_numbers[case.pk] = (last_numbers.get(case.pk) or 0) + 1
        # Made as the ORM makes a loaded row (no __init__ per entry: a third of the batch's time).
        entry = RegistryEntry.__new__(RegistryEntry)
        entry.__dict__.update(common)
        entry.__dict__.update(
            id=ids[offset],
            system_id=uuid.uuid4(),
            case_file_id=case.pk,
            entry_number=last_numbers[case.pk],
            entry_type=item.entry_type,
            status=item.status,
            title=item.title.strip(),
            public_title=item.public_title,
            document_date=item.document_date,
            received_date=now if item.entry_type == "I" else None,
            administrative_unit=case.administrative_unit,
            case_handler=case.case_responsible,
        )
        state = ModelState()
        state.adding, state.db = False, connection.alias  # written below, with COPY
        state.fields_cache = {"case_file": case, "municipality": municipality}
        entry._state = state
        rows.append(entry)
    return rows


def _bulk_copy(
    municipality: Municipality, created: Sequence[RegistryEntry], entries: Sequence[EntryInput]
) -> None:
    """The entries and their correspondence parties, each table in one COPY."""
    with connection.cursor() as cursor, connection.wrap_database_errors:
        with cursor.cursor.copy(
            f"COPY archive_registryentry ({', '.join(_ENTRY_COLUMNS)}) FROM STDIN"
        ) as copy:
            for entry in created:
                values = entry.__dict__  # a model keeps each column under its name (attname)
                copy.write_row([values[name] for name in _ENTRY_COLUMNS])
        with cursor.cursor.copy(
            f"COPY archive_correspondenceparty ({', '.join(_PARTY_COLUMNS)}) FROM STDIN"
        ) as copy:
            for entry, item in zip(created, entries, strict=True):
                for party in item.parties:
                    copy.write_row(
                        (
                            municipality.pk,
                            uuid.uuid4(),
                            entry.pk,
                            *(getattr(party, name) for name in _PARTY_FIELDS),
                        )
                    )


def registry_entries_register_bulk(
    *, actor: Actor, municipality: Municipality, entries: Sequence[EntryInput]
) -> list[RegistryEntry]:
    """Register many entries (without documents) in one transaction, with the same rules and numbers
    as ``registry_entry_register``: for imports, migrations and mass registration.

    All or nothing: one refused entry refuses the whole batch. Cases are locked in id order, then
    one block of journal numbers is taken, so it runs beside single registrations without deadlock.
    """
    label = _require(actor, municipality, Permission.ARCHIVE_REGISTER)
    _bulk_check(municipality, entries)
    if not entries:
        return []
    now = timezone.now()
    with transaction.atomic():
        cases, last_numbers = _open_cases_lock(entries)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence('archive_registryentry', 'id')) "
                "FROM generate_series(1, %s)",
                [len(entries)],
            )
            ids = [row[0] for row in cursor.fetchall()]
        created = _bulk_rows(
            municipality=municipality,
            entries=entries,
            cases=cases,
            last_numbers=last_numbers,
            ids=ids,
            label=label,
            now=now,
        )
        # The block of journal numbers last: the counter stays locked until commit.
        last_journal = number_next(
            municipality=municipality,
            kind=NumberSequence.Kind.JOURNAL,
            year=timezone.localdate(now).year,
            count=len(entries),
        )
        first_journal = last_journal - len(entries) + 1
        for offset, entry in enumerate(created):
            entry.journal_sequence_number = first_journal + offset
        _bulk_copy(municipality, created, entries)
        audit_events_append(
            actor=actor,
            municipality=municipality,
            events=(_registration_event(entry, entry.case_file) for entry in created),
        )
    return created
