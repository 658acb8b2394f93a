"""Reading a checked extraction package into the archive (migration, municipal merger).

``arkivstruktur.xml`` is read as a stream: a case file (``mappe``) is handled when its end tag
has been read (its saksmappe fields follow its registrations), then dropped from memory; the
fonds, series, classification system and classes above it are created the first time one of
their case files (or their own end tag) is met. Every object gets a new systemID; the mapping
from the package's IDs is kept to link write-offs, cross references and the change log.
Everything goes through ``ekommune.archive.services`` (the ``*_import`` functions).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from ekommune.archive import services as archive
from ekommune.archive.types import codelists as cl
from ekommune.core.models import Municipality
from ekommune.core.services import Actor
from ekommune.deposit import import_survey
from ekommune.deposit import package as pkg

AS = f"{{{pkg.NS_ARKIVSTRUKTUR}}}"
XSI_TYPE = f"{{{pkg.NS_XSI}}}type"
UNFINISHED_BY = "arkivuttrekk"


def _code(code_list: cl.CodeList, text: str) -> str:
    """The code of a kodenavn (a package may also give the code itself)."""
    text = text.strip()
    by_name = {name.casefold(): code for code, name in code_list.values}
    return by_name.get(text.casefold(), text)


def _text(element: Any, name: str) -> str:
    return (element.findtext(AS + name) or "").strip()


def _texts(element: Any, name: str) -> list[str]:
    return [(child.text or "").strip() for child in element.findall(AS + name)]


def _int(element: Any, name: str) -> int | None:
    value = _text(element, name)
    return int(value) if value else None


def _date(element: Any, name: str) -> dt.date | None:
    value = _text(element, name)
    return dt.date.fromisoformat(value[:10]) if value else None


def _datetime(element: Any, name: str) -> dt.datetime | None:
    value = _text(element, name)
    if not value:
        return None
    parsed = dt.datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _provenance(element: Any, concluded: str = "avsluttet") -> archive.Provenance:
    created_at = _datetime(element, "opprettetDato")
    assert created_at is not None  # the schema requires it; the package was checked
    by = _text(element, f"{concluded}Av")
    return archive.Provenance(
        created_at=created_at,
        created_by=_text(element, "opprettetAv"),
        concluded_at=_datetime(element, f"{concluded}Dato"),
        concluded_by="" if by == UNFINISHED_BY else by,
    )


def _screening(element: Any) -> archive.ScreeningInput | None:
    """skjerming as written: the archive's one mapping reads the values (and refuses the unknown)."""
    screening = element.find(AS + "skjerming")
    if screening is None:
        return None
    return archive.ScreeningInput(
        access_restriction=_text(screening, "tilgangsrestriksjon"),
        legal_basis=_text(screening, "skjermingshjemmel"),
        screened_metadata=_texts(screening, "skjermingMetadata"),
        screened_document=_text(screening, "skjermingDokument"),
        duration_years=_int(screening, "skjermingsvarighet"),
        ends_on=_date(screening, "skjermingOpphoererDato"),
    )


def _comments(element: Any) -> list[tuple[str, str, dt.datetime, str]]:
    found = []
    for comment in element.findall(AS + "merknad"):
        kind = _text(comment, "merknadstype")
        registered = _datetime(comment, "merknadsdato")
        assert registered is not None
        found.append(
            (
                _text(comment, "merknadstekst"),
                _code(cl.COMMENT_TYPE, kind) if kind else "",
                registered,
                _text(comment, "merknadRegistrertAv"),
            )
        )
    return found


@dataclass
class ImportResult:
    fonds_system_id: uuid.UUID | None = None
    series_system_ids: list[uuid.UUID] = field(default_factory=list)
    case_files: int = 0
    entries: int = 0
    documents: int = 0
    changes: int = 0
    mapping: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)  # package systemID → new one
    findings: list[Any] = field(default_factory=list)  # what was not stored (import_survey), reported


class Importer:
    def __init__(self, *, actor: Actor, municipality: Municipality, package_dir: Path) -> None:
        self.actor, self.municipality, self.package_dir = actor, municipality, package_dir
        self.result = ImportResult()
        self.objects: dict[str, Any] = {}  # package systemID → created object
        self.types: dict[uuid.UUID, str] = {}  # new systemID → Noark object type
        self.write_offs: list[tuple[Any, str, dt.datetime, str, str]] = []
        self.references: list[tuple[Any, str]] = []
        self.comments: list[tuple[Any, str, str, dt.datetime, str]] = []

    def _remember(self, old: str, obj: Any, kind: str) -> Any:
        self.objects[old] = obj
        self.result.mapping[uuid.UUID(old)] = obj.system_id
        self.types[obj.system_id] = kind
        return obj

    # -------------------------------------------------------------- structure, created on demand

    def _fonds(self, element: Any) -> Any:
        old = _text(element, "systemID")
        if old in self.objects:
            return self.objects[old]
        creators = [
            (
                _text(creator, "arkivskaperID"),
                _text(creator, "arkivskaperNavn"),
                _text(creator, "beskrivelse"),
            )
            for creator in element.findall(AS + "arkivskaper")
        ]
        fonds = archive.fonds_import(
            actor=self.actor,
            municipality=self.municipality,
            title=_text(element, "tittel"),
            description=_text(element, "beskrivelse"),
            status=_code(cl.FONDS_STATUS, _text(element, "arkivstatus") or "Opprettet"),
            document_medium=_code(cl.DOCUMENT_MEDIUM, _text(element, "dokumentmedium") or "E"),
            provenance=_provenance(element),
            creators=creators,
        )
        self.result.fonds_system_id = fonds.system_id
        return self._remember(old, fonds, "arkiv")

    def _system(self, element: Any) -> Any:
        old = _text(element, "systemID")
        if old in self.objects:
            return self.objects[old]
        kind = _text(element, "klassifikasjonstype")
        system = archive.classification_system_import(
            actor=self.actor,
            municipality=self.municipality,
            title=_text(element, "tittel"),
            description=_text(element, "beskrivelse"),
            classification_type=_code(cl.CLASSIFICATION_TYPE, kind) if kind else "",
            provenance=_provenance(element),
        )
        return self._remember(old, system, "klassifikasjonssystem")

    def _series(self, element: Any) -> Any:
        old = _text(element, "systemID")
        if old in self.objects:
            return self.objects[old]
        fonds = self._fonds(element.getparent())
        system_element = element.find(AS + "klassifikasjonssystem")
        series = archive.series_import(
            actor=self.actor,
            municipality=self.municipality,
            fonds=fonds,
            title=_text(element, "tittel"),
            description=_text(element, "beskrivelse"),
            status=_code(cl.SERIES_STATUS, _text(element, "arkivdelstatus")),
            document_medium=_code(cl.DOCUMENT_MEDIUM, _text(element, "dokumentmedium") or "E"),
            classification_system=self._system(system_element) if system_element is not None else None,
            period_start=_date(element, "arkivperiodeStartDato"),
            period_end=_date(element, "arkivperiodeSluttDato"),
            provenance=_provenance(element),
        )
        self.result.series_system_ids.append(series.system_id)
        return self._remember(old, series, "arkivdel")

    def _class(self, element: Any) -> Any:
        old = _text(element, "systemID")
        if old in self.objects:
            return self.objects[old]
        parent = element.getparent()
        parent_class = self._class(parent) if parent.tag == AS + "klasse" else None
        system_element = parent
        while system_element.tag != AS + "klassifikasjonssystem":
            system_element = system_element.getparent()
        self._series(system_element.getparent())
        created = archive.class_import(
            actor=self.actor,
            municipality=self.municipality,
            system=self._system(system_element),
            parent=parent_class,
            class_id=_text(element, "klasseID"),
            title=_text(element, "tittel"),
            description=_text(element, "beskrivelse"),
            provenance=_provenance(element),
        )
        return self._remember(old, created, "klasse")

    # -------------------------------------------------------------- case files and entries

    def _case(self, element: Any) -> None:
        parent = element.getparent()
        if parent.tag == AS + "klasse":
            primary_class = self._class(parent)
            series_element = parent
            while series_element.tag != AS + "arkivdel":
                series_element = series_element.getparent()
        else:
            primary_class, series_element = None, parent
        series = self._series(series_element)
        parties = [_case_party(party) for party in element.findall(AS + "part")]
        case_date = _date(element, "saksdato")
        assert case_date is not None
        case_file = archive.case_file_import(
            actor=self.actor,
            municipality=self.municipality,
            series=series,
            primary_class=primary_class,
            data=archive.CaseFileImport(
                case_year=_int(element, "saksaar") or 0,
                case_sequence_number=_int(element, "sakssekvensnummer") or 0,
                title=_text(element, "tittel"),
                public_title=_text(element, "offentligTittel"),
                description=_text(element, "beskrivelse"),
                keywords=_texts(element, "noekkelord"),
                document_medium=_code(cl.DOCUMENT_MEDIUM, _text(element, "dokumentmedium") or "E"),
                case_date=case_date,
                administrative_unit=_text(element, "administrativEnhet"),
                case_responsible=_text(element, "saksansvarlig"),
                records_unit=_text(element, "journalenhet"),
                case_status=_code(cl.CASE_STATUS, _text(element, "saksstatus")),
                screening=_screening(element),
                parties=parties,
                provenance=_provenance(element),
            ),
        )
        self._remember(_text(element, "systemID"), case_file, "saksmappe")
        self.result.case_files += 1
        self.comments += [(case_file, *comment) for comment in _comments(element)]
        self._references(case_file, element)
        for entry in element.findall(AS + "registrering"):
            self._entry(case_file, entry)

    def _references(self, source: Any, element: Any) -> None:
        for reference in element.findall(AS + "kryssreferanse"):
            target = _text(reference, "referanseTilMappe") or _text(reference, "referanseTilRegistrering")
            self.references.append((source, target))

    def _document(self, element: Any) -> archive.DocumentImport:
        old = _text(element, "systemID")
        existing = self.objects.get(old)
        objects = []
        for obj in element.findall(AS + "dokumentobjekt") if existing is None else []:
            created_at = _datetime(obj, "opprettetDato")
            assert created_at is not None
            reference = _text(obj, "referanseDokumentfil")
            objects.append(
                archive.DocumentObjectImport(
                    version_number=_int(obj, "versjonsnummer") or 1,
                    variant_format=_code(cl.VARIANT_FORMAT, _text(obj, "variantformat")),
                    format=_text(obj, "format"),
                    file_name=Path(reference).name,
                    content=(self.package_dir / reference).open("rb"),
                    checksum=_text(obj, "sjekksum").lower(),
                    created_at=created_at,
                    created_by=_text(obj, "opprettetAv"),
                )
            )
        linked_at = _datetime(element, "tilknyttetDato")
        assert linked_at is not None
        return archive.DocumentImport(
            title=_text(element, "tittel"),
            description=_text(element, "beskrivelse"),
            author=_text(element, "forfatter"),
            document_type=_code(cl.DOCUMENT_TYPE, _text(element, "dokumenttype")),
            status=_code(cl.DOCUMENT_STATUS, _text(element, "dokumentstatus")),
            document_medium=_code(cl.DOCUMENT_MEDIUM, _text(element, "dokumentmedium") or "E"),
            linked_as=_code(cl.LINKED_AS, _text(element, "tilknyttetRegistreringSom")),
            document_number=_int(element, "dokumentnummer") or 1,
            linked_at=linked_at,
            linked_by=_text(element, "tilknyttetAv"),
            screening=_screening(element),
            provenance=_provenance(element),
            objects=objects,
            existing=existing,
        )

    def _entry(self, case_file: Any, element: Any) -> None:
        record_type = element.get(XSI_TYPE, "journalpost").split(":")[-1]
        is_note = record_type == "arkivnotat"
        documents_elements = element.findall(AS + "dokumentbeskrivelse")
        documents = [self._document(document) for document in documents_elements]
        journal_date = _date(element, "journaldato") or _provenance(element, "arkivert").created_at.date()
        registration_id = _text(element, "registreringsID")
        number = _int(element, "journalpostnummer") or int(registration_id.rsplit("-", 1)[-1])
        try:
            entry, created_documents = archive.registry_entry_import(
                actor=self.actor,
                municipality=self.municipality,
                case_file=case_file,
                data=archive.EntryImport(
                    record_type=record_type,
                    entry_number=number,
                    journal_year=None if is_note else _int(element, "journalaar"),
                    journal_sequence_number=None if is_note else _int(element, "journalsekvensnummer"),
                    entry_type=""
                    if is_note
                    else _code(cl.REGISTRY_ENTRY_TYPE, _text(element, "journalposttype")),
                    status=_code(cl.REGISTRY_ENTRY_STATUS, _text(element, "journalstatus") or "Journalført"),
                    title=_text(element, "tittel"),
                    public_title=_text(element, "offentligTittel"),
                    description=_text(element, "beskrivelse"),
                    document_medium=_code(cl.DOCUMENT_MEDIUM, _text(element, "dokumentmedium") or "E"),
                    journal_date=journal_date,
                    document_date=_date(element, "dokumentetsDato"),
                    received_date=_datetime(element, "mottattDato"),
                    sent_date=_datetime(element, "sendtDato"),
                    due_date=_date(element, "forfallsdato"),
                    administrative_unit=case_file.administrative_unit,
                    case_handler=case_file.case_responsible,
                    screening=_screening(element),
                    parties=[
                        archive.PartyInput(
                            party_type=_code(
                                cl.CORRESPONDENCE_PARTY_TYPE, _text(party, "korrespondanseparttype")
                            ),
                            name=_text(party, "korrespondansepartNavn"),
                            kind=_party_kind(party),
                            postal_address=_text(party, "postadresse"),
                            postal_code=_text(party, "postnummer"),
                            city=_text(party, "poststed"),
                            country=_text(party, "land"),
                            email=_text(party, "epostadresse"),
                            phone=_text(party, "telefonnummer"),
                            contact_person=_text(party, "kontaktperson"),
                            administrative_unit=_text(party, "administrativEnhet"),
                            case_handler=_text(party, "saksbehandler"),
                        )
                        for party in element.findall(AS + "korrespondansepart")
                    ],
                    documents=documents,
                    comments=_comments(element),
                    provenance=_provenance(element, "arkivert"),
                ),
            )
        finally:
            for document in documents:
                for obj in document.objects:
                    obj.content.close()
        self._remember(_text(element, "systemID"), entry, record_type)
        self.result.entries += 1
        for document_element, created in zip(documents_elements, created_documents, strict=True):
            old = _text(document_element, "systemID")
            if old not in self.objects:
                self._remember(old, created, "dokumentbeskrivelse")
                self.result.documents += 1
                self.comments += [(created, *comment) for comment in _comments(document_element)]
        self._references(entry, element)
        for write_off in element.findall(AS + "avskrivning"):
            written_off = _date(write_off, "avskrivningsdato")
            assert written_off is not None
            self.write_offs.append(
                (
                    entry,
                    _code(cl.WRITE_OFF_METHOD, _text(write_off, "avskrivningsmaate")),
                    dt.datetime.combine(written_off, dt.time(12), tzinfo=dt.UTC),
                    _text(write_off, "avskrevetAv"),
                    _text(write_off, "referanseAvskrivesAvJournalpost"),
                )
            )

    # -------------------------------------------------------------- the whole package

    def run(self) -> ImportResult:
        for _, element in etree.iterparse(str(self.package_dir / pkg.ARKIVSTRUKTUR), events=("end",)):
            tag = element.tag
            if tag == AS + "mappe":
                self._case(element)
                element.getparent().remove(element)
            elif tag == AS + "klasse":
                self._class(element)
            elif tag == AS + "klassifikasjonssystem":
                self._system(element)
            elif tag == AS + "arkivdel":
                self._series(element)
                element.clear()
            elif tag == AS + "arkiv":
                self._fonds(element)
        archive.archive_links_import(
            actor=self.actor,
            municipality=self.municipality,
            write_offs=[
                (entry, method, at, by, self.objects.get(answered) if answered else None)
                for entry, method, at, by, answered in self.write_offs
            ],
            references=[
                (source, self.objects[target]) for source, target in self.references if target in self.objects
            ],
            comments=self.comments,
        )
        self._change_log()
        archive.number_sequences_catch_up(actor=self.actor, municipality=self.municipality)
        return self.result

    def _change_log(self) -> None:
        path = self.package_dir / pkg.ENDRINGSLOGG
        if not path.exists():
            return
        ns = f"{{{pkg.NS_ENDRINGSLOGG}}}"
        changes = []
        for _, element in etree.iterparse(str(path), events=("end",), tag=ns + "endring"):
            old = uuid.UUID((element.findtext(ns + "referanseArkivenhet") or "").strip())
            changed_at = dt.datetime.fromisoformat((element.findtext(ns + "endretDato") or "").strip())
            values = [(element.findtext(ns + name) or "").strip() for name in ("tidligereVerdi", "nyVerdi")]
            changes.append(
                (
                    self.result.mapping.get(old, old),
                    (element.findtext(ns + "referanseMetadata") or "").strip(),
                    "" if values[0] == "-" else values[0],
                    "" if values[1] == "-" else values[1],
                    changed_at,
                    (element.findtext(ns + "endretAv") or "").strip(),
                )
            )
            element.clear()
        self.result.changes = archive.change_log_import(
            actor=self.actor, municipality=self.municipality, changes=changes, object_types=self.types
        )


def _case_party(party: Any) -> archive.CasePartyInput:
    """A part; its partID is kept when it is a fødselsnummer/D-number or an organisation number
    (an organisation's party is a unit), else reported by the survey and left out."""
    organisation, person = import_survey.party_identifiers(_text(party, "partID")) or ("", "")
    return archive.CasePartyInput(
        name=_text(party, "partNavn"),
        role=_code(cl.PARTY_ROLE, _text(party, "partRolle")),
        kind="unit" if organisation else "person",
        postal_address=_text(party, "postadresse"),
        postal_code=_text(party, "postnummer"),
        city=_text(party, "poststed"),
        email=_text(party, "epostadresse"),
        phone=_text(party, "telefonnummer"),
        organisation_number=organisation,
        national_identity_number=person,
    )


def _party_kind(party: Any) -> str:
    kind = _text(party, "korrespondanseparttype")
    return "internal" if kind.casefold().startswith("intern") or kind in {"IA", "IM", "IK"} else "person"
