"""``ny-*`` relations: a template for GET, and the service call for POST. Thin: parse, call."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from django.db.models import Model
from django.utils import timezone

from ekommune.archive import codelists as cl
from ekommune.archive import selectors, services
from ekommune.archive.api.identifiers import IDENTIFIER_CREATORS
from ekommune.archive.api.noark import code, code_value
from ekommune.archive.models import (
    CaseFile,
    CaseParty,
    Class,
    ClassificationSystem,
    Comment,
    CorrespondenceParty,
    DocumentDescription,
    DocumentObject,
    Folder,
    Fonds,
    FondsCreator,
    RegistryEntry,
    Screening,
    Series,
)
from ekommune.core.errors import ValidationError
from ekommune.core.models import Municipality, User

Creator = Callable[[Any, dict[str, Any], User, Municipality], Any]


TEXT_LIMIT = 100_000  # free text without a column limit (beskrivelse, merknadstekst)


def limit(model: type[Model], name: str) -> int:
    """The longest text the model's column takes (free-text columns: ``TEXT_LIMIT``)."""
    return getattr(model._meta.get_field(name), "max_length", None) or TEXT_LIMIT


def text(data: dict[str, Any], key: str, *, limit: int, required: bool = False, default: str = "") -> str:
    """A text field of a request body, at most ``limit`` characters (else 400 ``too_long``)."""
    value = data.get(key, default)
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(f"{key} må være tekst.", code="invalid", field=key)
    if required and not value.strip():
        raise ValidationError(f"{key} må fylles ut.", code="required", field=key)
    return fits(value, key, limit)


def fits(value: str, key: str, most: int) -> str:
    if len(value) > most:
        raise ValidationError(f"{key} kan ikke være lengre enn {most} tegn.", code="too_long", field=key)
    return value


def date(data: dict[str, Any], key: str) -> dt.date | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise ValidationError(f"{key} er ikke en gyldig dato.", code="invalid_date", field=key) from exc


def screening(data: dict[str, Any]) -> services.ScreeningInput | None:
    """``skjerming`` in a request body: tilgangsrestriksjon, skjermingshjemmel, skjermingMetadata, ..."""
    value = data.get("skjerming")
    if not value:
        return None
    if not isinstance(value, dict):
        raise ValidationError("skjerming må være et objekt.", code="invalid", field="skjerming")
    metadata = value.get("skjermingMetadata") or []
    if not isinstance(metadata, list):
        raise ValidationError(
            "skjermingMetadata må være en liste.", code="invalid", field="skjermingMetadata"
        )
    return services.ScreeningInput(
        access_restriction=code_value(value, "tilgangsrestriksjon") or "",
        legal_basis=text(value, "skjermingshjemmel", required=True, limit=limit(Screening, "legal_basis")),
        screened_metadata=[code_value({"m": item}, "m") or "" for item in metadata],
        screened_document=code_value(value, "skjermingDokument") or "",
        ends_on=date(value, "skjermingOpphoererDato"),
        duration_years=_years(value, "skjermingsvarighet"),
    )


def _years(data: dict[str, Any], key: str) -> int | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValidationError(f"{key} må være et heltall.", code="invalid", field=key)
    return value


def actor_name(user: User) -> str:
    return user.get_full_name() or user.get_username()


def new_fonds(_: None, data: dict[str, Any], user: User, municipality: Municipality) -> Fonds:
    return services.fonds_create(
        actor=user,
        municipality=municipality,
        title=text(data, "tittel", required=True, limit=limit(Fonds, "title")),
        description=text(data, "beskrivelse", limit=TEXT_LIMIT),
    )


def new_creator(fonds: Fonds, data: dict[str, Any], user: User, municipality: Municipality) -> Any:
    """(creator, new?): the same arkivskaperID again is the creator already there (decision 0153)."""
    return services.fonds_creator_ensure(
        actor=user,
        municipality=municipality,
        fonds=fonds,
        creator_id=text(data, "arkivskaperID", required=True, limit=limit(FondsCreator, "creator_id")),
        name=text(data, "arkivskaperNavn", required=True, limit=limit(FondsCreator, "name")),
        description=text(data, "beskrivelse", limit=TEXT_LIMIT),
    )


def new_series(fonds: Fonds, data: dict[str, Any], user: User, municipality: Municipality) -> Series:
    return services.series_create(
        actor=user,
        municipality=municipality,
        fonds=fonds,
        title=text(data, "tittel", required=True, limit=limit(Series, "title")),
        period_start=date(data, "arkivperiodeStartDato"),
    )


def new_system(
    series: Series, data: dict[str, Any], user: User, municipality: Municipality
) -> ClassificationSystem:
    return services.series_attach_classification_system(
        actor=user,
        municipality=municipality,
        series=series,
        title=text(data, "tittel", required=True, limit=limit(ClassificationSystem, "title")),
        classification_type=code_value(data, "klassifikasjonstype") or "",
    )


def new_class(
    parent: ClassificationSystem | Class, data: dict[str, Any], user: User, municipality: Municipality
) -> Class:
    system = parent if isinstance(parent, ClassificationSystem) else parent.classification_system
    return services.class_create(
        actor=user,
        municipality=municipality,
        system=system,
        class_id=text(data, "klasseID", required=True, limit=limit(Class, "class_id")),
        title=text(data, "tittel", required=True, limit=limit(Class, "title")),
        parent=parent if isinstance(parent, Class) else None,
    )


def new_case_file(
    parent: Series | Class, data: dict[str, Any], user: User, municipality: Municipality
) -> CaseFile:
    if isinstance(parent, Class):
        series = selectors.series_of_classification_system(
            actor=user, municipality=municipality, system=parent.classification_system
        )
        if series is None:
            raise ValidationError(
                "Klassens klassifikasjonssystem hører ikke til noen arkivdel.",
                code="no_series",
                field="klasse",
            )
        primary_class: Class | None = parent
    else:
        series, primary_class = parent, None
    return services.case_file_create(
        actor=user,
        municipality=municipality,
        series=series,
        title=text(data, "tittel", required=True, limit=limit(CaseFile, "title")),
        public_title=text(data, "offentligTittel", limit=limit(CaseFile, "public_title")),
        primary_class=primary_class,
        administrative_unit=text(data, "administrativEnhet", limit=limit(CaseFile, "administrative_unit"))
        or "Arkiv",
        case_responsible=text(data, "saksansvarlig", limit=limit(CaseFile, "case_responsible"))
        or actor_name(user),
        case_date=date(data, "saksdato"),
        screening=screening(data),
    )


def new_folder(
    parent: Series | Class | Folder, data: dict[str, Any], user: User, municipality: Municipality
) -> Folder:
    """ny-mappe under an arkivdel, a klasse, or a mappe (an undermappe)."""
    overmappe = parent if isinstance(parent, Folder) else None
    primary_class = parent if isinstance(parent, Class) else None
    if isinstance(parent, Folder):
        series: Series | None = parent.series
    elif isinstance(parent, Class):
        series = selectors.series_of_classification_system(
            actor=user, municipality=municipality, system=parent.classification_system
        )
    else:
        series = parent
    if series is None:
        raise ValidationError(
            "Klassens klassifikasjonssystem hører ikke til noen arkivdel.", code="no_series", field="klasse"
        )
    return services.folder_create(
        actor=user,
        municipality=municipality,
        series=series,
        parent=overmappe,
        primary_class=primary_class,
        title=text(data, "tittel", required=True, limit=limit(Folder, "title")),
        public_title=text(data, "offentligTittel", limit=limit(Folder, "public_title")),
        description=text(data, "beskrivelse", limit=TEXT_LIMIT),
    )


def new_entry(
    case_file: CaseFile, data: dict[str, Any], user: User, municipality: Municipality
) -> RegistryEntry:
    entry_type = code_value(data, "journalposttype")
    if not entry_type:
        raise ValidationError("journalposttype må fylles ut.", code="required", field="journalposttype")
    return services.registry_entry_register(
        actor=user,
        municipality=municipality,
        case_file=case_file,
        entry_type=entry_type,
        title=text(data, "tittel", required=True, limit=limit(RegistryEntry, "title")),
        public_title=text(data, "offentligTittel", limit=limit(RegistryEntry, "public_title")),
        status=code_value(data, "journalstatus") or "J",
        document_date=date(data, "dokumentetsDato"),
        due_date=date(data, "forfallsdato"),
        screening=screening(data),
    )


def new_object(document: Any, data: dict[str, Any], user: User, municipality: Municipality) -> Any:
    size = data.get("filstoerrelse")
    if size is not None and (not isinstance(size, int) or size < 0):
        raise ValidationError("filstoerrelse må være et heltall ≥ 0.", code="invalid", field="filstoerrelse")
    file_format = data.get("format")
    return services.document_object_create(
        actor=user,
        municipality=municipality,
        document=document,
        file_name=text(data, "filnavn", limit=limit(DocumentObject, "file_name")) or "dokument",
        variant_format=code_value(data, "variantformat") or "P",
        mime_type=text(data, "mimeType", limit=limit(DocumentObject, "mime_type")),
        format=fits(
            str(file_format.get("kode", "") if isinstance(file_format, dict) else file_format or ""),
            "format",
            limit(DocumentObject, "format"),
        ),
        expected_sha256=text(data, "sjekksum", limit=limit(DocumentObject, "checksum")),
        expected_size=size,
    )


def new_note(
    case_file: CaseFile, data: dict[str, Any], user: User, municipality: Municipality
) -> RegistryEntry:
    return services.internal_note_register(
        actor=user,
        municipality=municipality,
        case_file=case_file,
        title=text(data, "tittel", required=True, limit=limit(RegistryEntry, "title")),
        document_date=date(data, "dokumentetsDato"),
    )


def _plain(data: dict[str, Any], key: str, most: int) -> str:
    """A value of an address or contact block as text (a postnr may come as a number)."""
    value = data.get(key)
    return fits("" if value is None else str(value), key, most)


def _contact_fields(data: dict[str, Any], kind: str) -> dict[str, str]:
    """postadresse, kontaktinformasjon, enhetsidentifikator and the person's national identity
    number of a party, as service input fields."""
    address = data.get("postadresse") or {}
    contact = data.get("kontaktinformasjon") or {}
    identifier = data.get("enhetsidentifikator") or {}
    if not all(isinstance(part, dict) for part in (address, contact, identifier)):
        raise ValidationError(
            "postadresse, kontaktinformasjon og enhetsidentifikator må være objekter.",
            code="invalid",
            field="postadresse",
        )
    return {
        "postal_address": _plain(address, "adresselinje1", limit(CorrespondenceParty, "postal_address")),
        "postal_code": _plain(address, "postnr", limit(CorrespondenceParty, "postal_code")),
        "city": _plain(address, "poststed", limit(CorrespondenceParty, "city")),
        "email": _plain(contact, "epostadresse", limit(CorrespondenceParty, "email")),
        "phone": _plain(contact, "telefonnummer", limit(CorrespondenceParty, "phone")),
        "organisation_number": _plain(identifier, "organisasjonsnummer", 9) if kind == "unit" else "",
        "national_identity_number": person_identifier(data) if kind == "person" else "",
    }


PERSON_IDENTIFIER_KEYS = ("foedselsnummer", "dNummer")


def person_identifier(data: dict[str, Any]) -> str:
    """The person's fødselsnummer or D-nummer, given flat (``foedselsnummer``) or as the spec's
    ``personidentifikator`` list; kept screened, never dropped (decision 0160). More than one
    different number cannot be kept, so it is refused rather than cut."""
    given = data.get("personidentifikator") or []
    if isinstance(given, dict):
        given = [given]
    if not isinstance(given, list) or not all(isinstance(item, dict) for item in given):
        raise ValidationError(
            "personidentifikator må være en liste av objekter.", code="invalid", field="personidentifikator"
        )
    numbers = {
        _plain(source, key, 11).replace(" ", "")
        for source in [data, *given]
        for key in PERSON_IDENTIFIER_KEYS
        if source.get(key) not in (None, "")
    }
    if len(numbers) > 1:
        raise ValidationError(
            "En korrespondansepart kan ha ett fødselsnummer eller D-nummer, ikke flere.",
            code="one_identifier",
            field="personidentifikator",
        )
    return numbers.pop() if numbers else ""


def _party(kind: str) -> Creator:
    def create(entry: RegistryEntry, data: dict[str, Any], user: User, municipality: Municipality) -> Any:
        fields = _contact_fields(data, kind)
        most = limit(CorrespondenceParty, "name")
        if kind == "internal":
            unit = text(data, "administrativEnhet", limit=limit(CorrespondenceParty, "administrative_unit"))
            handler = text(data, "saksbehandler", limit=limit(CorrespondenceParty, "case_handler"))
            name = fits(handler or unit, "saksbehandler", most)
            if not name:
                raise ValidationError(
                    "saksbehandler eller administrativEnhet må fylles ut.",
                    code="required",
                    field="saksbehandler",
                )
        else:
            unit, handler, name = "", "", text(data, "navn", required=True, limit=most)
        party_type = code_value(data, "korrespondanseparttype")
        if not party_type:
            raise ValidationError(
                "korrespondanseparttype må fylles ut.", code="required", field="korrespondanseparttype"
            )
        address = data.get("postadresse") or {}
        return services.correspondence_party_add(
            actor=user,
            municipality=municipality,
            entry=entry,
            party=services.PartyInput(
                party_type=party_type,
                name=name,
                kind=kind,
                country=_plain(address, "landkode", limit(CorrespondenceParty, "country")),
                administrative_unit=unit,
                case_handler=handler,
                **fields,
            ),
        )

    return create


def new_document(entry: RegistryEntry, data: dict[str, Any], user: User, municipality: Municipality) -> Any:
    return services.document_description_create(
        actor=user,
        municipality=municipality,
        entry=entry,
        title=text(data, "tittel", required=True, limit=limit(DocumentDescription, "title")),
        document_type=code_value(data, "dokumenttype") or "B",
        status=code_value(data, "dokumentstatus") or "B",
        linked_as=code_value(data, "tilknyttetRegistreringSom"),
    )


def new_comment(on: Any, data: dict[str, Any], user: User, municipality: Municipality) -> Any:
    return services.comment_add(
        actor=user,
        municipality=municipality,
        on=on,
        text=text(data, "merknadstekst", required=True, limit=limit(Comment, "text")),
        comment_type=code_value(data, "merknadstype") or "",
    )


def _case_party(kind: str) -> Creator:
    def create(case_file: CaseFile, data: dict[str, Any], user: User, municipality: Municipality) -> Any:
        return services.case_party_add(
            actor=user,
            municipality=municipality,
            case_file=case_file,
            party=services.CasePartyInput(
                name=text(data, "navn", required=True, limit=limit(CaseParty, "name")),
                role=code_value(data, "partRolle") or "",
                kind=kind,
                **_contact_fields(data, kind),
            ),
        )

    return create


def new_write_off(entry: RegistryEntry, data: dict[str, Any], user: User, municipality: Municipality) -> Any:
    answered_by = None
    reference = text(data, "referanseAvskrivesAvJournalpost", limit=100)
    if reference:
        answered_by = selectors.registry_entry_by_system_id(
            actor=user, municipality=municipality, system_id=_uuid(reference)
        )
        if answered_by is None:
            raise ValidationError(
                "Fant ikke journalposten det vises til.",
                code="invalid_reference",
                field="referanseAvskrivesAvJournalpost",
            )
    return services.registry_entry_write_off(
        actor=user,
        municipality=municipality,
        entry=entry,
        method=code_value(data, "avskrivningsmaate") or "",
        answered_by=answered_by,
    )


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise ValidationError(
            "Ugyldig systemID.", code="invalid_reference", field="referanseAvskrivesAvJournalpost"
        ) from exc


# (entity of the parent, ny-relation) → (creator, entity of the result)
CREATORS: dict[tuple[str, str], tuple[Creator, str]] = {
    ("arkiv", "ny-arkivskaper"): (new_creator, "arkivskaper"),
    ("arkiv", "ny-arkivdel"): (new_series, "arkivdel"),
    ("arkivdel", "ny-klassifikasjonssystem"): (new_system, "klassifikasjonssystem"),
    ("arkivdel", "ny-saksmappe"): (new_case_file, "saksmappe"),
    ("arkivdel", "ny-mappe"): (new_folder, "mappe"),
    ("klasse", "ny-mappe"): (new_folder, "mappe"),
    ("mappe", "ny-mappe"): (new_folder, "mappe"),
    ("mappe", "ny-undermappe"): (new_folder, "mappe"),  # the name of Noark 5 v4
    ("klassifikasjonssystem", "ny-klasse"): (new_class, "klasse"),
    ("klasse", "ny-klasse"): (new_class, "klasse"),
    ("klasse", "ny-saksmappe"): (new_case_file, "saksmappe"),
    ("saksmappe", "ny-journalpost"): (new_entry, "journalpost"),
    ("saksmappe", "ny-arkivnotat"): (new_note, "arkivnotat"),
    ("arkivnotat", "ny-dokumentbeskrivelse"): (new_document, "dokumentbeskrivelse"),
    ("arkivnotat", "ny-merknad"): (new_comment, "merknad"),
    ("journalpost", "ny-korrespondansepartperson"): (_party("person"), "korrespondansepart"),
    ("journalpost", "ny-korrespondansepartenhet"): (_party("unit"), "korrespondansepart"),
    ("journalpost", "ny-korrespondansepartintern"): (_party("internal"), "korrespondansepart"),
    ("journalpost", "ny-dokumentbeskrivelse"): (new_document, "dokumentbeskrivelse"),
    ("saksmappe", "ny-merknad"): (new_comment, "merknad"),
    ("dokumentbeskrivelse", "ny-dokumentobjekt"): (new_object, "dokumentobjekt"),
    ("journalpost", "ny-merknad"): (new_comment, "merknad"),
    ("dokumentbeskrivelse", "ny-merknad"): (new_comment, "merknad"),
    ("saksmappe", "ny-partperson"): (_case_party("person"), "part"),
    ("saksmappe", "ny-partenhet"): (_case_party("unit"), "part"),
    ("journalpost", "ny-avskrivning"): (new_write_off, "avskrivning"),
    **IDENTIFIER_CREATORS,
}


def template(result_entity: str) -> dict[str, Any]:
    """The pre-filled object a client gets on GET of a ny-* link."""
    today = timezone.localdate().isoformat()
    templates: dict[str, dict[str, Any]] = {
        "arkiv": {"arkivstatus": code(cl.FONDS_STATUS, "O"), "dokumentmedium": code(cl.DOCUMENT_MEDIUM, "E")},
        "arkivdel": {
            "arkivdelstatus": code(cl.SERIES_STATUS, "A"),
            "dokumentmedium": code(cl.DOCUMENT_MEDIUM, "E"),
        },
        "mappe": {"dokumentmedium": code(cl.DOCUMENT_MEDIUM, "E")},
        "saksmappe": {
            "saksdato": today,
            "saksstatus": code(cl.CASE_STATUS, "B"),
            "dokumentmedium": code(cl.DOCUMENT_MEDIUM, "E"),
        },
        "journalpost": {
            "journalposttype": code(cl.REGISTRY_ENTRY_TYPE, "I"),
            "journalstatus": code(cl.REGISTRY_ENTRY_STATUS, "J"),
            "journaldato": today,
            "dokumentmedium": code(cl.DOCUMENT_MEDIUM, "E"),
        },
        "dokumentbeskrivelse": {
            "dokumenttype": code(cl.DOCUMENT_TYPE, "B"),
            "dokumentstatus": code(cl.DOCUMENT_STATUS, "B"),
        },
        "korrespondansepart": {"korrespondanseparttype": code(cl.CORRESPONDENCE_PARTY_TYPE, "EA")},
        "arkivskaper": {"arkivskaperID": "", "arkivskaperNavn": ""},
        "klassifikasjonssystem": {"tittel": "", "klassifikasjonstype": code(cl.CLASSIFICATION_TYPE, "FH")},
        "klasse": {"klasseID": "", "tittel": ""},
        "arkivnotat": {
            "tittel": "",
            "dokumentetsDato": today,
            "dokumentmedium": code(cl.DOCUMENT_MEDIUM, "E"),
        },
        "merknad": {"merknadstekst": "", "merknadstype": code(cl.COMMENT_TYPE, "MS"), "merknadsdato": today},
        "part": {"navn": "", "partRolle": code(cl.PARTY_ROLE, "KLI")},
        "avskrivning": {"avskrivningsmaate": code(cl.WRITE_OFF_METHOD, "BU"), "avskrivningsdato": today},
        "dokumentobjekt": {"versjonsnummer": 1, "variantformat": code(cl.VARIANT_FORMAT, "P"), "filnavn": ""},
    }
    return dict(templates.get(result_entity, {}))
