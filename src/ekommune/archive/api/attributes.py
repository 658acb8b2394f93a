"""Each archive object's attributes in the API, by their Noark names (docs/domain/noark5-mapping.md)."""

from __future__ import annotations

from typing import Any

from ekommune.archive import codelists as cl
from ekommune.archive.api.noark import code, when
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
    DocumentObject,
    Folder,
    Fonds,
    FondsCreator,
    RegistryEntry,
    Series,
    WriteOff,
)


def created(obj: Any) -> dict[str, Any]:
    return {
        "systemID": str(obj.system_id),
        "opprettetDato": when(obj.created_at),
        "opprettetAv": obj.created_by,
        "endretDato": when(getattr(obj, "updated_at", None)),
        "endretAv": getattr(obj, "updated_by", ""),
    }


def fonds_attributes(fonds: Fonds) -> dict[str, Any]:
    return {
        **created(fonds),
        "tittel": fonds.title,
        "beskrivelse": fonds.description,
        "arkivstatus": code(cl.FONDS_STATUS, fonds.status),
        "dokumentmedium": code(cl.DOCUMENT_MEDIUM, fonds.document_medium),
        "avsluttetDato": when(fonds.concluded_at),
        "avsluttetAv": fonds.concluded_by,
    }


def creator_attributes(creator: FondsCreator) -> dict[str, Any]:
    return {
        **created(creator),
        "arkivskaperID": creator.creator_id,
        "arkivskaperNavn": creator.name,
        "beskrivelse": creator.description,
    }


def series_attributes(series: Series) -> dict[str, Any]:
    return {
        **created(series),
        "tittel": series.title,
        "beskrivelse": series.description,
        "arkivdelstatus": code(cl.SERIES_STATUS, series.status),
        "dokumentmedium": code(cl.DOCUMENT_MEDIUM, series.document_medium),
        "arkivperiodeStartDato": when(series.period_start),
        "arkivperiodeSluttDato": when(series.period_end),
        "avsluttetDato": when(series.concluded_at),
        "avsluttetAv": series.concluded_by,
    }


def system_attributes(system: ClassificationSystem) -> dict[str, Any]:
    return {
        **created(system),
        "tittel": system.title,
        "beskrivelse": system.description,
        "klassifikasjonstype": code(cl.CLASSIFICATION_TYPE, system.classification_type),
    }


def class_attributes(klass: Class) -> dict[str, Any]:
    return {
        **created(klass),
        "klasseID": klass.class_id,
        "tittel": klass.title,
        "beskrivelse": klass.description,
    }


def screening_json(obj: Any) -> dict[str, Any] | None:
    screening = obj.screening
    if screening is None:
        return None
    return {
        "tilgangsrestriksjon": code(cl.ACCESS_RESTRICTION, screening.access_restriction),
        "skjermingshjemmel": screening.legal_basis,
        "skjermingMetadata": [code(cl.SCREENING_METADATA, c) for c in screening.screened_metadata],
        "skjermingDokument": code(cl.SCREENING_DOCUMENT, screening.screened_document),
        "skjermingsvarighet": screening.duration_years,
        "skjermingOpphoererDato": when(screening.ends_on),
    }


def folder_attributes(folder: Folder) -> dict[str, Any]:
    return {
        **created(folder),
        "mappeID": folder.folder_id,
        "tittel": folder.title,
        "offentligTittel": folder.public_title,
        "beskrivelse": folder.description,
        "dokumentmedium": code(cl.DOCUMENT_MEDIUM, folder.document_medium),
    }


def case_file_attributes(case_file: CaseFile) -> dict[str, Any]:
    return {
        **created(case_file),
        "mappeID": case_file.file_id,
        "tittel": case_file.title,
        "offentligTittel": case_file.public_title,
        "beskrivelse": case_file.description,
        "noekkelord": case_file.keywords,
        "dokumentmedium": code(cl.DOCUMENT_MEDIUM, case_file.document_medium),
        "saksaar": case_file.case_year,
        "sakssekvensnummer": case_file.case_sequence_number,
        "saksdato": when(case_file.case_date),
        "administrativEnhet": case_file.administrative_unit,
        "saksansvarlig": case_file.case_responsible,
        "journalenhet": case_file.records_unit,
        "saksstatus": code(cl.CASE_STATUS, case_file.case_status),
        "avsluttetDato": when(case_file.concluded_at),
        "avsluttetAv": case_file.concluded_by,
        "skjerming": screening_json(case_file),
    }


def entry_attributes(entry: RegistryEntry) -> dict[str, Any]:
    return {
        **created(entry),
        "registreringsID": entry.registration_id,
        "tittel": entry.title,
        "offentligTittel": entry.public_title,
        "beskrivelse": entry.description,
        "dokumentmedium": code(cl.DOCUMENT_MEDIUM, entry.document_medium),
        "journalaar": entry.journal_year,
        "journalsekvensnummer": entry.journal_sequence_number,
        "journalpostnummer": entry.entry_number,
        "journalposttype": code(cl.REGISTRY_ENTRY_TYPE, entry.entry_type),
        "journalstatus": code(cl.REGISTRY_ENTRY_STATUS, entry.status),
        "journaldato": when(entry.journal_date),
        "dokumentetsDato": when(entry.document_date),
        "mottattDato": when(entry.received_date),
        "sendtDato": when(entry.sent_date),
        "forfallsdato": when(entry.due_date),
        "arkivertDato": when(entry.archived_at),
        "arkivertAv": entry.archived_by,
        "skjerming": screening_json(entry),
    }


def note_attributes(note: RegistryEntry) -> dict[str, Any]:
    return {
        **created(note),
        "registreringsID": note.registration_id,
        "tittel": note.title,
        "offentligTittel": note.public_title,
        "beskrivelse": note.description,
        "dokumentmedium": code(cl.DOCUMENT_MEDIUM, note.document_medium),
        "dokumentetsDato": when(note.document_date),
        "forfallsdato": when(note.due_date),
        "arkivertDato": when(note.archived_at),
        "arkivertAv": note.archived_by,
        "skjerming": screening_json(note),
    }


def party_attributes(party: CorrespondenceParty) -> dict[str, Any]:
    """National identity numbers are never returned by the API (they are kept, not shown)."""
    body: dict[str, Any] = {
        "systemID": str(party.system_id),
        "korrespondanseparttype": code(cl.CORRESPONDENCE_PARTY_TYPE, party.party_type),
    }
    if party.kind == CorrespondenceParty.Kind.INTERNAL:
        body.update(
            {
                "administrativEnhet": party.administrative_unit,
                "saksbehandler": party.case_handler or party.name,
            }
        )
        return body
    address = {
        "adresselinje1": party.postal_address,
        "postnr": party.postal_code,
        "poststed": party.city,
        "landkode": party.country,
    }
    contact = {"epostadresse": party.email, "telefonnummer": party.phone}
    body.update(
        {
            "navn": party.name,
            "postadresse": {k: v for k, v in address.items() if v} or None,
            "kontaktinformasjon": {k: v for k, v in contact.items() if v} or None,
        }
    )
    if party.kind == CorrespondenceParty.Kind.UNIT:
        body["kontaktperson"] = party.contact_person
        if party.organisation_number:
            body["enhetsidentifikator"] = {"organisasjonsnummer": party.organisation_number}
    return body


def document_attributes(document: DocumentDescription) -> dict[str, Any]:
    link_row = document.links.order_by("pk").first()
    return {
        **created(document),
        "tittel": document.title,
        "beskrivelse": document.description,
        "dokumenttype": code(cl.DOCUMENT_TYPE, document.document_type),
        "dokumentstatus": code(cl.DOCUMENT_STATUS, document.status),
        "forfatter": [document.author] if document.author else [],
        "dokumentmedium": code(cl.DOCUMENT_MEDIUM, document.document_medium),
        "tilknyttetRegistreringSom": code(cl.LINKED_AS, link_row.linked_as) if link_row else None,
        "dokumentnummer": link_row.document_number if link_row else None,
        "tilknyttetDato": when(link_row.linked_at) if link_row else None,
        "tilknyttetAv": link_row.linked_by if link_row else "",
        "skjerming": screening_json(document),
    }


def object_attributes(obj: DocumentObject) -> dict[str, Any]:
    return {
        **created(obj),
        "versjonsnummer": obj.version_number,
        "variantformat": code(cl.VARIANT_FORMAT, obj.variant_format),
        "format": {"kode": obj.format} if obj.format else None,
        "mimeType": obj.mime_type,
        "filnavn": obj.file_name,
        "sjekksum": obj.checksum,
        "sjekksumAlgoritme": obj.checksum_algorithm,
        "filstoerrelse": obj.size,
        "referanseDokumentfil": f"dokumenter/{obj.checksum}",
    }


def comment_attributes(comment: Comment) -> dict[str, Any]:
    return {
        "systemID": str(comment.system_id),
        "merknadstekst": comment.text,
        "merknadstype": code(cl.COMMENT_TYPE, comment.comment_type),
        "merknadsdato": when(comment.registered_at),
        "merknadRegistrertAv": comment.registered_by,
    }


def case_party_attributes(party: CaseParty) -> dict[str, Any]:
    address = {"adresselinje1": party.postal_address, "postnr": party.postal_code, "poststed": party.city}
    contact = {"epostadresse": party.email, "telefonnummer": party.phone}
    body: dict[str, Any] = {
        "systemID": str(party.system_id),
        "partRolle": code(cl.PARTY_ROLE, party.role),
        "navn": party.name,
        "postadresse": {k: v for k, v in address.items() if v} or None,
        "kontaktinformasjon": {k: v for k, v in contact.items() if v} or None,
    }
    if party.organisation_number:
        body["enhetsidentifikator"] = {"organisasjonsnummer": party.organisation_number}
    return body


def write_off_attributes(write_off: WriteOff) -> dict[str, Any]:
    return {
        "systemID": str(write_off.system_id),
        "avskrivningsdato": when(write_off.written_off_at),
        "avskrevetAv": write_off.written_off_by,
        "avskrivningsmaate": code(cl.WRITE_OFF_METHOD, write_off.method),
        "referanseAvskrivesAvJournalpost": str(write_off.answered_by.system_id)
        if write_off.answered_by
        else None,
    }


def cross_reference_attributes(reference: CrossReference) -> dict[str, Any]:
    return {
        "systemID": str(reference.system_id),
        "referanseTilMappe": str(reference.to_case_file.system_id) if reference.to_case_file else None,
        "referanseTilRegistrering": str(reference.to_entry.system_id) if reference.to_entry else None,
    }


def change_attributes(change: ChangeLogEntry) -> dict[str, Any]:
    return {
        "referanseArkivenhet": str(change.object_system_id),
        "referanseMetadata": change.field,
        "endretDato": when(change.changed_at),
        "endretAv": change.changed_by,
        "tidligereVerdi": change.old_value,
        "nyVerdi": change.new_value,
    }
