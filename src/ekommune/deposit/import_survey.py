"""Before an import writes anything: every value of ``arkivstruktur.xml`` the archive cannot store.

One streaming pass over the package (issue 17 §4). Each element under a Noark object either is
read by the importer (``READ``), or becomes a finding. Two kinds:

- **refusing** (the import stops, nothing is written): anything that touches screening the
  archive cannot hold as written — a skjermingMetadata, tilgangsrestriksjon or skjermingDokument
  value the one mapping (``archive.services.screening_normalise``) does not know, a skjerming on
  an arkivdel or klasse (the archive screens case files, entries and documents only), a gradering
  (security grading); and any code outside the Noark 5 code lists (the object could not be stored);
- **reported** (the import goes on, the finding is listed with the result): values with no place
  in the archive (``oppbevaringssted``, ``kassasjon``, ``presedens``, a registration outside a
  case file, a partID that is neither a fødselsnummer/D-number nor an organisation number, ...),
  and the kind of correspondence parties, which the 5.0 format does not carry (they are stored
  as persons, the fail-safe kind: a person is never named in a sensitive class).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree
from stdnum.no import fodselsnummer, orgnr

from ekommune.archive import services as archive
from ekommune.archive.types import codelists as cl
from ekommune.core.errors import ValidationError
from ekommune.deposit import checks
from ekommune.deposit import package as pkg

AS = f"{{{pkg.NS_ARKIVSTRUKTUR}}}"
XSI_TYPE = f"{{{pkg.NS_XSI}}}type"

_PROVENANCE = {"systemID", "opprettetDato", "opprettetAv", "avsluttetDato", "avsluttetAv"}
_REGISTRATION = _PROVENANCE | {
    "arkivertDato",
    "arkivertAv",
    "skjerming",
    "dokumentbeskrivelse",
    "registreringsID",
    "tittel",
    "offentligTittel",
    "beskrivelse",
    "dokumentmedium",
    "merknad",
    "kryssreferanse",
    "korrespondansepart",
    "dokumentetsDato",
    "mottattDato",
    "sendtDato",
    "forfallsdato",
}
# What the importer reads of each Noark object (the object type: element name, or xsi:type).
READ: dict[str, set[str]] = {
    "arkiv": _PROVENANCE
    | {"tittel", "beskrivelse", "arkivstatus", "dokumentmedium", "arkivskaper", "arkivdel"},
    "arkivskaper": {"arkivskaperID", "arkivskaperNavn", "beskrivelse"},
    "arkivdel": _PROVENANCE
    | {
        "tittel",
        "beskrivelse",
        "arkivdelstatus",
        "dokumentmedium",
        "arkivperiodeStartDato",
        "arkivperiodeSluttDato",
        "klassifikasjonssystem",
        "mappe",
    },
    "klassifikasjonssystem": _PROVENANCE | {"klassifikasjonstype", "tittel", "beskrivelse", "klasse"},
    "klasse": _PROVENANCE | {"klasseID", "tittel", "beskrivelse", "klasse", "mappe"},
    "saksmappe": _PROVENANCE
    | {
        "mappeID",  # saksaar/sakssekvensnummer, which the archive numbers by
        "tittel",
        "offentligTittel",
        "beskrivelse",
        "noekkelord",
        "dokumentmedium",
        "part",
        "kryssreferanse",
        "merknad",
        "skjerming",
        "registrering",
        "saksaar",
        "sakssekvensnummer",
        "saksdato",
        "administrativEnhet",
        "saksansvarlig",
        "journalenhet",
        "saksstatus",
    },
    "journalpost": _REGISTRATION
    | {
        "journalaar",
        "journalsekvensnummer",
        "journalpostnummer",
        "journalposttype",
        "journalstatus",
        "journaldato",
        "antallVedlegg",  # counted from the documents
        "avskrivning",
    },
    "arkivnotat": _REGISTRATION,
    "part": {
        "partID",
        "partNavn",
        "partRolle",
        "postadresse",
        "postnummer",
        "poststed",
        "epostadresse",
        "telefonnummer",
    },
    "korrespondansepart": {
        "korrespondanseparttype",
        "korrespondansepartNavn",
        "postadresse",
        "postnummer",
        "poststed",
        "land",
        "epostadresse",
        "telefonnummer",
        "kontaktperson",
        "administrativEnhet",
        "saksbehandler",
    },
    "dokumentbeskrivelse": _PROVENANCE
    | {
        "dokumenttype",
        "dokumentstatus",
        "tittel",
        "beskrivelse",
        "forfatter",
        "dokumentmedium",
        "tilknyttetRegistreringSom",
        "dokumentnummer",
        "tilknyttetDato",
        "tilknyttetAv",
        "merknad",
        "skjerming",
        "dokumentobjekt",
    },
    "dokumentobjekt": _PROVENANCE
    | {
        "versjonsnummer",
        "variantformat",
        "format",
        "referanseDokumentfil",
        "sjekksum",
        "sjekksumAlgoritme",
        "filstoerrelse",
    },
    "merknad": {"merknadstekst", "merknadstype", "merknadsdato", "merknadRegistrertAv"},
    "kryssreferanse": {"referanseTilMappe", "referanseTilRegistrering"},
    "avskrivning": {
        "avskrivningsdato",
        "avskrevetAv",
        "avskrivningsmaate",
        "referanseAvskrivesAvJournalpost",
    },
    "skjerming": {
        "tilgangsrestriksjon",
        "skjermingshjemmel",
        "skjermingMetadata",
        "skjermingDokument",
        "skjermingsvarighet",
        "skjermingOpphoererDato",
    },
}
# Where a skjerming sits → the archive's level for the one mapping (None: cannot be stored).
SCREENING_LEVEL = {
    "saksmappe": "mappe",
    "journalpost": "registrering",
    "arkivnotat": "registrering",
    "dokumentbeskrivelse": "dokumentbeskrivelse",
    "arkivdel": None,
    "klasse": None,
}
CODED: dict[str, cl.CodeList] = {
    "arkivstatus": cl.FONDS_STATUS,
    "arkivdelstatus": cl.SERIES_STATUS,
    "klassifikasjonstype": cl.CLASSIFICATION_TYPE,
    "saksstatus": cl.CASE_STATUS,
    "journalposttype": cl.REGISTRY_ENTRY_TYPE,
    "journalstatus": cl.REGISTRY_ENTRY_STATUS,
    "dokumenttype": cl.DOCUMENT_TYPE,
    "dokumentstatus": cl.DOCUMENT_STATUS,
    "tilknyttetRegistreringSom": cl.LINKED_AS,
    "variantformat": cl.VARIANT_FORMAT,
    "dokumentmedium": cl.DOCUMENT_MEDIUM,
    "korrespondanseparttype": cl.CORRESPONDENCE_PARTY_TYPE,
    "partRolle": cl.PARTY_ROLE,
    "merknadstype": cl.COMMENT_TYPE,
    "avskrivningsmaate": cl.WRITE_OFF_METHOD,
}
INTERNAL_PARTY_TYPES = {"IA", "IM", "IK"}
LARGE = {"mappe", "registrering", "dokumentbeskrivelse"}  # cleared once surveyed


@dataclass
class Survey:
    refusing: list[checks.Finding] = field(default_factory=list)
    reported: list[checks.Finding] = field(default_factory=list)

    def refuse(self, code: str, message: str, line: int | None) -> None:
        self.refusing.append(checks.Finding(code=code, file=pkg.ARKIVSTRUKTUR, message=message, line=line))

    def report(self, code: str, message: str, line: int | None) -> None:
        self.reported.append(checks.Finding(code=code, file=pkg.ARKIVSTRUKTUR, message=message, line=line))


def party_identifiers(part_id: str) -> tuple[str, str] | None:
    """(organisation number, national identity number) a partID stands for, or None when it is
    neither (a fødselsnummer or D-number whose check digits hold, or a valid organisation number)."""
    value = "".join(part_id.split())
    if len(value) == 11 and fodselsnummer.is_valid(value):
        return "", value
    if len(value) == 9 and orgnr.is_valid(value):
        return value, ""
    return None


def code_known(code_list: cl.CodeList, text: str) -> bool:
    text = text.strip()
    return text in code_list.codes() or text.casefold() in {name.casefold() for _, name in code_list.values}


def _local(tag: Any) -> str:
    return tag.split("}", 1)[1] if isinstance(tag, str) and "}" in tag else ""


def _kind(element: Any) -> str:
    """The Noark object type of ``element``: its xsi:type where the schema extends (mappe, registrering)."""
    name = _local(element.tag)
    if name in ("mappe", "registrering"):
        return element.get(XSI_TYPE, "saksmappe" if name == "mappe" else "journalpost").split(":")[-1]
    return name


def _text(element: Any, name: str) -> str:
    return (element.findtext(AS + name) or "").strip()


def _has_content(element: Any) -> bool:
    return bool((element.text or "").strip()) or len(element) > 0


def _screening(survey: Survey, element: Any, owner: str) -> None:
    line = element.sourceline
    level = SCREENING_LEVEL.get(owner)
    if level is None:
        survey.refuse(
            "import_screening_not_stored",
            f"Skjerming på {owner}: arkivet skjermer saksmapper, registreringer og dokumenter, ikke {owner}.",
            line,
        )
        return
    values = [
        ("tilgangsrestriksjon", archive.access_restriction_code, _text(element, "tilgangsrestriksjon")),
        ("skjermingDokument", archive.screened_document_code, _text(element, "skjermingDokument")),
    ]
    for name, mapping, value in values:
        try:
            mapping(value)
        except ValidationError:
            survey.refuse("import_screening_value_unknown", f"{name} {value!r} ({owner}) er ukjent.", line)
    for child in element.findall(AS + "skjermingMetadata"):
        value = (child.text or "").strip()
        try:
            archive.screened_metadata_codes(value, level=level)
        except ValidationError:
            survey.refuse(
                "import_screening_value_unknown",
                f"skjermingMetadata {value!r} ({owner}) er verken en kode, et kodenavn eller et metadataelement.",
                child.sourceline,
            )


def _child(survey: Survey, element: Any, owner: str) -> None:
    """What becomes of ``element``, a child of an object of type ``owner``."""
    name, line = _local(element.tag), element.sourceline
    if name == "gradering":
        survey.refuse("import_screening_not_stored", f"Gradering på {owner} kan ikke lagres i arkivet.", line)
    elif name == "skjerming":
        _screening(survey, element, owner)
    elif name not in READ[owner]:
        if _has_content(element):
            survey.report("import_value_not_stored", f"{name} på {owner} har ingen plass i arkivet.", line)
        return
    code_list = CODED.get(name)
    if code_list is not None and not code_known(code_list, element.text or ""):
        survey.refuse(
            "import_code_unknown", f"{name} {(element.text or '').strip()!r} ({owner}) er ukjent.", line
        )
    if owner == "part" and name == "partID" and party_identifiers(element.text or "") is None:
        survey.report(
            "import_value_not_stored",
            "partID er verken et fødselsnummer/D-nummer eller et organisasjonsnummer; det lagres ikke.",
            line,
        )
    if owner in ("part", "korrespondansepart") and name in ("postadresse", "telefonnummer"):
        previous = element.getprevious()
        if previous is not None and _local(previous.tag) == name:
            survey.report("import_value_not_stored", f"Bare første {name} på {owner} lagres.", line)


def survey_package(package_dir: Path) -> Survey:
    """Every value the import could not store (module docstring), in one pass."""
    survey = Survey()
    persons = 0
    for _, element in etree.iterparse(str(package_dir / pkg.ARKIVSTRUKTUR), events=("end",)):
        parent = element.getparent()
        if parent is not None and _kind(parent) in READ:
            _child(survey, element, _kind(parent))
        if (
            _kind(element) == "korrespondansepart"
            and _text(element, "korrespondanseparttype") not in (INTERNAL_PARTY_TYPES)
            and not _text(element, "korrespondanseparttype").casefold().startswith("intern")
        ):
            persons += 1
        if _local(element.tag) in LARGE and parent is not None and _kind(parent) in READ:
            element.clear()
    if persons:
        survey.report(
            "import_party_kind_assumed",
            f"{persons} korrespondanseparter lagres som personer: 5.0-formatet sier ikke om en part er "
            "en person eller en virksomhet (personer navngis aldri i sensitive klasser).",
            None,
        )
    return survey
