"""What happens to a registered entry: status (finalise, dispatch, archive, cancel), title, parties, write-offs, deletion."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ekommune.archive import codelists as cl
from ekommune.archive.models import CorrespondenceParty, RegistryEntry, WriteOff
from ekommune.archive.services.common import (
    ENTRY_STATUS_ORDER,
    NEEDS_FINALISED_DOCUMENTS,
    _check_code,
    _check_party,
    _log_changes,
    _non_blank,
    _require,
    _require_open_entry,
    _write_off,
)
from ekommune.archive.types import ArchiveRuleError, PartyInput
from ekommune.core.errors import ValidationError
from ekommune.core.models import Municipality
from ekommune.core.permissions import Permission
from ekommune.core.services import Actor, actor_display_name, audit_event_record, tenant_row_lock


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
        locked = tenant_row_lock(RegistryEntry, pk=entry.pk, municipality=municipality)
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
        locked = tenant_row_lock(RegistryEntry, pk=entry.pk, municipality=municipality)
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
        locked = tenant_row_lock(RegistryEntry, pk=entry.pk, municipality=municipality)
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
        locked = tenant_row_lock(RegistryEntry, pk=entry.pk, municipality=municipality)
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


def registry_entry_delete(*, actor: Actor, municipality: Municipality, entry: RegistryEntry) -> None:
    """Delete a reserved entry (journalstatus R) with its unfinished documents; nothing else may go.

    Noark 5 krav 3.2.19/3.2.21: an entry that is or was registered, dispatched or archived stays.
    """
    _require(actor, municipality, Permission.ARCHIVE_REGISTER)
    with transaction.atomic():
        locked = tenant_row_lock(RegistryEntry, pk=entry.pk, municipality=municipality)
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
