"""Noark 5 code lists (kodelister) as the standard and the Tjenestegrensesnitt spell them.

Each list names its metadata number (M-nr) and element name in the official
``metadatakatalog.xsd``; ``tests/test_codelists.py`` checks every one of them against that schema
(found through the standards manifest, ``ekommune.standards``), so a list cannot drift from the standard's names. The
5.0 schema declares the lists as open strings, without values: the values are the
obligatory and recommended ones of the standard's metadata catalogue and of the API
specification's chapter 7 (kode = the short code used in JSON, kodenavn = its name).
Why they live in code: docs/decisions/0007-noark5-code-lists.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class CodeList:
    metadata_number: str  # M-nr in the metadata catalogue
    element: str  # simpleType name in metadatakatalog.xsd
    values: tuple[tuple[str, str], ...]  # (kode, kodenavn)

    def choices(self) -> list[tuple[str, str]]:
        return list(self.values)

    def codes(self) -> list[str]:
        return [code for code, _ in self.values]

    def name_of(self, code: str) -> str:
        return dict(self.values)[code]


FONDS_STATUS = CodeList("M050", "arkivstatus", (("O", "Opprettet"), ("A", "Avsluttet")))
SERIES_STATUS = CodeList(
    "M051",
    "arkivdelstatus",
    (
        ("A", "Aktiv periode"),
        ("O", "Overlappingsperiode"),
        ("P", "Avsluttet periode"),
        ("U", "Uaktuelle mapper"),
    ),
)
CASE_STATUS = CodeList(
    "M052",
    "saksstatus",
    (
        ("B", "Under behandling"),
        ("A", "Avsluttet"),
        ("U", "Utgår"),
        ("R", "Opprettet av saksbehandler"),
        ("S", "Avsluttet av saksbehandler"),
        ("P", "Unntatt prosesstyring"),
        ("F", "Ferdig fra saksbehandler"),
    ),
)
REGISTRY_ENTRY_STATUS = CodeList(
    "M053",
    "journalstatus",
    (
        ("J", "Journalført"),
        ("F", "Ferdigstilt fra saksbehandler"),
        ("G", "Godkjent av leder"),
        ("E", "Ekspedert"),
        ("A", "Arkivert"),
        ("U", "Utgår"),
        ("M", "Midlertidig registrering av innkommet dokument"),
        ("S", "Saksbehandler har registrert innkommet dokument"),
        ("R", "Reservert dokument"),
    ),
)
DOCUMENT_STATUS = CodeList(
    "M054", "dokumentstatus", (("B", "Dokumentet er under redigering"), ("F", "Dokumentet er ferdigstilt"))
)
REGISTRY_ENTRY_TYPE = CodeList(
    "M082",
    "journalposttype",
    (
        ("I", "Inngående dokument"),
        ("U", "Utgående dokument"),
        ("N", "Organinternt dokument for oppfølging"),
        ("X", "Organinternt dokument uten oppfølging"),
        ("S", "Saksframlegg"),
    ),
)
DOCUMENT_TYPE = CodeList(
    "M083", "dokumenttype", (("B", "Brev"), ("R", "Rundskriv"), ("F", "Faktura"), ("O", "Ordrebekreftelse"))
)
CLASSIFICATION_TYPE = CodeList(
    "M086",
    "klassifikasjonstype",
    (
        ("GBN", "Gårds- og bruksnummer"),
        ("FH", "Funksjonsbasert, hierarkisk"),
        ("EH", "Emnebasert, hierarkisk arkivnøkkel"),
        ("E1", "Emnebasert, ett nivå"),
        ("KK", "K-koder"),
        ("MF", "Mangefasettert, ikke hierarki"),
        ("UO", "Objektbasert"),
        ("PNR", "Fødselsnummer"),
    ),
)
CORRESPONDENCE_PARTY_TYPE = CodeList(
    "M087",
    "korrespondanseparttype",
    (
        ("EA", "Avsender"),
        ("EM", "Mottaker"),
        ("EK", "Kopimottaker"),
        ("GM", "Gruppemottaker"),
        ("IA", "Intern avsender"),
        ("IM", "Intern mottaker"),
        ("IK", "Intern kopimottaker"),
        ("IS", "Medavsender"),
    ),
)
LINKED_AS = CodeList("M217", "tilknyttetRegistreringSom", (("H", "Hoveddokument"), ("V", "Vedlegg")))
DOCUMENT_MEDIUM = CodeList(
    "M300",
    "dokumentmedium",
    (("F", "Fysisk medium"), ("E", "Elektronisk arkiv"), ("B", "Blandet fysisk og elektronisk arkiv")),
)
ACCESS_RESTRICTION = CodeList(
    "M500",
    "tilgangsrestriksjon",
    (
        ("B", "Begrenset etter sikkerhetsinstruksen"),
        ("K", "Konfidensielt etter sikkerhetsinstruksen"),
        ("H", "Hemmelig etter sikkerhetsinstruksen"),
        ("F", "Fortrolig etter beskyttelsesinstruksen"),
        ("SF", "Strengt fortrolig etter beskyttelsesinstruksen"),
        ("5", "Unntatt etter offentleglova § 5"),
        ("5a", "Unntatt etter offentleglova § 5a"),
        ("6", "Unntatt etter offentleglova § 6"),
        ("11", "Unntatt etter offentleglova § 11"),
        # Municipal extensions used in every Norwegian municipality (Noark 5 lets the list grow):
        ("13", "Taushetsplikt, offentleglova § 13"),
        ("14", "Organinterne dokumenter, offentleglova § 14"),
        ("15", "Dokumenter innhentet utenfra, offentleglova § 15"),
        ("16", "Saksframlegg og innstilling, offentleglova § 16"),
        ("23", "Forhandlingsposisjon, offentleglova § 23"),
        ("24", "Kontroll og regulering, offentleglova § 24"),
        ("25", "Ansettelsessaker, offentleglova § 25"),
        ("26", "Eksamen og personbilder, offentleglova § 26"),
        ("XX", "Midlertidig sperret"),
        ("P", "Personalsaker"),
        ("KL", "Klientsaker"),
    ),
)
SCREENING_METADATA = CodeList(
    "M502",
    "skjermingMetadata",
    (
        ("KID", "Skjerming klasseID"),
        ("TKL", "Skjerming tittel klasse"),
        ("TM1", "Skjerming tittel mappe - unntatt første linje"),
        ("TMO", "Skjerming tittel mappe - utvalgte ord"),
        ("NPS", "Skjerming navn part i sak"),
        ("TR1", "Skjerming tittel registrering - unntatt første linje"),
        ("TRO", "Skjerming tittel registrering - utvalgte ord"),
        ("NA", "Skjerming navn avsender"),
        ("NM", "Skjerming navn mottaker"),
        ("TD", "Skjerming tittel dokumentbeskrivelse"),
        ("MT", "Skjerming merknadstekst"),
        ("M", "Midlertidig skjerming"),
    ),
)
SCREENING_DOCUMENT = CodeList(
    "M503",
    "skjermingDokument",
    (("H", "Skjerming av hele dokumentet"), ("D", "Skjerming av deler av dokumentet")),
)
WRITE_OFF_METHOD = CodeList(
    "M619",
    "avskrivningsmaate",
    (
        ("BU", "Besvart med brev"),
        ("BE", "Besvart med e-post"),
        ("TLF", "Besvart på telefon"),
        ("TE", "Tatt til etterretning"),
        ("TO", "Tatt til orientering"),
        ("BN", "Besvart med notat"),
        ("SA", "Saken ble avsluttet"),
    ),
)
VARIANT_FORMAT = CodeList(
    "M700",
    "variantformat",
    (("P", "Produksjonsformat"), ("A", "Arkivformat"), ("O", "Dokument hvor deler av innholdet er skjermet")),
)
COMMENT_TYPE = CodeList(
    "M084",
    "merknadstype",
    (("MS", "Merknad fra saksbehandler"), ("ML", "Merknad fra leder"), ("MA", "Merknad fra arkivansvarlig")),
)

PARTY_ROLE = CodeList(
    "M303", "partRolle", (("KLI", "Klient"), ("PAA", "Pårørende"), ("FORM", "Formynder"), ("ADV", "Advokat"))
)

ALL_CODE_LISTS = (
    FONDS_STATUS,
    SERIES_STATUS,
    CASE_STATUS,
    REGISTRY_ENTRY_STATUS,
    DOCUMENT_STATUS,
    REGISTRY_ENTRY_TYPE,
    DOCUMENT_TYPE,
    CLASSIFICATION_TYPE,
    CORRESPONDENCE_PARTY_TYPE,
    LINKED_AS,
    DOCUMENT_MEDIUM,
    ACCESS_RESTRICTION,
    SCREENING_METADATA,
    SCREENING_DOCUMENT,
    WRITE_OFF_METHOD,
    VARIANT_FORMAT,
    COMMENT_TYPE,
    PARTY_ROLE,
)


# The other code lists of the Tjenestegrensesnitt's metadata catalogue (kapittel 7, «metadata»), by
# the name of their relation (``metadata/<name>/``). The archive stores no field of these yet; the
# API serves them so clients can fill in and check values. M-nr and element name are those of
# metadatakatalog.xsd where the 5.0 schema has the list ("" where only the API specification has it).
CATALOGUE_CODE_LISTS: dict[str, CodeList] = {
    "elektronisksignatursikkerhetsnivaa": CodeList(
        "M507",
        "elektroniskSignaturSikkerhetsnivaa",
        (
            ("SK", "Symmetrisk kryptert"),
            ("V", "Sendt med PKI/virksomhetssertifikat"),
            ("PS", 'Sendt med PKI/"person standard"-sertifikat'),
            ("PH", 'Sendt med PKI/"person høy"-sertifikat'),
        ),
    ),
    "elektronisksignaturverifisert": CodeList(
        "M508",
        "elektroniskSignaturVerifisert",
        (("I", "Signatur påført, ikke verifisert"), ("V", "Signatur påført og verifisert")),
    ),
    "flytstatus": CodeList(
        "M663",
        "flytStatus",
        (("G", "Godkjent"), ("I", "Ikke godkjent"), ("S", "Sendt tilbake til saksbehandler med kommentarer")),
    ),
    "format": CodeList(
        "M701",
        "format",
        (
            ("av/0", "Ukjent format"),
            ("x-fmt/111", "Ren tekst"),
            ("fmt/353", "TIFF versjon 6"),
            ("fmt/95", "PDF/A 1a - ISO 19005-1:2005"),
            ("fmt/354", "PDF/A 1b - ISO 19005-1:2005"),
            ("fmt/101", "XML"),
            ("fmt/42", "JPEG"),
            ("av/1", "SOSI"),
            ("x-fmt/386", "MPEG-2"),
            ("fmt/134", "MP3"),
            ("fmt/11", "PNG"),
        ),
    ),
    "graderingskode": CodeList(
        "M506",
        "grad",
        (
            ("SH", "Strengt hemmelig (sikkerhetsgrad)"),
            ("H", "Hemmelig (sikkerhetsgrad)"),
            ("K", "Konfidensielt (sikkerhetsgrad)"),
            ("B", "Begrenset (sikkerhetsgrad)"),
            ("F", "Fortrolig (beskyttelsesgrad)"),
            ("SF", "Strengt fortrolig (beskyttelsesgrad)"),
        ),
    ),
    "hendelsetype": CodeList(
        "", "hendelsetype", (("C", "Opprettet"), ("R", "Lest"), ("U", "Endret"), ("D", "Slettet"))
    ),
    "kassasjonsvedtak": CodeList(
        "M450", "kassasjonsvedtak", (("B", "Bevares"), ("K", "Kasseres"), ("G", "Vurderes senere"))
    ),
    "koordinatsystem": CodeList("", "koordinatsystem", (("EPSG:32632", "UTM32N"), ("EPSG:4326", "WGS84"))),
    # ISO 3166-1 alfa-2; the specification names the list without values. The Nordic countries here,
    # the records manager adds the others the municipality meets.
    "land": CodeList(
        "M409",
        "land",
        (("NO", "Norge"), ("SE", "Sverige"), ("DK", "Danmark"), ("FI", "Finland"), ("IS", "Island")),
    ),
    "mappetype": CodeList("", "mappetype", ()),
    "postnummer": CodeList("M407", "postnummer", ()),
    "presedensstatus": CodeList("M056", "presedensStatus", (("G", "Gjeldende"), ("F", "Foreldet"))),
    "slettingstype": CodeList(
        "M089",
        "slettingstype",
        (
            ("SP", "Sletting av produksjonsformat"),
            ("SV", "Sletting av tidligere versjon"),
            ("SS", "Sletting av variant med sladdet informasjon"),
            ("SA", "Sletting av hele innholdet i arkivdelen"),
        ),
    ),
    "tilgangskategori": CodeList(
        "",
        "tilgangskategori",
        (
            ("A", "arkivdel"),
            ("K", "klasse"),
            ("M", "mappe"),
            ("R", "registrering"),
            ("D", "dokumentbeskrivelse"),
        ),
    ),
}

# Lists the records manager may extend (``metadata/ny-<name>/``, decision 0151): their values carry
# no rule of the archive. Every other list is closed: the archive's rules, screening and the
# database's checks depend on exactly its values.
EXTENSIBLE_CODE_LISTS = frozenset({"format", "land", "postnummer", "mappetype", "koordinatsystem"})

# Every code list by the name of its relation ``metadata/<name>/``.
METADATA_CODE_LISTS: dict[str, CodeList] = {
    **{code_list.element.lower(): code_list for code_list in ALL_CODE_LISTS},
    **CATALOGUE_CODE_LISTS,
}


def code_field(
    code_list: CodeList, *, default: str | None = None, blank: bool = False
) -> models.CharField[str, str]:
    """A model field holding one code of ``code_list`` (the database checks it too: see models)."""
    kwargs: dict[str, object] = {"max_length": 4, "choices": code_list.choices(), "blank": blank}
    if default is not None:
        kwargs["default"] = default
    return models.CharField(code_list.element, **kwargs)  # type: ignore[arg-type]


def code_check(
    field: str, code_list: CodeList, name: str, *, allow_blank: bool = False
) -> models.CheckConstraint:
    codes = code_list.codes() + ([""] if allow_blank else [])
    return models.CheckConstraint(condition=models.Q(**{f"{field}__in": codes}), name=name)
