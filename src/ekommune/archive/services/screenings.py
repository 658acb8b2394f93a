"""A case worker decides a screening afterwards: what a case file's or an entry's skjerming screens.

An access restriction with no screened fields is published fully screened (decision 0300) until
someone says what is screened; this is where they say it. The values go through the one mapping
(``ekommune.archive.screening``), the change is in the change log, and the entries concerned are
marked changed so that the next publication refresh screens them anew.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ekommune.archive.models import CaseFile, RegistryEntry, Screening
from ekommune.archive.services.common import _log_changes, _require, _screening_create
from ekommune.archive.types import ArchiveRuleError, ScreeningInput
from ekommune.core.models import Municipality
from ekommune.core.permissions import Permission
from ekommune.core.services import Actor, actor_display_name, tenant_row_lock


def _values(screening: Screening | None) -> dict[str, str]:
    """The screening as the change log writes it (Noark element names)."""
    if screening is None:
        return dict.fromkeys(
            (
                "tilgangsrestriksjon",
                "skjermingshjemmel",
                "skjermingMetadata",
                "skjermingDokument",
                "skjermingsvarighet",
                "skjermingOpphoererDato",
            ),
            "",
        )
    return {
        "tilgangsrestriksjon": screening.access_restriction,
        "skjermingshjemmel": screening.legal_basis,
        "skjermingMetadata": " ".join(screening.screened_metadata),
        "skjermingDokument": screening.screened_document,
        "skjermingsvarighet": "" if screening.duration_years is None else str(screening.duration_years),
        "skjermingOpphoererDato": screening.ends_on.isoformat() if screening.ends_on else "",
    }


def screening_set(
    *,
    actor: Actor,
    municipality: Municipality,
    on: CaseFile | RegistryEntry,
    screening: ScreeningInput | None,
) -> CaseFile | RegistryEntry:
    """Replace the screening of a case file or registry entry (``None`` lifts it).

    Refused on a cancelled entry; an unknown value refuses it as on registration.
    """
    _require(actor, municipality, Permission.ARCHIVE_REGISTER)
    is_case = isinstance(on, CaseFile)
    with transaction.atomic():
        locked: CaseFile | RegistryEntry = tenant_row_lock(type(on), pk=on.pk, municipality=municipality)
        if isinstance(locked, RegistryEntry) and locked.status == "U":
            raise ArchiveRuleError("Journalposten er utgått og kan ikke endres.", code="entry_cancelled")
        old = locked.screening
        locked.screening = _screening_create(
            municipality, screening, level="mappe" if is_case else "registrering"
        )
        now, label = timezone.now(), actor_display_name(actor)
        if isinstance(locked, RegistryEntry):
            locked.updated_at, locked.updated_by = now, label
            locked.save(update_fields=["screening", "updated_at", "updated_by"])
        else:
            locked.save(update_fields=["screening"])
            # what the public sees of every entry of the case follows the case's screening
            RegistryEntry.objects.filter(municipality=municipality, case_file=locked).update(
                updated_at=now, updated_by=label
            )
        if old is not None:
            old.delete()
        before, after = _values(old), _values(locked.screening)
        changes: dict[str, tuple[object, object]] = {
            name: (before[name], after[name]) for name in before if before[name] != after[name]
        }
        if changes:
            _log_changes(
                municipality=municipality,
                actor=actor,
                object_type="saksmappe" if is_case else "journalpost",
                system_id=locked.system_id,
                changes=changes,
            )
    return locked
