"""Read logging on the archive's side (decision 0226): which case a read document file or screened
registry entry belongs to, noted through ``core.readlog``; and the cases a person is a party to,
for the security officer's "who has read data about this person" report."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from ekommune.archive.models import CaseFile, DocumentLink, DocumentObject, RegistryEntry
from ekommune.archive.types import PartyCase
from ekommune.core import readlog
from ekommune.core.models import Municipality
from ekommune.core.permissions import Permission
from ekommune.core.services import Actor, permission_require

_ENTRY = "registry_entry__"
_CASE = "registry_entry__case_file__"


def document_file_read_note(
    *, actor: Actor, municipality: Municipality, document_id: int, object_system_id: uuid.UUID
) -> None:
    """Note that ``actor`` read the file of a document object (one query: the case it is filed in)."""
    row = (
        DocumentLink.objects.filter(municipality=municipality, document_id=document_id)
        .order_by("pk")
        .values(
            f"{_ENTRY}case_handler",
            f"{_CASE}system_id",
            f"{_CASE}case_year",
            f"{_CASE}case_sequence_number",
            f"{_CASE}administrative_unit",
            f"{_CASE}case_responsible",
        )
        .first()
    ) or {}
    readlog.read_note(
        actor=actor,
        municipality=municipality,
        kind=readlog.DOCUMENT_FILE,
        object_id=object_system_id,
        case_file=row.get(f"{_CASE}system_id", ""),
        purpose=_case_number(row.get(f"{_CASE}case_year"), row.get(f"{_CASE}case_sequence_number")),
        unit=row.get(f"{_CASE}administrative_unit", ""),
        handlers=(row.get(f"{_CASE}case_responsible", ""), row.get(f"{_ENTRY}case_handler", "")),
    )


def screened_entries_read_note(*, actor: Actor, municipality: Municipality, objects: Iterable[Any]) -> None:
    """Note the reads of the screened registry entries among ``objects`` (a page of an API list,
    one looked-up object): their full data was given out. One query for all their cases."""
    entries = [obj for obj in objects if isinstance(obj, RegistryEntry) and obj.screening_id is not None]
    if not entries:
        return
    fields = (
        "pk",
        "system_id",
        "case_year",
        "case_sequence_number",
        "administrative_unit",
        "case_responsible",
    )
    # The case an entry's rendering loaded already (its link to its mappe) costs no query.
    cases = {
        entry.case_file_id: {name: getattr(entry.case_file, name) for name in fields}
        for entry in entries
        if RegistryEntry.case_file.is_cached(entry)
    }
    missing = {entry.case_file_id for entry in entries} - set(cases)
    if missing:
        cases |= {row["pk"]: row for row in CaseFile.objects.filter(pk__in=missing).values(*fields)}
    for entry in entries:
        case = cases[entry.case_file_id]
        readlog.read_note(
            actor=actor,
            municipality=municipality,
            kind=readlog.REGISTRY_ENTRY,
            object_id=entry.system_id,
            case_file=case["system_id"],
            purpose=_case_number(case["case_year"], case["case_sequence_number"]),
            unit=case["administrative_unit"],
            handlers=(case["case_responsible"], entry.case_handler),
        )


def party_cases(
    *, actor: Actor, municipality: Municipality, national_identity_number: str = "", name: str = ""
) -> list[PartyCase]:
    """The cases in which a person is a correspondence party, found by national identity number
    (exact) or name (case-insensitive, whole): for the read review's report on one person."""
    permission_require(actor=actor, municipality=municipality, permission=Permission.SECURITY_READ_REVIEW)
    if not national_identity_number and not name:
        return []
    condition = Q()
    if national_identity_number:
        condition |= Q(correspondence_parties__national_identity_number=national_identity_number)
    if name:
        condition |= Q(correspondence_parties__name__iexact=name.strip())
    rows = (
        RegistryEntry.objects.filter(condition, municipality=municipality)
        .values("case_file__system_id", "case_file__case_year", "case_file__case_sequence_number")
        .distinct()
        .order_by("case_file__case_year", "case_file__case_sequence_number")
    )
    return [
        PartyCase(
            case_file=str(row["case_file__system_id"]),
            case_number=_case_number(row["case_file__case_year"], row["case_file__case_sequence_number"]),
        )
        for row in rows[:1000]
    ]


def _case_number(year: int | None, sequence: int | None) -> str:
    return f"{year}/{sequence}" if year and sequence else ""


def handler_units(*, municipality: Municipality, names: Iterable[str]) -> set[str]:
    """The administrative units of the cases a person is responsible for or handles (by the names
    the archive records them under): the read review's "own unit"."""
    wanted = [name for name in names if name]
    if not wanted:
        return set()
    cases = CaseFile.objects.filter(municipality=municipality, case_responsible__in=wanted).values_list(
        "administrative_unit", flat=True
    )
    entries = RegistryEntry.objects.filter(municipality=municipality, case_handler__in=wanted).values_list(
        "case_file__administrative_unit", flat=True
    )
    return {unit for unit in (*cases.distinct(), *entries.distinct()) if unit}


def document_files_latest(*, actor: Actor, municipality: Municipality, limit: int = 20) -> list[uuid.UUID]:
    """The systemIDs of the newest document objects that have a file (the demo's reads)."""
    permission_require(actor=actor, municipality=municipality, permission=Permission.ARCHIVE_READ)
    return list(
        DocumentObject.objects.filter(municipality=municipality, file__isnull=False)
        .order_by("-created_at", "-pk")
        .values_list("system_id", flat=True)[:limit]
    )
